"""POST /api/v1/outbound and the /outbound page: the CLI answer over HTTP, 422 naming the field."""

from __future__ import annotations

import html
import re

import pytest

from exportguard.store import Store
from tests.test_service import Service


@pytest.fixture
def service(store: Store):
    s = Service(store)
    yield s
    s.close()


def test_api_answers_with_the_cli_shape_and_audits(service: Service) -> None:
    body = {"date": "2025-03-01", "us_person": True, "transaction": "equity",
            "target_country": "CN", "activities": ["ai-system"], "training_compute": 5e23,
            "end_uses": ["none"]}
    reply = service.post("/outbound", body)
    assert reply.status_code == 200, reply.text
    data = reply.json()
    assert data["classification"] == "notifiable"
    assert data["filing"]["deadline"] == "2025-03-31"
    assert data["missing_facts"] == [] and data["request_id"]
    records = service.get("/audit", role="reviewer").json()["records"]
    assert any(r["action"] == "outbound" for r in records)


def test_api_before_the_rule_is_not_covered(service: Service) -> None:
    body = {"date": "2024-12-31", "us_person": True, "transaction": "equity",
            "target_country": "CN", "activities": ["quantum-computer"]}
    assert service.post("/outbound", body).json()["classification"] == "not_covered"


@pytest.mark.parametrize(("body", "field"), [
    ({"activities": ["robots"]}, "activities"),
    ({"transaction": "shares"}, "transaction"),
    ({"revenue_share": 101}, "revenue_share"),
    ({"date": "2025-02-30"}, "date"),
    ({"unknown": 1}, "unknown"),
    ({"activities": ["ai-system"] * 21}, "activities"),
    # Strict types: false is no amount, "yes" or 1 no yes/no, "40" no number.
    ({"lp_committed_capital": False}, "lp_committed_capital"),
    ({"us_person": "yes"}, "us_person"),
    ({"us_person": 1}, "us_person"),
    ({"coc_ownership": "40"}, "coc_ownership"),
])
def test_api_bad_input_is_422_naming_the_field(service: Service, body: dict, field: str) -> None:
    reply = service.post("/outbound", body)
    assert reply.status_code == 422
    assert reply.json()["error"]["field"] == field


def test_api_lists_activities(service: Service) -> None:
    codes = {a["code"] for a in service.get("/outbound/activities").json()["activities"]}
    assert "ic-fabrication" in codes and "quantum-network" in codes


def _signed_in(service: Service) -> str:
    client = service.client
    client.post("/login", data={"key": service.secrets["screener"], "next": "/outbound"})
    page = client.get("/outbound")
    assert page.status_code == 200
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def test_page_classifies_and_names_missing_facts(service: Service) -> None:
    csrf = _signed_in(service)
    reply = service.client.post("/outbound", data={
        "csrf": csrf, "date": "2025-06-01", "us_person": "yes", "transaction": "equity",
        "target_country": "CN", "activity": "ic-design"})
    assert reply.status_code == 200
    assert 'id="classification">undetermined' in reply.text
    assert "ic_3a090a" in reply.text
    reply = service.client.post("/outbound", data={
        "csrf": csrf, "date": "2025-06-01", "us_person": "yes", "transaction": "equity",
        "target_country": "CN", "activity": "ic-design", "ic_3a090a": "yes"})
    assert 'id="classification">prohibited' in reply.text
    assert "850.224(c)" in reply.text


def test_page_bad_number_is_422_naming_the_field(service: Service) -> None:
    csrf = _signed_in(service)
    reply = service.client.post("/outbound", data={"csrf": csrf, "training_compute": "lots"})
    assert reply.status_code == 422
    assert "training_compute" in reply.text and 'aria-invalid="true"' in reply.text
    # The error names the field as the form asks it, not by the engine's name.
    assert "Not classified: Operations used to train the AI system: 'lots' is not a number" \
        in html.unescape(reply.text)
    dated = service.client.post("/outbound", data={"csrf": csrf, "date": "2025-02-30"})
    assert "Not classified: Date: '2025-02-30' is not a real calendar date" \
        in html.unescape(dated.text)
