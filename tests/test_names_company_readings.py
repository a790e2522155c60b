"""Company and organisation names read the same however they are written (issue 16, cpair):
English numbers and ordinals in words read as digits (names/numbers.py, from rigour's ordinal
table), legal forms glued to the name (SiemensAG), misspelt by one letter (Aktiengeselschaft,
JOYNT STOCK COMPANY) or with their words run together (SADE CV). Each reading is a note of the
form, shown as the match's `name_reading` feature; both the query and the listed names are read
so (`name_forms` makes the forms of both)."""

from __future__ import annotations

import pytest

from exportguard.names.normalize import name_forms
from exportguard.names.numbers import number_words, read_numbers
from exportguard.screening import DEFAULT_THRESHOLD
from exportguard.screening.pairs import compare_names


def _form(text: str):
    forms = name_forms(text)
    assert len(forms) == 1, forms
    return forms[0]


# --- numbers in words ---------------------------------------------------------------------------

def test_english_spellings_of_rigours_table_read_as_their_numbers():
    table = number_words()
    assert table[("first",)] == 1
    assert table[("three",)] == 3
    assert table[("forty", "four")] == 44
    assert table[("fortyfour",)] == 44
    assert table[("fourty", "four")] == 44  # rigour's table has the common misspelling
    assert table[("twenty", "first")] == 21
    assert table[("one", "hundred")] == 100
    # Other languages' words and Roman numerals are names too often to be read as numbers.
    for word in ("premier", "erste", "una", "segundo", "primero", "ii", "iv", "cien", "diez"):
        assert (word,) not in table, word


@pytest.mark.parametrize(("words", "read"), [
    ("brigade forty four", ["brigade", "44"]),
    ("brigade forty 4", ["brigade", "44"]),  # a tens word before a digit: one number
    ("brigade fourty four", ["brigade", "44"]),
    ("first international bank", ["1", "international", "bank"]),
    ("three percenters", ["3", "percenters"]),
    ("blue sky two", ["blue", "sky", "2"]),
])
def test_numbers_in_words_become_digits(words, read):
    tokens, notes = read_numbers(words.split())
    assert tokens == read
    assert notes and notes[0].endswith("(a number in words)")


def test_a_name_without_number_words_is_given_back_as_it_is():
    tokens = ["siemens", "ag"]
    assert read_numbers(tokens) == (tokens, ())


@pytest.mark.parametrize(("one", "other"), [
    ("1st International Bank", "First International Bank"),
    ("Brigade Forty-Four", "Brigade 44"),
    ("Brigade Forty 4", "Brigade 44"),
    ("3 Percenters", "Three Percenters"),
    ("11th Ocean GmbH & Co. KG", "ELEVENTH OCEAN GMBH & CO. KG"),
])
def test_a_number_in_words_and_in_digits_give_one_core(one, other):
    assert _form(one).tokens == _form(other).tokens


@pytest.mark.parametrize(("one", "other"), [
    ("Brigade 44", "Brigade 45"), ("Brigade Forty-Four", "Brigade Forty-Five"),
    ("1st International Bank", "2nd International Bank"),
    ("First International Bank", "Second International Bank"),
])
def test_different_numbers_stay_different_words(one, other):
    assert _form(one).tokens != _form(other).tokens


# --- legal forms --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "core", "legal"), [
    ("SiemensAG", ("siemens",), ("ag",)),
    ("AcmeGmbH", ("acme",), ("gmbh",)),
    ("NovaLLC", ("nova",), ("llc",)),
])
def test_a_legal_form_glued_to_the_name_is_read_apart(text, core, legal):
    form = _form(text)
    assert (form.tokens, form.legal_forms) == (core, legal)
    assert any("written together with the name" in note for note in form.notes)


@pytest.mark.parametrize("text", ["RusAg", "FooLtd", "McDonald", "MiG"])
def test_a_capital_inside_a_brand_is_no_legal_form(text):
    # RusAg (NS-MBS, SSI: the Russian Agricultural Bank) writes one capital: a brand, not an AG.
    form = _form(text)
    assert form.legal_forms == () and len(form.tokens) == 1


