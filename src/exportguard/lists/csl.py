"""Parsers for the trade.gov Consolidated Screening List: CSV (with or without `_id`), JSON, and the
compact JSON of ../shared/reference/csl. All three stream: entries are yielded one at a time.

CSL columns: https://www.trade.gov/consolidated-screening-list (data dictionary).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson

from exportguard.errors import ListFileError
from exportguard.lists.base import (
    ListMeta,
    address_from_text,
    bounded_lines,
    countries_of,
    fallback_key,
    open_text,
    parse_iso_date,
    parse_timestamp,
    split_multi,
)
from exportguard.lists.bounds import JsonGuard
from exportguard.lists.codes import list_code
from exportguard.model import Address, ListEntry

# The columns every CSL CSV export has carried; the current export adds `_id` in front.
CSV_COLUMNS = (
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "alt_names",
    "source_list_url",
)
MAX_FIELD_CHARS = 1_000_000


def _code_for(
    source: str, *, path: Path, line: int | None = None, record: int | None = None
) -> str:
    if not source or not source.strip():
        raise ListFileError(str(path), "is empty", line=line, record=record, field="source")
    code = list_code(source)
    if code is None:
        raise ListFileError(
            str(path), f"'{source}' names no list (expected e.g. 'Entity List (EL) - ...')",
            line=line, record=record, field="source",
        )
    return code


def _required_name(value: object, *, path: Path, line: int | None = None,
                   record: int | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ListFileError(str(path), "is empty", line=line, record=record, field="name")
    return value.strip()


class CslCsvParser:
    """trade.gov CSL CSV export. The older export has no `_id`; the current one starts with it."""

    format = "csl-csv"

    def meta(self, path: Path) -> ListMeta:
        header = self._header(path)
        return ListMeta(source="csl", format=self.format, extra={"has_id": "_id" in header})

    def _header(self, path: Path) -> list[str]:
        csv.field_size_limit(MAX_FIELD_CHARS)
        with open_text(path) as handle:
            try:
                header = next(csv.reader(bounded_lines(handle, path)), None)
            except (csv.Error, UnicodeDecodeError) as exc:
                raise ListFileError(str(path), f"unreadable header: {exc}", line=1) from None
        if not header:
            raise ListFileError(str(path), "is empty: no header row", line=1)
        header = [h.strip() for h in header]
        missing = [c for c in CSV_COLUMNS if c not in header]
        if missing:
            raise ListFileError(
                str(path), f"header lacks CSL column(s) {', '.join(missing)}", line=1,
                field=missing[0],
            )
        return header

    def entries(self, path: Path) -> Iterator[ListEntry]:
        header = self._header(path)
        csv.field_size_limit(MAX_FIELD_CHARS)
        with open_text(path) as handle:
            reader = csv.reader(bounded_lines(handle, path), strict=True)
            line = 1
            try:
                next(reader)
                for row in reader:
                    line = reader.line_num
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue
                    if len(row) != len(header):
                        raise ListFileError(
                            str(path),
                            f"row has {len(row)} fields but the header has {len(header)} "
                            "(truncated or malformed row)",
                            line=line,
                        )
                    yield self._entry(dict(zip(header, row, strict=True)), path, line)
            except csv.Error as exc:
                raise ListFileError(str(path), f"malformed CSV: {exc}", line=reader.line_num) \
                    from None
            except UnicodeDecodeError as exc:
                raise ListFileError(
                    str(path), f"not UTF-8 text ({exc.reason})", line=line + 1
                ) from None

    @staticmethod
    def _entry(row: dict[str, str], path: Path, line: int) -> ListEntry:
        code = _code_for(row["source"], path=path, line=line)
        name = _required_name(row["name"], path=path, line=line)
        addresses = [address_from_text(a) for a in split_multi(row.get("addresses"))]
        start = parse_iso_date(row.get("start_date"), path=path, field="start_date", line=line)
        end = parse_iso_date(row.get("end_date"), path=path, field="end_date", line=line)
        entity_number = (row.get("entity_number") or "").strip() or None
        if row.get("_id"):
            key = f"{code}:{row['_id'].strip()}"
        elif entity_number:
            key = f"{code}:{entity_number}"
        else:
            key = fallback_key(code, name, start)
        return ListEntry(
            list_code=code,
            source_name=row["source"].strip(),
            name=name,
            entity_number=entity_number,
            type=(row.get("type") or "").strip() or None,
            alt_names=split_multi(row.get("alt_names")),
            addresses=addresses,
            countries=countries_of(addresses),
            programs=split_multi(row.get("programs")),
            license_requirement=(row.get("license_requirement") or "").strip() or None,
            license_policy=(row.get("license_policy") or "").strip() or None,
            federal_register=split_multi(row.get("federal_register_notice")),
            start_date=start,
            end_date=end,
            source_list_url=(row.get("source_list_url") or "").strip() or None,
            key=key,
            raw={k: v for k, v in row.items() if v},
        )


class CslJsonParser:
    """trade.gov CSL JSON: {"results": [...]} (bulk download and API) or a bare array."""

    format = "csl-json"

    def meta(self, path: Path) -> ListMeta:
        return ListMeta(source="csl", format=self.format)

    def entries(self, path: Path) -> Iterator[ListEntry]:
        prefix = "item" if _first_char(path) == "[" else "results.item"
        record = 0
        with path.open("rb") as handle:
            try:
                for record, item in enumerate(ijson.items(JsonGuard(handle, str(path)), prefix),
                                              start=1):
                    if not isinstance(item, dict):
                        raise ListFileError(str(path), "is not an object", record=record)
                    yield self._entry(item, path, record)
            except ijson.JSONError as exc:
                raise ListFileError(
                    str(path), f"malformed JSON after record {record}: {exc}", record=record + 1
                ) from None
        if record == 0:
            raise ListFileError(str(path), f"no CSL records found under '{prefix}'")

    @staticmethod
    def _entry(item: dict[str, Any], path: Path, record: int) -> ListEntry:
        code = _code_for(str(item.get("source") or ""), path=path, record=record)
        name = _required_name(item.get("name"), path=path, record=record)
        addresses = []
        for i, raw in enumerate(_as_list(item.get("addresses"))):
            if not isinstance(raw, dict):
                raise ListFileError(str(path), "is not an object", record=record,
                                    field=f"addresses[{i}]")
            country = str(raw.get("country") or "").strip().upper() or None
            addresses.append(Address(
                address=_str_or_none(raw.get("address")), city=_str_or_none(raw.get("city")),
                state=_str_or_none(raw.get("state")),
                postal_code=_str_or_none(raw.get("postal_code")), country=country,
            ))
        start = parse_iso_date(item.get("start_date"), path=path, field="start_date", record=record)
        end = parse_iso_date(item.get("end_date"), path=path, field="end_date", record=record)
        entity_number = _str_or_none(item.get("entity_number"))
        raw_id = _str_or_none(item.get("id") or item.get("_id"))
        key = f"{code}:{raw_id}" if raw_id else (
            f"{code}:{entity_number}" if entity_number else fallback_key(code, name, start))
        return ListEntry(
            list_code=code,
            source_name=str(item["source"]).strip(),
            name=name,
            entity_number=entity_number,
            type=_str_or_none(item.get("type")),
            alt_names=[str(a).strip() for a in _as_list(item.get("alt_names")) if str(a).strip()],
            addresses=addresses,
            countries=countries_of(addresses),
            programs=[str(p) for p in _as_list(item.get("programs"))],
            license_requirement=_str_or_none(item.get("license_requirement")),
            license_policy=_str_or_none(item.get("license_policy")),
            federal_register=split_multi(_str_or_none(item.get("federal_register_notice"))),
            start_date=start,
            end_date=end,
            source_list_url=_str_or_none(item.get("source_list_url")),
            key=key,
            raw=_jsonable(item),
        )


class CslCompactParser:
    """The compact CSL JSON (lookup tables plus short-keyed entries; see its `fieldKey`)."""

    format = "csl-compact"
    _META_KEYS = ("sourceGeneratedAt", "retrievedAt", "entryCount")

    def __init__(self) -> None:
        self._heads: dict[Path, tuple[ListMeta, dict[str, list[Any]]]] = {}

    def meta(self, path: Path) -> ListMeta:
        meta, _ = self._head(path)
        return meta

    def _head(self, path: Path) -> tuple[ListMeta, dict[str, list[Any]]]:
        """Metadata and lookup tables, read in one pass over the file and kept for `entries`."""
        if path not in self._heads:
            self._heads[path] = self._read_head(path)
        return self._heads[path]

    def _read_head(self, path: Path) -> tuple[ListMeta, dict[str, list[Any]]]:
        scalars: dict[str, Any] = {}
        tables: dict[str, list[Any]] | None = None
        with path.open("rb") as handle:
            try:
                builder: ijson.ObjectBuilder | None = None
                for prefix, event, value in ijson.parse(JsonGuard(handle, str(path))):
                    if prefix in self._META_KEYS:
                        scalars[prefix] = value
                    elif prefix == "tables" and event == "start_map":
                        builder = ijson.ObjectBuilder()
                    if builder is not None and prefix.startswith("tables"):
                        builder.event(event, value)
                        if prefix == "tables" and event == "end_map":
                            tables = builder.value
                            builder = None
            except ijson.JSONError as exc:
                raise ListFileError(str(path), f"malformed JSON: {exc}") from None
        if tables is None:
            raise ListFileError(str(path), "has no 'tables' object", field="tables")
        for name in ("sources",):
            if not isinstance(tables.get(name), list):
                raise ListFileError(str(path), "missing or not a list", field=f"tables.{name}")
        count = scalars.get("entryCount")
        meta = ListMeta(
            source="csl",
            format=self.format,
            generated_at=parse_timestamp(scalars.get("sourceGeneratedAt")),
            retrieved_at=parse_timestamp(scalars.get("retrievedAt")),
            declared_count=int(count) if count is not None else None,
        )
        return meta, tables

    def entries(self, path: Path) -> Iterator[ListEntry]:
        meta, tables = self._head(path)
        record = 0
        with path.open("rb") as handle:
            try:
                items = ijson.items(JsonGuard(handle, str(path)), "entries.item")
                for record, item in enumerate(items, start=1):
                    yield self._entry(item, tables, path, record)
            except ijson.JSONError as exc:
                raise ListFileError(
                    str(path), f"malformed JSON after record {record}: {exc}", record=record + 1
                ) from None
        if meta.declared_count is not None and record != meta.declared_count:
            raise ListFileError(
                str(path), f"declares {meta.declared_count} entries but holds {record}",
                field="entryCount",
            )

    @staticmethod
    def _lookup(tables: dict[str, list[Any]], table: str, item: dict[str, Any], key: str,
                path: Path, record: int) -> Any:
        if key not in item or item[key] is None:
            return None
        index = item[key]
        values = tables.get(table) or []
        if not isinstance(index, int) or not 0 <= index < len(values):
            raise ListFileError(
                str(path), f"index {index!r} is outside tables.{table}", record=record, field=key
            )
        return values[index]

    def _entry(self, item: Any, tables: dict[str, list[Any]], path: Path,
               record: int) -> ListEntry:
        if not isinstance(item, dict):
            raise ListFileError(str(path), "is not an object", record=record)
        source = self._lookup(tables, "sources", item, "s", path, record)
        if source is None:
            raise ListFileError(str(path), "is missing", record=record, field="s")
        code = _code_for(source, path=path, record=record)
        name = _required_name(item.get("n"), path=path, record=record)
        countries = [str(c).upper() for c in _as_list(item.get("c"))]
        entity_number = _str_or_none(item.get("e"))
        programme = self._lookup(tables, "programmes", item, "pg", path, record)
        key = f"{code}:{entity_number}" if entity_number else fallback_key(code, name, None)
        return ListEntry(
            list_code=code,
            source_name=source,
            name=name,
            entity_number=entity_number,
            type=_str_or_none(item.get("t")),
            alt_names=[str(a).strip() for a in _as_list(item.get("a")) if str(a).strip()],
            countries=countries,
            programs=split_multi(programme) if programme else [],
            license_requirement=self._lookup(tables, "licenceRequirements", item, "lr", path,
                                             record),
            license_policy=self._lookup(tables, "licencePolicies", item, "lp", path, record),
            federal_register=split_multi(_str_or_none(item.get("fr"))),
            source_list_url=self._lookup(tables, "urls", item, "u", path, record),
            key=key,
            raw=_jsonable(item),
        )


def _first_char(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1].decode("ascii", "replace")


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _jsonable(value: Any) -> Any:
    """ijson yields Decimal for numbers; the raw record is stored as JSON."""
    from decimal import Decimal

    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
