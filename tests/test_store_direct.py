"""The direct SQLite store a cold `screen` opens (stdlib sqlite3, no SQLAlchemy) reads what the
full store reads and appends audit records on the same chain; anything it cannot vouch for
opens the full store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from exportguard.audit import AuditLog
from exportguard.audit_chain import canonical
from exportguard.lists.loader import ensure_starter, load_file
from exportguard.ownership import read_ownership
from exportguard.store import Store
from exportguard.store.direct import DirectSqlite, open_for_screening, sqlite_file
from exportguard.store.ownership import OwnershipStore
from tests.conftest import CSL_SAMPLE, postgres_url

OWNERSHIP = """owner,owned,percent,as_of,source,owner_country,owned_country,owner_hq,owned_hq
"Megvii Technology Limited","Direct Sixty KK",60,2020-01-01,test group,,JP,,
"Pension Fund","Direct Sixty KK",,2021-03-04,test group,,JP,,
"""


@pytest.fixture
def direct(loaded: Store) -> DirectSqlite:
    ensure_starter(loaded)
    store = open_for_screening()
    assert isinstance(store, DirectSqlite)
    yield store
    store.close()


def test_direct_snapshots_are_the_orm_rows(loaded: Store, direct: DirectSqlite):
    found = direct.snapshots()
    assert [s.source for s in found] == ["csl", "starter"]
    # Store.snapshot reads through the ORM and its column types; the direct reads parse text.
    assert found == [loaded.snapshot(s.id) for s in found]
    assert found[0].loaded_at.tzinfo is not None and found[0].generated_at is None
    assert direct.current_snapshots() == loaded.current_snapshots()


def test_direct_list_counts_and_key_spans_count_the_stored_entries(loaded: Store,
                                                                     direct: DirectSqlite):
    csl = direct.snapshots("csl")[0]
    entries = loaded.screening_entries([csl.id])
    expected: dict[tuple[int, str], int] = {}
    for entry in entries:
        expected[(csl.id, entry.list_code)] = expected.get((csl.id, entry.list_code), 0) + 1
    assert direct.list_counts([csl.id]) == expected and sum(expected.values()) == len(entries)
    keys = [entries[0].key, entries[-1].key, "no such key"]
    assert direct.key_spans(keys) == {keys[0]: (csl.id, csl.id), keys[1]: (csl.id, csl.id)}


def test_direct_audit_records_continue_the_one_chain(loaded: Store, direct: DirectSqlite):
    log = AuditLog(loaded)
    log.append("cli:a", "screen", "Acme", "r1", {"decision": "clear"})
    record = direct.append_audit("cli:b", "screen", "Megvii", "r2",
                                 canonical({"decision": "match", "lists": ["EL"]}))
    log.append("cli:a", "screen", "Huawei", "r3", {"decision": "match"})
    check = log.verify()
    assert check.ok and check.records == 3 and check.head_seq == 3
    stored = list(log.records())
    assert stored[1] == record and record.prev_hash == stored[0].hash
    assert stored[2].prev_hash == record.hash


def test_direct_ownership_reads_equal_the_full_stores(loaded: Store, direct: DirectSqlite,
                                                      tmp_path: Path):
    path = tmp_path / "own.csv"
    path.write_text(OWNERSHIP, encoding="utf-8")
    read_ownership(path).store(OwnershipStore(loaded))
    full, light = OwnershipStore(loaded), OwnershipStore(direct)
    company = light.find("Direct Sixty KK")
    assert [c.name for c in company] == ["Direct Sixty KK"] and company[0].country == "JP"
    assert light.find("direct sixty kk", "JP") == company == full.find("Direct Sixty KK")
    edges = light.edges_touching([company[0].id], upward=True)
    assert sorted((e.as_of, e.percent) for e in edges) == [(date(2020, 1, 1), 60.0),
                                                           (date(2021, 3, 4), None)]
    assert all(e.direct is True for e in edges)
    assert edges == full.edges_touching([company[0].id], upward=True)


def test_a_store_not_at_the_head_revision_opens_the_full_store(loaded: Store):
    with loaded.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'fffe'"))
    store = DirectSqlite(loaded.url, sqlite_file(loaded.url))
    try:
        assert not store.schema_is_current()
    finally:
        store.close()


def test_only_plain_sqlite_files_are_read_directly(tmp_path: Path):
    assert sqlite_file(f"sqlite:///{tmp_path / 'eg.db'}") == tmp_path / "eg.db"
    for url in (postgres_url(), "sqlite://", "sqlite:///:memory:",
                f"sqlite:///{tmp_path / 'eg.db'}?timeout=5", "sqlite+pysqlite:///x.db"):
        assert sqlite_file(url) is None
    # A database file that does not exist yet is created (and migrated) by the full store.
    store = open_for_screening(f"sqlite:///{tmp_path / 'new.db'}")
    try:
        assert isinstance(store, Store) and store.snapshots() == []
    finally:
        store.close()


@pytest.mark.postgres
def test_plain_sql_reads_on_postgresql(postgres_store: Store, tmp_path: Path):
    load_file(postgres_store, CSL_SAMPLE)
    ensure_starter(postgres_store)
    found = postgres_store.snapshots()
    assert found == [postgres_store.snapshot(s.id) for s in found]
    csl = postgres_store.snapshots("csl")[0]
    counts = postgres_store.list_counts([csl.id])
    assert sum(counts.values()) == csl.entry_count
    path = tmp_path / "own.csv"
    path.write_text(OWNERSHIP, encoding="utf-8")
    read_ownership(path).store(OwnershipStore(postgres_store))
    graph = OwnershipStore(postgres_store)
    company = graph.find("Direct Sixty KK")
    edges = graph.edges_touching([company[0].id], upward=True)
    assert sorted((e.as_of, e.percent, e.direct) for e in edges) == [
        (date(2020, 1, 1), 60.0, True), (date(2021, 3, 4), None, True)]
