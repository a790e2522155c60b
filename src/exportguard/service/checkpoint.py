"""The SQLite store's WAL checkpoints, out of the request path.

In WAL mode SQLite copies the log back into the database file (a checkpoint, with the file's
fsync) from within the commit that takes the log past 1,000 pages. In the service that commit is
the group commit on the event loop, so every few dozen commits one stopped the loop for the
checkpoint's writes and fsync: 20-150 ms on a loaded machine, with every request in flight
waiting (bench/service_trace.py; bench/RESULTS.md). The service turns the automatic checkpoint
off on its own connections and runs a PASSIVE checkpoint every `seconds` on a connection of its
own, in a thread: sqlite3 lets go of the interpreter lock during the copy and the fsync, so the
loop goes on serving. A passive checkpoint never waits for a writer or a reader; once the whole
log is copied the next commit starts the log again from its beginning, so the file stays small.

Durability is unchanged: a commit is in the log (and survives a killed process) before its
answer goes out, as before; the checkpoint only moves committed pages into the database file.
Other processes on the same file (the CLI) keep SQLite's automatic checkpoint.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from sqlalchemy import event

from exportguard.store import Store
from exportguard.store.direct import sqlite_file

log = logging.getLogger("exportguard.service")
CHECKPOINT_SECONDS = 0.25


def _no_autocheckpoint(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


class Checkpointer:
    """A daemon thread that checkpoints the store's WAL every `seconds` (SQLite files only:
    `for_store` gives None for any other database)."""

    def __init__(self, path: Path, seconds: float = CHECKPOINT_SECONDS) -> None:
        self.path = path
        self.seconds = seconds
        self.checkpoints = 0  # checkpoints run (tests)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)

    @classmethod
    def for_store(cls, store: Store, seconds: float = CHECKPOINT_SECONDS) -> Checkpointer | None:
        """A checkpointer for `store`, whose connections from now on leave checkpoints to it;
        None unless the store is a SQLite file."""
        path = sqlite_file(store.url)
        if path is None or store.engine.dialect.name != "sqlite":
            return None
        if not event.contains(store.engine, "connect", _no_autocheckpoint):
            event.listen(store.engine, "connect", _no_autocheckpoint)
        store.engine.dispose()  # pooled connections made before reopen with the pragma
        return cls(path, seconds)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(30)
        self.checkpoint()  # the log copied back before the process ends

    def checkpoint(self) -> None:
        """One passive checkpoint now (it copies what no reader still needs)."""
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.checkpoints += 1
        finally:
            connection.close()

    def _run(self) -> None:
        connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        try:
            while not self._stop.wait(self.seconds):
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.checkpoints += 1
                except sqlite3.Error:  # busy or locked: the next round tries again
                    log.debug("WAL checkpoint skipped", exc_info=True)
        finally:
            connection.close()
