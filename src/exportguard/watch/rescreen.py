"""Re-screening the watchlist when the lists change, and the alerts it raises.

A full re-screen screens every customer against the lists in force. A delta re-screen, after new
snapshots replace old ones, looks only at the customers whose result could change:

- customers whose current hits include an entry that was removed or changed, and
- customers who could have a hit on an added or changed entry in a full re-screen: found for all
  customers at once from their names' forms kept between runs (`watch/kept.py`), by the lookup
  keys of names in characters and pinyin, words written together, and an upper bound of the
  score against each touched name that must reach the threshold less a country's bonus
  (`watch/select.py`). The choice only ever widens: a customer not chosen has no hit on a
  touched entry in a full re-screen.

The customers chosen are screened against the touched entries only (`delta_screen`): candidates
come from the whole new index, as in a full re-screen, and only touched names are scored, so
their hits and scores are the full re-screen's (a name in characters, whose readings in Japanese
or Korean depend on what the whole index finds, is screened in full and its hits on touched
entries kept). Hits on removed or changed entries go. Hits on untouched entries stay as they
were scored against the old snapshot: the delta keeps the old snapshot's token statistics for
them. The hits are compared with the stored ones: a hit that appears is a `new` alert, one that
disappears is `cleared`, and one on an entry whose record changed is `changed` (with the fields).

What the delta promises: every customer's hits on the entries the update added, changed or
removed are those a full re-screen finds, with their scores. What it does not look at: token
weights depend on the whole list, so adding names nudges every score a little, and the new names
can push an untouched name out of a customer's candidates; a customer's score against an entry
the update did not touch can cross the threshold. That is drift of the scoring, not a list
change; bench/watch_delta.py and tests/test_watch.py count it, and a scheduled `customers
rescreen --full` picks it up.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from exportguard.errors import InputError
from exportguard.lists.history import diff_snapshots, serving_in_store
from exportguard.model import ListEntry, Snapshot
from exportguard.names.normalize import NameForm, has_han, name_forms
from exportguard.names.query import QueryPart
from exportguard.screening.forms_cache import one_fingerprint
from exportguard.screening.index import (
    IndexedName,
    NameIndex,
    name_variants,
)
from exportguard.screening.loaded import current_screener
from exportguard.screening.screener import Match, Screener
from exportguard.store import Store
from exportguard.store.watchlist import Alert, Customer, Hit, WatchlistStore, WatchRun
from exportguard.watch.customers import CustomerRecord
from exportguard.watch.kept import KeptForms, load_kept
from exportguard.watch.select import chosen_customers, member, touched_names

HITS_PER_CUSTOMER = 20


@dataclass(slots=True)
class RescreenPlan:
    kind: str  # full | delta | none
    cause: str
    customer_ids: list[int] | None  # None: everyone
    changed_fields: dict[str, dict[str, Any]]
    touched: tuple[ListEntry, ...] = ()  # delta: the entries added or changed
    gone: frozenset[str] = frozenset()  # delta: keys of the entries removed or changed
    chosen: frozenset[int] = frozenset()  # delta: the customers screened (the rest lose hits)
    touched_numbers: frozenset[int] = frozenset()  # delta: the touched entries' index numbers


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
    kept_customer_forms(store, watch, screener.index)  # now, so the delta after an update is quick
    return run, removed


def rescreen(store: Store, *, full: bool = False, cause: str | None = None) -> WatchRun | None:
    """Re-screen after the lists changed: the delta when it can be worked out, else everyone.
    None when the watchlist is empty or the lists have not changed since the last run."""
    watch = WatchlistStore(store)
    if watch.customer_count() == 0:
        return None
    with one_fingerprint():  # asked by the index's cache key and by the kept forms
        return _rescreen(store, watch, full, cause)


def _rescreen(store: Store, watch: WatchlistStore, full: bool, cause: str | None
              ) -> WatchRun | None:
    started, clock = datetime.now(UTC), time.monotonic()
    screener = current_screener(store)
    plan = plan_rescreen(store, watch, screener, full)
    if plan.kind == "none":
        return None
    customers = watch.customers(plan.customer_ids)
    old = watch.hits([c.id for c in customers] if plan.customer_ids is not None else None)
    if plan.kind == "delta":
        screened = delta_screen(screener, customers, old, plan.touched, plan.gone,
                                chosen=plan.chosen, numbers=plan.touched_numbers)
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
    numbers: set[int] = set()
    for source, after in new_by_source.items():
        before = old_by_source[source]
        if before.id == after.id:
            continue
        diff = diff_snapshots(store, before.id, after.id)
        causes.append(f"{source} #{before.id}->#{after.id}: {len(diff.added)} added, "
                      f"{len(diff.removed)} removed, {len(diff.changed)} changed")
        touched.extend(diff.touched)
        numbers.update(_entry_numbers(screener.index, diff.touched, diff.positions))
        gone.update(e.key for e in diff.removed)
        for change in diff.changed:
            changed[change.key] = change.fields
            gone.add(change.key)
    ids = watch.customers_hitting(gone)
    chosen: set[int] = set()
    if touched:
        chosen = chosen_customers(kept_customer_forms(store, watch, screener.index),
                                  screener.index,
                                  touched_names(screener.index, _array(frozenset(numbers))),
                                  watch.customers)
    return RescreenPlan("delta", "; ".join(causes), sorted(ids | chosen), changed,
                        tuple(touched), frozenset(gone), frozenset(chosen), frozenset(numbers))


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
    chosen: frozenset[int] | None = None, numbers: frozenset[int] | None = None,
) -> dict[int, dict[str, Hit]]:
    """The customers' hits after an update, without screening them against the untouched
    entries: their hits on untouched entries stay as scored against the old snapshot (its
    token statistics), those on removed or changed entries go, and the hits of the `chosen`
    customers (all when None) on the added and changed entries are found by screening them
    with `_TouchedScreener`, which finds candidates in the whole new index as a full screening
    does and scores only touched names, so those hits and scores are the full re-screen's. A
    name in characters is screened in full (whether it is also read in Japanese or Korean
    depends on what the whole index finds) and its hits on touched entries kept."""
    touched = frozenset(e.key for e in touched_entries)
    screened = [c for c in customers if chosen is None or c.id in chosen]
    plain = [c for c in screened if not has_han(c.name)]
    written = [c for c in screened if has_han(c.name)]
    if len(screened) >= _MANY:
        _look_ups(screener.index, exact=len(written) >= _FEW)
    found = screen_customers(_TouchedScreener(screener, touched_entries, numbers), plain) \
        if plain else {}
    if written:
        found.update(screen_customers(_Unexplained(screener.index, screener.snapshots,
                                                   starter_only=screener.starter_only,
                                                   on=screener.on, in_force=screener.in_force),
                                      written))
    out: dict[int, dict[str, Hit]] = {}
    for customer in customers:
        kept = {key: hit for key, hit in old.get(customer.id, {}).items()
                if key not in gone and key not in touched}
        kept.update((key, hit) for key, hit in found.get(customer.id, {}).items()
                    if key in touched)
        if len(kept) > HITS_PER_CUSTOMER:
            best = sorted(kept.values(), key=lambda h: -h.score)[:HITS_PER_CUSTOMER]
            kept = {hit.entry_key: hit for hit in best}
        out[customer.id] = kept
    return out


_MANY = 16  # customers screened: then the index's look-ups are made dictionaries first
_FEW = 4  # customers in characters screened in full: then the exact cores' dictionary too


def _look_ups(index: NameIndex, *, exact: bool) -> None:
    """The dictionaries of the postings every screen looks words up in. An index read from its
    file first searches its encoded keys for each word (right for a few screens); for dozens
    of screens, decoding the keys once costs less (tokens: 3 ms against 19 ms for 64 words).
    The exact cores' (15-20 ms: 50,000 keys) only when customers in characters are screened
    in full: the others are screened against the touched names' cores (`_TouchedIndex`)."""
    for postings in (index.tokens, index.sounds, *((index.exact,) if exact else ())):
        postings.slots  # noqa: B018 (made on first use)


