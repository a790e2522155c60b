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
from exportguard.check.records import RecordFile, load_records
from exportguard.regime.conditions import parse_condition, unknown_facts

DATA_FILE = "data/regime/exceptions.yaml"
FACTS = frozenset({
    "item_3a090_a", "item_3a090_b", "item_3a090_c", "item_4a090_a", "item_4a090_b", "item_ac",
    "item_datacenter", "dest_mo", "dest_d1", "dest_d4", "dest_d5", "party_hq_d5_or_mo",
    "hbm_exception_terms",
})
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


@cache
def exception_rules() -> RecordFile:
    rules = load_records(
        DATA_FILE,
        {"exceptions": frozenset({"code", "relieves", "items", "conditions", "notice"})},
        FACTS,
    )
    for record in rules.sections["exceptions"]:
        where = f"{DATA_FILE} {record.id}"
        for key in ("code", "relieves", "items", "conditions"):
            if not record.fields.get(key):
                raise ValueError(f"{where}: '{key}' is required")
        undeclared = set(parse_condition(record.fields["items"], where).facts()) - FACTS
        if undeclared:
            raise ValueError(f"{where}: items names undeclared facts {sorted(undeclared)}")
    return rules


def assess_exceptions(
    reasons: list[CheckReason], facts: Mapping[str, Any], day: date
) -> list[ExceptionAssessment]:
    """The exceptions in force on `day` for the licence requirements among `reasons`."""
    applied = {r.rule_id for r in reasons if r.outcome == "applies"
               and r.effect == "license_required"}
    barred = sorted({_BARRING_RULES[r.rule_id] for r in reasons
                     if r.rule_id in _BARRING_RULES and r.outcome == "applies"})
    found = []
    for record in exception_rules().on("exceptions", day):
        relieves = [rule for rule in record.fields["relieves"] if rule in applied]
        if not relieves:
            continue
        items = parse_condition(record.fields["items"], record.id)
        states = [items.evaluate(facts), record.when.evaluate(facts) if record.when else True]
        available = False if False in states else (None if None in states else True)
        if barred:
            available = False
            why = f"A party is on the {', '.join(barred)}: no licence exception may be used."
        elif available is None:
            wanted = unknown_facts(items, facts) + (
                unknown_facts(record.when, facts) if record.when else [])
            why = f"Undecided, it depends on {', '.join(dict.fromkeys(wanted))}."
        elif available:
            why = f"Its item and destination conditions hold for {', '.join(relieves)}."
        else:
            why = "The item or the destination is outside its scope."
        found.append(ExceptionAssessment(
            code=str(record.fields["code"]), rule_id=record.id, citation=record.citation.text(),
            available=available, conditions=[str(c) for c in record.fields["conditions"]],
            notice=" ".join(str(record.fields["notice"]).split())
            if record.fields.get("notice") else None,
            why=why, caveat=record.caveat))
    return found
