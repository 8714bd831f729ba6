"""The catalogue says what the two regulations say (issue 13): each test names the clause it
checks and fails on a catalogue that contradicts it."""
import csv
import re
from pathlib import Path

import pytest
import yaml

from portal.domain.procedures.catalogue import load_catalogue, procedure_items, walk_items
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


def squeeze(text):
    return " ".join(text.split())


def checklist():
    with (DATA / "seed-items-checklist.tsv").open(encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh, delimiter="\t")}


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
    for part in COLLATERAL:  # 0.1 % of the collateral: under the 20 % cap, still refused
        assert failing(code, dict(base, **{part: kzt(1)})) - clean, part


# 2. 004 prospectus item 36 has a Kazakh text (004 line 1563): the seed's, not a translation

P36_KK = ("Эмитент инвестициялық жобада акцияларды (қатысу үлестерін) оригинаторға сенімгерлік "
          "басқаруға берген жағдайда, осы акцияларды (қатысу үлестерін) беру тәртібі мен мерзімі "
          "көрсетіледі.")


def test_item_36_shows_the_kazakh_seed_text_and_nothing_calls_it_absent():
    code = "islamic-issue-registration"
    assert item(code, "i36").label.kk == P36_KK
    assert not [n.id for n in procedure(code).notes if "36" in n.text.en and "only" in n.text.en]
    row = checklist()["004-P-36"]
    assert row["source"].endswith("(kk:L1563)") and "missing in KZ" not in row["en_title"]


# 3. 004 p.13: one refusal ground, verbatim (Russian line 120, Kazakh line 874)

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


# 6. Each language shows its own seed's text verbatim; where the versions differ in substance the
# form follows one of them and the note, on the procedure page and on the item, says what differs

def seed_parts():
    """Each seed's Kazakh and Russian text, whitespace squeezed and table rules dropped."""
    parts = {}
    for seed, split, kazakh_first in (("003", 540, True), ("004", 780, False)):
        name = next(SEEDS.glob(f"{seed}_*.txt"))
        lines = name.read_text(encoding="utf-8").replace("|", " ").splitlines()
        first, second = unbroken(" ".join(lines[:split])), unbroken(" ".join(lines[split:]))
        parts[seed] = {"kk": first, "ru": second} if kazakh_first else {"ru": first, "kk": second}
    return parts


def near_line(ref, lang, span=15):
    """The seed's text from the checklist line of ref on (a table's cell runs over lines)."""
    row = checklist()[ref]
    name, ru, kk = re.match(r"(\S+?):L(\d+) \(kk:(?:L(\d+)|absent)\)", row["source"]).groups()
    number = ru if lang == "ru" else kk
    if number is None:
        return None
    lines = (SEEDS / name).read_text(encoding="utf-8").replace("|", " ").splitlines()
    return unbroken(" ".join(lines[int(number) - 1:int(number) - 1 + span]))


def unbroken(text):
    """Squeezed, with words a table cell hyphenates over two lines joined (идентифи- кационных)."""
    return re.sub(r"(\w)- (\w)", r"\1\2", squeeze(text))


def verbatim(text, seed_text):
    """text stands in seed_text as whole words, its own numbering, end and letter case aside; a
    text that introduces a quotation («…») with words of its own is judged by the quotation."""
    quotations = [q for q in re.findall(r"«([^«»]+)»", text) if len(q.split()) >= 3]
    if quotations and not text.lstrip().startswith("«"):
        return all(verbatim(q, seed_text) for q in quotations)
    core = re.sub(r"^(\d+(-\d+)?(\.\d+)*[.)]|\d+(-\d+)?\))\s+", "", squeeze(text)).rstrip(".;:, ")
    whole_words = r"(?<!\w)" + re.escape(core.casefold()) + r"(?!\w)"
    return re.search(whole_words, seed_text.casefold()) is not None


SEED_PROCEDURES = sorted(code for code, entry in CATALOGUE.items() if not entry.procedure.sample)
# ref'd texts that cannot stand in the seed as they are, and why
NOT_A_QUOTE = {
    "003-A3-t": "the table's header: its four column titles in one label",
    "004-C1-8": "a certificate form line: the words around its blank",
    "004-C2-7": "a certificate form line: the words around its blank and the caption under it",
    "004-C2-9": "a certificate form line: the words around its blank and the caption under it",
    "004-C2-11": "a certificate form line: the words around its blank and the caption under it",
    "004-C2-12": "a certificate form line: the words around its blank and the caption under it",
    "004-C2-13": "a certificate form line: the words around its blank and the caption under it",
}
NOT_A_QUOTE_IN = {("003-A3-5", "kk"): "the seed breaks the cell's words with full stops (нөмір. лерін)"}


