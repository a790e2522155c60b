"""Ownership findings for a party on a date: the owners found in the graph, the listed ones (by
screening their names against the lists in force that day), and the ownership rules of
`data/regime/ownership.yaml` with their dates and suspensions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from exportguard.lists.history import in_force_on
from exportguard.ownership.graph import (
    Coverage,
    Listing,
    Subgraph,
    cascade,
    cycles,
    look_through,
    ultimate_parent,
    upward,
)
from exportguard.regime.dated import Citation, iso
from exportguard.regime.records import Field, Section, load_records
from exportguard.screening import CONFIRMED_SCORE, Screener
from exportguard.store.ownership import Company, OwnershipStore


@dataclass(frozen=True, slots=True)
class Suspension:
    start: date
    end: date
    source: str
    url: str


@dataclass(frozen=True, slots=True)
class OwnershipRule:
    id: str
    title: str
    lists: frozenset[str]
    effect: str
    citation: Citation
    effective_from: date
    summary: str
    caveat: str | None
    suspensions: tuple[Suspension, ...]
    after_suspension: str | None

    def status(self, day: date) -> tuple[str, str | None]:
        """('in_force' | 'not_yet' | 'suspended', an assumption the answer rests on)."""
        if day < self.effective_from:
            return "not_yet", None
        for s in self.suspensions:
            if s.start <= day <= s.end:
                return "suspended", None
        if self.suspensions and day > max(s.end for s in self.suspensions):
            return "in_force", self.after_suspension
        return "in_force", None


def _suspensions(value: object, where: str) -> tuple[Suspension, ...]:
    if not isinstance(value, list):
        raise ValueError("expected a list of {from, to, source, url}")
    out = []
    for i, raw in enumerate(value):
        if not isinstance(raw, dict) or set(raw) != {"from", "to", "source", "url"}:
            raise ValueError(f"suspension {i}: expected exactly from, to, source and url")
        start, end = (d if isinstance(d, date) else date.fromisoformat(str(d))
                      for d in (raw["from"], raw["to"]))
        if end < start:
            raise ValueError(f"suspension {i}: 'to' {end} is before 'from' {start}")
        out.append(Suspension(start, end, " ".join(str(raw["source"]).split()), str(raw["url"])))
    return tuple(out)


_SECTIONS = (Section("rules", {
    "title": Field("text", required=True),
    "lists": Field("words", required=True),
    "effect": Field("word", required=True, choices=("license_required", "review", "prohibited")),
    "suspensions": Field("custom", check=_suspensions),
    "after_suspension": Field("text"),
}),)


@cache
def ownership_rules() -> tuple[OwnershipRule, ...]:
    """The rules of ownership.yaml, read with the common dated-record loader."""
    data = load_records("data/regime/ownership.yaml", _SECTIONS)
    return tuple(
        OwnershipRule(
            id=r.id, title=r.get("title"), lists=frozenset(r.get("lists")), effect=r.get("effect"),
            citation=r.citation, effective_from=r.period.effective_from, summary=r.summary,
            caveat=r.caveat, suspensions=r.get("suspensions", ()),
            after_suspension=r.get("after_suspension"),
        )
        for r in data["rules"]
    )


@dataclass(slots=True)
class RuleOutcome:
    rule: OwnershipRule
    status: str  # applies | suspended | not_yet | not_met
    summary: str
    assumption: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule.id, "title": self.rule.title, "status": self.status,
            "effect": self.rule.effect if self.status == "applies" else None,
            "summary": self.summary, "citation": self.rule.citation.to_dict(),
            "effective_from": iso(self.rule.effective_from),
            "suspensions": [{"from": iso(s.start), "to": iso(s.end), "source": s.source}
                            for s in self.rule.suspensions],
            "assumption": self.assumption, "caveat": self.rule.caveat,
        }


@dataclass(slots=True)
class OwnershipFinding:
    company: Company
    day: date
    graph: Subgraph
    listed: dict[int, Listing]
    coverage: dict[str, Coverage]  # rule id -> cascade over that rule's lists
    look_through: list[dict[str, Any]]
    cycles: list[list[str]]
    parents: list[Company]  # majority-owner chain, nearest first
    outcomes: list[RuleOutcome] = field(default_factory=list)

    @property
    def ultimate_parent(self) -> Company | None:
        return self.parents[-1] if self.parents else None

    def to_dict(self) -> dict[str, Any]:
        names = {cid: c.name for cid, c in self.graph.companies.items()}
        top = self.ultimate_parent
        return {
            "company": {"name": self.company.name, "country": self.company.country,
                        "hq_country": self.company.hq_country},
            "as_of": self.day.isoformat(),
            "owners": [{"owner": names[e.owner], "owned": names[e.owned], "percent": e.percent,
                        "direct": e.direct, "as_of": iso(e.as_of), "source": e.source}
                       for e in self.graph.edges],
            "listed_owners": [{"company": names[cid], "list": item.list_code,
                               "entry_name": item.entry_name, "score": round(item.score, 4)}
                              for cid, item in self.listed.items()],
            "coverage": {rid: c.to_dict(names) for rid, c in self.coverage.items()},
            "look_through": self.look_through,
            "cycles": self.cycles,
            "ultimate_parent": {"name": top.name, "country": top.country,
                                "hq_country": top.hq_country} if top else None,
            "majority_chain": [p.name for p in self.parents],
            "rules": [o.to_dict() for o in self.outcomes],
            "notes": self.graph.notes,
        }


def find_company(store: OwnershipStore, name: str, country: str | None) -> Company | None:
    found = store.find(name, country)
    if not found and country:
        found = [c for c in store.find(name, None) if c.country in (None, country)]
    return found[0] if len(found) == 1 else (found[0] if found else None)


def ownership_of(
    store: OwnershipStore, screener: Screener, name: str, country: str | None, day: date
) -> OwnershipFinding | None:
    """None when the graph does not know the company."""
    company = find_company(store, name, country)
    if company is None:
        return None
    graph = upward(store, company.id, day)
    codes = frozenset().union(*(r.lists for r in ownership_rules()))
    listed = {}
    for cid, member in graph.companies.items():
        found = _listing(screener, member, codes, day)
        if found is not None:
            listed[cid] = found
    finding = OwnershipFinding(
        company=company, day=day, graph=graph, listed=listed, coverage={},
        look_through=look_through(graph, listed), cycles=cycles(graph),
        parents=ultimate_parent(graph),
    )
    for rule in ownership_rules():
        family = {cid: item for cid, item in listed.items() if item.list_code in rule.lists}
        coverage = cascade(graph, family)
        finding.coverage[rule.id] = coverage
        finding.outcomes.append(_outcome(rule, coverage, day))
    return finding


def _listing(screener: Screener, company: Company, codes: frozenset[str],
             day: date) -> Listing | None:
    result = screener.screen(company.name, company.country, lists=codes, limit=5)
    for match in result.matches:
        listed = in_force_on(match.entry, day, screener.fr_dates)
        if match.score >= CONFIRMED_SCORE and listed is True:
            return Listing(match.entry.list_code, match.entry.name, match.score,
                           match.entry.key, match.entry.license_policy)
    return None


def _outcome(rule: OwnershipRule, coverage: Coverage, day: date) -> RuleOutcome:
    status, assumption = rule.status(day)
    lists = "/".join(sorted(rule.lists))
    if coverage.listed:
        return RuleOutcome(rule, "not_met", f"The company is itself on the {lists} list; the "
                           "list rule applies to it directly.")
    if rule.id == "red-flag-29":
        if not coverage.unknown or coverage.covered:
            return RuleOutcome(rule, "not_met", "No listed owner with a holding of unknown "
                               "size.")
        owners = ", ".join(h["owner"] for h in coverage.unknown)
        text = (f"{owners} ({lists}) own(s) part of the company, share not known; the known "
                f"listed holdings add up to {coverage.share:g} %.")
        return _dated(rule, status, text, assumption)
    if not coverage.covered:
        if coverage.owners:
            return RuleOutcome(rule, "not_met", f"Listed or covered owners hold "
                               f"{coverage.share:g} % directly, below 50 %.")
        return RuleOutcome(rule, "not_met", f"No {lists} party among the owners found.")
    owners = "; ".join(f"{h['owner']} {h['percent']:g} % ({h['why']})" for h in coverage.owners
                       if h["percent"] is not None)
    text = f"Owned {coverage.share:g} % by {lists} listed or covered owners: {owners}."
    return _dated(rule, status, text, assumption)


def _dated(rule: OwnershipRule, status: str, text: str, assumption: str | None) -> RuleOutcome:
    if status == "not_yet":
        return RuleOutcome(rule, "not_yet", f"{text} The rule takes effect on "
                           f"{rule.effective_from.isoformat()}; it did not apply on the date.")
    if status == "suspended":
        spans = ", ".join(f"{s.start.isoformat()} to {s.end.isoformat()}"
                          for s in rule.suspensions)
        return RuleOutcome(rule, "suspended", f"{text} The rule is suspended ({spans}); it "
                           "would apply otherwise.")
    return RuleOutcome(rule, "applies", text, assumption)
