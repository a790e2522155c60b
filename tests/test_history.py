"""Snapshots kept as history: diff, entry histories, --as-of and which source serves a list."""

import copy
import json
from datetime import UTC, date, datetime

import pytest
from typer.testing import CliRunner

from exportguard.cli import app
from exportguard.errors import InputError
from exportguard.lists.base import unique_keys
from exportguard.lists.csl import CslCsvParser
from exportguard.lists.history import (
    default_pair,
    diff_snapshots,
    entry_histories,
    serving_snapshots,
    snapshots_in_force,
)
from exportguard.screening.loaded import history_screener, screener_for
from exportguard.store import Store
from exportguard.store.snapshots import SnapshotHeader
from tests.conftest import CSL_SAMPLE

runner = CliRunner()


@pytest.fixture(scope="module")
def sample():
    return list(unique_keys(CslCsvParser().entries(CSL_SAMPLE)))


def _save(store, entries, day, source="csl", checksum=None):
    header = SnapshotHeader(
        source=source, format="csl-csv", origin="test", checksum=checksum or f"{source}{day}",
        generated_at=datetime.combine(day, datetime.min.time(), UTC),
    )
    return store.save_snapshot(header, [copy.deepcopy(e) for e in entries])


def _edit(sample):
    """Version B of the sample: 3 removed, 2 added back from outside, 2 changed."""
    base = [copy.deepcopy(e) for e in sample[:100]]
    extra = [copy.deepcopy(e) for e in sample[100:102]]
    removed = base[10:13]
    after = copy.deepcopy(base[:10] + base[13:]) + extra
    after[0].license_policy = "Presumption of denial (changed for the test)."
    after[1].alt_names = [*after[1].alt_names, "A New Alias Ltd"]
    return base, after, removed, extra


def test_diff_reports_exactly_the_changes_made(store, sample):
    before, after, removed, extra = _edit(sample)
    old = _save(store, before, date(2024, 1, 1))
    new = _save(store, after, date(2024, 2, 1))
    diff = diff_snapshots(store, old.id, new.id)
    assert sorted(e.key for e in diff.added) == sorted(e.key for e in extra)
    assert sorted(e.key for e in diff.removed) == sorted(e.key for e in removed)
    changes = {c.key: c.fields for c in diff.changed}
    assert set(changes) == {after[0].key, after[1].key}
    assert set(changes[after[0].key]) == {"license_policy"}
    assert changes[after[0].key]["license_policy"]["to"].endswith("(changed for the test).")
    assert changes[after[1].key]["alt_names"]["to"][-1] == "A New Alias Ltd"
    assert len(diff.touched) == 4
    data = diff.to_dict()
    assert data["counts"] == {"added": 2, "removed": 3, "changed": 2}
    grouped = sum(len(g["added"]) + len(g["removed"]) + len(g["changed"])
                  for g in data["lists"].values())
    assert grouped == 7
    # The default pair is the latest snapshot against the one before it.
    assert default_pair(store, None, None) == [(old.id, new.id)]
    assert default_pair(store, None, new.id) == [(old.id, new.id)]


def test_diff_refuses_snapshots_of_two_sources_and_missing_ones(store, sample):
    a = _save(store, sample[:5], date(2024, 1, 1), source="csl")
    b = _save(store, sample[:5], date(2024, 1, 1), source="dpl")
    with pytest.raises(InputError, match="one source") as info:
        diff_snapshots(store, a.id, b.id)
    assert info.value.field == "from"
    with pytest.raises(InputError, match="no snapshot #99"):
        diff_snapshots(store, a.id, 99)
    with pytest.raises(InputError, match="first of 'csl'"):
        default_pair(store, None, a.id)
    with pytest.raises(InputError, match="two snapshots"):
        default_pair(store, None, None)


