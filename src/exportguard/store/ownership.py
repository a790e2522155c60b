"""Persistence of the ownership graph: companies and who owns how much of whom."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select

from exportguard.store import Store
from exportguard.store.tables import CompanyRow, OwnershipEdgeRow

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
    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    def companies(self, ids: Iterable[int]) -> dict[int, Company]:
        table = CompanyRow.__table__
        wanted = sorted(set(ids))
        out: dict[int, Company] = {}
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), 900):
                rows = connection.execute(select(table.c.id, table.c.name, table.c.country,
                                                 table.c.hq_country, table.c.source)
                                          .where(table.c.id.in_(wanted[start:start + 900])))
                out.update({row[0]: Company(*row) for row in rows})
        return out

    def find(self, name: str, country: str | None = None) -> list[Company]:
        """Companies with this name (any country when none is given)."""
        table = CompanyRow.__table__
        key = company_key(name, country)
        query = select(table.c.id, table.c.name, table.c.country, table.c.hq_country,
                       table.c.source)
        if country:
            query = query.where(table.c.key == key)
        else:
            query = query.where(table.c.key.like(key.rstrip("|").replace("%", r"\%") + "|%",
                                                 escape="\\"))
        with self.engine.connect() as connection:
            return [Company(*row) for row in connection.execute(query)]

    def names(self) -> list[tuple[int, str]]:
        table = CompanyRow.__table__
        with self.engine.connect() as connection:
            return [(r[0], r[1]) for r in connection.execute(select(table.c.id, table.c.name))]

    def edges_touching(self, ids: Sequence[int], *, upward: bool) -> list[Edge]:
        """Edges into `ids` (their owners) when upward, else out of them (what they own)."""
        table = OwnershipEdgeRow.__table__
        column = table.c.owned_id if upward else table.c.owner_id
        out: list[Edge] = []
        with self.engine.connect() as connection:
            for start in range(0, len(ids), 900):
                rows = connection.execute(
                    select(table.c.owner_id, table.c.owned_id, table.c.percent, table.c.direct,
                           table.c.as_of, table.c.until, table.c.source)
                    .where(column.in_(list(ids[start:start + 900])))
                )
                out.extend(Edge(*row) for row in rows)
        return out

    def count(self) -> tuple[int, int]:
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
        with self.engine.begin() as connection:
            connection.execute(OwnershipEdgeRow.__table__.delete())
            connection.execute(CompanyRow.__table__.delete())


__all__ = ["Company", "Edge", "OwnershipStore", "company_key"]
