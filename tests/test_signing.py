"""Signing on path b (a sandbox key store) and the one verification every signed PDF passes."""
import hashlib
import io
import json
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import signing_support
from engine_support import (
    ISSUER_STAGE,
    PLACEMENT_STAGE,
    application,
    create_application,
    make_issuer,
    post_stage,
)
from pyhanko.pdf_utils.generic import TextStringObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from portal.cli import demo
from portal.domain.documents import sandbox, signing
from portal.domain.refusal import Refused
from portal.models import AuditEvent, Signature, User

IIN = "880101300123"
PASSWORD = "Qwerty12"
SAMPLE = Path(__file__).parent / "data" / "sample.pdf"


@pytest.fixture(scope="module")
def ca():
    return sandbox.authority()


@pytest.fixture(scope="module")
def roots(ca, tmp_path_factory):
    pem = tmp_path_factory.mktemp("roots") / "ca.pem"
    pem.write_bytes(ca.pem())
    return signing.trust_roots([pem])


@pytest.fixture(scope="module")
def signed(ca):
    return signing.sign(SAMPLE.read_bytes(), sandbox.key_store(ca, IIN, "HEAD FIRST", PASSWORD),
                        PASSWORD)


def reason(call) -> str:
    with pytest.raises(Refused) as caught:
        call()
    return caught.value.reason


def test_a_signed_application_verifies(signed, roots):
    result = signing.verify(signed, roots, IIN)
    assert result.signer_iin == IIN and "HEAD FIRST" in result.subject
    assert len(result.sha256) == 64
    assert abs(result.signed_at - datetime.now(timezone.utc).replace(tzinfo=None)) < timedelta(minutes=5)


def test_one_changed_byte_is_refused(signed, roots):
    middle = signed.index(b"/Contents <") - 200  # inside the signed range, before the signature
    tampered = signed[:middle] + bytes([signed[middle] ^ 1]) + signed[middle + 1:]
    assert reason(lambda: signing.verify(tampered, roots, IIN)) in ("signature_tampered",
                                                                    "signature_unreadable")


def test_an_unknown_ca_with_the_right_iin_is_refused(roots):
    stranger = sandbox.authority("Someone else's CA")
    forged = signing.sign(SAMPLE.read_bytes(), sandbox.key_store(stranger, IIN, "HEAD FIRST",
                                                                 PASSWORD), PASSWORD)
    assert reason(lambda: signing.verify(forged, roots, IIN)) == "certificate_untrusted"


def test_an_expired_certificate_is_refused(ca, roots):
    now = datetime.now(timezone.utc)
    old = sandbox.key_store(ca, IIN, "HEAD FIRST", PASSWORD, valid_from=now - timedelta(days=400),
                            valid_until=now - timedelta(days=1))
    expired = signing.sign(SAMPLE.read_bytes(), old, PASSWORD)
    assert reason(lambda: signing.verify(expired, roots, IIN)) == "certificate_expired"


def test_a_key_not_for_signing_is_refused(ca, roots):
    auth_only = sandbox.key_store(ca, IIN, "HEAD FIRST", PASSWORD, signing=False)
    pdf = signing.sign(SAMPLE.read_bytes(), auth_only, PASSWORD)
    assert reason(lambda: signing.verify(pdf, roots, IIN)) == "key_usage"


def test_another_persons_iin_is_refused(signed, roots):
    assert reason(lambda: signing.verify(signed, roots, "990101300999")) == "iin_mismatch"


def test_a_wrong_password_is_refused(ca):
    store = sandbox.key_store(ca, IIN, "HEAD FIRST", PASSWORD)
    assert reason(lambda: signing.sign(SAMPLE.read_bytes(), store, "wrong")) == "key_store_password"
    assert reason(lambda: signing.sign(SAMPLE.read_bytes(), b"", PASSWORD)) == "key_store_missing"


def test_a_gost_key_store_is_recognised():
    # a key store's plain algorithm identifier: GOST 34.310 (1.2.398.3.10.1.1.1) in a SEQUENCE
    gost = bytes.fromhex("3010" "060a2a830e030a01010101" "0500") + b"\x00" * 64
    assert reason(lambda: signing.sign(SAMPLE.read_bytes(), gost, PASSWORD)) == "gost_key"
    assert not signing.is_gost(sandbox.authority().pem())


def test_a_later_change_after_signing_is_refused(signed, roots):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/Lang"] = TextStringObject("ru")  # an update appended after the signature
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    assert reason(lambda: signing.verify(out.getvalue(), roots, IIN)) == "signature_modified"


def test_pdfsig_accepts_the_good_signature(signed, ca, tmp_path):
    pdf, pem, nss = tmp_path / "signed.pdf", tmp_path / "ca.pem", tmp_path / "nss"
    pdf.write_bytes(signed)
    pem.write_bytes(ca.pem())
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "sandbox", "-t", "CT,C,C",
                    "-i", str(pem)], check=True)
    out = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(pdf)], capture_output=True,
                         text=True, check=True).stdout
    assert "Signature is Valid." in out and "Certificate is Trusted." in out


# --- through the web: the first head signs with the key store and sends the file ------------

