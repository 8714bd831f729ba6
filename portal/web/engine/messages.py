"""Sentences for the engine's error codes, in the user's language."""
from flask_babel import lazy_gettext as _l

from portal.web.i18n import lang

FIELD_ERRORS = {
    "required": _l("Fill in this field."),
    "integer": _l("Enter a whole number."),
    "decimal": _l("Enter a number."),
    "percent": _l("Enter a percentage as a number."),
    "date": _l("Enter a date as YYYY-MM-DD."),
    "email": _l("Enter an e-mail address."),
    "phone": _l("Enter a phone number."),
    "bin": _l("A BIN is exactly 12 digits."),
    "iin": _l("An IIN is exactly 12 digits."),
    "isin": _l("This is not a valid ISIN: 2 letters, 9 letters or digits and a check digit."),
    "choice": _l("Choose one of the options."),
    "min": _l("The value must be at least %(min)s."),
    "max": _l("The value must be at most %(max)s."),
    "max_length": _l("At most %(max)s characters."),
    "control": _l("Line breaks and control characters are not allowed here."),
    "malformed": _l("This part of the form did not arrive as the page sent it; nothing in it was changed. Reload the page and try again."),
    "max_rows": _l("At most %(max)s rows."),
    "max_entries": _l("At most %(max)s items."),
    "pattern": _l("The value does not have the expected form."),
    "rows": _l("Add at least %(min)s rows."),
    "entries": _l("Add at least %(min)s items."),
    "not_pdf": _l("The file is not a PDF document."),
    "file_size": _l("The file is too large: at most %(max)s KB."),
}
REFUSALS = {
    "state": _l("This action is not possible at the application's current status."),
    "not_yours": _l("This stage is not open to you."),
    "not_first_head": _l("Only the first head of the admission initiator can do this."),
    "unfinished": _l("Some stages are not filled yet."),
    "no_first_head": _l("Your organisation has no first head in the portal yet; ask your organisation administrator to add one."),
    "check_failed": _l("The check before sending found problems; see the list below."),
    "no_transition": _l("There is no such action."),
    "not_allowed": _l("This action is not yours to take."),
    "stale_sign_in": _l("For this decision your sign-in must be recent: log out, log in again and repeat it."),
    "not_signed": _l("Sign the application with EDS first."),
    "not_staff": _l("Choose an employee of the exchange."),
    "meeting_scheduled": _l("The application can no longer be withdrawn: the meeting of the exchange's deciding body that considers it is scheduled for %(date)s."),
    "resubmission_closed": _l("The term for submitting the application again has run out."),
    "form": _l("Check the fields marked below: what you typed is kept."),
    "not_skippable": _l("This stage cannot be skipped."),
    "not_adviser_stage": _l("This stage is not filled by a financial adviser."),
    "not_partner": _l("Choose an employee of your financial adviser."),
    "bad_path": _l("Choose the options again: the list has changed."),
    "incomplete_path": _l("Choose every criterion before adding."),
    "no_item": _l("There is no such form."),
    "no_entry": _l("There is no such item."),
    "no_comment": _l("There is no such comment."),
    "empty": _l("Write the comment first."),
    # signing with EDS and verifying the signature
    "key_store_disabled": _l("Signing with an uploaded key store is not available on this portal; sign with NCALayer."),
    "key_store_missing": _l("Choose your key store file (.p12)."),
    "key_store_password": _l("The key store could not be opened: check the password and that the file is a PKCS#12 key store (.p12)."),
    "gost_key": _l("This is a GOST key: this portal verifies RSA signatures only. Use your RSA signing key (RSA256_…)."),
    "pdf_failed": _l("The application document could not be prepared; try again in a minute."),
    "signature_unreadable": _l("The signed file is not a readable signed PDF."),
    "signature_count": _l("The file must carry exactly one signature."),
    "signature_tampered": _l("The signature does not match the document: the file was changed after signing."),
    "signature_modified": _l("The signature does not cover the whole document or the file was changed after signing."),
    "certificate_untrusted": _l("The signing certificate was not issued by a certification authority the exchange trusts."),
    "certificate_expired": _l("The signing certificate is not valid at the time of signing (expired or not yet valid)."),
    "key_usage": _l("This certificate is not for signing (its key usage does not allow it); use your signing key."),
    "iin_mismatch": _l("The certificate's IIN is not the IIN of the first head signing the application."),
    "no_questionnaire": _l("That questionnaire cannot pre-fill this application: choose one of the company's."),
    "one_questionnaire_per_form": _l("Choose at most one questionnaire for each form."),
}


def field_error(error, rules_by_id=None) -> str:
    code, params = error
    if code == "rule" and rules_by_id:
        rule = rules_by_id[params["rule"]]
        return f"{rule.message.get(lang())} ({rule.clause.get(lang())})"
    return str(FIELD_ERRORS.get(code, FIELD_ERRORS["pattern"])) % params


def refusal(exc) -> str:
    text = str(REFUSALS.get(exc.reason, REFUSALS["state"]))
    return text % exc.params if exc.params and "%(" in text else text
