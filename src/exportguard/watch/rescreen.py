"""Re-screening the watchlist when the lists change, and the alerts it raises.

A full re-screen screens every customer against the lists in force. A delta re-screen, after new
snapshots replace old ones, looks only at the customers whose result could change:

- customers whose current hits include an entry that was removed or changed, and
- customers whose names come near an added or changed entry's names. These are found the other
  way round: the touched entries (a few hundred at most) are searched in an index of the customer
  names, with a candidate floor well below the screening threshold (`reverse_candidates`).

Those customers are screened against the touched entries only (`delta_screen`): candidates come
from the whole new index, as in a full re-screen, and only touched names are scored, so their
hits and scores are the full re-screen's. Hits on removed or changed entries go; hits on
untouched entries stay as they were scored against the old snapshot (its token statistics). The
hits are compared with the stored ones: a hit that appears is a `new` alert, one that disappears
is `cleared`, and one on an entry whose record changed is `changed` (with the fields).

What the delta promises: every hit on an entry the update added, changed or removed, with its
score, as a full re-screen finds it (for the customers the reverse search reaches). What it does
not look at: token weights depend on the whole list, so adding names nudges every
score a little, and a customer's score against an entry the update did not touch can cross the
threshold. That is drift of the scoring, not a list change; bench/watch_delta.py counts it and a
scheduled `customers rescreen --full` picks it up.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from exportguard.config import data_dir
from exportguard.errors import InputError
from exportguard.lists.history import diff_snapshots, serving_in_store
from exportguard.lists.starter import with_local_names
from exportguard.model import ListEntry, Snapshot
from exportguard.names.normalize import NameForm, han_key, name_forms
from exportguard.screening.features import STRING_WEIGHT, score
from exportguard.screening.index import (
    IndexedName,
    NameIndex,
    name_variants,
)
from exportguard.screening.loaded import current_screener
from exportguard.screening.screener import Screener, validate_query
from exportguard.store import Store
from exportguard.store.watchlist import Alert, Customer, Hit, WatchlistStore, WatchRun
from exportguard.watch.bounds import Query, score_bounds_many
from exportguard.watch.customers import CustomerRecord

HITS_PER_CUSTOMER = 20
# Reverse search floor: far enough below the screening threshold (0.85) to cover the country and
# type adjustments and the difference between the two indexes' token weights.
CANDIDATE_FLOOR = 0.55
_REVERSE_CANDIDATES = 150
_RATIO_MARGIN = 1e-6  # the ratio computed by `process.cdist` and by `fuzz.ratio`, in floats


@dataclass(slots=True)
class RescreenPlan:
    kind: str  # full | delta | none
    cause: str
    customer_ids: list[int] | None  # None: everyone
    changed_fields: dict[str, dict[str, Any]]
    touched: tuple[ListEntry, ...] = ()  # delta: the entries added or changed
    gone: frozenset[str] = frozenset()  # delta: keys of the entries removed or changed


def import_customers(
    store: Store, records: Sequence[CustomerRecord], *, replace: bool = False
) -> tuple[WatchRun, int]:
    """Store customers (insert or update by id) and screen those that are new or changed.
    Returns the run (with `new` alerts for their hits) and how many customers were removed."""
    watch = WatchlistStore(store)
    started, clock = datetime.now(UTC), time.monotonic()
    changed, removed = watch.upsert_customers([r.row() for r in records], replace)
    screener = current_screener(store)
    customers = watch.customers(changed)
    screened = screen_customers(screener, customers)
    alerts = compare({}, screened, {c.id: c for c in customers}, {})
    run = watch.record_run(
        kind="import", cause=f"{len(records):,} customers imported ({len(changed):,} new or "
        "changed)", snapshot_ids=[s.id for s in screener.snapshots], screened=screened,
        alerts=alerts, started_at=started, seconds=time.monotonic() - clock,
    )
    customer_index(store, watch)  # built now, so the re-screen after the next update is quick
    return run, removed


def rescreen(store: Store, *, full: bool = False, cause: str | None = None) -> WatchRun | None:
    """Re-screen after the lists changed: the delta when it can be worked out, else everyone.
    None when the watchlist is empty or the lists have not changed since the last run."""
    watch = WatchlistStore(store)
    if watch.customer_count() == 0:
        return None
    started, clock = datetime.now(UTC), time.monotonic()
    screener = current_screener(store)
    plan = plan_rescreen(store, watch, screener, full)
    if plan.kind == "none":
        return None
    customers = watch.customers(plan.customer_ids)
    old = watch.hits([c.id for c in customers] if plan.customer_ids is not None else None)
    if plan.kind == "delta":
        screened = delta_screen(screener, customers, old, plan.touched, plan.gone)
    else:
        screened = screen_customers(screener, customers)
    alerts = compare(old, screened, {c.id: c for c in customers}, plan.changed_fields)
    return watch.record_run(
        kind=plan.kind, cause=cause or plan.cause,
        snapshot_ids=[s.id for s in screener.snapshots], screened=screened, alerts=alerts,
        started_at=started, seconds=time.monotonic() - clock,
    )


def plan_rescreen(
    store: Store, watch: WatchlistStore, screener: Screener, full: bool
) -> RescreenPlan:
    new = {s.id: s for s in screener.snapshots}
    last = watch.last_run()
    if full or last is None:
        return RescreenPlan("full", "asked for" if full else "first screening", None, {})
    if set(last.snapshot_ids) == set(new):
        return RescreenPlan("none", "lists unchanged", [], {})
    old = {s.id: s for s in store.snapshots() if s.id in set(last.snapshot_ids)}
    old_by_source = {s.source: s for s in old.values()}
    new_by_source = {s.source: s for s in new.values()}
    if set(old_by_source) != set(new_by_source) or _served_by(store, old) != _served_by(store, new):
        return RescreenPlan("full", "a list moved to another source: full re-screen", None, {})
    touched: list[ListEntry] = []
    gone: set[str] = set()
    changed: dict[str, dict[str, Any]] = {}
    causes = []
    for source, after in new_by_source.items():
        before = old_by_source[source]
        if before.id == after.id:
            continue
        diff = diff_snapshots(store, before.id, after.id)
        causes.append(f"{source} #{before.id}->#{after.id}: {len(diff.added)} added, "
                      f"{len(diff.removed)} removed, {len(diff.changed)} changed")
        touched.extend(diff.touched)
        gone.update(e.key for e in diff.removed)
        for change in diff.changed:
            changed[change.key] = change.fields
            gone.add(change.key)
    ids = watch.customers_hitting(gone)
    if touched:
        ids |= reverse_candidates(customer_index(store, watch), _as_indexed(screener.index,
                                                                            touched))
    return RescreenPlan("delta", "; ".join(causes), sorted(ids), changed, tuple(touched),
                        frozenset(gone))


def _served_by(store: Store, snapshots: dict[int, Snapshot]) -> dict[str, str]:
    return {code: snapshots[sid].source
            for code, sid in serving_in_store(store, list(snapshots.values())).items()}


def screen_customers(
    screener: Screener, customers: Sequence[Customer]
) -> dict[int, dict[str, Hit]]:
    out: dict[int, dict[str, Hit]] = {}
    for customer in customers:
        try:
            result = screener.screen(customer.name, customer.country, limit=HITS_PER_CUSTOMER)
        except InputError:  # validated on import; a name the rules now refuse has no hits
            out[customer.id] = {}
            continue
        out[customer.id] = {
            m.entry.key: Hit(m.entry.key, m.entry.list_code, m.entry.name, m.score)
            for m in result.matches
        }
    return out


def delta_screen(
    screener: Screener, customers: Sequence[Customer], old: dict[int, dict[str, Hit]],
    touched_entries: Sequence[ListEntry], gone: frozenset[str],
) -> dict[int, dict[str, Hit]]:
    """The customers' hits after an update, without screening them against the untouched
    entries: their hits on untouched entries stay as scored against the old snapshot (its
    token statistics), those on removed or changed entries go, and their hits on the added
    and changed entries are found by screening them with `_TouchedScreener`, which finds
    candidates in the whole new index as a full screening does and scores only touched
    names, so those hits and scores are the full re-screen's."""
    touched = frozenset(e.key for e in touched_entries)
    found = screen_customers(_TouchedScreener(screener, touched_entries), customers)
    out: dict[int, dict[str, Hit]] = {}
    for customer in customers:
        kept = {key: hit for key, hit in old.get(customer.id, {}).items()
                if key not in gone and key not in touched}
        kept.update((key, hit) for key, hit in found[customer.id].items() if key in touched)
        if len(kept) > HITS_PER_CUSTOMER:
            best = sorted(kept.values(), key=lambda h: -h.score)[:HITS_PER_CUSTOMER]
            kept = {hit.entry_key: hit for hit in best}
        out[customer.id] = kept
    return out


