"""What the API and the web pages do for a screen, a check or a release: decide, apply the
pairs reviewers cleared, open a case when a person must decide, and append the decision to the
audit log. Both front ends call these, so a page and an API call with the same input give the
same answer and leave the same record."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from exportguard.access import Principal
from exportguard.cases import subject_fingerprint, subject_key
from exportguard.check import CheckRequest, Party, check
from exportguard.check.release import ReleaseDetermination, ReleaseRequest, release
from exportguard.lists.codes import parse_list_codes
from exportguard.model import ListEntry, entry_fingerprint
from exportguard.regime.dated import parse_as_of
from exportguard.screening import CONFIRMED_SCORE, Match
from exportguard.service import metrics
from exportguard.service.state import ServiceState
from exportguard.store.ownership import Company, OwnershipStore
from exportguard.views import screen_document

log = logging.getLogger("exportguard.service")
_AUDITED_MATCHES = 5


@dataclasses.dataclass(frozen=True, slots=True)
class ScreenInput:
    name: str
    country: str | None = None
    lists: str | None = None
    limit: int = 10
    min_score: float | None = None
    as_of: str | None = None
    customer_id: str | None = None


_SCREEN_FIELDS = tuple(f.name for f in dataclasses.fields(ScreenInput))  # plain values


def screen(state: ServiceState, principal: Principal, request_id: str,
           query: ScreenInput) -> dict[str, Any]:
    """The `screen --json` document plus `decision`, `case_id`, `cleared_matches` and the
    request id. Possible matches a reviewer cleared for this subject leave the matches."""
    return prepare_screen(state, principal, request_id, query).commit(state)


def run_check(state: ServiceState, principal: Principal, request_id: str,
              request: CheckRequest) -> dict[str, Any]:
    """The `check --json` memo plus `case_id` and the request id."""
    return prepare_check(state, principal, request_id, request).commit(state)


def run_release(state: ServiceState, principal: Principal, request_id: str,
                request: ReleaseRequest, via: str | None = None) -> ReleaseDetermination:
    """The deemed-export answer, the person screened on the lists of its date, audited."""
    result = release(request, screener_for=lambda day: state.screener(day, filter_dates=False))
    detail: dict[str, Any] = {"date": result.as_of.isoformat(), "decision": result.decision,
                              "technology": result.technology, "deemed_to": result.deemed_to}
    if via:
        detail["via"] = via
    state.audit.append(principal.name, "release", request.person or "", request_id, detail)
    return result


@dataclasses.dataclass(frozen=True, slots=True)
class Decided:
    """An answer whose case and audit record are yet to be committed: `record` (a function of
    the session, for `Cases.commit` or the group commit) writes them and returns the answer
    with its `case_id`. The answer must not go out before that commit."""

    kind: str
    decision: str
    data: dict[str, Any]
    work: Callable[[Session], int | None]

    def record(self, session: Session) -> dict[str, Any]:
        self.data["case_id"] = self.work(session)
        return self.data

    def commit(self, state: ServiceState) -> dict[str, Any]:
        """Record, and the answer once committed."""
        return self._counted(state.cases.commit(self.record))

    async def commit_async(self, state: ServiceState) -> dict[str, Any]:
        """`commit` on the event loop, in a group commit with the other requests in flight."""
        return self._counted(await state.cases.commit_async(self.record))

    def _counted(self, data: dict[str, Any]) -> dict[str, Any]:
        metrics.decided(self.kind, self.decision)
        return data


def prepare_screen(state: ServiceState, principal: Principal, request_id: str,
                   query: ScreenInput) -> Decided:
    """Screen and build the answer (its `case_id` still to come from the record)."""
    codes = parse_list_codes(query.lists)
    day = parse_as_of(query.as_of, "as_of") if query.as_of else None
    screener = state.screener(day)
    result = screener.screen(query.name, query.country, codes, query.limit, query.min_score)
    key = subject_key(result.query, result.country, query.customer_id)
    fingerprint = subject_fingerprint(result.query, result.country)
    reviewable = [m for m in result.matches if _reviewable(m)]
    cleared = state.cases.cleared([(key, fingerprint, m.entry.key, entry_fingerprint(m.entry))
                                   for m in reviewable])
    kept = [m for m in result.matches if (key, m.entry.key) not in cleared]
    gone = [m for m in result.matches if (key, m.entry.key) in cleared]
    if gone:
        result = dataclasses.replace(result, matches=kept)
    data, _finding = screen_document(state.store, screener, result, day,
                                     in_graph=state.in_graph(result.query))
    data["cleared_matches"] = [{**m.to_dict(), "cleared_by_case": cleared[(key, m.entry.key)]}
                               for m in gone]
    decision = result.decision
    matches = [_case_match(result.query, key, fingerprint, m.entry, m.score, m.matched_name)
               for m in kept if _reviewable(m)]
    request = {k: v for k in _SCREEN_FIELDS if (v := getattr(query, k)) is not None}
    data["case_id"] = None  # its place in the answer; the record sets it
    work = state.cases.recording(
        kind="screen", subject=result.query, decision=decision, request=request,
        result={"decision": decision, "threshold": result.threshold,
                "snapshot_ids": [s.id for s in result.snapshots]},
        matches=matches, actor=principal.name, request_id=request_id,
        summary={"query": result.query, "country": result.country,
                 "customer_id": query.customer_id, "as_of": query.as_of,
                 "lists": sorted(codes) if codes else None,
                 "snapshot_ids": [s.id for s in result.snapshots],
                 "matches": [_audited(m) for m in kept[:_AUDITED_MATCHES]],
                 "cleared": [{"entry_id": m.entry.key, "case_id": cleared[(key, m.entry.key)]}
                             for m in gone]})
    data["request_id"] = request_id
    return Decided("screen", decision, data, work)


def prepare_check(state: ServiceState, principal: Principal, request_id: str,
                  request: CheckRequest) -> Decided:
    """Check and build the memo (its `case_id` still to come from the record)."""

    def cleared(name: str, country: str | None, entry: ListEntry) -> int | None:
        key = subject_key(name, country)
        found = state.cases.cleared([(key, subject_fingerprint(name, country), entry.key,
                                      entry_fingerprint(entry))])
        return found.get((key, entry.key))

    result = check(request, screener_for=lambda day: state.screener(day, filter_dates=False),
                   ownership=_KnownNames(state), cleared=cleared)
    data = result.to_dict()
    matches = []
    for screened in result.parties:
        for row in screened.possible:
            queried, country = row["queried"], _queried_country(screened.party, row["queried"])
            matches.append(_case_match(queried, subject_key(queried, country),
                                       subject_fingerprint(queried, country), row["_entry"],
                                       row["score"], row["matched_name"]))
    parties = request.parties
    subject = "; ".join(p.name for p in parties)
    data["case_id"] = None  # its place in the answer; the record sets it
    # The request is kept only on a case it opens (or matches): built only for a review.
    recorded = request.to_dict() if result.decision == "review" else {}
    work = state.cases.recording(
        kind="check", subject=subject, decision=result.decision, request=recorded,
        result={"decision": result.decision, "review_policy": result.review_policy,
                "fired": result.fired, "missing_facts": result.missing_facts,
                "snapshot_ids": [s["id"] for s in result.lists["snapshots"]]},
        matches=matches, actor=principal.name, request_id=request_id,
        summary={"destination": result.destination, "as_of": result.as_of.isoformat(),
                 "item": result.item, "parties": [p.name for p in parties],
                 "fired": result.fired, "review_policy": result.review_policy,
                 "missing_facts": result.missing_facts})
    data["request_id"] = request_id
    return Decided("check", result.decision, data, work)


class _KnownNames(OwnershipStore):
    """The ownership graph, whose `find` answers at once for a name the graph does not hold
    (`ServiceState.in_graph`, the set of its company names, read again within a few seconds of
    a change): most parties are not in it, and each spares two queries."""

    def __init__(self, state: ServiceState) -> None:
        super().__init__(state.store)
        self._state = state

    def find(self, name: str, country: str | None = None) -> list[Company]:
        if not self._state.in_graph(name):
            return []
        return super().find(name, country)


def _reviewable(match: Match) -> bool:
    return match.score < CONFIRMED_SCORE or match.listing_undecided


def _case_match(subject: str, key: str, fingerprint: str, entry: ListEntry, score: float,
                matched_name: str) -> dict[str, Any]:
    return {"subject": subject, "subject_key": key, "subject_fingerprint": fingerprint,
            "entry_id": entry.key, "entry_fingerprint": entry_fingerprint(entry),
            "list": entry.list_code, "name": entry.name, "matched_name": matched_name,
            "score": round(score, 4), "countries": entry.countries,
            "federal_register": entry.federal_register}


def _audited(match: Match) -> dict[str, Any]:
    return {"entry_id": match.entry.key, "list": match.entry.list_code,
            "name": match.entry.name, "score": round(match.score, 4)}


def _queried_country(party: Party, queried: str) -> str | None:
    return party.parent_hq if party.parent and queried == party.parent else party.country

