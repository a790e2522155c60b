"""EAR Country Groups (15 CFR Part 740, Supplement No. 1) on any date, read from
data/regime/country_groups.yaml.

Licence exceptions, review policies and end-use rules are written against groups ("a destination
in Country Group D:5"), and the groups change: Venezuela entered D:1 in 2019, Cambodia was in D:5
from 2021 to 2026. So membership is dated data, one record per country and period, each change
citing the Federal Register rule that made it, and every question is asked for a day.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from exportguard.countries import is_country_code, parse_country
from exportguard.errors import InputError
from exportguard.regime.dated import EARLIEST_DATE, Citation, Period, parse_as_of
from exportguard.regime.records import Field, RuleFileError, Section, parse_records

DATA_FILE = "data/regime/country_groups.yaml"

_MEMBER_KEYS = frozenset({"country", "effective_from", "effective_to", "citation", "ended_by",
                          "caveat"})
_SECTIONS = (Section("members", {"country": Field("word", required=True)}),)


@dataclass(frozen=True, slots=True)
class Membership:
    """One period of one country in one group, e.g. KH in D:5 from 2021-12-09 to 2026-02-02."""

    country: str
    group: str
    period: Period
    citation: Citation
    """The rule that added the country, or the group's own citation if it was a member in 2018."""
    removed_by: Citation | None
    caveat: str | None

    def in_force(self, day: date) -> bool:
        return self.period.contains(day)

    def explain(self) -> str:
        """A sentence for an explanation: 'CN in D:5 since 2018-01-01 or earlier (15 CFR ...)'."""
        start = self.period.effective_from
        since = f"since {start} or earlier" if start == EARLIEST_DATE else f"from {start}"
        text = f"{self.country} in {self.group} {since} ({self.citation.text()})"
        if self.removed_by is not None:
            text += f", until {self.period.effective_to} ({self.removed_by.source})"
        return text


@dataclass(frozen=True, slots=True)
class Note:
    """A rule about the groups that is not a membership, e.g. 'Macau is not in D:5'."""

    id: str
    text: str
    citation: Citation
    country: str | None = None
    treated_as: str | None = None
    period: Period | None = None


@dataclass(frozen=True)
class CountryGroup:
    name: str
    label: str
    citation: Citation
    members: tuple[Membership, ...]


@dataclass(frozen=True)
class CountryGroups:
    version: str
    groups: Mapping[str, CountryGroup]
    notes: tuple[Note, ...]

    def records(self, country: str) -> list[Membership]:
        return [m for g in self.groups.values() for m in g.members if m.country == country]


def parse_country_groups(data: Mapping[str, Any], version: str | None = None) -> CountryGroups:
    """Check and build the groups; a bad record fails with ValueError naming it."""
    groups = {str(name): _group(str(name), raw) for name, raw in (data.get("groups") or {}).items()}
    if not groups:
        raise ValueError(f"{DATA_FILE}: no groups")
    notes = tuple(_note(raw, f"notes[{i}]") for i, raw in enumerate(data.get("notes") or []))
    return CountryGroups(version or str(data["version"]), groups, notes)


def _group(name: str, raw: Mapping[str, Any]) -> CountryGroup:
    where = f"{DATA_FILE} groups.{name}"
    citation = Citation.from_data(raw.get("citation") or {}, where)
    records = [_record(name, m, citation, f"{where}.members[{i}]")
               for i, m in enumerate(raw.get("members") or [])]
    try:
        parsed = parse_records({"version": "-", "members": records}, where, _SECTIONS)
    except RuleFileError as exc:
        raise ValueError(str(exc)) from None
    members = tuple(
        Membership(r.get("country"), name, r.period, r.citation, r.ended_by, r.caveat)
        for r in parsed["members"]
    )
    return CountryGroup(name, str(raw.get("label", "")), citation, members)


def _record(group: str, raw: Mapping[str, Any], group_citation: Citation,
            where: str) -> dict[str, Any]:
    """A member in the common record format: it takes its group's CFR paragraph, and its
    group's citation when it was a member on the data's first day."""
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: a member must be a mapping")
    if isinstance(raw.get("country"), bool):
        raise ValueError(f'{where}: country {raw["country"]} is a YAML boolean: quote it ("NO")')
    country = str(raw.get("country", ""))
    where = f"{where} ({country or 'no country'})"
    unknown = set(raw) - _MEMBER_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    if not is_country_code(country) or country != country.upper():
        raise ValueError(f"{where}: '{country}' is not an ISO 3166-1 alpha-2 code")
    period = Period.from_data(raw, where)
    if period.effective_from < EARLIEST_DATE:
        raise ValueError(f"{where}: from {period.effective_from} is before {EARLIEST_DATE}")
    cfr = group_citation.cfr
    added = group_citation.to_dict()
    if period.effective_from > EARLIEST_DATE:
        added = _change(raw.get("citation"), cfr, f"{where}: joined on {period.effective_from}",
                        "citation")
    record = {"id": f"{group} {country} {period.effective_from}",
              "version_of": f"{group} {country}",
              "summary": f"{country} in Country Group {group}", "country": country,
              "effective_from": period.effective_from, "effective_to": period.effective_to,
              "citation": added, "caveat": raw.get("caveat")}
    if period.effective_to is not None:
        ended = _change(raw.get("ended_by"), cfr, f"{where}: left after {period.effective_to}",
                        "ended_by")
        record["ended_by"] = {"source": ended["source"], "url": ended["url"]}
    return record


