"""ECCN 3A090/4A090 parameters and the dated measures on advanced chips, read from
data/regime/advanced_computing.yaml.

The file holds one record per paragraph version, so a person who knows the regulation can review
it without reading Python: each record has the paragraph, what it controls in words, the condition
as the text states it, `effective_from`/`effective_to`, and the CFR paragraph and Federal Register
document it comes from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from exportguard.regime.conditions import Condition, parse_condition
from exportguard.regime.dated import Citation, Period

DATA_FILE = "data/regime/advanced_computing.yaml"


@dataclass(frozen=True)
class Dated:
    id: str
    summary: str
    period: Period
    citation: Citation
    caveat: str | None

    def in_force(self, day: date) -> bool:
        return self.period.contains(day)


@dataclass(frozen=True)
class ControlParagraph(Dated):
    """A paragraph of 3A090 in one version of its text, e.g. 3A090.a.2 from 2023-11-17."""

    paragraph: str
    kinds: tuple[str, ...]
    condition: Condition

    @property
    def eccn(self) -> str:
        """The paragraph's top level, e.g. '3A090.a' for '3A090.a.2'."""
        return ".".join(self.paragraph.split(".")[:2])


@dataclass(frozen=True)
class Exclusion(Dated):
    """A note that takes items out of paragraphs, e.g. Note 2 to 3A090 (non-datacenter parts)."""

    name: str
    eccns: tuple[str, ...]
    condition: Condition


@dataclass(frozen=True)
class DerivedParagraph(Dated):
    """A paragraph that follows from a contained IC, e.g. 4A090.a for computers with 3A090.a ICs."""

    paragraph: str
    from_eccn: str


@dataclass(frozen=True)
class ReviewBand(Dated):
    """A licence review policy set by the item's figures (e.g. the 2026 H200-class band)."""

    eccns: tuple[str, ...]
    destinations: str
    condition: Condition
    inside_policy: str
    outside_policy: str


@dataclass(frozen=True)
class ItemMeasure(Dated):
    """A requirement aimed at named products rather than parameters (the 2025 H20/MI308 letters)."""

    items: tuple[str, ...]
    effect: str
    destinations: str
    vendor: str | None = None
    also_when: Condition | None = None

    def covers(self, item_id: str | None, vendor: str | None, facts: Mapping[str, Any]) -> bool:
        """Named in the measure, or a part of the same vendor meeting its `also_when` test."""
        if item_id in self.items:
            return True
        if self.also_when is None or vendor is None or vendor != self.vendor:
            return False
        return self.also_when.evaluate(facts) is True


@dataclass(frozen=True)
class AdvancedComputingRules:
    version: str
    paragraphs: tuple[ControlParagraph, ...]
    exclusions: tuple[Exclusion, ...]
    derived: tuple[DerivedParagraph, ...]
    review_bands: tuple[ReviewBand, ...]
    measures: tuple[ItemMeasure, ...]

    def paragraphs_on(self, day: date) -> list[ControlParagraph]:
        return [p for p in self.paragraphs if p.in_force(day)]

    def exclusions_on(self, day: date) -> list[Exclusion]:
        return [e for e in self.exclusions if e.in_force(day)]

    def derived_on(self, day: date) -> list[DerivedParagraph]:
        return [d for d in self.derived if d.in_force(day)]

    def review_bands_on(self, day: date) -> list[ReviewBand]:
        return [b for b in self.review_bands if b.in_force(day)]

    def measures_on(
        self, day: date, item_id: str | None, vendor: str | None, facts: Mapping[str, Any]
    ) -> list[ItemMeasure]:
        return [m for m in self.measures if m.in_force(day) and m.covers(item_id, vendor, facts)]

    def first_effective(self) -> date:
        return min(p.period.effective_from for p in self.paragraphs)


@cache
def advanced_computing_rules() -> AdvancedComputingRules:
    """The rules file, parsed and checked once; a malformed record fails with its location."""
    raw = resources.files("exportguard").joinpath(DATA_FILE).read_bytes()
    data = yaml.safe_load(raw)
    digest = hashlib.sha256(raw).hexdigest()[:12]
    version = f"{data['version']}+{digest}"
    return AdvancedComputingRules(
        version=version,
        paragraphs=tuple(
            _paragraph(r, f"paragraphs[{i}]") for i, r in enumerate(data["paragraphs"])
        ),
        exclusions=tuple(
            _exclusion(r, f"exclusions[{i}]") for i, r in enumerate(data["exclusions"])
        ),
        derived=tuple(_derived(r, f"derived[{i}]") for i, r in enumerate(data["derived"])),
        review_bands=tuple(
            _band(r, f"review_bands[{i}]") for i, r in enumerate(data["review_bands"])
        ),
        measures=tuple(_measure(r, f"measures[{i}]") for i, r in enumerate(data["measures"])),
    )


def _common(record: dict[str, Any], where: str) -> dict[str, Any]:
    for key in ("id", "summary", "citation", "effective_from"):
        if not record.get(key):
            raise ValueError(f"{DATA_FILE} {where}: '{key}' is required")
    return {
        "id": str(record["id"]),
        "summary": " ".join(str(record["summary"]).split()),
        "period": Period.from_data(record, f"{where} {record['id']}"),
        "citation": Citation.from_data(record["citation"], f"{where} {record['id']}"),
        "caveat": " ".join(str(record["caveat"]).split()) if record.get("caveat") else None,
    }


def _paragraph(record: dict[str, Any], where: str) -> ControlParagraph:
    return ControlParagraph(
        **_common(record, where),
        paragraph=str(record["paragraph"]),
        kinds=tuple(record["kinds"]),
        condition=parse_condition(record["when"], f"{where}.when"),
    )


def _exclusion(record: dict[str, Any], where: str) -> Exclusion:
    return Exclusion(
        **_common(record, where),
        name=str(record["name"]),
        eccns=tuple(record["eccns"]),
        condition=parse_condition(record["when"], f"{where}.when"),
    )


def _derived(record: dict[str, Any], where: str) -> DerivedParagraph:
    return DerivedParagraph(
        **_common(record, where),
        paragraph=str(record["paragraph"]),
        from_eccn=str(record["from_eccn"]),
    )


def _band(record: dict[str, Any], where: str) -> ReviewBand:
    return ReviewBand(
        **_common(record, where),
        eccns=tuple(record["eccns"]),
        destinations=str(record["destinations"]),
        condition=parse_condition(record["when"], f"{where}.when"),
        inside_policy=str(record["inside_policy"]),
        outside_policy=str(record["outside_policy"]),
    )


def _measure(record: dict[str, Any], where: str) -> ItemMeasure:
    return ItemMeasure(
        **_common(record, where),
        items=tuple(record["items"]),
        effect=str(record["effect"]),
        destinations=str(record["destinations"]),
        vendor=record.get("vendor"),
        also_when=parse_condition(record["also_when"], f"{where}.also_when")
        if record.get("also_when")
        else None,
    )
