"""An archived report, for the archive side's tests (questionnaires, evidence packages)."""
from __future__ import annotations

import io
from datetime import timedelta

from conftest import exchange_org, make_staff
from engine_support import (
    ISSUER_STAGE,
    PLACEMENT_STAGE,
    application,
    create_application,
    make_issuer,
    post_stage,
)
from test_directory import pdf_bytes

from portal.domain.workflow import audit
from portal.models import utcnow


def archived_report(db, client, auth, prospectus: bytes | None = None):
    """A filled report (with a prospectus), approved by the first head, sent, accepted and
    archived; the client is left signed in as its author."""
    prospectus = prospectus or pdf_bytes()
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    post_stage(client, url, "placement", dict(PLACEMENT_STAGE, **{
        "f.prospectus": (io.BytesIO(prospectus), "Проспект.pdf")}))
    post_stage(client, url, "adviser", {}, action="skip")
    app = application(db, app_id)
    audit.record(db, "approve", issuer.head, application=app, role="first_head")
    app.status, app.phase = "accepted", "closed"
    app.submitted_at = utcnow() - timedelta(days=10)
    db.commit()
    authorised = make_staff(db, exchange_org(db), roles=("authorised",))
    auth.logout()
    auth.login(authorised.email)
    assert client.post(f"{url}/transitions/archive").status_code == 302
    assert application(db, app_id).status == "archived"
    auth.logout()
    auth.login(issuer.author.email)
    return issuer, app_id
