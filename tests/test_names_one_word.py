"""A listed name whose words but one are generic or places is that word and what the rest says
(`features.one_distinctive_word`, feature `one_distinctive_word`). Once 'ship management' and
Hongkong/HK were generic words and places (n18), a query sharing only the one word and otherwise
another name reached review: "Atlantic Trading LLC" / ATLANTIC SHIP MANAGEMENT COMPANY, "Delta
Electronics, Inc." (CN) / Hongkong Delta Electronics Technology, "Richtek Technology Corporation" /
RICHTEK HONGKONG ELECTRONIC. Such a pair scores at most ONE_WORD_CEILING; the listed name with its
place or legal form dropped, or the word alone, is still found."""

import pytest

from exportguard.screening.features import COUNTRY_AGREES, ONE_WORD_CEILING
from exportguard.screening.screener import DEFAULT_THRESHOLD

ATLANTIC = "SDN:29786"  # ATLANTIC SHIP MANAGEMENT COMPANY (AE)
HK_DELTA = "UVL:n362fffdff0660f1c"  # Hongkong Delta Electronics Technology Co., Limited (CN)
RICHTEK = "SDN:50921"  # RICHTEK HONGKONG ELECTRONIC CO LIMITED (CN)
DELTA_LOGISTICS = "DPL:nc79672709a35bb7a"  # DELTA LOGISTICS B.V. (NL)


def _scores(screener, query, country=None):
    result = screener.screen(query, limit=20, min_score=0.0, country=country)
    return {m.entry_id: m for m in result.matches}


def test_the_ceiling_with_a_country_stays_below_the_threshold():
    assert ONE_WORD_CEILING + COUNTRY_AGREES < DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "country", "entry"), [
    ("Atlantic Trading LLC", None, ATLANTIC),  # was 0.890
    # a distinctive word of its own (Delta Star), was 0.873 with CN
    ("Hongkong Delta Star Electronics Technology", "CN", HK_DELTA),
    ("Delta Electronics, Inc.", "CN", HK_DELTA),  # Taiwan's Delta, was 0.947 with CN
    ("Delta Electronics, Inc.", None, DELTA_LOGISTICS),  # was 0.908
    ("Richtek Technology Corporation", "CN", RICHTEK),  # was 0.943 with CN
])
def test_one_shared_word_is_not_enough(full_screener, query, country, entry):
    match = _scores(full_screener, query, country).get(entry)
    assert match is None or match.score < DEFAULT_THRESHOLD
    assert entry not in {m.entry_id for m in full_screener.screen(query, country=country).matches}


def test_the_explanation_names_the_one_word(full_screener):
    match = _scores(full_screener, "Atlantic Trading LLC")[ATLANTIC]
    assert match.score == pytest.approx(ONE_WORD_CEILING)
    held = next(f for f in match.features if f.name == "one_distinctive_word")
    assert held.contribution < 0
    assert held.detail.startswith("every word of the listed name but 'atlantic' is generic")
    assert "lacks ship, management" in held.detail
    assert sum(f.contribution for f in match.features) == pytest.approx(ONE_WORD_CEILING)


@pytest.mark.parametrize(("query", "entry"), [
    ("Atlantic Ship Management", ATLANTIC),  # the listed name without its legal form
    ("Atlantic Ocean Ship Management", ATLANTIC),  # and a generic word added
    ("Delta Electronics Technology Co., Ltd.", HK_DELTA),  # without its place
    ("Hongkong Delta Electronics", HK_DELTA),  # three of its four other words
    ("Richtek Electronic", RICHTEK),  # without its place
    ("Richtek", RICHTEK),  # the word alone
])
def test_the_listed_name_without_its_place_or_form_is_found(full_screener, query, entry):
    match = _scores(full_screener, query)[entry]
    assert match.score >= DEFAULT_THRESHOLD
    assert "one_distinctive_word" not in {f.name for f in match.features}


def test_a_pinyin_syllable_read_alone_is_no_word_of_its_own(listed_only):
    # 北京市商汤科技开发有限公司 in pinyin syllables: shi (市, city) is in no listed name
    match = _scores(listed_only, "Bei Jing Shi Shang Tang Ke Ji Kai Fa You Xian Gong Si")[
        "EL:naadc39c9d32c3fb6"]  # Beijing Sensetime Technology Development Co., Ltd.
    assert match.matched_name == "Beijing Shangtang Technology Development Co., Ltd."
    assert match.score >= DEFAULT_THRESHOLD


CETC_11 = "EL:n6b6ca4baf2024664"  # China Electronic Technology Group Corporation No. 11 ...


@pytest.mark.parametrize(("query", "country"), [
    ("China Aerospace Science and Technology Corporation No. 11 Research Institute", None),
    ("中国航天科技集团公司第十一研究院", "CN"),  # CASC's 11th academy, 0.858 once "no" was read
])
def test_another_groups_unit_of_the_same_number_is_held(full_screener, query, country):
    match = _scores(full_screener, query, country)[CETC_11]
    assert match.score < DEFAULT_THRESHOLD
    held = next(f for f in match.features if f.name == "one_distinctive_word")
    assert "the query describes the party as aerospace" in held.detail
    assert "another group's unit of the number 11" in held.detail


@pytest.mark.parametrize("query", ["中国电子科技集团公司第十一研究所",
                                   "China Electronics Technology Group Corporation 11th Research "
                                   "Institute"])
def test_the_groups_own_unit_is_found(full_screener, query):
    match = _scores(full_screener, query)[CETC_11]
    assert match.score >= DEFAULT_THRESHOLD


def test_a_shortened_numbered_unit_is_not_held(full_screener):
    # 航天三院, CASIC's 3rd Academy, read 'aerospace 3 academy': it lacks words, adds none
    match = _scores(full_screener, "航天三院")["EL:n5a4eefa744a58fb8"]
    assert match.score >= DEFAULT_THRESHOLD
    assert "one_distinctive_word" not in {f.name for f in match.features}


def test_a_chinese_trade_name_in_pinyin_shared_is_enough(full_screener):
    """'dahua' (大华) is a trade name in pinyin, two syllables: Chinese companies sharing one are
    often one group's in other trades, so Dahua Technology stays at review against the Denied
    Persons List's DAHUA ELECTRONICS CORPORATION (the 2019-10-08 scenario of
    tests/scenarios/licensing/listed_parties.yaml); 'atlantic' is no pinyin and stays held."""
    matches = full_screener.screen("Dahua Technology", limit=50, min_score=0.0).matches
    dpl = next(m for m in matches if m.entry_id.startswith("DPL:")
               and m.matched_name == "DAHUA ELECTRONICS CORPORATION")
    assert dpl.score >= DEFAULT_THRESHOLD
    assert "one_distinctive_word" not in {f.name for f in dpl.features}
    assert _scores(full_screener, "Atlantic Trading LLC")[ATLANTIC].score == pytest.approx(
        ONE_WORD_CEILING)
