"""Every staff page is refused to clients and to exchange staff of the wrong role, by every
method, before any view runs."""
import pytest
from conftest import exchange_org, login_as, make_org, make_staff, make_user, url_args
from flask import url_for

from portal.web import access

STAFF_RULES = {access.STAFF, access.DESK, access.OFFICE, access.AUTHORISED, access.ACCOUNT_ADMIN}
# for each rule, the staff roles that must not pass it
WRONG_ROLES = {access.DESK: ("account_admin",), access.AUTHORISED: ("office", "account_admin"),
               access.OFFICE: ("authorised", "account_admin"),
               access.ACCOUNT_ADMIN: ("office", "authorised")}


def _staff_rules(app):
    for rule in app.url_map.iter_rules():
        if access.POLICY.get(rule.endpoint) in STAFF_RULES:
            yield rule


def _refused(client, rule):
    with client.application.test_request_context():
        url = url_for(rule.endpoint, **url_args(rule))
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
        for headers in ({}, {"HX-Request": "true"}):
            r = client.open(url, method=method, headers=headers, data={"on": "1"})
            assert r.status_code == 403, (rule.endpoint, method, r.status_code)


@pytest.mark.parametrize("kind", ["client", "org_admin", "first_head"])
def test_clients_are_refused_every_staff_page(kind, app, db):
    user = make_user(db, make_org(db), is_org_admin=kind == "org_admin",
                     is_first_head=kind == "first_head")
    client = app.test_client()
    login_as(client, user)
    rules = list(_staff_rules(app))
    assert {"queue.index", "queue.assign", "queue.dashboard", "maintenance.switch"} <= {
        r.endpoint for r in rules}
    for rule in rules:
        _refused(client, rule)


def test_staff_of_the_wrong_role_are_refused(app, db):
    exchange = exchange_org(db)
    clients = {}
    for roles in {r for wrong in WRONG_ROLES.values() for r in wrong}:
        clients[roles] = app.test_client()
        login_as(clients[roles], make_staff(db, exchange, roles=(roles,)))
    checked = 0
    for rule in _staff_rules(app):
        for role in WRONG_ROLES.get(access.POLICY[rule.endpoint], ()):
            _refused(clients[role], rule)
            checked += 1
    assert checked >= 4
