"""The served process's runtime: its heap frozen once the screeners are built (no full garbage
collection walks them), SQLite's WAL checkpointed in a thread of its own rather than inside the
group commit, and /check's ownership lookups skipped for names the graph does not hold."""

from __future__ import annotations

import gc
import sqlite3
from datetime import date

import pytest
from fastapi.testclient import TestClient

from exportguard.access import Access
from exportguard.audit import AuditLog
from exportguard.lists.loader import load_file
from exportguard.service.app import create_app
from exportguard.service.operations import _KnownNames
from exportguard.service.state import ServiceState
from exportguard.store import Store
from exportguard.store.direct import sqlite_file
from exportguard.store.ownership import OwnershipStore
from tests.conftest import CSL_SAMPLE

LISTED = "Gulf Gate Spedition GmbH"  # EL, Austria, in the CSL sample


@pytest.fixture
def unfrozen():
    """Whatever a test freezes is unfrozen after it (frozen objects are never collected)."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_served_app_freezes_the_heap_once_its_screeners_are_built(store: Store,
                                                                       unfrozen) -> None:
    load_file(store, CSL_SAMPLE)
    plain = ServiceState(store)
    plain.screener()
    assert gc.get_freeze_count() == 0  # a test process's apps leave the collector alone
    served = ServiceState(store, freeze_heap=True)
    screener = served.screener()
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # the screener, the modules and the readers' dictionaries
    assert screener is served.screener()
    gc.unfreeze()
    served.screener(date(2025, 6, 1), filter_dates=False)  # a new date's screener: frozen too
    assert gc.get_freeze_count() > 10_000
    served.screener(date(2025, 6, 1), filter_dates=False)  # served from the cache: no pause
    assert served.screener(date(2025, 6, 1), filter_dates=False) is \
        served.screener(date(2025, 6, 1), filter_dates=False)


def test_the_uvicorn_app_is_the_one_that_freezes(unfrozen) -> None:
    from exportguard.service import main

    assert main.app.state.service.frozen is True


def _pragma(store: Store, name: str) -> int:
    with store.engine.connect() as connection:
        return int(connection.exec_driver_sql(f"PRAGMA {name}").scalar_one())


def test_wal_checkpoints_run_in_their_own_thread_and_leave_the_log_copied(store: Store) -> None:
    load_file(store, CSL_SAMPLE)
    secret = Access(store).create_key("k", "screener")[1]
    assert _pragma(store, "wal_autocheckpoint") == 1000  # SQLite's default, outside the service
    app = create_app(store)
    with TestClient(app) as client:
        # The service's connections leave checkpoints to its thread.
        assert _pragma(store, "wal_autocheckpoint") == 0
        for n in range(40):
            answer = client.post("/api/v1/screen", json={"name": f"{LISTED} {n}"},
                                 headers={"Authorization": f"Bearer {secret}"})
            assert answer.status_code == 200
        checkpointer = app.state.checkpointer
        assert checkpointer is not None and checkpointer.seconds == 0.25
        runs = checkpointer.checkpoints
        checkpointer.checkpoint()
        assert checkpointer.checkpoints == runs + 1
    # At shutdown the whole log is copied into the database file.
    path = sqlite_file(store.url)
    assert path is not None
    connection = sqlite3.connect(path)
    try:
        busy, logged, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        connection.close()
    assert busy == 0 and logged == copied
    report = AuditLog(store).verify()
    assert report.ok and report.records >= 40


def test_no_checkpointer_for_a_database_other_than_a_sqlite_file() -> None:
    from exportguard.service.checkpoint import Checkpointer

    memory = Store("sqlite://")
    try:
        assert Checkpointer.for_store(memory) is None
    finally:
        memory.close()


def test_check_asks_the_graph_only_for_names_it_holds(store: Store, monkeypatch) -> None:
    load_file(store, CSL_SAMPLE)
    graph = OwnershipStore(store)
    graph.add([("Alpine Parent AG", "AT", "AT", "test"), ("Alpine Child GmbH", "AT", None,
                                                           "test")],
              [(0, 1, 60.0, True, None, None, "test")])
    state = ServiceState(store)
    state.settle()
    asked: list[str] = []
    original = OwnershipStore.find

    def counted(self, name, country=None):  # type: ignore[no-untyped-def]
        asked.append(name)
        return original(self, name, country)

    monkeypatch.setattr(OwnershipStore, "find", counted)
    known = _KnownNames(state)
    assert known.find("Nobody Trading Ltd", "AT") == []
    assert asked == []  # answered from the set of names, no query
    found = known.find("alpine child gmbh", "AT")  # the graph's key folds case
    assert [c.name for c in found] == ["Alpine Child GmbH"] and asked == ["alpine child gmbh"]
    assert [c.name for c in known.find("Alpine Parent AG")] == ["Alpine Parent AG"]
