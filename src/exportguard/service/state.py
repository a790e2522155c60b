"""What one service process holds: the store, the screeners it serves from, its limits, the key
cache and the per-key rate limiter (its buckets shared through the database).

Screeners are built once and shared by every request. Every few seconds a request asks the store
whether a snapshot or a company was added (two cheap queries); if so the screeners in use are
built again while the old ones go on serving, and swapped in at once when ready: a background
thread has a child process build each index and write its cache file (`screening/prebuild.py`),
then opens the file, so the indexing does not hold this process's interpreter lock; the set of
company names in the ownership graph is read again. Keys are looked up once and cached for a
few seconds, so revoking a key takes effect within `KEY_CACHE_SECONDS` in every process.

The rate limit is a token bucket per key kept in the database, so it holds across
`serve --workers N` and replicas; a process leases a few tokens at a time to spare writes.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from exportguard.access import Access, Principal
from exportguard.audit import AuditLog
from exportguard.audit_group import LoopGroups
from exportguard.cases import Cases
from exportguard.errors import InputError
from exportguard.lists.loader import ensure_starter
from exportguard.screening import Screener
from exportguard.screening.loaded import history_screener, screener_for
from exportguard.screening.prebuild import build_elsewhere
from exportguard.store import Store, ratelimit
from exportguard.store.ownership import OwnershipStore, company_key
from exportguard.store.tables import CompanyRow, SnapshotRow

log = logging.getLogger("exportguard.service")
KEY_CACHE_SECONDS = 5.0
GENERATION_CHECK_SECONDS = 5.0
_DATED_SCREENERS = 4
_WARM_NAMES = ("Acme Trading Co., Ltd.", "华为技术有限公司", "ソニーグループ株式会社",
               "삼성전자 주식회사",
               "Общество с ограниченной ответственностью Ромашка")


@dataclass(frozen=True, slots=True)
class Limits:
    """Request limits; each can be set with an environment variable of the same name in capitals
    prefixed `EXPORTGUARD_` (e.g. EXPORTGUARD_MAX_BODY_BYTES)."""

    max_body_bytes: int = 1_000_000
    max_batch_rows: int = 10_000
    max_running_batches: int = 2  # per key: a further batch is 429 until one finishes
    max_export_records: int = 200_000  # per audit export: a wider range is 413
    rate_per_second: float = 100.0
    burst_seconds: float = 2.0
    body_seconds: float = 10.0  # a body not fully sent by then is refused with 408
    anchor_seconds: float = 60.0  # how often the audit head is written to the anchor file

    @classmethod
    def from_env(cls) -> Limits:
        values: dict[str, float | int] = {}
        for name, kind in (("max_body_bytes", int), ("max_batch_rows", int),
                           ("max_running_batches", int), ("max_export_records", int),
                           ("rate_per_second", float), ("burst_seconds", float),
                           ("body_seconds", float), ("anchor_seconds", float)):
            text = os.environ.get(f"EXPORTGUARD_{name.upper()}")
            if text is None:
                continue
            try:
                value = kind(text)
            except ValueError:
                raise InputError(f"EXPORTGUARD_{name.upper()}", f"'{text}' is not a number") \
                    from None
            if value <= 0:
                raise InputError(f"EXPORTGUARD_{name.upper()}", "must be above 0")
            values[name] = value
        return cls(**values)  # type: ignore[arg-type]


class RateLimiter:
    """A token bucket per key: `rate` tokens a second, up to `rate * burst_seconds` saved. The
    bucket is in the database, shared by every process (`store/ratelimit.py`); this process
    claims a lease of up to a tenth of a second's tokens at a time and spends it locally, and
    after a refusal answers locally until a token is due."""

    def __init__(self, limits: Limits, store: Store) -> None:
        self.limits = limits
        self.store = store
        self._local: dict[int, tuple[int, float]] = {}  # key: (leased tokens left, wait until)
        self._lock = threading.Lock()

    def rate_of(self, principal: Principal) -> tuple[float, float]:
        """The key's rate (units a second) and its burst (units saved at most)."""
        rate = principal.rate_per_second or self.limits.rate_per_second
        return rate, max(1.0, rate * self.limits.burst_seconds)

    def charged(self, principal: Principal, cost: int) -> int:
        """What a request of `cost` units is charged: at most the key's whole burst."""
        return max(1, min(int(cost), int(self.rate_of(principal)[1])))

    def take(self, principal: Principal, cost: int = 1) -> float | None:
        """None when the request (of `cost` units, see service/costs.py) may go ahead, else the
        seconds to wait."""
        rate, capacity = self.rate_of(principal)
        cost = self.charged(principal, cost)
        now = time.time()
        key = principal.key_id
        with self._lock:
            left, until = self._local.get(key, (0, 0.0))
            if left >= cost:
                self._local[key] = (left - cost, 0.0)
                return None
            if now < until:
                return until - now
        lease = max(1, min(int(capacity // 4), int(rate // 10)))
        granted, wait = ratelimit.claim(self.store, key, max(lease, cost), rate, capacity, now,
                                        least=cost)
        with self._lock:
            left = self._local.get(key, (0, 0.0))[0]
            self._local[key] = (left + granted - cost, 0.0) if granted else (left, now + wait)
        return None if granted else wait


class ServiceState:
    def __init__(self, store: Store, limits: Limits | None = None, *,
                 freeze_heap: bool = False) -> None:
        self.store = store
        self.frozen = freeze_heap  # gc.freeze() after each build of the screeners
        self.limits = limits or Limits.from_env()
        self.access = Access(store)
        self.audit = AuditLog(store)
        self.groups = LoopGroups(store)  # the API's decisions, committed in groups
        self.cases = Cases(store, self.audit, self.groups)
        self.rate = RateLimiter(self.limits, store)
        self._lock = threading.Lock()
        self._building = threading.Lock()
        self._generation: tuple[int, int, int, int] | None = None
        self._checked = 0.0
        self._screeners: OrderedDict[tuple[date | None, bool], Screener] = OrderedDict()
        self._keys: dict[str, tuple[Principal | None, float]] = {}
        self._companies: frozenset[str] = frozenset()
        self._history: Screener | None = None
        self._stale = False
        self._rebuilding: threading.Thread | None = None
        ensure_starter(store)

    def screener(self, day: date | None = None, *, filter_dates: bool = True) -> Screener:
        """The screener for the lists as they stood on `day` (None: the latest)."""
        self._refresh()
        key = (day, filter_dates if day is not None else True)
        with self._lock:
            found = self._screeners.get(key)
            if found is not None:
                self._screeners.move_to_end(key)
                return found
        with self._building:  # one build at a time: concurrent requests wait for it
            with self._lock:
                found = self._screeners.get(key)
            if found is not None:
                return found
            built = screener_for(self.store, day, filter_dates=filter_dates)
            with self._lock:
                self._screeners[key] = built
                while len(self._screeners) > _DATED_SCREENERS + 1:
                    oldest = next(k for k in self._screeners if k[0] is not None)
                    del self._screeners[oldest]
            if self.frozen:
                self._warm(built)
                self.freeze_heap()
        return built

    def history_screener(self) -> Screener:
        """The screener over every entry ever loaded (`history`), built once per set of
        snapshots and shared by every request."""
        self._refresh()
        found = self._history
        if found is not None:
            return found
        with self._building:
            if self._history is None:
                self._history = history_screener(self.store)
                if self.frozen:
                    self.freeze_heap()
            return self._history

    def ready(self, day: date | None, *, filter_dates: bool = True) -> bool:
        """Whether the screener for `day` is built (and the lists have not changed since)."""
        if time.monotonic() - self._checked >= GENERATION_CHECK_SECONDS:
            return False  # the refresh may drop it: let a thread find out
        return (day, filter_dates if day is not None else True) in self._screeners

    def principal(self, secret: str | None) -> Principal | None:
        if not secret:
            return None
        now = time.monotonic()
        cached = self._keys.get(secret)
        if cached is not None and cached[1] > now:
            return cached[0]
        found = self.access.authenticate(secret)
        if len(self._keys) > 10_000:
            self._keys.clear()
        self._keys[secret] = (found, now + KEY_CACHE_SECONDS)
        return found

    def in_graph(self, name: str) -> bool:
        """Whether the ownership graph may hold a company of this name (any country): a set
        lookup that spares the two graph queries for the names it does not hold."""
        self._refresh()
        return company_key(name).removesuffix("|") in self._companies

    def forget_keys(self) -> None:
        self._keys.clear()

    def _refresh(self) -> None:
        """Notice, every few seconds, a snapshot or a company added or removed. New lists are
        indexed in the background (`_rebuild`) while the old screeners go on serving; the set
        of company names is read at once (one query)."""
        now = time.monotonic()
        if now - self._checked < GENERATION_CHECK_SECONDS and self._generation is not None:
            return
        self._checked = now
        with self.store._sessions() as session:
            row = session.execute(select(func.count(), func.max(SnapshotRow.id))).one()
            graph = session.execute(select(func.count(), func.max(CompanyRow.id))).one()
        generation = (int(row[0] or 0), int(row[1] or 0), int(graph[0] or 0),
                      int(graph[1] or 0))
        with self._lock:
            previous = self._generation
            lists_changed = previous is not None and generation[:2] != previous[:2]
            if previous is None or generation[2:] != previous[2:]:
                self._companies = frozenset(
                    company_key(name).removesuffix("|")
                    for _id, name in OwnershipStore(self.store).names())
            self._generation = generation
            if lists_changed:
                self._stale = True
                if self._rebuilding is None or not self._rebuilding.is_alive():
                    self._rebuilding = threading.Thread(target=self._rebuild,
                                                        name="index-rebuild", daemon=True)
                    self._rebuilding.start()

    @staticmethod
    def _warm(screener: Screener) -> None:
        """Screen a name in each script once, so the readers' dictionaries loaded on first use
        (Chinese segmentation and readings, Japanese, Korean) are in the heap that is frozen."""
        for name in _WARM_NAMES:
            screener.screen(name)

    def freeze_heap(self) -> None:
        """Collect, then freeze every object alive (`gc.freeze`): the screeners' heap is no
        longer walked by each full collection (a pause of the whole process, 0.4-0.7 s on a
        loaded machine). After a rebuild the frozen objects are unfrozen and collected once, so
        the old screeners' cycles are freed: one pause per list update instead of one whenever
        the collector chose."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def settle(self, timeout: float | None = None) -> None:
        """Look for new lists now and wait until their screeners serve (tests, benches)."""
        self._checked = 0.0
        self._refresh()
        thread = self._rebuilding
        if thread is not None:
            thread.join(timeout)

    def _rebuild(self) -> None:
        """Build the screeners in use (and the history index, if built) over the lists now in
        the store, then swap them in at once; until then the old ones serve. Runs again if the
        lists changed meanwhile."""
        while True:
            with self._lock:
                if not self._stale:
                    self._rebuilding = None
                    return
                self._stale = False
                keys = list(self._screeners)
                had_history = self._history is not None
            try:
                # Indexing is pure Python: done in a child process (its cache file then opens
                # here in milliseconds), this process keeps its interpreter for the screens.
                for day, filter_dates in keys:
                    build_elsewhere(self.store.url, day, filter_dates)
                if had_history:
                    build_elsewhere(self.store.url, None, history=True)
                fresh = {key: screener_for(self.store, key[0], filter_dates=key[1])
                         for key in keys}
                history = history_screener(self.store) if had_history else None
            except Exception:  # the old screeners keep serving; the next check tries again
                log.exception("rebuilding the screeners failed; the previous lists still serve")
                with self._lock:
                    self._generation = None
                    self._rebuilding = None
                return
            with self._lock:
                self._screeners.update(fresh)
                if had_history:
                    self._history = history
            rebuilt = len(fresh)
            del fresh, history
            if self.frozen:
                self.freeze_heap()
            log.info("screeners rebuilt for %d date(s) over the new lists", rebuilt)