def approved_application(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    post_stage(client, url, "placement", PLACEMENT_STAGE)
    post_stage(client, url, "adviser", {}, action="skip")
    assert client.post(f"{url}/transitions/send_for_approval").status_code == 302
    auth.logout()
    auth.login(issuer.head.email)
    assert client.post(f"{url}/transitions/approve").status_code == 302
    return issuer, app_id, url


def sign_web(client, url, **kwargs):
    return client.post(f"{url}/transitions/sign", data=signing_support.sign_form(**kwargs),
                       content_type="multipart/form-data")


def stored_files(app) -> list:
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


def test_the_first_head_signs_and_sends_the_file(db, app, client, auth, tmp_path):
    signing_support.allow_signing(app, tmp_path)
    issuer, app_id, url = approved_application(db, client, auth)
    page = client.get(f"{url}/transitions/sign").data.decode()
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    assert 'type="password"' in page
    r = sign_web(client, url)
    assert r.status_code == 302
    signed = application(db, app_id)
    assert signed.status == "signed" and signed.signed_content_version == signed.content_version
    record = db.query(Signature).filter_by(application_id=app_id).one()
    assert record.signer_id == issuer.head.id and record.verification == "valid"
    assert "TESTOV HEAD" in record.certificate_subject
    pdf = (Path(app.config["UPLOAD_DIR"]) / record.storage_key).read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == record.sha256
    assert signing.verify(pdf, signing_support.roots(), signing_support.IIN).sha256 == record.sha256
    # neither the key store nor its password is kept anywhere: not in the audit trail either
    event = db.query(AuditEvent).filter_by(application_id=app_id, action="sign").one()
    assert not {"password", "key_store"} & set(event.detail or {})
    assert signing_support.PASSWORD not in json.dumps(event.detail, default=str)
    assert [p.name for p in stored_files(app)] == [record.storage_key]
    assert client.post(f"{url}/transitions/send_file").status_code == 302
    assert application(db, app_id).status == "submitted"


def test_a_wrong_password_says_so_and_stores_nothing(db, app, client, auth, tmp_path):
    signing_support.allow_signing(app, tmp_path)
    _, app_id, url = approved_application(db, client, auth)
    r = sign_web(client, url, password="Wrong123")
    body = r.data.decode()
    assert r.status_code == 422 and "check the password" in body
    assert "Wrong123" not in body  # the password is never echoed back
    assert application(db, app_id).status == "approved"
    assert application(db, app_id).signed_content_version is None
    assert db.query(Signature).count() == 0 and stored_files(app) == []


def test_another_persons_key_is_refused_on_receipt(db, app, client, auth, tmp_path):
    signing_support.allow_signing(app, tmp_path)
    _, app_id, url = approved_application(db, client, auth)
    other = sandbox.key_store(signing_support.ca(), "990101300999", "SOMEONE ELSE",
                              signing_support.PASSWORD)
    r = sign_web(client, url, store=other)
    assert r.status_code == 422 and "is not the IIN of the first head" in r.data.decode()
    assert application(db, app_id).status == "approved" and stored_files(app) == []


def test_key_stores_are_refused_unless_the_sandbox_allows_them(db, app, client, auth):
    assert app.config["SANDBOX_SIGNING"] is False  # the default
    _, app_id, url = approved_application(db, client, auth)
    r = sign_web(client, url)
    assert r.status_code == 422 and "not available on this portal" in r.data.decode()
    assert application(db, app_id).status == "approved"


def test_a_stale_sign_in_must_sign_in_again(db, app, client, auth, tmp_path):
    signing_support.allow_signing(app, tmp_path)
    _, app_id, url = approved_application(db, client, auth)
    app.config["FRESH_SIGN_IN_MINUTES"] = -1  # any sign-in is too old
    r = sign_web(client, url)
    assert r.status_code == 302 and "/reauthenticate" in r.headers["Location"]
    assert application(db, app_id).status == "approved" and stored_files(app) == []


# --- the demo: a sandbox CA and a key store for every demo first head -------------------------

def test_the_demo_prints_a_working_key_store_beside_each_first_head(app, db, tmp_path):
    app.config.update(SANDBOX=True, DEMO_SIGNING_DIR=str(tmp_path / "signing"))
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    heads = db.query(User).filter(User.is_first_head.is_(True)).all()
    assert heads
    lines = result.output.splitlines()
    roots = signing.trust_roots([tmp_path / "signing" / "ca.pem"])
    for head in heads:
        at = next(n for n, line in enumerate(lines) if head.email in line)
        printed = lines[at + 1]
        assert "EDS key store:" in printed and demo.KEY_STORE_PASSWORD in printed
        path = Path(printed.split("EDS key store:")[1].split()[0])
        pdf = signing.sign(SAMPLE.read_bytes(), path.read_bytes(), demo.KEY_STORE_PASSWORD)
        assert signing.verify(pdf, roots, head.iin).signer_iin == head.iin
    # loading again keeps the same CA and key stores
    before = (tmp_path / "signing" / "ca.pem").read_bytes()
    assert app.test_cli_runner().invoke(args=["demo-data"]).exit_code == 0
    assert (tmp_path / "signing" / "ca.pem").read_bytes() == before
