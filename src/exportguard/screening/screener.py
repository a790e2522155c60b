"""Screening a name against the loaded lists: candidates from the index, features, a score in
[0, 1] and an explanation for every match."""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from exportguard.countries import parse_country
from exportguard.errors import InputError
from exportguard.lists.codes import LIST_NAMES
from exportguard.lists.fr_dates import FrDates
from exportguard.lists.history import InForce, in_force_on
from exportguard.lists.listing_dates import listing_date
from exportguard.model import ListEntry, Snapshot
from exportguard.names.chinese import (
    HAN_RUN,
    institution_endings,
    names_itself,
    segment,
    simplified,
    trade_name,
    trade_name_with_head,
)
from exportguard.names.korean import (
    dprk_person,
    has_hangul,
    korean_terms,
    mr_words,
    sino_korean,
)
from exportguard.names.normalize import (
    MAX_NAME_CHARS,
    NameForm,
    basic_tokens,
    clean,
    han_key,
    has_han,
    japanese_forms,
    name_forms,
    reading_notes,
)
from exportguard.names.pinyin import pinyin_trade_names
from exportguard.names.query import QueryPart, query_parts, split_glued
from exportguard.names.terms import filler_tokens, vocabulary
from exportguard.screening.bound import score_bounds_many
from exportguard.screening.features import (
    COUNTRY_AGREES,
    KIND_CONFLICT,
    LEGAL_FORM_CONFLICT,
    Feature,
    align_tokens,
    country_feature,
    explain,
    score,
    short_word_approximate,
)
from exportguard.screening.han_rules import (
    ACRONYM_ONLY,
    BUSINESS_WORD_SHARE,
    CONTRADICTED,
    NUMBERED_ALONE,
    NUMBERED_IN_PLACE,
    RELATIVE_CEILING,
    UNIT_OF_PARENT,
    NameFacts,
    Relative,
    acronym_only,
    business_words,
    company_not_institution,
    contradiction,
    han_facts,
    is_unit,
    lighter_against,
    numbered_agrees,
    numbered_unit,
    parent_in_name,
    parent_named,
    parent_only,
    parent_parts,
    party_facts,
    relative,
    unit_has_place,
    unit_splits,
)
from exportguard.screening.index import IndexedName, NameIndex
from exportguard.screening.persons import may_be_person, person_like
from exportguard.screening.short_names import (
    HAN_PERSON_KINDS,
    HAN_PERSON_NAME,
    HAN_WESTERN,
    SHORT_NAME_CEILING,
    han_person_name,
    other_business,
    person_forms,
    short_name,
)

# Chosen from measured precision and recall on the labelled set (bench/quality.py, figures in
# bench/RESULTS.md): F1 peaks at 0.85; 0.80 would add 0.4 points of recall for twice the false
# alarms on real unlisted names, 0.90 loses 2.4 points of recall.
DEFAULT_THRESHOLD = 0.85
MAX_LIMIT = 100
TYPE_MISMATCH = -0.15
CONFIRMED_SCORE = 0.999
FUZZY_CEILING = 0.99  # the best a match that is not exact can score, country fit included
# A query in characters read as the listed English name, when the party's own name in characters
# is known and is another: the reading is likely a different party with a similar English name.
OWN_NAME_DIFFERS = -0.20
# A query in characters read as a listed English name that lacks a word of the query's trade name
# (中科星图测控 read as "zhongke xingtu measurement and control" against Zhongke Xingtu Space
# Technology; 长城汽车 "great wall automobile" against GreatWall Military): the trade name is what
# tells companies apart, so the listed name is likely a sister company, not the one asked about.
TRADE_WORD_MISSING = -0.15
"""A score of 1 is an exact name, alias or curated local name: the party is the listed one. Lower
scores above the screening threshold are possible matches that a person must decide."""
DECISIONS = ("clear", "review", "match")
_CANDIDATES = 40
# A name in characters is read in Japanese and by its Sino-Korean readings only when its Chinese
# readings find no name scoring this much (the default threshold less a country's agreement).
_CLOSE = DEFAULT_THRESHOLD - 0.05
_GLUED_MIN = 10  # a word this long that no listed name has may be several written together
_GLUED_PIECE = 4
_UNSEEN = object()
_FLOOR_MARGIN = 1e-9  # float sums in another order (see `screen`)
# A query in characters whose trade name (字号: 旷视 of 北京旷视科技有限公司) is that of a
# curated or listed name in characters: the bare trade name, or a shortening of the name, is
# nearly certain; the trade name with another place or other business words is likely the party
# or one of its companies, for a person to decide. A query in pinyin is read the same way
# against the pinyin of those names. None of these is a confirmed match (pinyin has no tones; a
# trade name is not unique across provinces).
TRADE_NAME_SAME = 0.95
TRADE_NAME_OTHER = 0.90
PINYIN_FULL = 0.95
PINYIN_TRADE = 0.90
_TYPO_MATCH = 0.75  # a word of the trade name found at least this well counts as present
# Names in characters ending with one unit's name beyond which it names no unit of its own
# (科技有限公司 ends thousands of company names): see Screener._units.
_UNIT_NAMES_MAX = 50
_PINYIN_MIN = 6  # letters: shorter pinyin keys (dahua, hikv) are too often other words


@dataclass(slots=True)
class Match:
    entry: ListEntry
    score: float
    matched_name: str
    matched_origin: str
    query_form: str
    query_form_kind: str
    features: list[Feature]
    listed_from: str | int | None = None
    listed_from_basis: str | None = None
    listing_undecided: bool = False
    listing_window: dict[str, Any] | None = None

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
            **({"listed_from": self.listed_from, "listed_from_basis": self.listed_from_basis,
                "listing_undecided": self.listing_undecided}
               if self.listed_from_basis is not None else {}),
            **({"listing_window": self.listing_window} if self.listing_window else {}),
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
    as_of: date | None = None
    in_force: list[InForce] = field(default_factory=list)
    more: int = 0  # matches at or above the threshold beyond the limit, not shown

    @property
    def decision(self) -> str:
        """`clear` (nothing at or above the threshold), `match` (the best match is exact and its
        listing in force on the date asked) or `review` (a person must decide)."""
        if not self.matches:
            return "clear"
        best = self.matches[0]
        if best.score >= CONFIRMED_SCORE and not best.listing_undecided:
            return "match"
        return "review"

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "decision": self.decision,
            "country": self.country,
            "lists": sorted(self.lists) if self.lists else None,
            "threshold": self.threshold,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "snapshot": {
                "ids": [s.id for s in self.snapshots],
                "sources": [s.to_dict() for s in self.snapshots],
                "starter_only": self.starter_only,
                "in_force": [f.to_dict() for f in self.in_force],
            },
            "matches": [m.to_dict() for m in self.matches],
            "more_matches": self.more,
        }


