"""Re-screening the watchlist when the lists change, and the alerts it raises.

A full re-screen screens every customer against the lists in force. A delta re-screen, after new
snapshots replace old ones, screens only the customers whose result could change:

- customers whose current hits include an entry that was removed or changed, and
- customers whose names come near an added or changed entry's names. These are found the other
  way round: the touched entries (a few hundred at most) are searched in an index of the customer
  names, with a candidate floor well below the screening threshold, so a customer the forward
  screening would match is not missed.

Those customers are then screened exactly as a full re-screen would, and their hits compared with
the stored ones: a hit that appears is a `new` alert, one that disappears is `cleared`, and one on
an entry whose record changed is `changed` (with the fields).

What the delta promises: every hit on an entry the update added, changed or removed is found,
as a full re-screen would find it. What it does not look at: token weights depend on the whole
list, so adding names nudges every score a little, and a customer's score against an entry the
update did not touch can cross the threshold. That is drift of the scoring, not a list change;
bench/watch_delta.py counts it (38 customers of 100,200, 0.04 %, after a 140-entry update) and a
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

from exportguard.config import data_dir
from exportguard.errors import InputError
from exportguard.lists.history import diff_snapshots, serving_in_store
from exportguard.lists.starter import with_local_names
from exportguard.model import ListEntry, Snapshot
from exportguard.names.normalize import NameForm, han_key, name_forms
from exportguard.screening.features import score
from exportguard.screening.index import NameIndex, name_variants, phonetic, trigrams
from exportguard.screening.loaded import current_screener
from exportguard.screening.screener import Screener, validate_query
from exportguard.store import Store
from exportguard.store.watchlist import Alert, Customer, Hit, WatchlistStore, WatchRun
from exportguard.watch.customers import CustomerRecord

HITS_PER_CUSTOMER = 20
# Reverse search floor: far enough below the screening threshold (0.85) to cover the country and
# type adjustments and the difference between the two indexes' token weights.
CANDIDATE_FLOOR = 0.55
_REVERSE_CANDIDATES = 150
# A word, sound or trigram carried by at most this share of the customer names (and at least
# _RARE_AT_LEAST) is rare: sharing one selects a customer for the delta.
_RARE_SHARE = 0.001
_RARE_AT_LEAST = 20


@dataclass(slots=True)
class RescreenPlan:
    kind: str  # full | delta | none
    cause: str
    customer_ids: list[int] | None  # None: everyone
    changed_fields: dict[str, dict[str, Any]]


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
        return RescreenPlan("full", "full re-screen" if full else "first screening", None, {})
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
        ids |= reverse_candidates(customer_index(store, watch), touched)
    return RescreenPlan("delta", "; ".join(causes), sorted(ids), changed)


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


def reverse_candidates(index: NameIndex, entries: Sequence[ListEntry]) -> set[int]:
    """Ids of customers whose names share with a name of `entries` its characters, its core, or
    a rare word, sound or trigram (carried by at most `_rare(index)` customer names): a name the
    forward screening scores at the threshold shares most of the entry's rarest words, written
    the same, alike in sound, or close in spelling (which keeps most of a word's trigrams). A
    name of the entries with nothing rare (only common words) falls back to scoring its
    candidates, as all names were before (CANDIDATE_FLOOR). Posting look-ups only: no customer
    name is decoded or scored unless it falls back."""
    rare = _rare(index)
    found: list[np.ndarray] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for entry in entries:
        named = with_local_names(entry)
        for text in name_variants([named.name, *named.alt_names, *named.local_names]):
            try:
                query = validate_query(text)
            except InputError:
                continue
            key = han_key(query)
            if key:
                found.append(np.asarray(index.han_exact.get(key, ()), dtype=np.int64))
            for form in name_forms(query):
                if (form.kind, form.tokens) in seen:
                    continue
                seen.add((form.kind, form.tokens))
                found.append(np.asarray(index.exact.get(form.core, ()), dtype=np.int64))
                shared = _rare_postings(index, form, rare)
                found.extend(shared if shared else [_scored_candidates(index, form)])
    names = np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    return {int(index.entries[n].key) for n in np.unique(index.name_entry[names]).tolist()}


def _rare(index: NameIndex) -> int:
    return max(_RARE_AT_LEAST, int(len(index.name_entry) * _RARE_SHARE))


def _rare_postings(index: NameIndex, form: NameForm, rare: int) -> list[np.ndarray]:
    """The customer names on each rare posting of the form's words, sounds and trigrams."""
    keys = [(index.tokens, token) for token in set(form.tokens)]
    keys += [(index.sounds, sound) for sound in {phonetic(t) for t in form.tokens} if sound]
    keys += [(index.grams, gram) for gram in trigrams(form.compact)]
    found = []
    for postings, key in keys:
        numbers = postings.array(key)
        if numbers is not None and len(numbers) <= rare:
            found.append(numbers)
    return found


def _scored_candidates(index: NameIndex, form: NameForm) -> np.ndarray:
    weights = index.weights(form)
    numbers = index.candidates(form, _REVERSE_CANDIDATES).tolist()
    return np.asarray([n for n in numbers
                       if score(form, weights, index.names[n].form, index.name_weights[n])
                       >= CANDIDATE_FLOOR], dtype=np.int64)
