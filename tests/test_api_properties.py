"""Property tests of the API with Schemathesis: requests generated from the OpenAPI document
(valid and invalid ones) pass every Schemathesis check (`--checks all`: no 5xx, every status,
content type and body as documented, invalid data refused, authentication not ignored), and
every answer carries a request id. Settings: schemathesis.toml at the project root."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from exportguard.access import Access
from exportguard.lists.loader import load_file
from exportguard.service.app import create_app
from exportguard.service.state import Limits
from exportguard.store import Store
from tests.conftest import CSL_SAMPLE

# Not fuzzed: the list update downloads from the network (none in tests; tested in
# test_update.py with a local server), and revoking keys would revoke the fuzzer's own key.
_SKIPPED = {("POST", "/api/v1/lists/update"), ("DELETE", "/api/v1/keys/{key_id}")}


@pytest.fixture(scope="module")
def admin_secret(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, str]:
    folder = tmp_path_factory.mktemp("api-properties")
    store = Store(f"sqlite:///{folder / 'eg.db'}")
    load_file(store, CSL_SAMPLE)
    secret = Access(store).create_key("fuzzer", "admin")[1]
    return create_app(store, Limits(rate_per_second=100_000)), secret


def test_no_server_error_for_any_request(admin_secret: tuple[object, str]) -> None:
    """For each operation, positive and negative cases from its schema: no 5xx, ever."""
    app, secret = admin_secret
    config = SchemathesisConfig.from_path(Path(__file__).parents[1] / "schemathesis.toml")
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, config=config)
    load_all_checks()
    checks = list(CHECKS.get_all())
    assert len(checks) >= 14
    tried: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in _SKIPPED:
            continue
        tried.append(operation.label)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, secret, checks)
    assert len(tried) >= 18, tried


def _fuzz(operation, mode: GenerationMode, secret: str,  # type: ignore[no-untyped-def]
          checks: list) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=12, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:  # type: ignore[no-untyped-def]
        # The key goes as the request's headers, so the ignored_auth check can replace it.
        response = case.call_and_validate(checks=checks,
                                          headers={"Authorization": f"Bearer {secret}"})
        assert response.headers.get("x-request-id")
        if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
            assert response.json()["error"]["request_id"] == response.headers["x-request-id"]

    try:
        run()
    except Unsatisfiable:
        # An operation without parameters or body has no invalid request to make.
        assert mode == GenerationMode.NEGATIVE, operation.label


def test_the_document_declares_every_answer(admin_secret: tuple[object, str]) -> None:
    app, _secret = admin_secret
    document = app.openapi()  # type: ignore[attr-defined]
    for path, operations in document["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method, operation in operations.items():
            responses = operation["responses"]
            success = [s for s in responses if s.startswith("2")]
            assert len(success) == 1, (method, path)
            content = responses[success[0]]["content"]
            assert all("schema" in c and c["schema"] for c in content.values()), (method, path)
            assert {"422", "503"} <= set(responses), (method, path)
            if path != "/api/v1/health":
                assert {"401", "403", "429"} <= set(responses), (method, path)
                assert operation["security"]
            if "requestBody" in operation:
                assert {"408", "413"} <= set(responses), (method, path)
            for status, answer in responses.items():
                if status[0] in "45":
                    assert answer["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/ErrorBody"}
    export = document["paths"]["/api/v1/audit/export"]["get"]["responses"]
    assert set(export["200"]["content"]) == {"text/csv", "application/x-ndjson"}
    assert "409" in export
    assert "404" in document["paths"]["/api/v1/keys/{key_id}"]["delete"]["responses"]