def validate_query(query: object, field: str = "name") -> str:
    """The name cleaned for screening; an InputError naming `field` when it cannot be screened
    (not text, longer than MAX_NAME_CHARS, empty, or no letters or digits)."""
    if not isinstance(query, str):
        raise InputError(field, "must be text")
    if len(query) > MAX_NAME_CHARS:
        raise InputError(field, f"is {len(query)} characters long; the limit is {MAX_NAME_CHARS}")
    text = clean(query)
    if not text:
        raise InputError(field, "is empty")
    if not name_forms(text):
        raise InputError(field, f"'{text}' has no letters or digits to compare")
    return text


_LIST_RANK = {code: rank for rank, code in enumerate(LIST_NAMES)}


def _list_rank(entry: ListEntry) -> int:
    return _LIST_RANK.get(entry.list_code, len(_LIST_RANK))


class Screener:
    def __init__(
        self,
        index: NameIndex,
        snapshots: Sequence[Snapshot] = (),
        *,
        starter_only: bool = False,
        on: date | None = None,
        in_force: Sequence[InForce] = (),
    ) -> None:
        """`on`: screen as the lists stood that day; entries not yet listed (or already expired)
        then are never matched, and entries listed in that year on a day the record does not give
        are matched and flagged. `in_force` says which snapshot stood for each source."""
        self.index = index
        self.snapshots = list(snapshots)
        self.starter_only = starter_only
        self.on = on
        self.in_force = list(in_force)
        self._dated: dict[int, bool | None] = {}
        self._han_names: dict[int, tuple[str, ...]] = {}
        self._facts: dict[int, NameFacts] = {}
        self._kin: dict[tuple[str, int], Relative | None] = {}
        self._unit_names: list[str] | None = None  # see _units

    @cached_property
    def fr_dates(self) -> FrDates:
        """The Federal Register page table that dates this screener's listings: the built-in
        anchors plus the dated citations of its own entries (built at first use)."""
        return FrDates.builtin().with_citation_dates(self.index.citation_dates().tolist())

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
        # Score every candidate cheaply, keep each entry's best name, explain only what is shown.
        best: dict[int, tuple[float, NameForm, int, Feature | None, QueryPart]] = {}
        for part in query_parts(text):
            key = han_key(part.text)
            where = code or part.country
            # A country can only add COUNTRY_AGREES; every other adjustment subtracts.
            floor = threshold - (COUNTRY_AGREES if where is not None else 0.0)
            # So a value below the floor ends below the threshold, whatever the rules below say:
            # they are not asked (the trade name's readings, the party's facts: a name in
            # characters scores several such candidates). Not with a threshold of 0, which a
            # value below 0 meets once raised to 0.
            hopeless = floor - _FLOOR_MARGIN if threshold > 0 else -math.inf
            for form, number, value, exact in self._scored(part.text, lists, floor):
                if value < hopeless:
                    continue
                entry_number = self.index.names[number].entry
                if form.kind in HAN_PERSON_KINDS and self._person_form_held(
                        key, entry_number, form, self.index.names[number].form) is None:
                    continue  # read in Western order only as a person's listed name
                entry = self.index.entries[entry_number]
                # A reading that took a term's other convention (集团 as corporation, 理工大学 as
                # institute of technology) or an ordinal may name another party of the same
                # words (the group's company, another university): never a confirmed match, and
                # not one of the listed name's own words for the group-relative rule.
                other = exact is None and _other_convention(form)
                certain = value >= 1.0 and not other
                equal = certain and exact is None  # the reading is a listed name's words
                differs = (exact is None and key and self._own_names_differ(key, entry_number)
                           and not _numbers_agree(key, self.index.names[number].form.tokens)
                           and not (not other and short_name(key) is not None
                                    and _reads_as_listed(form.tokens,
                                                         self.index.names[number].form.tokens)))
                if differs and not other and _word_for_word(
                        key, form.tokens, self.index.names[number].form.tokens):
                    differs = False
                    certain = False  # a translation of the listed name, not its own characters
                listed_trade = (exact is None and key and not other
                                and self._listed_trade_name(key, form, number))
                if listed_trade:
                    differs = False
                    certain = False  # a short name: never a confirmed match
                if differs:
                    value += OWN_NAME_DIFFERS
                    certain = False
                if exact is None and key and _trade_word_missing(
                        part.text, self.index.names[number].form.tokens):
                    value += TRADE_WORD_MISSING
                    certain = False
                if exact is None and key and company_not_institution(
                        part.text, form, self.index.names[number].form):
                    value += KIND_CONFLICT
                    certain = False
                if exact is None and key and acronym_only(form, self.index.names[number].form):
                    value += ACRONYM_ONLY
                    certain = False
                if self._contradicted(key, part.text, exact, entry_number):
                    value += CONTRADICTED
                    certain = False
                if where is not None:
                    fit = _country_adjustment(where, entry.countries)
                    # The party's own name in characters is another: that it is in the country
                    # asked (nearly every name in characters is Chinese) corroborates nothing;
                    # nor does it for a short distinctive word met only approximately.
                    # (Asked only where the bonus would lift the match to the threshold.)
                    if (fit > 0 and exact is None and value + fit >= threshold
                            and self._short_fuzzy(form, number)):
                        fit = 0.0
                    value += min(fit, 0.0) if differs else fit
                    if certain and fit < 0 and form.legal_forms != self.index.names[
                            number].form.legal_forms:
                        # Another legal form and another country: not the listed company.
                        value += LEGAL_FORM_CONFLICT
                        certain = False
                if form.legal_forms and entry.type == "Individual":
                    value += TYPE_MISMATCH
                if value > RELATIVE_CEILING and not equal and self._relative(
                        key, part.text, exact, entry_number):
                    value = RELATIVE_CEILING
                    certain = False
                if value > RELATIVE_CEILING and exact is None and key and parent_only(
                        key, self.index.names[number].form.tokens):
                    value = RELATIVE_CEILING
                    certain = False
                held = self._short_name_held(key, exact, entry_number, form,
                                             self.index.names[number].form) if (
                    value > SHORT_NAME_CEILING
                    and (not listed_trade or form.kind in HAN_PERSON_KINDS)) else None
                if held is not None and value > held[2]:
                    value = held[2]
                    certain = False
                # However well the country fits, a fuzzy match never ties an exact one.
                value = min(max(value, 0.0), 1.0 if certain else FUZZY_CEILING)
                current = best.get(entry_number)
                if current is None or value > current[0]:
                    best[entry_number] = (value, form, number, exact, part)
        ranked = [item for item in sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
                  if item[1][0] >= threshold]
        # Equal scores: the list that restricts most comes first, in the order of LIST_NAMES
        # (the Entity List's Megvii before the same name on the NS-CMIC list, so a batch's best
        # match is the EL entry); then entry order, as before.
        ranked.sort(key=lambda item: (-item[1][0], _list_rank(self.index.entries[item[0]])))
        matches = [
            self._match(value, form, number, exact, code or part.country, part)
            for _, (value, form, number, exact, part) in ranked[:limit]
        ]
        if self.on is not None:
            for match in matches:
                when = listing_date(match.entry, self.fr_dates)
                match.listed_from = when.listed_from
                match.listed_from_basis = when.basis
                match.listing_window = when.window_dict()
                # Year-only dates inside the year asked are undecided; so is an undated entry
                # read from a snapshot made after the date asked (it may have come later).
                match.listing_undecided = when.listed_on(self.on) is None or (
                    when.day is None and when.year is None and when.window is None
                    and any(f.reconstructed for f in self.in_force))
        return ScreenResult(text, matches, threshold, code, lists, self.snapshots,
                            self.starter_only, self.on, self.in_force,
                            more=len(ranked) - len(matches))

    def _match(self, value: float, form: NameForm, number: int, exact: Feature | None,
               code: str | None, part: QueryPart) -> Match:
        name = self.index.names[number]
        entry = self.index.entries[name.entry]
        key = han_key(part.text)
        minor = business_words(part.text) if key else frozenset()
        features = [exact] if exact is not None else explain(
            form, self._query_weights(form, minor, name.form), name.form,
            self.index.name_weights[number], may_be_person(entry))
        lighter = sorted(minor.intersection(form.tokens)) if (
            exact is None and lighter_against(form, name.form)) else []
        if lighter:
            features.append(Feature(
                "business_words", 1.0, 0.0, 0.0,
                f"the query's business words after its trade name ({', '.join(lighter)}) weigh "
                f"{BUSINESS_WORD_SHARE:.0%} of their usual weight: English names of Chinese "
                "companies often word them otherwise or leave them out"))
        listed_trade = (self._listed_trade_name(key, form, number)
                        if exact is None and key and not _other_convention(form) else None)
        differs = bool(exact is None and key and self._own_names_differ(key, name.entry)
                       and not _numbers_agree(key, name.form.tokens)
                       and not (not _other_convention(form) and short_name(key) is not None
                                and _reads_as_listed(form.tokens, name.form.tokens))
                       and not (not _other_convention(form)
                                and _word_for_word(key, form.tokens, name.form.tokens))
                       and not listed_trade)
        if listed_trade:
            features.append(Feature(
                "listed_trade_name", 1.0, 0.0, 0.0,
                f"the listed name {name.text} is the trade name and a legal form alone, as the "
                f"query {key} is ({' '.join(form.tokens)}); the party's name in characters "
                f"{listed_trade} has the trade name {trade_name(key)}: a name of the party, "
                "not another company of the trade name; a short name is never a confirmed "
                "match"))
        if differs:
            own = "', '".join(self._own_names(name.entry))
            features.append(Feature(
                "own_name_differs", 1.0, OWN_NAME_DIFFERS, OWN_NAME_DIFFERS,
                f"the listed party's name in characters is '{own}', not '{key}'"))
        missing = _trade_word_missing(part.text, name.form.tokens) if (
            exact is None and key) else None
        if missing:
            features.append(Feature(
                "trade_word_missing", 1.0, TRADE_WORD_MISSING, TRADE_WORD_MISSING,
                f"the listed name lacks '{missing[1]}' of the query's trade name {missing[0]}"))
        institution = company_not_institution(part.text, form, name.form) if (
            exact is None and key) else None
        if institution:
            features.append(Feature(
                "kind_conflict", 1.0, KIND_CONFLICT, KIND_CONFLICT,
                f"the query in characters names a company (trade name {institution[0]}), the "
                f"listed name an institution ('{institution[1]}')"))
        acronym = acronym_only(form, name.form) if exact is None and key else None
        if acronym:
            features.append(Feature(
                "acronym_only", 1.0, ACRONYM_ONLY, ACRONYM_ONLY,
                f"the listed name is the one short word '{acronym}', which many parties share; "
                "the query's name in characters says more"))
        clash = self._contradicted(key, part.text, exact, name.entry)
        if clash:
            features.append(Feature("contradicted", 1.0, CONTRADICTED, CONTRADICTED,
                                    f"{clash}: likely another company or institute"))
        if part.role != "query":
            features.append(Feature("query_cleanup", 1.0, 0.0, 0.0,
                                    f"screened '{part.text}': {part.note}"))
        read = reading_notes(form.notes)
        if form.notes and exact is None and len(read) < len(form.notes):
            features.append(Feature("transliteration", 1.0, 0.0, 0.0, "; ".join(
                note for note in form.notes if note not in read)))
        if read or name.form.notes:
            listed_read = tuple(f"listed name: {note}" for note in reading_notes(name.form.notes))
            if read or listed_read:
                features.append(Feature("name_reading", 1.0, 0.0, 0.0,
                                        "; ".join((*read, *listed_read))))
        country_fit = country_feature(code, entry.countries)
        if country_fit is not None and differs and country_fit.contribution > 0:
            country_fit = Feature("country", country_fit.value, 0.0, 0.0,
                                  f"{country_fit.detail}; no weight: the party's own name in "
                                  "characters is another")
        short = self._short_fuzzy(form, number) if (
            country_fit is not None and country_fit.contribution > 0 and exact is None) else None
        if country_fit is not None and short is not None:
            country_fit = Feature("country", country_fit.value, 0.0, 0.0,
                                  f"{country_fit.detail}; no weight: the short distinctive word "
                                  f"'{short[1]}' is met only approximately ('{short[0]}', "
                                  f"{short[2]}), and many names near a short one share a country")
        if country_fit is not None:
            features.append(country_fit)
            names = [f.name for f in features]
            if (names[0] == "exact_alias" and "legal_form_conflict" not in names
                    and exact is None and country_fit.contribution < 0
                    and form.legal_forms != name.form.legal_forms):
                features.append(Feature(
                    "legal_form_conflict", 1.0, LEGAL_FORM_CONFLICT, LEGAL_FORM_CONFLICT,
                    f"another legal form ({'/'.join(form.legal_forms) or 'none'} vs "
                    f"{'/'.join(name.form.legal_forms) or 'none'}) in another country"))
        if form.legal_forms and entry.type == "Individual":
            features.append(Feature(
                "entity_type", 1.0, TYPE_MISMATCH, TYPE_MISMATCH,
                f"the query carries a company legal form ({', '.join(form.legal_forms)}); the "
                "listed party is an individual",
            ))
        so_far = sum(f.contribution for f in features)
        kin = self._relative(key, part.text, exact, name.entry) if (
            so_far > RELATIVE_CEILING and features[0].name != "exact_alias") else None
        if kin is not None:
            features.append(Feature("group_relative", 1.0, RELATIVE_CEILING - so_far,
                                    RELATIVE_CEILING - so_far,
                                    f"{kin.detail()}; so at most {RELATIVE_CEILING:.2f}"))
        so_far = sum(f.contribution for f in features)
        parent = parent_only(key, name.form.tokens) if (
            exact is None and key and so_far > RELATIVE_CEILING) else None
        if parent is not None:
            head, unit, words = parent
            features.append(Feature(
                "parent_only", 1.0, RELATIVE_CEILING - so_far, RELATIVE_CEILING - so_far,
                f"the query names the unit {unit} under {head}, and every word of the listed "
                f"name that says whose it is ({', '.join(words)}) reads {head}: it names a "
                f"parent, not the unit; so at most {RELATIVE_CEILING:.2f}"))
        so_far = sum(f.contribution for f in features)
        held = self._short_name_held(key, exact, name.entry, form, name.form) if (
            so_far > SHORT_NAME_CEILING and (not listed_trade or form.kind in HAN_PERSON_KINDS)
        ) else None
        if held is not None and so_far > held[2]:
            features.append(Feature(held[0], 1.0, held[2] - so_far, held[2] - so_far,
                                    f"{held[1]}; so at most {held[2]:.2f}"))
        return Match(entry, value, name.text, name.origin, form.text, form.kind, features)

    def _scored(
        self, text: str, lists: frozenset[str] | None, floor: float = 0.0
    ) -> list[tuple[NameForm, int, float, Feature | None]]:
        """Each candidate name's score, leaving out names whose score is sure to be below
        `floor` (see `bound`)."""
        index = self.index
        out: list[tuple[NameForm, int, float, Feature | None]] = []
        key = han_key(text)
        if key:
            written = simplified("".join(HAN_RUN.findall(text)))
            read = (f"read {text} as {key} (short forms spelt out, numbers as digits): "
                    if written != key else "")
            for number in index.han_exact.get(key, ()):
                name = index.names[number]
                if self._wanted(name, lists):
                    feature = Feature(
                        "exact_alias", 1.0, 1.0, 1.0,
                        f"{read}the characters {key} equal the listed "
                        f"{'curated local ' if name.origin == 'local' else ''}name",
                    )
                    out.append((name.form, number, 1.0, feature))
        out.extend(self._trade_and_pinyin(text, key, lists))
        minor = business_words(text) if key else frozenset()
        forms = self._forms(text)
        self._score_forms(forms, minor, lists, floor, out)
        if key and not any(value >= _CLOSE for _form, _number, value, _exact in out):
            # Characters the Chinese readings find nothing close to may be a Japanese or a
            # Korean name: read them so too (see _other_readings).
            self._score_forms(self._other_readings(text, forms), minor, lists, floor, out)
        return out

    def _score_forms(self, forms: list[NameForm], minor: frozenset[str],
                     lists: frozenset[str] | None, floor: float,
                     out: list[tuple[NameForm, int, float, Feature | None]]) -> None:
        """Each candidate name of each form scored into `out`, less those whose bound is below
        `floor`."""
        index = self.index
        found: list[tuple[NameForm, tuple[float, ...], tuple[float, ...], list[int]]] = []
        for form in forms:
            plain = index.weights(form)
            light = self._query_weights(form, minor, plain=plain)
            numbers = set(index.exact.get(form.core, ()))
            numbers.update(index.candidates(form, _CANDIDATES).tolist())
            # In name order, so that of an entry's names scoring the same the first added (its
            # listed name, then aliases, then curated local names) is the one shown, whatever
            # the number of names in the index (a set's order shifts with it).
            found.append((form, plain, light, sorted(numbers)))
        if floor > 0:
            # The forms' bounds in one step (a name in characters has several readings).
            jobs = [(form, np.asarray(ordered, dtype=np.int64),
                     (plain, light) if light is not plain else (plain,))
                    for form, plain, light, ordered in found if ordered]
            bounded = iter(score_bounds_many(index, jobs))
            found = [(form, plain, light, [
                n for n, b in zip(ordered, next(bounded).tolist(), strict=True) if b >= floor]
                if ordered else ordered) for form, plain, light, ordered in found]
        for form, plain, light, ordered in found:
            for number in ordered:
                name = index.names[number]
                if self._wanted(name, lists):
                    weights = light if light is not plain and lighter_against(
                        form, name.form) else plain
                    value = score(form, weights, name.form, index.name_weights[number],
                                  may_be_person(index.entries[name.entry]))
                    out.append((form, number, value, None))

    def _trade_and_pinyin(self, text: str, key: str | None, lists: frozenset[str] | None
                          ) -> list[tuple[NameForm, int, float, Feature | None]]:
        """Names in characters linked by the query's trade name or by its pinyin (see
        TRADE_NAME_SAME), each with the feature that says how the query was read."""
        index = self.index
        out: list[tuple[NameForm, int, float, Feature | None]] = []
        if key:
            trade = trade_name(text)
            for number in index.han_trade.get(trade, ()) if trade else ():
                name = index.names[number]
                listed = han_key(name.text) or ""
                same = key == trade or _abbreviates(key, listed)
                if not same and not names_itself(trade):
                    continue  # 中国卫星网络集团 is not 中国卫星: business words tell them apart
                value = TRADE_NAME_SAME if same else TRADE_NAME_OTHER
                how = ("the query is the trade name or a shortening of it" if same else
                       "with other place or business words")
                if self._wanted(name, lists):
                    out.append((name.form, number, value, Feature(
                        "trade_name", 1.0, value, value,
                        f"read {key} as trade name {trade} ({how}); trade name {trade} of "
                        f"{_origin(name.origin)} {name.text}")))
            out.extend(self._numbered(key, text, lists))
            out.extend(self._units_of_parents(key, lists))
            return out
        if not text.isascii():
            return out
        letters = "".join(basic_tokens(text))
        if len(letters) < _PINYIN_MIN or not letters.isalpha():
            return out
        found: dict[int, tuple[float, str]] = {}
        for number in index.pinyin_full.get(letters, ()):
            found[number] = (PINYIN_FULL, f"read '{text}' as the pinyin {letters}")
        for trade, how in pinyin_trade_names(letters):
            if len(trade) < _PINYIN_MIN:
                continue
            for number in index.pinyin_trade.get(trade, ()):
                if number not in found:
                    found[number] = (PINYIN_TRADE, f"read '{text}' as the pinyin trade name "
                                                   f"{trade} ({how})")
        for number, (value, how) in found.items():
            name = index.names[number]
            if self._wanted(name, lists):
                out.append((name.form, number, value, Feature(
                    "pinyin_name", 1.0, value, value,
                    f"{how}, the reading of {_origin(name.origin)} {name.text}")))
        return out

    def _numbered(self, key: str, text: str, lists: frozenset[str] | None
                  ) -> list[tuple[NameForm, int, float, Feature | None]]:
        """Listed names of the numbered unit a query such as 南京55所, 二〇二厂 or 航天科工二院23所
        reads as (`han_rules.numbered_unit`): the number and the unit's kind in the name, the
        query's place one of the party's, or its other words the listed name's
        (`han_rules.parent_named`)."""
        unit = numbered_unit(key)
        if unit is None:
            return []
        readings = [f.tokens for f in name_forms(text)] if unit.parent else []
        out: list[tuple[NameForm, int, float, Feature | None]] = []
        postings = self.index.tokens.array(unit.number)
        for number in postings.tolist() if postings is not None else ():
            name = self.index.names[number]
            entry = self.index.entries[name.entry]
            facts = self._facts.get(name.entry)
            if facts is None:
                facts = self._facts[name.entry] = party_facts(
                    (entry.name, *entry.alt_names, *entry.local_names))
            if not self._wanted(name, lists) or not numbered_agrees(
                    unit, name.form.tokens, facts, entry.countries) or (
                    unit.parent and not parent_named(readings, unit, name.form.tokens)):
                continue
            value = NUMBERED_IN_PLACE if unit.places or unit.parent else NUMBERED_ALONE
            where = (f" in {'/'.join(sorted(unit.places))}, a place of the listed party"
                     if unit.places else " of the group or academy the listed name names"
                     if unit.parent else "")
            out.append((name.form, number, value, Feature(
                "numbered_unit", 1.0, value, value,
                f"read {key} as {unit.unit} number {unit.number}{where}; the "
                f"{_origin(name.origin)} {name.text} carries that number and is a "
                f"{'/'.join(sorted(unit.words() & set(name.form.tokens)))}")))
        return out

    def _listed_trade_name(self, key: str, form: NameForm, number: int) -> str | None:
        """The party's name in characters holding the trade name, when a short name of a trade
        name and 股份 or 集团 (纵横股份, an A-share short name) is read word for word as a listed
        name in Latin letters that is itself the trade name and a legal form alone (the alias
        "Zongheng Co., Ltd." of Chengdu Zongheng Automation Technology): the party is listed
        under its trade name alone, so the short name is one of its names, not another company
        of the trade name (`short_names.other_business`), and the party's own name in characters
        (成都纵横自动化技术股份有限公司) holds that trade name. None otherwise."""
        listed = self.index.names[number]
        trade = trade_name(key)
        if (not trade or key not in {trade + word for word in ("股份", "集团")}
                or short_name(key) is None or has_han(listed.text)
                or len(form.tokens) != 1 or form.tokens != listed.form.tokens
                or not form.legal_forms or not listed.form.legal_forms):
            return None
        return next((name for name in self._own_names(listed.entry) if trade in name), None)

    def _units(self, unit: str) -> list[tuple[int, str]]:
        """The names in characters that end with a unit's name (`han_rules.unit_splits`), each
        with what is written before the unit ('' for a name that is the unit alone): looked up
        in the index's exact keys written backwards, sorted once."""
        if self._unit_names is None:
            self._unit_names = sorted(key[::-1] for key in self.index.han_exact.keys
                                      if is_unit(key))
        backwards = unit[::-1]
        start = at = bisect.bisect_left(self._unit_names, backwards)
        while at < len(self._unit_names) and self._unit_names[at].startswith(backwards):
            at += 1
            if at - start > _UNIT_NAMES_MAX:
                return []  # a unit's name so many names end with says nothing of whose it is
        found: list[tuple[int, str]] = []
        for backwards_key in self._unit_names[start:at]:
            key = backwards_key[::-1]
            found.extend((n, key[: -len(unit)]) for n in self.index.han_exact.get(key, ()))
        return found

    def _parents_named(self, head: str) -> dict[int, str]:
        """The listed parties (entry numbers) whose names in characters are written in `head`,
        a unit's parents' names (`han_rules.parent_parts`), each with the name found."""
        found: dict[int, str] = {}
        for part in parent_parts(head):
            for number in self.index.han_exact.get(part, ()):
                found.setdefault(self.index.names[number].entry, part)
        return found

    def _units_of_parents(self, key: str, lists: frozenset[str] | None
                          ) -> list[tuple[NameForm, int, float, Feature | None]]:
        """Names of the unit a query in characters names after its parents' names
        (`han_rules.unit_splits`: 中国人民解放军军事科学院军事医学研究院 / 野战输血研究所), when
        the party is that unit under those parents: its name in characters is the unit under
        the same parent (the same party's name, or a shortening: 中航工业 of 中国航空工业集团公司),
        or is the unit alone and either names its place (中山大学 / 国家超级计算广州中心) or the
        party's listed name holds the listed name of a parent the query names ("Academy of
        Military Medical Sciences, Field Blood Transfusion Institution" under 军事医学研究院, the
        Academy of Military Medical Sciences' name in characters). A unit of another parent,
        a sister unit of the same parent and the parent alone are not read so."""
        splits = unit_splits(key)
        if not splits:
            return []
        out: list[tuple[NameForm, int, float, Feature | None]] = []
        seen: set[int] = set()
        for head, unit in splits:
            for number, theirs in self._units(unit):
                name = self.index.names[number]
                if number in seen or not self._wanted(name, lists):
                    continue
                why = self._parent_agrees(head, unit, theirs, name.entry)
                if why is None:
                    continue
                seen.add(number)
                out.append((name.form, number, UNIT_OF_PARENT, Feature(
                    "unit_of_parent", 1.0, UNIT_OF_PARENT, UNIT_OF_PARENT,
                    f"read {key} as the unit {unit} under {head}; the "
                    f"{_origin(name.origin)} {name.text} {why}")))
        return out

    def _parent_agrees(self, head: str, unit: str, theirs: str, entry: int) -> str | None:
        """How the party's name `theirs` + `unit` agrees with the query's parents `head`, or
        None (see `_units_of_parents`)."""
        if theirs:
            if _shortens(theirs, head):
                return f"is that unit under {theirs}, a shortening of {head}"
            mine = self._parents_named(head)
            same = next((e for e in self._parents_named(theirs) if e in mine), None)
            if same is None:
                return None
            return (f"is that unit under {theirs}; {mine[same]} and {theirs} are names of "
                    f"{self.index.entries[same].name}")
        if unit_has_place(unit):
            return "is that unit's own name, which names its place"
        listed = self.index.entries[entry]
        tokens = frozenset(t for n in (listed.name, *listed.alt_names) if not has_han(n)
                           for f in name_forms(n, False) for t in f.tokens)
        for parent, part in self._parents_named(head).items():
            if parent == entry:
                continue
            above = self.index.entries[parent]
            theirs_tokens = [t for f in name_forms(above.name, False) for t in f.tokens]
            if set(theirs_tokens) < tokens and parent_in_name(theirs_tokens, tokens):
                return (f"is that unit's name, and the listed name {listed.name} names the "
                        f"parent {above.name}, whose name in characters {part} the query has")
        return None

    def _forms(self, text: str) -> list[NameForm]:
        """The query's forms (a name in Hangul read in Korean too), plus each form with its
        long unknown words split into words of the index ("northwindtrading" -> northwind
        trading), and a person's name in characters read in Western order
        (`short_names.person_forms`)."""
        forms = list(name_forms(text))
        if has_hangul(text):
            forms[:0] = self._korean_forms(text, text, forms)
        forms += self._glued(forms)
        return forms + person_forms(han_key(text), forms)

    def _other_readings(self, text: str, known: list[NameForm]) -> list[NameForm]:
        """A name in Chinese characters read as a Korean name (its Sino-Korean readings, when
        they hold a Korean term) and in Japanese (`japanese_forms`), with their glued words split.
        Asked only when the name's Chinese readings find nothing that scores _CLOSE: reading
        every name in characters these ways cost more than the rest of its screen."""
        korean = sino_korean(text) if not has_hangul(text) else None
        forms: list[NameForm] = []
        if korean is not None and any(t in korean for t in korean_terms()):
            forms += self._korean_forms(text, korean, known)
        seen = {f.tokens for f in (*known, *forms)}
        forms += [f for f in japanese_forms(text) if f.tokens not in seen]
        return forms + self._glued(forms)

    def _korean_forms(self, text: str, korean: str, known: list[NameForm]) -> list[NameForm]:
        """The readings of `korean` (the text in Hangul, or its characters' Sino-Korean
        readings) that are not already forms of the query."""
        forms = list(known)
        used: list[str] = []
        # Characters read in Korean only when they hold a Korean term and Korean words and
        # terms cover every syllable: a Chinese or Japanese name's characters read in Korean
        # are mostly not Korean words.
        whole = korean != text
        via = f"'{korean}' (Sino-Korean readings), then as " if whole else ""
        for read, how in (
            (mr_words(korean, self.index.token_weight, whole=whole), "McCune-Reischauer, "
             "cut into words where listed names have them"),
            (mr_words(korean, self.index.token_weight, korean_terms(), used, whole),
             "Korean terms translated: {}; the rest in McCune-Reischauer"),
            (dprk_person(text), "a person's name in the DPRK's romanisation"),
        ):
            if read is not None:
                note = f"read '{text}' as {via}'{read}' ({how.format(', '.join(used))})"
                # A person's syllables are each read with their vowels: no consonant matches.
                kind = "syllabic" if how.startswith("a person") else "transliterated"
                forms[:0] = [f._replace(kind=kind, notes=(note,))
                             for f in name_forms(read) if f.tokens not in
                             {g.tokens for g in forms}]
        return forms[: len(forms) - len(known)]

    def _glued(self, forms: list[NameForm]) -> list[NameForm]:
        """Each form with its long unknown words split into words of the index."""
        found: list[NameForm] = []
        for form in forms:
            words = form.text.split()
            split = [split_glued(w, self.index.token_weight, _GLUED_PIECE)
                     if len(w) >= _GLUED_MIN and w not in self.index.token_weight else None
                     for w in words]
            if any(split):
                joined = " ".join(" ".join(pieces) if pieces else word
                                  for word, pieces in zip(words, split, strict=True))
                note = f"'{form.text}' read as '{joined}' (glued words split against listed names)"
                found.extend(f._replace(notes=(*form.notes, note)) for f in name_forms(joined)
                             if f.tokens != form.tokens)
        return found

    def _query_weights(self, form: NameForm, minor: frozenset[str],
                       listed: NameForm | None = None,
                       plain: tuple[float, ...] | None = None) -> tuple[float, ...]:
        """The weights of the query's words, its business words after the trade name lighter
        (see BUSINESS_WORD_SHARE), against `listed` when `han_rules.lighter_against` says so."""
        weights = self.index.weights(form) if plain is None else plain
        if not minor.intersection(form.tokens) or (listed is not None
                                                     and not lighter_against(form, listed)):
            return weights
        return tuple(w * BUSINESS_WORD_SHARE if t in minor else w
                     for t, w in zip(form.tokens, weights, strict=True))

    def _contradicted(self, key: str | None, text: str, exact: Feature | None,
                      entry: int) -> str | None:
        """How the words of a query in characters contradict the party's names (another place,
        business kind or institute number: `han_rules.contradiction`), for a match that is not
        one of the party's names in characters (a match by trade name or by reading)."""
        if not key or (exact is not None and exact.name != "trade_name"):
            return None
        facts = self._facts.get(entry)
        if facts is None:
            listed = self.index.entries[entry]
            facts = self._facts[entry] = party_facts(
                (listed.name, *listed.alt_names, *listed.local_names))
        return contradiction(han_facts(text), facts)

    def _relative(self, key: str | None, text: str, exact: Feature | None,
                  entry: int) -> Relative | None:
        """The query in characters as a relative of the party (`han_rules.relative`: the same
        trade name, words of its own), for a match that is not one of the party's names in
        characters nor a shortening of one."""
        if not key or (exact is not None and exact.name != "trade_name"):
            return None
        own = self._own_names(entry)
        if not own or any(_abbreviates(key, name) for name in own):
            return None
        cached = self._kin.get((text, entry), _UNSEEN)
        if cached is _UNSEEN:
            listed = self.index.entries[entry]
            tokens = frozenset(t for n in (listed.name, *listed.alt_names) if not has_han(n)
                               for f in name_forms(n, False) for t in f.tokens)
            facts = self._facts.get(entry)
            if facts is None:
                facts = self._facts[entry] = party_facts(
                    (listed.name, *listed.alt_names, *listed.local_names))
            cached = self._kin[(text, entry)] = relative(text, key, own, tokens, facts,
                                                         _left_out)
        return cached

    def _short_name_held(self, key: str | None, exact: Feature | None, entry: int,
                         form: NameForm, listed: NameForm) -> tuple[str, str, float] | None:
        """(feature name, detail, ceiling) when a short name in characters says too little for
        this party and its name `listed` (`short_names`): read, it has one word of its own at
        most, no other word of it corroborates the listed name, and the party has no name in
        characters (`short_names.short_name`; a Chinese reading `form`, not a Japanese or
        Korean one); or it is a trade name and 股份/集团 where every name of the party has a word
        of its own besides (`short_names.other_business`). A short name read whole as the name
        of a party that may be a person is a person's name, held at HAN_PERSON_NAME
        (`short_names.han_person_name`)."""
        if not key or (exact is not None and exact.name != "trade_name"):
            return None
        if form.kind in HAN_PERSON_KINDS:
            return self._person_form_held(key, entry, form, listed)
        own = self._own_names(entry)
        short = short_name(key) if (exact is None and not own
                                    and form.kind.startswith("han")) else None
        why = short.held_against(listed.tokens) if short is not None else None
        if why is not None:
            person = han_person_name(key, form.tokens, listed.tokens) if (
                may_be_person(self.index.entries[entry]) and person_like(listed)) else None
            if person is not None:
                return ("han_person_name", f"{person.detail()}: a person's name to review, "
                        "never confirmed by its reading alone", HAN_PERSON_NAME)
            return ("short_name", f"{why}, matched by its reading, and the listed party has no "
                                  "name in characters to confirm it: many companies share a "
                                  "trade word or its pinyin", SHORT_NAME_CEILING)
        other = other_business(key, own) if own else None
        if other is not None:
            return ("short_name_other_business", f"the query {key} {other.detail()}",
                    SHORT_NAME_CEILING)
        return None

    def _person_form_held(self, key: str, entry: int, form: NameForm, listed: NameForm
                        ) -> tuple[str, str, float] | None:
        """The hold of `_short_name_held` for a query in characters read as a person's name
        (`short_names.person_forms`): HAN_PERSON_NAME where the listed name is the person's,
        in the form's order (`short_names.han_person_name`); else None, and the form scores
        nothing (`screen`)."""
        # "WEI, Zhang" (the lists' "SURNAME, Given") names its surname first: not Western order.
        western = form.kind == HAN_WESTERN
        person = han_person_name(key, form.tokens, listed.tokens, western=western) if (
            not (western and "," in listed.original)
            and may_be_person(self.index.entries[entry]) and person_like(listed)) else None
        if person is None:
            return None
        return ("han_person_name", f"{person.detail()}: a person's name to review, never "
                "confirmed by its reading alone", HAN_PERSON_NAME)

    def _short_fuzzy(self, form: NameForm, number: int) -> tuple[str, str, str] | None:
        """`features.short_word_approximate` of the query form and this listed name (the
        country bonus is then withheld)."""
        return short_word_approximate(form, self.index.weights(form), self.index.names[number].form,
                                      self.index.name_weights[number])

    def _own_names(self, entry: int) -> tuple[str, ...]:
        """The entry's names in Chinese characters (curated or listed), simplified."""
        found = self._han_names.get(entry)
        if found is None:
            keys = (han_key(t) for t in self.index.entries[entry].local_names)
            found = self._han_names[entry] = tuple(k for k in keys if k)
        return found

    def _own_names_differ(self, key: str, entry: int) -> bool:
        """The entry has names in characters and the query's characters `key` are none of them,
        nor a shortening of one (北京商汤科技 shortens 北京市商汤科技开发有限公司; 北京工业大学
        does not shorten 北京理工大学), nor of the same trade name."""
        own = self._own_names(entry)
        if not own:
            return False
        trade = trade_name(key)
        return not any(_shortens(key, name) or (trade and trade == trade_name(name))
                       for name in own)

    def _wanted(self, name: IndexedName, lists: frozenset[str] | None) -> bool:
        entry = self.index.entries[name.entry]
        if lists is not None and entry.list_code not in lists:
            return False
        if self.on is None:
            return True
        dated = self._dated.get(name.entry, _UNSEEN)
        if dated is _UNSEEN:
            dated = self._dated[name.entry] = in_force_on(entry, self.on, self.fr_dates)
        return dated is not False


