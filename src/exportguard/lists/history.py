"""Lists as dated data: which snapshot was in force on a day, what changed between two snapshots,
and the story of one entry across every snapshot kept.

Every load is kept as its own snapshot (nothing is overwritten), so these are plain reads. An
entry is followed across snapshots of one source by its `key` (the source's own id where it has
one; otherwise list, name and start date).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from exportguard.errors import InputError
from exportguard.lists.fr_dates import FrDates
from exportguard.lists.listing_dates import listing_date
from exportguard.lists.starter import STARTER_SOURCE
from exportguard.model import COMPARED_FIELDS, ListEntry, Snapshot, comparable
from exportguard.store.changes import differing_keys
from exportguard.store.reads import current_of

if TYPE_CHECKING:
    from exportguard.store import Store
    from exportguard.store.direct import DirectSqlite


@dataclass(frozen=True, slots=True)
class InForce:
    """The snapshot of one source used for a date, and how far it can be trusted for it."""

    snapshot: Snapshot
    reconstructed: bool  # no snapshot of this source existed yet on the date asked

    def to_dict(self) -> dict[str, Any]:
        return {
            "snapshot": self.snapshot.id,
            "source": self.snapshot.source,
            "snapshot_day": self.snapshot.speaks_for.isoformat(),
            "reconstructed": self.reconstructed,
            "basis": self.basis(),
        }

    def basis(self) -> str:
        day = self.snapshot.speaks_for.isoformat()
        if not self.reconstructed:
            return f"snapshot #{self.snapshot.id} of {day}, the latest on or before the date"
        return (
            f"no earlier snapshot is kept: reconstructed from snapshot #{self.snapshot.id} of "
            f"{day} by each entry's listing date; entries removed before {day} are not known"
        )


def snapshots_in_force(store: Store | DirectSqlite, on: date | None = None) -> list[InForce]:
    """For each source, the snapshot in force on `on` (today's when None). A source with no
    snapshot that old answers from its oldest one, marked reconstructed; the starter set is
    curated data dated record by record, so its latest version speaks for every day."""
    snapshots = store.snapshots()
    chosen = {s.source: InForce(s, reconstructed=False) for s in current_of(snapshots, on)}
    by_source: dict[str, list[Snapshot]] = {}
    for snapshot in snapshots:
        by_source.setdefault(snapshot.source, []).append(snapshot)
    for source, group in by_source.items():
        if source == STARTER_SOURCE:
            chosen[source] = InForce(group[-1], reconstructed=False)
        elif source not in chosen:
            chosen[source] = InForce(min(group, key=lambda s: (s.speaks_for, s.id)), True)
    return sorted(chosen.values(), key=lambda f: f.snapshot.id)


# A snapshot serves a list only if it holds at least this share of the largest copy of that list
# among the snapshots considered: a sample, a fixture or a partial dataset never displaces a full
# copy, however recent.
FULL_COPY_SHARE = 0.9


def serving_snapshots(
    snapshots: Iterable[Snapshot], counts: dict[tuple[int, str], int] | None = None
) -> dict[str, int]:
    """Which snapshot serves each list code when several sources carry it (the CSL and OFAC's own
    SDN file both carry SDN): among the full copies of the list (see FULL_COPY_SHARE; `counts`
    gives the entries per snapshot and list), the one that speaks for the latest day; the starter
    set only serves lists no official snapshot carries. Screening uses only the serving
    snapshot's entries of each list, so one party is not reported twice from two copies of the
    same list."""
    candidates: dict[str, list[tuple[tuple[int, date, int], int, int]]] = {}
    for snapshot in snapshots:
        rank = (0 if snapshot.source == STARTER_SOURCE else 1, snapshot.speaks_for, snapshot.id)
        for code in snapshot.lists:
            size = counts.get((snapshot.id, code), 0) if counts is not None else 0
            candidates.setdefault(code, []).append((rank, size, snapshot.id))
    serving: dict[str, int] = {}
    for code, found in candidates.items():
        official = [c for c in found if c[0][0] == 1]
        found = official or found  # the starter set is curated seed data, not a copy of a list
        largest = max(size for _, size, _ in found)
        full = [c for c in found if c[1] >= FULL_COPY_SHARE * largest]
        serving[code] = max(full)[2]
    return serving


def serving_reasons(
    snapshots: Sequence[Snapshot], counts: dict[tuple[int, str], int]
) -> dict[str, str]:
    """Why each list is served by the snapshot `serving_snapshots` chose, in words: the
    copies considered, the full-copy share and the day each speaks for."""
    serving = serving_snapshots(snapshots, counts)
    by_id = {s.id: s for s in snapshots}
    reasons: dict[str, str] = {}
    for code, chosen_id in serving.items():
        chosen = by_id[chosen_id]
        size = counts.get((chosen_id, code), 0)
        copies = [s for s in snapshots if code in s.lists]
        official = [s for s in copies if s.source != STARTER_SOURCE]
        head = (f"#{chosen.id} {chosen.source} ({size:,} entr{'y' if size == 1 else 'ies'}, "
                f"speaks for "
                f"{chosen.speaks_for.isoformat()})")
        if chosen.source == STARTER_SOURCE:
            reasons[code] = f"{head}: no official snapshot carries {code}; the built-in " \
                            "starter set stands in"
            continue
        if len(official) == 1:
            starter = " (the starter set's entries stand aside)" if len(copies) > 1 else ""
            reasons[code] = f"{head}: the only official copy{starter}"
            continue
        largest = max(counts.get((s.id, code), 0) for s in official)
        left_out = [s for s in official
                    if counts.get((s.id, code), 0) < FULL_COPY_SHARE * largest]
        why = f"{head}: of {len(official)} official copies, the one speaking for the latest day"
        if left_out:
            why += (f" among those holding at least {FULL_COPY_SHARE:.0%} of the largest "
                    f"({largest:,}); too small: " + ", ".join(
                        f"#{s.id} {s.source} ({counts.get((s.id, code), 0):,})"
                        for s in left_out))
        reasons[code] = why
    return reasons


def serving_in_store(store: Store | DirectSqlite, snapshots: Sequence[Snapshot]) -> dict[str, int]:
    return serving_snapshots(snapshots, list_counts_of(store, snapshots))


# A snapshot's entries per list never change once it is written (its rows are added with it in
# one transaction and go with it): kept per store, snapshot id, load time, checksum and size (an
# id SQLite may give again after the latest snapshot is deleted comes with another load time).
# A re-screen asks for the lists in force three times (the screener, the old and new snapshots).
_COUNTS: dict[tuple[str, int, datetime, str | None, int], dict[str, int]] = {}
_COUNTS_KEPT = 256


def list_counts_of(store: Store | DirectSqlite, snapshots: Sequence[Snapshot]
                   ) -> dict[tuple[int, str], int]:
    """`store.list_counts` of these snapshots: entries per (snapshot, list code)."""
    counts: dict[tuple[int, str], int] = {}
    missing: list[Snapshot] = []
    for snapshot in snapshots:
        kept = _COUNTS.get(_counts_key(store, snapshot))
        if kept is None:
            missing.append(snapshot)
        else:
            counts.update(((snapshot.id, code), n) for code, n in kept.items())
    if not missing:
        return counts
    found = store.list_counts([s.id for s in missing])
    counts.update(found)
    if len(_COUNTS) >= _COUNTS_KEPT:
        _COUNTS.clear()
    for snapshot in missing:
        if snapshot.loaded_at is not None:
            _COUNTS[_counts_key(store, snapshot)] = {
                code: n for (sid, code), n in found.items() if sid == snapshot.id}
    return counts


def _counts_key(store: Store | DirectSqlite, snapshot: Snapshot
                ) -> tuple[str, int, datetime, str | None, int]:
    return (store.url, snapshot.id, snapshot.loaded_at, snapshot.checksum, snapshot.entry_count)


def in_force_on(entry: ListEntry, day: date, fr: FrDates | None = None) -> bool | None:
    """Whether an entry applied on `day` by its own dates: True, False, or None when `day`
    falls inside the window (or the year) its listing date is known to."""
    if entry.end_date is not None and entry.end_date < day:
        return False
    return listing_date(entry, fr).listed_on(day)


# --- diff --------------------------------------------------------------------------------------


@dataclass(slots=True)
class EntryChange:
    key: str
    list_code: str
    name: str
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "list": self.list_code, "name": self.name,
                "fields": self.fields}


@dataclass(slots=True)
class SnapshotDiff:
    source: str
    old: Snapshot
    new: Snapshot
    added: list[ListEntry] = field(default_factory=list)
    removed: list[ListEntry] = field(default_factory=list)
    changed: list[EntryChange] = field(default_factory=list)
    # Entries of the new snapshot that were added or changed: what re-screening must look at.
    touched: list[ListEntry] = field(default_factory=list)
    # The positions of each key read from the new snapshot among its rows (in row order), when
    # known: where an index of the snapshot holds those entries.
    positions: dict[str, list[int]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)

    def to_dict(self) -> dict[str, Any]:
        lists: dict[str, dict[str, list[Any]]] = {}

        def group(code: str) -> dict[str, list[Any]]:
            return lists.setdefault(code, {"added": [], "removed": [], "changed": []})

        for entry in self.added:
            group(entry.list_code)["added"].append(_brief(entry))
        for entry in self.removed:
            group(entry.list_code)["removed"].append(_brief(entry))
        for change in self.changed:
            group(change.list_code)["changed"].append(change.to_dict())
        return {
            "source": self.source,
            "from": self.old.to_dict(),
            "to": self.new.to_dict(),
            "counts": {"added": len(self.added), "removed": len(self.removed),
                       "changed": len(self.changed)},
            "lists": dict(sorted(lists.items())),
        }


def diff_snapshots(store: Store, old_id: int, new_id: int) -> SnapshotDiff:
    if old_id == new_id:  # would list no change, which reads as "nothing changed"
        raise InputError("to", f"--from and --to both name snapshot #{old_id}; a diff compares "
                         "two different snapshots of one source (`exportguard lists --all` "
                         "shows them)")
    old = store.snapshot(old_id, "from")
    new = store.snapshot(new_id, "to")
    if old.source != new.source:
        raise InputError(
            "from", f"snapshot #{old.id} is of '{old.source}' and #{new.id} of '{new.source}'; "
            "a diff compares two snapshots of one source",
        )
    diff = SnapshotDiff(old.source, old, new)
    wanted_old, wanted_new = _differing_keys(store, old.id, new.id, diff)
    if wanted_old is None:
        wanted_old, wanted_new = _differing_prints(store, old.id, new.id)
    before = {e.key: e for e in store.screening_entries([old.id], keys=wanted_old)}
    after = {e.key: e for e in store.screening_entries([new.id], keys=wanted_new)}
    for key, entry in after.items():
        previous = before.get(key)
        if previous is None:
            diff.added.append(entry)
            diff.touched.append(entry)
            continue
        fields = changed_fields(previous, entry)
        if fields:
            diff.changed.append(EntryChange(key, entry.list_code, entry.name, fields))
            diff.touched.append(entry)
    diff.removed = [entry for key, entry in before.items() if key not in after]
    return diff


def _differing_keys(store: Store, old_id: int, new_id: int, diff: SnapshotDiff
                    ) -> tuple[set[str] | None, set[str] | None]:
    """The keys only in the old snapshot or differing, and those only in the new one or
    differing: as recorded when the new snapshot was written against the old one
    (`store/changes.py`), else by comparing the snapshots' 'key<TAB>fingerprint' lines
    (`fingerprint_lines`); (None, None) when neither can be had. Notes the new ones' positions
    in `diff`."""
    keys = store.recorded_changes(old_id, new_id)
    if keys is None:
        before = store.fingerprint_lines(old_id)
        after = store.fingerprint_lines(new_id) if before is not None else None
        if before is None or after is None:
            return None, None
        keys = differing_keys(before, after)
    diff.positions = keys.positions
    return set(keys.before), set(keys.after)


def _differing_prints(store: Store, old_id: int, new_id: int
                      ) -> tuple[set[str] | None, set[str] | None]:
    """`_differing_lines` from the pairs read one by one; (None, None): compare every entry."""
    before_prints = store.fingerprints(old_id)
    after_prints = store.fingerprints(new_id)
    if None in before_prints.values() or None in after_prints.values():
        # Rows stored before fingerprints existed: compare every entry in full.
        wanted_old, wanted_new = None, None
    else:
        common = before_prints.keys() & after_prints.keys()
        differing = {k for k in common if before_prints[k] != after_prints[k]}
        wanted_new = (after_prints.keys() - before_prints.keys()) | differing
        wanted_old = (before_prints.keys() - after_prints.keys()) | differing
    return wanted_old, wanted_new


def default_pair(store: Store, from_id: int | None, to_id: int | None) -> list[tuple[int, int]]:
    """The snapshot pairs a diff compares when not both ends are given: the newest snapshot of a
    source against the one before it."""
    if from_id is not None and to_id is not None:
        return [(from_id, to_id)]
    if to_id is not None:
        new = store.snapshot(to_id, "to")
        return [(_previous(store, new, "to").id, new.id)]
    if from_id is not None:
        old = store.snapshot(from_id, "from")
        latest = store.snapshots(old.source)[-1]
        if latest.id == old.id:
            raise InputError("from", f"snapshot #{old.id} is the latest of '{old.source}'; "
                             "there is nothing newer to compare it with")
        return [(old.id, latest.id)]
    pairs = []
    by_source: dict[str, list[Snapshot]] = {}
    for snapshot in store.snapshots():
        by_source.setdefault(snapshot.source, []).append(snapshot)
    for snapshots in by_source.values():
        if len(snapshots) >= 2:
            pairs.append((snapshots[-2].id, snapshots[-1].id))
    if not pairs:
        raise InputError("from", "no source has two snapshots yet; load or update a list twice, "
                         "or name the snapshots with --from and --to")
    return pairs


def _previous(store: Store, snapshot: Snapshot, field_name: str) -> Snapshot:
    earlier = [s for s in store.snapshots(snapshot.source) if s.id < snapshot.id]
    if not earlier:
        raise InputError(field_name, f"snapshot #{snapshot.id} is the first of "
                         f"'{snapshot.source}'; there is nothing before it to compare with")
    return earlier[-1]


def changed_fields(old: ListEntry, new: ListEntry) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name in COMPARED_FIELDS:
        before, after = comparable(getattr(old, name)), comparable(getattr(new, name))
        if before != after:
            out[name] = {"from": before, "to": after}
    return out


def _brief(entry: ListEntry) -> dict[str, Any]:
    return {
        "key": entry.key,
        "name": entry.name,
        "countries": entry.countries,
        "federal_register": entry.federal_register,
        "start_date": entry.start_date.isoformat() if entry.start_date else None,
    }


# --- one entry's history -------------------------------------------------------------------------


@dataclass(slots=True)
class HistoryEvent:
    snapshot: Snapshot
    kind: str  # listed | changed | removed | relisted
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "snapshot": self.snapshot.id,
            "snapshot_day": self.snapshot.speaks_for.isoformat(),
            "fields": self.fields,
        }


@dataclass(slots=True)
class EntryHistory:
    source: str
    key: str
    entry: ListEntry  # the latest version stored
    first_seen: Snapshot
    last_seen: Snapshot
    in_latest: bool
    events: list[HistoryEvent]

    def to_dict(self) -> dict[str, Any]:
        when = listing_date(self.entry)
        return {
            "source": self.source,
            "key": self.key,
            "list": self.entry.list_code,
            "name": self.entry.name,
            "alt_names": self.entry.alt_names,
            "countries": self.entry.countries,
            "federal_register": self.entry.federal_register,
            "start_date": self.entry.start_date.isoformat() if self.entry.start_date else None,
            "end_date": self.entry.end_date.isoformat() if self.entry.end_date else None,
            "listed_from": when.listed_from,
            "listed_from_basis": when.basis,
            **({"listing_window": when.window_dict()} if when.window else {}),
            "first_seen": {"snapshot": self.first_seen.id,
                           "day": self.first_seen.speaks_for.isoformat()},
            "last_seen": {"snapshot": self.last_seen.id,
                          "day": self.last_seen.speaks_for.isoformat()},
            "in_latest_snapshot": self.in_latest,
            "events": [e.to_dict() for e in self.events],
        }


def entry_histories(store: Store, keys: Iterable[str]) -> list[EntryHistory]:
    """The history of each key in every source that carried it."""
    snapshots = {s.id: s for s in store.snapshots()}
    by_source: dict[str, list[Snapshot]] = {}
    for snapshot in snapshots.values():
        by_source.setdefault(snapshot.source, []).append(snapshot)
    versions: dict[tuple[str, str], dict[int, ListEntry]] = {}
    for snapshot_id, entry in store.entry_versions(keys):
        source = snapshots[snapshot_id].source
        versions.setdefault((source, entry.key), {})[snapshot_id] = entry
    out: list[EntryHistory] = []
    for (source, key), seen in versions.items():
        events: list[HistoryEvent] = []
        previous: ListEntry | None = None
        was_present = False
        for snapshot in by_source[source]:
            entry = seen.get(snapshot.id)
            if entry is None:
                if was_present:
                    events.append(HistoryEvent(snapshot, "removed"))
                was_present = False
                continue
            if previous is None:
                events.append(HistoryEvent(snapshot, "listed"))
            elif not was_present:
                events.append(HistoryEvent(snapshot, "relisted",
                                           changed_fields(previous, entry)))
            else:
                fields = changed_fields(previous, entry)
                if fields:
                    events.append(HistoryEvent(snapshot, "changed", fields))
            previous, was_present = entry, True
        ids = sorted(seen)
        out.append(EntryHistory(
            source, key, seen[ids[-1]], snapshots[ids[0]], snapshots[ids[-1]],
            in_latest=by_source[source][-1].id in seen, events=events,
        ))
    out.sort(key=lambda h: (h.source, h.key))
    return out
