"""The batch row cache: a party written several ways (case, punctuation, spaces, legal form
spelt out) is screened once, and the book's answers are the same with and without the cache,
on the full reference CSL."""

from __future__ import annotations

import pytest

from exportguard.batch.rows import RESULT_COLUMNS, RowCache, RowOptions, answer_key, screen_rows
from exportguard.screening.screener import Screener

OPTIONS = RowOptions("name", "country", None, None, "1")
UNLISTED = ("Acme Widgets Ltd", "Northwind Trading GmbH", "Sika Alchip Foods Pte. Ltd.")
ODD_ROWS = [  # (name, country): refused rows, a query with an address, names in characters
    ("", "CN"), (None, None), ("Acme Widgets Ltd", "XX"), ("***", None),
    ("Huawei Technologies Co., Ltd., Bantian, Longgang District, Shenzhen", "CN"),
    ("华为技术有限公司", "CN"), ("華為技術有限公司", None), ("SenseTime", None),
    ("NorthwindTrading", "US"), ("northwindtrading", "US"),
]


def _written(name: str) -> list[str]:
    """The ways a clerk writes one party."""
    return [name, name.upper(), name.replace(",", "").replace(".", ""),
            "  ".join(name.split()) + " ", name.title(),
            name.replace(" Co., Ltd.", " Company Limited").replace(" Ltd.", " Limited")]


@pytest.fixture(scope="module")
def book(csl_entries) -> list[tuple[str | None, str | None]]:
    companies = [e for e in csl_entries if e.type != "Individual"][::40][:60]
    rows: list[tuple[str | None, str | None]] = []
    for entry in companies:
        country = next((c for c in entry.countries if len(c) == 2), None)
        for name in (entry.name, *entry.alt_names[:1]):
            rows.extend((written, country) for written in _written(name))
            rows.append((name, None))
    for name in UNLISTED:
        rows.extend((written, "US") for written in _written(name))
    return rows + ODD_ROWS * 2


def _screened(screener: Screener, book, cache: bool) -> list[tuple]:
    results = screen_rows(screener, [n for n, _ in book], [c for _, c in book],
                          [None] * len(book), OPTIONS, cache=cache)
    return list(zip(*(results[c] for c in RESULT_COLUMNS), strict=True))


def test_book_answers_are_the_same_with_and_without_the_row_cache(full_screener, book):
    cached_screener = Screener(full_screener.index)
    cached = _screened(cached_screener, book, cache=True)
    plain = _screened(Screener(full_screener.index), book, cache=False)
    assert cached == plain
    decisions = [row[RESULT_COLUMNS.index("decision")] for row in plain]
    assert decisions.count("match") > 100 and decisions.count("clear") >= 18
    assert decisions.count("error") == 8  # empty, missing, XX and '***', twice each
    # Written differently, screened once: far fewer distinct keys than distinct rows.
    cache = RowCache.of(cached_screener, OPTIONS)
    assert len(cache.by_key) < len(set(book)) / 2


def test_answer_key_sets_aside_case_punctuation_and_spaces_only():
    same = ["Gulf Gate Shipping Co. LLC", "GULF GATE SHIPPING CO LLC",
            " Gulf  Gate Shipping Co LLC"]
    assert len({answer_key(name, "AE") for name in same}) == 1
    assert answer_key(same[0], "ae") == answer_key(same[0], "AE")
    assert answer_key(same[0], "AE") != answer_key(same[0], None)
    # The legal form stays (it is scored), and so do glued words written in camel case.
    assert answer_key("Gulf Gate Shipping Co. LLC", "AE") != answer_key("Gulf Gate Shipping", "AE")
    assert answer_key("NorthwindTrading", None) != answer_key("northwindtrading", None)
    assert answer_key("", None) is None and answer_key("Acme", "XX") is None