def test_entry_history_follows_listing_change_removal_and_relisting(store, sample):
    entry = copy.deepcopy(sample[5])
    others = sample[20:30]
    changed = copy.deepcopy(entry)
    changed.federal_register = [*entry.federal_register, "89 FR 12345"]
    s1 = _save(store, others, date(2023, 1, 1))
    s2 = _save(store, [*others, entry], date(2023, 6, 1))
    s3 = _save(store, [*others, changed], date(2024, 1, 1))
    s4 = _save(store, others, date(2024, 6, 1))
    s5 = _save(store, [*others, changed], date(2025, 1, 1))
    [history] = entry_histories(store, [entry.key])
    assert [(e.kind, e.snapshot.id) for e in history.events] == [
        ("listed", s2.id), ("changed", s3.id), ("removed", s4.id), ("relisted", s5.id),
    ]
    assert history.events[1].fields["federal_register"]["to"][-1] == "89 FR 12345"
    assert history.first_seen.id == s2.id and history.last_seen.id == s5.id
    assert history.in_latest
    assert s1.id not in {e.snapshot.id for e in history.events}
    # The name search behind `history NAME` finds it, removed or not.
    found = history_screener(store).screen(entry.name, limit=3)
    assert found.matches[0].entry.key == entry.key


def test_history_cli_shows_added_and_removed(store, sample, monkeypatch, tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("EXPORTGUARD_DB", db)
    cli_store = Store(db)
    entry = sample[7]
    _save(cli_store, [*sample[20:30], entry], date(2023, 6, 1))
    _save(cli_store, sample[20:30], date(2024, 6, 1))
    result = runner.invoke(app, ["history", entry.name, "--json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout)["entries"][0]
    assert first["name"] == entry.name
    assert [e["kind"] for e in first["events"]] == ["listed", "removed"]
    assert first["events"][1]["snapshot_day"] == "2024-06-01"
    assert first["in_latest_snapshot"] is False
    text = " ".join(runner.invoke(app, ["history", entry.name]).stdout.split())
    assert "2024-06-01 #2 removed" in text and "not in the latest snapshot" in text
    diffed = runner.invoke(app, ["diff", "--json"])
    assert diffed.exit_code == 0, diffed.output
    [d] = json.loads(diffed.stdout)["diffs"]
    assert d["counts"] == {"added": 0, "removed": 1, "changed": 0}
    bad = runner.invoke(app, ["diff", "--from", "1", "--to", "77"])
    assert bad.exit_code == 2 and "no snapshot #77" in bad.stderr
    itself = runner.invoke(app, ["diff", "--from", "2", "--to", "2"])  # not "nothing changed"
    assert itself.exit_code == 2, itself.output
    assert "--from and --to both name snapshot #2" in " ".join(itself.stderr.split())


def test_snapshot_in_force_on_a_date(store, sample):
    a = _save(store, sample[:10], date(2024, 1, 10))
    b = _save(store, sample[:12], date(2024, 3, 1))
    def chosen(day):
        return {f.snapshot.source: (f.snapshot.id, f.reconstructed)
                for f in snapshots_in_force(store, day)}
    assert chosen(date(2024, 1, 9))["csl"] == (a.id, True)
    assert chosen(date(2024, 1, 10))["csl"] == (a.id, False)
    assert chosen(date(2024, 2, 29))["csl"] == (a.id, False)
    assert chosen(date(2024, 3, 1))["csl"] == (b.id, False)
    assert chosen(None)["csl"] == (b.id, False)


def test_as_of_uses_the_snapshot_of_the_day(store, sample):
    target = copy.deepcopy(sample[40])
    target.start_date = None
    target.federal_register = []
    _save(store, sample[:30], date(2024, 1, 1))
    _save(store, [*sample[:30], target], date(2025, 1, 1))

    def found(day):
        screener = screener_for(store, day, cache=False)
        return any(m.entry.key == target.key
                   for m in screener.screen(target.name, limit=5).matches)

    assert not found(date(2024, 12, 31))
    assert found(date(2025, 1, 1))
    assert found(None)


def test_as_of_before_and_after_the_listing_date(store, csl_entries):
    """Megvii's Entity List entry is dated by its FR notice (84 FR 54002, 10/9/19): screening
    as of the day before does not find it, as of that day does, and the answer says the
    snapshot was reconstructed by listing dates."""
    el = [e for e in csl_entries if e.list_code == "EL" and "CN" in e.countries]
    _save(store, el, date(2026, 7, 31))

    def megvii(day):
        result = screener_for(store, day, cache=False).screen(
            "Megvii Technology Limited", lists=frozenset({"EL"}))
        return result, [m for m in result.matches if m.entry.name.startswith("Megvii")]

    result, before = megvii(date(2019, 10, 8))
    assert before == []
    assert result.in_force[0].reconstructed
    result, after = megvii(date(2019, 10, 9))
    assert after and after[0].listed_from == "2019-10-09"
    assert not after[0].listing_undecided
    data = result.to_dict()
    assert data["as_of"] == "2019-10-09"
    assert data["matches"][0]["listed_from_basis"].startswith("the earliest Federal Register")


def test_screen_as_of_cli_and_bad_dates(monkeypatch, tmp_path, csl_entries):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("EXPORTGUARD_DB", db)
    el = [e for e in csl_entries if e.list_code == "EL" and "CN" in e.countries]
    _save(Store(db), el, date(2026, 7, 31))
    args = ["screen", "Beijing Sensetime Technology Development Co., Ltd.", "--lists", "EL",
            "--json", "--as-of"]
    before = json.loads(runner.invoke(app, [*args, "2019-10-08"]).stdout)
    after = json.loads(runner.invoke(app, [*args, "2019-10-09"]).stdout)
    assert before["matches"] == []
    assert after["matches"][0]["listed_from"] == "2019-10-09"
    assert after["snapshot"]["in_force"][0]["reconstructed"] is True
    assert after["matches"][0]["first_seen_snapshot"] == 1
    assert after["matches"][0]["last_seen_snapshot"] == 1
    for bad, message in (("2019-02-30", "not a real calendar date"),
                         ("10/09/2019", "YYYY-MM-DD"), ("1999-01-01", "before 2018")):
        result = runner.invoke(app, ["screen", "Megvii", "--as-of", bad])
        assert result.exit_code == 2 and "as_of" in result.stderr and message in result.stderr


def test_one_snapshot_serves_each_list(store, sample):
    """Two sources carrying the same list: the one speaking for the later day serves it, and
    a party is not reported twice."""
    sdn = [copy.deepcopy(e) for e in sample if e.list_code == "SDN"][:5]
    assert sdn
    old = _save(store, sdn, date(2021, 1, 1), source="ofac-sdn")
    new = _save(store, sdn, date(2026, 7, 31), source="csl")
    assert serving_snapshots([old, new])["SDN"] == new.id
    # A partial copy, however recent, never displaces a full one.
    partial = _save(store, sdn[:1], date(2026, 11, 1), source="ftm")
    counts = store.list_counts([old.id, new.id, partial.id])
    assert counts[(partial.id, "SDN")] == 1
    assert serving_snapshots([old, new, partial], counts)["SDN"] == new.id
    result = screener_for(store, None, cache=False).screen(sdn[0].name, limit=10)
    same = [m for m in result.matches if m.entry.key == sdn[0].key]
    assert len(same) == 1
    assert [s.id for s in result.snapshots if s.source != "starter"] == [new.id]


def test_diff_of_rows_stored_before_fingerprints_compares_in_full(store, sample):
    from sqlalchemy import text

    before, after, _, _ = _edit(sample)
    old = _save(store, before, date(2024, 1, 1))
    with store.engine.begin() as connection:  # as a database migrated from revision 0002 has
        connection.execute(text("update list_entries set fingerprint = null"))
    new = _save(store, after, date(2024, 2, 1))
    diff = diff_snapshots(store, old.id, new.id)
    assert diff.to_dict()["counts"] == {"added": 2, "removed": 3, "changed": 2}
    assert store.fingerprints(new.id)[after[0].key] is not None


def _diff_both_ways(store, old_id, new_id):
    """The diff from the keys recorded at write time, then from the fingerprints compared."""
    from sqlalchemy import text

    recorded = diff_snapshots(store, old_id, new_id)
    with store.engine.begin() as connection:
        connection.execute(text("delete from snapshot_changes where snapshot_id = :id"),
                           {"id": new_id})
    assert store.recorded_changes(old_id, new_id) is None
    return recorded, diff_snapshots(store, old_id, new_id)


def _check_recorded_diff_equals_the_compared_one(store, sample):
    before, after, removed, extra = _edit(sample)
    old = _save(store, before, date(2024, 1, 1))
    other = _save(store, sample[:5], date(2024, 1, 15), source="other")
    new = _save(store, after, date(2024, 2, 1))
    keys = store.recorded_changes(old.id, new.id)
    assert keys is not None  # compared with the snapshot before it of its source, not `other`
    assert store.recorded_changes(other.id, new.id) is None
    assert store.recorded_changes(old.id, other.id) is None
    assert keys.before == {e.key for e in removed} | {after[0].key, after[1].key}
    assert keys.after == {e.key for e in extra} | {after[0].key, after[1].key}
    recorded, compared = _diff_both_ways(store, old.id, new.id)
    assert recorded.to_dict() == compared.to_dict()
    assert recorded.to_dict()["counts"] == {"added": 2, "removed": 3, "changed": 2}
    assert [e.key for e in recorded.touched] == [e.key for e in compared.touched]
    keyed = {e.key: n for n, e in enumerate(after)}
    assert recorded.positions == {k: [keyed[k]] for k in keys.after}
    if store.engine.dialect.name == "sqlite":  # where the lines are compared, positions too
        assert compared.positions == recorded.positions


def test_diff_reads_the_keys_recorded_when_the_snapshot_was_written(store, sample):
    _check_recorded_diff_equals_the_compared_one(store, sample)


@pytest.mark.postgres
def test_diff_reads_the_recorded_keys_on_postgresql(postgres_store, sample):
    _check_recorded_diff_equals_the_compared_one(postgres_store, sample)


def test_nothing_is_recorded_against_rows_without_fingerprints(store, sample):
    from sqlalchemy import text

    before, after, _, _ = _edit(sample)
    old = _save(store, before, date(2024, 1, 1))
    with store.engine.begin() as connection:  # as a database migrated from revision 0002 has
        connection.execute(text("update list_entries set fingerprint = null"))
    new = _save(store, after, date(2024, 2, 1))
    assert store.recorded_changes(old.id, new.id) is None
    assert diff_snapshots(store, old.id, new.id).to_dict()["counts"] == \
        {"added": 2, "removed": 3, "changed": 2}


def test_changes_made_against_a_snapshot_no_longer_the_latest_are_not_recorded(store, sample):
    from sqlalchemy import text

    from exportguard.store.changes import record_changes

    before, after, _, _ = _edit(sample)
    first = _save(store, before, date(2024, 1, 1))
    second = _save(store, after, date(2024, 2, 1))
    third = _save(store, before, date(2024, 3, 1))  # came in while a load compared with `first`
    keys = store.recorded_changes(first.id, second.id)
    with store.engine.begin() as connection:
        connection.execute(text("delete from snapshot_changes where snapshot_id = :id"),
                           {"id": third.id})
        record_changes(connection, third.id, "csl", (first.id, keys))
    assert store.recorded_changes(first.id, third.id) is None
    assert diff_snapshots(store, first.id, third.id).size == 0


def test_list_counts_kept_per_snapshot_are_the_stores_and_never_an_older_snapshots(store):
    """`serving_in_store` keeps each snapshot's entries per list (`list_counts_of`): the kept
    counts are the store's, and a snapshot that takes the id of a deleted one (SQLite gives the
    latest id again) is counted afresh, not served the deleted one's counts."""
    from sqlalchemy import text

    from exportguard.lists.history import _COUNTS, list_counts_of, serving_in_store

    entries = list(unique_keys(CslCsvParser().entries(CSL_SAMPLE)))
    first = _save(store, entries, date(2026, 1, 1))
    asked = store.list_counts([first.id])
    assert sum(asked.values()) == len(entries) and len(asked) >= 3
    assert list_counts_of(store, [first]) == asked
    assert any(key[:2] == (store.url, first.id) for key in _COUNTS)
    assert list_counts_of(store, [first]) == asked  # kept: the same
    served = serving_in_store(store, [first])
    assert set(served.values()) == {first.id} and set(served) == {c for _s, c in asked}
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM list_entries WHERE snapshot_id = :s"),
                           {"s": first.id})
        connection.execute(text("DELETE FROM snapshots WHERE id = :s"), {"s": first.id})
    fewer = [e for e in entries if e.list_code == "SDN"]
    again = _save(store, fewer, date(2026, 1, 2))
    assert again.id == first.id and again.loaded_at != first.loaded_at
    assert list_counts_of(store, [again]) == store.list_counts([again.id]) == \
        {(again.id, "SDN"): len(fewer)}
    assert serving_in_store(store, [again]) == {"SDN": again.id}
