"""The one per-row screening function every engine runs (in-process, in forked workers, in Spark
executors), so the local engine, Spark and `Screener.screen` give the same answer for a row.

A row that cannot be screened (empty or oversized name, unknown country code, bytes that are not
UTF-8, a ragged CSV row) gets decision `error` and its reason; it is never dropped.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa

from exportguard.batch.formats import is_json_field, text_values
from exportguard.countries import parse_country
from exportguard.errors import InputError
from exportguard.lists.history import InForce
from exportguard.model import Snapshot
from exportguard.names.normalize import han_key, has_han, name_forms
from exportguard.names.query import query_parts
from exportguard.screening.index import NameIndex
from exportguard.screening.screener import MAX_LIMIT, Screener, ScreenResult, validate_query

ERROR = "error"
RESULT_FIELDS = (
    pa.field("match_count", pa.int32()),
    pa.field("best_match_name", pa.string()),
    pa.field("best_match_list", pa.string()),
    pa.field("best_match_id", pa.string()),
    pa.field("best_score", pa.float64()),
    pa.field("decision", pa.string()),
    pa.field("error", pa.string()),
    pa.field("snapshot_ids", pa.string()),
)
RESULT_COLUMNS = tuple(f.name for f in RESULT_FIELDS)
_PER_ROW = RESULT_COLUMNS[:-1]  # what `_screened_row` returns; snapshot_ids is the run's
ROW_COLUMN = "__row"  # input order, carried through engines that may reorder rows (Spark)
PROBLEM_COLUMN = "__problem"  # the reader's problem with a row, for engines fed a staged file

Results = dict[str, list[Any]]


@dataclass(frozen=True, slots=True)
class RowOptions:
    """What every row is screened with. `match_count` counts matches at or above the threshold,
    up to MAX_LIMIT (the most one screening returns)."""

    name_column: str
    country_column: str | None
    lists: frozenset[str] | None
    min_score: float | None
    snapshot_ids: str


@dataclass(frozen=True, slots=True)
class ScreenerSpec:
    """Everything of a Screener but its index, so a worker given the index (inherited, loaded
    from a file or broadcast) rebuilds exactly the screener the parent built."""

    snapshots: tuple[Snapshot, ...]
    starter_only: bool
    on: date | None
    in_force: tuple[InForce, ...]

    @classmethod
    def of(cls, screener: Screener) -> ScreenerSpec:
        return cls(tuple(screener.snapshots), screener.starter_only, screener.on,
                   tuple(screener.in_force))

    def build(self, index: NameIndex) -> Screener:
        return Screener(index, self.snapshots, starter_only=self.starter_only, on=self.on,
                        in_force=self.in_force)


def screen_one(screener: Screener, name: str | None, country: str | None,
               options: RowOptions) -> ScreenResult:
    """Exactly the single-name call: `screen NAME --country C --lists L --min-score S`."""
    return screener.screen(name if name is not None else "", country or None, options.lists,
                           MAX_LIMIT, options.min_score)


_KEPT = 200_000


def answer_key(name: str | None, country: str | None) -> Hashable | None:
    """Everything a row's answer depends on besides the screener and the options: the country
    code, and for each name the query holds (`query_parts`) its Chinese characters, the country
    written after it and its comparable forms less the text they were made from (for a part in
    characters, its text). Rows written
    differently ("ACME Trading Co., Ltd." / "ACME TRADING CO LTD ") that reduce to the same key
    get the same matches and scores, since the screener reads nothing else of the text. None
    for a row the screener refuses: its error quotes the row, so it is answered for itself."""
    try:
        text = validate_query(name if name is not None else "")
        code = parse_country(country, "country") if country else None
    except InputError:
        return None
    # A part in characters is keyed by its text: the screener may read it in Japanese and by
    # its Sino-Korean readings too, which its simplified characters and Chinese forms do not fix
    # (銀行 and 银行 have one key, but only 銀行 reads as Korean 은행).
    # A form less its text is its other fields, in their order (as NameForm compares them).
    return code, tuple((han_key(part.text), part.country,
                        part.text if has_han(part.text) else
                        tuple((form.kind, form.text, form.tokens, form.legal_forms, form.notes)
                              for form in name_forms(part.text)))
                       for part in query_parts(text))


class RowCache:
    """Answers already given in this process, for one screener and one set of options: first by
    the row as written (a dict look-up), then by `answer_key`, so a party written five ways is
    screened once. Books repeat counterparties (8 % of the 1M-row bench book as written, more
    once case and punctuation are set aside). At most `_KEPT` rows per map are kept; a full map
    starts over."""

    __slots__ = ("by_key", "by_row", "options", "screener")

    def __init__(self, screener: Screener, options: RowOptions) -> None:
        self.screener = screener
        self.options = options
        self.by_row: dict[tuple[str | None, str | None], tuple[Any, ...]] = {}
        self.by_key: dict[Hashable, tuple[Any, ...]] = {}

    @classmethod
    def of(cls, screener: Screener, options: RowOptions) -> RowCache:
        """The cache that hangs on the screener object (it dies with it) for these options."""
        cache: RowCache | None = screener.__dict__.get("_batch_rows")
        if cache is None or cache.options != options:
            cache = screener.__dict__["_batch_rows"] = cls(screener, options)
        return cache

    def row(self, name: str | None, country: str | None) -> tuple[Any, ...]:
        written = (name, country)
        found = self.by_row.get(written)
        if found is not None:
            return found
        key = answer_key(name, country)
        found = self.by_key.get(key) if key is not None else None
        if found is None:
            found = _screened_row(self.screener, name, country, self.options)
            if key is not None:
                _keep(self.by_key, key, found)
        _keep(self.by_row, written, found)
        return found


def _keep(kept: dict[Any, tuple[Any, ...]], key: Any, row: tuple[Any, ...]) -> None:
    if len(kept) >= _KEPT:
        kept.clear()
    kept[key] = row


def screen_rows(screener: Screener, names: list[str | None], countries: list[str | None],
                problems: list[str | None], options: RowOptions, *,
                cache: bool = True) -> Results:
    """The result columns for some rows, in their order. With `cache`, a row answered before
    in this process (as written, or reduced to the same `answer_key`) takes that answer."""
    rows = RowCache.of(screener, options) if cache else None
    columns: list[list[Any]] = [[] for _ in _PER_ROW]
    for name, country, problem in zip(names, countries, problems, strict=True):
        if problem:
            row = _error_row(problem)
        elif rows is not None:
            row = rows.row(name, country)
        else:
            row = _screened_row(screener, name, country, options)
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    results: Results = dict(zip(_PER_ROW, columns, strict=True))
    results["snapshot_ids"] = [options.snapshot_ids] * len(names)
    return results


def _screened_row(screener: Screener, name: str | None, country: str | None,
                  options: RowOptions) -> tuple[Any, ...]:
    try:
        result = screen_one(screener, name, country, options)
    except InputError as exc:
        column = options.country_column if exc.field == "country" else options.name_column
        return _error_row(f"{column}: {exc.message}")
    if not result.matches:
        return 0, None, None, None, None, result.decision, ""
    best = result.matches[0]
    return (len(result.matches), best.entry.name, best.entry.list_code, best.entry.key,
            round(best.score, 4), result.decision, "")


def _error_row(reason: str) -> tuple[Any, ...]:
    return None, None, None, None, None, ERROR, reason


def row_inputs(table: pa.Table | pa.RecordBatch, problems: list[str | None],
               options: RowOptions) -> tuple[list[str | None], list[str | None], list[str | None]]:
    """Names, countries and per-row problems of some rows: a name or country cell that is not
    text (bad bytes, a JSON number) adds its problem to the reader's."""
    names = _column(table, options.name_column)
    countries = (_column(table, options.country_column) if options.country_column
                 else [(None, None)] * len(problems))
    merged: list[str | None] = []
    for problem, (_, name_problem), (_, country_problem) in zip(problems, names, countries,
                                                                strict=True):
        found = [p for p in (problem,
                             name_problem and f"{options.name_column}: {name_problem}",
                             country_problem and f"{options.country_column}: {country_problem}")
                 if p]
        merged.append("; ".join(found) or None)
    return [n for n, _ in names], [c for c, _ in countries], merged


def _column(table: pa.Table | pa.RecordBatch, name: str) -> list[tuple[str | None, str | None]]:
    position = table.schema.get_field_index(name)
    column = table.column(position)
    if isinstance(column, pa.Array):
        column = pa.chunked_array([column], type=column.type)
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    return text_values(column, is_json_field(table.schema.field(position)))


def screen_table(screener: Screener, table: pa.Table | pa.RecordBatch,
                 problems: list[str | None], options: RowOptions) -> Results:
    """The result columns for the rows of an Arrow table or batch."""
    names, countries, merged = row_inputs(table, problems, options)
    return screen_rows(screener, names, countries, merged, options)


def result_arrays(results: Results) -> list[pa.Array]:
    return [pa.array(results[f.name], f.type) for f in RESULT_FIELDS]


def with_results(table: pa.Table, results: Results) -> pa.Table:
    """The input columns, untouched, followed by the result columns."""
    for field, array in zip(RESULT_FIELDS, result_arrays(results), strict=True):
        table = table.append_column(field, array)
    return table
