"""The certificates whose forms the Islamic securities regulation gives (NB RK No. 298 of 2018,
App.1 and App.2 as restated by No. 262 of 2019): registration (004-C1) and annulment (004-C2),
each blank filled from the application, counts and amounts also in words. They are issued in
Kazakh and Russian; the fixed wording is the regulation's own (../shared/PROCEDURES.md 7.4, 7.5)."""
from __future__ import annotations

from dataclasses import dataclass

from portal.domain.documents.words import amount_text, count_text

LANGUAGES = ("kk", "ru")
AUTHORITY = {"kk": "Қазақстан Республикасының Қаржы нарығын реттеу және дамыту агенттігі",
             "ru": "Агентство Республики Казахстан по регулированию и развитию финансового рынка"}
LETTERHEAD = {
    "kk": "(қаржы нарығы мен қаржы ұйымдарын реттеу, бақылау және қадағалау жөніндегі уәкілетті "
          "органның Қазақстан Республикасы мемлекеттік елтаңбасының бейнесі бар бланкісінде басылады)",
    "ru": "(печатается на бланке уполномоченного органа по регулированию, контролю и надзору "
          "финансового рынка и финансовых организаций с изображением государственного герба "
          "Республики Казахстан)"}
CITY = {"kk": "Алматы қаласы", "ru": "город Алматы"}
SECURITY_TYPES = {
    "lease": {"kk": "исламдық жалдау сертификаттары", "ru": "исламские арендные сертификаты"},
    "participation": {"kk": "исламдық қатысу сертификаттары", "ru": "исламские сертификаты участия"},
}
NOT_ASSIGNED = {"kk": "(орталық депозитарий береді)", "ru": "(присваивается центральным депозитарием)"}


@dataclass(frozen=True)
class Certificate:
    kind: str  # the document kind it is kept under
    titles: dict  # {language: title}
    lines: dict  # {language: [(caption, blank key or None)]}: the form's wording, in order


REGISTRATION = Certificate("registration_certificate", {
    "kk": "Исламдық бағалы қағаздар шығаруды мемлекеттік тіркеу туралы куәлік",
    "ru": "Свидетельство о государственной регистрации выпуска исламских ценных бумаг"}, {
    "kk": [("", "authority"), ("", "bin"), ("тіркелген", None), ("", "issuer"),
           ("исламдық бағалы қағаздар шығарылымын мемлекеттік тіркеуге алды.", None),
           ("Шығарылым", "count"), ("", "type"), ("халықаралық сәйкестендіру нөмiрi (ISIN коды) берiлген", "isin"),
           ("исламдық бағалы қағаздарға бөлiнген.", None),
           ("Бір исламдық бағалы қағаздың номиналды құны", "nominal"),
           ("Шығарылым көлемі", "volume"), ("болады.", None)],
    "ru": [("", "authority"), ("произвело государственную регистрацию выпуска исламских ценных бумаг", None),
           ("", "issuer"), ("зарегистрированного", "bin"), ("Выпуск разделен на", "count"),
           ("", "type"), ("которым присвоен международный идентификационный номер (код ISIN)", "isin"),
           ("Номинальная стоимость одной исламской ценной бумаги", "nominal"),
           ("Объем выпуска составляет", "volume")]})

ANNULMENT = Certificate("annulment_certificate", {
    "kk": "Исламдық бағалы қағаздар шығарылымын жою туралы куәлік",
    "ru": "Свидетельство об аннулировании выпуска исламских ценных бумаг"}, {
    "kk": [("", "authority"), ("", "bin"), ("", "issuer"),
           ("исламдық бағалы қағаздар шығарылымын жойды.", None),
           ("Шығарылым", "registered"), ("тіркелген.", None), ("", "count"), ("", "type"),
           ("бөлінген. Исламдық бағалы қағаздар шығарылымына берiлген халықаралық сәйкестендіру нөмiрi (ISIN коды)", "isin"),
           ("", "grounds"), ("байланысты жойылды.", None), ("", "annulled_from"),
           ("бастап жойылды деп есептелсін.", None)],
    "ru": [("", "authority"), ("аннулировало выпуск исламских ценных бумаг", None), ("", "issuer"),
           ("бизнес-идентификационный номер", "bin"), ("Выпуск зарегистрирован", "registered"),
           ("Международный идентификационный номер (код ISIN), присвоенный исламским ценным бумагам выпуска", "isin"),
           ("Выпуск разделен на", "count"), ("", "type"),
           ("Выпуск исламских ценных бумаг аннулирован в связи с", "grounds"),
           ("Выпуск исламских ценных бумаг считать аннулированным с", "annulled_from")]})

# the procedures whose output is a certificate, and how their fields fill its blanks
BY_PROCEDURE = {"islamic-issue-registration": REGISTRATION, "islamic-issue-annulment": ANNULMENT}
SIGNATORY = {"kk": "Төрағаның орынбасары", "ru": "Заместитель Председателя"}
SEAL = {"kk": "Мөр орны", "ru": "Место печати"}


def _amount(value, language: str) -> str:
    return amount_text((value or {}).get("amount") if isinstance(value, dict) else value, language)


def blanks(certificate: Certificate, values: dict, language: str, issued_on: str) -> dict:
    """Every blank of the form, filled from the application's values."""
    kind = SECURITY_TYPES.get(values.get("security_type") or values.get("i4_1"), {}).get(language, "")
    common = {"authority": AUTHORITY[language], "type": kind}
    if certificate is REGISTRATION:
        issuer = values.get(f"i1_3_full_{language}") or values.get("i1_3_full_ru") or ""
        return dict(common, issuer=f"{issuer}, {values.get('i2_location') or ''}",
                    bin=values.get("i1_7") or "", count=count_text(values.get("i4_3"), language),
                    isin=values.get("isin") or NOT_ASSIGNED[language],
                    nominal=_amount(values.get("i4_2_value"), language),
                    volume=_amount(values.get("i4_4"), language))
    return dict(common, issuer=f"{values.get('issuer_full_name') or ''}, {values.get('issuer_location') or ''}",
                bin=values.get("issuer_bin") or "", isin=values.get("isin") or "",
                registered=f"{AUTHORITY[language]}, {values.get('issue_reg_date') or ''}",
                count=count_text(values.get("total_number"), language),
                grounds=values.get("annulment_grounds") or "", annulled_from=issued_on)


def filled_lines(certificate: Certificate, values: dict, language: str, issued_on: str):
    """The form's lines with their blanks filled: [(caption, value or None)]."""
    filled = blanks(certificate, values, language, issued_on)
    return [(caption, filled[key] if key else None) for caption, key in certificate.lines[language]]
