"""The JSON documents the command line prints with `--json` and the API returns: one builder per
document, so both always give the same shape."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from exportguard.countries import parse_country
from exportguard.errors import InputError
from exportguard.lists.history import (
    EntryHistory,
    SnapshotDiff,
    default_pair,
    diff_snapshots,
    entry_histories,
    serving_reasons,
    serving_snapshots,
    snapshots_in_force,
)
from exportguard.lists.loader import ensure_starter
from exportguard.model import Snapshot
from exportguard.regime.dated import parse_as_of
from exportguard.screening import Screener, ScreenResult
from exportguard.screening.loaded import history_screener, screener_for
from exportguard.store.ownership import Company, Edge, OwnershipStore

if TYPE_CHECKING:
    from exportguard.ownership.resolve import OwnershipFinding
    from exportguard.store import Store
    from exportguard.store.direct import DirectSqlite


def screen_document(store: Store | DirectSqlite, screener: Screener, result: ScreenResult,
                    day: date | None, *, in_graph: bool = True,
                    ) -> tuple[dict[str, Any], OwnershipFinding | None]:
    """`screen --json`: the result, the ownership finding, and each match's first and last
    snapshot. `in_graph=False` says the caller knows the name is not in the ownership graph."""
    graph = OwnershipStore(store)
    finding = None
    # The ownership rules (and the modules that resolve them) load only for a name the graph
    # may know: `find_company` finds nothing when no company has the name in any country.
    if in_graph and graph.find(result.query, None):
        from exportguard.ownership.resolve import ownership_of

        finding = ownership_of(graph, screener, result.query, result.country,
                               day or date.today())
    data = result.to_dict()
    data["ownership"] = finding.to_dict() if finding else None
    if result.matches:
        spans = store.key_spans(m.entry.key for m in result.matches)
        for match in data["matches"]:
            match["first_seen_snapshot"], match["last_seen_snapshot"] = spans.get(
                match["entry_id"], (None, None))
    return data, finding


@dataclass(frozen=True, slots=True)
class ListsView:
    shown: list[Snapshot]
    current: list[Snapshot]
    serving: dict[str, int]
    why: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"snapshots": [snapshot_dict(s, s in self.current) for s in self.shown],
                "serving": dict(sorted(self.serving.items())),
                "serving_why": dict(sorted(self.why.items())),
                "serving_rule": SERVING_RULE}


def lists_view(store: Store, all_snapshots: bool = False) -> ListsView:
    """The snapshots in force (or all kept) and which snapshot serves each list."""
    ensure_starter(store)
    current = [f.snapshot for f in snapshots_in_force(store)]
    counts = store.list_counts([s.id for s in current])
    return ListsView(store.snapshots() if all_snapshots else current, current,
                     serving_snapshots(current, counts), serving_reasons(current, counts))


SERVING_RULE = (
    "When several sources carry a list (the CSL and OFAC's own SDN file both carry SDN), the "
    "snapshot that speaks for the latest day serves it, among the copies holding at least 90 % "
    "of the largest copy's entries (a sample or a partial file never displaces a full copy); "
    "the starter set only stands in for lists no official source carries. A snapshot speaks "
    "for the edition asked for, else the date the file itself gives, else the download day, "
    "else the load day.")


def snapshot_dict(snapshot: Snapshot, in_force: bool) -> dict[str, Any]:
    data = snapshot.to_dict()
    data["as_of_day"] = snapshot.speaks_for.isoformat()
    data["in_force"] = in_force
    return data


def diffs(store: Store, from_id: int | None, to_id: int | None) -> list[SnapshotDiff]:
    return [diff_snapshots(store, old, new) for old, new in default_pair(store, from_id, to_id)]


@dataclass(frozen=True, slots=True)
class HistoryView:
    query: str
    histories: list[EntryHistory]
    scores: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query,
                "entries": [{**h.to_dict(), "score": round(self.scores[h.key], 4)}
                            for h in self.histories]}


def history_view(store: Store, name: str, limit: int = 5,
                 screener: Screener | None = None) -> HistoryView:
    """Every entry ever loaded (removed ones included) matching the name, best first. The
    service passes the history screener it shares between requests."""
    result = (screener or history_screener(store)).screen(name, limit=limit)
    scores = {m.entry.key: m.score for m in result.matches}
    histories = sorted(entry_histories(store, list(scores)), key=lambda h: -scores[h.key])
    return HistoryView(result.query, histories, scores)


@dataclass(frozen=True, slots=True)
class OwnersView:
    finding: OwnershipFinding
    holdings: list[Edge]
    below: dict[int, Company]

    def to_dict(self) -> dict[str, Any]:
        data = self.finding.to_dict()
        data["holdings"] = [{"owner": self.below[e.owner].name, "owned": self.below[e.owned].name,
                             "percent": e.percent, "source": e.source} for e in self.holdings]
        return data


def owners_view(store: Store, name: str, country: str | None, on: str | date | None,
                screener_of: Callable[[date], Screener] | None = None) -> OwnersView:
    """A company's owners and holdings on a date; an unknown name suggests the nearest ones.
    `screener_of(day)` gives the screener that finds listed owners (the service passes its
    shared ones); it is asked only once the company is known."""
    from exportguard.ownership.graph import downward
    from exportguard.ownership.resolve import find_company, ownership_of

    day = parse_as_of(on, "date")
    code = parse_country(country) if country else None
    graph_store = OwnershipStore(store)
    finding = None
    if find_company(graph_store, name, code) is not None:
        screener = screener_of(day) if screener_of else screener_for(store, day)
        finding = ownership_of(graph_store, screener, name, code, day)
    if finding is None:
        near = process.extract(name, dict(graph_store.names()), scorer=fuzz.WRatio, limit=3,
                               score_cutoff=80)
        hint = f"; did you mean {', '.join(repr(n) for n, _, _ in near)}?" if near else \
            " (see `exportguard ownership import`)"
        raise InputError("name", f"'{name}' is not in the ownership graph{hint}")
    holdings = downward(graph_store, finding.company.id, day)
    below = graph_store.companies({e.owned for e in holdings} | {e.owner for e in holdings})
    return OwnersView(finding, holdings, below)
