"""The service under abusive clients and dying processes: batches owned by their key under
unguessable ids, jobs of a dead process marked failed, one rate limit across processes."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from exportguard.access import Access, Principal
from exportguard.lists.loader import load_file
from exportguard.service.batches import STALE_AFTER, fail_orphans
from exportguard.service.state import Limits, RateLimiter
from exportguard.store import Store
from exportguard.store.tables import BatchJobRow
from tests.test_service import LISTED, Service


@pytest.fixture
def service_client(store: Store):
    s = Service(store)
    yield s
    s.close()


def _wait(service: Service, url: str, role: str = "screener") -> dict:
    for _ in range(200):
        status = service.get(url, role).json()
        if status.get("status") in ("done", "failed"):
            return status
        time.sleep(0.05)
    raise AssertionError(status)


def test_a_batch_is_read_only_by_its_key_or_an_admin(store: Store) -> None:
    service = Service(store)
    try:
        other = Access(store).create_key("other-screener", "screener")[1]
        submitted = service.post("/batches", {"rows": [{"name": LISTED}]}).json()
        token = submitted["id"]
        assert len(token) == 22 and not token.isdigit()
        url = f"/batches/{token}"
        assert _wait(service, url)["results"][0]["decision"] == "match"
        assert service.get(url, "admin").status_code == 200
        stranger = service.client.get(f"/api/v1{url}",
                                      headers={"Authorization": f"Bearer {other}"})
        assert stranger.status_code == 404
        assert stranger.json()["error"]["code"] == "not_found"
        assert service.get("/batches/1").status_code == 422  # row numbers are not ids
        with store._sessions() as session:
            internal = session.execute(select(BatchJobRow.id)).scalar_one()
        assert service.get(f"/batches/{internal:016d}").status_code == 404
    finally:
        service.close()


def _job(store: Store, runner: str, beat: datetime, status: str = "running") -> int:
    with store._sessions.begin() as session:
        job = BatchJobRow(status=status, submitted_by="k", submitted_at=beat, request_id="r",
                          options={}, rows=[{"name": "x"}] * 3, total=3, done=1,
                          token=f"t{runner[-8:]}{status}", key_id=1, runner=runner,
                          heartbeat_at=beat)
        session.add(job)
        session.flush()
        return job.id


def test_jobs_of_a_dead_process_are_marked_failed_at_start(store: Store) -> None:
    import socket

    host = socket.gethostname()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    now = datetime.now(UTC)
    killed = _job(store, f"{host}:{dead.stdout.strip()}", now)
    queued = _job(store, f"{host}:{dead.stdout.strip()}", now, status="queued")
    alive = _job(store, f"{host}:1", now)  # pid 1 lives: its job is left alone
    remote_fresh = _job(store, "elsewhere:123", now - STALE_AFTER / 2)
    remote_silent = _job(store, "elsewhere:456", now - STALE_AFTER - timedelta(seconds=1))
    assert len(fail_orphans(store, now)) == 3
    with store._sessions() as session:
        jobs = {j.id: j for j in session.execute(select(BatchJobRow)).scalars()}
    assert {i for i, j in jobs.items() if j.status == "failed"} == {killed, queued,
                                                                    remote_silent}
    assert jobs[alive].status == jobs[remote_fresh].status == "running"
    assert "stopped after 1 of 3 rows" in jobs[killed].error
    assert jobs[killed].finished_at is not None


def test_the_rate_limit_is_shared_by_every_process(store: Store) -> None:
    limits = Limits(rate_per_second=20, burst_seconds=1)
    key = Access(store).create_key("busy", "screener")[0]
    who = Principal(key.id, key.name, key.role)
    # Two limiters stand for two worker processes: each keeps its own lease.
    workers = [RateLimiter(limits, store), RateLimiter(limits, store)]
    start = time.time()
    allowed = sum(worker.take(who) is None for _ in range(40) for worker in workers)
    elapsed = time.time() - start
    # 20 saved plus what refilled meanwhile, whichever process asked; per process it would be 40.
    assert 20 <= allowed <= 20 + int(elapsed * 20) + 2
    waits = [workers[0].take(who) for _ in range(10)]
    refused = next(w for w in waits if w is not None)
    assert 0 < refused <= 1 / 20 + 0.01


def test_history_index_is_built_once_per_snapshot_set(store: Store, monkeypatch) -> None:
    from exportguard.service import state as state_module

    built: list[int] = []
    real = state_module.history_screener

    def counting(store_: Store):  # type: ignore[no-untyped-def]
        built.append(1)
        return real(store_)

    monkeypatch.setattr(state_module, "history_screener", counting)
    service = Service(store)
    try:
        empty = service.get("/history", params={"name": ""})
        assert empty.status_code == 422 and empty.json()["error"]["field"] == "name"
        assert built == []  # refused before any work
        for _ in range(3):
            found = service.get("/history", params={"name": LISTED})
            assert found.status_code == 200
            assert found.json()["entries"][0]["name"] == LISTED
        assert built == [1]
    finally:
        service.close()


def test_malformed_bodies_are_422_naming_the_body(service_client) -> None:
    service = service_client
    cases = {
        b'{"name": ' + b"1" * 5_000 + b"}": "digits",
        b"[" * 100_000 + b"]" * 100_000: "nested too deeply",
        b'{"name": "\xff\xfe"}': "not UTF-8 text",
        b'{"name": "x",}': "not valid JSON",
    }
    for body, message in cases.items():
        answer = service.client.post("/api/v1/screen", content=body, headers={
            **service.headers("screener"), "Content-Type": "application/json"})
        assert answer.status_code == 422, (body[:20], answer.text)
        error = answer.json()["error"]
        assert error["field"] == "body" and message in error["message"], error


def test_a_body_shorter_than_its_content_length_gets_408(store: Store) -> None:
    import asyncio

    from exportguard.service.app import create_app

    app = create_app(store, Limits(body_seconds=0.2))
    sent: list[dict] = []

    async def receive() -> dict:
        if not sent:
            sent.append({})
            return {"type": "http.request", "body": b'{"name": ', "more_body": True}
        await asyncio.sleep(3600)  # the client never sends the rest
        raise AssertionError

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/screen", "raw_path": b"",
             "query_string": b"", "headers": [(b"content-length", b"100"),
                                              (b"content-type", b"application/json")],
             "http_version": "1.1", "scheme": "http", "server": ("t", 80),
             "client": ("c", 1), "root_path": ""}
    start = time.monotonic()
    asyncio.run(app(scope, receive, send))
    assert time.monotonic() - start < 2
    assert sent[1]["status"] == 408
    assert b'"field": "body"' in sent[2]["body"]


def test_revoking_an_unknown_key_is_404(service_client) -> None:
    answer = service_client.client.delete("/api/v1/keys/424242",
                                          headers=service_client.headers("admin"))
    assert answer.status_code == 404
    assert answer.json()["error"] == {**answer.json()["error"], "code": "not_found",
                                      "field": "key_id"}


def test_audit_export_is_csv_as_documented(service_client) -> None:
    service_client.post("/screen", {"name": LISTED})
    answer = service_client.get("/audit/export", "admin",
                                params={"from": "2020-01-01", "to": "2100-01-01"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.text.splitlines()[0].startswith("seq,at,actor,action")


def test_new_lists_are_indexed_in_the_background(store: Store, monkeypatch) -> None:
    from exportguard.service import state as state_module
    from tests.conftest import REFERENCE

    service = Service(store)
    try:
        before = service.post("/screen", {"name": LISTED}).json()["snapshot"]["ids"]
        real = state_module.screener_for

        def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
            time.sleep(2.0)  # a full list takes tens of seconds to index
            return real(*args, **kwargs)

        monkeypatch.setattr(state_module, "screener_for", slow)
        monkeypatch.setattr(state_module, "GENERATION_CHECK_SECONDS", 0.0)
        added = load_file(store, REFERENCE / "bis" / "dpl.txt").snapshot
        durations, seen = [], []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            start = time.monotonic()
            answer = service.post("/screen", {"name": LISTED})
            durations.append(time.monotonic() - start)
            assert answer.status_code == 200
            seen.append(added.id in answer.json()["snapshot"]["ids"])
            if seen[-1]:
                break
            time.sleep(0.05)
        assert seen[0] is False and seen[-1] is True  # the old lists served until the swap
        assert added.id not in before
        assert max(durations) < 1.0, durations  # no screen waited for the index
    finally:
        service.close()


def test_new_lists_are_indexed_in_a_child_process(store: Store, monkeypatch) -> None:
    """The rebuild after a load indexes in a child process (its cache file opened here): the
    service's own process never runs the indexer, so its interpreter stays free for screens."""
    from exportguard.screening import index as index_module
    from exportguard.service import state as state_module
    from tests.conftest import REFERENCE

    service = Service(store)
    try:
        service.post("/screen", {"name": LISTED})
        built_here: list[int] = []
        real_init = index_module.NameIndex.__init__

        def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            built_here.append(1)
            real_init(self, *args, **kwargs)

        monkeypatch.setattr(index_module.NameIndex, "__init__", counted)
        monkeypatch.setattr(state_module, "GENERATION_CHECK_SECONDS", 0.0)
        added = load_file(store, REFERENCE / "bis" / "dpl.txt").snapshot
        service.client.app.state.service.settle(120)
        answer = service.post("/screen", {"name": "Adrian Manuel Hernandez"}).json()
        assert added.id in answer["snapshot"]["ids"]
        assert answer["decision"] == "match"
        assert built_here == []
    finally:
        service.close()


