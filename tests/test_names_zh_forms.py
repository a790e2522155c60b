"""Chinese ways of writing a listed party's name that are not its registered name (issue 16):
电科N所 for CETC's Nth institute, a city and a number (南京55所), a numbered factory (二〇二厂),
an A-share stock's short name with the exchange's marks (*ST, -U), and a former or other name
written after the name (（原名...）, 曾用名). Real entries of the reference CSL, with the listed
names only (as a party without a curated record is screened) where the rule is a reading."""


import pytest

from exportguard.names.chinese import read_text
from exportguard.names.query import query_parts
from exportguard.screening import DEFAULT_THRESHOLD
from exportguard.screening.han_rules import (
    NUMBERED_ALONE,
    NUMBERED_IN_PLACE,
    numbered_unit,
)

CETC43 = "China Electronics Technology Group Corporation 43 Research Institute"
CETC55 = "China Electronics Technology Group Corporation 55th Research Institute (CETC 55)"
BAOTOU = ("Baotou Guanghua Chemical Industrial Corporation (Parent Organization: China National "
          "Nuclear Group Corporation (CNNC))")
CASIC23 = ("China Aerospace Science and Industry Corporation Second Academy. Subordinate "
           "Institution - 23rd Research Institute")


def best(screener, query, **kwargs):
    matches = screener.screen(query, min_score=0, **kwargs).matches
    return matches[0] if matches else None


def feature(match, name):
    return next((f for f in match.features if f.name == name), None)


# --- 电科N所 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["电科43所", "電科43所", "电科第四十三研究所"])
def test_dianke_and_a_number_is_cetc(listed_only, query):
    match = best(listed_only, query)
    assert match.entry.name == CETC43
    assert match.score == pytest.approx(1.0)
    how = feature(match, "transliteration").detail
    assert "read as 中国电子科技集团公司" in how


def test_dianke_is_cetc_only_before_an_institute_number():
    # 电科院 is also 中国电力科学研究院; 电科 alone before other words is not spelt out
    assert all("中国电子科技" not in r.notes[0] if r.notes else True
               for r in read_text("电科院"))
    assert "short form" in read_text("电科43所").__next__().notes[0]


# --- a place and a number: 南京55所 -----------------------------------------------------------

def test_numbered_unit_reads_place_number_and_kind():
    unit = numbered_unit("南京55研究所")
    assert unit is not None and unit.places == {"南京"} and unit.number == "55"
    assert numbered_unit("南京市55研究所").places == {"南京"}
    assert numbered_unit("202厂").places == frozenset()
    assert numbered_unit("14研究所") is None  # a short number alone names nothing
    parent = numbered_unit("中国电子科技集团公司55研究所")  # the group named before the number
    assert parent.parent and parent.number == "55" and not parent.places
    assert numbered_unit("航天科工2院23研究所").above == ("2",)
    assert numbered_unit("旷视科技") is None


def test_city_and_number_is_the_institute_in_that_city(listed_only):
    match = best(listed_only, "南京55所")
    assert match.entry.name == CETC55
    assert match.score == pytest.approx(NUMBERED_IN_PLACE)
    assert "number 55 in 南京" in feature(match, "numbered_unit").detail


def test_the_same_number_in_another_city_is_not_that_institute(listed_only):
    # CASIC's 23rd institute is in Beijing; CETC's 23rd is in Shanghai and is not listed
    assert best(listed_only, "北京23所").entry.name == CASIC23
    shanghai = listed_only.screen("上海23所")
    assert all(m.entry.name != CASIC23 for m in shanghai.matches)


# --- numbered factories --------------------------------------------------------------------

@pytest.mark.parametrize("query", ["二〇二厂", "202厂"])
def test_numbered_factory_is_the_listed_plant(listed_only, query):
    match = best(listed_only, query)
    assert match.entry.name == BAOTOU
    assert match.matched_name.startswith("202 Plant")
    assert match.score == pytest.approx(NUMBERED_ALONE)
    assert match.score >= DEFAULT_THRESHOLD


def test_numbered_factory_with_its_city(listed_only):
    match = best(listed_only, "包头202厂")
    assert match.entry.name == BAOTOU and match.score == pytest.approx(NUMBERED_IN_PLACE)


