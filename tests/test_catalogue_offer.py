"""Procedures are offered only to the client roles that file them."""
from pathlib import Path

import pytest
from conftest import make_org, make_user


@pytest.fixture
def catalogue_dir():
    return str(Path(__file__).resolve().parents[1] / "portal" / "procedures")


@pytest.mark.parametrize("role,offered,refused", [
    ("initiator", "/listing/bond-issue-registration/new", "/audit/audit-organisation-recognition/new"),
    ("adviser", "/disclosure/bond-placement-report/new", "/membership/membership-admission/new"),
    ("auditor", "/audit/audit-organisation-recognition/new", "/listing/official-list-admission/new"),
    ("candidate", "/membership/membership-admission/new", "/non-listed/non-listed-admission/new"),
])
def test_offered_by_client_role(role, offered, refused, db, client, auth):
    user = make_user(db, make_org(db, roles=[role]))
    auth.login(user.email)
    listing = client.get("/procedures").data.decode()
    assert offered in listing
    assert refused not in listing
    assert client.get(offered).status_code == 200
    assert client.get(refused).status_code == 404
    assert client.post(refused, data={"company": user.organisation_id}).status_code == 404


def test_every_category_lists_its_procedures(db, client, auth):
    user = make_user(db, make_org(db, roles=["initiator", "adviser", "auditor", "candidate"]))
    auth.login(user.email)
    for prefix, code in (("listing", "official-list-admission"), ("non-listed", "non-listed-admission"),
                         ("audit", "audit-organisation-monitoring"), ("membership", "membership-admission"),
                         ("disclosure", "islamic-placement-report")):
        page = client.get(f"/{prefix}/")
        assert page.status_code == 200
        assert f"/{prefix}/{code}/new" in page.data.decode()


def test_an_adviser_files_only_for_issuers_that_added_it(db, client, auth):
    from portal.models import Partnership
    broker = make_org(db, roles=["adviser"])
    issuer, other = make_org(db, roles=["initiator"]), make_org(db, roles=["initiator"])
    db.add(Partnership(client_id=issuer.id, partner_id=broker.id, role="adviser"))
    db.commit()
    user = make_user(db, broker)
    auth.login(user.email)
    form = client.get("/listing/bond-issue-registration/new").data.decode()
    assert f'value="{issuer.id}"' in form and f'value="{other.id}"' not in form
    r = client.post("/listing/bond-issue-registration/new", data={"company": other.id})
    assert r.status_code == 200 and b"Choose the company." in r.data
    r = client.post("/listing/bond-issue-registration/new", data={"company": issuer.id})
    assert r.status_code == 302


def test_the_procedure_page_shows_its_deadlines_refusal_grounds_and_outputs(db, client, auth):
    user = make_user(db, make_org(db, roles=["initiator"]), language="ru")
    auth.login(user.email)
    page = client.get("/listing/islamic-prospectus-amendments/new").data.decode()
    assert "10" in page and "рабочих дней" in page  # review within 10 working days (004-R-11)
    assert "Основания для отказа" in page or "Grounds for refusal" in page
    assert "свидетельств" in page  # the amended certificate among the outputs
