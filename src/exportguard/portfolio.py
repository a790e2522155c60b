"""Portfolio screening: every holding of a file checked against NS-CMIC on a date.

A holdings file (CSV, Parquet or JSON Lines, read by batch/formats.py) names each security by
`ticker`, `isin` and/or `name`, with an optional `weight` or `market_value` (or `quantity`, which
gives no weight without a price). Each row is kept, in order, with every input column plus
`ns_cmic_listed`, `purchase_prohibited`, `divest_by`, `listing_date`, `issuer`, `listing`,
`status`, `reason` and `other_lists` (the issuer screened against the restricted-party lists, as
information). A row whose ticker or ISIN is malformed is `invalid`; one whose identifiers match
no issuer and that gives no name is `unknown` (OFAC publishes tickers and ISINs for only some
issuers, so absence from the data proves nothing); neither is ever dropped. The summary gives the
portfolio's weight in securities a U.S. person may not buy on the date.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from exportguard.batch.formats import InputFile, OutputWriter, format_of, text_values
from exportguard.errors import InputError
from exportguard.invest import _ISIN, _isin_ok, _ticker_key, invest, regime
from exportguard.regime.dated import parse_as_of

MAX_HOLDINGS = 200_000
CHUNK_ROWS = 5_000
ID_COLUMNS = ("ticker", "isin", "name")
WEIGHT_COLUMNS = ("weight", "market_value")
ADDED = ("ns_cmic_listed", "purchase_prohibited", "divest_by", "listing_date", "issuer",
         "listing", "status", "reason", "other_lists")


@dataclass
class PortfolioSummary:
    as_of: date
    rows: int = 0
    listed: int = 0
    purchase_prohibited: int = 0
    not_listed: int = 0
    unknown: int = 0
    invalid: int = 0
    weight_basis: str | None = None
    weight_total: float = 0.0
    weight_prohibited: float = 0.0
    prohibited_issuers: list[str] = field(default_factory=list)

    @property
    def weight_share(self) -> float | None:
        """Per cent of the portfolio's weight in securities whose purchase is prohibited."""
        if not self.weight_basis or not self.weight_total:
            return None
        return round(100 * self.weight_prohibited / self.weight_total, 4)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        data["weight_share_percent"] = self.weight_share
        return data


def screen_holdings(source: Path, output: Path, on: date | str | None = None,
                    screener: Any = None) -> PortfolioSummary:
    """Check every holding in `source` and write `output` (format from its extension)."""
    day = parse_as_of(on, "date")
    holdings = InputFile(source, "holdings")
    out_format = format_of(output, "out")
    if output.exists():
        raise InputError("out", f"'{output}' exists; give a new file name")
    columns = {c.lower(): c for c in holdings.columns}
    if not any(c in columns for c in ID_COLUMNS):
        raise InputError("holdings", f"no ticker, isin or name column among "
                         f"{', '.join(holdings.columns[:20])}")
    clash = [c for c in ADDED if c in columns]
    if clash:
        raise InputError("holdings", f"the file already has column(s) {', '.join(clash)}")
    summary = PortfolioSummary(day)
    summary.weight_basis = next((columns[c] for c in WEIGHT_COLUMNS if c in columns), None)
    writer = OutputWriter(output, out_format)
    schema: pa.Schema | None = None
    try:
        for chunk in holdings.chunks(CHUNK_ROWS):
            if chunk.first_row + chunk.table.num_rows > MAX_HOLDINGS:
                raise InputError("holdings", f"more than {MAX_HOLDINGS:,} rows; split the file")
            table = _checked(chunk.table, chunk.problems, columns, day, screener, summary)
            schema = table.schema
            writer.write(table)
        writer.close(schema or _empty_schema(holdings))
    except BaseException:
        output.unlink(missing_ok=True)
        raise
    return summary


def _empty_schema(holdings: InputFile) -> pa.Schema:
    kinds = {"ns_cmic_listed": pa.bool_(), "purchase_prohibited": pa.bool_()}
    return pa.schema([*holdings.schema, *(pa.field(n, kinds.get(n, pa.string())) for n in ADDED)])


