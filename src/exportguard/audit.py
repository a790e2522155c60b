"""The audit trail: an append-only, hash-chained log of every decision and every case action.

Each record holds the SHA-256 of its predecessor (`prev_hash`) and its own `hash`, computed over
its sequence number, time, actor, action, subject, request id, detail and `prev_hash`. Editing a
record breaks its hash; deleting one breaks the next record's `prev_hash`; inserting one breaks
both. Sequence numbers are assigned as predecessor + 1 and are the primary key, and `prev_hash` is
unique, so two writers (threads, processes, service replicas on one PostgreSQL) racing for the
same predecessor cannot fork the chain: one insert fails and is retried on the new head.

What a chain cannot show on its own is the loss of its newest records (truncation). `verify`
prints the head (sequence number and hash); the service writes it to an anchor file outside the
database (`audit_anchor.py`), and `verify` checks the chain against that file's highest anchor;
a head kept anywhere else (a ticket, the previous export's sign-off) can be passed with `--head`. An
export carries the hash before its first record and the hash of its last, so a regulator can
check it against the live log or against the next export.

15 CFR 762.6 asks for export records to be kept five years; nothing here ever deletes a record.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from exportguard.audit_chain import (
    EXPORT_FIELDS,
    GENESIS,
    AuditRecord,
    canonical,
    next_record,
)
from exportguard.audit_chain import now as _now
from exportguard.errors import ExportGuardError, InputError
from exportguard.store import Store
from exportguard.store.tables import AuditRow

_RETRIES = 50
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TABLE = AuditRow.__table__
_HEAD = select(_TABLE.c.seq, _TABLE.c.hash).order_by(_TABLE.c.seq.desc()).limit(1)
_INSERT = insert(_TABLE)
# session.info: (transaction, (seq, hash) last appended, its connection, raw statements)
_KEPT_HEAD = "exportguard.audit_head"


@dataclass(slots=True)
class Verification:
    """What `verify` found: the records read, the head, and every break in the chain."""

    records: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)
    anchor: str | None = None  # the anchor checked against, when there was one

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "records": self.records, "head_seq": self.head_seq,
                "head_hash": self.head_hash, "head": f"{self.head_seq}:{self.head_hash}",
                "anchor": self.anchor, "problems": self.problems}


class AuditLog:
    def __init__(self, store: Store) -> None:
        self.store = store

    def append(self, actor: str, action: str, subject: str, request_id: str,
               detail: dict[str, Any], *, session: Session | None = None) -> AuditRecord:
        """Append one record at the head of the chain. With `session`, the record joins the
        caller's transaction (a case decision and its record commit or fail together) and a
        lost race surfaces as `ChainContention` for the caller to retry the whole transaction."""
        text = canonical(detail)
        if session is not None:
            return _append(session, actor, action, subject, request_id, text)
        for _ in range(_RETRIES):
            try:
                with self.store._sessions.begin() as own:
                    return _append(own, actor, action, subject, request_id, text)
            except (ChainContention, OperationalError):
                time.sleep(0.002)
                continue
        raise ExportGuardError("audit log: could not append after repeated contention")

    def head(self) -> tuple[int, str]:
        with self.store._sessions() as session:
            row = session.execute(
                select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)
            ).first()
        return (row[0], row[1]) if row else (0, GENESIS)

    def count(self) -> int:
        with self.store._sessions() as session:
            return session.scalar(select(func.count()).select_from(AuditRow)) or 0

    def count_between(self, start: date, end: date) -> int:
        """How many records fall in [start, end] (whole UTC days)."""
        query = select(func.count()).select_from(AuditRow).where(
            AuditRow.at >= _day_start(start), AuditRow.at < _day_start(end + timedelta(days=1)))
        with self.store._sessions() as session:
            return session.scalar(query) or 0

    def records(self, start: date | None = None, end: date | None = None, *,
                after_seq: int = 0, limit: int | None = None,
                newest_first: bool = False) -> Iterator[AuditRecord]:
        """Records whose time falls in [start, end] (whole UTC days), in chain order."""
        query = select(AuditRow).where(AuditRow.seq > after_seq)
        if start is not None:
            query = query.where(AuditRow.at >= _day_start(start))
        if end is not None:
            query = query.where(AuditRow.at < _day_start(end + timedelta(days=1)))
        query = query.order_by(AuditRow.seq.desc() if newest_first else AuditRow.seq)
        if limit is not None:
            query = query.limit(limit)
        with self.store._sessions() as session:
            for row in session.scalars(query.execution_options(yield_per=2000)):
                yield AuditRecord.of(row)

    def verify(self, head: str | None = None,
               anchors: dict[int, str] | None = None) -> Verification:
        """Walk the whole chain; `head` ("SEQ:HASH", as `verify` printed it earlier) and every
        anchor (sequence number: hash, from the anchor file) must still be on it, which
        detects records removed from the end or replaced after a truncation."""
        given = dict(anchors or {})
        if head is not None:
            seq, digest = _parse_head(head)
            given[seq] = digest
        replaced: list[str] = []

        def walk() -> Iterator[AuditRecord]:
            for record in self.records():
                digest = given.get(record.seq)
                if digest is not None and digest != record.hash:
                    replaced.append(f"record #{record.seq} does not carry the hash it was "
                                    f"anchored with ({digest[:12]}…): records were removed and "
                                    "others written in their place")
                yield record

        report = verify_records(walk(), GENESIS)
        report.problems.extend(replaced)
        beyond = max((seq for seq in given if seq > report.head_seq), default=None)
        if beyond is not None:
            report.problems.append(
                f"the chain ends at #{report.head_seq} but #{beyond} was anchored (or given as "
                "the head): records have been removed from the end")
        return report

    def extract(self, start: date, end: date, fmt: str = "csv") -> Extract:
        """The records of [start, end] rendered as CSV (cells neutralised) or JSON Lines, after
        verifying the whole chain. A broken chain is refused (`ChainBroken`): an export must not
        launder a tampered log. What the CLI, the API and the pages export."""
        if end < start:
            raise InputError("to", f"{end} is before from {start}")
        if fmt not in ("csv", "jsonl"):
            raise InputError("format", f"must be csv or jsonl, got '{fmt}'")
        check = self.verify()
        if not check.ok:
            raise ChainBroken(check)
        rows = list(self.records(start, end))
        buffer = io.StringIO()
        if fmt == "csv":
            write_csv(buffer, EXPORT_FIELDS, (r.to_dict() for r in rows))
        else:
            buffer.writelines(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in rows)
        return Extract(start, end, fmt, rows, buffer.getvalue(), check)

    def record_export(self, actor: str, request_id: str, extract: Extract,
                      **detail: Any) -> None:
        """An export is itself an audited action."""
        self.append(actor, "audit.export", f"{extract.start}..{extract.end}", request_id,
                    {"from": extract.start.isoformat(), "to": extract.end.isoformat(),
                     "records": len(extract.records), "format": extract.fmt, **detail})

    def export(self, path: Path, start: date, end: date, *, exported_by: str,
               fmt: str | None = None) -> dict[str, Any]:
        """Write the records of [start, end] and a sign-off beside them (`PATH.signoff.json`):
        count, first and last sequence numbers, the hash before the first record (anchor) and
        of the last, the SHA-256 of the file, and the result of verifying the whole chain."""
        found = self.extract(start, end,
                             fmt or ("csv" if path.suffix.lower() == ".csv" else "jsonl"))
        rows = found.records
        temporary = path.with_name(path.name + ".part")
        temporary.write_text(found.text, encoding="utf-8", newline="")
        os.replace(temporary, path)
        signoff = {
            "file": path.name,
            "format": found.fmt,
            "sha256": _file_sha256(path),
            "from": start.isoformat(),
            "to": end.isoformat(),
            "records": len(rows),
            "first_seq": rows[0].seq if rows else None,
            "last_seq": rows[-1].seq if rows else None,
            "anchor_prev_hash": found.anchor,
            "last_hash": found.last_hash,
            "chain": found.check.to_dict(),
            "exported_at": _now(),
            "exported_by": exported_by,
            "statement": (
                f"Exported by {exported_by}. The {len(rows)} records are a contiguous segment "
                "of the exportguard audit chain; each record's hash is SHA-256 over the JSON "
                "array [seq, at, actor, action, subject, request_id, detail, prev_hash], and the "
                "whole chain verified intact at export time."),
        }
        signoff_path = path.with_name(path.name + ".signoff.json")
        signoff_path.write_text(json.dumps(signoff, indent=2, ensure_ascii=False) + "\n",
                                encoding="utf-8")
        return signoff


@dataclass(frozen=True, slots=True)
class Extract:
    """Records of a date range, rendered, with the chain check made before rendering them."""

    start: date
    end: date
    fmt: str
    records: list[AuditRecord]
    text: str
    check: Verification

    @property
    def anchor(self) -> str | None:
        return self.records[0].prev_hash if self.records else None

    @property
    def last_hash(self) -> str | None:
        return self.records[-1].hash if self.records else None

    @property
    def media_type(self) -> str:
        return "text/csv; charset=utf-8" if self.fmt == "csv" else "application/x-ndjson"

    def headers(self) -> dict[str, str]:
        """HTTP headers of a download: file name, record count and the chain anchors."""
        return {
            "Content-Disposition":
                f'attachment; filename="audit-{self.start}-{self.end}.{self.fmt}"',
            "X-Audit-Records": str(len(self.records)),
            "X-Audit-Anchor": self.anchor or "",
            "X-Audit-Last-Hash": self.last_hash or "",
        }


class ChainBroken(ExportGuardError):
    """The chain failed verification; nothing is exported."""

    def __init__(self, check: Verification) -> None:
        self.check = check
        super().__init__("audit log: the chain is broken, refusing to export: "
                         + "; ".join(check.problems[:5]))


class ChainContention(ExportGuardError):
    """Another writer took the head first; retry on the new head."""


def _append(session: Session, actor: str, action: str, subject: str, request_id: str,
            detail: str) -> AuditRecord:
    """The record after the head, inserted on the session's transaction. The head is read once
    per transaction: the records appended after it in the same transaction (a group commit,
    `audit_group.py`) follow the one appended before, kept in `session.info` with the
    transaction it belongs to. SQLite and PostgreSQL (psycopg) are written through the driver's
    own cursor with a fixed statement (SQLAlchemy's per-statement machinery was most of an
    append); their errors are raised as SQLAlchemy's, as Core would."""
    transaction = session.get_transaction()
    kept = session.info.get(_KEPT_HEAD)
    head: Any
    if kept is not None and kept[0] is transaction and not session.in_nested_transaction():
        _transaction, head, connection, statements = kept
    else:
        connection = session.connection()
        statements = _raw_statements(connection)
        if statements is None:
            head = connection.execute(_HEAD).first()
        else:
            head = _raw(connection, statements[0], None).fetchone()
    record = next_record(head, actor, action, subject, request_id, detail)
    try:
        if statements is None:
            connection.execute(_INSERT, [record.to_dict()])
        else:
            _raw(connection, statements[1], record.to_dict())
    except IntegrityError:
        raise ChainContention(f"audit record #{record.seq} was taken by another writer") from None
    session.info[_KEPT_HEAD] = (transaction, (record.seq, record.hash), connection, statements)
    return record


