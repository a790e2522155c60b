"""Persistence of the ownership graph: companies and who owns how much of whom."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from exportguard.store.reads import day, in_list

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from exportguard.store import Store
    from exportguard.store.direct import DirectSqlite

_COMPANY_COLUMNS = "id, name, country, hq_country, source"

_KEY_NOISE = re.compile(r"[^\w]+", re.UNICODE)


def company_key(name: str, country: str | None = None) -> str:
    """Identity of a company in the graph: its name without case and punctuation, and its
    country of incorporation when known (two 'Acme Ltd' in two countries are two companies)."""
    folded = " ".join(_KEY_NOISE.sub(" ", name.casefold()).split())
    return f"{folded}|{country or ''}"


@dataclass(frozen=True, slots=True)
class Company:
    id: int
    name: str
    country: str | None
    hq_country: str | None
    source: str


@dataclass(frozen=True, slots=True)
class Edge:
    owner: int
    owned: int
    percent: float | None
    direct: bool
    as_of: date | None
    until: date | None
    source: str


class OwnershipStore:
    """The graph's reads are plain SQL over the store's `rows` (so a screen reads them from the
    direct SQLite store too); its writes need the full `Store`."""

    def __init__(self, store: Store | DirectSqlite) -> None:
        self._store = store

    @property
    def engine(self) -> Engine:
        return self._store.engine  # type: ignore[union-attr]

    def companies(self, ids: Iterable[int]) -> dict[int, Company]:
        wanted = sorted(set(ids))
        out: dict[int, Company] = {}
        for start in range(0, len(wanted), 900):
            marks, params = in_list("c", wanted[start:start + 900])
            out.update({row[0]: Company(*row) for row in self._store.rows(
                f"SELECT {_COMPANY_COLUMNS} FROM companies WHERE id IN ({marks})", params)})
        return out

    def find(self, name: str, country: str | None = None) -> list[Company]:
        """Companies with this name (any country when none is given)."""
        key = company_key(name, country)
        if country:
            where, params = "key = :key", {"key": key}
        else:
            where = "key LIKE :key ESCAPE '\\'"
            params = {"key": key.rstrip("|").replace("%", r"\%") + "|%"}
        return [Company(*row) for row in self._store.rows(
            f"SELECT {_COMPANY_COLUMNS} FROM companies WHERE {where}", params)]

    def names(self) -> list[tuple[int, str]]:
        return [(r[0], r[1]) for r in self._store.rows("SELECT id, name FROM companies")]

    def edges_touching(self, ids: Sequence[int], *, upward: bool) -> list[Edge]:
        """Edges into `ids` (their owners) when upward, else out of them (what they own)."""
        column = "owned_id" if upward else "owner_id"
        out: list[Edge] = []
        for start in range(0, len(ids), 900):
            marks, params = in_list("c", list(ids[start:start + 900]))
            out.extend(Edge(owner, owned, percent, bool(direct), day(as_of), day(until), source)
                       for owner, owned, percent, direct, as_of, until, source
                       in self._store.rows(
                           "SELECT owner_id, owned_id, percent, direct, as_of, until, source "
                           f"FROM ownership_edges WHERE {column} IN ({marks})", params))
        return out

    def count(self) -> tuple[int, int]:
        from sqlalchemy import select

        from exportguard.store.tables import CompanyRow, OwnershipEdgeRow

        with self.engine.connect() as connection:
            companies = connection.execute(select(CompanyRow.__table__.c.id)).all()
            edges = connection.execute(select(OwnershipEdgeRow.__table__.c.id)).all()
        return len(companies), len(edges)

    def add(
        self,
        companies: Sequence[tuple[str, str | None, str | None, str]],
        edges: Sequence[tuple[int, int, float | None, bool, date | None, date | None, str]],
    ) -> tuple[int, int]:
        """Insert companies (name, country, hq, source; existing keys keep their row, a known
        headquarters fills a missing one) and edges between their positions in `companies`, in
        one transaction. Returns (companies added, edges added)."""
        from sqlalchemy import insert, select

        from exportguard.store.tables import CompanyRow, OwnershipEdgeRow

        table = CompanyRow.__table__
        with self.engine.begin() as connection:
            keys = [company_key(name, country) for name, country, _, _ in companies]
            existing: dict[str, tuple[int, str | None]] = {}
            unique = sorted(set(keys))
            for start in range(0, len(unique), 900):
                for cid, key, hq in connection.execute(
                        select(table.c.id, table.c.key, table.c.hq_country)
                        .where(table.c.key.in_(unique[start:start + 900]))):
                    existing[key] = (cid, hq)
            added = 0
            for key, (name, country, hq, source) in zip(keys, companies, strict=True):
                if key in existing:
                    cid, known_hq = existing[key]
                    if hq and not known_hq:
                        connection.execute(table.update().where(table.c.id == cid)
                                           .values(hq_country=hq))
                        existing[key] = (cid, hq)
                    continue
                cid = connection.execute(insert(table).values(
                    key=key, name=name, country=country, hq_country=hq, source=source,
                )).inserted_primary_key[0]
                existing[key] = (cid, hq)
                added += 1
            ids = [existing[key][0] for key in keys]
            rows = [{"owner_id": ids[o], "owned_id": ids[d], "percent": p, "direct": direct,
                     "as_of": as_of, "until": until, "source": source}
                    for o, d, p, direct, as_of, until, source in edges]
            for start in range(0, len(rows), 5000):
                connection.execute(insert(OwnershipEdgeRow.__table__), rows[start:start + 5000])
        return added, len(rows)

    def clear(self) -> None:
        from exportguard.store.tables import CompanyRow, OwnershipEdgeRow

        with self.engine.begin() as connection:
            connection.execute(OwnershipEdgeRow.__table__.delete())
            connection.execute(CompanyRow.__table__.delete())


__all__ = ["Company", "Edge", "OwnershipStore", "company_key"]
