"""A place or qualifier in brackets inside a Chinese legal name is part of the name: Moore
Threads' Beijing and Chengdu companies are two listed parties with their own Chinese names."""

import pytest

from exportguard.names.normalize import kept_in_brackets
from exportguard.names.query import query_parts

BEIJING = "Moore Thread Intelligent Technology (Beijing) Co., Ltd."
CHENGDU = "Moore Thread Intelligent Technology (Chengdu) Co., Ltd."


def test_which_bracketed_parts_belong_to_the_name():
    assert kept_in_brackets("北京") and kept_in_brackets(" 香港 ")
    assert not kept_in_brackets("原北京某某公司")  # announces a former name
    assert not kept_in_brackets("Shenzhen") and not kept_in_brackets("CETC 14")


def test_a_chinese_query_keeps_its_bracketed_place():
    texts = [p.text for p in query_parts("摩尔线程智能科技（成都）有限责任公司")]
    assert texts == ["摩尔线程智能科技（成都）有限责任公司"]
    assert [p.text for p in query_parts("Acme Trading (Shenzhen) Co")][-1] == "Acme Trading Co"


@pytest.mark.parametrize(("query", "listed", "other"), [
    ("摩尔线程智能科技（成都）有限责任公司", CHENGDU, BEIJING),
    ("摩尔线程智能科技(北京)有限责任公司", BEIJING, CHENGDU),
])
def test_sister_companies_in_other_cities_are_told_apart(full_screener, query, listed, other):
    matches = {m.entry.name: m.score for m in full_screener.screen(query).matches}
    assert matches[listed] == pytest.approx(1.0)
    assert matches.get(other, 0.0) < matches[listed]
