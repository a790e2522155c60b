"""A Chinese company name that starts with a city, county or district the place table lacks
reads it as the place (丹东市 -> dandong), found in jieba's dictionary of place names; and the
name terms with more than one English rendering read as companies name their trade (船舶
shipping, 石化 petrochemical, 检验 inspection, 认证 certification). Issue 16."""

import pytest

from exportguard.names.chinese import dictionary_place, readings, segment, trade_name


def words(name: str) -> list[tuple[str, str, str]]:
    return [(w.chars, w.how, w.english[0]) for w in segment(name)]


@pytest.mark.parametrize(
    ("place", "english"),
    [
        # (prefecture-level cities such as 丹东 are in the city table: below)
        ("义乌市", "yiwu"),
        ("江阴市", "jiangyin"),
        ("昌平区", "changping"),
        ("张家港市", "zhangjiagang"),
        ("乐清市", "yueqing"),
    ],
)
def test_a_place_the_table_lacks_reads_without_its_suffix(place, english):
    assert dictionary_place(place) == english
    assert words(f"{place}鸿运贸易有限公司")[0] == (place, "place", english)


@pytest.mark.parametrize(
    "word",
    [
        "东北地区",  # a region
        "浦东新区",  # a new area: 'pudongxin' is no name
        "非上市",  # unlisted
        "自治县",
        "开发区",  # not tagged as a place
    ],
)
def test_words_tagged_or_ending_like_places_that_are_not_one(word):
    assert dictionary_place(word) is None


def test_the_reading_says_where_the_place_came_from():
    first = readings("义乌市船舶管理有限公司")[0]
    assert first.text == "yiwu ship management co ltd"
    assert "义乌市 as 'yiwu' (place, jieba's dictionary)" in first.notes
    assert "丹东 as 'dandong' (place)" in readings("丹东市船舶管理有限公司")[0].notes
    assert "大连 as 'dalian' (place)" in readings("大连市船舶管理有限公司")[0].notes


def test_a_suffix_jieba_glued_to_the_next_characters_is_dropped():
    # jieba reads the characters after 中山 it does not know as one word, 市 with them
    assert [w[0] for w in words("中山市明阳电器有限公司")][:2] == ["中山", "明阳"]
    # 市场 (market) is a word of its own, not the suffix
    assert words("北京市场")[1][0] == "市场"


def test_the_trade_name_comes_after_a_place_the_table_lacks():
    assert trade_name("义乌市华为贸易有限公司") == "华为贸易"
    assert trade_name("浙江省义乌市小商品有限公司") == "小商品"
    # 市政 (municipal works) starts a word: the place is taken off, not 市; 区块链 (blockchain)
    # is a longer word than 市区 (urban area): 市 is the place's suffix
    assert trade_name("义乌市政工程有限公司") == "义乌市政工程"
    assert trade_name("丹东市政工程有限公司") == "市政工程"
    assert trade_name("北京市政工程有限公司") == "市政工程"
    assert trade_name("深圳市区块链技术有限公司") == "区块链"


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        # CC-CEDICT: 船舶 /shipping/boats/; the national groups' "shipbuilding" stays first
        ("宁波船舶管理有限公司", "ningbo shipping management co ltd"),
        ("宁波船舶管理有限公司", "ningbo ship management co ltd"),
        ("山东鸿运石化有限公司", "shandong hongyun petrochemical co ltd"),
        ("山东鸿运石油化工有限公司", "shandong hongyun petrochemical co ltd"),
        ("中国检验认证集团", "china inspection certification group"),
    ],
)
def test_name_terms_read_as_companies_name_their_trade(name, reading):
    assert reading in {r.text for r in readings(name)}


def test_sinopec_s_own_wording_is_kept_as_a_second_reading():
    # 中国石油化工股份有限公司 registers China Petroleum & Chemical Corporation
    texts = [r.text for r in readings("中国石油化工股份有限公司")]
    assert texts[:2] == ["china petrochemical co ltd", "china petroleum chemical co ltd"]


# Prefecture-level cities (data/chinese_cities.yaml, names/divisions.py): read as the table's
# places are, including those jieba's dictionary does not tag as places (营口, 铁岭, 大同).
@pytest.mark.parametrize(
    ("name", "place", "english"),
    [
        ("营口市鸿运贸易有限公司", "营口", "yingkou"),
        ("铁岭华晨橡塑制品有限公司", "铁岭", "tieling"),  # without 市 too
        ("大同市鸿运贸易有限公司", "大同", "datong"),
        ("朝阳市鸿运贸易有限公司", "朝阳", "chaoyang"),  # pypinyin alone reads zhaoyang
        ("漯河市鸿运贸易有限公司", "漯河", "luohe"),  # and ta for 漯
    ],
)
def test_a_prefecture_level_city_reads_as_a_place(name, place, english):
    assert words(name)[0] == (place, "place", english)
    assert trade_name(name).startswith(words(name)[1][0])  # the place is set aside


def test_the_cities_are_the_national_list_read_by_pypinyin():
    import yaml

    from exportguard.names.divisions import FILE, reading
    from exportguard.package_files import DATA

    data = yaml.safe_load(DATA.joinpath(FILE).read_text("utf-8"))
    overrides = {stem: o["english"] for stem, o in data["overrides"].items()}
    cities = data["cities"]
    assert len(cities) == 293  # the prefecture-level cities (地级市) of the NBS codes
    assert cities["2108"] == ["营口市", "yingkou"] and cities["6505"] == ["哈密市", "hami"]
    for name, english in cities.values():
        assert name.endswith("市")
        assert english == reading(name, overrides), name
    assert all(o["source"].startswith("https://") for o in data["overrides"].values())


def test_a_city_weighs_and_conflicts_as_a_place():
    from exportguard.names.terms import generic_tokens, place_tokens, vocabulary
    from exportguard.screening.han_rules import _places_by_pinyin

    assert {"yingkou", "tieling", "dandong"} <= generic_tokens() & place_tokens()
    places = vocabulary().han_places
    assert places["大连"] == "dalian" and places["西安"] == "xian"  # the table's spelling kept
    assert places["宿州"] == "suzhou" and _places_by_pinyin()["suzhou"] == "苏州"
    # Ji'an joined is jian, a given name (ZHANG, Jian on the SDN list): a place in characters
    # only, no place word of a name in Latin letters
    assert places["吉安"] == "jian" and words("吉安市鸿运贸易有限公司")[0][1] == "place"
    assert "jian" not in generic_tokens() | place_tokens() and "jian" not in _places_by_pinyin()
