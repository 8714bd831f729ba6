"""Helpers for the engine's tests: an issuer with author and first head, and form posting."""
from __future__ import annotations

from dataclasses import dataclass

from conftest import make_org, make_user

from portal.models import Application, Organisation, User


@dataclass
class Issuer:
    org: Organisation
    author: User
    head: User
    admin: User


def make_issuer(db) -> Issuer:
    org = make_org(db, roles=["initiator"])
    return Issuer(org, make_user(db, org), make_user(db, org, is_first_head=True),
                  make_user(db, org, is_org_admin=True))


def create_application(client, auth, issuer: Issuer, code="test-report", category="disclosure"):
    auth.login(issuer.author.email)
    prefix = category.replace("_", "-")
    r = client.post(f"/{prefix}/{code}/new", data={"company": issuer.org.id})
    assert r.status_code == 302, r.data
    app_id = int(r.headers["Location"].split("/applications/")[1].split("?")[0])
    return app_id, f"/{prefix}/applications/{app_id}"


def post_stage(client, url, stage, data, action="done", headers=None):
    payload = {"action": action}
    payload.update(data)
    return client.post(f"{url}/stages/{stage}", data=payload, headers=headers or {})


ISSUER_STAGE = {"f.name": "Демо Эмитент АҚ", "f.organised": "yes", "f.category": "a"}
PLACEMENT_STAGE = {
    "f.start": "2026-01-10", "f.end": "2026-03-01", "f.number": "1000",
    "f.nominal.amount": "1000", "f.nominal.currency": "KZT",
    "f.volume.amount": "1000000", "f.volume.currency": "KZT",
    "f.holders.rows": "1", "f.holders.0.holder": "Бірінші ұстаушы", "f.holders.0.share": "100",
}


def application(db, app_id) -> Application:
    db.expire_all()
    return db.get(Application, app_id)


def sent_for_approval(client, auth, issuer: Issuer, code="test-report", category="disclosure"):
    """A test-report application filled by the author and sent to the first head."""
    app_id, url = create_application(client, auth, issuer, code, category)
    assert post_stage(client, url, "issuer", ISSUER_STAGE).status_code == 302
    assert post_stage(client, url, "placement", PLACEMENT_STAGE).status_code == 302
    post_stage(client, url, "adviser", {}, action="skip")
    assert client.post(f"{url}/transitions/send_for_approval").status_code == 302
    return app_id, url
