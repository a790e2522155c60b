"""Group commit of the service's decisions: the audit records (and the cases they open) of the
requests the event loop serves together go in one transaction.

A screen or check on the API builds its answer, then hands the function that writes its case and
audit record (`Cases.recording`) to `LoopGroups.commit` and waits. The loop goes on a few rounds
serving the other requests, which queue their records the same way, then runs the queued
functions one after another in a single transaction and commits once; only then does each
caller resume and answer, so every answer still goes out after its own record is committed. The
records of a group are consecutive links of the chain, made and inserted exactly as one at a
time (`audit._append`: head + 1, previous hash, the same hash), inside the store's usual guards:
on SQLite the transaction holds the write lock from its start (BEGIN IMMEDIATE), so the head it
reads stays the head; on PostgreSQL a race with another process fails on the unique sequence
number and `prev_hash`, and the whole group is run again on the new head. A transaction commits
whole or not at all, so a process killed at any moment leaves the chain as it was before the
group (and none of its callers got an answer).

A work function that fails for its own reason (anything but a lost race or a locked database)
must not take the others down: the group is rolled back and each of its functions is run in a
transaction of its own, so each caller gets its own answer or its own error.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from exportguard.audit import ChainContention
from exportguard.errors import ExportGuardError
from exportguard.store import Store

log = logging.getLogger("exportguard.audit")
_RETRIES = 50
MAX_GROUP = 64

Work = Callable[[Session], Any]


class Outcome:
    """What one work function of a group came to: its result, or the error it raised."""

    __slots__ = ("error", "result")

    def __init__(self, result: Any = None, error: BaseException | None = None) -> None:
        self.result, self.error = result, error


class GroupStats:
    def __init__(self) -> None:
        self.groups = 0  # transactions committed (tests, benches)
        self.records = 0  # work functions committed in them


def run_group(store: Store, works: Sequence[Work], stats: GroupStats) -> list[Outcome]:
    """Run `works` one after another in one transaction and commit it. A lost race or a locked
    database runs the whole group again (on the new head); a work function failing for its own
    reason rolls the group back and runs each alone, so each gets its own outcome."""
    sqlite = store.engine.dialect.name == "sqlite"
    for _ in range(_RETRIES):
        try:
            with store._sessions.begin() as session:
                if sqlite:  # the write lock from the start: the head it reads stays the head
                    session.connection().exec_driver_sql("BEGIN IMMEDIATE")
                results = [work(session) for work in works]
        except (ChainContention, OperationalError):
            time.sleep(0.002)
            continue
        except Exception as exc:
            if len(works) == 1:
                return [Outcome(error=exc)]
            return [run_group(store, [work], stats)[0] for work in works]
        stats.groups += 1
        stats.records += len(works)
        return [Outcome(result) for result in results]
    failure = ExportGuardError("could not record the decision after repeated contention")
    return [Outcome(error=failure) for _ in works]


def _resolve(future: asyncio.Future[Any], outcome: Outcome) -> None:
    if future.done():
        return
    if outcome.error is not None:
        future.set_exception(outcome.error)
    else:
        future.set_result(outcome.result)


class LoopGroups(GroupStats):
    """Group commit on the event loop, without a thread: `commit` queues the work and lets the
    loop run `hops` more rounds, so the requests it serves meanwhile reach their own records,
    then one transaction commits all those queued. The transaction holds the loop as a single
    request's did before, once for the whole group; each caller resumes after the commit."""

    def __init__(self, store: Store, max_group: int = MAX_GROUP, hops: int = 2) -> None:
        super().__init__()
        self.store = store
        self.max_group = max_group
        self.hops = hops
        # Per event loop (a test client runs the app on a loop of its own): what waits, and
        # whether a flush is scheduled.
        self._waiting: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, list[tuple[Work, asyncio.Future[Any]]]
        ] = weakref.WeakKeyDictionary()
        self._scheduled: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()

    async def commit(self, work: Work) -> Any:
        """Queue `work`; its result once the transaction holding it committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._waiting.setdefault(loop, []).append((work, future))
        if loop not in self._scheduled:
            self._scheduled.add(loop)
            loop.call_soon(self._flush, loop, self.hops)
        return await future

    def _flush(self, loop: asyncio.AbstractEventLoop, hops: int) -> None:
        waiting = self._waiting.setdefault(loop, [])
        if hops > 0 and len(waiting) < self.max_group:
            loop.call_soon(self._flush, loop, hops - 1)
            return
        group = waiting[:self.max_group]
        del waiting[:self.max_group]
        if waiting:
            loop.call_soon(self._flush, loop, 0)
        else:
            self._scheduled.discard(loop)
        try:
            outcomes = run_group(self.store, [work for work, _ in group], self)
        except BaseException as exc:  # pragma: no cover - never leave a caller waiting
            log.exception("audit group commit failed unexpectedly")
            outcomes = [Outcome(error=exc) for _ in group]
        for (_work, future), outcome in zip(group, outcomes, strict=True):
            _resolve(future, outcome)
