"""What a classification returns: the paragraph, the reasons with citations, the open facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from exportguard.regime.dated import iso

FACT_QUESTIONS = {
    "tpp": "the total processing performance (--tpp, or datasheet figures with --throughput)",
    "pd": "the applicable die area in mm^2 of non-planar logic dies (--die-area)",
    "io_rate": "the aggregate bidirectional I/O rate in GB/s, memory excluded (--interconnect)",
    "datacenter": "whether the item is designed or marketed for use in datacenters "
    "(--datacenter or --consumer)",
    "memory_bandwidth_density": "the memory bandwidth density in GB/s per mm^2 "
    "(--memory-bandwidth-density, or --memory-bandwidth with --package-area)",
    "dram_bandwidth": "the total DRAM bandwidth in GB/s (--memory-bandwidth)",
}

@dataclass(frozen=True)
class Reason:
    rule_id: str
    paragraph: str | None
    outcome: str  # met | not_met | unknown | excluded | applies | info
    summary: str
    citation: str
    source: str
    effective_from: date | None
    effective_to: date | None
    caveat: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "paragraph": self.paragraph,
            "outcome": self.outcome,
            "summary": self.summary,
            "citation": self.citation,
            "source": self.source,
            "effective_from": iso(self.effective_from),
            "effective_to": iso(self.effective_to),
            "caveat": self.caveat,
        }


@dataclass
class Classification:
    item: str
    item_id: str | None
    kind: str
    as_of: date
    tpp: float | None
    pd: float | None
    memory_bandwidth_density: float | None
    io_rate: float | None
    dram_bandwidth: float | None
    datacenter: bool | None
    eccn: str | None
    paragraph: str | None
    controlled: bool | None
    paragraphs: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    missing_facts: list[str] = field(default_factory=list)
    working: list[str] = field(default_factory=list)
    review_band: dict[str, Any] | None = None
    measures: list[dict[str, Any]] = field(default_factory=list)
    contains: Classification | None = None
    notes: list[str] = field(default_factory=list)
    rules_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "item_id": self.item_id,
            "kind": self.kind,
            "as_of": self.as_of.isoformat(),
            "tpp": _round(self.tpp),
            "pd": _round(self.pd),
            "memory_bandwidth_density": _round(self.memory_bandwidth_density),
            "io_rate": _round(self.io_rate),
            "dram_bandwidth": _round(self.dram_bandwidth),
            "datacenter": self.datacenter,
            "eccn": self.eccn,
            "paragraph": self.paragraph,
            "paragraphs": self.paragraphs,
            "controlled": self.controlled,
            "reasons": [r.to_dict() for r in self.reasons],
            "missing_facts": [
                {"fact": f, "question": FACT_QUESTIONS.get(f, f)} for f in self.missing_facts
            ],
            "review_band": self.review_band,
            "measures": self.measures,
            "contains": self.contains.to_dict() if self.contains else None,
            "working": self.working,
            "notes": self.notes,
            "rules_version": self.rules_version,
        }




def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
