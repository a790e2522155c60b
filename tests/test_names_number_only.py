"""Two names that share a number and otherwise only words that say what kind of unit they are
or where (research, institute, center, plant, places) share no evidence that they name one party:
二十七所, read "27 research institute", scored 0.877 against the Russian 27th Scientific Center
but for the institution words (issue 16). Such a pair scores at most NUMBER_ONLY_CEILING (feature
`number_only`); a name with the same words in another order, a shared word that says whose unit
it is, and a numbered unit read from characters (`han_rules.numbered_unit`) are not held."""

import pytest

from exportguard.screening.features import COUNTRY_AGREES, NUMBER_ONLY_CEILING
from exportguard.screening.screener import DEFAULT_THRESHOLD

SCIENTIFIC_CENTER_27 = ("SDN:30722", "ISN:n47c6c22f60884310")  # 27TH SCIENTIFIC CENTER (RU)
CAST_502 = "EL:nbad93d7eda373455"  # China Academy of Space Technology 502 Research Institute


def test_the_ceiling_with_a_country_stays_below_the_threshold():
    assert NUMBER_ONLY_CEILING + COUNTRY_AGREES < DEFAULT_THRESHOLD


@pytest.mark.parametrize("query",
                         ["二十七所", "27 Research Institute", "27 Center", "Institute 27"])
def test_a_shared_number_and_unit_words_stay_below_review(full_screener, query):
    scores = {m.entry_id: m.score for m in
              full_screener.screen(query, limit=20, min_score=0.0).matches}
    for key in SCIENTIFIC_CENTER_27:
        assert scores[key] <= NUMBER_ONLY_CEILING, key
    assert not set(SCIENTIFIC_CENTER_27) & {m.entry_id for m in full_screener.screen(query).matches}


def test_the_explanation_says_the_number_alone_is_shared(full_screener):
    match = next(m for m in full_screener.screen("27 Center", limit=5, min_score=0.0).matches
                 if m.entry_id == "ISN:n47c6c22f60884310")
    assert match.score == pytest.approx(NUMBER_ONLY_CEILING)
    held = match.features[-1]
    assert held.name == "number_only" and held.contribution < 0
    assert held.detail.startswith("the names share the number 27")
    assert sum(f.contribution for f in match.features) == pytest.approx(NUMBER_ONLY_CEILING)


def test_words_that_say_whose_unit_it_is_are_evidence(full_screener):
    # the pinyin of CAST's 502nd institute: china, space, technology are shared with the number
    top = full_screener.screen("Zhongguo Kongjian Jishu Yanjiuyuan 502 Yanjiusuo").matches[0]
    assert top.entry_id == CAST_502 and top.score > DEFAULT_THRESHOLD
    assert "number_only" not in {f.name for f in top.features}
    # 'china' is a place: China and unit words say nothing of whose 502nd institute it is
    held = {m.entry_id: m.score for m in full_screener.screen(
        "China 502 Research Institute", limit=5, min_score=0.0).matches}
    assert held[CAST_502] == pytest.approx(NUMBER_ONLY_CEILING)


def test_the_same_words_in_another_order_are_the_name(full_screener):
    top = full_screener.screen("Plant No. 9").matches[0]
    assert top.matched_name == "No. 9 Plant" and top.score > DEFAULT_THRESHOLD
