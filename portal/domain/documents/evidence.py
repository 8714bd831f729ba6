"""Evidence packages: an archived application as one zip that can be checked offline.

The package holds every document (the application PDF, the uploaded files, signed files: all
just documents of some kind), the application's audit trail with its hashes, and a manifest
of sha256 hashes that also carries a digest of itself. The zip is written in one canonical
layout (stored, fixed times, fixed order), so the verifier rebuilds it from its contents and
compares byte for byte: a changed header byte is caught as well as a changed document.

    python -m portal.domain.documents.evidence verify PACKAGE.zip [--trust-root ROOT.pem ...]

needs no portal database: it checks the layout, the manifest, every hash and the audit chain,
and the signatures of signed PDFs against the given roots when pyHanko is installed.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from portal.domain.workflow.audit import _fields as audit_fields
from portal.domain.workflow.audit import digest

FORMAT = "is2in-evidence/1"
MANIFEST, AUDIT = "manifest.json", "audit.json"
EPOCH = (1980, 1, 1, 0, 0, 0)  # every member's time: the package's bytes depend on content only


@dataclass(frozen=True)
class Document:
    path: str          # inside the package, under documents/
    data: bytes
    kind: str          # application | upload | signed | result …
    title: str = ""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1, default=str).encode()


def _pack(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return out.getvalue()


def _self_digest(manifest: dict) -> str:
    return sha256(_json({k: v for k, v in manifest.items() if k != "digest"}))


def build(application: dict, documents: list[Document], events: list[dict]) -> bytes:
    """The package: manifest, audit trail, then the documents in the order given.
    `events` are audit rows as `audit_row` gives them, in id order."""
    trail = _json(events)
    manifest = {"format": FORMAT, "application": application,
                "audit": {"path": AUDIT, "sha256": sha256(trail), "events": len(events)},
                "documents": [{"path": d.path, "kind": d.kind, "title": d.title,
                               "size": len(d.data), "sha256": sha256(d.data)} for d in documents]}
    manifest["digest"] = _self_digest(manifest)
    return _pack([(MANIFEST, _json(manifest)), (AUDIT, trail)]
                 + [(d.path, d.data) for d in documents])


def audit_row(event) -> dict:
    """An audit event as the package keeps it: every field its hash covers, and the hashes."""
    return dict(audit_fields(event), created_at=event.created_at.isoformat(),
                prev_hash=event.prev_hash, hash=event.hash)


@dataclass
class Verdict:
    ok: bool = True
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def refuse(self, problem: str) -> None:
        self.ok = False
        self.problems.append(problem)


def check_chain(events: list[dict], verdict: Verdict) -> None:
    """Each event's hash over its own fields and the hash before it; neighbours in the portal's
    one chain (consecutive ids) must link. Gaps are other applications' events."""
    previous = None
    for row in events:
        fields = dict(row, created_at=datetime.fromisoformat(row["created_at"]))
        if row["hash"] != digest(row["prev_hash"], fields):
            verdict.refuse(f"audit event {row['id']} ({row['action']}) was changed")
        if previous is not None:
            if row["id"] <= previous["id"]:
                verdict.refuse(f"audit event {row['id']} is out of order")
            elif row["id"] == previous["id"] + 1 and row["prev_hash"] != previous["hash"]:
                verdict.refuse(f"audit event {row['id']} does not follow event {previous['id']}")
        previous = row


def verify(data: bytes, trust_roots: list[bytes] = ()) -> Verdict:
    verdict = Verdict()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(info.filename, zf.read(info)) for info in zf.infolist()]
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        verdict.refuse(f"not a readable package: {exc}")
        return verdict
    if _pack(members) != data:
        verdict.refuse("the package's layout was changed (it is not the portal's canonical zip)")
    content = dict(members)
    try:
        manifest = json.loads(content[MANIFEST])
        events = json.loads(content[AUDIT])
    except (KeyError, ValueError) as exc:
        verdict.refuse(f"the manifest or the audit trail is missing or unreadable: {exc}")
        return verdict
    if manifest.get("format") != FORMAT or manifest.get("digest") != _self_digest(manifest):
        verdict.refuse("the manifest was changed")
    listed = {MANIFEST, AUDIT} | {d["path"] for d in manifest.get("documents", [])}
    for extra in sorted(set(content) - listed):
        verdict.refuse(f"{extra} is not in the manifest")
    if sha256(content[AUDIT]) != manifest.get("audit", {}).get("sha256"):
        verdict.refuse("the audit trail does not match its hash")
    for doc in manifest.get("documents", []):
        body = content.get(doc["path"])
        if body is None:
            verdict.refuse(f"{doc['path']} is missing")
        elif sha256(body) != doc["sha256"]:
            verdict.refuse(f"{doc['path']} does not match its hash")
    check_chain(events, verdict)
    signed = [(d["path"], content[d["path"]]) for d in manifest.get("documents", [])
              if d["kind"] == "signed" and d["path"] in content]
    check_signatures(signed, trust_roots, verdict)
    return verdict


def check_signatures(signed: list[tuple[str, bytes]], trust_roots, verdict: Verdict) -> None:
    """Every signature of every signed PDF, against the given roots (pyHanko, if installed)."""
    if not signed:
        verdict.notes.append("no signed files in the package")
        return
    try:
        from asn1crypto import pem, x509
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext
    except ImportError:
        verdict.notes.append("pyHanko is not installed: signatures were not checked")
        return
    if not trust_roots:
        verdict.notes.append("no trust roots given: signatures were not checked")
        return
    roots = []
    for blob in trust_roots:
        der = pem.unarmor(blob)[2] if pem.detect(blob) else blob
        roots.append(x509.Certificate.load(der))
    context = ValidationContext(trust_roots=roots)
    for path, body in signed:
        signatures = PdfFileReader(io.BytesIO(body)).embedded_signatures
        if not signatures:
            verdict.refuse(f"{path} carries no signature")
        for sig in signatures:
            status = validate_pdf_signature(sig, context)
            if not (status.intact and status.valid and status.trusted):
                verdict.refuse(f"{path}: a signature does not verify against the trust roots")
        verdict.notes.append(f"{path}: {len(signatures)} signature(s) checked")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.domain.documents.evidence")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("verify", help="verify an evidence package offline")
    check.add_argument("package")
    check.add_argument("--trust-root", action="append", default=[], metavar="PEM")
    args = parser.parse_args(argv)
    with open(args.package, "rb") as fh:
        data = fh.read()
    roots = []
    for path in args.trust_root:
        with open(path, "rb") as fh:
            roots.append(fh.read())
    verdict = verify(data, roots)
    for note in verdict.notes:
        print(f"note: {note}")
    for problem in verdict.problems:
        print(f"REFUSED: {problem}")
    print("package verified" if verdict.ok else "package refused")
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
