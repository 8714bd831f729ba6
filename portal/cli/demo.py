"""Demo data for a demo or training sandbox: idempotent, keyed by codes and e-mails."""
from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.accounts.passwords import hash_password, verify_password
from portal.domain.documents import sandbox
from portal.models import NormativeDocument, Organisation, Partnership, User, utcnow

DATA = Path(__file__).resolve().parents[1] / "demo_data"
DEMO_PASSWORD = "Is2in-Demo1"
KEY_STORE_PASSWORD = "Is2in-Sign1"  # every demo key store's; printed beside each first head


def _organisation(db: Session, spec: dict) -> Organisation:
    org = db.scalar(select(Organisation).where(Organisation.code == spec["code"]))
    if org is None:
        org = Organisation(code=spec["code"], legal_form=spec["legal_form"], bin=spec["bin"],
                           roles=spec["roles"], is_exchange=spec.get("exchange", False),
                           name_full_kk=spec["kk"][0], name_short_kk=spec["kk"][1],
                           name_full_ru=spec["ru"][0], name_short_ru=spec["ru"][1],
                           name_full_en=spec["en"][0], name_short_en=spec["en"][1])
        db.add(org)
        db.flush()
    return org


def _user(db: Session, org: Organisation, spec: dict) -> User:
    user = db.scalar(select(User).where(User.email == spec["email"]))
    if user is None:
        user = User(organisation_id=org.id, email=spec["email"], surname=spec["surname"],
                    name=spec["name"], patronymic=spec.get("patronymic"),
                    position=spec["position"], phone="+7 727 000 00 00", iin=spec["iin"],
                    language=spec["language"], is_org_admin=spec.get("org_admin", False),
                    is_first_head=spec.get("first_head", False),
                    staff_roles=spec.get("staff_roles", []),
                    password_hash=hash_password(DEMO_PASSWORD), password_changed_at=utcnow(),
                    must_change_password=False)
        db.add(user)
    return user


def _partnership(db: Session, client_code: str, partner_code: str, role: str) -> None:
    """The demo issuer has already added its adviser and auditor under "Partnership"."""
    client, partner = (db.scalar(select(Organisation).where(Organisation.code == code))
                       for code in (client_code, partner_code))
    exists = db.scalar(select(Partnership).where(Partnership.client_id == client.id,
                                                 Partnership.partner_id == partner.id,
                                                 Partnership.role == role))
    if exists is None:
        db.add(Partnership(client_id=client.id, partner_id=partner.id, role=role))


def _normative(db: Session, spec: dict, store) -> None:
    if db.scalar(select(NormativeDocument).where(NormativeDocument.code == spec["code"])):
        return
    doc = NormativeDocument(code=spec["code"], kind=spec["kind"], status=spec["status"],
                            title_kk=spec["kk"], title_ru=spec["ru"], title_en=spec["en"])
    if spec.get("file"):
        doc.stored_name = store((DATA / spec["file"]).read_bytes(), ".txt")
        doc.file_name = spec["file"]
        doc.content_type = "text/plain; charset=utf-8"
    db.add(doc)


def load(db: Session, store) -> list[tuple[str, str, str]]:
    """Load the demo data; returns (e-mail, organisation code, role description) per login."""
    logins = []
    specs = yaml.safe_load((DATA / "accounts.yaml").read_text(encoding="utf-8"))
    for spec in specs:
        org = _organisation(db, spec)
        for user_spec in spec["users"]:
            user = _user(db, org, user_spec)
            what = user_spec.get("staff_roles") or [
                r for r, flag in (("org admin", user.is_org_admin), ("first head", user.is_first_head)) if flag
            ] or ["author"]
            logins.append((user.email, org.code, ", ".join(what)))
    for spec in specs:
        for partner in spec.get("partners", []):
            _partnership(db, spec["code"], partner["code"], partner["role"])
    for spec in yaml.safe_load((DATA / "normative.yaml").read_text(encoding="utf-8")):
        _normative(db, spec, store)
    db.commit()
    return logins


def renew_demo_passwords(db: Session, emails: list[str], now=None) -> int:
    """In a sandbox, restart the 60-day clock of demo accounts still using the printed demo
    password, so trainees can always sign in with what the run command prints."""
    renewed = 0
    for user in db.scalars(select(User).where(User.email.in_(emails))):
        if verify_password(user.password_hash, DEMO_PASSWORD):
            user.password_changed_at = now or utcnow()
            renewed += 1
    db.commit()
    return renewed


def key_stores(db: Session, emails: list[str], folder: Path) -> dict[str, Path]:
    """The sandbox CA (folder/ca.pem, the demo's trust root) and an RSA key store with the
    person's IIN for every demo first head, made once; e-mail → key store path."""
    ca = sandbox.Authority.load(folder)
    fresh = ca is None
    if fresh:  # a new CA: every earlier key store is issued by a CA no longer trusted
        ca = sandbox.authority("is2in demo CA")
        ca.save(folder)
    stores = {}
    heads = db.scalars(select(User).where(User.email.in_(emails), User.is_first_head.is_(True)))
    for user in heads:
        path = folder / f"RSA256_{user.iin}.p12"
        if fresh or not path.exists():
            path.write_bytes(sandbox.key_store(ca, user.iin, f"{user.surname} {user.name}",
                                               KEY_STORE_PASSWORD))
        stores[user.email] = path
    return stores
