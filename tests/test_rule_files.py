"""The common dated-record format: a rule file that breaks it fails at load, naming the problem;
the fact registry documents every fact the rules use and the engine produces."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from exportguard.check.determination import Party
from exportguard.check.exceptions import exception_facts, exception_rules
from exportguard.check.facts import destination_facts, end_use_facts, item_facts, party_facts
from exportguard.check.jurisdiction import (
    footnote_facts,
    item_origin,
    jurisdiction_rules,
    origin_facts,
)
from exportguard.check.rules import SECTIONS as LICENSING_SECTIONS
from exportguard.check.rules import licensing_rules
from exportguard.items import classify
from exportguard.items.classify import _facts as figure_facts
from exportguard.regime.advanced_computing import SECTIONS as AC_SECTIONS
from exportguard.regime.advanced_computing import advanced_computing_rules
from exportguard.regime.conditions import Combination, Comparison
from exportguard.regime.facts import fact_registry
from exportguard.regime.records import RuleFileError, boundaries, parse_records

GOOD = {
    "version": "2026-12-03",
    "rules": [
        {
            "id": "ac-test",
            "summary": "A licence is required for 3A090.a ICs to China.",
            "when": {"all": ["item_3a090_a == true", "dest_cn == true"]},
            "effect": "license_required",
            "review_policy": "presumption_of_denial",
            "effective_from": date(2023, 11, 17),
            "citation": {"cfr": "15 CFR 742.6(a)(6)(iii)", "source": "88 FR 73458",
                         "url": "https://www.federalregister.gov/d/2023-23055"},
        }
    ],
    "lists": [],
}


def _load(data: dict) -> object:
    return parse_records(data, "test.yaml", LICENSING_SECTIONS)


def _broken(change) -> dict:
    data = copy.deepcopy(GOOD)
    change(data["rules"][0], data)
    return data


def test_a_well_formed_file_loads():
    parsed = _load(GOOD)
    assert [r.id for r in parsed["rules"]] == ["ac-test"]
    assert parsed["rules"][0].period.effective_to is None


def test_a_misspelt_key_is_an_error_not_a_rule_that_lasts_forever():
    data = _broken(lambda r, _: r.update(efective_to="2024-01-01"))
    with pytest.raises(RuleFileError, match=r"\(ac-test\): unknown key\(s\) efective_to"):
        _load(data)


@pytest.mark.parametrize("key", ["citation", "effective_from", "summary", "id"])
def test_a_record_without_its_citation_or_start_is_refused(key):
    with pytest.raises(RuleFileError, match=f"'{key}' is required"):
        _load(_broken(lambda r, _: r.pop(key)))


def test_a_citation_without_its_url_is_refused():
    with pytest.raises(ValueError, match="citation lacks url"):
        _load(_broken(lambda r, _: r["citation"].pop("url")))


def test_a_condition_naming_an_undeclared_fact_is_refused():
    data = _broken(lambda r, _: r.update(when={"all": ["item_3a090_a == true", "dest_xx == true"]}))
    with pytest.raises(RuleFileError, match="'dest_xx' is not a declared fact"):
        _load(data)


def test_a_fact_compared_with_the_wrong_type_is_refused():
    with pytest.raises(RuleFileError, match="does not fit tpp, a number fact"):
        parse_records(
            {"version": "1", "paragraphs": [{
                "id": "p", "summary": "s", "paragraph": "3A090.a", "kinds": ["accelerator"],
                "when": "tpp == true", "effective_from": "2023-11-17",
                "citation": {"cfr": "c", "source": "s", "url": "https://x"}}],
             "exclusions": [], "derived": [], "review_bands": [], "measures": []},
            "test.yaml", AC_SECTIONS)


def test_overlapping_versions_of_one_rule_are_refused():
    def second_version(rule, data):
        rule["effective_to"] = date(2024, 6, 30)
        later = copy.deepcopy(rule)
        later.update(id="ac-test-2024", version_of="ac-test", effective_from=date(2024, 6, 30))
        later.pop("effective_to")
        data["rules"].append(later)

    with pytest.raises(RuleFileError, match="'ac-test' and 'ac-test-2024' of ac-test overlap"):
        _load(_broken(second_version))


def test_consecutive_versions_of_one_rule_load():
    def second_version(rule, data):
        rule["effective_to"] = date(2024, 6, 29)
        later = copy.deepcopy(rule)
        later.update(id="ac-test-2024", version_of="ac-test", effective_from=date(2024, 6, 30))
        later.pop("effective_to")
        data["rules"].append(later)

    parsed = _load(_broken(second_version))
    assert [b[0] for b in boundaries(parsed["rules"])] == [
        date(2023, 11, 17), date(2024, 6, 30), date(2024, 6, 30)]


@pytest.mark.parametrize(("change", "message"), [
    (lambda r, _: r.update(effect="licence_required"), "'licence_required' is not one of"),
    (lambda r, _: r.update(review_policy="presumption_of_denail"), "is not one of"),
    (lambda r, _: r.update(effective_to="2020-01-01"), "is before effective_from"),
    (lambda r, _: r.update(effective_from="2023-13-01"), "is not an ISO date"),
    (lambda r, d: d["rules"].append(copy.deepcopy(r)), "two records have the id 'ac-test'"),
    (lambda r, d: d.update(rulez=[]), "unknown top-level keys rulez"),
    (lambda r, _: r["citation"].update(page="1"), "citation has unknown key"),
])
def test_other_breaks_of_the_format_are_refused(change, message):
    with pytest.raises(ValueError, match=message):
        _load(_broken(change))


def _condition_facts(condition) -> set[str]:
    if isinstance(condition, Comparison):
        return {condition.fact}
    assert isinstance(condition, Combination)
    return set().union(*(_condition_facts(p) for p in condition.parts))


def _facts_used() -> set[str]:
    used: set[str] = set()
    for rule in licensing_rules().rules:
        used |= _condition_facts(rule.condition)
        for row in rule.policy:
            if row.condition is not None:
                used |= _condition_facts(row.condition)
    ac = advanced_computing_rules()
    for record in (*ac.paragraphs, *ac.exclusions, *ac.review_bands):
        used |= _condition_facts(record.condition)
    for measure in ac.measures:
        if measure.also_when is not None:
            used |= _condition_facts(measure.also_when)
    for records in jurisdiction_rules().sections.values():
        used |= set().union(*(_condition_facts(r.condition()) for r in records))
    for record in exception_rules()["exceptions"]:
        used |= _condition_facts(record.condition("items")) | _condition_facts(record.condition())
    return used


def _facts_produced() -> dict[str, set[str]]:
    day = date(2026, 3, 1)
    notes: list[str] = []
    return {
        "item_figures": set(figure_facts("accelerator", 4992, 826, 600, True, None, None, [])),
        "item": set(item_facts(classify("H100", day), "3A090.a")),
        "destination": set(destination_facts("CN", day)),
        "parties": set(party_facts([Party("X", country="CN")], day, notes)),
        "end_use": set(end_use_facts("training", notes)),
        "jurisdiction": set(origin_facts(item_origin(origin="KR"), "EAR99"))
        | set(footnote_facts([])),
        "exceptions": set(exception_facts(None)),
    }


def test_every_fact_a_rule_uses_is_registered_and_produced():
    registry = fact_registry()
    produced = set().union(*_facts_produced().values())
    used = _facts_used()
    assert used <= set(registry.facts), used - set(registry.facts)
    assert used <= produced, f"used but never produced: {sorted(used - produced)}"


def test_every_produced_fact_is_documented_under_its_producer():
    registry = fact_registry()
    for producer, facts in _facts_produced().items():
        assert facts == registry.produced_by(producer), producer
    assert all(f.meaning for f in registry.facts.values())
