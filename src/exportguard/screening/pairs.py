"""Two names scored against each other by the screening matcher (`compare_names`).

Name B becomes the one entry of an index of its own, with the names in characters (curated) of
the listed entries that have B's name (`_local_names`: a listed name keeps its own, as in a
screen) and their type when they agree on one (`_listed_type`: a vessel is no person), and
name A is screened against that index by `Screener.screen`, the code a screen runs. Word
weights are IDF over the names of a list, so the one-name index weighs words as the lists in
force weigh them (`NameIndex.weigh_as`): when B is a listed name, A scores against B what a
screen of A gives that name. Two differences remain, both
from the other listed names: a screen scores only the 40 names with most in common with A (B is
always scored here), and reads a name in characters in Japanese or by its Korean readings only
when no listed name comes close to its Chinese readings (here: when B does not).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from exportguard.countries import parse_country
from exportguard.errors import InputError
from exportguard.model import ListEntry
from exportguard.names.normalize import name_forms
from exportguard.screening.index import NameIndex
from exportguard.screening.screener import (
    CONFIRMED_SCORE,
    DEFAULT_THRESHOLD,
    Match,
    Screener,
    validate_query,
)

if TYPE_CHECKING:
    from exportguard.model import Snapshot

PAIR_LIST = "PAIR"  # the list code of name B's entry (no list's)


@dataclass(slots=True)
class NameComparison:
    """Name A scored against name B. `match` is how A matched B (None when B shares no word,
    trigram or sound with any reading of A: a screen would not have scored it)."""

    name_a: str
    name_b: str
    country_a: str | None
    country_b: tuple[str, ...]
    score: float
    match: Match | None
    weights: tuple[Snapshot, ...]  # the snapshots whose names weigh the words
    threshold: float = DEFAULT_THRESHOLD

    @property
    def decision(self) -> str:
        """As a screen decides on its best match: `clear` below the threshold, `match` for an
        exact name (1.0), else `review`."""
        if self.score < self.threshold:
            return "clear"
        return "match" if self.score >= CONFIRMED_SCORE else "review"

    def to_dict(self) -> dict[str, Any]:
        match = self.match
        return {
            "name_a": self.name_a,
            "name_b": self.name_b,
            "country_a": self.country_a,
            "country_b": list(self.country_b),
            "score": round(self.score, 4),
            "threshold": self.threshold,
            "decision": self.decision,
            "explanation": None if match is None else {
                "query_form": match.query_form,
                "query_form_kind": match.query_form_kind,
                "matched_name": match.matched_name,
                "matched_name_origin": match.matched_origin,
                "features": [f.to_dict() for f in match.features],
            },
            "word_weights_from": [s.to_dict() for s in self.weights],
        }


def compare_names(a: str, b: str, *, country_a: str | None = None,
                  country_b: str | Sequence[str] | None = None,
                  screener: Screener | None = None) -> NameComparison:
    """Score name `a` (the party asked about, as a screen's query) against name `b` (as if it
    were a listed name) with the screening matcher. `country_a` is the query's country,
    `country_b` the listed party's (one ISO code or several). `screener`: the lists whose word
    frequencies weigh the words (default: the latest snapshots in the default store, as
    `current_screener(Store())`)."""
    text_a = validate_query(a, "name_a")
    text_b = validate_query(b, "name_b")
    code_a = parse_country(country_a, "country_a") if country_a is not None else None
    codes_b = _countries(country_b)
    if screener is None:
        from exportguard.screening.loaded import current_screener
        from exportguard.store import Store

        store = Store()
        try:
            screener = current_screener(store)
        finally:
            store.close()
    index = NameIndex([ListEntry(PAIR_LIST, text_b, countries=list(codes_b), key="pair:b",
                                 type=_listed_type(text_b, screener.index),
                                 local_names=_local_names(text_b, screener.index))])
    index.weigh_as(screener.index)
    result = Screener(index).screen(text_a, code_a, limit=1, min_score=0.0)
    match = result.matches[0] if result.matches else None
    return NameComparison(text_a, text_b, code_a, codes_b, match.score if match else 0.0, match,
                          tuple(screener.snapshots))


def _local_names(text: str, lists: NameIndex) -> list[str]:
    """The names in characters of the listed entries that have a name (or alias) of `text`'s
    core: the curated names its listed copy carries (`lists.starter.with_local_names` put them
    there when the index was built; asking the curated records here would normalise every one
    of them)."""
    found: list[str] = []
    for form in name_forms(text):
        for number in list(lists.exact.get(form.core, ())):
            name = lists.names[number]
            if name.origin != "local":
                found.extend(lists.entries[name.entry].local_names)
    return list(dict.fromkeys(found))


def _listed_type(text: str, lists: NameIndex) -> str | None:
    """The type (Individual, Entity, Vessel...) the lists give every listed entry that has a
    name (or alias) of `text`'s core, when they give one and agree; else None. As in a screen,
    a party its list says is no individual is not read as a person (`persons.may_be_person`)."""
    types = {lists.entries[lists.names[number].entry].type for form in name_forms(text)
             for number in lists.exact.get(form.core, ())
             if lists.names[number].origin != "local"}
    return types.pop() if len(types) == 1 else None


def _countries(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (parse_country(value, "country_b"),)
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise InputError("country_b", "must be an ISO 3166-1 code or a list of them")
    return tuple(dict.fromkeys(parse_country(v, "country_b") for v in value))