@lru_cache(maxsize=4096)
def _trade_readings(text: str) -> tuple[str, tuple[tuple[str, ...], ...]] | None:
    """The trade name of a query in characters, when it is less than the whole name, and the
    tokens of each of its readings."""
    trade = trade_name(text)
    if not trade or trade == han_key(text):
        return None
    readings = tuple(f.tokens for f in name_forms(trade))
    longer = trade_name_with_head(text)  # 恒邦微电子: Hengbangwei (微) Electronics
    if longer:
        readings += tuple(f.tokens for f in name_forms(longer))
    return trade, readings


@lru_cache(maxsize=65536)  # a screen asks it of each listed name once per form, and to explain
def _trade_word_missing(text: str, listed: tuple[str, ...]) -> tuple[str, str] | None:
    """(trade name, its word) when no reading of the query's trade name has all its words in the
    listed name (exactly, as a typo, or two written as one) and the listed name has a word of its
    own that says what it does (not a place, nor company, enterprise...): two companies told
    apart by what they do (汽车 / military)."""
    found = _trade_readings(text)
    if found is None:
        return None
    trade, readings = found
    filler = filler_tokens()
    # Without aligning: a reading whose words are all the listed name's, or a listed name whose
    # words are all a reading's or filler, leaves nothing absent or nothing of its own (an exact
    # word aligns at 1.0), and that answers None whichever reading it is.
    words = set(listed)
    if any(words.issuperset(tokens) or all(t in tokens or t in filler for t in listed)
           for tokens in readings):
        return None
    return _aligned_trade_word_missing(trade, readings, listed, filler)


