"""Issue 16: a name in traditional characters written with Taiwan's words (資訊 for 信息, 軟體 for
软件, 積體電路 for 集成电路) is screened as written and with the mainland's words
(`chinese.mainland_words`, OpenCC's tw2sp), as a query part that says so."""

import pytest

from exportguard.names.chinese import mainland_words
from exportguard.names.query import query_parts
from exportguard.screening import DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("text", "mainland"),
    [("資訊軟體網路科技股份有限公司", "信息软件网络科技股份有限公司"),
     ("中芯國際積體電路製造有限公司", "中芯国际集成电路制造有限公司")],
)
def test_taiwan_words_are_read_as_the_mainlands(text, mainland):
    assert mainland_words(text) == mainland
    parts = {p.role: p for p in query_parts(text)}
    assert parts["mainland words"].text == mainland
    assert text in parts["mainland words"].note


@pytest.mark.parametrize("text", ["资讯科技有限公司", "華為技術有限公司", "Huawei", "华为"])
def test_no_second_reading_without_taiwan_words_in_traditional_characters(text):
    # Simplified characters are written so on purpose (资讯); 華為技術 has no Taiwan word.
    assert mainland_words(text) is None
    assert [p.role for p in query_parts(text)] == ["query"]


@pytest.mark.parametrize(
    ("query", "listed", "name"),
    [("曙光資訊產業股份有限公司", "Dawning Information Industry Co., Ltd",
      "曙光信息产业股份有限公司"),
     ("中芯國際積體電路製造有限公司", "Semiconductor Manufacturing International Corporation",
      "中芯国际集成电路制造有限公司")],
)
def test_a_taiwan_written_name_finds_the_listed_party(full_screener, query, listed, name):
    result = full_screener.screen(query, min_score=0.5, limit=20)
    match = {m.entry.name: m for m in result.matches}[listed]
    assert match.score == 1.0 >= DEFAULT_THRESHOLD
    assert match.matched_name == name
    cleanup = [f for f in match.features if f.name == "query_cleanup"]
    assert cleanup and "read with the mainland's words" in cleanup[0].detail