def test_expensive_routes_cost_more_of_the_key_rate(store: Store) -> None:
    """The rate limit counts work: a history search costs 10 units, so a key with a burst of 20
    gets two, and the third is 429 naming the limit and the cost; other keys are untouched."""
    service = Service(store, Limits(rate_per_second=0.5, burst_seconds=40))
    try:
        for _ in range(2):
            assert service.get("/history", params={"name": LISTED}).status_code == 200
        refused = service.get("/history", params={"name": LISTED})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        error = refused.json()["error"]
        assert error["code"] == "rate_limited"
        assert error["limit"] == {"name": "rate_per_second", "value": 0.5, "burst": 20.0,
                                  "cost": 10}
        assert "costs 10 units" in error["message"]
        assert service.post("/screen", {"name": LISTED}, "reviewer").status_code == 200
        # A check is charged per party: 3 parties cost 3 units of the admin key's 20.
        parties = [{"name": f"Party {i}", "role": "end_user"} for i in range(3)]
        body = {"destination": "DE", "parties": parties, "item_eccn": "EAR99"}
        answers = [service.post("/check", body, "admin").status_code for _ in range(7)]
        assert answers[:6] == [200] * 6 and answers[6] == 429
        document = service.client.get("/api/v1/openapi.json").json()["paths"]
        assert document["/api/v1/history"]["get"]["x-cost-units"] == 10
        assert document["/api/v1/screen"]["post"]["x-cost-units"] == 1
        assert "Cost: 10 units" in document["/api/v1/history"]["get"]["description"]
    finally:
        service.close()