def _raw_statements(connection: Connection) -> tuple[str, str] | None:
    """The head read and the insert in the driver's parameter style, or None to use Core."""
    return _statements_for(connection.dialect.name, connection.dialect.driver)


@functools.cache
def _statements_for(dialect: str, driver: str) -> tuple[str, str] | None:
    if dialect == "sqlite" and driver == "pysqlite":
        marker = ":{}"
    elif dialect == "postgresql" and driver in ("psycopg", "psycopg2"):
        marker = "%({})s"
    else:
        return None
    columns = [column.name for column in _TABLE.columns]
    insert_sql = (f"INSERT INTO {_TABLE.name} ({', '.join(columns)}) VALUES "
                  f"({', '.join(marker.format(c) for c in columns)})")
    return (f"SELECT seq, hash FROM {_TABLE.name} ORDER BY seq DESC LIMIT 1", insert_sql)


def _raw(connection: Connection, statement: str, params: dict[str, Any] | None) -> Any:
    cursor = connection.connection.cursor()
    try:
        if params is None:
            cursor.execute(statement)
        else:
            cursor.execute(statement, params)
    except connection.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(statement, params, exc,
                                  connection.dialect.loaded_dbapi.Error) from exc
    return cursor


def verify_records(records: Iterator[AuditRecord] | list[AuditRecord],
                   anchor: str) -> Verification:
    """Check a run of records: each hash recomputes, each links to the one before, sequence
    numbers have no gaps. `anchor` is the hash expected before the first."""
    report = Verification(head_hash=anchor)
    previous_seq: int | None = None
    for record in records:
        report.records += 1
        if previous_seq is not None and record.seq != previous_seq + 1:
            report.problems.append(
                f"records #{previous_seq + 1}..#{record.seq - 1} are missing (deleted)")
        if record.prev_hash != report.head_hash:
            report.problems.append(
                f"record #{record.seq} does not follow the record before it (a record before "
                "it was deleted, inserted or edited)")
        if record.expected_hash() != record.hash:
            report.problems.append(f"record #{record.seq} was altered: its content no longer "
                                   "matches its hash")
        report.head_seq, report.head_hash, previous_seq = record.seq, record.hash, record.seq
    return report