class _Unexplained(Screener):
    """A screener whose matches carry their scores and no explanation (`Screener._match`
    explains each match shown, some tenth of a screen with hits): a re-screen stores the hits'
    scores only. The scores are those `Screener.screen` computes before it explains them."""

    def _match(self, value: float, form: NameForm, number: int, exact: Any,
               code: str | None, part: QueryPart) -> Match:
        name = self.index.names[number]
        return Match(self.index.entries[name.entry], value, name.text, name.origin, form.text,
                     form.kind, [])


class _TouchedScreener(_Unexplained):
    """The screener of the new lists, scoring only the names of the touched entries. Its index
    is the new one, whose `candidates` keeps, of the names the whole index selects for a query,
    only the touched ones: the same names are scored as when the others are dropped later, and
    no bound is computed for the others."""

    def __init__(self, screener: Screener, touched: Sequence[ListEntry],
                 numbers: frozenset[int] | None = None) -> None:
        self._touched = numbers if numbers is not None else _entry_numbers(screener.index,
                                                                           touched)
        index = _TouchedIndex(screener.index, self._touched)
        super().__init__(index, screener.snapshots,  # type: ignore[arg-type]
                         starter_only=screener.starter_only, on=screener.on,
                         in_force=screener.in_force)

    def _wanted(self, name: IndexedName, lists: frozenset[str] | None) -> bool:
        return name.entry in self._touched and super()._wanted(name, lists)


