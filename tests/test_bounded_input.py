"""Bounded input (issue 11, items 2, 5, 8, 9): text lengths, rows, entries, numbers, control
and invisible characters; bad input gets 400 or the field's message, never 500."""
import pytest
from engine_support import ISSUER_STAGE, PLACEMENT_STAGE, application, create_application, make_issuer, post_stage
from werkzeug.datastructures import MultiDict

from portal.domain import numbers
from portal.domain.procedures.definitions import DynamicItem, FieldItem
from portal.domain.procedures.limits import LINE_LENGTH, MAX_ENTRIES, TEXTAREA_LENGTH
from portal.domain.procedures.values import parse_scalar, read_field
from portal.domain.text import clean

LABEL = {"kk": "Ә", "ru": "Я", "en": "A"}
KAZAKH = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
KAZAKH_ALL = KAZAKH + KAZAKH.lower()


def _field(**kw):
    return FieldItem(id="x", label=LABEL, **kw)


def _stage_data(db, app_id, stage):
    return {s.stage_id: s for s in application(db, app_id).stages}[stage].data


# --- item 9: invisible characters by category, Kazakh letters intact -----------------------

@pytest.mark.parametrize("char", ["\u061c", "\ufeff", "\u2060", "\u00ad", "\u2028", "\u2029",
                                  "\u180e", "\u3164", "\u115f", "\U000e0041", "\U000e007f",
                                  "\u200b", "\u200d", "\u202e", "\u2066", "\x00", "\x1b"])
def test_invisible_characters_are_stripped(char):
    assert clean(f"Ә{char}б{char}") == "Әб"


def test_every_kazakh_letter_survives_cleaning_and_a_stage(db, client, auth):
    assert len(set(KAZAKH_ALL)) == 84  # 42 letters, both cases
    assert clean(KAZAKH_ALL) == KAZAKH_ALL
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    r = post_stage(client, url, "issuer", dict(ISSUER_STAGE, **{"f.name": KAZAKH_ALL + "\u2060\u3164"}),
                   action="save")
    assert r.status_code == 302
    assert _stage_data(db, app_id, "issuer")["name"] == KAZAKH_ALL


def test_textareas_keep_line_breaks():
    assert clean("а\r\nә\tб\u2028") == "а\r\nә\tб"


# --- item 8: single-line fields refuse control characters ----------------------------------

@pytest.mark.parametrize("raw", ["Name\r\n\r\nYour password expired", "a\tb", "a\x1b[31m", "a\u2028b"])
def test_single_line_procedure_fields_refuse_control_characters(raw):
    value, error = parse_scalar("text", raw)
    assert error == ("control", {})
    assert "\n" not in value and "\r" not in value and "\u2028" not in value
    assert parse_scalar("textarea", "one\r\ntwo") == ("one\r\ntwo", None)


