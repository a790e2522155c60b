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


def test_kill_during_load_leaves_the_store_consistent(tmp_path):
    home = tmp_path / "home"
    db = home / "exportguard.db"
    url = f"sqlite:///{db}"
    store = Store(url)
    previous = load_file(store, CSL_SAMPLE).snapshot
    store.close()
    env = {**os.environ, "EXPORTGUARD_HOME": str(home), "EXPORTGUARD_DB": url}
    process = subprocess.Popen(
        [sys.executable, "-m", "exportguard", "load", str(CSL_COMPACT)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wal = Path(f"{db}-wal")
    deadline = time.monotonic() + 60
    # Kill once the load has written a good part of its entries (several MB of pages).
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > 3_000_000:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the load finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()

    store = Store(url)
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        rows = connection.execute(text(
            "select snapshot_id, count(*) from list_entries group by snapshot_id")).all()
    snapshots = store.snapshots()
    assert [s.id for s in snapshots if s.source == "csl"] == [previous.id]
    assert {sid: n for sid, n in rows} == {s.id: s.entry_count for s in snapshots}
    # The next load completes and takes over.
    again = load_file(store, CSL_COMPACT).snapshot
    assert again.entry_count == 25921
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
    server = _serve(env, port)
    try:
        _up(base)
        status = httpx.get(f"{base}{submitted['status_url']}", headers=headers,
                           timeout=60).json()
    finally:
        server.terminate()
        server.wait(30)
    assert status["status"] == "failed"
    assert "the service process running it" in status["error"]
    assert "stopped after" in status["error"] and "of 10,000 rows" in status["error"]
