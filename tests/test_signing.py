"""Signing on path b (a sandbox key store) and the one verification every signed PDF passes."""
import io
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pyhanko.pdf_utils.generic import TextStringObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from portal.domain.documents import sandbox, signing
from portal.domain.refusal import Refused

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
