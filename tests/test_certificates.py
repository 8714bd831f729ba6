"""Certificates of the Islamic securities regulation (issue 9 item 3): registration (004-C1) and
annulment (004-C2) in Kazakh and Russian, every blank filled from the application, counts and
amounts in words; Kazakh and Russian text read back from the PDF with pdftotext; rendered once."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import make_org, make_user
from sqlalchemy import select

from portal.infra import pdf as pdf_module
from portal.models import Document, StageState

FILLED = Path(__file__).with_name("data") / "filled"


@pytest.fixture
def catalogue_dir():
    return str(Path(__file__).resolve().parents[1] / "portal" / "procedures")


def _application(db, client, auth, code):
    """An application of the shipped procedure holding its filled example's values."""
    org = make_org(db, roles=["initiator"])
    author = make_user(db, org)
    db.commit()
    auth.login(author.email)
    r = client.post(f"/listing/{code}/new", data={"company": org.id})
    assert r.status_code == 302
    url = r.headers["Location"].split("?")[0]
    values = yaml.safe_load((FILLED / f"{code}.yaml").read_text(encoding="utf-8"))
    db.add(StageState(application_id=int(url.rsplit("/", 1)[1]), stage_id="example",
                      status="filled", data=values))
    db.commit()
    return url


def _text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())  # one line: blanks wrap where the page does


REGISTRATION = {
    "ru": ["Свидетельство о государственной регистрации выпуска исламских ценных бумаг",
           "произвело государственную регистрацию выпуска исламских ценных бумаг",
           "Агентство Республики Казахстан по регулированию и развитию финансового рынка",
           "Акционерное общество «Исламская специальная финансовая компания «Аманат Сукук»",
           "230540001230", "Выпуск разделен на", "500 000 (пятьсот тысяч)",
           "исламские арендные сертификаты",
           "10 000 (десять тысяч) тенге",
           "5 000 000 000 (пять миллиардов) тенге", "город Алматы", "Заместитель Председателя"],
    "kk": ["Исламдық бағалы қағаздар шығаруды мемлекеттік тіркеу туралы куәлік",
           "исламдық бағалы қағаздар шығарылымын мемлекеттік тіркеуге алды",
           "«Аманат Сукук» ислам арнайы қаржы компаниясы» акционерлік қоғамы",
           "230540001230", "500 000 (бес жүз мың)", "исламдық жалдау сертификаттары",
           "10 000 (он мың) теңге", "5 000 000 000 (бес миллиард) теңге", "Алматы қаласы",
           "Төрағаның орынбасары"],
}
ANNULMENT = {
    "ru": ["Свидетельство об аннулировании выпуска исламских ценных бумаг",
           "аннулировало выпуск исламских ценных бумаг",
           "Акционерное общество «Исламская специальная финансовая компания «Аль-Сукук»",
           "180640001232", "KZ2P00001571", "2024-05-20", "2 000 000 (два миллиона)",
           "исламские сертификаты участия",
           "Ни одна исламская ценная бумага выпуска не была размещена",
           "Выпуск исламских ценных бумаг считать аннулированным с"],
    "kk": ["Исламдық бағалы қағаздар шығарылымын жою туралы куәлік",
           "исламдық бағалы қағаздар шығарылымын жойды", "180640001232", "KZ2P00001571",
           "2 000 000 (екі миллион)", "исламдық қатысу сертификаттары",
           "бастап жойылды деп есептелсін"],
}


@pytest.mark.parametrize("code,expected", [("islamic-issue-registration", REGISTRATION),
                                           ("islamic-issue-annulment", ANNULMENT)])
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_certificate_has_every_blank_filled(code, expected, language, app, db, client, auth):
    url = _application(db, client, auth, code)
    r = client.get(f"{url}/certificates/{language}")
    assert r.status_code == 200 and r.data.startswith(b"%PDF-")
    text = _text(r.data).replace("\u00a0", " ")
    for phrase in expected[language]:
        assert phrase in text, phrase
    number = url.rsplit("/", 1)[1]
    assert text.count(f"2026-{int(number):06d}") >= 2  # the number on the page and in its footer


def test_a_certificate_is_rendered_once_and_kept(app, db, client, auth, monkeypatch):
    url = _application(db, client, auth, "islamic-issue-registration")
    calls = []
    real = pdf_module.render_pdf
    monkeypatch.setattr(pdf_module, "render_pdf", lambda *a, **k: calls.append(a) or real(*a, **k))
    first = client.get(f"{url}/certificates/ru").data
    assert client.get(f"{url}/certificates/ru").data == first
    assert len(calls) == 1
    doc = db.scalars(select(Document)).one()
    assert (doc.kind, doc.language) == ("registration_certificate", "ru")


def test_no_certificate_for_other_procedures_or_languages(app, db, client, auth):
    url = _application(db, client, auth, "islamic-issue-registration")
    assert client.get(f"{url}/certificates/en").status_code == 404
    other = _application(db, client, auth, "islamic-prospectus-amendments")
    assert client.get(f"{other}/certificates/ru").status_code == 404
