"""The outbound investment rule (31 CFR Part 850) as read from data/regime/outbound.yaml.

The file uses the project's one dated-record format (regime/records.py): every record has its
dates and citation, unknown keys are refused, every condition names only facts registered in
data/regime/facts.yaml (produced_by: outbound) with a value of the fact's type, ids are unique.
A typo in the rules is an error at load, never a different answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from exportguard.regime.conditions import Condition, parse_condition
from exportguard.regime.dated import Citation, Period
from exportguard.regime.facts import fact_registry
from exportguard.regime.records import (
    DatedRecord,
    Field,
    RecordFile,
    RuleFileError,
    Section,
    load_records,
)

DATA_FILE = "data/regime/outbound.yaml"
Outcome = Literal["prohibited", "notifiable", "excepted", "not_covered", "information"]
_OUTCOMES = ("prohibited", "notifiable", "excepted", "not_covered", "information")
_EXTRA = ("transactions", "transactions_caveat")
SECTIONS = (
    Section("programme"),
    Section("activities", {
        "paragraph": Field("text", required=True),
        "prohibited": Field("custom", check=lambda value, where: _always_or_condition(value,
                                                                                     where)),
        "notifiable": Field("condition"),
    }),
    Section("rules", {
        "outcome": Field("word", required=True, choices=_OUTCOMES),
        "condition": Field("condition"),
        "transaction": Field("word"),
        "deadline_days": Field("number"),
    }),
)


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
    return from_records(load_records(DATA_FILE, SECTIONS, extra_keys=_EXTRA))


def from_records(file: RecordFile) -> OutboundRules:
    """The rules file's records as the evaluator's types; checks what the format cannot."""
    registry = fact_registry()
    facts = {name: Fact(name, f.type, f.meaning) for name, f in registry.facts.items()
             if f.produced_by == "outbound"}
    raw = file.extra.get("transactions")
    if not isinstance(raw, dict) or not raw:
        raise RuleFileError(f"{DATA_FILE}: 'transactions' must be a non-empty mapping")
    transactions = {code: Transaction(code, _text(t, "summary", code), _text(t, "paragraph", code))
                    for code, t in raw.items()}
    activities = {r.id: _activity(r) for r in file["activities"]}
    rules = {r.id: _rule(r, transactions) for r in file["rules"]}
    needed = {"not-in-force", "us-person", "covered-foreign-person", "prohibited", "notifiable",
              "knowledge"}
    if missing := sorted(needed - set(rules)):
        raise RuleFileError(f"{DATA_FILE}: rules missing: {', '.join(missing)}")
    (programme,) = file["programme"]
    return OutboundRules(file.version, _rule(programme, transactions), facts, activities, rules,
                         transactions, " ".join(str(file.extra.get("transactions_caveat") or "")
                                                .split()))


def _text(record: dict[str, Any], key: str, where: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RuleFileError(f"{DATA_FILE}: transactions.{where}: '{key}' is required")
    return " ".join(value.split())


def _always_or_condition(value: Any, where: str) -> Condition | bool:
    """`prohibited:` is `always` or a condition over registered facts."""
    if value == "always":
        return True
    condition = parse_condition(value, where)
    fact_registry().check_condition(condition, where)
    return condition


def _activity(r: DatedRecord) -> Activity:
    prohibited, notifiable = r.get("prohibited"), r.get("notifiable")
    if prohibited is None and notifiable is None:
        raise RuleFileError(f"{DATA_FILE}: activity '{r.id}' gives no outcome")
    return Activity(r.id, r.summary, r.get("paragraph"), prohibited, notifiable, r.caveat)


def _rule(r: DatedRecord, transactions: dict[str, Transaction]) -> Rule:
    transaction = r.get("transaction")
    if transaction is not None and transaction not in transactions:
        raise RuleFileError(f"{DATA_FILE}: {r.id}: unknown transaction '{transaction}'")
    days = r.get("deadline_days")
    if days is not None and (days <= 0 or not float(days).is_integer()):
        raise RuleFileError(f"{DATA_FILE}: {r.id}: deadline_days must be a positive integer")
    return Rule(r.id, r.summary, r.period, r.citation, r.get("outcome", "information"),
                r.condition("condition"), transaction,
                int(days) if days is not None else None, r.caveat)
