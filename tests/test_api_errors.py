"""Every /api/v1 error names the JSON field the caller sent (a path into the body or the query:
`parties.1.country`, `figures.tpp`, `from`) and never a command-line flag, one test per route
family, on the reference CSL sample."""

from __future__ import annotations

import re
from typing import Any

import pytest

from exportguard.store import Store
from tests.test_service import Service

_FLAG = re.compile(r"(?<![\w-])--[a-z]")
H100 = {"destination": "CN", "parties": [{"name": "Acme Trading"}], "item": "H100"}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("api-errors")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("EXPORTGUARD_HOME", str(root / "home"))
        s = Service(Store(f"sqlite:///{root / 'eg.db'}"))
        yield s
        s.close()


def refused(answer: Any, field: str, *words: str) -> str:
    """The 422's message, after checking it names `field`, the words and no flag."""
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["field"] == field, error
    assert error["message"].startswith(f"{field}: "), error
    assert not _FLAG.search(error["message"]), error
    for word in words:
        assert word in error["message"], error
    return str(error["message"])


def test_screen_and_batch_errors_name_their_fields(service: Service) -> None:
    refused(service.post("/screen", {"name": "Acme", "country": "ZZ"}), "country", "'ZZ'")
    refused(service.post("/screen", {"name": "Acme", "as_of": "2020-13-01"}), "as_of")
    refused(service.post("/batches", {"rows": [{"name": "Acme"}], "lists": "EL,NOPE"}),
            "lists", "NOPE")
    refused(service.post("/batches", {"rows": [{"name": "Acme", "colour": 1}]}),
            "rows.0.colour")


def test_check_errors_name_the_party_and_the_figure_sent(service: Service) -> None:
    two = [{"name": "Acme Trading"}, {"name": "Beta Logistics", "country": "ZZ"}]
    refused(service.post("/check", {**H100, "parties": two}), "parties.1.country", "'ZZ'")
    refused(service.post("/check", {**H100, "parties": [{"name": "Acme", "hq": "QQ"}]}),
            "parties.0.hq", "'QQ'")
    message = refused(service.post("/check", {**H100, "parties": [
        {"name": "Acme", "parent_hq": "CN"}]}), "parties.0.parent", "parent_hq needs parent")
    assert "--parent" not in message
    refused(service.post("/check", {**H100, "parties": [{"name": "  "}]}), "parties.0.name")
    refused(service.post("/check", {**H100, "destination": "ZZ"}), "destination")
    both = {**H100, "item_eccn": "3A090.a"}
    refused(service.post("/check", both), "item", "figures.tpp", "item_eccn")
    refused(service.post("/check", {**H100, "foreign_made": True, "origin": "US"}), "origin",
            "foreign_made says the item was made outside the U.S., but origin is US")
    refused(service.post("/check", {**H100, "origin": "US", "us_content": {"3A090.a": 20}}),
            "us_content", "us_content describes a foreign-made item", "but origin is US")
    figures = {**H100, "item": None, "figures": {"tpp": 4800, "throughput": {"fp8": 1979}}}
    refused(service.post("/check", figures), "figures.tpp",
            "give either figures.tpp or datasheet figures (figures.throughput)")
    refused(service.post("/check", {**figures, "figures": {"tpp": -1}}), "figures.tpp",
            "positive, got -1")
    refused(service.post("/check", {**figures, "figures": {"hbm": True}}),
            "figures.memory_bandwidth_density", "figures.memory_bandwidth and "
            "figures.package_area")
    refused(service.post("/check", {**H100, "item": "Nope9"}), "item", "the Classify page")


def test_classify_and_invest_errors_name_their_fields(service: Service) -> None:
    refused(service.post("/classify", {"figures": {}}), "figures.tpp", "figures.throughput")
    refused(service.post("/classify", {"figures": {"throughput": {"fp99": 1}}}),
            "figures.throughput", "'fp99'")
    refused(service.post("/classify", {"figures": {"tpp": 5000, "die_area": "big"}}),
            "figures.die_area")
    refused(service.post("/classify", {"item": "H100", "date": "2023-02-30"}), "date")
    refused(service.post("/invest", {"security": ""}), "security")


def test_release_errors_name_the_nationality_sent(service: Service) -> None:
    refused(service.post("/release", {"technology": "3E001"}), "nationalities",
            "(nationalities, an ISO code)", "(permanent_resident)", "(protected_individual)")
    refused(service.post("/release", {"technology": "3E001", "nationalities": ["CN", "ZZ"]}),
            "nationalities.1", "'ZZ'")
    refused(service.post("/release", {"technology": "3A090", "nationalities": ["CN"]}),
            "technology", "not technology or software")
    refused(service.post("/release", {"technology": "3E001", "nationalities": ["CN"],
                                      "for_item": "zz"}), "for_item")


def test_outbound_errors_name_the_lists_sent(service: Service) -> None:
    refused(service.post("/outbound", {"activities": ["no-such-activity"]}), "activities",
            "GET /api/v1/outbound/activities lists them")
    refused(service.post("/outbound", {"end_uses": ["cooking"]}), "end_uses", "'cooking'")
    refused(service.post("/outbound", {"coc_ownership": 150}), "coc_ownership", "0..100")


def test_lists_errors_name_the_query_parameter(service: Service) -> None:
    sample = max(s["id"] for s in service.get("/lists").json()["snapshots"])
    message = refused(service.get(f"/diff?from={sample}&to={sample}"), "to",
                      f"from and to both name snapshot #{sample}", "GET /api/v1/lists")
    assert "compares two different snapshots" in message
    refused(service.get(f"/diff?from={sample}&to=99"), "to", "no snapshot #99")
    refused(service.get("/history?name="), "name")
    refused(service.get("/ownership", params={"name": "x", "country": "ZZ"}), "country")
    refused(service.get("/audit?from=2024-1-1", role="reviewer"), "from", "YYYY-MM-DD")
    assert "Value error" not in service.get("/audit?from=x", role="reviewer").text


def test_case_errors_name_the_path_and_body_fields(service: Service) -> None:
    refused(service.get("/cases?status=shut", role="reviewer"), "status", "'shut'")
    refused(service.post("/cases/1/decision", {"action": "clear", "note": 5},
                         role="reviewer"), "note")
    refused(service.get("/cases/99999999999", role="reviewer"), "case_id")
