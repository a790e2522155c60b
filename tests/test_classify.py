"""Classification of catalogued chips on dates, pinned to the dates and figures of the rules."""

from __future__ import annotations

import pytest

from exportguard.errors import InputError
from exportguard.items import catalog, classify, spec


def _outcome(result, paragraph):
    return next(r.outcome for r in result.reasons if r.paragraph == paragraph)


def test_a100_tpp_4992_pd_6_04_and_3a090_a_1():
    result = classify("A100", "2024-06-01")
    assert result.tpp == 4992
    assert result.pd == pytest.approx(6.04, abs=0.005)
    assert (result.eccn, result.paragraph, result.controlled) == ("3A090.a", "3A090.a.1", True)
    assert result.paragraphs == ["3A090.a.1", "3A090.a.2"]
    assert "TPP = highest = 4,992" in result.working[-3] or any(
        "TPP = highest = 4,992" in step for step in result.working)


def test_a100_caught_by_the_2022_rule_from_2022_10_21_not_before():
    assert classify("A100", "2022-10-20").controlled is False
    on = classify("A100", "2022-10-21")
    assert (on.eccn, on.paragraph) == ("3A090.a", "3A090.a")
    assert on.io_rate >= 600
    assert on.reasons[0].citation.endswith("87 FR 62186 (2022-10-13)")


def test_a800_and_h800_passed_the_2022_test_on_interconnect():
    for name in ("A800", "H800"):
        before = classify(name, "2023-06-01")
        assert before.controlled is False, name
        assert before.io_rate < 600
        assert _outcome(before, "3A090.a") == "not_met"


def test_h800_becomes_3a090_a_on_2023_11_17():
    assert classify("H800", "2023-11-16").controlled is False
    after = classify("H800", "2023-11-17")
    assert (after.eccn, after.paragraph) == ("3A090.a", "3A090.a.1")
    assert after.tpp == 15832


def test_h20_is_outside_3a090_in_2024():
    result = classify("H20", "2024-06-01")
    assert result.tpp == 2368
    assert result.pd == pytest.approx(2.91, abs=0.005)
    assert (result.eccn, result.controlled) == (None, False)
    assert {r.outcome for r in result.reasons if r.paragraph} == {"not_met"}
    assert result.measures == []


def test_h20_letter_applies_from_2025_04_09_without_changing_the_eccn():
    assert classify("H20", "2025-04-08").measures == []
    result = classify("H20", "2025-04-09")
    assert result.eccn is None
    assert [m["id"] for m in result.measures] == ["is-informed-2025-04-09-h20"]
    assert result.measures[0]["effect"] == "license_required"


def test_mi308_letter_from_2025_04_15():
    assert classify("MI308", "2025-04-14").measures == []
    assert [m["id"] for m in classify("MI308", "2025-04-15").measures] == [
        "is-informed-2025-04-mi308"]


def test_rtx_4090_is_3a090_a_1_and_4090d_is_outside_in_2024():
    r4090 = classify("RTX 4090", "2024-06-01")
    assert r4090.datacenter is False
    assert r4090.tpp >= 4800
    assert (r4090.eccn, r4090.paragraph) == ("3A090.a", "3A090.a.1")
    d = classify("RTX 4090D", "2024-06-01")
    assert d.tpp < 4800
    assert (d.eccn, d.controlled) == (None, False)
    assert _outcome(d, "3A090.a.2") == "excluded"  # PD is high; Note 2 takes it out


def test_4090d_marketed_for_datacenters_would_be_3a090_a_2():
    result = classify("RTX 4090D", "2024-06-01", datacenter=True)
    assert (result.eccn, result.paragraph) == ("3A090.a", "3A090.a.2")


def test_hbm3e_is_3a090_c_from_2024_12_02_not_before():
    before = classify("HBM3E", "2024-12-01")
    assert before.controlled is False
    after = classify("HBM3E", "2024-12-02")
    assert (after.eccn, after.paragraph) == ("3A090.c", "3A090.c")
    assert after.memory_bandwidth_density > 2


def test_h200_inside_and_b200_outside_the_2026_case_by_case_band():
    assert classify("H200", "2026-01-14").review_band is None
    h200 = classify("H200", "2026-01-15")
    assert h200.eccn == "3A090.a"
    assert h200.review_band["inside"] is True
    assert h200.review_band["policy"] == "case_by_case"
    b200 = classify("B200", "2026-01-15")
    assert b200.review_band["inside"] is False
    assert b200.review_band["policy"] == "presumption_of_denial"
    assert b200.tpp >= 21000


def test_a_missing_fact_is_named_not_guessed():
    result = classify(spec(tpp=4708, die_area_mm2=609), "2024-06-01")
    assert result.controlled is None and result.eccn is None
    assert result.missing_facts == ["datacenter"]
    in_2022 = classify(spec(tpp=6000, die_area_mm2=800, datacenter=True), "2023-01-10")
    assert in_2022.controlled is None and in_2022.missing_facts == ["io_rate"]
    no_area = classify(spec(tpp=3000, datacenter=True), "2024-06-01")
    assert no_area.missing_facts == ["pd"]


def test_a_decided_answer_does_not_ask_for_irrelevant_facts():
    result = classify(spec(tpp=15832, die_area_mm2=None), "2024-06-01")
    assert (result.paragraph, result.missing_facts) == ("3A090.a.1", [])


def test_systems_take_4a090_from_the_ic_they_contain():
    assert classify("DGX H100", "2024-06-01").eccn == "4A090.a"
    assert classify("DGX A100", "2022-11-01").eccn == "4A090.a"
    assert classify("DGX A100", "2022-10-01").controlled is False


def test_before_3a090_existed_the_answer_says_so():
    result = classify("H100", "2021-06-01")
    assert result.controlled is False
    assert "did not exist" in result.reasons[0].summary


def test_aliases_resolve_to_one_record():
    cat = catalog()
    assert cat.find("h100") is cat.find("NVIDIA H100 80GB SXM5") is cat.find("H100-SXM")


def test_unknown_chip_is_an_error_with_near_names():
    with pytest.raises(InputError, match="did you mean") as caught:
        classify("H1000", "2024-01-01")
    assert caught.value.field == "item"
    assert "H100" in str(caught.value)
    with pytest.raises(InputError, match="required"):
        classify("  ", "2024-01-01")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"tpp": -1}, "tpp"),
        ({"tpp": 1000, "die_area_mm2": -5}, "die_area"),
        ({}, "tpp"),
        ({"kind": "memory"}, "memory_bandwidth_density"),
        ({"kind": "fpga", "tpp": 1}, "kind"),
        ({"tpp": 1e9}, "tpp"),
    ],
)
def test_bad_figures_are_refused(kwargs, field):
    with pytest.raises(InputError) as caught:
        spec(**kwargs)
    assert caught.value.field == field
