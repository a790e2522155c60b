"""A query in characters whose other words contradict the listed party (another place, another
business, another institute number) is likely another company or institute (issue 16;
`screening/han_rules.py`); the party's own names, short ones included, contradict nothing.
Real names: unlisted companies and institutes of bench/data/names_eval_zh_hard.csv against real
entries of the reference CSL with the curated local names."""

from functools import partial

import pytest

from exportguard.screening import DEFAULT_THRESHOLD
from exportguard.screening.han_rules import (
    CONTRADICTED,
    contradiction,
    han_facts,
    party_facts,
)
from exportguard.screening.screener import TRADE_NAME_OTHER
from tests.checking import features
from tests.checking import found as _found

KEDA = "Suzhou Keda Technology Co., Ltd."

# these screens look further down the list than screen's defaults
found = partial(_found, min_score=0.5, limit=20)


@pytest.mark.parametrize(
    ("query", "listed", "detail"),
    [
        # SSE 600499, ceramics machinery in Foshan: Suzhou Keda's trade name, another business.
        ("科达制造股份有限公司", KEDA,
         "the query names a business (machinery) that none of the listed party's names has"),
        # The CAS institute in Xi'an, sister of the listed Changchun institute.
        ("西安光机所",
         "Chinese Academy of Sciences Changchun Institute of Optics, Fine Mechanics, and Physics",
         "the query names the place 西安, the listed party 长春"),
        # United Energy Group (HKEX 467), oil and gas: 联合 is China Unicom's trade name too.
        ("联合能源集团有限公司", "China Unicom (Hong Kong) Limited",
         "the query names a business (energy) that none of the listed party's names has"),
        # Shanghai's state capital group against Nanjing Guosheng Electronics.
        ("上海国盛(集团)有限公司", "Nanjing Guosheng Electronics",
         "the query names the place 上海, the listed party 南京"),
    ],
)
def test_a_shared_trade_name_with_contradicting_words_is_another_party(full_screener, query,
                                                                       listed, detail):
    match = found(full_screener, query)[listed]
    assert match.score == pytest.approx(TRADE_NAME_OTHER + CONTRADICTED)
    assert match.score < DEFAULT_THRESHOLD
    named = features(match)
    assert named["trade_name"].contribution == TRADE_NAME_OTHER
    feature = named["contradicted"]
    assert feature.contribution == CONTRADICTED
    assert feature.detail == f"{detail}: likely another company or institute"


def test_a_bank_or_broker_is_not_a_listed_company_of_its_trade_name(full_screener):
    # China Great Wall Securities (SZSE 002939) and Liaoning Shuguang Automobile (SSE 600303)
    # share 长城 and 曙光 with Anhui Greatwall Military Industry and Sugon.
    for query in ("长城证券股份有限公司", "辽宁曙光汽车集团股份有限公司"):
        assert all(m.score < DEFAULT_THRESHOLD for m in found(full_screener, query).values())


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("天津海光", "Higon"),  # its place is the party's (天津海光信息技术股份有限公司)
        ("熊猫电子集团", "Panda Electronics Group Co., Ltd."),  # its business is the party's
        ("苏州科达", KEDA),  # the party's stock short name
    ],
)
def test_the_party_own_place_or_business_contradicts_nothing(full_screener, query, listed):
    match = found(full_screener, query)[listed]
    assert match.score >= DEFAULT_THRESHOLD
    assert "contradicted" not in features(match)


def test_places_contradict_only_at_the_same_level():
    hikvision = party_facts(["杭州海康威视数字技术股份有限公司",
                             "Hangzhou Hikvision Digital Technology Co., Ltd."])
    assert hikvision.places == frozenset({"杭州"})
    assert contradiction(han_facts("浙江海康威视数字技术"), hikvision) is None  # its province
    assert contradiction(han_facts("上海海康威视数字技术"), hikvision) == (
        "the query names the place 上海, the listed party 杭州")
    # A region describes (西北工业大学): no place.
    assert han_facts("西北工业大学").places == frozenset()


def test_an_institute_number_the_party_does_not_carry():
    cetc55 = party_facts(["China Electronics Technology Group Corporation 55th Research "
                          "Institute (CETC 55)", "Nanjing Electronic Devices Institute"])
    assert cetc55.numbers == frozenset({"55"})
    assert contradiction(han_facts("中电科五十八所"), cetc55) == (
        "the query numbers 58, the listed party 55")
    assert contradiction(han_facts("中电科五十五所"), cetc55) is None


def test_listed_names_in_english_say_their_kinds_generously():
    unicom = party_facts(["China United Network Communications Group Co., Ltd.", "CHINA UNICOM"])
    assert "telecommunications" in unicom.kinds
    assert contradiction(han_facts("中国联合通信"), unicom) is None
    assert han_facts("大华会计师事务所(特殊普通合伙)").kinds == frozenset({"accounting"})


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("西工大", "Northwestern Polytechnical University"),
        ("哈工程", "Harbin Engineering University"),
        ("南理工", "Nanjing University of Science and Technology"),
        ("北航", "Beijing University of Aeronautics and Astronautics (BUAA)"),
        ("北邮", "Beijing University of Posts and Telecommunications (BUPT)"),
    ],
)
def test_curated_abbreviations_of_universities(full_screener, query, listed):
    # Curated abbreviations (data/local_names/*.yaml) that no short-form rule derives.
    match = found(full_screener, query)[listed]
    assert match.score == 1.0
    assert features(match)["exact_alias"].detail.endswith("equal the listed curated local name")


def test_an_ambiguous_abbreviation_is_no_curated_name(full_screener):
    # 南航: Nanjing University of Aeronautics and Astronautics and China Southern Airlines.
    matches = found(full_screener, "南航")
    assert all(m.score < DEFAULT_THRESHOLD for m in matches.values())


def test_a_company_named_by_a_university_abbreviation_is_not_the_university(full_screener):
    match = found(full_screener, "北邮科技有限公司")[
        "Beijing University of Posts and Telecommunications (BUPT)"]
    assert match.score < DEFAULT_THRESHOLD
    assert features(match)["contradicted"].detail == (
        "the query names a company, the listed party is a university or institute: likely "
        "another company or institute")
    # An institute of a company group is no company (its name holds 公司 but not at the end).
    assert not han_facts("中国电子科技集团公司第十四研究所").company


def test_han_characters_keep_their_sino_korean_reading(full_screener):
    # Chinese sources write DPRK names in simplified characters: 高丽银行 is the Koryo Bank.
    assert found(full_screener, "高丽银行")["KORYO BANK"].score == 1.0
    # A Chinese bank's short name read in Korean reaches no listed bank.
    assert all(m.score < DEFAULT_THRESHOLD for m in found(full_screener, "建设银行").values())
