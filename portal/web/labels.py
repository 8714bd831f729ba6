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
CALENDAR_KINDS = {"day_off": _l("Day off"), "working_day": _l("Working day")}
DOCUMENT_STATUSES = {"in_force": _l("In force"), "repealed": _l("Repealed")}
MAIL_STATUSES = {
    "pending": _l("Waiting"), "sending": _l("Sending"), "sent": _l("Sent"),
    "kept": _l("Kept inside the portal"), "failed": _l("Failed"),
}


def choices(mapping: dict) -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in mapping.items()]
STAGE_STATUSES = {
    "empty": _l("Not filled"),
    "draft": _l("Being filled"),
    "filled": _l("Filled"),
    "skipped": _l("Skipped"),
}
CATEGORIES = {
    "listing": _l("Listing procedures (the Exchange's official list)"),
    "non_listed": _l("\"Non-listed securities\" sector (the Exchange's unofficial list)"),
    "audit": _l("Forming and monitoring the list of audit organisations recognised by the Exchange"),
    "membership": _l("Admission to Exchange membership"),
    "disclosure": _l("Monitoring of information disclosure by admission initiators"),
}
HISTORY_ACTIONS = {
    "create": _l("Application created"),
    "stage_done": _l("Stage filled"),
    "stage_skipped": _l("Stage skipped"),
    "executor_assigned": _l("Executor assigned"),
    "comment": _l("Comment"),
    "comment_answer": _l("Answer to a comment"),
    "download": _l("Document downloaded"),
    "executor_unassigned": _l("Executor unassigned (partner removed)"),
}
