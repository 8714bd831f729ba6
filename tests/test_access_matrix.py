"""Every application endpoint, asked about another organisation's application, answers 404
without its number: by URL, by method, with and without htmx, for each kind of user."""
import pytest
from conftest import make_org, make_user, policy_of
from engine_support import create_application, make_issuer

from portal.domain.procedures.catalogue import DEFAULT_DIR
from portal.domain.workflow.loading import load_flows
from portal.models import Application

STANDARD = load_flows(DEFAULT_DIR / "_flows")[0]["standard"].flow

KINDS = ["client", "org_admin", "first_head", "adviser_not_assigned", "auditor", "candidate"]


def application_rules(app):
    """Endpoints open to clients (staff-only ones refuse them first: test_staff_access)."""
    from test_staff_access import STAFF_RULES
    for rule in app.url_map.iter_rules():
        if "application_id" in rule.arguments and policy_of(rule.endpoint) not in STAFF_RULES:
            yield rule


def fill(rule, app_id, transition_id="approve"):
    """The rule's URL with the foreign application's id and plausible other arguments."""
    values = {"application_id": app_id, "stage_id": "issuer", "item_id": "securities",
              "field_id": "name", "comment_id": 1, "transition_id": transition_id}
    parts = rule.rule.split("/")
    return "/".join(str(values[p[1:-1].split(":")[-1]]) if p.startswith("<") else p for p in parts)


def urls(rule, app_id):
    """One URL per rule, and one per transition of the flow for the transition endpoint."""
    if "transition_id" not in rule.arguments:
        return [fill(rule, app_id)]
    return [fill(rule, app_id, t.id) for t in STANDARD.transitions]


@pytest.mark.parametrize("kind", KINDS)
def test_foreign_applications_are_invisible(kind, app, db, client, auth):
    issuer = make_issuer(db)
    app_id, _url = create_application(client, auth, issuer)
    number = db.get(Application, app_id).number
    auth.logout()
    roles = {"auditor": ["auditor"], "candidate": ["candidate"], "adviser_not_assigned": ["adviser"]}
    org = make_org(db, roles=roles.get(kind, ["initiator"]))
    if kind == "adviser_not_assigned":  # a partner of the issuer, not assigned to any stage
        from portal.models import Partnership
        db.add(Partnership(client_id=issuer.org.id, partner_id=org.id, role="adviser"))
        db.commit()
    user = make_user(db, org, is_org_admin=kind == "org_admin", is_first_head=kind == "first_head")
    auth.login(user.email)
    assert_invisible(app, client, app_id, number)
    assert db.get(Application, app_id).status == "draft"


def assert_invisible(app, client, app_id: int, number: str) -> None:
    """Every application endpoint, by every method, with and without htmx: 404, no number."""
    rules = list(application_rules(app))
    assert len(rules) >= 5 * 9  # every category's application endpoints
    for rule, url in ((r, u) for r in rules for u in urls(r, app_id)):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for headers in ({}, {"HX-Request": "true"}):
                response = client.open(url, method=method, headers=headers,
                                       data={"action": "approve", "text": "x", "field": "name"})
                assert response.status_code == 404, (method, url, response.status_code)
                assert number.encode() not in response.data, (method, url)


def test_a_user_who_became_first_head_sees_nothing_sent_before(app, db, client, auth):
    """The organisation's own colleague, made first head by the exchange after the application
    was sent for approval (issue 11, item 1), reaches none of it."""
    from conftest import exchange_org, make_staff
    from engine_support import sent_for_approval

    from portal.domain.accounts import first_head
    issuer = make_issuer(db)
    app_id, _url = sent_for_approval(client, auth, issuer)
    number = db.get(Application, app_id).number
    auth.logout()
    colleague = make_user(db, issuer.org)
    first_head.grant(db, colleague, make_staff(db, exchange_org(db)))
    db.commit()
    auth.login(colleague.email)
    assert_invisible(app, client, app_id, number)
    assert db.get(Application, app_id).status == "awaiting_approval"
