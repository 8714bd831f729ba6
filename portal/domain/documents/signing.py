"""Signing an application PDF (PAdES B-B) with a PKCS#12 key store, and verifying what comes back.

Path b of "Sign with EDS" (a sandbox key store upload): the key store and its password live
only in the arguments of `sign` and are never stored or logged. `verify` is the one check every
signed PDF passes, whatever signed it: intact, covering the whole file with no later change,
chained to the configured trust roots, valid now (the signature was made a moment ago), a key
usage that allows signing and the subject's IIN equal to the first head's. A failure is a
Refused with a reason code; the web layer says it in the user's language.
"""
from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from typing import Callable
from datetime import datetime, timezone

from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from portal.domain.refusal import Refused, require

FIELD = "FirstHeadSignature"
# DER-encoded OID prefixes of GOST algorithms: Kazakhstan's GOST 34.310 (1.2.398.3.10) and
# GOST R 34.10-2012 / CryptoPro (1.2.643.7.1, 1.2.643.2.2); they appear in a GOST key store's
# algorithm identifiers and in a GOST certificate's public key, both readable without the key
GOST_OIDS = (b"\x2a\x83\x0e\x03\x0a", b"\x2a\x85\x03\x07\x01", b"\x2a\x85\x03\x02\x02")
SIGNING_USAGES = {"digital_signature", "non_repudiation"}


@dataclass(frozen=True)
class Verified:
    """What the exchange sees about an accepted signature."""

    sha256: str
    signer_iin: str
    subject: str
    serial: str
    signed_at: datetime  # naive UTC, as the portal stores times


def is_gost(data: bytes) -> bool:
    """An OBJECT IDENTIFIER (tag 6) of a GOST algorithm anywhere in the DER."""
    return any(re.search(b"\x06[\x05-\x10]" + re.escape(oid), data) for oid in GOST_OIDS)


def load_key_store(key_store: bytes, password: str) -> signers.SimpleSigner:
    require(bool(key_store), "key_store_missing")
    try:
        return signers.SimpleSigner.load_pkcs12_data(key_store, [], passphrase=password.encode())
    except (ValueError, TypeError):
        # a GOST key store cannot be opened by this verifier: say so instead of "wrong password"
        require(not is_gost(key_store), "gost_key")
        raise Refused("key_store_password") from None


def sign(pdf: bytes, key_store: bytes, password: str) -> bytes:
    """The PDF signed with the key store's key (PAdES B-B, SHA-256) as one incremental update."""
    signer = load_key_store(key_store, password)
    require(not is_gost(signer.signing_cert.public_key.dump()), "gost_key")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name=FIELD))
    meta = signers.PdfSignatureMetadata(field_name=FIELD, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES)
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=out)
    return out.getvalue()


def trust_roots(paths) -> list:
    """The exchange's trust roots from PEM (or DER) files."""
    return list(load_certs_from_pemder(list(paths)))


def iin_of(cert) -> str | None:
    serial = cert.subject.native.get("serial_number") or ""
    return serial[3:] if serial.upper().startswith("IIN") else None


def verify(signed: bytes, roots: list, first_head_iin: str, now: datetime | None = None
           ) -> Verified:
    """Accept the signed PDF or raise Refused with why not."""
    moment = (now or datetime.now(timezone.utc)).replace(tzinfo=timezone.utc)
    try:
        signatures = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    except Exception:  # noqa: BLE001 - any unreadable file is one answer: not a signed PDF
        raise Refused("signature_unreadable") from None
    require(len(signatures) == 1, "signature_count")
    embedded = signatures[0]
    cert = embedded.signer_cert
    require(not is_gost(cert.public_key.dump()), "gost_key")
    require(cert.not_valid_before <= moment <= cert.not_valid_after, "certificate_expired")
    usages = set(cert.key_usage_value.native) if cert.key_usage_value else set()
    require(bool(usages & SIGNING_USAGES), "key_usage")
    context = ValidationContext(trust_roots=roots, allow_fetching=False, moment=moment)
    try:
        status = validate_pdf_signature(
            embedded, context, key_usage_settings=KeyUsageConstraints(
                key_usage=SIGNING_USAGES, match_all_key_usages=False))
    except ValueError:  # pyHanko's validation errors are ValueErrors
        raise Refused("signature_tampered") from None
    require(status.intact and status.valid, "signature_tampered")
    require(status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            and status.modification_level == ModificationLevel.NONE, "signature_modified")
    require(status.trusted, "certificate_untrusted")
    require(iin_of(cert) == first_head_iin, "iin_mismatch")
    signed_at = status.signer_reported_dt or moment
    return Verified(sha256=hashlib.sha256(signed).hexdigest(), signer_iin=iin_of(cert),
                    subject=cert.subject.human_friendly, serial=str(cert.serial_number),
                    signed_at=signed_at.astimezone(timezone.utc).replace(tzinfo=None))


@dataclass
class SigningContext:
    """What the web layer prepares for the `sign_application` effect: the rendered application
    PDF, the trust roots, where to store the signed file, and whether key stores are allowed."""

    pdf: bytes
    roots: list
    store: Callable[[bytes], str]  # the signed PDF's bytes → its storage key
    key_store_allowed: bool = False
