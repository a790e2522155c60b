"""Licence exceptions NAC, ACA and HBM (740.8, 740.25) in the check: the scenarios of
tests/scenarios/jurisdiction/exceptions.yaml, on both sides of each record's dates."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from exportguard.check import Party
from exportguard.check.exceptions import exception_rules
from tests.checking import decide

SCENARIOS = [s for name in ("exceptions.yaml", "exceptions_audit_r1.yaml")
             for s in yaml.safe_load((Path(__file__).parent / "scenarios" / "jurisdiction" /
                                      name).read_text(encoding="utf-8"))]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_scenario(full_screener, scenario):
    result = decide(full_screener, destination=scenario["destination"],
                    parties=[Party(p) if isinstance(p, str) else Party(**p)
                             for p in scenario["parties"]],
                    item=scenario["item"], on=str(scenario["date"]))
    expect = scenario["expect"]
    if "decision" in expect:
        assert result.decision == expect["decision"], [r.to_dict() for r in result.reasons]
    found = {e["code"]: e for e in result.license_exceptions}
    assert {code: e["available"] for code, e in found.items()} == expect["available"]
    if "rule_ids" in expect:
        assert sorted(e["rule_id"] for e in found.values()) == sorted(expect["rule_ids"])
    if "notice" in expect:
        assert found[expect["notice"]]["notice"]


def test_every_exception_record_is_pinned_on_both_sides_of_its_start():
    days: dict[str, set[date]] = {}
    for scenario in SCENARIOS:
        days.setdefault(scenario["rule"], set()).add(scenario["date"])
    for record in exception_rules()["exceptions"]:
        start = record.period.effective_from
        pinned = set().union(*days.values())
        assert record.id in days, record.id
        assert start in pinned and start - timedelta(days=1) in pinned, record.id
