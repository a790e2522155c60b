"""A Chinese query finds the party through the trade name (字号) and the pinyin of its curated or
listed name in characters, not only through the name as curated (issue 16); the reading is
explained. Real entries of the reference CSL with the curated local names."""

import pytest

from exportguard.names.chinese import pinyin_key, trade_name
from exportguard.names.normalize import han_key, name_forms
from exportguard.names.pinyin import pinyin_trade_names
from exportguard.screening import DEFAULT_THRESHOLD
from exportguard.screening.han_rules import CONTRADICTED
from exportguard.screening.screener import (
    PINYIN_FULL,
    PINYIN_TRADE,
    TRADE_NAME_OTHER,
    TRADE_NAME_SAME,
    TRADE_WORD_MISSING,
    _shortens,
)
from tests.checking import found

MEGVII = "Megvii Technology"


@pytest.mark.parametrize(
    ("name", "trade"),
    [
        ("北京旷视科技有限公司", "旷视"),  # place, industry word and legal form set aside
        ("北京市商汤科技开发有限公司", "商汤"),  # 市 after the place, 开发 and 科技 after the name
        ("广东省深圳市华为技术有限公司", "华为"),  # two places
        ("中航光电科技股份有限公司", "中航光电"),  # 光电 kept: 中航 alone is one term
        ("摩尔线程智能科技（北京）有限责任公司", "摩尔线程"),  # place in brackets
        ("中科星图测控技术股份有限公司", "中科星图测控"),  # 测控 names a product line: kept
        ("中国东方红卫星股份有限公司", "东方红卫星"),
        # 船舶 alone is a term: a national name is known by what is left of it less business words
        ("中國船舶集團有限公司", "中国船舶"),
        ("中国航空发动机集团有限公司", "中国航空发动机"),
        ("上海航空工业集团有限公司", None),  # a place and terms only
        ("北京大学", None),  # an institution
        ("中国电子科技集团公司第十四研究所", None),  # a numbered institute
        ("360安全技术股份有限公司", None),  # digits
    ],
)
def test_trade_name_of_a_chinese_enterprise_name(name, trade):
    assert trade_name(name) == trade


def test_pinyin_query_is_read_as_places_trade_name_and_business_words():
    assert pinyin_key("旷视") == "kuangshi"
    readings = dict(pinyin_trade_names("beijingkuangshikejiyouxiangongsi"))
    assert readings["kuangshi"] == "'beijing' before and 'kejiyouxiangongsi' after"
    assert readings["beijingkuangshikejiyouxiangongsi"] == "the whole query"


def test_pinyin_of_a_term_reads_as_its_canonical_english():
    # 航空航天 is "aeronautics and astronautics", which the synonyms table makes aviation aerospace,
    # as it does for the listed English name.
    assert name_forms("Nanjing Hangkonghangtian Daxue")[0].tokens == (
        "nanjing", "aviation", "aerospace", "university")
    assert name_forms("Nanjing University of Aeronautics and Astronautics")[0].tokens == (
        "nanjing", "university", "aviation", "aerospace")


@pytest.mark.parametrize(
    ("short", "full", "shortens"),
    [
        ("北京商汤科技", "北京市商汤科技开发有限公司", True),
        ("国防科技大学", "中国人民解放军国防科技大学", True),
        ("北京大学", "北京理工大学", False),  # the words that tell them apart are dropped
        ("北京科技", "北京市商汤科技开发有限公司", False),  # the trade name is dropped
    ],
)
def test_a_shortening_keeps_what_tells_the_party_apart(short, full, shortens):
    assert _shortens(short, full) is shortens


def test_trade_name_with_other_place_links_the_curated_party(full_screener):
    # 上海 is not Megvii's place (北京): the link is made and explained, and the other place
    # costs CONTRADICTED (tests/test_names_han_rules.py).
    query = "上海旷视科技有限公司"
    match = found(full_screener, query, min_score=0.5)[MEGVII]
    assert match.score < DEFAULT_THRESHOLD
    assert {f.name: f.contribution for f in match.features}["contradicted"] == CONTRADICTED
    linked = {full_screener.index.names[number].text: feature for _form, number, _value, feature
              in full_screener._trade_and_pinyin(query, han_key(query), None)}
    feature = linked["北京旷视科技有限公司"]
    assert (feature.name, feature.contribution) == ("trade_name", TRADE_NAME_OTHER)
    assert feature.detail == (
        "read 上海旷视科技有限公司 as trade name 旷视 (with other place or business words); "
        "trade name 旷视 of curated 北京旷视科技有限公司")
    assert linked["旷视"].contribution == TRADE_NAME_OTHER
    assert found(full_screener, "旷视科技集团")[MEGVII].score >= TRADE_NAME_OTHER