def test_a_foreign_plant_is_not_read_from_a_bare_number(listed_only):
    # JSC 360 Aviation Repair Plant is Russian: a bare 360厂 is no Chinese party's code
    result = listed_only.screen("360厂")
    assert all("360 Aviation Repair" not in m.entry.name for m in result.matches)


# --- stock short names ---------------------------------------------------------------------

@pytest.mark.parametrize(("query", "name", "mark"), [
    ("*ST海越", "海越", "*ST"), ("ST康美", "康美", "ST"), ("S*ST前锋", "前锋", "S*ST"),
    ("N中芯", "中芯", "N"), ("XD贵州茅", "贵州茅", "XD"), ("寒武纪-U", "寒武纪", "-U"),
    ("优刻得－W", "优刻得", "-W"),
])
def test_stock_marks_are_set_aside(query, name, mark):
    parts = {p.text: p for p in query_parts(query)}
    assert name in parts
    assert mark in parts[name].note


@pytest.mark.parametrize("query", ["TCL科技", "SMIC-U", "海康威视"])
def test_no_stock_mark_read_where_there_is_none(query):
    assert [p.role for p in query_parts(query)] == ["query"]


@pytest.mark.parametrize(("marked", "plain"), [
    ("寒武纪-U", "寒武纪"), ("*ST寒武纪", "寒武纪"), ("N旷视科技", "旷视科技"),
    ("C中芯国际", "中芯国际"),
])
def test_stock_short_name_is_screened_without_its_marks(full_screener, listed_only, marked,
                                                         plain):
    # the marks are not read as words ('*ST' as 'saint', '-U' as 'u'), with or without a curated
    # name in characters
    for screener in (full_screener, listed_only):
        with_marks, without = best(screener, marked), best(screener, plain)
        assert (with_marks.entry.key, with_marks.score) == (without.entry.key, without.score)
        assert feature(with_marks, "query_cleanup") is not None
        assert "st " not in with_marks.query_form and "saint" not in with_marks.query_form


# --- former and other names ----------------------------------------------------------------

@pytest.mark.parametrize(("query", "other"), [
    ("中国电科产业基础研究院（原河北半导体研究所）", "河北半导体研究所"),
    ("中电科55所 原名南京电子器件研究所", "南京电子器件研究所"),
    ("华为技术有限公司，曾用名：深圳华为", "深圳华为"),
    ("浙江大华技术股份有限公司(原浙江大华)", "浙江大华"),
])
def test_former_name_is_screened_on_its_own(query, other):
    parts = {p.text: p.role for p in query_parts(query)}
    assert parts.get(other) == "other name"


@pytest.mark.parametrize("query", ["原平市科技", "北京中科(原平)"])
def test_yuan_starting_a_name_is_no_marker(query):
    assert "other name" not in [p.role for p in query_parts(query)]


def test_former_name_in_brackets_finds_the_party(listed_only):
    match = best(listed_only, "某某科技有限公司（原名电科43所）")
    assert match.entry.name == CETC43
    assert match.score == pytest.approx(1.0)


# --- national groups and numbered academies ----------------------------------------------

CSSC = "CHINA STATE SHIPBUILDING CORPORATION LIMITED"
CEC = "China Electronics Corporation"
CASIC2 = "China Aerospace Science and Industry Corporation Second Academy"


@pytest.mark.parametrize(("query", "name"), [
    ("中国船舶集团有限公司", CSSC), ("中國船舶集團", CSSC), ("中国电子集团", CEC),
])
def test_national_group_read_as_corporation(listed_only, query, name):
    match = best(listed_only, query)
    assert match.entry.name == name
    assert match.score >= DEFAULT_THRESHOLD
    assert "also as 'corporation'" in feature(match, "transliteration").detail


def test_group_is_corporation_only_after_china():
    from exportguard.names.chinese import readings

    assert any("corporation" in r.text for r in readings("中国船舶集团"))
    assert not any("corporation" in r.text for r in readings("首钢集团"))