def quoted_texts(proc):
    """(ref, where, texts) for every text the catalogue gives as the regulation's own words."""
    for it in procedure_items(proc):
        if it.ref:
            yield it.ref, it.id, [getattr(it, "label", None) or getattr(it, "text", None),
                                  getattr(it, "help", None)]
        for col in getattr(it, "columns", None) or ():
            if col.ref:
                yield col.ref, f"{it.id}.{col.id}", [col.label]
    for ground in proc.provisions + proc.refusal_grounds + [o for o in proc.outputs if o.ref]:
        yield ground.ref, ground.id, [ground.text]
    for deadline in deadlines_of(proc):
        if deadline.ref:
            yield deadline.ref, "deadline", [deadline.label]


def deadlines_of(proc):
    return list(proc.deadlines) + [p.deadline for p in proc.processes if p.deadline]


@needs_seeds
@pytest.mark.parametrize("code", SEED_PROCEDURES)
def test_every_quoted_text_is_the_seeds_own_in_each_language(code):
    parts = seed_parts()["004" if code.startswith("islamic") else "003"]
    wrong = []
    for ref, where, texts in quoted_texts(procedure(code)):
        if ref in NOT_A_QUOTE:
            continue
        for lang in ("kk", "ru"):
            seed_text = near_line(ref, lang) if ref else parts[lang]
            if seed_text is None or (ref, lang) in NOT_A_QUOTE_IN:
                continue
            if not any(t and verbatim(getattr(t, lang), seed_text) for t in texts):
                shown = squeeze(getattr(texts[0], lang))[:80]
                wrong.append(f"{ref or where} ({where}) {lang}: {shown}")
    assert not wrong, "\n".join(wrong)


@needs_seeds
@pytest.mark.parametrize("code", SEED_PROCEDURES)
def test_the_regulations_explanations_are_quoted_verbatim(code):
    """003 App.1 explains its items in sentences opening 'Осы тармақта' / 'В данном пункте'."""
    parts = seed_parts()["004" if code.startswith("islamic") else "003"]
    openings = {"kk": "Осы тармақта", "ru": "В данном пункте"}
    wrong = []
    for it in procedure_items(procedure(code)):
        for text in (getattr(it, "help", None), getattr(it, "text", None)):
            for lang, opening in openings.items():
                if text and getattr(text, lang).startswith(opening) \
                        and not verbatim(getattr(text, lang), parts[lang]):
                    wrong.append(f"{it.id} {lang}: {getattr(text, lang)[:80]}")
    assert not wrong, "\n".join(wrong)


# the 003 Kazakh texts the issue names, as the Kazakh seed has them
KAZAKH = {
    ("bond-issue-registration", "p1"): "Заңның 12-бабында белгіленген құжаттарды ұсынады. Облигациялар "
    "шығарылымының (облигациялық бағдарлама) проспектісі осы Ереженің 1-қосымшасына сәйкес нысан бойынша "
    "қағаз тасымалдағышта (мемлекеттік және орыс тілдерінде) екі дана етіп және Acrobat Reader форматында "
    "(қоғамның қаржылық есебінсіз) электрондық тасымалдағышта бір дана етіп жасалады.",
    ("bond-issue-in-programme", "doc_2"): "проспектісін қағаз тасымалдағышта екі дана етіп және Acrobat "
    "Reader форматында",
    ("short-term-bond-registration", "doc_2"): "осы Ереженің 2-қосымшасына сәйкес нысан бойынша жасалған "
    "сұрату",
    ("bond-issue-registration", "i31"): "Баланстық құны материалдық емес активтердің жалпы баланстық "
    "құнының бес және одан көп процентін құрайтын материалдық активтердің түрлері.",
    ("bond-issue-registration", "i44_4_1"): "инфрақұрылымдық облигацияларды шығарған кезде жалға беру "
    "шартының көшірмесі ұсынылады",
    ("short-term-bond-registration", "a7"): "Шығарылымның құны",
}


@pytest.mark.parametrize("code,item_id", sorted(KAZAKH))
def test_the_named_kazakh_texts_are_the_seeds(code, item_id):
    found = item(code, item_id)
    text = squeeze((getattr(found, "text", None) or found.label).kk)
    assert KAZAKH[code, item_id] in text
    if code == "bond-issue-registration" and item_id == "p1":
        assert text.endswith("жасалады.")  # the Russian text's last sentence is not the Kazakh's


