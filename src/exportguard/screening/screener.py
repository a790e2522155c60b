"""Screening a name against the loaded lists: candidates from the index, features, a score in
[0, 1] and an explanation for every match."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from exportguard.countries import parse_country
from exportguard.errors import InputError
from exportguard.model import ListEntry, Snapshot
from exportguard.names.normalize import MAX_NAME_CHARS, NameForm, clean, han_key, name_forms
from exportguard.screening.features import Feature, compare, country_feature
from exportguard.screening.index import IndexedName, NameIndex

# Chosen from measured precision and recall on the labelled set (bench/quality.py,
# bench/RESULTS.md): the highest threshold that keeps recall at or above 0.95.
DEFAULT_THRESHOLD = 0.80
MAX_LIMIT = 100
_CANDIDATES = 60


@dataclass(slots=True)
class Match:
    entry: ListEntry
    score: float
    matched_name: str
    matched_origin: str
    query_form: str
    query_form_kind: str
    features: list[Feature]

    @property
    def entry_id(self) -> str:
        return self.entry.key

    def to_dict(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id,
            "list": self.entry.list_code,
            "name": self.entry.name,
            "matched_name": self.matched_name,
            "score": round(self.score, 4),
            "countries": self.entry.countries,
            "type": self.entry.type,
            "license_requirement": self.entry.license_requirement,
            "license_policy": self.entry.license_policy,
            "federal_register": self.entry.federal_register,
            "start_date": self.entry.start_date.isoformat() if self.entry.start_date else None,
            "explanation": {
                "query_form": self.query_form,
                "query_form_kind": self.query_form_kind,
                "matched_name": self.matched_name,
                "matched_name_origin": self.matched_origin,
                "features": [f.to_dict() for f in self.features],
            },
        }


@dataclass(slots=True)
class ScreenResult:
    query: str
    matches: list[Match]
    threshold: float
    country: str | None = None
    lists: frozenset[str] | None = None
    snapshots: list[Snapshot] = field(default_factory=list)
    starter_only: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "country": self.country,
            "lists": sorted(self.lists) if self.lists else None,
            "threshold": self.threshold,
            "snapshot": {
                "ids": [s.id for s in self.snapshots],
                "sources": [s.to_dict() for s in self.snapshots],
                "starter_only": self.starter_only,
            },
            "matches": [m.to_dict() for m in self.matches],
        }


def validate_query(query: object) -> str:
    if not isinstance(query, str):
        raise InputError("name", "must be text")
    if len(query) > MAX_NAME_CHARS:
        raise InputError("name", f"is {len(query)} characters long; the limit is {MAX_NAME_CHARS}")
    text = clean(query)
    if not text:
        raise InputError("name", "is empty")
    if not name_forms(text):
        raise InputError("name", f"'{text}' has no letters or digits to compare")
    return text


class Screener:
    def __init__(
        self,
        index: NameIndex,
        snapshots: Sequence[Snapshot] = (),
        *,
        starter_only: bool = False,
    ) -> None:
        self.index = index
        self.snapshots = list(snapshots)
        self.starter_only = starter_only

    @classmethod
    def from_entries(cls, entries: Sequence[ListEntry], snapshots: Sequence[Snapshot] = (),
                     *, starter_only: bool = False) -> Screener:
        return cls(NameIndex(entries), snapshots, starter_only=starter_only)

    def screen(
        self,
        query: str,
        country: str | None = None,
        lists: frozenset[str] | None = None,
        limit: int = 10,
        min_score: float | None = None,
    ) -> ScreenResult:
        text = validate_query(query)
        code = parse_country(country, "country") if country else None
        if not 1 <= limit <= MAX_LIMIT:
            raise InputError("limit", f"must be between 1 and {MAX_LIMIT}, got {limit}")
        threshold = DEFAULT_THRESHOLD if min_score is None else min_score
        if not 0.0 <= threshold <= 1.0:
            raise InputError("min_score", f"must be between 0 and 1, got {min_score}")
        best: dict[int, Match] = {}
        for form, number, score, features in self._scored(text, lists):
            name = self.index.names[number]
            entry = self.index.entries[name.entry]
            adjusted = list(features)
            country_fit = country_feature(code, entry.countries)
            if country_fit is not None:
                adjusted.append(country_fit)
                score += country_fit.contribution
            score = min(max(score, 0.0), 1.0)
            current = best.get(name.entry)
            if current is None or score > current.score:
                best[name.entry] = Match(entry, score, name.text, name.origin, form.text,
                                         form.kind, adjusted)
        ranked = sorted(best.items(), key=lambda item: (-item[1].score, item[0]))
        matches = [m for _, m in ranked if m.score >= threshold][:limit]
        return ScreenResult(text, matches, threshold, code, lists, self.snapshots,
                            self.starter_only)

    def _scored(
        self, text: str, lists: frozenset[str] | None
    ) -> list[tuple[NameForm, int, float, list[Feature]]]:
        index = self.index
        out: list[tuple[NameForm, int, float, list[Feature]]] = []
        key = han_key(text)
        if key:
            for number in index.han_exact.get(key, ()):
                if self._wanted(index.names[number], lists):
                    form = index.names[number].form
                    feature = Feature(
                        "exact_alias", 1.0, 1.0, 1.0,
                        f"the characters {key} equal the listed "
                        f"{'curated local ' if index.names[number].origin == 'local' else ''}"
                        "name",
                    )
                    out.append((form, number, 1.0, [feature]))
        for form in name_forms(text):
            numbers = set(index.exact.get(form.core, ()))
            numbers.update(int(n) for n in index.candidates(form, _CANDIDATES))
            transliterated = _transliteration(form)
            for number in numbers:
                name = index.names[number]
                if not self._wanted(name, lists):
                    continue
                score, features = compare(form, name.form, index.weight)
                if transliterated is not None:
                    features = [*features, transliterated]
                out.append((form, number, score, features))
        return out

    def _wanted(self, name: IndexedName, lists: frozenset[str] | None) -> bool:
        return lists is None or self.index.entries[name.entry].list_code in lists


def _transliteration(form: NameForm) -> Feature | None:
    if form.kind != "han-translated":
        return None
    return Feature(
        "transliteration", 1.0, 0.0, 0.0,
        f"'{form.original}' read as '{form.text}' (company-name terms translated, the rest in "
        "pinyin)",
    )
