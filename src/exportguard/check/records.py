"""Dated records for jurisdiction, licence exceptions and releases, read and checked at load.

Each file (data/regime/jurisdiction.yaml, exceptions.yaml, releases.yaml) holds lists of records
with an id, a summary, `effective_from`/`effective_to`, a citation and an optional caveat and
`when` condition. A key the file's kind does not declare, a missing citation or date, or a
condition naming a fact nobody produces is an error when the file is read, never a silently
different answer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import yaml

from exportguard.regime.conditions import Condition, parse_condition
from exportguard.regime.dated import Citation, Period

COMMON_KEYS = frozenset(
    {"id", "summary", "effective_from", "effective_to", "citation", "caveat", "when"}
)


@dataclass(frozen=True)
class DatedRecord:
    id: str
    summary: str
    period: Period
    citation: Citation
    caveat: str | None
    when: Condition | None
    fields: dict[str, Any]

    def in_force(self, day: date) -> bool:
        return self.period.contains(day)

    def reference(self) -> dict[str, Any]:
        """The record as a reason cites it."""
        return {
            "rule_id": self.id,
            "citation": self.citation.text(),
            "source": self.citation.url,
            "effective_from": self.period.effective_from.isoformat(),
            "effective_to": self.period.effective_to.isoformat()
            if self.period.effective_to else None,
            "caveat": self.caveat,
        }


@dataclass(frozen=True)
class RecordFile:
    version: str
    sections: dict[str, tuple[DatedRecord, ...]]

    def on(self, section: str, day: date) -> list[DatedRecord]:
        return [r for r in self.sections[section] if r.in_force(day)]


def load_records(
    path: str, kinds: dict[str, frozenset[str]], facts: frozenset[str]
) -> RecordFile:
    """Read `path` (under the package) whose top-level `kinds` each list records that may use
    the common keys plus the kind's own; conditions may name only `facts`."""
    raw = resources.files("exportguard").joinpath(path).read_bytes()
    data = yaml.safe_load(raw)
    if not isinstance(data, dict) or "version" not in data:
        raise ValueError(f"{path}: expected a mapping with a 'version'")
    unknown = set(data) - set(kinds) - {"version"}
    if unknown:
        raise ValueError(f"{path}: unknown sections {sorted(unknown)}")
    version = f"{data['version']}+{hashlib.sha256(raw).hexdigest()[:12]}"
    sections: dict[str, tuple[DatedRecord, ...]] = {}
    for kind, own in kinds.items():
        records = data.get(kind) or []
        parsed = tuple(
            _record(r, f"{path} {kind}[{i}]", own, facts) for i, r in enumerate(records)
        )
        ids = [r.id for r in parsed]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{path} {kind}: duplicate ids")
        sections[kind] = parsed
    return RecordFile(version, sections)


def _record(
    data: object, where: str, own: frozenset[str], facts: frozenset[str]
) -> DatedRecord:
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected a mapping")
    unknown = set(data) - COMMON_KEYS - own
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "summary", "citation", "effective_from"):
        if not data.get(key):
            raise ValueError(f"{where}: '{key}' is required")
    where = f"{where} {data['id']}"
    when = parse_condition(data["when"], f"{where}.when") if "when" in data else None
    named = set(when.facts()) if when is not None else set()
    undeclared = named - facts
    if undeclared:
        raise ValueError(f"{where}: condition names undeclared facts {sorted(undeclared)}")
    return DatedRecord(
        id=str(data["id"]),
        summary=" ".join(str(data["summary"]).split()),
        period=Period.from_data(data, where),
        citation=Citation.from_data(data["citation"], where),
        caveat=" ".join(str(data["caveat"]).split()) if data.get("caveat") else None,
        when=when,
        fields={k: v for k, v in data.items() if k in own},
    )
