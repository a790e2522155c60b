"""The audit chain's anchor: its head (sequence number and hash) written outside the database.

A hash chain shows every edit and deletion inside it, but not the loss of its newest records.
The service appends the head to an anchor file every `EXPORTGUARD_ANCHOR_SECONDS` (60) when it
moved; the operator can ship the file elsewhere (a write-once bucket, a log collector). `audit
verify` checks the chain against every anchor written for this database: a chain that ends
before one, or no longer carries its hash, has lost records.

The file is JSON Lines, one short line per anchor, appended with O_APPEND in one write, so several
service processes can share it. Its place is `EXPORTGUARD_AUDIT_ANCHOR`, else
`audit-anchor.jsonl` in the data directory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from exportguard.audit import AuditLog, Verification
from exportguard.config import data_dir
from exportguard.errors import InputError

ANCHOR_SECONDS = 60.0
log = logging.getLogger("exportguard.service")


@dataclass(frozen=True, slots=True)
class Anchor:
    seq: int
    hash: str
    at: str
    database: str

    @property
    def head(self) -> str:
        return f"{self.seq}:{self.hash}"


def anchor_path() -> Path:
    given = os.environ.get("EXPORTGUARD_AUDIT_ANCHOR", "").strip()
    return Path(given).expanduser() if given else data_dir() / "audit-anchor.jsonl"


def database_id(url: str) -> str:
    """Which database an anchor speaks for, without writing its URL (and password) down."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def write_anchor(path: Path, url: str, seq: int, digest: str) -> Anchor:
    anchor = Anchor(seq, digest, datetime.now(UTC).isoformat(timespec="seconds"),
                    database_id(url))
    line = json.dumps({"seq": seq, "hash": digest, "at": anchor.at,
                       "database": anchor.database}) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(handle, line.encode())
        os.fsync(handle)
    finally:
        os.close(handle)
    return anchor


def read_anchors(path: Path, url: str) -> list[Anchor]:
    """Every anchor of this database in the file, oldest first. All count: after a truncation
    the service goes on anchoring the shorter chain, and only an older anchor still tells."""
    if not path.exists():
        return []
    wanted = database_id(url)
    found: list[Anchor] = []
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
                anchor = Anchor(int(data["seq"]), str(data["hash"]), str(data["at"]),
                                str(data["database"]))
            except (ValueError, KeyError, TypeError):
                raise InputError("anchor", f"{path} line {number} is not an anchor "
                                 "record") from None
            if anchor.database == wanted:
                found.append(anchor)
    return found


def verify_anchored(log: AuditLog, head: str | None = None,
                    path: Path | None = None) -> Verification:
    """Walk the chain (`log.verify`), checking it still carries every anchor in the file; the
    report names the newest anchor."""
    path = path or anchor_path()
    anchors = read_anchors(path, log.store.url)
    report = log.verify(head, {a.seq: a.hash for a in anchors})
    if anchors:
        newest = anchors[-1]
        report.anchor = (f"{newest.head} (written {newest.at} to {path}; {len(anchors):,} "
                         f"anchor{'' if len(anchors) == 1 else 's'} checked)")
    return report


class Anchoring:
    """A daemon thread that writes the head whenever it moved, every `seconds`."""

    def __init__(self, head: Callable[[], tuple[int, str]], url: str, path: Path | None = None,
                 seconds: float = ANCHOR_SECONDS) -> None:
        self._head = head
        self._url = url
        self.path = path or anchor_path()
        self._seconds = seconds
        self._stop = threading.Event()
        self._written: tuple[int, str] | None = None
        self._thread = threading.Thread(target=self._run, name="audit-anchor", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.write()

    def write(self) -> None:
        seq, digest = self._head()
        if seq and (seq, digest) != self._written:
            write_anchor(self.path, self._url, seq, digest)
            self._written = (seq, digest)

    def _run(self) -> None:
        while not self._stop.wait(self._seconds):
            try:
                self.write()
            except Exception:  # a failed anchor must not stop the service; the log says why
                log.exception("audit anchor not written to %s", self.path)
