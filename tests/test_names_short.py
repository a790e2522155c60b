"""Issue 16, stock short names (股票简称) in characters, with real A-share short names against the
reference CSL and the curated local names (screening/short_names.py):

- a short name of generic words around one word of its own, matched by its reading against a
  party with no name in characters, is at most SHORT_NAME_CEILING (feature `short_name`);
- a trade name and 股份 against a party whose names all go on with a word of their own (亨通股份
  against 江苏亨通光电股份有限公司) is at most SHORT_NAME_CEILING (`short_name_other_business`);
- the parties' own short names and groups shortened with 集团 keep their scores.
"""

from functools import partial

import pytest

from exportguard.screening import DEFAULT_THRESHOLD
from exportguard.screening.short_names import SHORT_NAME_CEILING, other_business, short_name
from tests.checking import features
from tests.checking import found as _found

HUASHENG = "SHENZHEN HUASHENG INDUSTRY CO LTD"
IRIB = "ISLAMIC REPUBLIC OF IRAN BROADCASTING"
HENGTONG = "Jiangsu Hengtong Optic-Electric Co., Ltd."
NORTH_NAVIGATION = "North Navigation Control Technology Co., Ltd."

# these screens look further down the list than screen's defaults
found = partial(_found, min_score=0.5, limit=50)


@pytest.mark.parametrize(
    ("key", "own", "evidence"),
    [("华升股份", "华升", set()), ("弘讯科技", "弘讯", set()), ("航空长峰", "长峰", {"aviation"}),
     ("中国卫通", "卫通", set())],
)
def test_a_short_name_has_one_word_of_its_own_at_most(key, own, evidence):
    short = short_name(key)
    assert (short.own, set(short.evidence), short.generic_only) == (own, evidence, False)


def test_business_words_the_listed_name_has_corroborate_a_short_name():
    # 洪都航空 read 'hongdu aviation': Jiangxi Hongdu Aviation has 'aviation' too.
    hongdu = ("jiangxi", "hongdu", "aviation", "industry")
    assert short_name("洪都航空").held_against(hongdu) is None
    # 弘讯科技 read 'hongxun technology': 'technology' corroborates nothing.
    assert "弘讯" in short_name("弘讯科技").held_against(("hongxin", "technology"))
    # Generic words and a legal form only: nothing to corroborate.
    assert short_name("光电股份").generic_only
    assert short_name("光电股份").held_against(("optoelectronics",)) is not None


@pytest.mark.parametrize(
    "key",
    # two words of its own, a place, five characters, letters
    ["中科星图", "南京熊猫", "华升科技股份", "奇虎360"],
)
def test_a_name_saying_more_is_no_short_name(key):
    assert short_name(key) is None


def test_a_trade_name_and_gufen_against_names_that_go_on_is_another_company():
    other = other_business("亨通股份", ("江苏亨通光电股份有限公司", "亨通光电"))
    assert other is not None and (other.trade, other.word) == ("亨通", "光电")
    # 技术 may be left out: 大华股份 is the short name of 浙江大华技术股份有限公司.
    assert other_business("大华股份", ("浙江大华技术股份有限公司",)) is None
    # The party named by the trade name alone, and a group shortened with 集团.
    assert other_business("曙光股份", ("曙光信息产业股份有限公司", "曙光")) is None
    assert other_business("中国电子集团", ("中国电子信息产业集团有限公司",)) is None


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # 华升股份 (SSE 600156) read 'huasheng co ltd' against an SDN company of that pinyin.
        ("华升股份", HUASHENG),
        # 广电电气 (SSE 601616): 广电 reads 'radio and television', an alias of the IRIB.
        ("广电电气", IRIB),
    ],
)
def test_a_short_name_read_against_a_party_without_characters_stays_below(full_screener, query,
                                                                           listed):
    match = found(full_screener, query)[listed]
    assert match.score == pytest.approx(SHORT_NAME_CEILING)
    assert match.score < DEFAULT_THRESHOLD
    assert sum(f.contribution for f in match.features) == pytest.approx(match.score)
    held = features(match)["short_name"]
    assert held.contribution < 0
    assert held.detail.startswith(f"the query {query} is a short name")
    assert held.detail.endswith(f"so at most {SHORT_NAME_CEILING:.2f}")
    # The country asked adds nothing above the ceiling (the IRIB is in Iran: lower still).
    assert found(full_screener, query, "CN")[listed].score <= SHORT_NAME_CEILING + 1e-9


