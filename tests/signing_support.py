"""A sandbox CA and the test users' key store (every test user's IIN is conftest's), shared by
the flow tests that fire `sign` and the signing tests."""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding

from portal.domain.documents import sandbox
from portal.domain.documents.signing import SigningContext

IIN = "850101300005"  # conftest.make_user's
PASSWORD = "Qwerty12"
SAMPLE = Path(__file__).parent / "data" / "sample.pdf"


@lru_cache(maxsize=1)
def ca() -> sandbox.Authority:
    return sandbox.authority()


@lru_cache(maxsize=1)
def key_store() -> bytes:
    return sandbox.key_store(ca(), IIN, "TESTOV HEAD", PASSWORD)


def roots() -> list:
    return [asn1_x509.Certificate.load(ca().cert.public_bytes(Encoding.DER))]


def context(stored: dict | None = None) -> SigningContext:
    """Signing the sample PDF; signed files land in `stored` by a made-up key."""
    def store(data: bytes) -> str:
        key = f"memory-{len(stored or {})}.pdf"
        if stored is not None:
            stored[key] = data
        return key
    return SigningContext(pdf=SAMPLE.read_bytes(), roots=roots(), store=store,
                          key_store_allowed=True)


def allow_signing(app, folder: Path) -> None:
    """Key stores allowed and the sandbox CA trusted, as in the demo."""
    pem = folder / "sandbox-ca.pem"
    pem.write_bytes(ca().pem())
    app.config.update(SANDBOX_SIGNING=True, SIGNING_TRUST_ROOTS=[str(pem)])


def sign_form(password: str = PASSWORD, store: bytes | None = None) -> dict:
    """The "Sign with EDS" form as a browser posts it (multipart)."""
    return {"confirmed": "1", "password": password,
            "key_store": (io.BytesIO(key_store() if store is None else store), "RSA256_head.p12")}
