"""The licence rules (data/regime/licensing.yaml): item and destination rules, and list rules.

The file is in the common dated-record format (regime/records.py). A rule's `review_policy` is
either one policy or a table read top to bottom, `[{when: condition, policy: ...}, ...,
{otherwise: ...}]`: the first row whose condition is met sets the policy, so the policy of the
2023 destinations rule (denial for Macau and D:5, case-by-case inside the 2026 band for China)
is law in data, not in Python. A row may name another rule (`rule: id`): it is met while that
rule is in force and its condition holds (and the row's own `when`, if any), so a policy that
a later text added and a still later one removed keeps the dates of the rule that records it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
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
_POLICY_KEYS = {"when", "policy", "otherwise", "note", "rule"}


@dataclass(frozen=True, slots=True)
class PolicyRow:
    """One row of a policy table: the policy when the condition is met (None: always)."""

    policy: str
    condition: Condition | None = None
    note: str | None = None
    rule: str | None = None  # the row holds only while this rule is in force and met
    period: Period | None = None  # that rule's dates, filled in when the rules are loaded
    rule_condition: Condition | None = None


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

    def review_policy(self, facts: Mapping[str, Any],
                      day: date | None = None) -> tuple[str | None, str | None]:
        """The policy this rule sets for these facts on `day`, and the row's note; (None, None)
        when the rule sets none, or when a row before the one that would apply is undecided. A
        row tied to another rule is skipped outside that rule's dates (and with no day)."""
        for row in self.policy:
            if row.rule is not None:
                if day is None or row.period is None or not row.period.contains(day):
                    continue
                state = _all(row.rule_condition, row.condition, facts)
                if state is None:
                    return None, "The review policy depends on facts not given."
                if state:
                    return row.policy, row.note
                continue
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
        if "rule" in raw and ("otherwise" in raw or not isinstance(raw["rule"], str)):
            raise ValueError(f"row {i}: 'rule' names a rule id, in a row with 'policy'")
        word = raw.get("policy", raw.get("otherwise"))
        if word not in POLICIES:
            raise ValueError(f"row {i}: '{word}' is not one of {', '.join(POLICIES)}")
        condition = None
        if "when" in raw:
            condition = parse_condition(raw["when"], f"{here}.when")
            fact_registry().check_condition(condition, f"{here}.when")
        elif "otherwise" not in raw and "rule" not in raw:
            raise ValueError(f"row {i}: a row needs 'when' or 'rule', or is the 'otherwise' row")
        note = " ".join(str(raw["note"]).split()) if raw.get("note") else None
        rows.append(PolicyRow(str(word), condition, note, raw.get("rule")))
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
    rules = _with_row_rules(tuple(_rule(r) for r in parsed["rules"]))
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


def _with_row_rules(rules: tuple[LicenceRule, ...]) -> tuple[LicenceRule, ...]:
    """Policy rows that name a rule take its dates and condition; an unknown id, or a rule
    naming itself, fails the load."""
    by_id = {rule.id: rule for rule in rules}
    out = []
    for rule in rules:
        rows = []
        for row in rule.policy:
            if row.rule is not None:
                named = by_id.get(row.rule)
                if named is None or named is rule:
                    raise ValueError(f"{DATA_FILE} ({rule.id}): review_policy row names "
                                     f"'{row.rule}', which is not another rule of the file")
                row = replace(row, period=named.period, rule_condition=named.condition)
            rows.append(row)
        out.append(replace(rule, policy=tuple(rows)))
    return tuple(out)


def _all(first: Condition | None, second: Condition | None,
         facts: Mapping[str, Any]) -> bool | None:
    """Both conditions (a missing one holds), with three values."""
    states = [c.evaluate(facts) for c in (first, second) if c is not None]
    if False in states:
        return False
    return None if None in states else True


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
