"""Plain typed records shared by every layer (no I/O, no database types)."""

from __future__ import annotations

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
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