def _aligned_trade_word_missing(trade: str, readings: tuple[tuple[str, ...], ...],
                                listed: tuple[str, ...], filler: frozenset[str]
                                ) -> tuple[str, str] | None:
    """`_trade_word_missing` by aligning every reading with the listed name."""
    missing: list[str] = []
    for tokens in readings:
        _q, _n, q_best, n_best = align_tokens(tokens, (1.0,) * len(tokens), listed,
                                              (1.0,) * len(listed))
        absent = [t for t, best in zip(tokens, q_best, strict=True) if best < _TYPO_MATCH]
        own = [t for t, best in zip(listed, n_best, strict=True)
               if best < _TYPO_MATCH and t not in filler]
        if not absent or not own:
            return None
        missing.extend(absent)
    # The word no reading has (汽车 read as 'automobile' and in pinyin as 'qiche'), else the first.
    return trade, max(missing, key=missing.count)


def _other_convention(form: NameForm) -> bool:
    """The form is a reading of characters that took a term's other convention or an ordinal
    (`chinese.readings`: 'also as')."""
    return any(" also as '" in note for note in form.notes)


def _numbers_agree(key: str, listed: tuple[str, ...]) -> bool:
    """The query's characters number an institute (中国空间技术研究院502研究所) and the listed
    name carries that number: an institute is known by its number and by a proper name
    (北京控制工程研究所), so a curated proper name does not make the numbered one another party."""
    numbers = re.findall(r"[0-9]+", key)
    return bool(numbers) and all(n in listed for n in numbers)


