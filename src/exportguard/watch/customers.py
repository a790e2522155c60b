"""Reading a customer file for the watchlist (CSV with a header row)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exportguard.countries import parse_country
from exportguard.errors import InputError, ListFileError
from exportguard.screening.screener import validate_query
from exportguard.tabular import read_csv_records

MAX_CUSTOMERS = 5_000_000


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    ref: str
    name: str
    country: str | None
    attributes: dict[str, Any]

    def row(self) -> tuple[str, str, str | None, dict[str, Any]]:
        return self.ref, self.name, self.country, self.attributes


def read_customers(
    path: Path,
    *,
    id_column: str = "id",
    name_column: str = "name",
    country_column: str = "country",
) -> list[CustomerRecord]:
    """All rows of a customer CSV, validated. Any bad row refuses the whole file (nothing is
    imported) with every problem listed by line and column, up to ten."""
    seen: dict[str, int] = {}
    columns: set[str] = set()

    def check_header(header: list[str]) -> None:
        if name_column not in header:
            raise ListFileError(str(path), f"has no '{name_column}' column (columns: "
                                f"{', '.join(header)}); use --name-column", line=1,
                                field=name_column)
        columns.update(header)

    def record(line: int, values: dict[str, str]) -> CustomerRecord:
        found = _record(values, id_column in columns, country_column in columns, id_column,
                        name_column, country_column)
        if found.ref in seen:
            raise InputError(id_column, f"id '{found.ref}' repeats line {seen[found.ref]}")
        seen[found.ref] = line
        if len(seen) > MAX_CUSTOMERS:
            raise ListFileError(str(path), f"holds more than {MAX_CUSTOMERS:,} customers; "
                                "split it")
        return found

    records = read_csv_records(path, check_header, record)
    if not records:
        raise ListFileError(str(path), "holds no customers")
    return records


def _record(values: dict[str, str], has_id: bool, has_country: bool, id_column: str,
            name_column: str, country_column: str) -> CustomerRecord:
    raw_name = values[name_column]
    try:
        name = validate_query(raw_name)
    except InputError as exc:
        raise InputError(name_column, exc.message) from None
    country_text = values[country_column].strip() if has_country else ""
    country = parse_country(country_text, country_column) if country_text else None
    if has_id:
        ref = values[id_column].strip()
        if not ref:
            raise InputError(id_column, "is empty")
        if len(ref) > 200:
            raise InputError(id_column, "is longer than 200 characters")
    else:
        # No id column: the name and country identify the customer across imports.
        ref = "n:" + hashlib.sha1(f"{name.casefold()}|{country}".encode()).hexdigest()[:16]
    attributes = {k: v for k, v in values.items()
                  if k not in (id_column, name_column, country_column) and v}
    return CustomerRecord(ref, name, country, attributes)