class _TouchedScreener(Screener):
    """The screener of the new lists, scoring only the names of the touched entries. Its index
    is the new one, whose `candidates` keeps, of the names the whole index selects for a query,
    only the touched ones: the same names are scored as when the others are dropped later, and
    no bound is computed for the others."""

    def __init__(self, screener: Screener, touched: Sequence[ListEntry]) -> None:
        self._touched = _entry_numbers(screener.index, touched)
        index = _TouchedIndex(screener.index, self._touched)
        super().__init__(index, screener.snapshots,  # type: ignore[arg-type]
                         starter_only=screener.starter_only, on=screener.on,
                         in_force=screener.in_force)

    def _wanted(self, name: IndexedName, lists: frozenset[str] | None) -> bool:
        return name.entry in self._touched and super()._wanted(name, lists)


class _TouchedIndex:
    """A NameIndex whose `candidates` are those of the whole index that belong to touched
    entries; everything else is the index's own."""

    def __init__(self, index: NameIndex, entries: frozenset[int]) -> None:
        self._index = index
        wanted = np.fromiter(entries, dtype=np.int64, count=len(entries))
        self._names = np.flatnonzero(np.isin(index.name_entry, wanted))

    def candidates(self, form: NameForm, limit: int) -> np.ndarray:
        found = self._index.candidates(form, limit)
        return found[np.isin(found, self._names)]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)


