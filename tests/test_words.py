"""Sums and counts in words (issue 9 item 3) against a hand-made table, Kazakh and Russian."""
import pytest

from portal.domain.documents.words import amount_text, count_text, in_words

TABLE = [
    (0, "ноль", "нөл"),
    (1, "один", "бір"),
    (11, "одиннадцать", "он бір"),
    (21, "двадцать один", "жиырма бір"),
    (100, "сто", "жүз"),
    (1_000_001, "один миллион один", "бір миллион бір"),
    (12_345_678_901,
     "двенадцать миллиардов триста сорок пять миллионов шестьсот семьдесят восемь тысяч девятьсот один",
     "он екі миллиард үш жүз қырық бес миллион алты жүз жетпіс сегіз мың тоғыз жүз бір"),
]


@pytest.mark.parametrize("number,ru,kk", TABLE)
def test_numbers_in_words(number, ru, kk):
    assert in_words(number, "ru") == ru
    assert in_words(number, "kk") == kk


def test_counts_and_amounts_show_figures_and_words():
    assert count_text(1_000_001, "ru") == "1\u00a0000\u00a0001 (один миллион один)"
    assert amount_text("10000.00", "kk") == "10\u00a0000 (он мың) теңге"
    assert amount_text("21.05", "ru") == "21 (двадцать один) тенге 05 тиын"
    assert count_text("abc", "ru") == "abc"