@pytest.mark.parametrize(("text", "core", "legal"), [
    ("Siemens Aktiengeselschaft", ("siemens",), ("ag",)),
    ("TACTICAL MISSILES CORPORATION JOYNT STOCK COMPANY", ("tactical", "missiles"),
     ("corp", "jsc")),
    # Misspellings the reference CSL itself carries (SDN, SSI):
    ("JOINT-STOCK COMANY KHABAROVSKIY SHIPYARD", ("khabarovskiy", "shipyard"), ("jsc",)),
    ("OPEN JOINT STOK COMPANY 'INSURANCE GROUP MCK'", ("insurance", "group", "mck"), ("jsc",)),
])
def test_a_legal_form_misspelt_by_one_letter_is_the_form(text, core, legal):
    form = _form(text)
    assert (form.tokens, form.legal_forms) == (core, legal)
    assert any(note.endswith("(a legal form misspelt)") for note in form.notes)


def test_a_word_two_letters_from_a_legal_form_stays_a_word():
    form = _form("Jaunt Stock Company Tula")  # 'jaunt' is two edits from 'joint'
    assert "jaunt" in form.tokens


@pytest.mark.parametrize("text", [
    "ACCESOS ELECTRONICOS SADE CV", "ACCESOS ELECTRONICOS S.A.DE C.V.",
    "ACCESOS ELECTRONICOS S.A. DE C.V.", "Accesos Electronicos SA de CV",
])
def test_sa_de_cv_however_written(text):
    form = _form(text)
    assert (form.tokens, form.legal_forms) == (("accesos", "electronics"), ("sacv",))


# --- two names compared, with the CSL's word weights ---------------------------------------------

@pytest.mark.parametrize(("a", "b"), [
    ("1st International Bank", "First International Bank"),
    ("Brigade Forty-Four", "Brigade 44"),
    ("Brigade Fourty-four", "Brigade 44"),
    ("3 Percenters", "Three Percenters"),
    ("SiemensAG", "Siemens AG"),
    ("Siemens Aktiengeselschaft", "Siemens AG"),
    ("TACTICAL MISSILES CORPORATION JOINT STOCK COMPANY",
     "TACTICAL MISSILES CORPORATION JOYNT STOCK COMPANY"),
    ("ACCESOS ELECTRONICOS SADE CV", "ACCESOS ELECTRONICOS S.A.DE C.V."),
])
def test_pairs_of_other_projects_now_match(full_screener, a, b):
    # Each scored 0.27-0.79 before (bench/data/names_eval_pairs_ext.csv, bench/RESULTS.md cpair).
    pair = compare_names(a, b, screener=full_screener)
    assert pair.score >= DEFAULT_THRESHOLD, (a, b, pair.score)
    assert pair.match is not None
    assert any(f.name == "name_reading" for f in pair.match.features)


@pytest.mark.parametrize(("a", "b"), [
    ("Brigade 44", "Brigade 45"),
    ("Brigade Forty-Four", "Brigade Forty-Five"),
    ("1st International Bank", "2nd International Bank"),
    ("First International Bank", "Second International Bank"),
    ("ELEVENTH OCEAN GMBH & CO. KG", "TWELFTH OCEAN GMBH & CO. KG"),
])
def test_names_with_other_numbers_stay_apart(full_screener, a, b):
    assert compare_names(a, b, screener=full_screener).score < DEFAULT_THRESHOLD, (a, b)


# --- screens of the reference CSL ---------------------------------------------------------------

@pytest.mark.parametrize(("query", "listed"), [
    ("1st Credit Bank", "FIRST CREDIT BANK"),
    ("11th Ocean GmbH & Co. KG", "ELEVENTH OCEAN GMBH & CO. KG"),
    ("Blue Sky 2 Ltd", "BLUE SKY TWO LTD."),
    ("Khabarovskiy Shipyard JSC", "JOINT-STOCK COMANY KHABAROVSKIY SHIPYARD"),
    ("Promotora Vallarta 1 SADE CV", "PROMOTORA VALLARTA ONE, S.A. DE C.V."),
])
def test_a_screen_reads_the_query_and_the_listed_names_alike(full_screener, query, listed):
    matches = full_screener.screen(query).matches
    found = [m for m in matches if m.matched_name == listed]
    assert found, (query, [(m.matched_name, m.score) for m in matches[:5]])
    assert found[0].score == pytest.approx(1.0)
    assert matches[0].score == pytest.approx(1.0)


def test_a_screen_does_not_take_one_numbered_company_for_another(full_screener):
    matches = full_screener.screen("11th Ocean GmbH & Co. KG").matches
    assert not [m for m in matches if "TWELFTH" in m.matched_name or "FOURTEENTH"
                in m.matched_name], [(m.matched_name, m.score) for m in matches]
