"""The built-in starter set (data/starter_entities.yaml) and the curated names in Chinese script
(data/local_names/*.yaml, one file per curation batch). Both are written by the project; every
record cites its source."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import cache
from typing import Any

from exportguard.lists.codes import LIST_NAMES
from exportguard.model import Address, ListEntry
from exportguard.names.normalize import name_forms
from exportguard.package_files import PACKAGE

STARTER_SOURCE = "starter"
STARTER_KEY_PREFIX = "starter:"
_STARTER_FILE = "data/starter_entities.yaml"
_LOCAL_NAMES_DIR = "data/local_names"
_LOCAL_NAME_KEYS = {"listed_name", "local_names", "source", "note", "unresolved_source"}
# an http(s) address in a record's `source`: the page or file a reader can open to check the name
_ADDRESS = re.compile(r"https?://\S")


def _text(name: str) -> str:
    return PACKAGE.joinpath(name).read_text("utf-8")


def starter_checksum() -> str:
    return hashlib.sha256(_text(_STARTER_FILE).encode("utf-8")).hexdigest()


def starter_entries() -> Iterator[ListEntry]:
    import yaml  # read when the starter set is loaded, not by every screen

    data = yaml.safe_load(_text(_STARTER_FILE))
    for record in data["entries"]:
        yield _entry(record)


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _entry(record: dict[str, Any]) -> ListEntry:
    code = record["list"]
    raw = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in record.items()}
    return ListEntry(
        list_code=code,
        source_name=LIST_NAMES.get(code, code),
        name=record["name"],
        entity_number=record.get("entity_number"),
        type=record.get("type"),
        alt_names=list(record.get("alt_names") or []),
        local_names=list(record.get("local_names") or []),
        addresses=[Address(**a) for a in record.get("addresses") or []],
        countries=list(record.get("countries") or []),
        programs=list(record.get("programs") or []),
        license_requirement=record.get("license_requirement"),
        license_policy=record.get("license_policy"),
        federal_register=list(record.get("federal_register") or []),
        start_date=_date(record.get("start_date")),
        end_date=_date(record.get("end_date")),
        source_list_url=(record.get("citation") or {}).get("source_url"),
        key=f"{STARTER_KEY_PREFIX}{record['id']}",
        raw=raw,
    )


def local_names_files() -> list[Any]:
    """The curated local-name files, in name order (their bytes also key the index cache)."""
    folder = PACKAGE.joinpath(_LOCAL_NAMES_DIR)
    return sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)


def local_name_records(files: list[Any] | None = None) -> Iterator[dict[str, Any]]:
    """Every curated record, checked: `listed_name` (a name or alias the list carries), a non-empty
    list of `local_names`, a `source`; an optional `note`; an optional `unresolved_source: true`,
    which marks a record whose `source` carries no http(s) address (a file of a code index that
    could not be tied to a repository) and then requires a `note` saying why; anything else is
    refused by name."""
    import yaml

    for file in local_names_files() if files is None else files:
        data = yaml.safe_load(file.read_text("utf-8"))
        records = data.get("names") if isinstance(data, dict) else None
        if not isinstance(records, list):
            raise ValueError(f"{_LOCAL_NAMES_DIR}/{file.name}: expected a 'names' list")
        for number, record in enumerate(records, 1):
            where = f"{_LOCAL_NAMES_DIR}/{file.name} record {number}"
            if not isinstance(record, dict):
                raise ValueError(f"{where}: expected a mapping")
            unknown = set(record) - _LOCAL_NAME_KEYS
            if unknown:
                raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}")
            names = record.get("local_names")
            if not isinstance(record.get("listed_name"), str) or not record["listed_name"].strip():
                raise ValueError(f"{where}: listed_name must be a non-empty string")
            if not isinstance(names, list) or not names or not all(
                    isinstance(n, str) and n.strip() for n in names):
                raise ValueError(f"{where}: local_names must be a non-empty list of strings")
            if not isinstance(record.get("source"), str) or not record["source"].strip():
                raise ValueError(f"{where}: source is required")
            if "unresolved_source" in record:
                if record["unresolved_source"] is not True:
                    raise ValueError(f"{where}: unresolved_source must be true when given")
                if _ADDRESS.search(record["source"]):
                    raise ValueError(f"{where}: unresolved_source is for a source with no "
                                     "http(s) address, and this source has one")
                if not isinstance(record.get("note"), str) or not record["note"].strip():
                    raise ValueError(f"{where}: unresolved_source needs a note saying why")
            yield record


@cache
def local_names_by_name() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Curated names in the party's own script, keyed by the core of the listed name they belong
    to, so they reach entries of any loaded list (the official lists carry none)."""
    found: dict[tuple[str, ...], list[str]] = {}
    for record in local_name_records():
        for form in name_forms(record["listed_name"]):
            found.setdefault(form.tokens, []).extend(record["local_names"])
    return {k: tuple(dict.fromkeys(v)) for k, v in found.items()}


def with_local_names(entry: ListEntry) -> ListEntry:
    """The entry with the curated local names of any of its names added: a copy when there are
    any (the entry given is left as it was: callers screen the same entries with and without
    the curated names), else the entry itself."""
    curated = local_names_by_name()
    extra: list[str] = []
    for text in (entry.name, *entry.alt_names):
        for form in name_forms(text):
            extra.extend(curated.get(form.tokens, ()))
    if extra:
        return replace(entry, local_names=list(dict.fromkeys([*entry.local_names, *extra])))
    return entry
