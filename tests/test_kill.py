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