def test_trade_name_with_another_suffix_finds_the_curated_party(full_screener):
    match = found(full_screener, "海康威视科技有限公司")[
        "Hangzhou Hikvision Digital Technology Co., Ltd."]
    assert match.score >= TRADE_NAME_OTHER
    bare = found(full_screener, "中芯国际集成电路")[
        "Semiconductor Manufacturing International Corporation (SMIC)"]
    assert bare.score >= TRADE_NAME_SAME


def test_pinyin_query_finds_the_curated_name(full_screener):
    # Read word by word, zhongxin is 中心 ("center"): the pinyin of the curated name links it.
    query = "Zhongxin Guoji Jicheng Dianlu Zhizao Youxian Gongsi"
    match = found(full_screener, query)["Semiconductor Manufacturing International Corporation"]
    assert match.score == pytest.approx(PINYIN_FULL)
    assert match.features[0].detail == (
        f"read '{query}' as the pinyin zhongxinguojijichengdianluzhizaoyouxiangongsi, the reading "
        "of curated 中芯国际集成电路制造有限公司")
    other = found(full_screener, "Shanghai Zhongxin Keji")
    smic = other["Semiconductor Manufacturing International Corporation"]
    assert smic.score == pytest.approx(PINYIN_TRADE)
    assert smic.features[0].detail.startswith(
        "read 'Shanghai Zhongxin Keji' as the pinyin trade name zhongxin ('shanghai' before and "
        "'keji' after), the reading of curated ")


def test_university_is_not_another_university_of_its_city(full_screener):
    assert "Beijing Institute of Technology" not in found(full_screener, "北京大學")


def test_parent_is_not_outranked_on_its_exact_name(full_screener):
    matches = full_screener.screen("华为技术有限公司", limit=100).matches
    assert matches[0].entry.name.casefold().startswith("huawei technologies")
    assert matches[0].score == 1.0
    holding = next(m for m in matches if m.entry.name == "Huawei Investment & Holding Co., Ltd.")
    assert holding.score == pytest.approx(TRADE_NAME_OTHER)


def test_listed_name_lacking_a_word_of_the_trade_name_is_a_sister_company(full_screener):
    # 长城汽车 (Great Wall Motor) read as "great wall automobile" is not GreatWall Military.
    military = "ANHUI GREATWALL MILITARY INDUSTRY COMPANY LIMITED"
    match = found(full_screener, "長城汽車股份有限公司", min_score=0)[military]
    assert match.score < DEFAULT_THRESHOLD
    missing = next(f for f in match.features if f.name == "trade_word_missing")
    assert missing.contribution == TRADE_WORD_MISSING
    assert missing.detail == "the listed name lacks 'automobile' of the query's trade name 长城汽车"


def test_national_name_is_found_with_another_legal_form(full_screener):
    # Curated 中国航空发动机集团; the query adds 有限公司: one name less its business words.
    query = "中国航空发动机集团有限公司"
    assert trade_name(query) == trade_name("中国航空发动机集团") == "中国航空发动机"
    match = found(full_screener, query)["Aero Engine Corporation of China"]
    assert match.score >= TRADE_NAME_OTHER
    assert "own_name_differs" not in [f.name for f in match.features]


def test_country_adds_nothing_when_the_party_own_name_differs(full_screener):
    # Harbin University of Science and Technology is not the Harbin Institute of Technology
    # (哈尔滨工业大学), though both are in China.
    hit = "Harbin Institute of Technology"
    match = found(full_screener, "哈尔滨理工大学", country="CN", min_score=0)[hit]
    assert match.score < DEFAULT_THRESHOLD
    country = next(f for f in match.features if f.name == "country")
    assert country.contribution == 0.0 and country.detail.endswith(
        "no weight: the party's own name in characters is another")


def test_conjunction_reads_as_and():
    assert name_forms("中国科学仪器和材料公司")[0].tokens == (
        "china", "science", "instrument", "materials")
    assert name_forms("和平")[0].tokens == ("heping",)  # a word holding 和 is not cut


def test_numbered_institute_is_not_another_party_for_its_proper_name(full_screener):
    # Curated as 北京控制工程研究所; its numbered name carries the listed number 502.
    listed = "China Academy of Space Technology 502 Research Institute"
    match = found(full_screener, "中国空间技术研究院502研究所")[listed]
    assert match.score >= DEFAULT_THRESHOLD
    assert "own_name_differs" not in [f.name for f in match.features]
    other = found(full_screener, "中国空间技术研究院513研究所", min_score=0).get(listed)
    assert other is None or other.score < DEFAULT_THRESHOLD
