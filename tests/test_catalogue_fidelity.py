"""The catalogue says what the two regulations say (issue 13): each test names the clause it
checks and fails on a catalogue that contradicts it."""
import csv
from pathlib import Path

import pytest
import yaml

from portal.domain.procedures.catalogue import load_catalogue
from portal.domain.procedures.rules import passes
from portal.domain.procedures.runtime import Runtime, required, visible_items

DATA = Path(__file__).with_name("data")
CATALOGUE = load_catalogue()
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.exists(), reason="the seeds are beside the project only "
                                                                "in a full checkout")


def procedure(code):
    return CATALOGUE[code].procedure


def item(code, item_id):
    found = Runtime(procedure(code)).item(item_id)
    assert found is not None, f"{code} has no item {item_id}"
    return found


def filled(code, **changes):
    values = yaml.safe_load((DATA / "filled" / f"{code}.yaml").read_text(encoding="utf-8"))
    return dict(values, **changes)


def failing(code, values):
    return {rule.id for rule in procedure(code).rules if not passes(rule, values)}


# 1. 003 p.12-1: at issue and placement no money or securities in a mortgage bond's collateral

def kzt(amount):
    return {"amount": str(amount), "currency": "KZT"}


COLLATERAL = ("collateral_money", "collateral_gov_securities", "collateral_foreign_securities",
              "collateral_category_a")


def test_registration_refuses_any_money_or_securities_in_mortgage_collateral():
    code = "bond-issue-registration"
    base = filled(code, is_mortgage=True, i42_1_security="secured", collateral_total=kzt(1000),
                  **{part: kzt(0) for part in COLLATERAL})
    clean = failing(code, base)
    for part in COLLATERAL:  # 0.1 % of the collateral: under the circulation cap of 20 %, still refused
        assert failing(code, dict(base, **{part: kzt(1)})) - clean, part


# 2. 004 prospectus item 36 has a Kazakh text (004 line 1563): the seed's, not a translation

P36_KK = ("Эмитент инвестициялық жобада акцияларды (қатысу үлестерін) оригинаторға сенімгерлік "
          "басқаруға берген жағдайда, осы акцияларды (қатысу үлестерін) беру тәртібі мен мерзімі "
          "көрсетіледі.")


def checklist():
    with (DATA / "seed-items-checklist.tsv").open(encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh, delimiter="\t")}


def test_item_36_shows_the_kazakh_seed_text_and_nothing_calls_it_absent():
    code = "islamic-issue-registration"
    assert item(code, "i36").label.kk == P36_KK
    assert not [n.id for n in procedure(code).notes if "36" in n.text.en and "only" in n.text.en]
    row = checklist()["004-P-36"]
    assert row["source"].endswith("(kk:L1563)") and "missing in KZ" not in row["en_title"]


# 3. 004 p.13: one refusal ground, verbatim (Russian line 120, Kazakh line 874)

def squeeze(text):
    return " ".join(text.split())


P13_RU = ("13. Уполномоченный орган отказывает в государственной регистрации выпуска исламских "
          "ценных бумаг, изменений и (или) дополнений в проспект выпуска исламских ценных бумаг в "
          "случае нарушения эмитентом условий и порядка представления документов на государственную "
          "регистрацию выпуска исламских ценных бумаг, изменений и (или) дополнений в проспект выпуска "
          "исламских ценных бумаг и выявления в процессе рассмотрения документов их несоответствия "
          "требованиям, установленным законодательством Республики Казахстан о рынке ценных бумаг.")
P13_KK = ("13. Уәкілетті орган эмитент исламдық бағалы қағаздар шығаруды мемлекеттік тiркеуге, исламдық "
          "бағалы қағаздар шығарылымының проспектісіне өзгерістерді және (немесе) толықтыруларды "
          "тіркеуге құжаттарды ұсыну талаптары мен тәртібін бұзған және құжаттарды қарау барысында "
          "олардың Қазақстан Республикасының бағалы қағаздар рыногы туралы заңнамасында белгiленген "
          "талаптарға сәйкес келмегені анықталған жағдайда исламдық бағалы қағаздар шығаруды "
          "мемлекеттiк тiркеуден, исламдық бағалы қағаздар шығарылымының проспектісіне өзгерістерді "
          "және (немесе) толықтыруларды тіркеуден бас тартады.")


