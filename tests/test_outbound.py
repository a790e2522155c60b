"""31 CFR Part 850: the scenario files, the rules file's validation, the CLI and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from exportguard.cli import app
from exportguard.errors import InputError
from exportguard.lists.starter import starter_entries
from exportguard.outbound import OutboundQuestion, outbound, outbound_rules
from exportguard.outbound.rules import DATA_FILE, SECTIONS, from_records
from exportguard.regime.facts import fact_registry
from exportguard.regime.records import RuleFileError, parse_records
from exportguard.screening import Screener

SCENARIOS = Path(__file__).parent / "scenarios" / "outbound"
RULES_FILE = Path(__file__).parents[1] / "src/exportguard/data/regime/outbound.yaml"


def _scenarios() -> list[Any]:
    cases = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return cases


def _question(case: dict[str, Any]) -> OutboundQuestion:
    facts = dict(case["question"])
    facts["activities"] = tuple(facts.pop("activities", ()))
    facts["end_uses"] = tuple(facts.pop("end_uses", ()))
    return OutboundQuestion(date=case["date"], **facts)


@pytest.mark.parametrize("case", _scenarios())
def test_scenario(case: dict[str, Any]) -> None:
    assert case.get("source"), "every scenario names the text it rests on"
    result = outbound(_question(case))
    expect = case["expect"]
    assert result.classification == expect["classification"], result.to_dict()
    if "reason" in expect:
        assert expect["reason"] in [r.rule_id for r in result.reasons]
    if "paragraph_contains" in expect:
        assert any(expect["paragraph_contains"] in a["paragraph"]
                   for a in result.covered_activities)
    if "missing_facts" in expect:
        assert [m["fact"] for m in result.missing_facts] == expect["missing_facts"]
    if "filing_deadline" in expect:
        assert result.filing is not None
        assert result.filing["deadline"] == expect["filing_deadline"].isoformat()
        assert result.filing["deadline_days"] == 30


def test_every_reason_cites_part_850_and_its_federal_register_source() -> None:
    result = outbound(OutboundQuestion(date="2025-03-01", us_person=True, transaction="equity",
                                       target_country="CN", activities=("ai-system",),
                                       training_compute=5e23, end_uses=("none",)))
    assert result.classification == "notifiable"
    for reason in result.reasons:
        assert reason.citation.startswith("31 CFR")
        assert "89 FR 90398" in reason.source
        assert reason.effective_from == "2025-01-02"
    assert "reasonable and diligent inquiry" in result.knowledge_standard
    assert any("COINS" in c for c in result.caveats), "the NDAA is a caveat, not a rule"


def test_every_activity_has_a_paragraph_and_the_flagged_unread_texts_say_so() -> None:
    rules = outbound_rules()
    assert set(rules.activities) == {
        "eda-software", "fab-equipment", "ic-design", "ic-fabrication", "ic-packaging",
        "supercomputer", "quantum-computer", "quantum-sensor", "quantum-network", "ai-system"}
    for activity in rules.activities.values():
        assert activity.paragraph.startswith("31 CFR 850.2")
        if "850.224" in activity.paragraph:
            assert activity.caveat and "not read" in activity.caveat


def _data() -> dict[str, Any]:
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def load_rules(data: dict[str, Any]) -> Any:
    return from_records(parse_records(data, DATA_FILE, SECTIONS,
                                      extra_keys=("transactions", "transactions_caveat")))


def test_every_outbound_fact_is_registered_and_produced() -> None:
    used = set(outbound_rules().facts)
    assert used == fact_registry().produced_by("outbound")
    produced = {name for name in used if hasattr(OutboundQuestion(), name)}
    produced |= {"target_in_country_of_concern", "end_use_military", "end_use_intelligence",
                 "end_use_surveillance"}
    assert used == produced


def test_an_unknown_key_in_a_record_fails_at_load() -> None:
    data = _data()
    data["rules"][0]["efective_to"] = "2025-01-01"
    with pytest.raises(RuleFileError, match="efective_to"):
        load_rules(data)


def test_a_condition_on_an_undeclared_fact_fails_at_load() -> None:
    data = _data()
    data["activities"][0]["prohibited"] = "training_compte > 1e25"
    with pytest.raises(ValueError, match="training_compte"):
        load_rules(data)


def test_a_number_compared_with_a_yes_no_fact_fails_at_load() -> None:
    data = _data()
    data["activities"][2]["prohibited"] = "ic_3a090a > 5"
    with pytest.raises(ValueError, match="does not fit ic_3a090a"):
        load_rules(data)


def test_a_rule_without_its_citation_fails_at_load() -> None:
    data = _data()
    del data["rules"][0]["citation"]
    with pytest.raises(ValueError, match="citation"):
        load_rules(data)


@pytest.mark.parametrize(("field", "kwargs"), [
    ("transaction", {"transaction": "shares"}),
    ("activity", {"activities": ("robots",)}),
    ("end_use", {"end_uses": ("police",)}),
    ("end_use", {"end_uses": ("none", "military")}),
    ("target_country", {"target_country": "China"}),
    ("revenue_share", {"revenue_share": 150.0}),
    ("training_compute", {"training_compute": float("nan")}),
    ("training_compute", {"training_compute": -1.0}),
    ("date", {"date": "2025-02-30"}),
    ("target", {"target": "x" * 201}),
])
def test_bad_input_names_the_field(field: str, kwargs: dict[str, Any]) -> None:
    with pytest.raises(InputError) as raised:
        outbound(OutboundQuestion(**kwargs))
    assert raised.value.field == field


def test_a_listed_target_is_shown_as_information_not_as_the_reason() -> None:
    screener = Screener.from_entries(list(starter_entries()))
    result = outbound(OutboundQuestion(date="2025-06-01", us_person=True, transaction="equity",
                                       target="SenseTime", target_country="CN",
                                       activities=("ai-system",), training_compute=5e23,
                                       end_uses=("none",)), screener)
    assert result.classification == "notifiable"
    assert {m["list"] for m in result.listed_target} >= {"EL", "CMIC"}
    assert any("sensetime" in m["name"].lower() for m in result.listed_target)
    assert any("not on lists" in c for c in result.caveats)


runner = CliRunner()


def test_cli_json_prohibited_with_the_paragraph() -> None:
    res = runner.invoke(app, ["outbound", "--date", "2025-02-01", "--us-person",
                              "--transaction", "equity", "--target-country", "CN",
                              "--activity", "ai-system", "--training-compute", "2e25",
                              "--end-use", "none", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["classification"] == "prohibited"
    assert data["missing_facts"] == []
    assert "850.224(k)" in data["covered_activities"][0]["paragraph"]
    assert data["filing"]["citation"] == "31 CFR 850.224, 850.301"
    assert data["audit"]["recorded"] is True


def test_cli_names_missing_facts() -> None:
    res = runner.invoke(app, ["outbound", "--date", "2025-02-01", "--us-person",
                              "--transaction", "equity", "--target-country", "CN",
                              "--activity", "ic-design"])
    assert res.exit_code == 0, res.output
    assert "undetermined" in res.output
    assert "ic_3a090a" in res.output


def test_cli_lists_activities() -> None:
    res = runner.invoke(app, ["outbound", "--list-activities", "--json"])
    assert res.exit_code == 0
    codes = {row["code"]: row["paragraph"] for row in json.loads(res.output)}
    assert codes["quantum-computer"] == "31 CFR 850.224(g)"
    assert "850.217(a)" in codes["ic-design"]


@pytest.mark.parametrize(("args", "field"), [
    (["--activity", "robots"], "activity"),
    (["--transaction", "shares"], "transaction"),
    (["--date", "2025-13-01"], "date"),
])
def test_cli_bad_input_exits_2_naming_the_field(args: list[str], field: str) -> None:
    res = runner.invoke(app, ["outbound", *args])
    assert res.exit_code == 2
    assert field in res.output
