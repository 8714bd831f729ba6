"""Translated labels for the portal's coded values."""
from flask_babel import lazy_gettext as _l

CLIENT_ROLES = {
    "initiator": _l("Admission initiator (issuer)"),
    "adviser": _l("Financial adviser (broker or dealer)"),
    "auditor": _l("Audit organisation"),
    "candidate": _l("Candidate for exchange membership"),
}
STAFF_ROLES = {
    "account_admin": _l("Account administrator"),
    "office": _l("Exchange office"),
    "authorised": _l("Authorised person"),
}
PARTNER_ROLES = {"adviser": _l("Financial adviser"), "auditor": _l("Audit organisation")}
DOCUMENT_KINDS = {
    "law": _l("Law"),
    "regulation": _l("Regulation"),
    "exchange": _l("Exchange internal document"),
}
DOCUMENT_STATUSES = {"in_force": _l("In force"), "repealed": _l("Repealed")}
MAIL_STATUSES = {
    "pending": _l("Waiting"), "sending": _l("Sending"), "sent": _l("Sent"),
    "kept": _l("Kept inside the portal"), "failed": _l("Failed"),
}


def choices(mapping: dict) -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in mapping.items()]