@pytest.mark.parametrize("code", ["islamic-issue-registration", "islamic-prospectus-amendments"])
def test_the_refusal_ground_of_p13_is_one_and_verbatim(code):
    grounds = procedure(code).refusal_grounds
    assert len(grounds) == 1
    assert squeeze(grounds[0].text.ru) == P13_RU and squeeze(grounds[0].text.kk) == P13_KK
    assert (grounds[0].ref == "004-R-13") == (code == "islamic-issue-registration")


# 4. 003 Appendix 1, closing paragraph (Russian line 894, Kazakh line 340): each copy of the
# prospectus is bound with the financial statements, so the package has slots for them

def test_the_registration_package_has_the_financial_statements_of_appendix_1():
    code = "bond-issue-registration"
    runtime = Runtime(procedure(code))
    slots = [i for i in runtime.items.values() if getattr(i, "type", None) == "file"
             and runtime.field_stage[i.id] == "documents"]
    wanted = {"Годовые финансовые отчетности эмитента за два последних финансовых года": "annual",
              "Аудиторские отчеты": "audit",
              "по состоянию на конец последнего месяца перед подачей документов": "month"}
    found = {key: [s.id for s in slots if phrase in s.label.ru and s.required]
             for phrase, key in wanted.items()}
    assert all(found.values()), found


# 5. 003 pp.11-12: the minimum rating read once; a bank's mortgage issue needs none (p.12 1))

RATING = {  # the answers and rating fields of each procedure the clause applies to
    "bond-issue-registration": dict(circulating={"is_subsequent_issue": True,
                                                 "has_bonds_in_circulation": True,
                                                 "is_financial_org": True},
                                    agency="issuer_rating_agency", rating="issuer_rating"),
    "bond-issue-in-programme": dict(circulating={"earlier_bonds_circulating": True},
                                    agency="rating_agency", rating="rating"),
    "short-term-bond-registration": dict(circulating={"earlier_bonds_circulating": True},
                                         agency="rating_agency", rating="rating"),
}


def rating_failures(code, **answers):
    spec = RATING[code]
    values = filled(code, **spec["circulating"], **answers,
                    **{spec["agency"]: "sp", spec["rating"]: "CCC"})
    kinds = {rule.id: rule.kind for rule in procedure(code).rules}
    return {rid for rid in failing(code, values) if kinds[rid] == "rating"}


@pytest.mark.parametrize("code", sorted(RATING))
def test_the_minimum_rating_is_read_the_same_way_in_the_three_procedures(code):
    assert not rating_failures(code, is_bank=True, is_mortgage=True)
    assert rating_failures(code, is_bank=True, is_mortgage=False)
    assert rating_failures(code, is_bank=False, is_mortgage=True)
    assert rating_failures(code, is_bank=False, is_mortgage=False)
    spec = RATING[code]
    values = filled(code, **spec["circulating"], is_bank=True, is_mortgage=True)
    forms = [f for place in Runtime(procedure(code)).stages for f in place.stage.forms]
    shown = {i.id for f in forms for i in visible_items(f.items, values)}
    asked = {i for i in (spec["rating"], spec["agency"])
             if i in shown and required(item(code, i), values)}
    assert not asked, "a bank's mortgage issue is not asked for the rating"
    note = next(n for n in procedure(code).notes if n.id == "p11_p12_reading")
    assert "p.12" in note.text.en and note.text.ru and note.text.kk


# 7. 004 p.19 (lines 178-182): 12 consecutive months; the next period starts the day after

def test_islamic_placement_periods_have_exact_boundaries():
    code, length, next_day = "islamic-placement-report", "period-at-most-twelve-months", "next_period_start"
    year = filled(code, period_from="2025-01-15")
    assert length not in failing(code, dict(year, period_to="2026-01-14"))
    assert length in failing(code, dict(year, period_to="2026-01-15"))  # 12 months and a day
    later = filled(code, is_first_period=False, previous_period_end="2026-01-14")
    assert next_day not in failing(code, dict(later, period_from="2026-01-15"))
    assert next_day in failing(code, dict(later, period_from="2026-01-16"))  # a day left out
    assert next_day in failing(code, dict(later, period_from="2026-01-14"))  # a day counted twice


# 8. 004: newly created issuers are exempt only from document 3.9 (line 72), not from
# prospectus items 23 (line 638) and 32.1 (line 736)

def shown_and_required(code, values):
    forms = [f for place in Runtime(procedure(code)).stages for f in place.stage.forms]
    shown = [i for f in forms for i in visible_items(f.items, values)]
    return {i.id for i in shown}, {i.id for i in shown if hasattr(i, "required") and required(i, values)}


