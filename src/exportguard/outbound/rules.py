"""The outbound investment rule (31 CFR Part 850) as read from data/regime/outbound.yaml.

Loading validates the file: every record has its dates and citation, every condition names only
facts the file declares and compares them with values of the fact's kind, every activity and
transaction code is unique. A typo in the rules is an error here, never a different answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

from exportguard.regime.conditions import Combination, Comparison, Condition, parse_condition
from exportguard.regime.dated import Citation, Period

DATA_FILE = "data/regime/outbound.yaml"
Outcome = Literal["prohibited", "notifiable", "excepted", "not_covered", "information"]
_OUTCOMES = ("prohibited", "notifiable", "excepted", "not_covered", "information")
_KINDS = {"bool": bool, "number": float, "text": str}


@dataclass(frozen=True)
class Fact:
    name: str
    kind: str
    label: str


@dataclass(frozen=True)
class Activity:
    """A covered activity: `prohibited`/`notifiable` are None when the activity never gives that
    outcome, True when it always does, else the condition that decides it."""

    code: str
    summary: str
    paragraph: str
    prohibited: Condition | bool | None
    notifiable: Condition | None
    caveat: str | None


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    period: Period
    citation: Citation
    outcome: Outcome
    condition: Condition | None
    transaction: str | None
    deadline_days: int | None
    caveat: str | None


@dataclass(frozen=True)
class Transaction:
    code: str
    summary: str
    paragraph: str


@dataclass(frozen=True)
class OutboundRules:
    version: str
    programme: Rule
    facts: dict[str, Fact]
    activities: dict[str, Activity]
    rules: dict[str, Rule]
    transactions: dict[str, Transaction]
    transactions_caveat: str


@cache
def outbound_rules() -> OutboundRules:
    """The rules shipped with exportguard, read and validated once."""
    text = resources.files("exportguard").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return load_rules(yaml.safe_load(text))


def load_rules(data: dict[str, Any]) -> OutboundRules:
    facts = {name: _fact(name, spec) for name, spec in _mapping(data, "facts").items()}
    activities: dict[str, Activity] = {}
    for i, record in enumerate(data.get("activities") or []):
        activity = _activity(record, facts, f"activities[{i}]")
        if activity.code in activities:
            raise ValueError(f"{DATA_FILE}: activity '{activity.code}' is defined twice")
        activities[activity.code] = activity
    transactions = {code: Transaction(code, _text(t, "summary", code), _text(t, "paragraph", code))
                    for code, t in _mapping(data, "transactions").items()}
    rules: dict[str, Rule] = {}
    for i, record in enumerate(data.get("rules") or []):
        rule = _rule(record, facts, transactions, f"rules[{i}]")
        if rule.id in rules:
            raise ValueError(f"{DATA_FILE}: rule '{rule.id}' is defined twice")
        rules[rule.id] = rule
    needed = {"not-in-force", "us-person", "covered-foreign-person", "prohibited", "notifiable",
              "knowledge"}
    if missing := sorted(needed - set(rules)):
        raise ValueError(f"{DATA_FILE}: rules missing: {', '.join(missing)}")
    programme = _rule({**data["programme"], "outcome": "information"}, facts, transactions,
                      "programme")
    return OutboundRules(str(data["version"]), programme, facts, activities, rules,
                         transactions, " ".join(str(data.get("transactions_caveat", "")).split()))


def _mapping(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict) or not value:
        raise ValueError(f"{DATA_FILE}: '{key}' must be a non-empty mapping")
    return value


def _text(record: dict[str, Any], key: str, where: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{DATA_FILE}: {where}: '{key}' is required")
    return " ".join(value.split())


def _fact(name: str, spec: dict[str, Any]) -> Fact:
    if spec.get("kind") not in _KINDS:
        raise ValueError(f"{DATA_FILE}: fact '{name}': kind must be one of {sorted(_KINDS)}")
    return Fact(name, spec["kind"], _text(spec, "label", name))


def _condition(value: Any, facts: dict[str, Fact], where: str) -> Condition:
    condition = parse_condition(value, f"{DATA_FILE}: {where}")
    _check_facts(condition, facts, where)
    return condition


def _check_facts(condition: Condition, facts: dict[str, Fact], where: str) -> None:
    if isinstance(condition, Combination):
        for part in condition.parts:
            _check_facts(part, facts, where)
        return
    assert isinstance(condition, Comparison)
    fact = facts.get(condition.fact)
    if fact is None:
        raise ValueError(f"{DATA_FILE}: {where}: unknown fact '{condition.fact}'")
    if not isinstance(condition.value, _KINDS[fact.kind]):
        raise ValueError(f"{DATA_FILE}: {where}: '{condition.text()}' compares the {fact.kind} "
                         f"fact '{fact.name}' with {condition.value!r}")


def _activity(record: dict[str, Any], facts: dict[str, Fact], where: str) -> Activity:
    code = _text(record, "code", where)
    raw = record.get("prohibited")
    prohibited: Condition | bool | None = (
        True if raw == "always" else None if raw is None
        else _condition(raw, facts, f"{code}.prohibited"))
    notifiable = (None if record.get("notifiable") is None
                  else _condition(record["notifiable"], facts, f"{code}.notifiable"))
    if prohibited is None and notifiable is None:
        raise ValueError(f"{DATA_FILE}: activity '{code}' gives no outcome")
    caveat = record.get("caveat")
    return Activity(code, _text(record, "summary", code), _text(record, "paragraph", code),
                    prohibited, notifiable, " ".join(caveat.split()) if caveat else None)


def _rule(record: dict[str, Any], facts: dict[str, Fact],
          transactions: dict[str, Transaction], where: str) -> Rule:
    rule_id = _text(record, "id", where)
    outcome = record.get("outcome")
    if outcome not in _OUTCOMES:
        raise ValueError(f"{DATA_FILE}: {rule_id}: outcome must be one of {_OUTCOMES}")
    transaction = record.get("transaction")
    if transaction is not None and transaction not in transactions:
        raise ValueError(f"{DATA_FILE}: {rule_id}: unknown transaction '{transaction}'")
    if "citation" not in record:
        raise ValueError(f"{DATA_FILE}: {rule_id}: a citation is required")
    condition = (None if record.get("condition") is None
                 else _condition(record["condition"], facts, rule_id))
    days = record.get("deadline_days")
    if days is not None and (not isinstance(days, int) or days <= 0):
        raise ValueError(f"{DATA_FILE}: {rule_id}: deadline_days must be a positive integer")
    caveat = record.get("caveat")
    return Rule(rule_id, _text(record, "summary", rule_id), Period.from_data(record, rule_id),
                Citation.from_data(record["citation"], rule_id), outcome, condition,
                transaction, days, " ".join(caveat.split()) if caveat else None)
