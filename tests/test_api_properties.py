"""Property tests of the API with Schemathesis: requests generated from the OpenAPI document
(valid and invalid ones) never get a 5xx, and every answer carries a request id."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

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
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    tried: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in _SKIPPED:
            continue
        tried.append(operation.label)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, secret)
    assert len(tried) >= 18, tried


def _fuzz(operation, mode: GenerationMode, secret: str) -> None:  # type: ignore[no-untyped-def]
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=15, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:  # type: ignore[no-untyped-def]
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {secret}"}
        response = case.call()
        assert response.status_code < 500, (case.method, case.path, case.body,
                                            case.query, response.text[:500])
        assert response.headers.get("x-request-id")
        if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
            assert response.json()["error"]["request_id"] == response.headers["x-request-id"]

    try:
        run()
    except Unsatisfiable:
        # An operation without parameters or body has no invalid request to make.
        assert mode == GenerationMode.NEGATIVE, operation.label
