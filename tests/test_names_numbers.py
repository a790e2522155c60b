"""Institute numbers in names written in characters: CETC's 13th and 14th research institutes
are different listed parties, however the number is written (第14, 第十四, 十四所, full width)."""

import pytest

from exportguard.names.normalize import han_key

CETC14 = "China Electronics Technology Group Corporation 14th Research Institute (CETC 14)"
CETC13 = "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)"


@pytest.mark.parametrize("query", [
    "中国电子科技集团公司第14研究所", "中国电子科技集团公司第十四研究所", "中電科十四所",
    "中国电科第１４研究所",
])
def test_one_key_for_every_way_of_writing_the_number(query):
    assert han_key(query) == "中国电子科技集团公司14研究所"


def test_numbers_outside_an_institute_number_are_not_part_of_the_key():
    assert han_key("七一四所") == "714研究所"
    assert han_key("北京奇虎360科技") == han_key("北京奇虎科技")
    assert han_key("三一重工") == "三一重工"  # a numeral inside a word stays a character


FULL_NAMES = ("中国电子科技集团公司第14研究所",
              "中国电子科技集团公司第十四研究所")


@pytest.mark.parametrize("query", FULL_NAMES, ids=["digits", "numerals"])
def test_the_numbered_institute_is_found_and_not_its_neighbour(full_screener, query):
    matches = full_screener.screen(query).matches
    assert matches, query
    assert matches[0].entry.name == CETC14
    assert matches[0].score == pytest.approx(1.0)
    others = [m for m in matches if m.entry.name == CETC13]
    assert not others or others[0].score < 0.85
