"""Shortcuts taken for speed on a screen of a name in Chinese characters (issue 17, p99): each
answers what the longer way answered. Checked on real names: every name and alias of the
reference CSL, and the names in characters of bench/data/chinese_names.csv and of the dev set
bench/data/names_eval_zh_hard.csv against their candidates in the full screener."""

from __future__ import annotations

import csv
from pathlib import Path

from exportguard.names.chinese import HAN_RUN
from exportguard.names.normalize import basic_tokens
from exportguard.names.terms import filler_tokens
from exportguard.screening.han_rules import BUSINESS_KINDS, _places_by_pinyin, latin_facts
from exportguard.screening.screener import (
    _aligned_trade_word_missing,
    _trade_readings,
    _trade_word_missing,
)

DATA = Path(__file__).resolve().parents[1] / "bench" / "data"


def _han_queries() -> list[str]:
    with (DATA / "chinese_names.csv").open(encoding="utf-8", newline="") as handle:
        found = [row["chinese_name"] for row in csv.DictReader(handle)]
    with (DATA / "names_eval_zh_hard.csv").open(encoding="utf-8", newline="") as handle:
        found += [row["query"] for row in csv.DictReader(handle) if row["split"] == "dev"]
    return list(dict.fromkeys(q for q in found if HAN_RUN.search(q)))


def _latin_facts_by_scanning(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """latin_facts' places and kinds as they were found before: every place's pinyin looked for
    between spaces in the words joined, every kind's words intersected with the name's."""
    words = basic_tokens(text)
    joined = f" {' '.join(words)} "
    places = frozenset(chars for pinyin, chars in _places_by_pinyin().items()
                       if f" {pinyin} " in joined)
    present = set(words)
    kinds = frozenset(kind for kind, (_, english) in BUSINESS_KINDS.items()
                      if present.intersection(english))
    return places, kinds


def test_latin_facts_finds_the_places_and_kinds_scanning_found(csl_entries) -> None:
    names = {n for e in csl_entries for n in (e.name, *e.alt_names) if not HAN_RUN.search(n)}
    with_place = with_kind = 0
    for name in names:
        facts = latin_facts(name)
        assert (facts.places, facts.kinds) == _latin_facts_by_scanning(name), name
        with_place += bool(facts.places)
        with_kind += bool(facts.kinds)
    assert len(names) > 50_000
    assert with_place > 1_500 and with_kind > 8_000
    # A place of two words and two kinds of one word.
    shenzhen = latin_facts("Shenzhen Sunwin Intelligent Co., Ltd.")
    assert shenzhen.places == frozenset({"深圳"})
    assert latin_facts("China Electronics Technology Group Corporation").kinds == frozenset(
        {"electronics", "semiconductors"})
    two_words = [p for p in _places_by_pinyin() if " " in p]
    assert two_words, "no place's pinyin has two words: the runs of words go untested"
    assert latin_facts(f"Alpha {two_words[0].title()} Trading").places == frozenset(
        {_places_by_pinyin()[two_words[0]]})


def _trade_word_missing_aligned(text: str, listed: tuple[str, ...]) -> tuple[str, str] | None:
    """_trade_word_missing without its shortcut: every reading aligned."""
    found = _trade_readings(text)
    if found is None:
        return None
    return _aligned_trade_word_missing(*found, listed, filler_tokens())


def test_trade_word_missing_answers_as_aligning_every_reading(full_screener) -> None:
    index = full_screener.index
    pairs = {(query, index.names[number].form.tokens)
             for query in _han_queries()
             for form in full_screener._forms(query)
             for number in index.candidates(form, 40).tolist()}
    shortcut = missing = 0
    for query, listed in sorted(pairs):
        expected = _trade_word_missing_aligned(query, listed)
        assert _trade_word_missing(query, listed) == expected, (query, listed)
        readings = _trade_readings(query)
        if readings is not None and any(set(listed).issuperset(t) for t in readings[1]):
            shortcut += 1
        missing += expected is not None
    assert len(pairs) > 4_000
    assert shortcut > 500  # the shortcut is taken on real names...
    assert missing > 2_000  # ...and the alignment still finds missing words
    # The example: 长城汽车 read as "great wall automobile" and in pinyin, against
    # GreatWall Military, lacks 'automobile'.
    military = ("anhui", "greatwall", "military", "industry")
    assert _trade_word_missing("長城汽車股份有限公司", military) == ("长城汽车", "automobile")


def _shown(result) -> list:
    return [(m.entry_id, m.score, m.matched_name, m.query_form,
             [(f.name, f.contribution, f.detail) for f in m.features])
            for m in result.matches] + [result.more]


def test_candidates_below_the_floor_are_left_before_the_rules(full_screener, monkeypatch):
    """A candidate whose value is below the floor (the threshold less the most a country can
    add) ends below the threshold whatever the rules say: the screen leaves it before asking
    them, and shows what it showed when it asked them."""
    import exportguard.screening.screener as screener_module

    queries = [*_han_queries()[:120], "Megvii Technology", "Huawei Technologies Co., Ltd.",
               "Beijing Kuangshi Keji Youxian Gongsi"]
    runs = ({}, {"country": "CN"}, {"min_score": 0.5}, {"min_score": 0.0, "limit": 5})
    asked = []
    real = screener_module._trade_word_missing

    def counted(text, listed):
        asked.append((text, listed))
        return real(text, listed)

    monkeypatch.setattr(screener_module, "_trade_word_missing", counted)

    def screens() -> tuple[list, int]:
        asked.clear()
        shown = [_shown(full_screener.screen(q, **options)) for q in queries for options in runs]
        asked.clear()  # the rules asked at the default threshold
        for q in queries:
            full_screener.screen(q)
        return shown, len(asked)

    leaving, asked_leaving = screens()
    monkeypatch.setattr(screener_module, "_FLOOR_MARGIN", float("inf"))  # leaves nothing
    asking, asked_asking = screens()
    assert leaving == asking
    assert sum(bool(r[:-1]) for r in asking) > 300  # matches shown, and compared
    # 469 of 815 on these names (2026-12-05): a third of the rules not asked
    assert asked_leaving < asked_asking * 0.7, (asked_leaving, asked_asking)