def _entry_numbers(index: NameIndex, entries: Sequence[ListEntry]) -> frozenset[int]:
    """The index's numbers of these entries: found through their names' cores (a few postings),
    else by reading every entry."""
    keys = {e.key for e in entries}
    found: set[int] = set()
    for entry in entries:
        for text in name_variants([entry.name]):
            for form in name_forms(text, every=False):
                for number in index.exact.get(form.core, ()):
                    candidate = int(index.name_entry[number])
                    if index.entries[candidate].key in keys:
                        found.add(candidate)
    if len({index.entries[n].key for n in found}) < len(keys):
        found = {n for n, entry in enumerate(index.entries) if entry.key in keys}
    return frozenset(found)


def compare(
    old: dict[int, dict[str, Hit]],
    new: dict[int, dict[str, Hit]],
    customers: dict[int, Customer],
    changed_fields: dict[str, dict[str, Any]],
) -> list[Alert]:
    alerts: list[Alert] = []
    for cid, hits in new.items():
        customer = customers[cid]
        before = old.get(cid, {})
        for key, hit in hits.items():
            if key not in before:
                alerts.append(_alert("new", customer, hit, {}))
            elif key in changed_fields:
                alerts.append(_alert("changed", customer, hit,
                                     {"fields": changed_fields[key],
                                      "previous_score": round(before[key].score, 4)}))
        for key, hit in before.items():
            if key not in hits:
                alerts.append(_alert("cleared", customer, hit,
                                     {"previous_score": round(hit.score, 4)}, current=False))
    return alerts


def _alert(kind: str, customer: Customer, hit: Hit, detail: dict[str, Any],
           current: bool = True) -> Alert:
    """A cleared hit has no current score (its last one is in the detail)."""
    return Alert(kind, customer.ref, customer.name, hit.entry_key, hit.list_code,
                 hit.entry_name, hit.score if current else None, detail)


# --- finding the customers near touched entries -------------------------------------------------


def customer_index(store: Store, watch: WatchlistStore) -> NameIndex:
    """An index of the customer names (cached on disk until the customers change)."""
    digest = hashlib.sha256(f"{store.url}|{watch.version()}".encode()).hexdigest()[:24]
    path = data_dir() / f"customers-{digest}.pickle"
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError):
        with path.open("rb") as handle:
            index = pickle.load(handle)
        if isinstance(index, NameIndex):
            return index
    index = NameIndex([
        ListEntry(list_code="CUSTOMER", name=c.name, countries=[c.country] if c.country else [],
                  key=str(c.id))
        for c in watch.customers()
    ])
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("customers-*.pickle"):
            old.unlink(missing_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)
    return index


