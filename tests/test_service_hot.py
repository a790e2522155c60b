"""The hot routes (`service/hot.py`): POST /api/v1/screen and /check answered without FastAPI's
per-request machinery give the same status, headers and bytes as FastAPI's own path, leave the
same audit records and cases, and refuse a revoked key at once."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from exportguard.access import Access
from exportguard.audit import AuditLog
from exportguard.lists.loader import ensure_starter, load_file
from exportguard.service import api
from exportguard.service.app import create_app
from exportguard.service.metrics import REQUESTS
from exportguard.store import Store
from tests.conftest import CSL_SAMPLE

NEAR_MISS = "Gulf Gate Speditoin GmbH"
LISTED = "Gulf Gate Spedition GmbH"
CHECK = {"destination": "AT", "item": "H100", "date": "2025-06-01",
         "parties": [{"name": NEAR_MISS, "country": "AT"}]}


def _copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


@pytest.fixture
def twins(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two stores with the same content (the CSL sample, a key per role, a slow key): one
    served with the hot routes, one without."""
    first = Store(f"sqlite:///{tmp_path / 'hot.db'}")
    load_file(first, CSL_SAMPLE)
    ensure_starter(first)  # what the service loads on start, once for both
    access = Access(first)
    secrets = {role: access.create_key(f"{role}-key", role)[1]
               for role in ("screener", "reviewer", "admin")}
    secrets["slow"] = access.create_key("slow", "screener", rate_per_second=0.01)[1]
    first.close()
    _copy(tmp_path / "hot.db", tmp_path / "plain.db")
    stores = {name: Store(f"sqlite:///{tmp_path / f'{name}.db'}") for name in ("hot", "plain")}
    clients = {name: TestClient(create_app(store, hot_routes=name == "hot"))
               for name, store in stores.items()}
    for client in clients.values():
        client.__enter__()
    yield clients, stores, secrets
    for client in clients.values():
        client.__exit__(None, None, None)
    for store in stores.values():
        store.close()