def _checked(table: pa.Table, problems: list[str | None], columns: dict[str, str], day: date,
             screener: Any, summary: PortfolioSummary) -> pa.Table:
    cells = {key: _texts(table, columns.get(key)) for key in (*ID_COLUMNS, *WEIGHT_COLUMNS)}
    added: dict[str, list[Any]] = {name: [] for name in ADDED}
    for i in range(table.num_rows):
        row = _holding(*(cells[k][i] for k in ID_COLUMNS), problems[i], day, screener)
        for name in ADDED:
            added[name].append(row.get(name))
        _count(summary, row, _weight(cells, i, summary))
    for name in ADDED:
        kind = pa.bool_() if name in ("ns_cmic_listed", "purchase_prohibited") else pa.string()
        table = table.append_column(name, pa.array(added[name], kind))
    return table


def _texts(table: pa.Table, column: str | None) -> list[str | None]:
    if column is None:
        return [None] * table.num_rows
    values = text_values(table.column(column), False) if pa.types.is_string(
        table.schema.field(column).type) or pa.types.is_large_string(
        table.schema.field(column).type) else [(None if v is None else str(v), None)
                                               for v in table.column(column).to_pylist()]
    return [(" ".join(text.split()) or None) if text else None for text, _ in values]


def _weight(cells: dict[str, list[str | None]], i: int, summary: PortfolioSummary) -> float | None:
    if summary.weight_basis is None:
        return None
    text = cells[summary.weight_basis.lower()][i]
    if text is None:
        return None
    try:
        value = float(text.replace(",", "").removesuffix("%"))
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _holding(ticker: str | None, isin: str | None, name: str | None, problem: str | None,
             day: date, screener: Any) -> dict[str, Any]:
    if problem:
        return {"status": "invalid", "reason": f"row: {problem}"}
    if isin is not None and not (_ISIN.match(isin.upper()) and _isin_ok(isin.upper())):
        return {"status": "invalid", "reason": f"isin: '{isin}' is not a valid ISIN (format or "
                                                "check digit)"}
    if ticker is not None and _ticker_key(ticker) is None:
        return {"status": "invalid", "reason": f"ticker: '{ticker}' is not a ticker with a known "
                                                "exchange suffix (e.g. 002415.SZ, 0020.HK)"}
    if not (ticker or isin or name):
        return {"status": "invalid", "reason": "row: no ticker, isin or name"}
    reg, found, notes, name_unsure = regime(), None, [], False
    for text in (isin, ticker, name):
        if not text:
            continue
        try:
            issuer, _ = reg.resolve(text)
        except InputError as exc:
            notes.append(exc.message)
            name_unsure = text is name
            continue
        if issuer is not None:
            found = text
            break
    if found is None:
        if name and not name_unsure:
            return {"status": "not_listed", "ns_cmic_listed": False, "purchase_prohibited": False,
                    "reason": f"'{name}' matches no issuer on the NS-CMIC List",
                    "other_lists": _other_lists(screener, name)}
        return {"status": "unknown", "reason": "; ".join(notes) or "no identifier matched",
                "other_lists": _other_lists(screener, name)}
    result = invest(found, day)
    row = {"ns_cmic_listed": result.listed, "purchase_prohibited": not result.may_buy,
           "divest_by": _iso(result.divest_by), "listing_date": _iso(result.listing_date),
           "issuer": result.issuer, "status": result.decision,
           "listing": next((f"{r.rule_id}: {r.citation}" for r in result.reasons
                            if r.rule_id in reg.actions), None),
           "reason": "; ".join(f"{r.summary} ({r.citation})" for r in result.reasons[:2]),
           "other_lists": _other_lists(screener, result.issuer or found)}
    return row


def _other_lists(screener: Any, name: str | None) -> str | None:
    if screener is None or not name:
        return None
    try:
        found = screener.screen(name, limit=5)
    except InputError:
        return None
    hits = [f"{m.entry.list_code}: {m.entry.name} ({m.score:.2f})" for m in found.matches
            if m.entry.list_code != "CMIC"]
    return "; ".join(hits) or None


def _count(summary: PortfolioSummary, row: dict[str, Any], weight: float | None) -> None:
    summary.rows += 1
    status = row["status"]
    if status in ("invalid", "unknown", "not_listed"):
        setattr(summary, status, getattr(summary, status) + 1)
    if row.get("ns_cmic_listed"):
        summary.listed += 1
    if weight is not None:
        summary.weight_total += weight
    if row.get("purchase_prohibited"):
        summary.purchase_prohibited += 1
        summary.weight_prohibited += weight or 0.0
        if row.get("issuer") and row["issuer"] not in summary.prohibited_issuers:
            summary.prohibited_issuers.append(row["issuer"])


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