def _as_indexed(index: NameIndex, entries: Sequence[ListEntry]) -> list[ListEntry]:
    """The entries as the new lists' index holds them: with the curated local names it was
    built with (`loaded.screener_for`), which need not be looked up again (reading the curated
    files costs about a second in a new process); an entry the index lacks gets them here."""
    numbers = _entry_numbers(index, entries)
    held = {index.entries[n].key: index.entries[n] for n in numbers}
    return [held.get(e.key) or with_local_names(e) for e in entries]


def reverse_candidates(index: NameIndex, entries: Sequence[ListEntry]) -> set[int]:
    """Ids of customers whose names come within CANDIDATE_FLOOR of any name of `entries`
    (given with their curated local names, `_as_indexed`), each distinct form of their names
    searched once."""
    found: set[int] = set()
    seen: set[tuple[str, tuple[str, ...]]] = set()
    queries: list[Query] = []
    for entry in entries:
        texts = [entry.name, *entry.alt_names, *entry.local_names]
        for text in name_variants(texts):
            try:
                query = validate_query(text)
            except InputError:
                continue
            key = han_key(query)
            if key:
                found.update(index.names[n].entry for n in index.han_exact.get(key, ()))
            for form in name_forms(query):
                if (form.kind, form.tokens) in seen:
                    continue
                seen.add((form.kind, form.tokens))
                numbers = set(index.exact.get(form.core, ()))
                numbers.update(index.candidates(form, _REVERSE_CANDIDATES).tolist())
                queries.append((form, index.weights(form),
                                np.fromiter(numbers, dtype=np.int64, count=len(numbers))))
    # Only names whose score bound reaches the floor are scored (the bound is never below the
    # score, so the customers found are the same), and none of a customer already found. The
    # bounds of all the forms' candidates are computed together.
    for (form, weights, numbers), bounds in zip(queries, _reverse_bounds_many(index, queries),
                                                strict=True):
        for number in numbers[bounds >= CANDIDATE_FLOOR].tolist():
            name = index.names[number]
            if name.entry in found:
                continue
            if score(form, weights, name.form, index.name_weights[number]) >= CANDIDATE_FLOOR:
                found.add(name.entry)
    return {int(index.entries[n].key) for n in found}


def _reverse_bounds(index: NameIndex, form: NameForm, weights: tuple[float, ...],
                    numbers: np.ndarray) -> np.ndarray:
    """The reverse bound of one form's candidates (see `_reverse_bounds_many`)."""
    return _reverse_bounds_many(index, [(form, weights, numbers)])[0]


def _reverse_bounds_many(index: NameIndex, queries: Sequence[Query]) -> list[np.ndarray]:
    """`score_bounds` of each query's candidates, tightened where it reaches the floor by the
    character ratio itself: `score` is at most TOKEN_WEIGHT * overlap + STRING_WEIGHT * ratio
    (every other feature subtracts), and `score_bounds` counts the ratio as 1. For a form read
    from another script the ratio is also taken over consonants: left as `score_bounds` has it
    (no bound)."""
    every = score_bounds_many(index, queries)
    keys = index.tokens.keys
    starts = index.name_token_starts
    tokens = index.name_tokens
    near: list[tuple[np.ndarray, np.ndarray]] = []
    mine: list[str] = []
    theirs: list[str] = []
    for (form, _weights, numbers), bounds in zip(queries, every, strict=True):
        if form.kind == "transliterated":
            continue
        at = np.flatnonzero(np.isfinite(bounds) & (bounds >= CANDIDATE_FLOOR))
        if not len(at):
            continue
        near.append((bounds, at))
        mine += [form.compact] * len(at)
        theirs += ["".join([keys[t] for t in tokens[starts[n]:starts[n + 1]].tolist()])
                   for n in numbers[at].tolist()]
    if not near:
        return every
    ratios = process.cpdist(mine, theirs, scorer=fuzz.ratio, dtype=np.float64)
    done = 0
    for bounds, at in near:
        bounds[at] -= STRING_WEIGHT * (1.0 - ratios[done:done + len(at)] / 100.0) - _RATIO_MARGIN
        done += len(at)
    return every
