"""The jurisdiction inputs of POST /api/v1/check and the deemed-export route POST
/api/v1/release: the CLI's answers, and 422 naming the field for bad input."""

from __future__ import annotations

import re

import pytest

from exportguard.store import Store
from tests.test_service import Service

UNLISTED = {"name": "Shenzhen Example Trading Co., Ltd.", "country": "CN"}


@pytest.fixture
def service(store: Store):
    s = Service(store)
    yield s
    s.close()


def test_check_answers_jurisdiction_of_a_foreign_made_item(service: Service) -> None:
    body = {"destination": "CN", "parties": [UNLISTED], "item_eccn": "4A090.a",
            "date": "2024-06-01", "origin": "TW", "us_content": {"3A090.a": 20},
            "direct_product_of": []}
    memo = service.post("/check", body).json()
    assert memo["jurisdiction"]["subject_to_ear"] is False
    assert memo["jurisdiction"]["rule_id"] == "not-subject"
    assert memo["decision"] == "no_license_required"
    over = service.post("/check", {**body, "us_content": {"3A090.a": 40}}).json()
    assert over["jurisdiction"]["rule_id"] == "de-minimis-25"
    assert over["decision"] == "license_required"


@pytest.mark.parametrize(("change", "field"), [
    ({"origin": "US", "us_content": {"3A090.a": 10}}, "us_content"),
    ({"origin": "KR", "us_content": {"3A090.a": 101}}, "us_content"),
    ({"origin": "KR", "us_content": {"not-an-eccn": 5}}, "us_content"),
    ({"origin": "KR", "direct_product_of": ["3A090"]}, "direct_product_of"),
    ({"origin": "QQ"}, "origin"),
])
def test_check_refuses_bad_origin_input_with_422(service: Service, change, field) -> None:
    body = {"destination": "CN", "parties": [UNLISTED], "item_eccn": "EAR99", **change}
    answer = service.post("/check", body)
    assert answer.status_code == 422, answer.json()
    assert answer.json()["error"]["field"] == field


def test_release_route_answers_like_the_cli(service: Service) -> None:
    answer = service.post("/release", {"technology": "3E001", "for_item": "3A090.a",
                                       "nationalities": ["CN"], "date": "2024-06-01"})
    memo = answer.json()
    assert answer.status_code == 200, memo
    assert memo["decision"] == "review" and memo["deemed_to"] == ["CN"]
    resident = service.post("/release", {"technology": "3E001", "for_item": "3A090.a",
                                         "nationalities": ["CN"], "permanent_resident": True,
                                         "date": "2024-06-01"}).json()
    assert resident["decision"] == "no_license_required" and resident["deemed_export"] is False


@pytest.mark.parametrize(("body", "field"), [
    ({"technology": "3A090.a", "nationalities": ["CN"]}, "technology"),
    ({"technology": "3E001", "nationalities": ["ZZ"]}, "nationalities.0"),
    ({"technology": "3E001", "nationalities": ["US"], "permanent_resident": True},
     "permanent_resident"),
])
def test_release_route_refuses_bad_input_with_422(service: Service, body, field) -> None:
    answer = service.post("/release", body)
    assert answer.status_code == 422, answer.json()
    assert answer.json()["error"]["field"] == field


def _signed_in(service: Service) -> str:
    service.client.post("/login", data={"key": service.secrets["screener"], "next": "/check"})
    page = service.client.get("/check")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert page.status_code == 200 and found
    return found.group(1)


def test_check_page_takes_the_origin_and_shows_jurisdiction(service: Service) -> None:
    form = {"csrf": _signed_in(service), "item": "A100", "destination": "CN",
            "party": UNLISTED["name"], "party_country": "CN", "date": "2024-06-01",
            "origin": "TW", "us_content": "none", "direct_product_of": "3D001"}
    reply = service.client.post("/check", data=form)
    assert reply.status_code == 200
    assert 'id="jurisdiction">Subject to the EAR (fdp-advanced-computing-2023' in reply.text
    bad = service.client.post("/check", data={**form, "us_content": "3A090.a=200"})
    assert bad.status_code == 422 and "us_content" in bad.text