def _change(value: object, cfr: str, what: str, key: str) -> dict[str, str]:
    """A dated change must say which rule made it: no citation, no record."""
    if (not isinstance(value, Mapping) or not value.get("source")
            or not str(value.get("url", "")).startswith("https://")):
        raise ValueError(f"{what} but gives no '{key}' with a source and an https url")
    return {"cfr": cfr, "source": " ".join(str(value["source"]).split()), "url": str(value["url"])}


def _note(raw: Mapping[str, Any], where: str) -> Note:
    where = f"{DATA_FILE} {where} ({raw.get('id', 'no id')})"
    if not raw.get("id") or not raw.get("text"):
        raise ValueError(f"{where}: 'id' and 'text' are required")
    period = None
    if raw.get("from"):
        period = Period.from_data(
            {"effective_from": raw["from"], "effective_to": raw.get("to")}, where
        )
    for key in ("country", "treated_as"):
        if raw.get(key) and not is_country_code(str(raw[key])):
            raise ValueError(f"{where}: {key} '{raw[key]}' is not an ISO 3166-1 alpha-2 code")
    return Note(
        id=str(raw["id"]),
        text=" ".join(str(raw["text"]).split()),
        citation=Citation.from_data(raw.get("citation") or {}, where),
        country=raw.get("country"),
        treated_as=raw.get("treated_as"),
        period=period,
    )


@cache
def country_groups() -> CountryGroups:
    """The data file, parsed and checked once."""
    raw = resources.files("exportguard").joinpath(DATA_FILE).read_bytes()
    data = yaml.safe_load(raw)
    return parse_country_groups(data, f"{data['version']}+{hashlib.sha256(raw).hexdigest()[:12]}")


def country_groups_version() -> str:
    """The data version and a digest of the file, for recording beside each answer."""
    return country_groups().version


def _group_name(group: str) -> str:
    name = str(group).strip().upper()
    known = country_groups().groups
    if name not in known:
        raise InputError(
            "group", f"'{group}' is not an encoded country group (known: {', '.join(known)})"
        )
    return name


def groups_of(country: str, day: date) -> frozenset[str]:
    """The groups `country` is listed in on `day`, e.g. {'D:1', 'D:3', 'D:4', 'D:5'} for CN.

    Literal: Hong Kong has no entry of its own from 2020-12-23; see `treated_as`.
    """
    code, day = parse_country(country), parse_as_of(day, "date")
    return frozenset(m.group for m in country_groups().records(code) if m.in_force(day))


def in_group(country: str, group: str, day: date) -> bool:
    return _group_name(group) in groups_of(country, day)


def members(group: str, day: date) -> frozenset[str]:
    """The ISO codes in `group` on `day`."""
    name, day = _group_name(group), parse_as_of(day, "date")
    return frozenset(m.country for m in country_groups().groups[name].members if m.in_force(day))


def group_citation(group: str) -> Citation:
    return country_groups().groups[_group_name(group)].citation


def change_for(country: str, group: str, day: date | None = None) -> Membership | None:
    """The membership record behind an answer: the one in force on `day`, or without a day the
    latest record (a past membership included); None if the country was never in the group."""
    code, name = parse_country(country), _group_name(group)
    records = [m for m in country_groups().groups[name].members if m.country == code]
    if day is not None:
        day = parse_as_of(day, "date")
        return next((m for m in records if m.in_force(day)), None)
    return max(records, key=lambda m: m.period.effective_from, default=None)


def treated_as(country: str, day: date) -> str:
    """The destination whose groups apply, e.g. 'CN' for 'HK' from 2020-12-23; else `country`."""
    code, day = parse_country(country), parse_as_of(day, "date")
    for note in country_groups().notes:
        if note.country == code and note.treated_as and note.period and note.period.contains(day):
            return note.treated_as
    return code


def notes() -> tuple[Note, ...]:
    return country_groups().notes