def verify_export(path: Path) -> Verification:
    """Check an exported file on its own: its SHA-256 against the sign-off, and the chain of
    its records from the sign-off's anchor."""
    signoff_path = path.with_name(path.name + ".signoff.json")
    if not signoff_path.exists():
        raise InputError("file", f"{signoff_path.name} (the sign-off) is not beside {path.name}")
    try:
        signoff = json.loads(signoff_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError("file", f"{signoff_path.name} is not a readable sign-off: {exc}") from None
    records = list(_read_export(path, signoff.get("format", "jsonl")))
    report = verify_records(records, signoff.get("anchor_prev_hash") or GENESIS)
    if _file_sha256(path) != signoff.get("sha256"):
        report.problems.insert(0, f"{path.name} differs from the file that was signed off "
                                  "(SHA-256 mismatch)")
    if report.records != signoff.get("records"):
        report.problems.append(f"{report.records} records read, {signoff.get('records')} "
                               "signed off")
    if records and report.head_hash != signoff.get("last_hash"):
        report.problems.append("the last record's hash differs from the signed-off one")
    return report


def _read_export(path: Path, fmt: str) -> Iterator[AuditRecord]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            if fmt == "csv":
                for row in csv.DictReader(handle):
                    values = {k: unneutralise(row.get(k) or "") for k in EXPORT_FIELDS}
                    yield AuditRecord(**{**values, "seq": int(values["seq"])})
            else:
                for line in handle:
                    if line.strip():
                        yield AuditRecord(**json.loads(line))
    except (OSError, ValueError, TypeError) as exc:
        raise InputError("file", f"{path.name} is not a readable audit export: {exc}") from None


def neutralise(value: object) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
    apostrophe, the OWASP-recommended neutralisation. A cell already starting with an apostrophe
    gets one more, so `unneutralise` restores every value exactly (the export re-verifies)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith((*_FORMULA_START, "'")) else text


def unneutralise(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith((*_FORMULA_START, "'")) \
        else text


def write_csv(handle: Any, columns: tuple[str, ...] | list[str],
              rows: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> None:
    """CSV for people: every cell neutralised against formula injection."""
    writer = csv.writer(handle)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row.get(column)) for column in columns])


def _parse_head(text: str) -> tuple[int, str]:
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise InputError("head", f"expected SEQ:HASH as `audit verify` prints it, got '{text}'")
    return int(seq), digest.lower()


def _day_start(day: date) -> str:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).isoformat(timespec="microseconds")


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
