"""The licence rules (data/regime/licensing.yaml): item and destination rules, and list rules.

The file is in the common dated-record format (regime/records.py). A rule's `review_policy` is
either one policy or a table read top to bottom, `[{when: condition, policy: ...}, ...,
{otherwise: ...}]`: the first row whose condition is met sets the policy, so the policy of the
2023 destinations rule (denial for Macau and D:5, case-by-case inside the 2026 band for China)
is law in data, not in Python.
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

from exportguard.regime.advanced_computing import POLICIES, advanced_computing_rules
from exportguard.regime.conditions import Condition, parse_condition
from exportguard.regime.dated import Citation, Period
from exportguard.regime.facts import fact_registry
from exportguard.regime.records import DatedRecord, Field, Section, parse_records

DATA_FILE = "data/regime/licensing.yaml"
EFFECTS = ("prohibited", "license_required", "review", "no_license_required", "not_enforced")
_POLICY_KEYS = {"when", "policy", "otherwise", "note"}


@dataclass(frozen=True, slots=True)
class PolicyRow:
    """One row of a policy table: the policy when the condition is met (None: always)."""

    policy: str
    condition: Condition | None = None
    note: str | None = None


@dataclass(frozen=True)
class LicenceRule:
    id: str
    summary: str
    period: Period
    citation: Citation
    caveat: str | None
    effect: str
    policy: tuple[PolicyRow, ...]
    condition: Condition | None = None
    list_code: str | None = None
    measure: str | None = None
    informational: bool = False
    assumptions: tuple[str, ...] = ()

    def in_force(self, day: date) -> bool:
        return self.period.contains(day)

    def review_policy(self, facts: Mapping[str, Any]) -> tuple[str | None, str | None]:
        """The policy this rule sets for these facts, and the row's note; (None, None) when the
        rule sets none, or when a row before the one that would apply is undecided."""
        for row in self.policy:
            state = True if row.condition is None else row.condition.evaluate(facts)
            if state is None:
                return None, "The review policy depends on facts not given."
            if state:
                return row.policy, row.note
        return None, None


@dataclass(frozen=True)
class LicensingRules:
    version: str
    rules: tuple[LicenceRule, ...]
    lists: dict[str, LicenceRule]
    records: tuple[DatedRecord, ...]

    def rules_on(self, day: date) -> list[LicenceRule]:
        return [rule for rule in self.rules if rule.in_force(day)]


def _policy(value: object, where: str) -> tuple[PolicyRow, ...]:
    if isinstance(value, str):
        value = [{"otherwise": value}]
    if not isinstance(value, list) or not value:
        raise ValueError("expected a policy word or a list of {when, policy} rows")
    rows = []
    for i, raw in enumerate(value):
        here = f"{where}[{i}]"
        if not isinstance(raw, dict) or set(raw) - _POLICY_KEYS:
            raise ValueError(f"row {i}: expected {{when, policy, note}} or {{otherwise}}")
        word = raw.get("policy", raw.get("otherwise"))
        if word not in POLICIES:
            raise ValueError(f"row {i}: '{word}' is not one of {', '.join(POLICIES)}")
        condition = None
        if "when" in raw:
            condition = parse_condition(raw["when"], f"{here}.when")
            fact_registry().check_condition(condition, f"{here}.when")
        elif "otherwise" not in raw:
            raise ValueError(f"row {i}: a row needs 'when' or is the 'otherwise' row")
        note = " ".join(str(raw["note"]).split()) if raw.get("note") else None
        rows.append(PolicyRow(str(word), condition, note))
    return tuple(rows)


def _assumptions(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of sentences")
    return tuple(" ".join(v.split()) for v in value)


_COMMON = {
    "effect": Field("word", required=True, choices=EFFECTS),
    "review_policy": Field("custom", check=_policy),
    "assumptions": Field("custom", check=_assumptions),
}
SECTIONS = (
    Section("rules", {**_COMMON, "when": Field("condition", required=True),
                      "measure": Field("word")}),
    Section("lists", {**_COMMON, "list": Field("word", required=True),
                      "informational": Field("bool")}, version_key="list"),
)


@cache
def licensing_rules() -> LicensingRules:
    raw = resources.files("exportguard").joinpath(DATA_FILE).read_bytes()
    data = yaml.safe_load(raw)
    if isinstance(data, dict) and isinstance(data.get("rules"), list):
        data["rules"] = [_with_measure(r, i) for i, r in enumerate(data["rules"])]
    parsed = parse_records(data, DATA_FILE, SECTIONS,
                           digest=hashlib.sha256(raw).hexdigest()[:12])
    rules = tuple(_rule(r) for r in parsed["rules"])
    lists = {r.get("list"): _rule(r) for r in parsed["lists"]}
    return LicensingRules(parsed.version, rules, lists, parsed["rules"] + parsed["lists"])


def _rule(record: DatedRecord) -> LicenceRule:
    return LicenceRule(
        id=record.id,
        summary=record.summary,
        period=record.period,
        citation=record.citation,
        caveat=record.caveat,
        effect=record.get("effect"),
        policy=record.get("review_policy", ()),
        condition=record.get("when"),
        list_code=record.get("list"),
        measure=record.get("measure"),
        informational=bool(record.get("informational")),
        assumptions=record.get("assumptions", ()),
    )


def _with_measure(record: object, index: int) -> object:
    """A rule that enforces a product letter takes its summary, dates and citation from the
    letter's one record in advanced_computing.yaml, so the two can never disagree."""
    if not isinstance(record, dict) or not record.get("measure"):
        return record
    where = f"{DATA_FILE} rules[{index}] ({record.get('id')})"
    taken = {"summary", "effective_from", "effective_to", "citation", "caveat"} & set(record)
    if taken:
        raise ValueError(f"{where}: {', '.join(sorted(taken))} come from the measure; remove them")
    found = [m for m in advanced_computing_rules().measures if m.id == record["measure"]]
    if not found:
        raise ValueError(f"{where}: unknown measure '{record['measure']}'")
    measure = found[0]
    return {
        **record,
        "summary": measure.summary,
        "effective_from": measure.period.effective_from,
        "effective_to": measure.period.effective_to,
        "citation": measure.citation.to_dict(),
        "caveat": measure.caveat,
    }
