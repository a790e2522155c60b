"""What `check` answers: the decision, the review policy and every reason with its citation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from exportguard.regime.dated import iso

DECISION_RANK = {"no_license_required": 0, "review": 1, "license_required": 2, "prohibited": 3}
POLICY_RANK = {
    "presumption_of_approval": 0,
    "case_by_case": 1,
    "mixed": 2,
    "presumption_of_denial": 3,
}


@dataclass(frozen=True)
class Party:
    """A party to the transaction as the user describes it."""

    name: str
    role: str = "end_user"
    country: str | None = None
    hq: str | None = None
    parent: str | None = None
    parent_hq: str | None = None


@dataclass(frozen=True)
class CheckReason:
    rule_id: str
    outcome: str  # applies | review | not_enforced | info
    effect: str  # prohibited | license_required | review | no_license_required | not_enforced
    review_policy: str | None
    summary: str
    citation: str
    source: str
    effective_from: date | None
    effective_to: date | None
    caveat: str | None = None
    party: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "outcome": self.outcome,
            "effect": self.effect,
            "review_policy": self.review_policy,
            "summary": self.summary,
            "citation": self.citation,
            "source": self.source,
            "effective_from": iso(self.effective_from),
            "effective_to": iso(self.effective_to),
            "caveat": self.caveat,
            "party": self.party,
        }


@dataclass
class ScreenedParty:
    party: Party
    listed: list[dict[str, Any]] = field(default_factory=list)
    possible: list[dict[str, Any]] = field(default_factory=list)
    not_yet_listed: list[dict[str, Any]] = field(default_factory=list)
    ownership: dict[str, Any] | None = None
    cleared: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.party.name,
            "role": self.party.role,
            "country": self.party.country,
            "hq": self.party.hq,
            "parent": self.party.parent,
            "parent_hq": self.party.parent_hq,
            "matches": [_public(r) for r in self.listed],
            "possible_matches": [_public(r) for r in self.possible],
            "listed_after_date": [_public(r) for r in self.not_yet_listed],
            "cleared_matches": [_public(r) for r in self.cleared],
            "ownership": self.ownership,
        }


@dataclass
class Determination:
    as_of: date
    destination: str
    decision: str
    review_policy: str | None
    reasons: list[CheckReason]
    item: dict[str, Any]
    parties: list[ScreenedParty]
    end_use: str | None
    assumptions: list[str]
    missing_facts: list[str]
    rules_version: str
    lists: dict[str, Any]
    jurisdiction: dict[str, Any] | None = None
    license_exceptions: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "review_policy": self.review_policy,
            "as_of": self.as_of.isoformat(),
            "destination": self.destination,
            "end_use": self.end_use,
            "reasons": [r.to_dict() for r in self.reasons],
            "item": self.item,
            "parties": [p.to_dict() for p in self.parties],
            "assumptions": self.assumptions,
            "missing_facts": self.missing_facts,
            "rules_version": self.rules_version,
            "lists": self.lists,
            "jurisdiction": self.jurisdiction,
            "license_exceptions": self.license_exceptions,
        }

    @property
    def fired(self) -> list[str]:
        """Ids of the rules that decide the outcome (applies or review), in order."""
        return [r.rule_id for r in self.reasons if r.outcome in ("applies", "review")]


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if not k.startswith("_")}

