"""The audit chain's records: how one is hashed and how the next links to the head. No database
code: the full store's log (`audit.py`, SQLAlchemy) and a screen's direct SQLite append
(`store/direct.py`) both make their records here, so the two can never hash differently."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
EXPORT_FIELDS = ("seq", "at", "actor", "action", "subject", "request_id", "detail",
                 "prev_hash", "hash")


def record_hash(seq: int, at: str, actor: str, action: str, subject: str, request_id: str,
                detail: str, prev_hash: str) -> str:
    """The hash of one record: SHA-256 over a canonical JSON array of its fields."""
    payload = _compact([seq, at, actor, action, subject, request_id, detail, prev_hash])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def canonical(detail: dict[str, Any]) -> str:
    return _canonical(detail)


# json.dumps with these options, without making an encoder for each record
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_canonical = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                              default=str).encode


@dataclass(frozen=True, slots=True)
class AuditRecord:
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    request_id: str
    detail: str
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, row: Any) -> AuditRecord:
        """From a stored row (an `AuditRow` or anything with its attributes)."""
        return cls(row.seq, row.at, row.actor, row.action, row.subject, row.request_id,
                   row.detail, row.prev_hash, row.hash)

    def expected_hash(self) -> str:
        return record_hash(self.seq, self.at, self.actor, self.action, self.subject,
                           self.request_id, self.detail, self.prev_hash)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in EXPORT_FIELDS}


def next_record(head: Sequence[Any] | None, actor: str, action: str, subject: str,
                request_id: str, detail: str) -> AuditRecord:
    """The record after `head` (its sequence number and hash; None for an empty log), at the
    current time."""
    seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
    at = now()
    digest = record_hash(seq, at, actor, action, subject, request_id, detail, prev)
    return AuditRecord(seq, at, actor, action, subject, request_id, detail, prev, digest)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
