"""Lists and partials run a fixed number of SQL queries, whatever the data's size."""
from contextlib import contextmanager

from engine_support import (
    ISSUER_STAGE,
    PLACEMENT_STAGE,
    create_application,
    make_issuer,
    post_stage,
)
from sqlalchemy import event

from portal.infra.database import db as portal_db


@contextmanager
def counted(engine):
    statements = []

    def count(conn, cursor, statement, *args):
        if not statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _queries(client, url, headers=None):
    with counted(portal_db.of(client.application).engine) as statements:
        r = client.get(url, headers=headers or {})
        assert r.status_code == 200
    return len(statements)


def test_under_review_query_count_does_not_grow(db, client, auth):
    issuer = make_issuer(db)
    create_application(client, auth, issuer)
    small = _queries(client, "/under-review")
    for _ in range(6):
        create_application(client, auth, issuer)
    assert _queries(client, "/under-review") == small
    assert _queries(client, "/under-review?sort=number&dir=asc") == small


def test_under_review_is_paged_and_sorted_in_the_database(db, client, auth):
    issuer = make_issuer(db)
    numbers = []
    for _ in range(27):
        app_id, _url = create_application(client, auth, issuer)
        numbers.append(f"-{app_id:06d}")
    first = client.get("/under-review?sort=number&dir=asc").data.decode()
    assert numbers[0] in first and numbers[26] not in first
    second = client.get("/under-review?sort=number&dir=asc&page=2").data.decode()
    assert numbers[26] in second and numbers[0] not in second
    fragment = client.get("/under-review?sort=number&dir=desc", headers={"HX-Request": "true"})
    assert b"<html" not in fragment.data and numbers[26].encode() in fragment.data


def test_stage_partial_and_chain_step_query_counts_are_fixed(db, client, auth):
    issuer = make_issuer(db)
    _, url = create_application(client, auth, issuer)
    hx = {"HX-Request": "true"}
    empty = _queries(client, f"{url}?stage=placement", hx)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    rows = dict(PLACEMENT_STAGE, **{"f.holders.rows": "40"})
    rows.update({f"f.holders.{i}.holder": f"Holder {i}" for i in range(40)})
    post_stage(client, url, "placement", rows, action="save")
    assert _queries(client, f"{url}?stage=placement", hx) == empty

    _, listing = create_application(client, auth, issuer, code="test-listing", category="listing")
    chain = f"{listing}/stages/requirements/chain/securities"
    one = _queries(client, chain, hx)
    path = {"chain.securities.0": "main", "chain.securities.1": "shares", "chain.securities.2": "premium"}
    for n in range(5):
        post_stage(client, listing, "requirements", dict(path, **{"chain.securities.key": "KZ2C00000081"}),
                   action="add:securities")
    assert _queries(client, chain + "?chain.securities.0=main", hx) == one
