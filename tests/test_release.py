"""Deemed exports (734.13(b), 772.1): the scenarios of
tests/scenarios/jurisdiction/releases.yaml, bad input naming its field, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from exportguard.check.release import ReleaseRequest, release
from exportguard.cli import app
from exportguard.errors import InputError

SCENARIOS = [s for name in ("releases.yaml", "releases_audit_r1.yaml")
             for s in yaml.safe_load((Path(__file__).parent / "scenarios" / "jurisdiction" /
                                      name).read_text(encoding="utf-8"))]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_scenario(full_screener, scenario):
    request = ReleaseRequest(
        technology=scenario["technology"], nationalities=tuple(scenario["nationalities"]),
        permanent_resident=scenario.get("permanent_resident", False),
        protected_individual=scenario.get("protected_individual", False),
        for_item=scenario.get("for_item"), person=scenario.get("person"),
        date=str(scenario["date"]))
    result = release(request, screener_for=lambda _day: full_screener)
    expect = scenario["expect"]
    fired = [r.rule_id for r in result.reasons if r.outcome in ("applies", "review")]
    assert result.decision == expect["decision"], [r.to_dict() for r in result.reasons]
    if "deemed_to" in expect:
        assert result.deemed_to == expect["deemed_to"]
    for rule in expect.get("fired", []):
        assert rule in fired, fired
    if expect.get("fired") == []:
        assert fired == []
    for rule in expect.get("not_fired", []):
        assert rule not in fired
    for fact in expect.get("missing", []):
        assert fact in result.missing_facts


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"technology": "3A090.a", "nationalities": ("CN",)}, "technology"),
    ({"technology": "bogus", "nationalities": ("CN",)}, "technology"),
    ({"technology": "3E001", "nationalities": ("XX",)}, "nationality"),
    ({"technology": "3E001", "nationalities": ()}, "nationality"),
    ({"technology": "3E001", "nationalities": ("US",), "permanent_resident": True},
     "permanent_resident"),
    ({"technology": "3E001", "nationalities": ("CN",), "for_item": "x"}, "for_item"),
    ({"technology": "3E001", "nationalities": ("CN",), "date": "2024-02-30"}, "date"),
])
def test_bad_release_input_names_the_field(kwargs, field):
    with pytest.raises(InputError) as raised:
        release(ReleaseRequest(**kwargs))
    assert raised.value.field == field


def test_release_cli_json_and_bad_input():
    runner = CliRunner()
    done = runner.invoke(app, ["release", "--technology", "3E001", "--for-item", "3A090.a",
                               "--nationality", "CN", "--date", "2024-06-01", "--json"])
    assert done.exit_code == 0, done.output
    answer = json.loads(done.stdout)
    assert answer["decision"] == "review" and answer["deemed_to"] == ["CN"]
    bad = runner.invoke(app, ["release", "--technology", "3E001", "--nationality", "ZZ"])
    assert bad.exit_code == 2 and "nationality" in bad.output