def test_a_newly_created_issuer_still_fills_items_23_and_32_1():
    code = "islamic-issue-registration"
    shown, needed = shown_and_required(code, filled(code, is_newly_created=True))
    assert {"i23", "i32_1"} <= needed
    assert "doc_9" not in shown  # the one exemption the seed gives
    shown, needed = shown_and_required(code, filled(code, is_newly_created=False,
                                                    annual_fs_on_depository=False))
    assert {"i23", "i32_1", "doc_9"} <= needed


# 9. 004 pp.16.1, 21.1, 31.1: signed by an authorised person "with a copy of the confirming
# document": a slot for it whenever the signatory is not the head of the executive body

@pytest.mark.parametrize("code", ["islamic-placement-report", "islamic-redemption-report",
                                  "islamic-issue-annulment"])
def test_an_authorised_signatory_attaches_the_confirming_document(code):
    slot = item(code, "doc_1_auth")
    assert slot.type == "file"
    shown, needed = shown_and_required(code, filled(code, signer_is_head=False))
    assert "doc_1_auth" in needed
    shown, needed = shown_and_required(code, filled(code, signer_is_head=True))
    assert "doc_1_auth" not in shown


# 10. 004 p.22 2): the Kazakh text asks for the issuer's and the originator's registration data

def test_the_redemption_report_asks_for_the_originators_registration_too():
    code = "islamic-redemption-report"
    section = item(code, "issuer_registration")
    fields = {i.id: i for i in section.items}
    assert {"originator_reg_date", "originator_reg_body"} <= set(fields)
    assert fields["originator_reg_date"].type == "date" and fields["originator_reg_date"].required
    assert fields["originator_reg_body"].required
    note = next(n for n in procedure(code).notes if n.id == "kk_p22_2")
    assert fields["originator_reg_date"].help == note.text  # the user sees why, on the item


# 12. 004 prospectus item 17: "Требования настоящего пункта не распространяются на акционерные
# общества" (line 616) closes the item, after 17.5, as in the source

def test_item_17_closing_sentence_follows_the_item():
    code = "islamic-issue-registration"
    form = next(f for place in Runtime(procedure(code)).stages for f in place.stage.forms
                if any(i.id == "i17" for i in f.items))
    ids = [i.id for i in form.items]
    assert ids.index("i17_p2") == ids.index("i17") + 1


# 13. 003 App.2 4) (line 921): accrual start, periodicity and dates of payment are asked of
# coupon bonds only

def test_discount_bonds_in_a_programme_are_not_asked_for_coupon_dates():
    code = "bond-issue-in-programme"
    coupon_only = {"i4_b_accrual_start", "i4_b_periodicity", "i4_b_dates", "i4_b_terms"}
    without = {k: v for k, v in filled(code).items() if k not in coupon_only}
    _, needed = shown_and_required(code, dict(without, i1_income="discount"))
    assert not coupon_only & needed
    _, needed = shown_and_required(code, dict(without, i1_income="coupon"))
    assert coupon_only <= needed


# 14. 003 p.10 (line 598): six months without a placed bond make the issuer notify; the notice
# covers those six months. The Rules set no time limit for it.

def test_the_no_placement_notice_covers_six_months_and_has_no_filing_deadline():
    code = "bond-no-placement-notice"
    proc = procedure(code)
    assert not proc.deadlines and not [p for p in proc.processes if p.deadline]
    assert [p.id for p in proc.provisions if p.ref == "003-R-10"]
    values = filled(code, period_start="2004-03-01")
    assert not failing(code, dict(values, period_end="2004-09-01"))
    assert failing(code, dict(values, period_end="2004-08-31"))
    assert failing(code, dict(values, period_end="2004-09-02"))


# 15. Types: amounts and percentages are numbers with bounds; the RNN line takes a BIN or an
# RNN, each with its check digit; guarantors and consultants are as many as there are

def column(code, table_id, column_id):
    return next(c for c in item(code, table_id).columns if c.id == column_id)


