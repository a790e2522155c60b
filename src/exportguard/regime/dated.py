"""Dated records: every rule, threshold and measure says from when to when it was in force."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from exportguard.errors import InputError

EARLIEST_DATE = date(2018, 1, 1)
"""The regime data starts here; earlier dates are refused rather than answered from nothing."""

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_as_of(value: str | date | None, field: str = "date") -> date:
    """The date a question is asked for: ISO `YYYY-MM-DD`, not before 2018; today when omitted."""
    if value is None:
        return date.today()
    if isinstance(value, date):
        parsed = value
    else:
        text = str(value).strip()
        if not _ISO.match(text):
            raise InputError(field, f"'{text}' is not a date in the form YYYY-MM-DD")
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            raise InputError(field, f"'{text}' is not a real calendar date") from None
    if parsed < EARLIEST_DATE:
        raise InputError(
            field,
            f"{parsed.isoformat()} is before {EARLIEST_DATE.isoformat()}, where the rules data "
            "starts; exportguard does not answer for earlier dates",
        )
    return parsed


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule comes from: the CFR paragraph and the Federal Register document (or letter)."""

    cfr: str
    source: str
    url: str

    def text(self) -> str:
        return f"{self.cfr}; {self.source}"

    def to_dict(self) -> dict[str, str]:
        return {"cfr": self.cfr, "source": self.source, "url": self.url}

    @classmethod
    def from_data(cls, data: dict[str, Any], where: str) -> Citation:
        missing = [k for k in ("cfr", "source", "url") if not data.get(k)]
        if missing:
            raise ValueError(f"{where}: citation lacks {', '.join(missing)}")
        return cls(str(data["cfr"]), str(data["source"]), str(data["url"]))


@dataclass(frozen=True, slots=True)
class Period:
    """`effective_from` to `effective_to`, both inclusive; an open end is still in force."""

    effective_from: date
    effective_to: date | None = None

    def contains(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    @classmethod
    def from_data(cls, data: dict[str, Any], where: str) -> Period:
        start = _data_date(data.get("effective_from"), f"{where}.effective_from")
        if start is None:
            raise ValueError(f"{where}: effective_from is required")
        end = _data_date(data.get("effective_to"), f"{where}.effective_to")
        if end is not None and end < start:
            raise ValueError(f"{where}: effective_to {end} is before effective_from {start}")
        return cls(start, end)


def iso(day: date | None) -> str | None:
    """A date as ISO text for JSON, or None."""
    return day.isoformat() if day else None


def _data_date(value: object, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{where}: '{value}' is not an ISO date") from None