def _requests(secrets: dict[str, str]) -> list[tuple[str, str, dict[str, str], bytes]]:
    """(method, path, headers, body): answers, refusals and errors of both routes."""
    import json

    def bearer(role: str = "screener") -> dict[str, str]:
        return {"Authorization": f"Bearer {secrets[role]}", "Content-Type": "application/json"}

    def post(path: str, body: Any, headers: dict[str, str] | None = None,
             raw: bytes | None = None) -> tuple[str, str, dict[str, str], bytes]:
        return ("POST", f"/api/v1/{path}", headers if headers is not None else bearer(),
                raw if raw is not None else json.dumps(body).encode())

    plain_json = {"Content-Type": "application/json"}
    return [
        post("screen", {"name": "Acme Trading Co., Ltd."}),
        post("screen", {"name": LISTED, "country": "AT"}),
        post("screen", {"name": NEAR_MISS, "country": "AT", "customer_id": "c-1"}),
        post("screen", {"name": NEAR_MISS, "country": "AT", "customer_id": "c-1"}),  # same case
        post("screen", {"name": "华为技术有限公司", "lists": "EL", "limit": 3, "min_score": 0.5}),
        post("screen", {"name": LISTED, "as_of": "2020-01-01"}),
        post("screen", {"name": "Acme", "limit": "many"}),
        post("screen", {"name": "Acme", "surprise": 1}),
        post("screen", {"name": "x" * 1001}),
        post("screen", {"name": "Acme", "as_of": "2025-02-30"}),
        post("screen", {"name": "Acme", "country": "XX"}),
        post("screen", {"name": "Acme", "lists": "EL,NOPE"}),
        post("screen", {"name": "Acme", "min_score": 2}),
        post("screen", ["Acme"]),
        post("screen", None, raw=b'{"name": "Acme"'),
        post("screen", None, raw=b'{"name": "\xff"}'),
        post("screen", None, raw=b""),
        post("screen", {"name": "Acme"}, {"Content-Type": "text/plain",
                                          "Authorization": f"Bearer {secrets['screener']}"}),
        post("screen", {"name": "Acme"}, {"Content-Type": "application/json; charset=utf-8",
                                          "Authorization": f"Bearer {secrets['screener']}"}),
        post("screen", {"name": "Acme"}, {**plain_json, "X-API-Key": secrets["screener"]}),
        post("screen", {"name": "Acme"}, {**plain_json,
                                          "Authorization": f"bearer  {secrets['reviewer']} "}),
        post("screen", {"name": "Acme"}, {**plain_json, "Authorization": "Basic abc",
                                          "X-API-Key": secrets["admin"]}),
        post("screen", {"name": "Acme"}, plain_json),
        post("screen", {"name": "Acme"}, {**plain_json, "X-API-Key": ""}),
        post("screen", {"name": "Acme"}, {**plain_json, "X-API-Key": "eg_" + "a" * 43}),
        post("screen", {"name": "Acme"}, {**plain_json, "Authorization": "Bearer nope"}),
        post("screen", {"name": "Acme", "limit": "many"}, plain_json),  # 401 before 422
        post("screen", None, plain_json, raw=b"{"),  # unreadable JSON: 422 before the key
        post("screen", {"name": "Acme"}, {**plain_json, "X-API-Key": secrets["slow"]}),
        post("screen", {"name": "Acme"}, {**plain_json, "X-API-Key": secrets["slow"]}),  # 429
        post("screen/", {"name": "Acme"}),
        post("check", CHECK),
        post("check", CHECK),
        post("check", {**CHECK, "parties": [{"name": "Acme"}, {"name": LISTED,
                                                               "country": "AT"}]}),
        post("check", {**CHECK, "date": "2025-13-01"}),
        post("check", {**CHECK, "destination": None}),
        post("check", {**CHECK, "parties": []}),
        post("check", {**CHECK, "figures": {"tpp": "lots"}}),
        post("check", {**CHECK, "item": None, "figures": {"tpp": 4800, "die_area": 800}}),
        post("check", CHECK, {**plain_json, "X-API-Key": secrets["slow"]}),
        post("check", CHECK, plain_json),
    ]