@pytest.mark.parametrize(
    ("query", "listed", "word"),
    [("亨通股份", HENGTONG, "光电"), ("北方股份", NORTH_NAVIGATION, "导航")],
)
def test_a_trade_name_and_gufen_stays_below_a_party_named_with_more(full_screener, query, listed,
                                                                    word):
    match = found(full_screener, query)[listed]
    assert match.score == pytest.approx(SHORT_NAME_CEILING)
    held = features(match)["short_name_other_business"]
    assert f" has {word} with " in held.detail
    assert sum(f.contribution for f in match.features) == pytest.approx(match.score)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("大华股份", "Dahua Technology"),  # a curated short name: matched exactly
        ("长城军工", "ANHUI GREATWALL MILITARY INDUSTRY COMPANY LIMITED"),
        ("中国电子集团", "China Electronics Corporation"),  # 集团 shortens a group
        ("熊猫集团", "Panda Electronics Group Co., Ltd."),
    ],
)
def test_the_partys_own_short_names_keep_their_scores(full_screener, query, listed):
    match = found(full_screener, query)[listed]
    assert match.score >= DEFAULT_THRESHOLD
    assert not {"short_name", "short_name_other_business"} & set(features(match))


def test_a_reading_that_is_a_listed_alias_is_not_another_party_for_its_curated_name():
    from exportguard.screening.screener import _reads_as_listed

    # Every word of the reading in the listed alias, which adds only 'group': the alias was
    # written from these characters.
    assert _reads_as_listed(("huaxin", "chip"), ("huaxin", "chip", "group"))
    # The listed name has a word of its own; a reading of one word.
    assert not _reads_as_listed(("beijing", "institute", "technology"),
                                ("beijing", "institute", "microelectronics", "technology"))
    assert not _reads_as_listed(("huaxin",), ("huaxin", "group"))


def test_another_convention_still_differs_from_the_partys_own_name(full_screener):
    # 北京工业大学 read 'beijing institute of technology' is not 北京理工大学.
    match = found(full_screener, "北京工业大学")["Beijing Institute of Technology"]
    assert match.score < DEFAULT_THRESHOLD
    assert "own_name_differs" in features(match)


ZONGHENG = "Chengdu Zongheng Automation Technology Co., Ltd."


def test_a_short_name_read_as_the_partys_listed_trade_name_alone_is_its_name(full_screener):
    # 纵横股份 (an A-share short name) reads 'zongheng co ltd', word for word the entry's alias
    # "Zongheng Co., Ltd.", the trade name and a legal form alone; the curated name in
    # characters 成都纵横自动化技术股份有限公司 holds 纵横. Was 0.80 (own_name_differs).
    for country in (None, "CN"):
        match = found(full_screener, "纵横股份", country)[ZONGHENG]
        assert DEFAULT_THRESHOLD <= match.score < 1.0  # a short name: never confirmed
        assert match.matched_name == "Zongheng Co., Ltd."
        assert "has the trade name 纵横" in features(match)["listed_trade_name"].detail
        assert not {"own_name_differs", "short_name_other_business"} & set(features(match))
    # 集团 is no legal form of the alias: 纵横集团 is not read so and stays below.
    other = found(full_screener, "纵横集团")[ZONGHENG]
    assert other.score < DEFAULT_THRESHOLD
    assert "listed_trade_name" not in features(other)
    # A party with no such alias keeps the held short name (亨通股份, above).
    assert "listed_trade_name" not in features(found(full_screener, "亨通股份")[HENGTONG])
