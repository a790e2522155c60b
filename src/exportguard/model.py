"""Plain typed records shared by every layer (no I/O, no database types)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Address:
    address: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "address": self.address,
            "city": self.city,
            "state": self.state,
            "postal_code": self.postal_code,
            "country": self.country,
        }


@dataclass(slots=True)
class ListEntry:
    """One record of a restricted-party list, as the source publishes it.

    `list_code` is the CSL short code (EL, SDN, DPL, ...). `local_names` are names in the party's
    own script that the project curates (never part of the official record); `key` identifies
    the same party across snapshots of one source.
    """

    list_code: str
    name: str
    source_name: str = ""
    entity_number: str | None = None
    type: str | None = None
    alt_names: list[str] = field(default_factory=list)
    local_names: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    license_requirement: str | None = None
    license_policy: str | None = None
    federal_register: list[str] = field(default_factory=list)
    start_date: date | None = None
    end_date: date | None = None
    source_list_url: str | None = None
    key: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


# The fields of an entry that are the source's record (curated local names and the raw record are
# not): what a diff compares and the fingerprint covers.
COMPARED_FIELDS = (
    "name", "type", "entity_number", "alt_names", "addresses", "countries", "programs",
    "license_requirement", "license_policy", "federal_register", "start_date", "end_date",
    "source_list_url",
)


def comparable(value: Any) -> Any:
    """A field value as plain JSON-able data."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [v.to_dict() if hasattr(v, "to_dict") else v for v in value]
    return value


def entry_fingerprint(entry: ListEntry) -> str:
    """SHA-1 of the compared fields: equal fingerprints, equal records."""
    data = [comparable(getattr(entry, name)) for name in COMPARED_FIELDS]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class SnapshotHeader:
    """What the caller knows about a snapshot before its entries are read."""

    source: str
    format: str
    origin: str
    checksum: str
    generated_at: datetime | None = None
    retrieved_at: datetime | None = None
    edition: date | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One load of one source: what was loaded, from where, and when."""

    id: int
    source: str
    format: str
    origin: str
    checksum: str
    entry_count: int
    lists: tuple[str, ...]
    generated_at: datetime | None
    retrieved_at: datetime | None
    loaded_at: datetime
    edition: date | None = None  # a past edition loaded to fill in history (update --edition)

    @property
    def speaks_for(self) -> date:
        """The day the snapshot speaks for: the edition asked for, else the day the source
        generated it when the file says so, else the day it was downloaded, else loaded."""
        if self.edition is not None:
            return self.edition
        return (self.generated_at or self.retrieved_at or self.loaded_at).date()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "format": self.format,
            "origin": self.origin,
            "checksum": self.checksum,
            "entry_count": self.entry_count,
            "lists": list(self.lists),
            "generated_at": _iso(self.generated_at),
            "retrieved_at": _iso(self.retrieved_at),
            "loaded_at": _iso(self.loaded_at),
            "edition": self.edition.isoformat() if self.edition else None,
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
