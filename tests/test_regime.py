"""The regime layer: dated records, three-valued conditions, and the 3A090 rules file."""

from __future__ import annotations

from datetime import date

import pytest

from exportguard.errors import InputError
from exportguard.regime import advanced_computing_rules, parse_as_of
from exportguard.regime.conditions import parse_condition, unknown_facts


def test_condition_reads_like_the_text_and_uses_three_values():
    a2 = parse_condition({"all": ["tpp >= 1600", "pd >= 5.92"]}, "t")
    assert a2.evaluate({"tpp": 4992, "pd": 6.04}) is True
    assert a2.evaluate({"tpp": 4992, "pd": 5.91}) is False
    assert a2.evaluate({"tpp": 1000}) is False  # false whatever the PD: no guess needed
    assert a2.evaluate({"tpp": 4992}) is None
    assert unknown_facts(a2, {"tpp": 4992}) == ["pd"]
    either = parse_condition({"any": ["tpp >= 4800", "pd >= 5.92"]}, "t")
    assert either.evaluate({"tpp": 5000}) is True
    assert either.evaluate({"tpp": 100}) is None
    assert parse_condition("datacenter == false", "t").evaluate({"datacenter": False}) is True
    assert a2.text() == "(tpp >= 1,600 and pd >= 5.92)"


@pytest.mark.parametrize("bad", ["tpp => 4800", "tpp >=", {"all": []}, {"none": ["tpp > 1"]}, 3])
def test_malformed_condition_in_rules_data_fails_with_its_location(bad):
    with pytest.raises(ValueError, match="paragraphs\\[9\\]"):
        parse_condition(bad, "paragraphs[9]")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2017-12-31", "before 2018-01-01"),
        ("2023-02-30", "not a real calendar date"),
        ("12/01/2023", "YYYY-MM-DD"),
        ("yesterday", "YYYY-MM-DD"),
        ("", "YYYY-MM-DD"),
    ],
)
def test_bad_dates_are_refused_naming_the_field(text, message):
    with pytest.raises(InputError, match=message) as caught:
        parse_as_of(text, "date")
    assert caught.value.field == "date"


def test_every_rule_record_cites_cfr_and_a_source_and_has_dates():
    rules = advanced_computing_rules()
    records = [*rules.paragraphs, *rules.exclusions, *rules.derived, *rules.review_bands,
               *rules.measures]
    assert len(records) >= 13
    for record in records:
        assert record.citation.cfr and record.citation.source
        assert record.citation.url.startswith("https://")
        assert record.period.effective_from >= date(2022, 8, 26)  # the A100/H100 letter


def test_the_dated_paragraphs_follow_the_federal_register():
    rules = advanced_computing_rules()
    by_id = {p.id: p for p in rules.paragraphs}
    assert by_id["3a090-a-2022"].period.effective_from == date(2022, 10, 21)
    assert by_id["3a090-a-2022"].period.effective_to == date(2023, 11, 16)
    assert "87 FR 62186" in by_id["3a090-a-2022"].citation.source
    for pid in ("3a090-a1-2023", "3a090-a2-2023", "3a090-b1-2023", "3a090-b2-2023"):
        assert by_id[pid].period.effective_from == date(2023, 11, 17)
        assert "88 FR 73458" in by_id[pid].citation.source
    assert by_id["3a090-c-2024"].period.effective_from == date(2024, 12, 2)
    assert "89 FR 96790" in by_id["3a090-c-2024"].citation.source
    band = rules.review_bands[0]
    assert band.period.effective_from == date(2026, 1, 15)
    assert "91 FR 1684" in band.citation.source
    # the 2022 and 2023 texts never overlap: exactly one version of 3A090.a on any day
    for day in (date(2023, 11, 16), date(2023, 11, 17)):
        assert len({p.id for p in rules.paragraphs_on(day) if p.eccn == "3A090.a"}) in (1, 2)
        assert {p.citation.source for p in rules.paragraphs_on(day) if p.eccn == "3A090.a"} in (
            {"87 FR 62186 (2022-10-13)"}, {"88 FR 73458 (2023-10-25)"})


def test_rules_version_changes_with_the_file():
    version = advanced_computing_rules().version
    assert version.startswith("2026-") and "+" in version
