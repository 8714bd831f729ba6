"""A sandbox certification authority and RSA key stores shaped like Kazakhstan's (subject
serialNumber "IIN…", key usage digitalSignature + nonRepudiation), for the demo and the tests.
Never a trust root in production: the exchange configures the NCA's roots there."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


@dataclass
class Authority:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        key = folder / "ca-key.pem"
        key.write_bytes(self.key.private_bytes(serialization.Encoding.PEM,
                                               serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        key.chmod(0o600)
        (folder / "ca.pem").write_bytes(self.pem())

    @classmethod
    def load(cls, folder: Path) -> "Authority | None":
        if not (folder / "ca.pem").exists() or not (folder / "ca-key.pem").exists():
            return None
        key = serialization.load_pem_private_key((folder / "ca-key.pem").read_bytes(), None)
        return cls(key, x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes()))


def _name(common_name: str, iin: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, common_name),
             x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ")]
    if iin:
        parts.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{iin}"))
    return x509.Name(parts)


def _usage(signing: bool, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=signing or ca, content_commitment=signing,
                         key_encipherment=not signing and not ca, data_encipherment=False,
                         key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def authority(name: str = "is2in sandbox CA") -> Authority:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(name)).issuer_name(_name(name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_usage(False, ca=True), critical=True)
            .sign(key, hashes.SHA256()))
    return Authority(key, cert)


def key_store(ca: Authority, iin: str, name: str, password: str, *, valid_from=None,
              valid_until=None, signing: bool = True) -> bytes:
    """A PKCS#12 key store (RSA 2048) for the person with this IIN, issued by `ca`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(name, iin))
            .issuer_name(ca.cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(valid_from or now - timedelta(days=1))
            .not_valid_after(valid_until or now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(signing), critical=True)
            .sign(ca.key, hashes.SHA256()))
    return pkcs12.serialize_key_and_certificates(
        b"signing", key, cert, [ca.cert],
        serialization.BestAvailableEncryption(password.encode()))