@pytest.mark.parametrize("code,table,col,ref", [
    ("short-term-bond-registration", "t_rows", "remuneration", "003-A3-t.c3"),
    ("islamic-issue-registration", "i15", "subsidiaries_pct", "004-P-15.4"),
])
def test_percentage_columns_are_bounded_numbers(code, table, col, ref):
    cell = column(code, table, col)
    assert cell.ref == ref and cell.type == "percent"
    rows = filled(code)[table]
    row = dict(rows[0])
    for value, ok in (("0", True), ("100", True), ("100.5", False), ("-1", False)):
        values = filled(code, **{table: [dict(row, **{col: value})] + rows[1:]})
        assert bool(failing(code, values)) != ok, value


def test_the_commission_of_p6_5_is_a_bounded_percentage():
    field = item("islamic-issue-registration", "i6_5")
    assert field.type == "percent" and field.min == 0 and field.max == 100


@pytest.mark.parametrize("number,ok", [("040340001233", True),   # a BIN
                                       ("600900533808", True),   # an RNN (a check digit of its own)
                                       ("600900533809", False), ("040340001234", False)])
def test_the_taxpayer_number_line_takes_a_bin_or_an_rnn(number, ok):
    code = "bond-issue-registration"
    field = item(code, "i8")
    assert field.label.ru == "Регистрационный номер налогоплательщика." and "БИН" in field.help.ru
    assert bool(failing(code, filled(code, i8=number))) != ok


@pytest.mark.parametrize("code,table,ref", [("bond-issue-registration", "i44_4_c", "003-A1-44.4-c"),
                                            ("islamic-issue-registration", "i31", "004-P-31")])
def test_guarantors_and_consultants_are_tables(code, table, ref):
    field = item(code, table)
    assert field.type == "table" and field.ref == ref and field.min_rows == 1


# 11. Deadline labels and rule messages quote their clause (Kazakh and Russian)

def seed_lines(ref):
    """The Russian and the Kazakh line of a checklist ref, whitespace squeezed."""
    import re
    row = checklist()[ref]
    name, ru, kk = re.match(r"(\S+?):L(\d+) \(kk:L(\d+)\)", row["source"]).groups()
    lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
    return {"ru": squeeze(lines[int(ru) - 1]), "kk": squeeze(lines[int(kk) - 1])}


def quoted(text, line):
    """text is the line's own words: a piece of it, the first letter's case and the end aside."""
    text = squeeze(text).rstrip(".;:")
    return text in line or text[:1].lower() + text[1:] in line


def deadlines(code):
    proc = procedure(code)
    return list(proc.deadlines) + [p.deadline for p in proc.processes if p.deadline]


DEADLINE_REFS = {"004-R-13-p2": "islamic-issue-registration", "004-R-15-p2": "islamic-certificate-duplicate",
                 "004-R-19-p5": "islamic-placement-report", "004-R-20": "islamic-placement-report",
                 "004-R-23": "islamic-redemption-report", "004-R-24": "islamic-redemption-report",
                 "004-R-29": "islamic-placement-report", "004-R-33": "islamic-issue-annulment",
                 "004-R-35-p2": "islamic-issue-annulment", "004-R-37-p3": "islamic-annulment-duplicate"}
MESSAGE_REFS = {"004-R-3-p6": "islamic-issue-registration", "004-R-4": "islamic-issue-registration",
                "004-R-5": "islamic-issue-registration", "004-R-32": "islamic-issue-annulment"}


@needs_seeds
@pytest.mark.parametrize("ref", sorted(DEADLINE_REFS))
def test_deadline_labels_quote_the_clause(ref):
    deadline = next(d for d in deadlines(DEADLINE_REFS[ref]) if d.ref == ref)
    line = seed_lines(ref)
    for lang in ("kk", "ru"):
        assert quoted(getattr(deadline.label, lang), line[lang]), lang


@needs_seeds
@pytest.mark.parametrize("ref", sorted(MESSAGE_REFS))
def test_rule_messages_quote_the_clause(ref):
    rule = next(r for r in procedure(MESSAGE_REFS[ref]).rules if r.ref == ref)
    line = seed_lines(ref)
    for lang in ("kk", "ru"):
        assert quoted(getattr(rule.message, lang), line[lang]), lang


@pytest.mark.parametrize("code,twin", [("islamic-prospectus-amendments", "004-R-13-p2"),
                                       ("islamic-redemption-report", "004-R-29")])
def test_a_deadline_repeated_without_its_ref_has_the_same_words(code, twin):
    repeated = next(d for d in deadlines(code) if d.ref is None and d.start == "refusal_received")
    original = next(d for d in deadlines(DEADLINE_REFS[twin]) if d.ref == twin)
    assert repeated.label == original.label