# Words of a listed name that only say it is an organisation (Dianke Chip Group).
_ORGANISATION_WORDS = frozenset({"group", "co", "ltd", "company", "corporation", "corp",
                                 "limited", "holding", "holdings", "inc"})


def _reads_as_listed(query: tuple[str, ...], listed: tuple[str, ...]) -> bool:
    """The reading of a short name (`short_names.short_name`; asked only of those) has two
    words or more, every one of them the listed name's, and the listed name has no other word
    but one saying it is an organisation (电科芯片 'dianke chip' and the listed alias Dianke Chip
    Group): that name was written from these very characters, so a curated name in characters
    of another form (CETC Chip's former 重庆声光电) does not make the query another party. A
    registered name is not asked: its curated form in characters says which company it is
    (浪潮电子信息产业股份有限公司, not the Beijing subsidiary's alias in pinyin). Not for a
    reading that took a term's other convention (北京工业大学 read 'beijing institute of
    technology' is not 北京理工大学)."""
    words = set(query)
    return (len(words) >= 2 and words.issubset(listed)
            and all(t in words or t in _ORGANISATION_WORDS for t in listed))


def _word_for_word(key: str, query: tuple[str, ...], listed: tuple[str, ...]) -> bool:
    """The query's characters `key` name a company (it has a trade name: not a university or
    other institution, whose terms have several English conventions) in three words or more,
    every one a term with one English reading that no other term has (a company form aside),
    and that reading is the listed name word for word (`_reads_as_listed`): 半导体制造国际公司
    is Semiconductor Manufacturing International Corporation translated back. The party's own
    name in characters (中芯国际集成电路制造有限公司) then does not make the query another party:
    nothing in it was read by sound, and the English gives back these characters. Not 中国电信
    集团 against China Communications Group: 电信, 通信, 通讯 and 交通 all read 'communication'."""
    if not key or len(key) > 16 or trade_name(key) is None:
        return False
    words = segment(key)
    return (len(words) >= 3 and all(
        w.how == "term" and (w.chars.endswith("公司") or w.chars == "股份"
                             or _one_to_one(w.chars)) for w in words)
        and _reads_as_listed(query, listed))


