import json
import uuid

import pytest
from sqlalchemy import create_engine, inspect, text

from exportguard.errors import ListFileError, StoreError
from exportguard.lists.loader import ensure_starter, load_file
from exportguard.store import Store
from exportguard.store.db import head_revision
from tests.conftest import CSL_COMPACT, CSL_SAMPLE, CSL_SAMPLE_IDS, FIXTURES, postgres_url


def _state(store: Store):
    return [(s.id, s.source, s.entry_count, s.checksum) for s in store.current_snapshots()]


def test_migrations_create_the_schema(store):
    inspector = inspect(store.engine)
    assert {"snapshots", "list_entries", "alembic_version"} <= set(inspector.get_table_names())
    with store.engine.connect() as connection:
        assert connection.scalar(text("select version_num from alembic_version")) \
            == head_revision()


def test_load_then_read_back(store):
    result = load_file(store, CSL_SAMPLE)
    assert not result.unchanged
    snapshot = result.snapshot
    assert (snapshot.source, snapshot.format, snapshot.entry_count) == ("csl", "csl-csv", 115)
    assert store.entry_count(snapshot.id) == 115
    assert len(snapshot.checksum) == 64
    rows = dict(store.entries([snapshot.id]))
    names = {e.name for e in rows.values()}
    assert "200G PSA HOLDINGS LLC" in names
    assert load_file(store, CSL_SAMPLE).unchanged is True


def test_failed_load_leaves_the_previous_snapshot_in_force(store, tmp_path):
    load_file(store, CSL_SAMPLE_IDS)
    before = _state(store)
    # 5,000 good entries (several insert batches) and then a bad one: the rows already written
    # must be rolled back with the snapshot row.
    data = json.loads(CSL_COMPACT.read_text(encoding="utf-8"))
    data["entries"] = [*data["entries"][:5000], {"n": "", "s": 4}]
    data["entryCount"] = 5001
    broken = tmp_path / "broken.compact.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ListFileError) as info:
        load_file(store, broken)
    assert (info.value.record, info.value.field) == (5001, "name")
    assert _state(store) == before
    assert len(store.snapshots()) == 1
    with store.engine.connect() as connection:
        assert connection.scalar(text("select count(*) from list_entries")) == 13


def test_large_drop_is_refused_unless_forced(store):
    load_file(store, CSL_SAMPLE)
    before = _state(store)
    with pytest.raises(ListFileError, match="fewer"):
        load_file(store, CSL_SAMPLE_IDS)
    assert _state(store) == before
    forced = load_file(store, CSL_SAMPLE_IDS, force=True)
    assert forced.snapshot.entry_count == 13


def test_starter_set_is_loaded_once(store):
    first = ensure_starter(store)
    assert first.entry_count >= 60
    assert ensure_starter(store).id == first.id
    assert set(first.lists) >= {"EL", "CMIC", "FCC"}


def test_bad_database_url_is_a_clear_error():
    with pytest.raises(StoreError, match="EXPORTGUARD_DB"):
        Store("notadb://nowhere")


@pytest.mark.postgres
def test_postgresql_round_trip():
    schema = f"eg_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_url())
    with admin.begin() as connection:
        connection.execute(text(f'create schema "{schema}"'))
    try:
        store = Store(f"{postgres_url()}?options=-csearch_path%3D{schema}")
        assert "list_entries" in inspect(store.engine).get_table_names(schema=schema)
        result = load_file(store, CSL_COMPACT)
        assert result.snapshot.entry_count == 25921
        with pytest.raises(ListFileError, match="fewer"):
            load_file(store, CSL_SAMPLE)  # a 99 % drop: refused, rolled back on PostgreSQL too
        assert [s.entry_count for s in store.current_snapshots()] == [25921]
        load_file(store, FIXTURES / "csl-api.json", force=True)
        current = store.current_snapshots()
        assert [s.entry_count for s in current] == [3]
        entries = store.screening_entries([current[0].id])
        assert entries[0].name == "Beijing Sensetime Technology Development Co., Ltd."
        assert entries[0].addresses[0].city == "Beijing"
        store.close()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'drop schema "{schema}" cascade'))
        admin.dispose()


def _check_migration_to_0007_keeps_the_snapshots(store: Store) -> None:
    """A store at revision 0006 holding two snapshots of a source comes to the head with every
    snapshot and entry it had; their diff, with no keys recorded, compares the fingerprints."""
    from alembic import command

    from exportguard.lists.history import diff_snapshots
    from exportguard.store.db import _alembic_config

    first = load_file(store, CSL_SAMPLE).snapshot
    second = load_file(store, CSL_SAMPLE_IDS, force=True).snapshot
    expected = diff_snapshots(store, first.id, second.id).to_dict()
    with store.engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    assert "snapshot_changes" not in inspect(store.engine).get_table_names()
    counts = (store.entry_count(first.id), store.entry_count(second.id))
    store.close()
    again = Store(store.url)  # opening a store migrates it
    try:
        assert "snapshot_changes" in inspect(again.engine).get_table_names()
        with again.engine.connect() as connection:
            assert connection.scalar(text("select version_num from alembic_version")) \
                == head_revision() == "0007"
        assert [s.id for s in again.snapshots()] == [first.id, second.id]
        assert (again.entry_count(first.id), again.entry_count(second.id)) == counts
        assert again.recorded_changes(first.id, second.id) is None
        assert diff_snapshots(again, first.id, second.id).to_dict() == expected
    finally:
        again.close()


def test_migration_to_0007_keeps_every_snapshot(store):
    _check_migration_to_0007_keeps_the_snapshots(store)


@pytest.mark.postgres
def test_migration_to_0007_keeps_every_snapshot_on_postgresql(postgres_store):
    _check_migration_to_0007_keeps_the_snapshots(postgres_store)


def test_every_entry_of_a_snapshot_has_its_own_key(store):
    snapshot = load_file(store, CSL_COMPACT).snapshot
    keys = [e.key for e in store.screening_entries([snapshot.id])]
    assert len(keys) == len(set(keys)) == 25921
    assert sum("#" in k for k in keys) > 0  # same list, same name, no id: numbered
