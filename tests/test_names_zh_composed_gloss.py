"""A trade name CC-CEDICT lacks read as the English of its parts (issue 16): 新世纪 is not in
the dictionary, 新 'new' and 世纪 'century' are."""

from __future__ import annotations

from exportguard.names.chinese import composed_gloss, gloss, readings
from exportguard.screening import DEFAULT_THRESHOLD
from tests.checking import features, found


def test_a_word_the_dictionary_lacks_is_glossed_by_its_parts():
    assert gloss("新世纪") is None
    assert composed_gloss("新世纪") == ("new century", ("新", "世纪"))
    # the fewest parts: two words of the dictionary, not four characters
    assert composed_gloss("长城电脑") == ("great wall computer", ("长城", "电脑"))


def test_a_word_the_dictionary_has_is_not_composed():
    # CC-CEDICT has 东方红, a saying ("the east is red"): no gloss, and not 'east red' either
    assert gloss("东方红") is None
    assert composed_gloss("东方红") is None


def test_two_single_characters_are_not_composed():
    # 天升 (Sky Rise): each character alone has many senses (天 'day' first); no word beside them
    assert composed_gloss("天升") is None


def test_a_composed_gloss_adds_a_reading_and_keeps_the_pinyin_one():
    read = {r.text: r for r in readings("宁波新世纪进出口有限公司")}
    assert "ningbo xinshiji import export co ltd" in read
    composed = read["ningbo new century import export co ltd"]
    assert composed.kind == "han-dictionary"
    assert "新世纪 as 'new century' (CC-CEDICT: 新 + 世纪)" in composed.notes


def test_ningbo_new_century_in_characters_finds_the_sdn_entry(full_screener):
    # The query of issue 16. bench/data/names_eval_zh_i.csv cites a Zaobao item of 2017-03-25
    # (http://www.zaobao.com.sg/realtime/china/story20170325-740118) printing this name with
    # "Ningbo New Centuray Import and Export Company Limited"; that page was not read here.
    match = found(full_screener, "宁波新世纪进出口有限公司")[
        "NINGBO NEW CENTURY IMPORT AND EXPORT COMPANY, LTD."]
    assert match.entry.key == "SDN:21548"
    assert match.score >= DEFAULT_THRESHOLD
    assert "新世纪 as 'new century'" in features(match)["transliteration"].detail


def test_a_composed_common_phrase_is_no_alarm_against_an_unrelated_listed_name(full_screener):
    # Unlisted (names_eval_zh.csv, dev): Postal Savings Bank of China, 邮政储蓄 composed as
    # 'postal service deposit money'.
    query = "中國郵政儲蓄銀行股份有限公司"
    assert any("CC-CEDICT: 邮政 + 储蓄" in note for r in readings("中國郵政儲蓄銀行")
               for note in r.notes)
    matches = full_screener.screen(query, min_score=0, limit=5).matches
    assert matches and max(m.score for m in matches) < DEFAULT_THRESHOLD