def test_a_line_break_in_a_stage_field_gets_the_fields_message(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    r = post_stage(client, url, "issuer", dict(ISSUER_STAGE, **{"f.name": "АҚ\r\nFake line"}))
    assert r.status_code == 422
    assert b"Line breaks and control characters are not allowed here." in r.data
    assert "\n" not in _stage_data(db, app_id, "issuer")["name"]


# --- item 2: lengths, rows and entries bounded ---------------------------------------------

def test_default_lengths_per_type_and_overrides():
    assert _field(type="text").length_limit == LINE_LENGTH == 2000
    assert _field(type="textarea").length_limit == TEXTAREA_LENGTH == 20000
    assert _field(type="textarea", max_length=500).length_limit == 500
    with pytest.raises(ValueError):
        _field(type="text", max_length=0)


def test_a_too_long_value_is_cut_and_gets_the_message(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    r = post_stage(client, url, "issuer", dict(ISSUER_STAGE, **{"f.name": "Ә" * (LINE_LENGTH + 1)}))
    assert r.status_code == 422
    assert b"At most 2000 characters." in r.data
    assert len(_stage_data(db, app_id, "issuer")["name"]) == LINE_LENGTH


def test_a_huge_urlencoded_post_is_refused_before_it_is_read(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    r = post_stage(client, url, "issuer", dict(ISSUER_STAGE, **{"f.name": "x" * (3 * 1024 * 1024)}),
                   action="save")
    assert r.status_code == 413
    assert b"too large" in r.data
    assert all(not s.data for s in application(db, app_id).stages)


def test_an_upload_endpoint_takes_a_bigger_multipart_body(app, db, client, auth):
    import io

    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart
    issuer = make_issuer(db)
    _app_id, url = create_application(client, auth, issuer)
    fields = MultiDict(dict(ISSUER_STAGE, action="save"))
    # a file part (not form memory); encoded here, so the test client keeps no temporary file
    fields.add("f.padding", FileStorage(io.BytesIO(b"x" * (3 * 1024 * 1024)), "big.bin"))
    boundary, body = encode_multipart(fields)
    r = client.post(f"{url}/stages/issuer", data=body,
                    content_type=f"multipart/form-data; boundary={boundary}")
    assert r.status_code == 302
    assert app.config["MAX_CONTENT_LENGTH"] < 3 * 1024 * 1024 < app.config["MAX_UPLOAD_LENGTH"]


def test_table_rows_are_bounded():
    table = _field(type="table", max_rows=3, columns=[{"id": "c", "label": LABEL}])
    form = MultiDict({"f.x.rows": "500", **{f"f.x.{r}.c": f"row {r}" for r in range(500)}})
    rows, errors = read_field(table, form, "f.", None, None)
    assert len(rows) == 3
    assert errors == [("x", ("max_rows", {"max": 3}))]
    assert _field(type="table", columns=[{"id": "c", "label": LABEL}]).max_rows == 100


def test_a_row_count_that_is_no_number_keeps_the_saved_rows(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    assert post_stage(client, url, "placement", PLACEMENT_STAGE).status_code == 302
    for bad in ("abc", "²", "-1", "922337203685477580123"):
        r = post_stage(client, url, "placement", dict(PLACEMENT_STAGE, **{"f.holders.rows": bad}))
        assert r.status_code == 422, bad
        assert b"did not arrive as the page sent it" in r.data
        assert _stage_data(db, app_id, "placement")["holders"][0]["holder"] == "Бірінші ұстаушы"


def test_dynamic_entries_are_bounded(db, client, auth):
    assert DynamicItem(id="d", label=LABEL, levels=[LABEL],
                       tree=[{"value": "a", "label": LABEL, "items": []}]).max_entries == MAX_ENTRIES
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer, code="test-listing", category="listing")
    premium = {"chain.securities.0": "main", "chain.securities.1": "shares", "chain.securities.2": "premium"}
    for n in range(MAX_ENTRIES):
        r = post_stage(client, url, "requirements", dict(premium, **{"chain.securities.key": "KZ2C00000081"}),
                       action="add:securities")
        assert r.status_code == 302, n  # added: post/redirect/get
    r = post_stage(client, url, "requirements", dict(premium, **{"chain.securities.key": "KZ2C00000081"}),
                   action="add:securities")
    assert r.status_code == 422
    assert f"At most {MAX_ENTRIES} items.".encode() in r.data
    assert len(_stage_data(db, app_id, "requirements")["securities"]) == MAX_ENTRIES


# --- item 5: numbers parsed in one place ---------------------------------------------------

@pytest.mark.parametrize("raw", ["²", "٣", "1e3", "-1", "+1", " 1", "1.0", "", "9" * 19, None, 5])
def test_whole_numbers_are_ascii_digits_within_range(raw):
    assert numbers.whole(raw) is None


def test_whole_number_bounds():
    assert numbers.whole("007") == 7
    assert numbers.whole("10", high=9) is None and numbers.whole("0", low=1) is None


@pytest.mark.parametrize("raw", ["NaN", "sNaN", "-nan", "Infinity", "-Inf", "1e999999", "٣", "1.2.3",
                                 "1" * 19])
@pytest.mark.parametrize("kind", ["decimal", "percent", "integer"])
def test_no_nan_infinity_exponents_or_foreign_digits_in_numbers(kind, raw):
    value, error = parse_scalar(kind, raw)
    assert error == (kind, {})


def test_a_percentage_with_bounds_refuses_nan_with_its_message():
    share = _field(type="percent", min=0, max=100)
    for raw in ("NaN", "sNaN", "Infinity"):
        _value, errors = read_field(share, MultiDict({"f.x": raw}), "f.", None, None)
        assert errors == [("x", ("percent", {}))]
    assert read_field(share, MultiDict({"f.x": "12,5"}), "f.", None, None) == ("12.5", [])
    assert read_field(share, MultiDict({"f.x": "101"}), "f.", None, None)[1] == [("x", ("max", {"max": 100}))]


@pytest.mark.parametrize("raw", ["NaN", "sNaN", "Infinity", "1e999999"])
def test_nan_in_stage_numbers_is_the_fields_message_not_500(raw, db, client, auth):
    issuer = make_issuer(db)
    _app_id, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", ISSUER_STAGE)
    r = post_stage(client, url, "placement", dict(PLACEMENT_STAGE, **{
        "f.number": raw, "f.nominal.amount": raw, "f.holders.0.share": raw}))
    assert r.status_code == 422
    assert b"Enter a whole number." in r.data and b"Enter a percentage as a number." in r.data


@pytest.mark.parametrize("page", ["²", "922337203685477580", "-1", "0", "abc", "1e3"])
def test_a_page_number_that_is_no_page_is_a_bad_request(page, db, client, auth):
    issuer = make_issuer(db)
    auth.login(issuer.author.email)
    for path in ("/under-review", "/archive"):
        assert client.get(path, query_string={"page": page}).status_code == 400
    assert client.get("/under-review", query_string={"page": "2"}).status_code == 200


def test_identifiers_take_ascii_digits_only():
    from portal.domain.identifiers import is_bin_or_iin, is_isin
    arabic_indic = "٨٥٠١٠١٣٠٠٠٠٥"  # 850101300005 in another script's digits
    assert is_bin_or_iin("850101300005") and not is_bin_or_iin(arabic_indic)
    assert parse_scalar("iin", arabic_indic)[1] == ("iin", {})
    assert is_isin("KZ2C00000081") and not is_isin("KZ2C0000008١")
