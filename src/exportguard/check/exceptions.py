"""Licence exceptions for the advanced-computing licence requirements (15 CFR 740.8, 740.25).

An exception is assessed when a rule it relieves requires a licence in the check. It is
available when its item and destination conditions hold and no party is on a list that bars
licence exceptions; the decision stays `license_required` (using an exception is the exporter's
act, with the conditions and any notification the record states), and the memo says which
exception may be used and what it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from exportguard.check.determination import CheckReason
from exportguard.items import Classification
from exportguard.regime.conditions import unknown_facts
from exportguard.regime.records import Field, RecordFile, Section, load_records

DATA_FILE = "data/regime/exceptions.yaml"
# Lists whose parties no licence exception may serve (744.11(a), 744.15(b), Part 764).
_BARRING_RULES = {"entity-list": "Entity List (744.11)", "unverified-list": "Unverified List "
                  "(744.15)", "denied-persons": "Denied Persons List", "affiliates-rule":
                  "Entity List through ownership (744.11, affiliates rule)"}


@dataclass(frozen=True)
class ExceptionAssessment:
    code: str
    rule_id: str
    citation: str
    available: bool | None
    conditions: list[str]
    notice: str | None
    why: str
    caveat: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "rule_id": self.rule_id,
            "citation": self.citation,
            "available": self.available,
            "conditions": self.conditions,
            "notice": self.notice,
            "why": self.why,
            "caveat": self.caveat,
        }


def _texts(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: expected a list of sentences")
    return tuple(" ".join(v.split()) for v in value)


SECTIONS = (Section("exceptions", {
    "code": Field("word", required=True, choices=("NAC", "ACA", "HBM")),
    "relieves": Field("words", required=True),
    "items": Field("condition", required=True),
    "when": Field("condition", required=True),
    "conditions": Field("custom", required=True, check=_texts),
    "notice": Field("text"),
}, version_key="code"),)


@cache
def exception_rules() -> RecordFile:
    return load_records(DATA_FILE, SECTIONS)


def exception_facts(item: Classification | None) -> dict[str, Any]:
    """The facts the exceptions read besides the check's own: whether the item is a
    datacenter part (from its classification), and the HBM terms nobody can state yet."""
    return {"item_datacenter": item.datacenter if item is not None else None,
            "hbm_exception_terms": None}


def assess_exceptions(
    reasons: list[CheckReason], facts: Mapping[str, Any], day: date
) -> list[ExceptionAssessment]:
    """The exceptions in force on `day` for the licence requirements among `reasons`."""
    applied = {r.rule_id for r in reasons if r.outcome == "applies"
               and r.effect == "license_required"}
    barred = sorted({_BARRING_RULES[r.rule_id] for r in reasons
                     if r.rule_id in _BARRING_RULES and r.outcome == "applies"})
    found = []
    for record in exception_rules()["exceptions"]:
        relieves = [rule for rule in record.get("relieves") if rule in applied]
        if not record.in_force(day) or not relieves:
            continue
        items, when = record.condition("items"), record.condition("when")
        assert items is not None and when is not None
        states = [items.evaluate(facts), when.evaluate(facts)]
        available = False if False in states else (None if None in states else True)
        if barred:
            available = False
            why = f"A party is on the {', '.join(barred)}: no licence exception may be used."
        elif available is None:
            wanted = unknown_facts(items, facts) + unknown_facts(when, facts)
            why = f"Undecided, it depends on {', '.join(dict.fromkeys(wanted))}."
        elif available:
            why = f"Its item and destination conditions hold for {', '.join(relieves)}."
        else:
            why = "The item or the destination is outside its scope."
        found.append(ExceptionAssessment(
            code=record.get("code"), rule_id=record.id, citation=record.citation.text(),
            available=available, conditions=list(record.get("conditions")),
            notice=record.get("notice"),
            why=why, caveat=record.caveat))
    return found
