"""EAR Country Groups on a date: the eCFR of 2026-07-23, each dated change on both sides, and the
special cases (Macau, Hong Kong) the licence engine relies on."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from functools import cache

import pycountry
import pytest

from exportguard.errors import InputError
from exportguard.regime.country_groups import (
    change_for,
    country_groups,
    country_groups_version,
    group_citation,
    groups_of,
    in_group,
    members,
    notes,
    parse_country_groups,
    treated_as,
)
from tests.conftest import REFERENCE

SNAPSHOT_FILE = REFERENCE / "ear" / "country-groups.json"
SNAPSHOT_DAY = date(2026, 7, 23)
ENCODED = ("A:1", "A:5", "A:6", "D:1", "D:3", "D:4", "D:5", "E:1", "E:2")


@cache
def _snapshot() -> dict:
    return json.loads(SNAPSHOT_FILE.read_text(encoding="utf-8"))


def _words(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z]+", name.lower())) - {"the", "of", "and"}


def _iso(name: str) -> str:
    """An EAR name to ISO-2: the name or one of its aliases through pycountry, else the unique
    pycountry entry with the same words ('Congo (Democratic Republic of)')."""
    aliases = [a for a, canonical in _snapshot()["aliases"].items() if canonical == name]
    for candidate in (name, *aliases):
        try:
            return pycountry.countries.lookup(candidate).alpha_2
        except LookupError:
            continue
    same = {c.alpha_2 for c in pycountry.countries if _words(c.name) == _words(name)}
    assert len(same) == 1, f"cannot map EAR name {name!r} to one ISO code: {same}"
    return same.pop()


@pytest.mark.parametrize("group", ENCODED)
def test_membership_on_2026_07_23_is_exactly_the_ecfr_text(group):
    snapshot = _snapshot()
    assert snapshot["ecfrIssueDate"] == SNAPSHOT_DAY.isoformat()
    expected = {_iso(name) for name in snapshot["groups"][group]}
    assert len(expected) == len(snapshot["groups"][group])
    assert members(group, SNAPSHOT_DAY) == expected


def test_the_encoded_groups_are_the_ones_tested():
    assert tuple(country_groups().groups) == ENCODED


# Every dated change in the data, pinned the day before and the day it took effect:
# (country, group, effective day, member the day before, member on the day).
CHANGES = [
    ("IN", "A:1", date(2018, 8, 3), False, True),  # 83 FR 38018
    ("IN", "A:5", date(2018, 8, 3), False, True),
    ("IN", "A:6", date(2018, 8, 3), True, False),
    ("SS", "D:5", date(2018, 8, 3), False, True),  # 83 FR 38021
    ("VE", "D:1", date(2019, 5, 24), False, True),  # 84 FR 24018
    ("VE", "D:3", date(2019, 5, 24), False, True),
    ("VE", "D:4", date(2019, 5, 24), False, True),
    ("YE", "D:1", date(2020, 2, 24), False, True),  # 85 FR 10274
    ("RU", "D:4", date(2020, 2, 24), False, True),
    ("HK", "A:6", date(2020, 12, 23), True, False),  # 85 FR 83765
    ("UA", "D:1", date(2020, 12, 28), True, False),  # 85 FR 84211
    ("MX", "A:6", date(2020, 12, 28), False, True),
    ("CY", "A:6", date(2020, 12, 28), False, True),
    ("SD", "E:1", date(2021, 1, 14), True, False),  # 86 FR 4929
    ("MM", "D:1", date(2021, 3, 8), False, True),  # 86 FR 13173
    ("RU", "D:5", date(2021, 3, 18), False, True),  # 86 FR 14802 (22 CFR 126.1)
    ("KH", "D:5", date(2021, 12, 9), False, True),  # 86 FR 70015
    ("BY", "D:4", date(2022, 3, 2), False, True),  # 87 FR 13048
    ("NI", "D:1", date(2024, 3, 15), False, True),  # 89 FR 18780
    ("NI", "D:5", date(2024, 3, 15), False, True),
    ("CY", "D:5", date(2024, 5, 30), True, False),  # 89 FR 40369
    ("KH", "D:5", date(2026, 2, 3), True, False),  # RIN 0694-AK41
    ("AE", "A:5", date(2026, 7, 10), False, True),  # reported; citation not found
    ("AE", "D:3", date(2026, 7, 10), True, False),
    ("AE", "D:4", date(2026, 7, 10), True, False),
]


@pytest.mark.parametrize(("country", "group", "day", "before", "on"), CHANGES)
def test_each_dated_change_is_pinned_on_both_sides(country, group, day, before, on):
    assert in_group(country, group, day - timedelta(days=1)) is before
    assert in_group(country, group, day) is on
    record = change_for(country, group, day if on else day - timedelta(days=1))
    assert record is not None
    cited = record.citation if on else record.removed_by
    assert cited is not None and cited.url.startswith("https://")


def test_every_dated_record_in_the_data_is_pinned_by_a_test():
    pinned = {(c, g, d) for c, g, d, _, _ in CHANGES}
    for group in country_groups().groups.values():
        for m in group.members:
            start, end = m.period.effective_from, m.period.effective_to
            if start > date(2018, 1, 1):
                assert (m.country, group.name, start) in pinned, m.explain()
            if end is not None:
                assert (m.country, group.name, end + timedelta(days=1)) in pinned, m.explain()


def test_china_and_macau():
    for day in (date(2018, 1, 1), date(2022, 6, 1), SNAPSHOT_DAY):
        assert groups_of("CN", day) == {"D:1", "D:3", "D:4", "D:5"}
        assert groups_of("MO", day) == {"D:1", "D:3", "D:4"}
        assert not in_group("MO", "D:5", day)
    assert "Macau" in next(n.text for n in notes() if n.id == "macau-not-d5")
    record = change_for("CN", "D:5", SNAPSHOT_DAY)
    assert record.explain().startswith("CN in D:5 since 2018-01-01 or earlier (15 CFR Part 740")


def test_hong_kong_has_its_own_entries_until_2020_12_22_and_china_s_after():
    assert groups_of("HK", date(2020, 12, 22)) == {"A:6"}
    assert groups_of("HK", date(2020, 12, 23)) == frozenset()
    assert treated_as("HK", date(2020, 12, 22)) == "HK"
    assert treated_as("HK", date(2020, 12, 23)) == "CN"
    assert treated_as("CN", SNAPSHOT_DAY) == "CN"
    note = next(n for n in notes() if n.id == "hong-kong-treated-as-china")
    assert "85 FR 83765" in note.citation.source
    assert "13936" in note.text and "85 FR 45998" in note.text


def test_other_real_values():
    assert groups_of("IR", SNAPSHOT_DAY) == {"D:3", "D:4", "D:5", "E:1"}
    assert groups_of("CU", SNAPSHOT_DAY) == {"D:3", "D:5", "E:2"}
    assert groups_of("SD", date(2021, 1, 13)) == {"D:5", "E:1"}
    assert groups_of("IN", date(2018, 1, 1)) == {"A:6"}
    assert groups_of("IN", SNAPSHOT_DAY) == {"A:1", "A:5"}
    assert groups_of("DE", SNAPSHOT_DAY) == {"A:1", "A:5"}
    assert members("E:1", date(2020, 1, 1)) == {"IR", "KP", "SD", "SY"}
    assert in_group("ru", "d:5", SNAPSHOT_DAY)  # codes and group names are case-blind
    assert change_for("KH", "D:5").period.effective_to == date(2026, 2, 2)
    assert change_for("KH", "D:5", SNAPSHOT_DAY) is None
    assert change_for("FR", "D:5") is None


def test_citations_and_version():
    citation = group_citation("D:5")
    assert citation.cfr == "15 CFR Part 740, Supp. No. 1, Country Group D:5"
    assert citation.url.startswith("https://www.ecfr.gov/")
    assert country_groups_version().startswith("2026-11-21+")
    for group in country_groups().groups.values():
        for m in group.members:
            assert m.citation.cfr == group.citation.cfr
            if m.period.effective_from > date(2018, 1, 1):
                assert re.search(r"\d+ FR \d+|RIN|eCFR", m.citation.source), m.explain()


@pytest.mark.parametrize("country", ["XX", "ZZZ", "", "China"])
def test_unknown_country_is_refused_naming_the_field(country):
    with pytest.raises(InputError) as caught:
        groups_of(country, SNAPSHOT_DAY)
    assert caught.value.field == "country"


@pytest.mark.parametrize("group", ["D:9", "D:2", "B", "", "A5"])
def test_unknown_group_is_refused(group):
    for call in (lambda: members(group, SNAPSHOT_DAY), lambda: in_group("CN", group, SNAPSHOT_DAY)):
        with pytest.raises(InputError) as caught:
            call()
        assert caught.value.field == "group"
    with pytest.raises(InputError):
        group_citation(group)


def test_dates_before_the_data_are_refused():
    with pytest.raises(InputError) as caught:
        groups_of("CN", date(2017, 12, 31))
    assert caught.value.field == "date"


def _data(*member: dict) -> dict:
    citation = {"cfr": "15 CFR Part 740, Supp. No. 1, Country Group D:5", "source": "s", "url": "u"}
    return {"version": "t", "groups": {"D:5": {"citation": citation, "members": list(member)}}}


ADDED = {"citation": {"source": "a rule", "url": "https://example.org/added"}}
REMOVED = {"ended_by": {"source": "a rule", "url": "https://example.org/removed"}}


@pytest.mark.parametrize(
    ("member", "message"),
    [
        ({"country": "QQ", "effective_from": "2018-01-01"}, r"members\[0\] \(QQ\).*not an ISO"),
        ({"country": False, "effective_from": "2018-01-01"}, "YAML boolean"),
        ({"country": "KH", "effective_from": "2022-01-01", "effective_to": "2021-01-01",
          **REMOVED}, r"\(KH\).*before"),
        ({"country": "KH", "effective_from": "2021-12-09"},
         r"\(KH\): joined on 2021-12-09.*'citation'"),
        ({"country": "CY", "effective_from": "2018-01-01", "effective_to": "2024-05-29", **ADDED},
         r"left after.*'ended_by'"),
        ({"country": "KH", "effective_from": "2017-06-01"}, "before 2018-01-01"),
        ({"country": "KH", "effective_from": "2018-01-01", "form": "x"}, "unknown keys form"),
        ({"country": "KH", "effective_from": "2018-01-01", "efective_to": "2020-01-01"},
         "unknown keys efective_to"),
    ],
)
def test_malformed_data_fails_naming_the_record(member, message):
    with pytest.raises(ValueError, match=message):
        parse_country_groups(_data(member))


def test_overlapping_records_are_refused():
    first = {"country": "KH", "effective_from": "2018-01-01"}
    second = {"country": "KH", "effective_from": "2021-12-09", **ADDED}
    with pytest.raises(ValueError, match="of D:5 KH overlap"):
        parse_country_groups(_data(first, second))