# where the versions differ in substance, the item shows the note: {procedure: [(note, item)]}
ON_THE_ITEM = {
    "bond-issue-registration": [
        ("kk_ru_p1", "p1"), ("kk_ru_16_4", "i16_4"), ("kk_ru_17_22", "i17"), ("kk_ru_17_22", "i22"),
        ("kk_ru_19_1", "i19_1"), ("kk_ru_23", "i23"), ("kk_ru_31", "i31"), ("kk_ru_36", "i36"),
        ("kk_ru_37", "i37"), ("kk_ru_41_4", "i41_4"), ("kk_ru_44_4_1", "i44_4_1"),
        ("kk_ru_44_6_1", "i44_6_1"), ("kk_ru_12_1_4", "collateral_category_a"),
        ("kk_ru_a1_binding", "doc_5")],
    "bond-issue-in-programme": [("kk_p2_languages", "doc_2")],
    "short-term-bond-registration": [("kk_p4_appendix", "doc_2"), ("kk_a3_volume", "a7")],
    "bond-placement-report": [("kk_a4_8_2", "i8_2")],
    "bond-redemption-report": [("kk_a5_5_2", "i5_2")],
    "islamic-redemption-report": [("kk_p22_2", "originator_reg_date")],
    "islamic-issue-registration": [
        ("kk_location", "i2"), ("kk_location", "i3_7"), ("kk_currency", "i4_5"), ("kk_27_3", "i27"),
        ("kk_segregated", "i33_3"), ("kk_segregated", "i33_4"), ("kk_segregated", "i34")],
    "islamic-issue-annulment": [("kk_p31_3", "doc_3")],
}


def siblings(code, item_id):
    """The list of items that holds item_id (a form's, a section's)."""
    forms = [f for place in Runtime(procedure(code)).stages for f in place.stage.forms]
    for items in [f.items for f in forms] + [i.items for f in forms for i in walk_items(f.items)
                                             if getattr(i, "kind", "") == "section"]:
        if any(i.id == item_id for i in items):
            return items
    raise LookupError(item_id)


@pytest.mark.parametrize("code,note_id,item_id", [(code, note, item_id) for code, pairs
                                                  in ON_THE_ITEM.items() for note, item_id in pairs])
def test_a_difference_between_the_versions_is_told_on_the_item(code, note_id, item_id):
    note = next(n for n in procedure(code).notes if n.id == note_id).text
    found = item(code, item_id)
    if getattr(found, "help", None) == note:
        return
    inside = getattr(found, "items", None) or []
    around = siblings(code, item_id)
    after = around[[i.id for i in around].index(item_id) + 1:][:1]
    told = [i for i in list(inside[:1]) + after if getattr(i, "kind", "") == "text" and i.text == note]
    assert told, f"{item_id} shows neither as its help nor in a note beside it the note {note_id}"


# 7. 004 p.19 (lines 178-182): 12 consecutive months; the next period starts the day after

def test_islamic_placement_periods_have_exact_boundaries():
    code = "islamic-placement-report"
    length, next_day = "period-at-most-twelve-months", "next_period_start"
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
    needed = {i.id for i in shown if hasattr(i, "required") and required(i, values)}
    return {i.id for i in shown}, needed


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


# 11. Deadline labels and rule messages quote their clause (Kazakh and Russian)

DEADLINE_REFS = {"004-R-13-p2": "islamic-issue-registration",
                 "004-R-15-p2": "islamic-certificate-duplicate",
                 "004-R-19-p5": "islamic-placement-report", "004-R-20": "islamic-placement-report",
                 "004-R-23": "islamic-redemption-report", "004-R-24": "islamic-redemption-report",
                 "004-R-29": "islamic-placement-report", "004-R-33": "islamic-issue-annulment",
                 "004-R-35-p2": "islamic-issue-annulment",
                 "004-R-37-p3": "islamic-annulment-duplicate"}
MESSAGE_REFS = {"004-R-3-p6": "islamic-issue-registration", "004-R-4": "islamic-issue-registration",
                "004-R-5": "islamic-issue-registration", "004-R-32": "islamic-issue-annulment"}


@needs_seeds
@pytest.mark.parametrize("ref", sorted(DEADLINE_REFS))
def test_deadline_labels_quote_the_clause(ref):
    deadline = next(d for d in deadlines_of(procedure(DEADLINE_REFS[ref])) if d.ref == ref)
    for lang in ("kk", "ru"):
        assert verbatim(getattr(deadline.label, lang), near_line(ref, lang, span=1)), lang


@needs_seeds
@pytest.mark.parametrize("ref", sorted(MESSAGE_REFS))
def test_rule_messages_quote_the_clause(ref):
    rule = next(r for r in procedure(MESSAGE_REFS[ref]).rules if r.ref == ref)
    for lang in ("kk", "ru"):
        assert verbatim(getattr(rule.message, lang), near_line(ref, lang, span=1)), lang


@pytest.mark.parametrize("code,twin", [("islamic-prospectus-amendments", "004-R-13-p2"),
                                       ("islamic-redemption-report", "004-R-29")])
def test_a_deadline_repeated_without_its_ref_has_the_same_words(code, twin):
    repeated = next(d for d in deadlines_of(procedure(code))
                    if d.ref is None and d.start == "refusal_received")
    original = next(d for d in deadlines_of(procedure(DEADLINE_REFS[twin])) if d.ref == twin)
    assert repeated.label == original.label


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
