"""A query in Chinese characters read as the English a listed name uses, for parties with no
curated name in characters (issue 16), and the conflicts that keep unlisted Chinese companies
clear. Real entries of the reference CSL: with the curated local names, and with the listed
names only (as a party without a curated record is screened)."""

from functools import partial

import pytest

from exportguard.names.chinese import business_tail, gloss, names_itself
from exportguard.names.normalize import name_forms
from exportguard.screening import DEFAULT_THRESHOLD
from exportguard.screening.features import KIND_CONFLICT, KINDS_DIFFER, kinds_differ
from exportguard.screening.han_rules import ACRONYM_ONLY, BUSINESS_WORD_SHARE
from exportguard.screening.screener import FUZZY_CEILING
from tests.checking import features
from tests.checking import found as _found

# these screens look further down the list than screen's defaults
found = partial(_found, min_score=0)


@pytest.mark.parametrize(
    ("name", "tail"),
    [
        ("沈阳飞机工业(集团)有限公司", ("工业", "集团", "有限公司")),
        ("华为技术有限公司", ("技术", "有限公司")),
        # 电子 is part of the national name 中国电子; only what follows it is business words
        ("中国电子信息产业集团", ("信息产业", "集团")),
        ("北京微电子所", ()),  # an institute's word tells what it is
        ("华夏银行", ()),  # a bank is not a business word
        ("中国科学院微电子研究所", ()),
    ],
)
def test_business_words_after_the_trade_name(name, tail):
    assert business_tail(name) == tail


def test_business_words_weigh_less_against_an_english_name(listed_only):
    # The English name of Shenyang Aircraft words 工业(集团) as "Corporation".
    match = found(listed_only, "沈阳飞机工业(集团)有限公司")["Shenyang Aircraft Corporation"]
    assert DEFAULT_THRESHOLD <= match.score < FUZZY_CEILING
    lighter = features(match)["business_words"]
    assert lighter.contribution == 0.0
    assert "(group, industry)" in lighter.detail and f"{BUSINESS_WORD_SHARE:.0%}" in lighter.detail


def test_business_words_count_in_full_against_a_name_in_characters(full_screener):
    # China Satellite Network Group is not China Spacesat, curated as 中国卫星: a national name
    # without a trade name of its own is told apart by its business words.
    assert not names_itself("中国卫星") and names_itself("旷视")
    match = found(full_screener, "中国卫星网络集团有限公司")["China Spacesat Co., Ltd."]
    assert match.score < DEFAULT_THRESHOLD
    assert "business_words" not in features(match)
    assert "trade_name" not in features(match)


def test_a_bank_is_not_a_trading_company(full_screener):
    match = found(full_screener, "华夏银行", country="CN")["HUAXIA TRADING LTD"]
    assert match.score < DEFAULT_THRESHOLD
    kinds = features(match)["kinds_differ"]
    assert kinds.contribution == KINDS_DIFFER
    assert kinds.detail.startswith("the query says 'bank', the listed name 'trading'")
    assert features(match)["kind_conflict"].contribution == KIND_CONFLICT


def test_kinds_differ_only_when_both_names_say_their_kind():
    bank, trading, plain = (name_forms(t)[0] for t in (
        "Huaxia Bank", "Huaxia Trading Ltd", "Huaxia Ltd"))
    assert kinds_differ(bank, trading) == ("bank", "trading")
    assert kinds_differ(bank, plain) is None
    assert kinds_differ(trading, trading) is None


def test_a_company_in_characters_is_not_an_institute(listed_only):
    # 华东电脑 (East China Computer, a company: trade name 电脑) read through CC-CEDICT is not
    # the East China Institute of Computing Technology (CETC's 32nd institute).
    cetc32 = "China Electronics Technology Group Corporation 32nd Research Institute"
    match = found(listed_only, "華東電腦")[cetc32]
    assert match.score < DEFAULT_THRESHOLD
    conflict = features(match)["kind_conflict"]
    assert conflict.contribution == KIND_CONFLICT
    assert "trade name 电脑" in conflict.detail
    assert conflict.detail.endswith("an institution ('institute')")


def test_an_acronym_alone_does_not_name_a_longer_chinese_name(full_screener):
    # "MEC科技集团" (a made-up company) shares only the acronym with Mesbah Energy's alias MEC
    # and with "MEC International".
    matches = found(full_screener, "MEC科技集团有限公司")
    for name in ("Mesbah Energy Company", "Marakish Express Cargo LLC"):
        assert matches[name].score < DEFAULT_THRESHOLD
        assert features(matches[name])["acronym_only"].contribution == ACRONYM_ONLY


def test_a_company_of_aecc_is_read_by_its_short_name(listed_only):
    # 航发 is AECC's short name; its companies use AECC in English.
    match = found(listed_only, "航发动力")["AECC Aviation Power Co. Ltd."]
    assert DEFAULT_THRESHOLD <= match.score < FUZZY_CEILING
    assert "航发 also as 'aecc'" in features(match)["transliteration"].detail


def test_university_convention_of_electronic_science_and_technology():
    tokens = {f.tokens for f in name_forms("电子科技大学")}
    assert ("electronics", "science", "technology", "university") in tokens


def test_a_gloss_that_is_a_saying_is_no_reading():
    assert gloss("东方红") is None  # "the east is red"
    assert gloss("浪潮") == "wave"


def test_business_words_count_in_full_against_a_listed_word_they_may_say(listed_only):
    # "Changjiang Cunchu" (Yangtze Memory, read "changjiang memory") says what it does; the
    # business words of 南京长江电子信息产业集团 (an unlisted Nanjing group) are not lighter.
    match = found(listed_only, "南京長江電子信息產業集團有限公司")[
        "Yangtze Memory Technologies Co., Ltd."]
    assert match.score < DEFAULT_THRESHOLD
    assert "business_words" not in features(match)
