"""ECCN 3A090/4A090 parameters and the dated measures on advanced chips, read from
data/regime/advanced_computing.yaml.

The file is in the common dated-record format (regime/records.py), one record per paragraph
version, so a person who knows the regulation can review it without reading Python: each record
has the paragraph, what it controls in words, the condition as the text states it,
`effective_from`/`effective_to`, and the CFR paragraph and Federal Register document it comes from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from exportguard.regime.conditions import Condition
from exportguard.regime.dated import Citation, Period
from exportguard.regime.records import DatedRecord, Field, RecordFile, Section, load_records

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
    records: RecordFile

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


POLICIES = ("presumption_of_denial", "mixed", "case_by_case", "presumption_of_approval")
KINDS = ("accelerator", "memory", "system")
SECTIONS = (
    Section("paragraphs", {
        "paragraph": Field("word", required=True),
        "kinds": Field("words", required=True, choices=KINDS),
        "when": Field("condition", required=True),
    }, version_key="paragraph"),
    Section("exclusions", {
        "name": Field("text", required=True),
        "eccns": Field("words", required=True),
        "when": Field("condition", required=True),
    }),
    Section("derived", {
        "paragraph": Field("word", required=True),
        "from_eccn": Field("word", required=True),
    }, version_key="paragraph"),
    Section("review_bands", {
        "eccns": Field("words", required=True),
        "destinations": Field("text", required=True),
        "when": Field("condition", required=True),
        "inside_policy": Field("word", required=True, choices=POLICIES),
        "outside_policy": Field("word", required=True, choices=POLICIES),
    }),
    Section("measures", {
        "items": Field("words", required=True),
        "effect": Field("word", required=True, choices=("license_required",)),
        "destinations": Field("text", required=True),
        "vendor": Field("word"),
        "also_when": Field("condition"),
    }),
)


@cache
def advanced_computing_rules() -> AdvancedComputingRules:
    """The rules file, parsed and checked once; a malformed record fails with its location."""
    data = load_records(DATA_FILE, SECTIONS)
    return AdvancedComputingRules(
        version=data.version,
        paragraphs=tuple(
            ControlParagraph(**_common(r), paragraph=r.get("paragraph"), kinds=r.get("kinds"),
                             condition=r.get("when"))
            for r in data["paragraphs"]
        ),
        exclusions=tuple(
            Exclusion(**_common(r), name=r.get("name"), eccns=r.get("eccns"),
                      condition=r.get("when"))
            for r in data["exclusions"]
        ),
        derived=tuple(
            DerivedParagraph(**_common(r), paragraph=r.get("paragraph"),
                             from_eccn=r.get("from_eccn"))
            for r in data["derived"]
        ),
        review_bands=tuple(
            ReviewBand(**_common(r), eccns=r.get("eccns"), destinations=r.get("destinations"),
                       condition=r.get("when"), inside_policy=r.get("inside_policy"),
                       outside_policy=r.get("outside_policy"))
            for r in data["review_bands"]
        ),
        measures=tuple(
            ItemMeasure(**_common(r), items=r.get("items"), effect=r.get("effect"),
                        destinations=r.get("destinations"), vendor=r.get("vendor"),
                        also_when=r.get("also_when"))
            for r in data["measures"]
        ),
        records=data,
    )


def _common(record: DatedRecord) -> dict[str, Any]:
    return {"id": record.id, "summary": record.summary, "period": record.period,
            "citation": record.citation, "caveat": record.caveat}
