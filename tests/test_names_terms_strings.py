"""Every term of data/name_terms.yaml is a string (issue 16): YAML 1.1 reads unquoted no, yes,
on, off, y, n, true and false as booleans, and the table's `no` (stopwords, extra_generic) was
False, so "no" was never a stopword nor a generic word. `terms.check_terms` refuses such a table,
naming the key; "no" is a stopword before a number only ("NO, Kwang Chol" is a family name)."""

import pytest

from exportguard.names.normalize import name_forms
from exportguard.names.terms import (
    TermsFileError,
    _terms_data,
    check_terms,
    filler_tokens,
    generic_tokens,
    vocabulary,
)
from exportguard.screening.features import NUMBER_ONLY_CEILING
from exportguard.screening.screener import DEFAULT_THRESHOLD


def test_the_shipped_table_holds_strings_only():
    check_terms(_terms_data())  # raises otherwise
    assert "no" in vocabulary().stopwords and False not in vocabulary().stopwords
    assert "no" in filler_tokens() and False not in generic_tokens()


@pytest.mark.parametrize(("data", "key"), [
    ({"version": 1, "stopwords": ["the", False]}, "stopwords[1] is False (bool)"),
    ({"extra_generic": ["company", True]}, "extra_generic[1] is True (bool)"),
    ({"synonyms": {"hong kong": ["hk", 3]}}, "synonyms.hong kong[1] is 3 (int)"),
    ({"chinese_places": {False: "no"}}, "chinese_places has the key False (bool)"),
    ({"chinese_terms": {"科技": None}}, "chinese_terms.科技 is None (NoneType)"),
])
def test_a_term_that_is_no_string_is_refused_by_key(data, key):
    with pytest.raises(TermsFileError, match="not a string") as raised:
        check_terms(data)
    assert str(raised.value).startswith(f"data/name_terms.yaml: {key}")


def test_a_boolean_is_told_to_be_quoted():
    with pytest.raises(TermsFileError, match="quote the word"):
        check_terms({"stopwords": [False]})


def test_no_is_a_stopword_before_a_number_only():
    assert name_forms("No. 9 Plant")[0].tokens == ("9", "plant")
    assert name_forms("Plant No 9")[0].tokens == ("plant", "9")
    assert name_forms("NO, Kwang Chol")[0].tokens == ("no", "kwang", "chol")


def test_numbered_units_still_read_as_before(full_screener):
    top = full_screener.screen("Plant No. 9").matches[0]
    assert top.matched_name == "No. 9 Plant" and top.score > DEFAULT_THRESHOLD
    # n18's number_only: a shared number and unit words alone stay below review
    held = {m.entry_id: m.score for m in full_screener.screen(
        "No. 27 Center", limit=20, min_score=0.0).matches}
    assert held["ISN:n47c6c22f60884310"] <= NUMBER_ONLY_CEILING
