"""Persistence of the watchlist: customers, their current hits, watch runs and alerts.

Plain SQLAlchemy Core over the Store's engine: the watchlist can hold millions of rows, and each
operation is one set-based statement batch inside one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from exportguard.store import Store
from exportguard.store.tables import AlertRow, CustomerHitRow, CustomerRow, WatchRunRow

_BATCH = 5000


@dataclass(frozen=True, slots=True)
class Customer:
    id: int
    ref: str
    name: str
    country: str | None


@dataclass(frozen=True, slots=True)
class Hit:
    entry_key: str
    list_code: str
    entry_name: str
    score: float


@dataclass(slots=True)
class Alert:
    kind: str  # new | cleared | changed
    customer_ref: str
    customer_name: str
    entry_key: str
    list_code: str
    entry_name: str
    score: float | None
    detail: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    run_id: int | None = None
    created_at: datetime | None = None
    acknowledged_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "run": self.run_id,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "kind": self.kind,
            "customer": self.customer_ref,
            "customer_name": self.customer_name,
            "entry_key": self.entry_key,
            "list": self.list_code,
            "entry_name": self.entry_name,
            "score": round(self.score, 4) if self.score is not None else None,
            "detail": self.detail,
            "acknowledged_at": self.acknowledged_at.isoformat() if self.acknowledged_at else None,
        }


@dataclass(frozen=True, slots=True)
class WatchRun:
    id: int
    started_at: datetime
    kind: str
    cause: str
    snapshot_ids: tuple[int, ...]
    customers_screened: int
    new_hits: int
    cleared_hits: int
    changed_hits: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "started_at": self.started_at.isoformat(), "kind": self.kind,
            "cause": self.cause, "snapshot_ids": list(self.snapshot_ids),
            "customers_screened": self.customers_screened, "new_hits": self.new_hits,
            "cleared_hits": self.cleared_hits, "changed_hits": self.changed_hits,
            "seconds": round(self.seconds, 3),
        }


class WatchlistStore:
    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    # --- customers ---------------------------------------------------------------------------

    def customers(self, ids: Iterable[int] | None = None) -> list[Customer]:
        table = CustomerRow.__table__
        query = select(table.c.id, table.c.ref, table.c.name, table.c.country).order_by(
            table.c.id)
        with self.engine.connect() as connection:
            if ids is None:
                return [Customer(*row) for row in connection.execute(query)]
            wanted = sorted(set(ids))
            out: list[Customer] = []
            for start in range(0, len(wanted), 900):
                chunk = wanted[start:start + 900]
                out.extend(Customer(*row) for row in
                           connection.execute(query.where(table.c.id.in_(chunk))))
            return out

    def customer_count(self) -> int:
        with self.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(CustomerRow)) or 0

    def version(self) -> str:
        """Changes whenever a customer is added, changed or removed (for index caches)."""
        table = CustomerRow.__table__
        with self.engine.connect() as connection:
            row = connection.execute(
                select(func.count(), func.max(table.c.id), func.max(table.c.updated_at))
            ).one()
        return f"{row[0]}:{row[1]}:{row[2]}"

    def upsert_customers(
        self, rows: Sequence[tuple[str, str, str | None, dict[str, Any]]], replace: bool
    ) -> tuple[list[int], int]:
        """Insert or update customers by ref, in one transaction. Returns the ids whose name or
        country is new or changed (those need screening) and how many were removed."""
        table = CustomerRow.__table__
        now = datetime.now(UTC)
        changed: list[int] = []
        removed = 0
        with self.engine.begin() as connection:
            existing = {ref: (cid, name, country) for cid, ref, name, country in
                        connection.execute(select(table.c.id, table.c.ref, table.c.name,
                                                  table.c.country))}
            inserts = []
            for ref, name, country, attributes in rows:
                known = existing.get(ref)
                if known is None:
                    inserts.append({"ref": ref, "name": name, "country": country,
                                    "attributes": attributes, "updated_at": now})
                elif (known[1], known[2]) != (name, country):
                    connection.execute(
                        update(table).where(table.c.id == known[0]).values(
                            name=name, country=country, attributes=attributes, updated_at=now)
                    )
                    connection.execute(delete(CustomerHitRow.__table__).where(
                        CustomerHitRow.__table__.c.customer_id == known[0]))
                    changed.append(known[0])
            for start in range(0, len(inserts), _BATCH):
                connection.execute(insert(table), inserts[start:start + _BATCH])
            if replace:
                keep = {r[0] for r in rows}
                gone = [cid for ref, (cid, _, _) in existing.items() if ref not in keep]
                for start in range(0, len(gone), 900):
                    connection.execute(delete(table).where(
                        table.c.id.in_(gone[start:start + 900])))
                removed = len(gone)
            refs = [i["ref"] for i in inserts]
            for start in range(0, len(refs), 900):
                changed.extend(connection.scalars(
                    select(table.c.id).where(table.c.ref.in_(refs[start:start + 900]))))
        return sorted(changed), removed

    # --- hits --------------------------------------------------------------------------------

    def hits(self, customer_ids: Iterable[int] | None = None) -> dict[int, dict[str, Hit]]:
        table = CustomerHitRow.__table__
        query = select(table.c.customer_id, table.c.entry_key, table.c.list_code,
                       table.c.entry_name, table.c.score)
        out: dict[int, dict[str, Hit]] = {}
        with self.engine.connect() as connection:
            if customer_ids is None:
                batches = [connection.execute(query)]
            else:
                wanted = sorted(set(customer_ids))
                batches = [connection.execute(query.where(
                    table.c.customer_id.in_(wanted[s:s + 900])))
                    for s in range(0, len(wanted), 900)]
            for rows in batches:
                for cid, key, code, name, score in rows:
                    out.setdefault(cid, {})[key] = Hit(key, code, name, score)
        return out

    def customers_hitting(self, keys: Iterable[str]) -> set[int]:
        table = CustomerHitRow.__table__
        wanted = sorted(set(keys))
        found: set[int] = set()
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), 900):
                found.update(connection.scalars(select(table.c.customer_id).where(
                    table.c.entry_key.in_(wanted[start:start + 900]))))
        return found

    def last_run(self) -> WatchRun | None:
        table = WatchRunRow.__table__
        with self.engine.connect() as connection:
            row = connection.execute(select(table).order_by(table.c.id.desc()).limit(1)).first()
        return _run(row) if row else None

    def runs(self, limit: int = 20) -> list[WatchRun]:
        table = WatchRunRow.__table__
        with self.engine.connect() as connection:
            rows = connection.execute(select(table).order_by(table.c.id.desc()).limit(limit))
            return [_run(r) for r in rows]

    def record_run(
        self,
        *,
        kind: str,
        cause: str,
        snapshot_ids: Sequence[int],
        screened: dict[int, dict[str, Hit]],
        alerts: list[Alert],
        started_at: datetime,
        seconds: float,
    ) -> WatchRun:
        """Replace the hits of every screened customer and append the run and its alerts, all in
        one transaction."""
        hits_table = CustomerHitRow.__table__
        runs = WatchRunRow.__table__
        counts = {k: sum(1 for a in alerts if a.kind == k) for k in ("new", "cleared", "changed")}
        with self.engine.begin() as connection:
            run_id = connection.execute(insert(runs).values(
                started_at=started_at, kind=kind, cause=cause, snapshot_ids=list(snapshot_ids),
                customers_screened=len(screened), new_hits=counts["new"],
                cleared_hits=counts["cleared"], changed_hits=counts["changed"],
                seconds=seconds,
            )).inserted_primary_key[0]
            ids = sorted(screened)
            for start in range(0, len(ids), 900):
                connection.execute(delete(hits_table).where(
                    hits_table.c.customer_id.in_(ids[start:start + 900])))
            rows = [{"customer_id": cid, "entry_key": h.entry_key, "list_code": h.list_code,
                     "entry_name": h.entry_name, "score": h.score,
                     "snapshot_ids": list(snapshot_ids)}
                    for cid, hits in screened.items() for h in hits.values()]
            for start in range(0, len(rows), _BATCH):
                connection.execute(insert(hits_table), rows[start:start + _BATCH])
            now = datetime.now(UTC)
            alert_rows = [{"run_id": run_id, "created_at": now, "kind": a.kind,
                           "customer_ref": a.customer_ref, "customer_name": a.customer_name,
                           "entry_key": a.entry_key, "list_code": a.list_code,
                           "entry_name": a.entry_name, "score": a.score, "detail": a.detail,
                           "acknowledged_at": None} for a in alerts]
            for start in range(0, len(alert_rows), _BATCH):
                connection.execute(insert(AlertRow.__table__), alert_rows[start:start + _BATCH])
            row = connection.execute(select(runs).where(runs.c.id == run_id)).one()
        return _run(row)

    # --- alerts ------------------------------------------------------------------------------

    def alerts(self, *, run_id: int | None = None, unacknowledged: bool = False,
               limit: int | None = None) -> list[Alert]:
        table = AlertRow.__table__
        query = select(table).order_by(table.c.id)
        if run_id is not None:
            query = query.where(table.c.run_id == run_id)
        if unacknowledged:
            query = query.where(table.c.acknowledged_at.is_(None))
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            return [Alert(
                kind=r.kind, customer_ref=r.customer_ref, customer_name=r.customer_name,
                entry_key=r.entry_key, list_code=r.list_code, entry_name=r.entry_name,
                score=r.score, detail=dict(r.detail or {}), id=r.id, run_id=r.run_id,
                created_at=_utc(r.created_at), acknowledged_at=_utc(r.acknowledged_at),
            ) for r in connection.execute(query)]

    def acknowledge(self, ids: Iterable[int] | None) -> int:
        table = AlertRow.__table__
        statement = update(table).where(table.c.acknowledged_at.is_(None))
        if ids is not None:
            statement = statement.where(table.c.id.in_(list(ids)))
        with self.engine.begin() as connection:
            return connection.execute(statement.values(acknowledged_at=datetime.now(UTC))).rowcount


def _run(row: Any) -> WatchRun:
    return WatchRun(
        id=row.id, started_at=_utc(row.started_at), kind=row.kind, cause=row.cause,  # type: ignore[arg-type]
        snapshot_ids=tuple(row.snapshot_ids or ()), customers_screened=row.customers_screened,
        new_hits=row.new_hits, cleared_hits=row.cleared_hits, changed_hits=row.changed_hits,
        seconds=row.seconds,
    )


def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value
