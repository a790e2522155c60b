"""Listed names and aliases that are bare once normalised (only a number, two letters or digits
or fewer, only a legal form, only words that name no one, only a place) match only a query of the
same core, never one that merely shares it: the OFAC alias "27" of an individual scored 0.86
against 二十七所 (read "27 research institute"). Issue 16; bench/bare_names.py lists them."""

import pytest

from exportguard.names.normalize import name_forms
from exportguard.screening.features import bare_name, explain, score

FIGUEROA = "SDN:43596"  # FIGUEROA BENITEZ, Jorge Humberto, a.k.a. "27"


def _entry(csl_entries, key):
    return next(e for e in csl_entries if e.key == key)


def test_the_alias_27_is_in_the_reference_csl(csl_entries):
    assert "27" in _entry(csl_entries, FIGUEROA).alt_names


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("27", "a number"),
        ("3-101-507688 SA", "a number"),
        ("A7 LLC", "2 letters or digits or fewer"),
        ("LLC Center", "words that name no one"),
        ("Global Traders", "words that name no one"),
        ("FOSHAN", "a place"),
        ("Limited", "a legal form"),
    ],
)
def test_bare_names(name, what):
    assert bare_name(name_forms(name)[0]) == what


@pytest.mark.parametrize(
    "name",
    [
        "27TH SCIENTIFIC CENTER",
        "RUSSIAN EXPORT CENTER",  # a nation's word and generic words name the party
        "BANK OF MOSCOW",  # a place and generic words
        "CENTRAL BANK OF IRAN",
        "A71 LIMITED LIABILITY COMPANY",  # three letters and digits
        "NATALINA 7",
        "K.A.S.",  # initials: 'kas', not 'k' and the legal form A.S.
    ],
)
def test_names_that_are_not_bare(name):
    assert bare_name(name_forms(name)[0]) is None


QUERIES = ["二十七所", "No. 27 Institute", "27 Research Institute"]


@pytest.mark.parametrize("query", QUERIES)
def test_a_longer_query_does_not_match_the_bare_alias(full_screener, query):
    assert FIGUEROA not in {m.entry_id for m in full_screener.screen(query, min_score=0.5).matches}
    assert all(m.score == 0.0 for m in full_screener.screen(query, limit=100, min_score=0.0).matches
               if m.entry_id == FIGUEROA)


@pytest.mark.parametrize("query", QUERIES)
def test_the_explanation_says_why_the_bare_alias_scores_nothing(query):
    mine, listed = name_forms(query)[0], name_forms("27")[0]
    assert "27" in mine.tokens and len(mine.tokens) > 1  # the number is shared
    ones = (1.0,) * len(mine.tokens)
    assert score(mine, ones, listed, (1.0,)) == 0.0
    features = explain(mine, ones, listed, (1.0,))
    assert features[0].name == "token_overlap" and features[0].contribution > 0.3
    assert features[-1].name == "bare_listed_name"
    assert features[-1].detail.startswith("the listed name '27' is only a number")
    assert sum(f.contribution for f in features) == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("query", "key"),
    [("27", FIGUEROA), ("11420 Corp", "SDN:24430"), ("A7 LLC", "SDN:54628"),
     ("LLC Center", "EL:n90d6562519a2dd3c"), ("Global Traders", "EL:n979f157139643039")],
)
def test_the_same_bare_query_still_matches_exactly(full_screener, query, key):
    result = full_screener.screen(query)
    assert result.decision == "match"
    assert result.matches[0].entry_id == key
    assert result.matches[0].score == 1.0
    assert result.matches[0].features[0].name == "exact_alias"


def test_a_query_sharing_a_bare_name_is_not_lifted_by_it(full_screener):
    # A7 AGENT LLC shares the bare core 'a7' with A7 LLC, which it is not
    scores = {m.entry_id: m.score for m in
              full_screener.screen("A7 Agent LLC", limit=100, min_score=0.0).matches}
    assert scores["SDN:54630"] == 1.0  # A7 AGENT LIMITED LIABILITY COMPANY
    assert scores.get("SDN:54628", 0.0) == 0.0
