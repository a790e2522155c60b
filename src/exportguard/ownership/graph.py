"""Who stands behind a company on a date: its owners up the graph, the listed ones among them,
and how much they hold together.

Two measures of a listed owner's holding are computed, because the rules use the first and
readers expect the second:

- **Covered by ownership** (OFAC's 50 % rule, and the BIS affiliates rule "designed to be
  consistent with" it): a company is covered when listed or covered owners hold 50 % or more of
  it directly, added together. Coverage cascades: a company 50 % owned by a listed party counts
  as listed for what it owns in turn. OFAC's guidance gives the example: X (blocked) owns 50 % of
  A, A owns 50 % of B, so B is blocked, although X's look-through interest in B is 25 %.
- **Look-through share**: the listed owners' economic interest, multiplied along each chain and
  added over chains (70 % of 80 % = 56 %). Reported with every path; it never decides alone.

Where the two disagree the guidance's text wins (the cascade); the record says so. A holding of
unknown size from a listed or covered owner is reported (BIS Red Flag 29 while the affiliates rule
is in force). Cycles are found and reported; neither measure loops on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from exportguard.store.ownership import Company, Edge, OwnershipStore

THRESHOLD = 50.0
MAX_DEPTH = 12
MAX_NODES = 5000
_MAX_PATHS = 2000


@dataclass(frozen=True, slots=True)
class Listing:
    """A company found on a list (by the screening of its name)."""

    list_code: str
    entry_name: str
    score: float
    entry_key: str
    license_policy: str | None = None


@dataclass(slots=True)
class Subgraph:
    """A company, its owners up to MAX_DEPTH levels, and the edges between them on a date."""

    target: int
    companies: dict[int, Company]
    edges: list[Edge]
    notes: list[str] = field(default_factory=list)

    def owners_of(self, company: int) -> list[Edge]:
        return [e for e in self.edges if e.owned == company]


def edges_on(edges: Iterable[Edge], day: date | None) -> tuple[list[Edge], list[str]]:
    """The holdings in force on `day`: for each (owner, owned) pair the latest statement on or
    before the day, ending after it. A pair stated only after the day is left out and noted."""
    by_pair: dict[tuple[int, int], list[Edge]] = {}
    for edge in edges:
        by_pair.setdefault((edge.owner, edge.owned), []).append(edge)
    kept: list[Edge] = []
    notes: list[str] = []
    for statements in by_pair.values():
        if day is None:
            kept.append(max(statements, key=lambda e: e.as_of or date.min))
            continue
        earlier = [e for e in statements if e.as_of is None or e.as_of <= day]
        if not earlier:
            first = min(e.as_of for e in statements if e.as_of)
            notes.append(f"a holding stated only from {first.isoformat()} is not counted on "
                         f"{day.isoformat()}")
            continue
        latest = max(earlier, key=lambda e: e.as_of or date.min)
        if latest.until is not None and latest.until < day:
            continue
        kept.append(latest)
    return kept, notes


def upward(store: OwnershipStore, company: int, day: date | None) -> Subgraph:
    """The owners of `company`, level by level (one query per level), on `day`."""
    seen = {company}
    frontier = [company]
    edges: list[Edge] = []
    notes: list[str] = []
    for _ in range(MAX_DEPTH):
        if not frontier:
            break
        found, dropped = edges_on(store.edges_touching(frontier, upward=True), day)
        notes.extend(dropped)
        edges.extend(found)
        frontier = [e.owner for e in found if e.owner not in seen]
        seen.update(frontier)
        if len(seen) > MAX_NODES:
            notes.append(f"more than {MAX_NODES} owners: the search stopped there")
            break
    else:
        if frontier:
            notes.append(f"owners deeper than {MAX_DEPTH} levels were not followed")
    return Subgraph(company, store.companies(seen), edges, notes)


def downward(store: OwnershipStore, company: int, day: date | None,
             depth: int = 3, limit: int = 200) -> list[Edge]:
    """What `company` owns, down to `depth` levels and at most `limit` holdings."""
    seen = {company}
    frontier = [company]
    out: list[Edge] = []
    for _ in range(depth):
        found, _notes = edges_on(store.edges_touching(frontier, upward=False), day)
        found = found[: max(limit - len(out), 0)]
        out.extend(found)
        frontier = [e.owned for e in found if e.owned not in seen]
        seen.update(frontier)
        if not frontier or len(out) >= limit:
            break
    return out


@dataclass(slots=True)
class Coverage:
    """The result of the cascade for one family of lists (e.g. EL+MEU, or SDN)."""

    lists: frozenset[str]
    covered: bool
    listed: bool  # the company itself is on one of the lists
    share: float  # direct holdings of listed or covered owners, added
    owners: list[dict[str, Any]]  # the listed or covered direct owners and their holdings
    unknown: list[dict[str, Any]]  # holdings of unknown size from listed or covered owners
    basis: dict[int, str]  # company id -> why it is covered ("listed EL ..." or "owned 60 %")

    def to_dict(self, names: dict[int, str]) -> dict[str, Any]:
        return {
            "lists": sorted(self.lists), "covered": self.covered, "listed": self.listed,
            "share": round(self.share, 4), "owners": self.owners, "unknown": self.unknown,
            "chain": {names.get(cid, str(cid)): why for cid, why in self.basis.items()},
        }


def cascade(graph: Subgraph, listed: dict[int, Listing]) -> Coverage:
    """Fixed point: covered = listed, then any company whose listed-or-covered owners hold
    50 % or more of it directly. Monotone, so it ends, cycles included."""
    codes = frozenset(item.list_code for item in listed.values())
    basis = {cid: f"listed: {item.list_code} '{item.entry_name}'" for cid, item in listed.items()}
    owners_of: dict[int, list[Edge]] = {}
    for edge in graph.edges:
        owners_of.setdefault(edge.owned, []).append(edge)
    changed = True
    while changed:
        changed = False
        for company, edges in owners_of.items():
            if company in basis:
                continue
            share = sum(e.percent or 0.0 for e in edges if e.owner in basis)
            if share >= THRESHOLD:
                parts = ", ".join(
                    f"{graph.companies[e.owner].name} {e.percent:g} %" for e in edges
                    if e.owner in basis and e.percent)
                basis[company] = f"owned {share:g} % by listed or covered owners ({parts})"
                changed = True
    target_edges = owners_of.get(graph.target, [])
    owners = [_holding(graph, e, basis) for e in target_edges if e.owner in basis]
    unknown = [_holding(graph, e, basis) for e in target_edges
               if e.owner in basis and e.percent is None]
    share = sum(e.percent or 0.0 for e in target_edges if e.owner in basis)
    return Coverage(codes, graph.target in basis, graph.target in listed, share, owners,
                    unknown, basis)


def _holding(graph: Subgraph, edge: Edge, basis: dict[int, str]) -> dict[str, Any]:
    owner = graph.companies[edge.owner]
    return {"owner": owner.name, "country": owner.country, "percent": edge.percent,
            "direct": edge.direct, "as_of": edge.as_of.isoformat() if edge.as_of else None,
            "source": edge.source, "why": basis[edge.owner]}


def look_through(graph: Subgraph, listed: dict[int, Listing]) -> list[dict[str, Any]]:
    """Each listed owner's interest in the target: the product of the percentages along each
    simple path, added over paths. Paths through a holding of unknown size are reported apart."""
    down: dict[int, list[Edge]] = {}
    for edge in graph.edges:
        down.setdefault(edge.owner, []).append(edge)
    out = []
    for owner, listing in listed.items():
        if owner == graph.target:
            continue
        paths = _paths(down, owner, graph.target)
        if not paths:
            continue
        known = sum(s for _, s in paths if s is not None)
        out.append({
            "owner": graph.companies[owner].name,
            "list": listing.list_code,
            "entry_name": listing.entry_name,
            "share": round(known * 100.0, 4),
            "unknown_paths": sum(1 for _, s in paths if s is None),
            "paths": [{"via": [graph.companies[n].name for n in trail],
                       "share": round(s * 100.0, 4) if s is not None else None}
                      for trail, s in paths[:20]],
        })
    return out


def _paths(down: dict[int, list[Edge]], start: int,
           target: int) -> list[tuple[list[int], float | None]]:
    """Simple paths from `start` to `target` with the product of their shares (None when a
    holding on the way has no known size); each company at most once per path."""
    paths: list[tuple[list[int], float | None]] = []

    def walk(node: int, trail: list[int], share: float | None) -> None:
        if len(paths) >= _MAX_PATHS:
            return
        if node == target:
            paths.append((trail, share))
            return
        for edge in down.get(node, ()):
            if edge.owned in trail:
                continue
            step = None if share is None or edge.percent is None else \
                share * edge.percent / 100.0
            walk(edge.owned, [*trail, edge.owned], step)

    walk(start, [start], 1.0)
    return paths


def cycles(graph: Subgraph) -> list[list[str]]:
    """Ownership cycles among the target's owners (A owns B owns A), each reported once."""
    down: dict[int, list[int]] = {}
    for edge in graph.edges:
        down.setdefault(edge.owner, []).append(edge.owned)
    found: list[list[str]] = []
    seen: set[frozenset[int]] = set()
    state: dict[int, int] = {}
    stack: list[int] = []

    def visit(node: int) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in down.get(node, ()):
            if state.get(nxt) == 1:
                loop = stack[stack.index(nxt):]
                key = frozenset(loop)
                if key not in seen:
                    seen.add(key)
                    found.append([graph.companies[n].name for n in [*loop, nxt]])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in list(graph.companies):
        if node not in state:
            visit(node)
    return found


def ultimate_parent(graph: Subgraph) -> list[Company]:
    """The chain of majority owners (more than 50 %) from the target up to the top."""
    chain: list[Company] = []
    current = graph.target
    visited = {current}
    while True:
        majority = [e for e in graph.edges if e.owned == current and (e.percent or 0) > THRESHOLD]
        if not majority:
            return chain
        owner = majority[0].owner
        if owner in visited:
            return chain
        visited.add(owner)
        chain.append(graph.companies[owner])
        current = owner


ListingLookup = Callable[[Company], Listing | None]