def _send(client: TestClient, number: int, method: str, path: str, headers: dict[str, str],
          body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    answer = client.request(method, path, content=body,
                            headers={**headers, "X-Request-ID": f"req-{number}"},
                            follow_redirects=False)
    headers_got, content = sorted(answer.headers.items()), answer.content
    if answer.status_code == 429:  # the seconds to wait depend on when the two ran
        content = re.sub(rb"retry after \d+ s", b"retry after N s", content)
        headers_got = [(k, v) for k, v in headers_got if k not in ("retry-after",
                                                                    "content-length")]
    return answer.status_code, headers_got, content


def test_hot_routes_answer_byte_for_byte_as_fastapi(twins, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    clients, stores, secrets = twins
    requests = _requests(secrets)
    answers: dict[str, list[Any]] = {"hot": [], "plain": []}
    for name in ("plain", "hot"):
        for number, request in enumerate(requests):
            answers[name].append(_send(clients[name], number, *request))
    statuses = [status for status, _h, _b in answers["plain"]]
    assert statuses.count(200) == 15 and set(statuses) == {200, 307, 401, 422, 429}, statuses
    for number, (hot, plain) in enumerate(zip(answers["hot"], answers["plain"], strict=True)):
        assert hot == plain, (number, requests[number][:2], hot, plain)
    # The same audit records (times and so hashes aside) and the same cases.
    logs = {name: [(r.seq, r.actor, r.action, r.subject, r.request_id, r.detail)
                   for r in AuditLog(store).records()] for name, store in stores.items()}
    assert len(logs["hot"]) == 18 and logs["hot"] == logs["plain"]
    assert any(action == "case.open" for _s, _a, action, *_ in logs["hot"])
    for store in stores.values():
        assert AuditLog(store).verify().ok


def test_hot_routes_bypass_the_fastapi_endpoint(twins, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A valid request never reaches the FastAPI endpoint or its key dependency (both ask
    `state_of`), and the metrics still count it under the route's template."""
    clients, _stores, secrets = twins

    def unreachable(_request: Any) -> Any:
        raise AssertionError("the FastAPI route ran")

    def count(route: str, status: str) -> float:
        return REQUESTS.labels("POST", route, status)._value.get()

    before = count("/api/v1/screen", "200"), count("/api/v1/check", "200")
    monkeypatch.setattr(api, "state_of", unreachable)
    headers = {"Authorization": f"Bearer {secrets['screener']}"}
    assert clients["hot"].post("/api/v1/screen", json={"name": LISTED, "country": "AT"},
                               headers=headers).json()["decision"] == "match"
    assert clients["hot"].post("/api/v1/check", json=CHECK,
                               headers=headers).json()["decision"] == "review"
    assert (count("/api/v1/screen", "200"), count("/api/v1/check", "200")) == \
        (before[0] + 1, before[1] + 1)
    with pytest.raises(AssertionError, match="FastAPI route"):  # the other path is FastAPI's
        clients["plain"].post("/api/v1/screen", json={"name": "Acme"}, headers=headers)


def test_a_revoked_key_is_refused_at_once_on_the_hot_routes(twins) -> None:  # type: ignore[no-untyped-def]
    clients, _stores, secrets = twins
    client = clients["hot"]
    admin = {"Authorization": f"Bearer {secrets['admin']}"}
    made = client.post("/api/v1/keys", json={"name": "erp", "role": "screener"},
                       headers=admin).json()
    key = {"X-API-Key": made["secret"]}
    assert client.post("/api/v1/screen", json={"name": "Acme"}, headers=key).status_code == 200
    assert client.post("/api/v1/check", json=CHECK, headers=key).status_code == 200
    assert client.delete(f"/api/v1/keys/{made['id']}", headers=admin).status_code == 200
    for path, body in (("screen", {"name": "Acme"}), ("check", CHECK)):
        refused = client.post(f"/api/v1/{path}", json=body, headers=key)
        assert refused.status_code == 401, refused.text
        assert refused.json()["error"]["message"] == "the API key is not valid"


def test_the_kept_encoders_write_what_json_dumps_writes() -> None:
    """The audit chain's hash input, its canonical detail, a subject's fingerprint and the
    API's answers are encoded by encoders made once: the same text as `json.dumps` with the
    same options, or the chain would no longer verify against records written before."""
    import hashlib
    import json
    from datetime import date

    from exportguard.audit_chain import canonical, record_hash
    from exportguard.cases import subject_fingerprint
    from exportguard.service.app import Json

    details = [{"b": 1, "a": [1.5, 1e-05, 1e+20, -0.0, None, True], "z": "华为 «x» \u2028"},
               {"date": date(2025, 6, 1), "nested": {"y": 2, "x": [{"k": "v"}]},
                "float": float("nan"), "big": 10**30}, {}]
    for detail in details:
        assert canonical(detail) == json.dumps(detail, ensure_ascii=False, sort_keys=True,
                                               separators=(",", ":"), default=str)
        assert Json(detail).body == json.dumps(detail, ensure_ascii=False, default=str,
                                               separators=(",", ":")).encode("utf-8")
        text = canonical(detail)
        fields = [7, "2026-12-05T00:00:00.000001+00:00", "ключ", "screen", "名前 \"q\"", "r-1",
                  text, "0" * 64]
        expected = hashlib.sha256(json.dumps(fields, ensure_ascii=False,
                                             separators=(",", ":")).encode()).hexdigest()
        assert record_hash(*fields) == expected  # type: ignore[arg-type]
    for name, country in (("Huawei  Technologies", "CN"), ("华为", None), ('A "b"', "")):
        text = json.dumps([" ".join(name.split()), country or ""], ensure_ascii=False)
        assert subject_fingerprint(name, country) == hashlib.sha1(text.encode()).hexdigest()
