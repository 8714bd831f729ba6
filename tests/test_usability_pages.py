"""Issue 12 (usability), proven on the pages the portal serves: dates, required marks, languages,
the no-JavaScript paths and the noise taken out."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from conftest import exchange_org, login_as, make_staff
from engine_support import (
    ISSUER_STAGE,
    PLACEMENT_STAGE,
    application,
    create_application,
    make_issuer,
    post_stage,
    sent_for_approval,
)

from test_i18n import compiled_catalogues  # noqa: F401  (fixture)

from portal.domain.procedures.values import parse_date, parse_scalar
from portal.models import AuditEvent, Notification


def _panel(html: str) -> str:
    return html[html.index('id="stage-panel"'):]


def _sent_to_head(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = sent_for_approval(client, auth, issuer)
    auth.logout()
    return issuer, app_id, url


# --- 7 dates --------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["01.12.2026", "1.12.2026", "2026-12-01"])
def test_dates_are_read_as_dd_mm_yyyy_or_iso(typed):
    assert parse_date(typed) == date(2026, 12, 1)
    assert parse_scalar("date", typed) == ("2026-12-01", None)


@pytest.mark.parametrize("typed", ["12/01/2026", "31.02.2026", "2026-1-5", "01.12.26"])
def test_other_date_forms_are_refused(typed):
    assert parse_scalar("date", typed)[1] == ("date", {})


def test_a_refused_date_is_not_stored_and_the_format_is_beside_the_field(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    post_stage(client, url, "placement", dict(PLACEMENT_STAGE, **{"f.start": "10.01.2026"}),
               action="save")
    data = {s.stage_id: s for s in application(db, app_id).stages}["placement"].data
    assert data["start"] == "2026-01-10"  # DD.MM.YYYY accepted, kept as ISO
    r = post_stage(client, url, "placement", dict(PLACEMENT_STAGE, **{"f.start": "32.01.2026"}),
                   action="save")
    assert r.status_code == 422
    html = r.data.decode()
    assert "Enter a date as DD.MM.YYYY." in html
    assert 'value="32.01.2026"' in html  # shown as typed, to be corrected
    data = {s.stage_id: s for s in application(db, app_id).stages}["placement"].data
    assert data["start"] == "2026-01-10"  # ... but never stored
    summary = client.get(f"{url}?stage=summary").data.decode()
    assert "10.01.2026" in summary and "32.01.2026" not in summary
    field = re.search(r'<input type="text" name="f.start"[^>]*>', html).group(0)
    assert 'aria-describedby="format-start error-start"' in field and 'aria-invalid="true"' in field
    assert '<span class="hint" id="format-start">DD.MM.YYYY</span>' in html


@pytest.mark.parametrize("lang, hint", [("kk", "КК.АА.ЖЖЖЖ"), ("ru", "ДД.ММ.ГГГГ")])
def test_dates_show_as_dd_mm_yyyy_in_kazakh_and_russian(db, client, auth, compiled_catalogues,
                                                        lang, hint):
    issuer = make_issuer(db)
    _, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    post_stage(client, url, "placement", PLACEMENT_STAGE, action="save")
    client.post("/language", data={"lang": lang, "next": url})
    page = client.get(f"{url}?stage=placement").data.decode()
    assert 'value="10.01.2026"' in page and hint in page
    assert "2026-01-10" not in _panel(page)


def test_times_are_in_the_exchanges_time_zone(db, client, auth, app):
    issuer, app_id, url = _sent_to_head(db, client, auth)
    auth.login(issuer.head.email)
    entry = db.query(AuditEvent).filter_by(application_id=app_id).order_by(AuditEvent.id).first()
    almaty = entry.created_at.replace(tzinfo=timezone.utc).astimezone(ZoneInfo("Asia/Almaty"))
    summary = client.get(f"{url}?stage=summary").data.decode()
    assert almaty.strftime("%d.%m.%Y %H:%M:%S") in summary and " UTC" not in summary
    note = db.query(Notification).filter_by(user_id=issuer.head.id).one()
    note.created_at = datetime(2026, 12, 1, 20, 30)
    db.commit()
    assert "02.12.2026 01:30" in client.get("/notifications").data.decode()  # UTC+5
    app.config["EXCHANGE_TIMEZONE"] = "UTC"
    assert "01.12.2026 20:30" in client.get("/notifications").data.decode()


def test_staff_dates_accept_dd_mm_yyyy(db, client, auth):
    staff = make_staff(db, exchange_org(db), roles=("office",))
    auth.login(staff.email)
    r = client.post("/admin/insiders/new", data={"full_name": "A", "position": "B",
                                                 "included_on": "02.03.2026"})
    assert r.status_code == 302
    assert "02.03.2026" in client.get("/insiders").data.decode()
    r = client.post("/admin/insiders/new", data={"full_name": "A", "position": "B",
                                                 "included_on": "2026/03/02"})
    assert "Enter a date as DD.MM.YYYY." in r.data.decode()


# --- 8 requirements shown from the start ----------------------------------------------------

def test_required_by_a_condition_is_marked_and_a_tables_minimum_is_ready(db, client, auth):
    issuer = make_issuer(db)
    _, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    page = _panel(client.get(f"{url}?stage=placement").data.decode())
    label = re.search(r'<div class="label" id="label-guarantors">.*?</div>', page, re.S).group(0)
    assert '<span class="req-if" hidden>' in label  # not required while the bonds are not secured
    assert page.count('name="f.guarantors.') == 2 + 1  # two rows ready, and their count
    assert 'name="f.guarantors.1.guarantor"' in page
    assert "At least 2 rows." in page
    post_stage(client, url, "placement", dict(PLACEMENT_STAGE, **{"f.secured": "yes"}), action="save")
    page = _panel(client.get(f"{url}?stage=placement").data.decode())
    label = re.search(r'<div class="label" id="label-guarantors">.*?</div>', page, re.S).group(0)
    assert '<span class="req-if"><span class="req" aria-hidden="true">*</span>' in label.replace("> <", "><")
    head = re.search(r'<th scope="col">Guarantor.*?</th>', page).group(0)
    assert 'class="req"' in head and 'class="req-if" hidden' not in head  # its required column too
    r = post_stage(client, url, "placement", dict(PLACEMENT_STAGE, **{"f.secured": "yes"}))
    assert "Add at least 2 rows." in r.data.decode()


def test_read_only_views_carry_no_required_marks(db, client, auth):
    issuer, _, url = _sent_to_head(db, client, auth)
    auth.login(issuer.author.email)
    assert 'class="req"' not in _panel(client.get(f"{url}?stage=summary").data.decode())


# --- 9 languages ----------------------------------------------------------------------------

def test_the_sign_in_pages_language_is_used_and_saved(db, client, compiled_catalogues):
    issuer = make_issuer(db)  # profile language: en
    client.post("/language", data={"lang": "ru"})
    assert login_as(client, issuer.author).status_code == 302
    assert '<html lang="ru">' in client.get("/").data.decode()
    db.refresh(issuer.author)
    assert issuer.author.language == "ru"
    client.post("/logout")
    assert '<html lang="ru">' in client.get("/login").data.decode()  # log-out keeps it


def test_without_a_choice_on_the_sign_in_page_the_profile_wins(db, client, auth,
                                                             compiled_catalogues):
    issuer = make_issuer(db)
    issuer.author.language = "kk"
    db.commit()
    auth.login(issuer.author.email)
    page = client.get("/").data.decode()
    assert '<html lang="kk">' in page
    assert "Эмитенттерден – инвесторларға" in page  # "Issuers to investors", translated
    client.post("/logout")
    other = make_issuer(db)  # an English profile on the same browser afterwards
    auth.login(other.author.email)
    assert '<html lang="en">' in client.get("/").data.decode()


def test_notifications_speak_the_readers_language_of_now(db, client, auth, compiled_catalogues):
    issuer, _, _ = _sent_to_head(db, client, auth)
    auth.login(issuer.head.email)
    assert "has been sent to you for approval" in client.get("/notifications").data.decode()
    client.post("/language", data={"lang": "ru"})
    page = client.get("/notifications").data.decode()
    assert "has been sent to you for approval" not in page
    assert "Тестовый отчёт" in page  # the procedure's name too


def test_the_language_switch_returns_to_the_same_stage(db, client, auth):
    issuer = make_issuer(db)
    _, url = create_application(client, auth, issuer)
    r = client.post("/language", data={"lang": "en", "next": f"{url}?stage=issuer"})
    assert r.headers["Location"].endswith(f"{url}?stage=issuer")
    post_stage(client, url, "issuer", ISSUER_STAGE)
    r = post_stage(client, url, "issuer", ISSUER_STAGE, headers={"HX-Request": "true"})
    assert r.headers["HX-Push-Url"].endswith(f"{url}?stage=placement")  # what portal.js sends


# --- 13 without JavaScript ------------------------------------------------------------------

def test_a_comment_continues_at_its_field_and_has_its_own_page(db, client, auth):
    issuer, _, url = _sent_to_head(db, client, auth)
    auth.login(issuer.head.email)
    summary = client.get(f"{url}?stage=summary").data.decode()
    assert "<details class=\"comment-box\"" not in summary
    link = f"{url}/fields/name/comments"
    assert f'href="{link}" data-fold="comment-box-name"' in summary
    page = client.get(link)
    assert page.status_code == 200 and 'name="text"' in page.data.decode()
    r = client.post(f"{url}/comments", data={"field": "name", "text": "Толық атауы."})
    assert r.status_code == 302 and r.headers["Location"].endswith("stage=summary#field-name")
    assert client.get(f"{url}/fields/nothing/comments").status_code == 404


# --- 1, 10 and 14 ---------------------------------------------------------------------------

def test_enter_saves_and_controls_have_names(db, client, auth):
    issuer = make_issuer(db)
    _, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    page = client.get(f"{url}?stage=placement").data.decode()
    form = page[page.index('<form method="post" enctype="multipart/form-data"'):]
    first = re.search(r"<button[^>]*>", form).group(0)
    assert 'value="save"' in first  # the button Enter presses
    assert '<main class="content" id="content"' in page and '<nav class="menu"' in page
    assert 'class="skip-link" href="#content"' in page
    assert 'aria-label="Currency"' in page and 'aria-label="Name, row 1"' in page
    issuer_page = client.get(f"{url}?stage=issuer").data.decode()
    assert re.search(r'<fieldset class="field field-yesno[^>]*>\s*<legend>', issuer_page)


def test_clients_see_no_definition_notes_or_version(db, client, auth):
    issuer, _, url = _sent_to_head(db, client, auth)
    auth.login(issuer.author.email)
    page = client.get(f"{url}?stage=summary").data.decode()
    assert "Procedure version" not in page and "Notes on the definition" not in page
    assert page.count("Summary of the application") == 2  # the stage list and its heading
    assert "The exchange — Review: 8 working days" in page  # who must do what
    assert "<h4>Placement</h4>" not in page  # a form named as its stage is not titled twice


def test_check_before_sending_says_whose_problems_they_are(db, client, auth):
    issuer = make_issuer(db)
    _, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    html = client.get(f"{url}?stage=summary&check=1").data.decode()
    assert "Check before sending: " in html and "problems" in html
    assert "Yours to fix" in html
    assert "For the financial adviser to fix (assign the adviser" in html
    mine = html[html.index("Yours to fix"):html.index("For the financial adviser to fix")]
    assert "Conclusion" not in mine and "Start date" in mine
