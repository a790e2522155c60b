"""Killing the process in the middle of a load leaves the store consistent: the previous
snapshot in force, no orphan entries, and the next load works."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from exportguard.lists.loader import load_file
from exportguard.store import Store
from tests.conftest import CSL_COMPACT, CSL_SAMPLE


def _load_process(url: str, home: Path) -> subprocess.Popen:
    env = {**os.environ, "EXPORTGUARD_HOME": str(home), "EXPORTGUARD_DB": url}
    return subprocess.Popen(
        [sys.executable, "-m", "exportguard", "load", str(CSL_COMPACT), "--force"], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _kill_when(process: subprocess.Popen, ready, pause: float) -> bool:
    """SIGKILL the process once `ready()`; False if it finished first."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if ready():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(pause)
    process.wait()
    return False


def _assert_consistent(store: Store, previous_id: int) -> None:
    """The previous snapshot in force, no orphan or half-loaded entries, a sound file."""
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        rows = connection.execute(text(
            "select snapshot_id, count(*) from list_entries group by snapshot_id")).all()
    snapshots = store.snapshots()
    assert [s.id for s in snapshots if s.source == "csl"] == [previous_id]
    assert {sid: n for sid, n in rows} == {s.id: s.entry_count for s in snapshots}


def test_kill_while_staging_a_load_leaves_the_store_consistent(tmp_path):
    """SQLite loads stage their entries in a file of their own before the one short write
    transaction: killed while staging, the store is untouched and the next load removes the
    staging file it left."""
    home = tmp_path / "home"
    db = home / "exportguard.db"
    url = f"sqlite:///{db}"
    store = Store(url)
    previous = load_file(store, CSL_SAMPLE).snapshot
    store.close()

    def staged() -> list[Path]:
        return list(home.glob("exportguard.db.load-*.staging"))

    process = _load_process(url, home)
    # Kill once a good part of the entries is staged (several MB).
    killed = _kill_when(process, lambda: any(p.stat().st_size > 3_000_000 for p in staged()
                                             if p.exists()), 0.01)
    assert killed, "the load finished before it could be killed"
    assert staged(), "the killed load left no staging file (was it staging?)"

    store = Store(url)
    _assert_consistent(store, previous.id)
    # The next load works and removes the staging file left (the sample, forced: which file it
    # is is not the point, and the full list would take 10-20 s more).
    again = load_file(store, CSL_SAMPLE, force=True).snapshot
    assert again.id != previous.id
    assert again.entry_count == previous.entry_count == store.entry_count(again.id) > 0
    assert store.current_snapshots()[-1].id == again.id
    assert staged() == []


def test_kill_while_copying_a_staged_load_in_leaves_the_store_consistent(tmp_path):
    """Killed inside the final transaction (the store's WAL growing with the copied rows): the
    transaction never committed, so the previous snapshot is still the one in force."""
    home = tmp_path / "home"
    db = home / "exportguard.db"
    url = f"sqlite:///{db}"
    store = Store(url)
    previous = load_file(store, CSL_SAMPLE).snapshot
    store.close()
    wal = Path(f"{db}-wal")
    base = wal.stat().st_size if wal.exists() else 0
    for _attempt in range(5):  # the copy lasts a fraction of a second: poll closely
        process = _load_process(url, home)
        if _kill_when(process, lambda: wal.exists() and wal.stat().st_size > base + 2_000_000,
                      0.0005):
            break
        # The load won the race and committed: go back to one snapshot and try again.
        store = Store(url)
        with store.engine.begin() as connection:
            connection.execute(text("delete from list_entries where snapshot_id != :p"),
                               {"p": previous.id})
            connection.execute(text("delete from snapshots where id != :p"), {"p": previous.id})
        store.close()
    else:
        raise AssertionError("every load finished before it could be killed in its copy")

    store = Store(url)
    _assert_consistent(store, previous.id)
    again = load_file(store, CSL_SAMPLE, force=True).snapshot  # the next load works
    assert again.id != previous.id
    assert again.entry_count == previous.entry_count == store.entry_count(again.id) > 0
    assert store.current_snapshots()[-1].id == again.id


def _serve(env: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "exportguard", "serve", "--port", str(port)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _up(base: str) -> None:
    import httpx

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("the service did not start")


def test_a_batch_of_a_killed_service_is_marked_failed_at_restart(tmp_path):
    import socket

    import httpx

    from exportguard.access import Access

    home = tmp_path / "home"
    url = f"sqlite:///{tmp_path / 'eg.db'}"
    store = Store(url)
    load_file(store, CSL_SAMPLE)
    secret = Access(store).create_key("k", "screener")[1]
    store.close()
    env = {**os.environ, "EXPORTGUARD_HOME": str(home), "EXPORTGUARD_DB": url,
           "EXPORTGUARD_RATE_PER_SECOND": "10000"}
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base, headers = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {secret}"}
    server = _serve(env, port)
    try:
        _up(base)
        rows = [{"name": f"Trading Company Number {i}"} for i in range(10_000)]
        submitted = httpx.post(f"{base}/api/v1/batches", json={"rows": rows}, headers=headers,
                               timeout=60).json()
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    # The restart: the app's start (its lifespan) in this process, as `serve` runs it; a
    # second server process would only add its start-up.
    from fastapi.testclient import TestClient

    from exportguard.service.app import create_app

    store = Store(url)
    try:
        with TestClient(create_app(store)) as client:
            status = client.get(submitted["status_url"], headers=headers).json()
    finally:
        store.close()
    assert status["status"] == "failed"
    assert "the service process running it" in status["error"]
    assert "stopped after" in status["error"] and "of 10,000 rows" in status["error"]
