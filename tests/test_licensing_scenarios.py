"""The licensing scenarios of tests/scenarios/licensing/*.yaml, run against the reference CSL, and
the walk over every dated record that proves each boundary is pinned on both of its sides."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from exportguard.check import ItemFigures, Party
from exportguard.check.rules import licensing_rules
from exportguard.regime.advanced_computing import advanced_computing_rules
from exportguard.regime.records import boundaries
from tests.checking import decide

FOLDER = Path(__file__).parent / "scenarios" / "licensing"
SCENARIOS = [s for path in sorted(FOLDER.glob("*.yaml"))
             for s in yaml.safe_load(path.read_text(encoding="utf-8"))]
_KEYS = {"id", "pins", "note", "date", "destination", "parties", "item", "item_eccn", "figures",
         "end_use", "expect"}
_EXPECT = {"decision", "review_policy", "fired", "not_fired", "noted", "missing"}


def test_there_are_at_least_two_hundred_scenarios_with_unique_ids():
    ids = [s["id"] for s in SCENARIOS]
    assert len(ids) >= 200 and len(set(ids)) == len(ids)
    for scenario in SCENARIOS:
        assert set(scenario) <= _KEYS and set(scenario["expect"]) <= _EXPECT, scenario["id"]


def test_the_readme_counts_the_scenarios_there_are():
    """README.md's Scenarios paragraph says how many dated transactions the folder holds."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    said = re.search(r"`tests/scenarios/licensing/\*\.yaml` holds (\d+) dated transactions",
                     " ".join(readme.split()))
    assert said, "README.md no longer counts the licensing scenarios"
    assert int(said.group(1)) == len(SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_scenario(full_screener, scenario):
    figures = scenario.get("figures")
    result = decide(
        full_screener,
        destination=scenario["destination"],
        parties=[Party(p) if isinstance(p, str) else Party(**p) for p in scenario["parties"]],
        item=ItemFigures(**figures) if figures else scenario.get("item"),
        item_eccn=scenario.get("item_eccn"),
        on=str(scenario["date"]),
        end_use=scenario.get("end_use"),
    )
    expect = scenario["expect"]
    reasons = [(r.rule_id, r.outcome) for r in result.reasons]
    assert result.decision == expect["decision"], reasons
    assert result.review_policy == expect["review_policy"], reasons
    for rule in expect.get("fired", []):
        assert rule in result.fired, reasons
    for rule in expect.get("not_fired", []):
        assert rule not in result.fired, reasons
    for rule in expect.get("noted", []):
        assert rule in {r.rule_id for r in result.reasons}, reasons
    for fact in expect.get("missing", []):
        assert fact in result.missing_facts, result.missing_facts


def _dated_records():
    """Every record whose dates decide an answer: the licence rules and the 3A090 records. The
    list rules are left out: a list rule's effect starts with each entry's own listing date,
    which the seed scenarios pin."""
    ac = advanced_computing_rules().records
    return [*licensing_rules().records, *(r for s in ac.sections.values() for r in s)]


def test_every_dated_boundary_is_pinned_on_both_sides():
    pinned: dict[str, set[date]] = {}
    for scenario in SCENARIOS:
        for rule in scenario.get("pins", []):
            pinned.setdefault(rule, set()).add(scenario["date"])
    missing = []
    for day, record in boundaries(_dated_records()):
        if record.section == "lists" or day <= date(2018, 1, 1):
            continue
        days = pinned.get(record.id, set())
        for side in (day - timedelta(days=1), day):
            if side not in days:
                missing.append(f"{record.id} on {side}")
    assert not missing, missing