def test_size_limits_are_413_naming_the_limit(store: Store) -> None:
    service = Service(store, Limits(max_batch_rows=2, max_export_records=3))
    try:
        rows = [{"name": f"Name {i}"} for i in range(3)]
        too_many = service.post("/batches", {"rows": rows})
        assert too_many.status_code == 413
        assert too_many.json()["error"]["limit"] == {"name": "max_batch_rows", "value": 2}
        for _ in range(4):
            service.post("/screen", {"name": LISTED})
        today = datetime.now(UTC).date().isoformat()
        export = service.get("/audit/export", "admin", params={"from": today, "to": today})
        assert export.status_code == 413
        error = export.json()["error"]
        assert error["field"] == "to" and error["limit"] == {"name": "max_export_records",
                                                             "value": 3}
        old = service.get("/audit/export", "admin", params={"from": "2020-01-01",
                                                            "to": "2020-01-02"})
        assert old.status_code == 200  # a range under the limit is exported
    finally:
        service.close()


def test_a_key_runs_a_bounded_number_of_batches_at_once(store: Store) -> None:
    service = Service(store, Limits(max_running_batches=1))
    try:
        state = service.client.app.state.service
        who = state.principal(service.secrets["screener"])
        now = datetime.now(UTC)
        with store._sessions.begin() as session:
            session.add(BatchJobRow(status="running", submitted_by=who.name, submitted_at=now,
                                    request_id="r", options={}, rows=[{"name": "x"}], total=1,
                                    done=0, token="t" * 22, key_id=who.key_id,
                                    runner="elsewhere:1", heartbeat_at=now))
        refused = service.post("/batches", {"rows": [{"name": LISTED}]})
        assert refused.status_code == 429
        error = refused.json()["error"]
        assert error["code"] == "batches_running"
        assert error["limit"] == {"name": "max_running_batches", "value": 1}
        # Another key is not held back by this one's batches.
        assert service.post("/batches", {"rows": [{"name": LISTED}]}, "reviewer").status_code \
            == 202
    finally:
        service.close()
