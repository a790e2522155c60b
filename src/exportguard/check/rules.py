"""The licence rules (data/regime/licensing.yaml): item and destination rules, and list rules."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from exportguard.regime.advanced_computing import advanced_computing_rules
from exportguard.regime.conditions import Condition, parse_condition
from exportguard.regime.dated import Citation, Period

DATA_FILE = "data/regime/licensing.yaml"
EFFECTS = ("prohibited", "license_required", "review", "no_license_required", "not_enforced")
POLICIES = ("presumption_of_denial", "mixed", "case_by_case", "presumption_of_approval")


@dataclass(frozen=True)
class LicenceRule:
    id: str
    summary: str
    period: Period
    citation: Citation
    caveat: str | None
    effect: str
    review_policy: str | None
    review_policy_from: str | None
    condition: Condition | None = None
    list_code: str | None = None
    measure: str | None = None

    def in_force(self, day: date) -> bool:
        return self.period.contains(day)


@dataclass(frozen=True)
class LicensingRules:
    version: str
    rules: tuple[LicenceRule, ...]
    lists: dict[str, LicenceRule]

    def rules_on(self, day: date) -> list[LicenceRule]:
        return [rule for rule in self.rules if rule.in_force(day)]


@cache
def licensing_rules() -> LicensingRules:
    raw = resources.files("exportguard").joinpath(DATA_FILE).read_bytes()
    data = yaml.safe_load(raw)
    version = f"{data['version']}+{hashlib.sha256(raw).hexdigest()[:12]}"
    rules = tuple(_rule(r, f"rules[{i}]", with_condition=True) for i, r in enumerate(data["rules"]))
    lists = {
        r["list"]: _rule(r, f"lists[{i}]", with_condition=False)
        for i, r in enumerate(data["lists"])
    }
    return LicensingRules(version, rules, lists)


def _rule(record: dict[str, Any], where: str, *, with_condition: bool) -> LicenceRule:
    if record.get("measure"):
        record = {**_from_measure(str(record["measure"]), where), **record}
    for key in ("id", "summary", "effect", "citation", "effective_from"):
        if not record.get(key):
            raise ValueError(f"{DATA_FILE} {where}: '{key}' is required")
    where = f"{DATA_FILE} {where} {record['id']}"
    if record["effect"] not in EFFECTS:
        raise ValueError(f"{where}: effect must be one of {EFFECTS}")
    policy = record.get("review_policy")
    if policy is not None and policy not in POLICIES:
        raise ValueError(f"{where}: review_policy must be one of {POLICIES}")
    return LicenceRule(
        id=str(record["id"]),
        summary=" ".join(str(record["summary"]).split()),
        period=Period.from_data(record, where),
        citation=Citation.from_data(record["citation"], where),
        caveat=" ".join(str(record["caveat"]).split()) if record.get("caveat") else None,
        effect=record["effect"],
        review_policy=policy,
        review_policy_from=_policy_source(record.get("review_policy_from"), where),
        condition=parse_condition(record["when"], f"{where}.when") if with_condition else None,
        list_code=record.get("list"),
        measure=record.get("measure"),
    )


def _from_measure(measure_id: str, where: str) -> dict[str, Any]:
    """A rule that enforces a product letter takes its summary, dates and citation from the
    letter's one record in advanced_computing.yaml, so the two can never disagree."""
    found = [m for m in advanced_computing_rules().measures if m.id == measure_id]
    if not found:
        raise ValueError(f"{DATA_FILE} {where}: unknown measure '{measure_id}'")
    measure = found[0]
    return {
        "summary": measure.summary,
        "effective_from": measure.period.effective_from,
        "effective_to": measure.period.effective_to,
        "citation": measure.citation.to_dict(),
        "caveat": measure.caveat,
    }


COMPUTED_POLICIES = ("advanced_computing_policy", "advanced_computing_headquarters_policy")


def _policy_source(value: object, where: str) -> str | None:
    if value is not None and value not in COMPUTED_POLICIES:
        raise ValueError(f"{where}: review_policy_from must be one of {COMPUTED_POLICIES}")
    return None if value is None else str(value)