def test_group_read_as_corporation_is_still_a_relative(full_screener):
    # 中国核工业建设集团 is the parent of the listed 中国核工业建设股份有限公司 (CNEC): reading
    # 集团 as corporation does not make it the listed company
    result = full_screener.screen("中国核工业建设集团有限公司", min_score=0)
    top = result.matches[0]
    assert top.score < DEFAULT_THRESHOLD
    assert feature(top, "group_relative") is not None


@pytest.mark.parametrize("query", ["中国航天科工集团第二研究院", "航天科工二院",
                                   "中国航天科工股份有限公司第二院"])
def test_numbered_academy_read_with_its_ordinal(listed_only, query):
    match = best(listed_only, query)
    assert match.entry.name.startswith(CASIC2)
    assert match.score >= DEFAULT_THRESHOLD
    # The listed "Second Academy" reads 2 academy (English ordinals are read as digits,
    # names/numbers.py), so the number read as digits meets it as the ordinal reading does.
    detail = feature(match, "transliteration").detail
    assert "also as 'second' (ordinal)" in detail or "read as number 2" in detail


# --- 长 chang and 都 du in trade names ----------------------------------------------------

@pytest.mark.parametrize(("chars", "usual", "other"), [
    ("长光", "changguang", "zhangguang"), ("洪都", "hongdu", "hongdou"),
])
def test_name_syllables_of_chang_and_du(chars, usual, other):
    from exportguard.names.chinese import pinyin_key, segment

    (word,) = segment(chars)
    assert word.english == (usual, other)
    assert pinyin_key(chars) == usual


def test_hongdu_read_as_the_listed_name(listed_only):
    # 洪都航空 is JIANGXI HONGDU AVIATION INDUSTRY; pypinyin alone reads 洪都 hongdou
    match = best(listed_only, "洪都航空")
    assert "HONGDU" in match.entry.name.upper()
    assert match.query_form == "hongdu aviation"
    assert match.score > 0.85


# --- a numbered institute named with its group or academy ----------------------------------

@pytest.mark.parametrize("query", ["航天科工23所", "航天科工二院二十三所",
                                   "中国航天科工集团公司第二研究院第二十三研究所"])
def test_numbered_institute_with_its_parent(listed_only, query):
    match = best(listed_only, query)
    assert match.entry.name == CASIC23
    assert match.score == pytest.approx(NUMBERED_IN_PLACE)
    assert "of the group or academy the listed name names" in feature(
        match, "numbered_unit").detail


@pytest.mark.parametrize("query", ["航天科工三院23所", "中国科学院23所", "中国23所"])
def test_another_parent_or_none_is_not_the_numbered_institute(listed_only, query):
    # the Third Academy's 23, CAS's 23 (one shared word: science), no parent at all
    match = best(listed_only, query)
    assert match.score < DEFAULT_THRESHOLD


# --- another name in brackets ------------------------------------------------------------

@pytest.mark.parametrize(("query", "name", "other"), [
    ("南京电子器件研究所（中电科55所）", "南京电子器件研究所", "中电科55所"),
    ("中国电子科技集团公司第五十五研究所（南京电子器件研究所）",
     "中国电子科技集团公司第五十五研究所", "南京电子器件研究所"),
    ("浪潮电子信息产业股份有限公司（浪潮信息）", "浪潮电子信息产业股份有限公司", "浪潮信息"),
    ("Huawei (华为技术有限公司)", "Huawei", "华为技术有限公司"),
])
def test_a_name_in_brackets_is_another_name(query, name, other):
    parts = {p.text: p.role for p in query_parts(query)}
    assert parts.get(name) == "name"
    assert parts.get(other) == "other name"


@pytest.mark.parametrize("query", [
    "摩尔线程智能科技（成都）有限责任公司", "沈阳飞机工业(集团)有限公司", "某公司（上海浦东）",
    "某某有限公司（中国电子科技集团公司全资子公司）",
])
def test_a_place_qualifier_or_relation_in_brackets_is_no_other_name(query):
    assert [p.role for p in query_parts(query)] == ["query"]


def test_bracketed_short_form_finds_the_institute(listed_only):
    match = best(listed_only, "南京电子器件研究所（中电科55所）")
    assert match.entry.name == CETC55
    assert match.score == pytest.approx(1.0)
