"""Database tables. One snapshot row per load of a source; its entries hang off it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class SnapshotRow(Base):
    __tablename__ = "snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(64), index=True)
    format: Mapped[str] = mapped_column(String(32))
    origin: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64))
    entry_count: Mapped[int] = mapped_column(Integer)
    lists: Mapped[list[str]] = mapped_column(JSON)
    generated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retrieved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    edition: Mapped[date | None] = mapped_column(Date)


class ListEntryRow(Base):
    __tablename__ = "list_entries"
    __table_args__ = (Index("ix_list_entries_snapshot_list", "snapshot_id", "list_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("snapshots.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(200), index=True)
    fingerprint: Mapped[str | None] = mapped_column(String(40))
    list_code: Mapped[str] = mapped_column(String(16))
    source_name: Mapped[str] = mapped_column(Text)
    entity_number: Mapped[str | None] = mapped_column(String(64))
    type: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    alt_names: Mapped[list[str]] = mapped_column(JSON)
    local_names: Mapped[list[str]] = mapped_column(JSON)
    addresses: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    countries: Mapped[list[str]] = mapped_column(JSON)
    programs: Mapped[list[str]] = mapped_column(JSON)
    license_requirement: Mapped[str | None] = mapped_column(Text)
    license_policy: Mapped[str | None] = mapped_column(Text)
    federal_register: Mapped[list[str]] = mapped_column(JSON)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    source_list_url: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[dict[str, Any]] = mapped_column(JSON)


class SnapshotChangeRow(Base):
    """The keys a diff of a snapshot against the one before it of its source reads, recorded
    when the snapshot is written (`store/changes.py`)."""

    __tablename__ = "snapshot_changes"

    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True)
    base_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id", ondelete="CASCADE"))
    keys_before: Mapped[list[str]] = mapped_column(JSON)
    keys_after: Mapped[list[str]] = mapped_column(JSON)
    positions: Mapped[dict[str, list[int]]] = mapped_column(JSON)


class CustomerRow(Base):
    """A counterparty on the watchlist: re-screened whenever the lists change."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ref: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CustomerHitRow(Base):
    """A list entry a customer currently matches (the result of its latest screening)."""

    __tablename__ = "customer_hits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    entry_key: Mapped[str] = mapped_column(String(200), index=True)
    list_code: Mapped[str] = mapped_column(String(16))
    entry_name: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)
    snapshot_ids: Mapped[list[int]] = mapped_column(JSON)


class AlertRow(Base):
    """A new, changed or cleared hit found by re-screening. Kept when the customer is removed."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("watch_runs.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(16))
    customer_ref: Mapped[str] = mapped_column(String(200), index=True)
    customer_name: Mapped[str] = mapped_column(Text)
    entry_key: Mapped[str] = mapped_column(String(200))
    list_code: Mapped[str] = mapped_column(String(16))
    entry_name: Mapped[str] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WatchRunRow(Base):
    """One re-screening of the watchlist: why, against which snapshots, and what it found."""

    __tablename__ = "watch_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(16))  # import | delta | full
    cause: Mapped[str] = mapped_column(Text)
    snapshot_ids: Mapped[list[int]] = mapped_column(JSON)
    customers_screened: Mapped[int] = mapped_column(Integer)
    new_hits: Mapped[int] = mapped_column(Integer)
    cleared_hits: Mapped[int] = mapped_column(Integer)
    changed_hits: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)


class CompanyRow(Base):
    """A company of the ownership graph (listed or not)."""

    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    name: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    hq_country: Mapped[str | None] = mapped_column(String(2))
    source: Mapped[str] = mapped_column(Text)


class OwnershipEdgeRow(Base):
    """`owner` holds `percent` of `owned` (None: a holding whose size is not known)."""

    __tablename__ = "ownership_edges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"),
                                          index=True)
    owned_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"),
                                          index=True)
    percent: Mapped[float | None] = mapped_column(Float)
    direct: Mapped[bool] = mapped_column(Boolean)
    as_of: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)


class ApiKeyRow(Base):
    """An API key: only the SHA-256 digest of the secret is stored, never the secret."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    prefix: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    rate_per_second: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WebSessionRow(Base):
    """A signed-in browser: the digest of its cookie, the key it signed in with, its CSRF token."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseRow(Base):
    """A screen or check that ended in `review`, waiting for (or holding) a reviewer's decision."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    subject: Mapped[str] = mapped_column(Text)
    subject_key: Mapped[str] = mapped_column(String(500), index=True)
    subject_fingerprint: Mapped[str] = mapped_column(String(40))
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    matches: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    opened_by: Mapped[str] = mapped_column(String(100))
    request_id: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class ClearedPairRow(Base):
    """A (subject, list entry) pair a reviewer cleared as a false positive, with both sides'
    fingerprints then: the pair stays cleared until either fingerprint changes."""

    __tablename__ = "cleared_pairs"
    __table_args__ = (Index("ix_cleared_pairs_subject_entry", "subject_key", "entry_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_key: Mapped[str] = mapped_column(String(500))
    subject_fingerprint: Mapped[str] = mapped_column(String(40))
    entry_key: Mapped[str] = mapped_column(String(200))
    entry_fingerprint: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    cleared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cleared_by: Mapped[str] = mapped_column(String(100))


class AuditRow(Base):
    """One audit record. `hash` is SHA-256 over the record and `prev_hash`; `prev_hash` is unique,
    so two writers racing for the same predecessor cannot fork the chain (one fails, retries)."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(32), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(Text)
    request_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class BatchJobRow(Base):
    """A batch submitted to the API: its rows, progress and, when finished, one result per row."""

    __tablename__ = "batch_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    status: Mapped[str] = mapped_column(String(16))  # queued | running | done | failed
    submitted_by: Mapped[str] = mapped_column(String(100))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    request_id: Mapped[str] = mapped_column(String(64))
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer)
    results: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    token: Mapped[str | None] = mapped_column(String(32), unique=True)  # the id callers see
    key_id: Mapped[int | None] = mapped_column(Integer)  # the submitting key: its owner
    runner: Mapped[str | None] = mapped_column(String(120))  # host:pid of the process running it
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RateBucketRow(Base):
    """A key's token bucket, shared by every service process (tokens at `updated`, Unix time)."""

    __tablename__ = "rate_buckets"

    key_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    updated: Mapped[float] = mapped_column(Float)
