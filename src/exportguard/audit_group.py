"""Group commit of the service's decisions: the audit records (and the cases they open) of the
requests that arrive while one transaction commits go together in the next one.

One writer thread per process takes every write that appends to the audit chain (`submit`: a
function of a session, as `Cases` makes them), runs the waiting ones one after another in a
single transaction and commits once; only then is each caller's future resolved, so every answer
still goes out after its own record is committed. The records of a group are consecutive links
of the chain, made and inserted exactly as one at a time (`audit._append`: head + 1, previous
hash, the same hash), inside the store's usual guards: on SQLite the transaction holds the write
lock from its start (BEGIN IMMEDIATE), so the head it reads stays the head; on PostgreSQL a race
with another process fails on the unique sequence number and `prev_hash`, and the whole group is
run again on the new head. A transaction commits whole or not at all, so a process killed at any
moment leaves the chain as it was before the group (and none of its callers got an answer).

A work function that fails for its own reason (anything but a lost race or a locked database)
must not take the others down: the group is rolled back and each of its functions is run in a
transaction of its own, so each caller gets its own answer or its own error.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
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


class GroupWriter:
    """Runs audited write transactions, those waiting together, on one thread of its own."""

    def __init__(self, store: Store, max_group: int = MAX_GROUP) -> None:
        self.store = store
        self.max_group = max_group
        self._waiting: deque[tuple[Work, Future[Any]]] = deque()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._sqlite = store.engine.dialect.name == "sqlite"
        self.groups = 0  # transactions committed (tests, benches)
        self.records = 0  # work functions committed in them

    def submit(self, work: Work) -> Future[Any]:
        """Queue `work`; its future resolves with its result once its transaction committed."""
        future: Future[Any] = Future()
        with self._wake:
            self._waiting.append((work, future))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="audit-writer",
                                                daemon=True)
                self._thread.start()
            self._wake.notify()
        return future

    def run(self, work: Work) -> Any:
        """`submit` and wait (for callers on a thread of their own)."""
        return self.submit(work).result()

    def close(self, timeout: float | None = 30.0) -> None:
        """Commit what is waiting, then stop the thread (a later `submit` starts another)."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
        with self._wake:
            self._stopping = False

    def _loop(self) -> None:
        while True:
            with self._wake:
                while not self._waiting and not self._stopping:
                    self._wake.wait()
                if not self._waiting:
                    self._thread = None
                    return
                group = [self._waiting.popleft()
                         for _ in range(min(self.max_group, len(self._waiting)))]
            try:
                self._commit(group)
            except BaseException as exc:  # pragma: no cover - never leave a caller waiting
                log.exception("audit writer: a group failed unexpectedly")
                for _work, future in group:
                    if not future.done():
                        future.set_exception(exc)

    def _commit(self, group: list[tuple[Work, Future[Any]]]) -> None:
        for _ in range(_RETRIES):
            try:
                with self.store._sessions.begin() as session:
                    if self._sqlite:  # the write lock from the start: the head read stays it
                        session.connection().exec_driver_sql("BEGIN IMMEDIATE")
                    results = [work(session) for work, _future in group]
            except (ChainContention, OperationalError):
                time.sleep(0.002)
                continue
            except Exception as exc:
                if len(group) == 1:
                    group[0][1].set_exception(exc)
                    return
                for item in group:  # one failed on its own account: each alone
                    self._commit([item])
                return
            self.groups += 1
            self.records += len(group)
            for (_work, future), result in zip(group, results, strict=True):
                future.set_result(result)
            return
        failure = ExportGuardError("could not record the decision after repeated contention")
        for _work, future in group:
            future.set_exception(failure)
