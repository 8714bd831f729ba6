"""Signed PDFs in an evidence package are checked against the trust roots given (pyHanko)."""
import datetime
import io

import pytest
from test_directory import pdf_bytes

from portal.domain.documents import evidence

pytest.importorskip("pyhanko")
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402


def self_signed(tmp_path, name: str):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, True, True, False, False),
                           critical=True)
            .sign(key, hashes.SHA256()))
    pem = cert.public_bytes(serialization.Encoding.PEM)
    (tmp_path / f"{name}.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (tmp_path / f"{name}.pem").write_bytes(pem)
    return pem


def signed_pdf(tmp_path, name: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    signer = signers.SimpleSigner.load(str(tmp_path / f"{name}.key"), str(tmp_path / f"{name}.pem"))
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf_bytes())),
                           signers.PdfSignatureMetadata(field_name="Signature"), signer=signer)
    return out.getvalue()


def test_a_signed_pdf_verifies_against_its_root_and_not_another(tmp_path):
    root = self_signed(tmp_path, "head")
    stranger = self_signed(tmp_path, "stranger")
    package = evidence.build({"number": "2026-000001"}, [
        evidence.Document("documents/signed-1.pdf", signed_pdf(tmp_path, "head"), "signed")], [])
    verdict = evidence.verify(package, [root])
    assert verdict.ok, verdict.problems
    assert "documents/signed-1.pdf: 1 signature(s) checked" in verdict.notes
    assert not evidence.verify(package, [stranger]).ok
    assert "no trust roots given: signatures were not checked" in evidence.verify(package).notes
