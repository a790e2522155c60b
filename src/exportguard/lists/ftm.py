"""Parser for FollowTheMoney entity streams: OpenSanctions `entities.ftm.json`.

Format: one JSON object per line, `{"id": .., "schema": "Company", "properties": {"name": [..]},
"datasets": [..], "first_seen": .., "last_seen": .., "last_change": .., "target": true, ..}`; every
property value is a list of strings. https://www.opensanctions.org/docs/bulk/json/ and the data
model at https://followthemoney.tech/explorer/.

A list entry is made for each sanctioned party: an entity whose schema is a LegalEntity (Person,
Organization, Company, PublicBody) or a Vehicle (Vessel, Airplane) and that is a target: its
`target` flag when the line carries one, otherwise being named by a Sanction entity's `entity`
property. Sanctions carry the dates and programmes; they are few, so a first pass over the file
collects them by entity id and a second pass yields the targets. Other entities (Ownership,
Address, Directorship, ...) are skipped and counted in `ListMeta.extra`.

Reading is streamed (`bounded_lines`: no line longer than `MAX_LINE_CHARS` is read whole). Every
line must be a JSON object with an `id`, a schema the installed FollowTheMoney model knows and
properties that are lists of strings; anything else is a ListFileError naming the line. A property
the model does not know (a newer export) is not an error: it is ignored and counted.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exportguard.countries import is_country_code
from exportguard.errors import ListFileError
from exportguard.lists.base import ListMeta, address_from_text, bounded_lines, open_text
from exportguard.lists.bounds import json_line
from exportguard.lists.codes import LIST_NAMES, list_code
from exportguard.model import ListEntry

if TYPE_CHECKING:
    from followthemoney.model import Model
    from followthemoney.proxy import EntityProxy
    from followthemoney.schema import Schema

# OpenSanctions dataset names (https://www.opensanctions.org/datasets/) whose entries belong to one
# list this project knows by its CSL code.
DATASET_CODES: dict[str, str] = {
    "us_ofac_sdn": "SDN",
    "us_bis_denied": "DPL",
    "un_sc_sanctions": "UN",
    "us_fcc_covered_list": "FCC",
}
# Datasets that merge several lists: the sanction's programme or authority says which one.
_PROGRAMME_DATASETS = {"us_ofac_cons", "us_trade_csl"}
# OpenSanctions programme ids of the OFAC non-SDN consolidated list
# (github.com/opensanctions/opensanctions, datasets/us/ofac/us_ofac_cons.yml).
_PROGRAMME_IDS: dict[str, str] = {
    "US-SSI": "SSI",
    "US-FSE": "FSE",
    "US-NS-CMIC": "CMIC",
    "US-NS-MBS": "NS-MBS",
    "US-NS-PLC": "PLC",
    "US-CAPTA": "CAP",
}
# Programme or authority texts naming a list without its '(CODE)'.
_LIST_TITLES: dict[str, str] = {
    "entity list": "EL",
    "denied persons list": "DPL",
    "unverified list": "UVL",
    "military end user list": "MEU",
    "military end-user list": "MEU",
    "specially designated nationals list": "SDN",
    "sectoral sanctions identifications list": "SSI",
    "non-sdn cmic list": "CMIC",
    "non-sdn menu-based sanctions list": "NS-MBS",
    "fse list": "FSE",
    "capta list": "CAP",
}
# When an entity is on several of these lists, the entry carries the first (all are in raw).
_CODE_ORDER = ("SDN", "EL", "DPL", "MEU", "UVL", "SSI", "CMIC", "NS-MBS", "FSE", "PLC", "CAP",
               "DTC", "ISN", "UN", "FCC")

_TARGET_BASES = ("LegalEntity", "Vehicle")
_NAME_PROPS = ("name", "alias", "previousName")
_COUNTRY_PROPS = ("country", "jurisdiction", "nationality", "citizenship", "flag")
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:T.*)?")
_PARTIAL_DATE = re.compile(r"\d{4}(?:-\d{2})?")
_SANCTION_FIELDS = ("program", "programId", "authority", "authorityId", "sourceUrl", "reason",
                    "provisions", "country", "status")


@dataclass(slots=True)
class _Sanction:
    id: str
    line: int
    entities: list[str]
    details: dict[str, list[str]]
    start: list[date] = field(default_factory=list)
    listed: list[date] = field(default_factory=list)
    end: list[date] = field(default_factory=list)
    partial: dict[str, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class _Scan:
    """What the first pass learns: the sanctions by entity id and counts for ListMeta.extra."""

    meta: ListMeta
    sanctions: dict[str, list[_Sanction]]


class FtmParser:
    """OpenSanctions / FollowTheMoney `entities.ftm.json` (one entity per line)."""

    format = "ftm-json"

    def __init__(self) -> None:
        self._scans: dict[Path, _Scan] = {}

    @staticmethod
    def sniff(path: Path, head: bytes) -> bool:
        """The first non-empty line is a JSON object with 'schema' and 'properties'."""
        text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
        stripped = text.lstrip()
        if not stripped.startswith("{"):
            return False
        first, newline, _rest = stripped.partition("\n")
        try:
            obj = json.loads(first)
        except RecursionError:
            return False
        except ValueError:
            if newline:
                return False
            # The first line is longer than the head: judge by its keys.
            return '"schema"' in first and '"properties"' in first
        return isinstance(obj, dict) and "schema" in obj and "properties" in obj

    def meta(self, path: Path) -> ListMeta:
        return self._scan(path).meta

    def entries(self, path: Path) -> Iterator[ListEntry]:
        scan = self._scan(path)
        extra = scan.meta.extra
        targets = not_targets = 0
        with open_text(path) as handle:
            for number, line in enumerate(bounded_lines(handle, path), start=1):
                record = _record(line, path, number)
                if record is None:
                    continue
                obj, schema, unknown = record
                if not _is_target_schema(schema):
                    continue
                if "target" in obj:
                    if not isinstance(obj["target"], bool):
                        raise ListFileError(str(path), "is not true or false", line=number,
                                            field="target")
                    is_target = obj["target"]
                else:
                    is_target = obj["id"] in scan.sanctions
                if not is_target:
                    not_targets += 1
                    continue
                targets += 1
                yield _entry(obj, schema, unknown, scan.sanctions.get(obj["id"], []), path,
                             number)
        extra["targets"] = targets
        extra["skipped_not_target"] = not_targets

    def _scan(self, path: Path) -> _Scan:
        if path not in self._scans:
            self._scans[path] = self._first_pass(path)
        return self._scans[path]

    def _first_pass(self, path: Path) -> _Scan:
        schemas: Counter[str] = Counter()
        unknown_props: Counter[str] = Counter()
        sanctions: dict[str, list[_Sanction]] = {}
        lines = sanction_count = 0
        with open_text(path) as handle:
            for number, line in enumerate(bounded_lines(handle, path), start=1):
                record = _record(line, path, number)
                if record is None:
                    continue
                lines += 1
                obj, schema, unknown = record
                schemas[schema.name] += 1
                unknown_props.update(f"{schema.name}.{p}" for p in unknown)
                if schema.is_a("Sanction"):
                    sanction_count += 1
                    sanction = _sanction(obj, path, number)
                    for entity_id in sanction.entities:
                        sanctions.setdefault(entity_id, []).append(sanction)
        if lines == 0:
            raise ListFileError(str(path), "holds no FollowTheMoney entities", line=1)
        skipped = {name: n for name, n in sorted(schemas.items())
                   if name != "Sanction" and not _is_target_schema(_model().get(name))}
        extra: dict[str, object] = {
            "entities": lines,
            "schemas": dict(sorted(schemas.items())),
            "sanctions": sanction_count,
            "sanctioned_entity_ids": len(sanctions),
            "skipped_schemas": skipped,
            "skipped": sum(skipped.values()),
        }
        if unknown_props:
            extra["unknown_properties"] = dict(sorted(unknown_props.items()))
        return _Scan(ListMeta(source="ftm", format=self.format, extra=extra), sanctions)


@cache
def _model() -> Model:
    """The FollowTheMoney model, imported on first use: loading it takes a second or more."""
    from followthemoney import model

    return model


def _is_target_schema(schema: Schema | None) -> bool:
    return schema is not None and any(schema.is_a(base) for base in _TARGET_BASES)


def _record(
    line: str, path: Path, number: int
) -> tuple[dict[str, Any], Schema, list[str]] | None:
    """The line as a checked FtM entity dict, its schema and its unknown property names; None for
    a blank line."""
    text = line.strip()
    if not text:
        return None
    try:
        obj = json_line(text, str(path), number)
    except ValueError as exc:
        raise ListFileError(str(path), f"is not JSON: {exc}", line=number) from None
    if not isinstance(obj, dict):
        raise ListFileError(str(path), "is not a JSON object (one entity per line)", line=number)
    entity_id = obj.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise ListFileError(str(path), "is missing or empty", line=number, field="id")
    schema_name = obj.get("schema")
    if not isinstance(schema_name, str) or not schema_name:
        raise ListFileError(str(path), "is missing", line=number, field="schema")
    schema = _model().get(schema_name)
    if schema is None:
        raise ListFileError(
            str(path), f"'{schema_name}' is not a FollowTheMoney schema", line=number,
            field="schema",
        )
    properties = obj.get("properties", {})
    if not isinstance(properties, dict):
        raise ListFileError(str(path), "is not an object", line=number, field="properties")
    unknown: list[str] = []
    for prop, values in properties.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ListFileError(
                str(path), "is not a list of strings", line=number, field=f"properties.{prop}"
            )
        if schema.get(prop) is None:
            unknown.append(prop)
    return obj, schema, unknown


def _proxy(obj: dict[str, Any], path: Path, number: int) -> EntityProxy:
    from followthemoney.exc import InvalidData

    try:
        return _model().get_proxy(obj)
    except InvalidData as exc:
        raise ListFileError(str(path), f"is not a valid FollowTheMoney entity: {exc}",
                            line=number) from None


def _sanction(obj: dict[str, Any], path: Path, number: int) -> _Sanction:
    proxy = _proxy(obj, path, number)
    if not proxy.get("entity"):
        raise ListFileError(str(path), "a Sanction names no entity", line=number,
                            field="properties.entity")
    details = {name: values for name in _SANCTION_FIELDS if (values := proxy.get(name))}
    sanction = _Sanction(id=obj["id"], line=number, entities=proxy.get("entity"),
                         details=details)
    for prop, bucket in (("startDate", sanction.start), ("listingDate", sanction.listed),
                         ("endDate", sanction.end)):
        for value in proxy.get(prop):
            day = _full_date(value, path, number, prop)
            if day is None:
                sanction.partial.setdefault(prop, []).append(value)
            else:
                bucket.append(day)
    return sanction


def _full_date(value: str, path: Path, number: int, prop: str) -> date | None:
    """A full ISO date; None for a partial one ('2019-10', '2019'); anything else is an error."""
    text = value.strip()
    if _FULL_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    elif _PARTIAL_DATE.fullmatch(text):
        return None
    raise ListFileError(str(path), f"'{value}' is not an ISO date", line=number,
                        field=f"properties.{prop}")


def _entry(obj: dict[str, Any], schema: Schema, unknown: list[str], sanctions: list[_Sanction],
           path: Path, number: int) -> ListEntry:
    proxy = _proxy(obj, path, number)
    names = proxy.get("name")
    caption = proxy.caption
    if not names and caption == schema.label:  # the caption falls back to the schema's label
        raise ListFileError(str(path), "the sanctioned entity has no name", line=number,
                            field="properties.name")
    name = caption if caption in names or not names else names[0]

    alt_names: list[str] = []
    seen = {name.casefold()}
    for prop in _NAME_PROPS:
        for value in proxy.get(prop, quiet=True):
            value = value.strip()
            if value and value.casefold() not in seen:
                seen.add(value.casefold())
                alt_names.append(value)

    countries: list[str] = []
    other_countries: list[str] = []
    for prop in _COUNTRY_PROPS:
        for value in proxy.get(prop, quiet=True):
            code = value.strip().upper()
            if len(code) == 2 and is_country_code(code):
                if code not in countries:
                    countries.append(code)
            elif value not in other_countries:
                other_countries.append(value)

    addresses = [address_from_text(a) for a in proxy.get("address", quiet=True) if a.strip()]

    programs: list[str] = []
    starts: list[date] = []
    listed: list[date] = []
    ends: list[date | None] = []
    partial: dict[str, list[str]] = {}
    for sanction in sanctions:
        for value in sanction.details.get("program") or sanction.details.get("programId") or []:
            if value not in programs:
                programs.append(value)
        starts.extend(sanction.start)
        listed.extend(sanction.listed)
        ends.append(max(sanction.end) if sanction.end else None)
        for prop, values in sanction.partial.items():
            partial.setdefault(prop, []).extend(values)
    start = min(starts) if starts else (min(listed) if listed else None)
    # The listing ends when every sanction on it has ended.
    ended = [e for e in ends if e is not None]
    end = max(ended) if ended and len(ended) == len(ends) else None

    datasets = [str(d) for d in obj.get("datasets") or [] if isinstance(d, str)]
    codes = _list_codes(datasets, sanctions)
    code = next((c for c in _CODE_ORDER if c in codes), "FTM")

    raw: dict[str, Any] = {
        "id": obj["id"],
        "schema": schema.name,
        "datasets": datasets,
        "line": number,
    }
    for key in ("first_seen", "last_seen", "last_change", "target"):
        if obj.get(key) is not None:
            raw[key] = obj[key]
    optional: dict[str, Any] = {
        "sanctions": [
            {"id": s.id, **s.details,
             **{k: [d.isoformat() for d in v] for k, v in
                (("startDate", s.start), ("listingDate", s.listed), ("endDate", s.end)) if v},
             **({"partial_dates": s.partial} if s.partial else {})}
            for s in sanctions
        ],
        "weak_aliases": proxy.get("weakAlias", quiet=True),
        "other_countries": other_countries,
        "partial_dates": partial,
        "list_codes": sorted(codes),
        "unknown_properties": unknown,
    }
    raw.update({k: v for k, v in optional.items() if v})

    return ListEntry(
        list_code=code,
        name=name,
        source_name=LIST_NAMES[code],
        type=_entry_type(schema),
        alt_names=alt_names,
        addresses=addresses,
        countries=countries,
        programs=programs,
        start_date=start,
        end_date=end,
        key=f"FTM:{obj['id']}",
        raw=raw,
    )


def _entry_type(schema: Schema) -> str:
    if schema.is_a("Person"):
        return "Individual"
    if schema.is_a("Vessel"):
        return "Vessel"
    if schema.is_a("Airplane"):
        return "Aircraft"
    return "Entity"


def _list_codes(datasets: list[str], sanctions: list[_Sanction]) -> set[str]:
    codes = {DATASET_CODES[d] for d in datasets if d in DATASET_CODES}
    if _PROGRAMME_DATASETS.intersection(datasets):
        for sanction in sanctions:
            for value in sanction.details.get("programId", []):
                if value in _PROGRAMME_IDS:
                    codes.add(_PROGRAMME_IDS[value])
            for prop in ("program", "authority"):
                for value in sanction.details.get(prop, []):
                    found = _code_of_title(value)
                    if found:
                        codes.add(found)
    return codes


def _code_of_title(text: str) -> str | None:
    """'Entity List (EL) - Bureau of Industry and Security' or 'Entity List' -> 'EL'."""
    code = list_code(text)
    if code in LIST_NAMES:
        return code
    return _LIST_TITLES.get(" ".join(text.split()).casefold())
