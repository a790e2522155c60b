"""Reading gaps of Chinese names that the used held-back sets (zh_e, zh_f, zh_g) exposed
(issue 16): business words with no rendering (港务 port, 仓储 warehousing, 防务 defense, 重装
heavy equipment), a trade name that ends with the first character of the term after it (恒邦微
电子, HK HENGBANGWEI ELECTRONICS), and a company name translated word for word from the listed
English name (半导体制造国际公司). Real entries of the reference CSL, screened without their
curated names in characters (as a party without a curated record is), and with them."""

from functools import partial

import pytest

from exportguard.names.chinese import trade_name_with_head
from exportguard.screening import DEFAULT_THRESHOLD
from exportguard.screening.screener import FUZZY_CEILING, _word_for_word
from tests.checking import features, readings
from tests.checking import found as _found

found = partial(_found, min_score=0)


@pytest.mark.parametrize(
    ("query", "reading"),
    [
        ("山東金港港務有限公司", "shandong jingang port co ltd"),
        ("宝港物流仓储有限公司", "baogang logistics warehousing co ltd"),
        ("中城重装防务科技", "zhong cheng heavy equipment defense technology"),
    ],
)
def test_business_words_are_read_as_english(query, reading):
    assert readings(query)[0] == reading


@pytest.mark.parametrize(
    ("query", "listed", "before"),
    [
        # zh_g's misses at aa56be5 (scores then: 0.447, 0.654, 0.512)
        ("山東金港港務有限公司", "SHANDONG JINGANG PORT CO., LTD.", 0.447),
        ("寶港(東營東港)物流倉儲有限公司",
         "BAOGANG DONGYING DONGGANG LOGISTICS AND WAREHOUSING CO., LTD.", 0.654),
        ("中城重装防务科技",
         "ZHONGCHENG HEAVY EQUIPMENT DEFENSE TECHNOLOGY SHANDONG GROUP CO., LTD.", 0.512),
    ],
)
def test_uncurated_parties_are_found_by_their_business_words(listed_only, query, listed,
                                                              before):
    # The reading is the listed name's words, each one (a Chinese query read as the listed
    # English name scores as that name).
    match = found(listed_only, query)[listed]
    assert match.score >= DEFAULT_THRESHOLD > before


def test_a_trade_name_may_take_the_first_character_of_the_term_after_it(listed_only):
    # jieba reads 微 inside 微电子; HK HENGBANGWEI ELECTRONICS LIMITED (sanctioned 2024-05-01)
    # spells its trade name 恒邦微. The usual reading stays first.
    assert readings("恒邦微电子") == ["hengbang microelectronics", "hengbangwei electronics"]
    assert trade_name_with_head("恒邦微电子") == "恒邦微"
    match = found(listed_only, "恒邦微电子")["HK HENGBANGWEI ELECTRONICS LIMITED"]
    assert match.score >= DEFAULT_THRESHOLD
    assert "trade_word_missing" not in features(match)


@pytest.mark.parametrize(
    "name",
    [
        "华为技术有限公司",  # 术 is no term
        "北京微电子所",  # an institute has no trade name
        "中芯国际集成电路制造有限公司",  # 集成电路's rest 成电路 is no term
    ],
)
def test_no_longer_trade_name_where_the_rest_is_no_term(name):
    assert trade_name_with_head(name) is None


def test_a_lossy_translation_stays_another_party(full_screener):
    # Matched through the alias China Communications Group Co. Ltd, of a party whose own name in
    # characters is another; it scored 0.99 before the guard.
    result = full_screener.screen("中国电信集团有限公司", limit=100, min_score=0)
    scores = [m.score for m in result.matches
              if m.matched_name == "China Communications Group Co. Ltd"]
    assert scores and max(scores) < DEFAULT_THRESHOLD


def test_a_company_name_translated_word_for_word_is_not_another_party(full_screener):
    # SMIC's own name in characters is 中芯国际集成电路制造有限公司; 半导体制造国际公司 is its
    # English name translated back, every word a term: it was capped at 0.800 by
    # own_name_differs.
    match = found(full_screener, "半導體製造國際公司")[
        "Semiconductor Manufacturing International Corporation (SMIC)"]
    assert DEFAULT_THRESHOLD <= match.score <= FUZZY_CEILING
    assert "own_name_differs" not in features(match)


def test_only_a_company_in_terms_of_one_reading_counts_as_translated():
    listed = ("semiconductor", "manufacturing", "international")
    assert _word_for_word("半导体制造国际公司", listed, listed)
    # an institution: 理工大学 has several English conventions
    assert not _word_for_word("北京理工大学", ("beijing", "university", "technology"),
                              ("beijing", "university", "technology"))
    # a word read by its sound (中芯 zhongxin) is no translation
    assert not _word_for_word("中芯制造国际公司", ("zhongxin", "manufacturing", "international"),
                              ("zhongxin", "manufacturing", "international"))
    # 电信 reads 'communication' as 通信, 通讯 and 交通 do: China Telecom's group is not China
    # Communications Group Co. Ltd (a match at 0.99 before this guard)
    communication = ("china", "communication", "group")
    assert not _word_for_word("中国电信集团有限公司", communication, communication)
    # the reading must be the listed name's words, every one
    assert not _word_for_word("半导体制造国际公司", listed, (*listed, "beijing"))
