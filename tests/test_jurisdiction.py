"""Jurisdiction (734.3, 734.4, 734.9): the dated scenarios of
tests/scenarios/jurisdiction/foreign_made.yaml against the reference CSL, and the checks on the
origin inputs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from exportguard.check import Party
from exportguard.check.jurisdiction import (
    entity_footnotes,
    item_origin,
    jurisdiction_rules,
    parse_us_content,
)
from exportguard.cli import app
from exportguard.errors import InputError
from exportguard.model import ListEntry
from tests.checking import decide

SCENARIOS = [s for name in ("foreign_made.yaml", "audit_r1.yaml", "audit_r2.yaml")
             for s in yaml.safe_load((Path(__file__).parent / "scenarios" / "jurisdiction" /
                                      name).read_text(encoding="utf-8"))]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_scenario(full_screener, scenario):
    def listed(key):
        return tuple(scenario[key]) if key in scenario else None

    result = decide(full_screener, destination=scenario["destination"],
                    parties=[Party(p) if isinstance(p, str) else Party(**p)
                             for p in scenario["parties"]],
                    item_eccn=scenario["item_eccn"], on=str(scenario["date"]),
                    end_use=scenario.get("end_use"), origin=scenario.get("origin"),
                    foreign_made=scenario.get("foreign_made", False),
                    us_content=scenario.get("us_content"),
                    direct_product_of=listed("direct_product_of"),
                    plant_direct_product_of=listed("plant_direct_product_of"))
    expect = scenario["expect"]
    found = result.jurisdiction
    for key, value in expect.get("jurisdiction", {}).items():
        assert found[key] == value, (key, found)
    if "decision" in expect:
        assert result.decision == expect["decision"], [r.to_dict() for r in result.reasons]
    if "review_policy" in expect:
        assert result.review_policy == expect["review_policy"]
    for rule in expect.get("fired", []):
        assert rule in result.fired, result.fired
    for fact in expect.get("missing", []):
        assert fact in result.missing_facts, result.missing_facts


def test_every_jurisdiction_rule_has_scenarios_on_both_sides_of_its_dates():
    covered: dict[str, set[date]] = {}
    for scenario in SCENARIOS:
        rules = scenario["rule"] if isinstance(scenario["rule"], list) else [scenario["rule"]]
        for rule in rules:
            covered.setdefault(rule, set()).add(scenario["date"])
    for section in jurisdiction_rules().sections.values():
        for record in section:
            days = covered.get(record.id, set())
            assert days, f"no scenario for {record.id}"
            start, end = record.period.effective_from, record.period.effective_to
            if start > date(2018, 1, 1):
                assert any(d < start for d in days) and start in days, record.id
            if end is not None:
                assert end in days, record.id


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"origin": "US", "us_content": {"3A090.a": 10}}, "us_content"),
    ({"origin": "US", "direct_product_of": ["3E001"]}, "direct_product_of"),
    ({"origin": "US", "foreign_made": True}, "origin"),
    ({"origin": "XX"}, "origin"),
    ({"origin": "KR", "us_content": {"3A090.a": 101}}, "us_content"),
    ({"origin": "KR", "us_content": {"3A090.a": -1}}, "us_content"),
    ({"origin": "KR", "us_content": {"3A090.a": float("nan")}}, "us_content"),
    ({"origin": "KR", "us_content": {"3A090.a": 60, "4A090.a": 50}}, "us_content"),
    ({"origin": "KR", "us_content": {"9Z999": 10}}, "us_content"),
    ({"origin": "KR", "us_content": ["3A090.a=ten"]}, "us_content"),
    ({"origin": "KR", "direct_product_of": ["3A090"]}, "direct_product_of"),
    ({"origin": "KR", "plant_direct_product_of": ["bogus"]}, "plant_direct_product_of"),
])
def test_bad_origin_inputs_name_the_field(kwargs, field):
    with pytest.raises(InputError) as raised:
        item_origin(**kwargs)
    assert raised.value.field == field


def test_origin_inputs_normalised():
    made = item_origin(origin="kr", us_content=["3a090.A=12.5", "EAR99=3"],
                       direct_product_of=["4e001"])
    assert made.origin == "KR"
    assert made.us_content == {"3A090.a": 12.5, "EAR99": 3.0}
    assert made.direct_product_of == ("4E001",)
    assert made.plant_direct_product_of == ()
    assert item_origin().us_origin
    assert item_origin(foreign_made=True).origin is None
    assert parse_us_content(["none"]) == {}


@pytest.mark.parametrize(("text", "notes"), [
    ("For all items subject to the EAR, see §§ 734.9(e)1 and 744.11 of the EAR2", {1}),
    ("For all items subject to the EAR. (See §§ 734.9(e)(2) and 744.11 of the EAR)4", {4}),
    ("For All Items Subject to the EAR (See §734.9(e), and 744.11 of the EAR)4.", {4}),
    ("For all items subject to the EAR. (See §§ 734.4(a)(9), 734.9(e)(3), and 744.11 of the "
     "EAR)5", {5}),
    ("For all items subject to the EAR. (See §§ 734.9(g),3 746.8(a)(3), and 744.21(b) of the "
     "EAR)", set()),
    ("For all items subject to the EAR. (See §734.9(e) and §744.11 of the EAR)", {0}),
])
def test_entity_list_footnotes_read_from_the_entry(text, notes):
    assert entity_footnotes(ListEntry(list_code="EL", name="x", license_requirement=text)) == notes


def test_ecfr_footnote_markers_are_read():
    entry = ListEntry(list_code="EL", name="x", raw={"footnotes": {"license_requirement": ["4"]}},
                      license_requirement="For all items subject to the EAR. (See §§ 734.9(e) "
                      "and 744.11 of the EAR)")
    assert entity_footnotes(entry) == {4}
    assert entity_footnotes(ListEntry(list_code="SDN", name="x",
                                      license_requirement="734.9(e)(2) 4")) == set()


def test_every_csl_footnoted_entry_is_read(csl_entries):
    """Every reference-CSL Entity List entry citing 734.9(e) yields a footnote (0 = unnumbered)."""
    cited = [e for e in csl_entries if e.list_code == "EL" and "734.9(e)" in
             (e.license_requirement or "")]
    assert len(cited) > 100
    assert all(entity_footnotes(e) for e in cited)
    huawei = [e for e in cited if e.name.startswith("Huawei Technologies Co., Ltd.")]
    assert huawei and all(1 in entity_footnotes(e) for e in huawei)


@pytest.mark.parametrize(("args", "field"), [
    (["--origin", "US", "--us-content", "3A090.a=10"], "us_content"),
    (["--origin", "KR", "--us-content", "3A090.a=120"], "us_content"),
    (["--origin", "KR", "--us-content", "3Q999=10"], "us_content"),
    (["--origin", "KR", "--direct-product-of", "3A090.a"], "direct_product_of"),
    (["--origin", "KR", "--plant-direct-product-of", "nonsense"], "plant_direct_product_of"),
    (["--origin", "ZZ"], "origin"),
])
def test_check_cli_refuses_bad_origin_input_with_exit_2(args, field):
    done = CliRunner().invoke(app, ["check", "--destination", "CN", "--party", "Example Co",
                                    "--item-eccn", "EAR99", *args])
    assert done.exit_code == 2, done.output
    assert field in done.output


def test_check_cli_json_has_jurisdiction_and_exceptions():
    done = CliRunner().invoke(app, [
        "check", "--destination", "CN", "--party", "Shenzhen Example Trading Co., Ltd.",
        "--item-eccn", "4A090.a", "--origin", "TW", "--us-content", "3A090.a=40",
        "--direct-product-of", "none", "--date", "2024-06-01", "--json"])
    assert done.exit_code == 0, done.output
    answer = json.loads(done.stdout)
    assert answer["jurisdiction"]["subject_to_ear"] is True
    assert answer["jurisdiction"]["basis"] == "de_minimis"
    assert answer["decision"] == "license_required"
    codes = {e["code"]: e["available"] for e in answer["license_exceptions"]}
    assert set(codes) == {"NAC", "ACA"} and codes["ACA"] is False
