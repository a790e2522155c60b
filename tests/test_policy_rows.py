"""Review-policy rows that name another rule (`rule: id` in licensing.yaml): the row holds only
while that rule is in force and met, an unknown name fails the load."""

from __future__ import annotations

from datetime import date

import pytest

from exportguard.check.rules import _policy, _with_row_rules, licensing_rules

_FACTS = {  # an RTX 4090 (3A090.a, not for datacenters) to China, a Chinese consignee
    "item_3a090_a": True, "item_3a090_b": False, "item_4a090_a": False, "item_4a090_b": False,
    "item_ac": True, "item_datacenter": False, "item_in_review_band": False,
    "dest_cn": True, "dest_mo": False, "dest_d1": True, "dest_d4": True, "dest_d5": True,
    "dest_a5": False, "dest_a6": False, "party_hq_d5_or_mo": True,
}


def _rule(rule_id):
    return next(r for r in licensing_rules().rules if r.id == rule_id)


@pytest.mark.parametrize(("day", "policy"), [
    (date(2024, 12, 1), "presumption_of_denial"),
    (date(2024, 12, 2), "case_by_case"),
    (date(2025, 1, 12), "case_by_case"),
    (date(2025, 1, 13), "presumption_of_denial"),
])
def test_the_destinations_rule_takes_the_dates_of_the_rule_its_row_names(day, policy):
    assert _rule("ac-2023-destinations").review_policy(_FACTS, day)[0] == policy


def test_a_row_naming_a_rule_is_skipped_without_a_day():
    assert _rule("ac-2023-destinations").review_policy(_FACTS)[0] == "presumption_of_denial"


def test_a_datacenter_3a090a_chip_is_outside_the_row():
    facts = {**_FACTS, "item_datacenter": True}
    assert _rule("ac-2023-destinations").review_policy(facts, date(2024, 12, 15))[0] == \
        "presumption_of_denial"


def test_an_unknown_datacenter_design_leaves_the_policy_open():
    facts = {**_FACTS, "item_datacenter": None}
    policy, note = _rule("ac-2023-destinations").review_policy(facts, date(2024, 12, 15))
    assert policy is None and "not given" in note


def test_a_row_naming_an_unknown_rule_fails_the_load():
    from dataclasses import replace
    rule = _rule("ac-2023-destinations")
    rows = _policy([{"rule": "no-such-rule", "policy": "case_by_case"},
                    {"otherwise": "presumption_of_denial"}], "test")
    with pytest.raises(ValueError, match="no-such-rule"):
        _with_row_rules((replace(rule, policy=rows),))


def test_a_rule_row_needs_a_policy_word_and_an_id():
    with pytest.raises(ValueError, match="'rule' names a rule id"):
        _policy([{"rule": "x", "otherwise": "case_by_case"}], "test")
    with pytest.raises(ValueError, match="'rule' names a rule id"):
        _policy([{"rule": 3, "policy": "case_by_case"}], "test")