class _TouchedIndex:
    """A NameIndex whose `candidates` are those of the whole index that belong to touched
    entries, and whose exact cores are those of the touched names (the screener scores only
    touched names, so a core's other names were dropped later); everything else is the
    index's own."""

    def __init__(self, index: NameIndex, entries: frozenset[int]) -> None:
        self._index = index
        self._touched = member(index.name_entry, _array(entries))  # a flag per name
        self.exact = index.exact.flagged(self._touched)

    def candidates(self, form: NameForm, limit: int) -> np.ndarray:
        found = self._index.candidates(form, limit)
        return found[self._touched.take(found)]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)


def _entry_numbers(index: NameIndex, entries: Sequence[ListEntry],
                   positions: dict[str, list[int]] | None = None) -> frozenset[int]:
    """The index's numbers of these entries: where `positions` gives their rows' positions in
    their snapshot (`SnapshotDiff.positions`), at the place of the snapshot's first entry in
    the index plus those positions, each checked to hold the key; else found through their
    names' cores (a few postings), else by reading every entry."""
    keys = {e.key for e in entries}
    if positions and keys <= positions.keys():
        placed = _by_position(index, entries, positions)
        if placed is not None:
            return placed
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


def _by_position(index: NameIndex, entries: Sequence[ListEntry],
                 positions: dict[str, list[int]]) -> frozenset[int] | None:
    """`_entry_numbers` from the rows' positions: the index holds a snapshot's entries in row
    order (`loaded.screener_for`), after those of the snapshots before it. Where the snapshot
    starts is found from one entry held by one row; None when that fails or a number found
    does not hold its key (a snapshot some of whose lists another one serves)."""
    probe = next((e for e in entries if len(positions[e.key]) == 1), None)
    if probe is None:
        return None
    start = [n - positions[probe.key][0] for n in _entry_numbers(index, [probe])]
    if len(start) != 1 or start[0] < 0:
        return None
    found = [(start[0] + at, e.key) for e in entries for at in positions[e.key]]
    size = len(index.entries)
    if any(n >= size or index.entries[n].key != key for n, key in found):
        return None
    return frozenset(n for n, _key in found)


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


# --- the customers' kept forms ----------------------------------------------------------------


def kept_customer_forms(store: Store, watch: WatchlistStore, index: NameIndex) -> KeptForms:
    """The customers' names as the screener reads them (`watch/kept.py`), kept in the data
    directory until the customers change (their glued words split against `index`'s words
    when made)."""
    return load_kept(store.url, watch.version(), watch.customers, index.token_weight)


def _array(numbers: frozenset[int]) -> np.ndarray:
    return np.fromiter(numbers, dtype=np.int64, count=len(numbers))