@lru_cache(maxsize=4096)
def _one_to_one(term: str) -> bool:
    """The term (simplified) has one English reading, and no other term reads so."""
    readings = vocabulary().han_terms.get(term, ())
    if len(readings) != 1:
        return False
    return all(simplified(other) == term for other, english in vocabulary().han_terms.items()
               if readings[0] in english)


def _origin(origin: str) -> str:
    return {"local": "curated", "name": "listed name", "alias": "listed alias"}.get(origin, origin)


def _shortens(short: str, full: str) -> bool:
    """Every character of `short` appears in `full`, in order, keeping what tells the party
    apart: the trade name of a company (北京商汤科技 keeps 商汤 of 北京市商汤科技开发有限公司), the
    words just before an institution's kind (国防科技大学 shortens 中国人民解放军国防科技大学;
    北京大学 does not shorten 北京理工大学)."""
    rest = iter(full)
    if not all(char in rest for char in short):
        return False
    trade = trade_name(full)
    if trade and not full.startswith(trade):
        return trade in short  # the trade name after a place
    kind = next((k for k in institution_endings() if full.endswith(k) and short.endswith(k)),
                None)
    return kind is None or full[: -len(kind)].endswith(short[: -len(kind)])


def _abbreviates(short: str, full: str) -> bool:
    """`_shortens`, and no word of `full` left out whole between words the short name keeps
    (中航工业 abbreviates 中国航空工业集团有限公司; 中国航空集团 leaves out 工业 before 集团 and
    names another group, Air China's parent; 中国电子 is not 中国电子科技集团)."""
    return _shortens(short, full) and _left_out(short, full) is None


def _left_out(short: str, full: str) -> str | None:
    """When `short` is written as a registered name (with a legal form: 中国航空集团有限公司; a
    short name such as 中国电子集团 may leave words out), a word of two characters or more of
    `full` (not a place, nor 中国) none of whose characters is in `short`, followed in `full` by
    a word `short` keeps that is no legal form."""
    if not _LEGAL_FORM.search(short):
        return None
    words = segment(full)
    for i, word in enumerate(words):
        if (len(word.chars) < 2 or word.how == "place" or word.chars in _NATIONAL
                or any(c in short for c in word.chars)):
            continue
        if any(w.chars in short and not _LEGAL_FORM.fullmatch(w.chars) for w in words[i + 1:]):
            return word.chars
    return None


_LEGAL_FORM = re.compile(r"股份有限公司|有限责任公司|有限公司|总公司|公司")
_NATIONAL = frozenset({"中国", "中华"})


def _country_adjustment(code: str, countries: list[str]) -> float:
    fit = country_feature(code, countries)
    return fit.contribution if fit is not None else 0.0
