"""Licence determination: dated scenarios from the regulation text, each pinning a decision,
a review policy and the rules that fired. Parties are screened against the reference CSL."""

from __future__ import annotations

import pytest

from exportguard.check import ItemFigures, Party
from exportguard.errors import InputError
from tests.checking import decide

UNLISTED_CN = Party("Shenzhen Example Trading Co., Ltd.", country="CN")
JP_SUB_OF_CN = Party("Example Japan KK", country="JP", parent="Example Group Holdings",
                     parent_hq="CN")
JP_SUB_OF_HK = Party("Example Japan KK", country="JP", parent="Example Group Holdings",
                     parent_hq="HK")
JP_INDEPENDENT = Party("Example Japan KK", country="JP", hq="JP")
MEGVII = Party("Megvii Technology")
HIKVISION = Party("Hangzhou Hikvision Digital Technology Co., Ltd.")

# (id, destination, parties, item, item_eccn, date, decision, policy, fired rule ids, kwargs)
SCENARIOS = [
    ("megvii-ear99-day-before", "CN", [MEGVII], None, "EAR99", "2019-10-08",
     "no_license_required", None, [], {}),
    ("megvii-ear99-listing-day", "CN", [MEGVII], None, "EAR99", "2019-10-09",
     "license_required", "presumption_of_denial", ["entity-list"], {}),
    ("megvii-ear99-day-after", "CN", [MEGVII], None, "EAR99", "2019-10-10",
     "license_required", "presumption_of_denial", ["entity-list"], {}),
    ("megvii-named-eccn-case-by-case", "CN", [MEGVII], None, "1A004.c", "2020-01-01",
     "license_required", "case_by_case", ["licence-by-eccn", "entity-list"], {}),
    ("hikvision-ear99-2024", "CN", [HIKVISION], None, "EAR99", "2024-01-01",
     "license_required", "presumption_of_denial", ["entity-list"], {}),
    ("a100-unlisted-cn-day-before-august-2022-letter", "CN", [UNLISTED_CN], "A100", None,
     "2022-08-25", "no_license_required", None, [], {}),
    ("a100-unlisted-cn-august-2022-letter-day", "CN", [UNLISTED_CN], "A100", None, "2022-08-26",
     "license_required", None, ["is-informed-2022-a100-h100"], {}),
    ("a100-unlisted-cn-day-before-2022-rule", "CN", [UNLISTED_CN], "A100", None, "2022-10-20",
     "license_required", None, ["is-informed-2022-a100-h100"], {}),
    ("a100-unlisted-cn-2022-rule-day", "CN", [UNLISTED_CN], "A100", None, "2022-10-21",
     "license_required", "presumption_of_denial", ["ac-2022-china", "is-informed-2022-a100-h100"],
     {}),
    ("a100-unlisted-cn-dec-2022", "CN", [UNLISTED_CN], "A100", None, "2022-12-15",
     "license_required", "presumption_of_denial", ["ac-2022-china", "is-informed-2022-a100-h100"],
     {}),
    ("a800-unlisted-cn-2023-passes-io-test", "CN", [UNLISTED_CN], "A800", None, "2023-03-01",
     "no_license_required", None, [], {}),
    ("h800-unlisted-cn-june-2023", "CN", [UNLISTED_CN], "H800", None, "2023-06-01",
     "no_license_required", None, [], {}),
    ("h800-unlisted-cn-day-before-2023-rule", "CN", [UNLISTED_CN], "H800", None, "2023-11-16",
     "no_license_required", None, [], {}),
    ("h800-unlisted-cn-2023-rule-day", "CN", [UNLISTED_CN], "H800", None, "2023-11-17",
     "license_required", "presumption_of_denial",
     ["ac-2023-destinations", "ac-2023-headquarters"], {}),
    ("h800-unlisted-cn-dec-2023", "CN", [UNLISTED_CN], "H800", None, "2023-12-15",
     "license_required", "presumption_of_denial",
     ["ac-2023-destinations", "ac-2023-headquarters"], {}),
    ("a100-macau-day-before", "MO", [Party("Macau Example Ltd", country="MO")], "A100", None,
     "2023-01-16", "no_license_required", None, [], {}),
    ("a100-macau-added", "MO", [Party("Macau Example Ltd", country="MO")], "A100", None,
     "2023-01-17", "license_required", "presumption_of_denial", ["ac-2022-macau"], {}),
    ("a100-jp-subsidiary-of-cn-group-jan-2023", "JP", [JP_SUB_OF_CN], "A100", None,
     "2023-01-10", "no_license_required", None, [], {}),
    # 744.23(d) as of 2023-11-17: denial for Macau/D:5 destinations, "For all other
    # applications, there is a case-by-case license review policy" (audit r1)
    ("a100-jp-subsidiary-of-cn-group-dec-2023", "JP", [JP_SUB_OF_CN], "A100", None,
     "2023-12-10", "license_required", "case_by_case", ["ac-2023-headquarters"], {}),
    ("a100-jp-subsidiary-of-hk-group-dec-2023", "JP", [JP_SUB_OF_HK], "A100", None,
     "2023-12-10", "license_required", "case_by_case", ["ac-2023-headquarters"], {}),
    ("a100-jp-independent-dec-2023", "JP", [JP_INDEPENDENT], "A100", None, "2023-12-10",
     "no_license_required", None, [], {}),
    ("a100-jp-headquarters-unknown", "JP", [Party("Example Japan KK")], "A100", None,
     "2023-12-10", "review", None, ["ac-2023-headquarters"], {}),
    # 742.6(b)(10)(ii): "destinations not specified in Country Group D:5 (except Macau) will be
    # reviewed on a presumption of approval basis" (audit r1)
    ("h100-vietnam-d1-not-d5", "VN", [Party("Hanoi Example JSC", country="VN")], "H100", None,
     "2024-06-01", "license_required", "presumption_of_approval", ["ac-2023-destinations"], {}),
    ("h100-germany-a5", "DE", [Party("Example GmbH", country="DE")], "H100", None,
     "2024-06-01", "no_license_required", None, [], {}),
    ("h100-germany-diffusion-text-not-enforced", "DE", [Party("Example GmbH", country="DE")],
     "H100", None, "2025-06-01", "no_license_required", None, [], {}),
    ("h20-cn-2024", "CN", [UNLISTED_CN], "H20", None, "2024-06-01",
     "no_license_required", None, [], {}),
    ("h20-cn-day-before-letter", "CN", [UNLISTED_CN], "H20", None, "2025-04-08",
     "no_license_required", None, [], {}),
    ("h20-cn-letter-day", "CN", [UNLISTED_CN], "H20", None, "2025-04-09",
     "license_required", None, ["is-informed-2025-h20"], {}),
    ("h20-cn-may-2025", "CN", [UNLISTED_CN], "H20", None, "2025-05-15",
     "license_required", None, ["is-informed-2025-h20"], {}),
    ("h20-jp-2025-independent", "JP", [JP_INDEPENDENT], "H20", None, "2025-05-15",
     "no_license_required", None, [], {}),
    ("h200-cn-day-before-band", "CN", [UNLISTED_CN], "H200", None, "2026-01-14",
     "license_required", "presumption_of_denial",
     ["ac-2023-destinations", "ac-headquarters-2025-a"], {}),
    ("h200-cn-feb-2026-case-by-case", "CN", [UNLISTED_CN], "H200", None, "2026-02-01",
     "license_required", "case_by_case",
     ["ac-2023-destinations", "ac-headquarters-2025-a", "review-policy-2026-01-15"], {}),
    ("b200-cn-feb-2026-outside-band", "CN", [UNLISTED_CN], "B200", None, "2026-02-01",
     "license_required", "presumption_of_denial",
     ["ac-2023-destinations", "ac-headquarters-2025-a"], {}),
    ("h200-jp-sub-of-cn-2026-stays-denial", "JP", [JP_SUB_OF_CN], "H200", None, "2026-02-01",
     "license_required", "presumption_of_denial", ["ac-headquarters-2025-a"], {}),
    ("hbm3e-cn-day-before", "CN", [UNLISTED_CN], "HBM3E", None, "2024-12-01",
     "no_license_required", None, [], {}),
    ("hbm3e-cn-rule-day", "CN", [UNLISTED_CN], "HBM3E", None, "2024-12-02",
     "license_required", "presumption_of_denial", ["ac-2024-hbm"], {}),
    ("hbm3e-korea", "KR", [Party("Example Korea Co", country="KR")], "HBM3E", None,
     "2025-01-10", "no_license_required", None, [], {}),
    ("rtx4090-cn-2024", "CN", [UNLISTED_CN], "RTX 4090", None, "2024-06-01",
     "license_required", "presumption_of_denial",
     ["ac-2023-destinations", "ac-2023-headquarters-2024"], {}),
    ("rtx4090d-cn-2024", "CN", [UNLISTED_CN], "RTX 4090D", None, "2024-06-01",
     "no_license_required", None, [], {}),
    ("l20-cn-2024", "CN", [UNLISTED_CN], "L20", None, "2024-06-01",
     "no_license_required", None, [], {}),
    ("ear99-unlisted-cn", "CN", [UNLISTED_CN], None, "EAR99", "2024-06-01",
     "no_license_required", None, [], {}),
    ("ear99-cuba-embargo", "CU", [Party("Example SA", country="CU")], None, "EAR99",
     "2024-06-01", "license_required", "presumption_of_denial", ["embargo-e1-e2"], {}),
    ("supercomputer-end-use-ear99-is-outside-744-23", "CN", [UNLISTED_CN], None, "EAR99",
     "2023-03-01", "no_license_required", None, [],
     {"end_use": "exascale supercomputer centre"}),
    ("supercomputer-end-use-5a992-cn-2023", "CN", [UNLISTED_CN], None, "5A992.c", "2023-03-01",
     "license_required", "presumption_of_denial", ["supercomputer-end-use-2023-macau"],
     {"end_use": "exascale supercomputer centre"}),
    ("supercomputer-end-use-day-before-rule", "CN", [UNLISTED_CN], None, "5A992.c",
     "2022-10-06", "no_license_required", None, [], {"end_use": "supercomputer"}),
    ("advanced-node-end-use-cn", "CN", [UNLISTED_CN], None, "EAR99", "2024-06-01",
     "license_required", "presumption_of_denial", ["advanced-node-end-use-2023"],
     {"end_use": "spare parts for a 7 nm wafer fab"}),
    ("dpl-party-prohibited", "US", [Party("William Chi-Wai Tsu")], None, "EAR99", "2024-06-01",
     "prohibited", None, ["denied-persons"], {}),
    ("dpl-party-day-before-order", "MX", [Party("Ruben Beltran-Ramos")], None, "EAR99",
     "2020-01-07", "no_license_required", None, [], {}),
    ("dpl-party-order-day", "MX", [Party("Ruben Beltran-Ramos")], None, "EAR99",
     "2020-01-08", "prohibited", None, ["denied-persons"], {}),
    ("sdn-party-prohibited", "US", [Party("Global Relief Foundation, Inc.")], None, "EAR99",
     "2024-06-01", "prohibited", None, ["sdn-blocking"], {}),
    # The MEU entry cites only 85 FR 83799: the page table bounds its printing between
    # 85 FR 83793 (2020-12-23) and 85 FR 84211 (2020-12-28).
    ("meu-party-before-its-listing-window", "CN",
     [Party("Academy of Aerospace Solid Propulsion Technology")], None, "3A991", "2020-12-22",
     "no_license_required", None, [], {}),
    ("meu-party-inside-its-listing-window-undecided", "CN",
     [Party("Academy of Aerospace Solid Propulsion Technology")], None, "3A991", "2020-12-24",
     "review", None, ["possible-match"], {}),
    ("meu-party-on-the-last-day-of-its-window", "CN",
     [Party("Academy of Aerospace Solid Propulsion Technology")], None, "3A991", "2020-12-28",
     "license_required", "presumption_of_denial", ["military-end-user"], {}),
    ("meu-party-listed", "CN", [Party("Academy of Aerospace Solid Propulsion Technology")],
     None, "3A991", "2021-06-01", "license_required", "presumption_of_denial",
     ["military-end-user"], {}),
    ("a100-from-figures-cn", "CN", [UNLISTED_CN], "figures-a100", None, "2024-06-01",
     "license_required", "presumption_of_denial",
     ["ac-2023-destinations", "ac-2023-headquarters-2024"], {}),
    ("undecided-item-cn", "CN", [UNLISTED_CN], "figures-4090d-unknown-market", None,
     "2024-06-01", "review", None, ["ac-2023-destinations", "ac-2023-headquarters-2024"], {}),
    ("foreign-made-ear99-hikvision-no-fdp-footnote", "CN", [HIKVISION], None, "EAR99",
     "2024-06-01", "review", None, ["jurisdiction", "entity-list"], {"foreign_made": True}),
    ("foreign-made-ear99-megvii-footnote-4-technology-not-given", "CN", [MEGVII], None, "EAR99",
     "2024-06-01", "review", None, ["jurisdiction", "entity-list"], {"foreign_made": True}),
    ("a100-cn-last-day-of-2022-text", "CN", [UNLISTED_CN], "A100", None, "2023-11-16",
     "license_required", "presumption_of_denial", ["ac-2022-china", "is-informed-2022-a100-h100"],
     {}),
    ("a100-cn-first-day-of-2023-text", "CN", [UNLISTED_CN], "A100", None, "2023-11-17",
     "license_required", "presumption_of_denial",
     ["ac-2023-destinations", "ac-2023-headquarters", "is-informed-2022-a100-h100"], {}),
    ("mi308-cn-day-before-letter-undecided", "CN", [UNLISTED_CN], "MI308", None, "2025-04-14",
     "review", None, ["ac-2023-destinations", "ac-headquarters-2025-a", "ac-headquarters-2025-b"],
     {}),
    ("mi308-cn-letter-day", "CN", [UNLISTED_CN], "MI308", None, "2025-04-15",
     "license_required", None,
     ["ac-2023-destinations", "ac-headquarters-2025-a", "ac-headquarters-2025-b",
      "is-informed-2025-mi308"], {}),
    ("supercomputer-end-use-rule-day", "CN", [UNLISTED_CN], None, "5A992.c", "2022-10-07",
     "license_required", "presumption_of_denial", ["supercomputer-end-use-2022"],
     {"end_use": "supercomputer"}),
    ("supercomputer-end-use-2023-text", "CN", [UNLISTED_CN], None, "5A992.c", "2023-11-17",
     "license_required", "presumption_of_denial", ["supercomputer-end-use-2023"],
     {"end_use": "supercomputer"}),
    ("advanced-node-day-before-rule", "CN", [UNLISTED_CN], None, "EAR99", "2022-10-06",
     "no_license_required", None, [], {"end_use": "7 nm logic wafer fab"}),
    ("advanced-node-rule-day", "CN", [UNLISTED_CN], None, "EAR99", "2022-10-07",
     "license_required", "presumption_of_denial", ["advanced-node-end-use-2022"],
     {"end_use": "7 nm logic wafer fab"}),
]


def _item(name):
    if name == "figures-a100":
        return ItemFigures(tpp=4992, die_area=826, datacenter=True)
    if name == "figures-4090d-unknown-market":
        return ItemFigures(tpp=4708, die_area=609)
    return name


@pytest.mark.parametrize(
    ("destination", "parties", "item", "eccn", "day", "decision", "policy", "fired", "kwargs"),
    [s[1:] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS],
)
def test_scenario(full_screener, destination, parties, item, eccn, day, decision, policy, fired,
                  kwargs):
    result = decide(full_screener, destination=destination, parties=parties,
                    item=_item(item) if item else None, item_eccn=eccn, on=day, **kwargs)
    assert result.decision == decision, [r.to_dict() for r in result.reasons]
    assert result.review_policy == policy
    assert [r for r in dict.fromkeys(result.fired) if r != "possible-match" or
            "possible-match" in fired] == fired


def test_there_are_at_least_forty_scenarios():
    assert len(SCENARIOS) >= 40


def test_reasons_carry_citations_and_dates(full_screener):
    result = decide(full_screener, destination="CN", parties=[UNLISTED_CN], item="H800",
                    on="2023-12-15")
    for reason in result.reasons:
        assert reason.citation and reason.source.startswith("https://")
    rule = next(r for r in result.reasons if r.rule_id == "ac-2023-destinations")
    assert rule.effective_from.isoformat() == "2023-11-17"
    assert "88 FR 73458" in rule.citation
    data = result.to_dict()
    assert data["item"]["paragraph"] == "3A090.a.1"
    assert data["as_of"] == "2023-12-15" and data["rules_version"]
    assert any("headquartered where it is located" in a for a in data["assumptions"])


def test_the_megvii_listing_date_comes_from_its_federal_register_notice(full_screener):
    before = decide(full_screener, destination="CN", parties=[MEGVII], item_eccn="EAR99",
                    on="2019-10-08")
    later = [r for r in before.reasons if r.rule_id == "listed-later" and "(EL)" in r.summary]
    assert later and "2019-10-09" in later[0].summary and "84 FR 54002" in later[0].summary


def test_the_ai_diffusion_text_is_shown_not_applied(full_screener):
    def noted(day):
        result = decide(full_screener, destination="DE",
                        parties=[Party("Example GmbH", country="DE")], item="H100", on=day)
        assert result.decision == "no_license_required"
        return [r.outcome for r in result.reasons if r.rule_id == "ai-diffusion-2025"]

    assert noted("2025-01-12") == []
    assert noted("2025-01-13") == ["not_enforced"]


def test_missing_headquarters_is_named(full_screener):
    result = decide(full_screener, destination="JP", parties=[Party("Example Japan KK")],
                    item="A100", on="2023-12-10")
    assert result.missing_facts == ["party_hq_d5_or_mo"]


def test_same_input_same_answer(full_screener):
    args = {"destination": "CN", "parties": [MEGVII], "item": "A100", "on": "2024-01-01"}
    assert decide(full_screener, **args).to_dict() == decide(full_screener, **args).to_dict()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"destination": "XX", "item_eccn": "EAR99"}, "destination"),
        ({"destination": "CN", "item_eccn": "EAR99", "on": "2019-02-30"}, "date"),
        ({"destination": "CN", "item_eccn": "EAR99", "on": "2017-06-01"}, "date"),
        ({"destination": "CN", "item": "H1000"}, "item"),
        ({"destination": "CN", "item": "A100", "item_eccn": "3A090.a"}, "item"),
        ({"destination": "CN"}, "item"),
        ({"destination": "CN", "item_eccn": "3A09"}, "item_eccn"),
        ({"destination": "CN", "item_eccn": "3A090.z"}, "item_eccn"),
        ({"destination": "CN", "item_eccn": "3A090.a.9"}, "item_eccn"),
        ({"destination": "CN", "item_eccn": "4A090.c"}, "item_eccn"),
        ({"destination": "CN", "item_eccn": "EAR99", "end_use": "x" * 501}, "end_use"),
    ],
)
def test_bad_input_is_refused_naming_the_field(full_screener, kwargs, field):
    with pytest.raises(InputError) as caught:
        decide(full_screener, parties=[UNLISTED_CN], **kwargs)
    assert caught.value.field == field


@pytest.mark.parametrize("eccn", ["3A090", "4A090"])
def test_an_advanced_computing_eccn_without_its_paragraph_is_review_not_cleared(full_screener,
                                                                                 eccn):
    """`--item-eccn 3A090` to China: which paragraph (.a, .b or .c) is not known, so the answer
    is review naming item_ac, never "no licence required" (each paragraph alone needs one)."""
    for given, expected in ((eccn, "review"), (eccn + ".a", "license_required"),
                            (eccn + ".b", "license_required")):
        answer = decide(full_screener, destination="CN", parties=[UNLISTED_CN], item_eccn=given,
                        on="2024-06-01")
        assert answer.decision == expected, given
        if expected == "review":
            assert "item_ac" in answer.missing_facts


@pytest.mark.parametrize(("eccn", "destination", "decision", "outcome"), [
    ("3A001.a", "CN", "review", "review"),       # NS/MT columns: the chart is not modelled
    ("5A002.a", "CN", "review", "review"),
    ("5A992.c", "CN", "no_license_required", "info"),  # 9x9: anti-terrorism only
    ("3A991.a", "DE", "no_license_required", "info"),
    ("5A992.c", "RU", "review", "review"),      # 746.8(a)(1): every ECCN to Russia
    ("3A991.a", "IR", "license_required", "review"),  # an AT destination (and the embargo)
])
def test_a_us_origin_item_of_an_unmodelled_eccn_is_never_silently_cleared(
        full_screener, eccn, destination, decision, outcome):
    result = decide(full_screener, destination=destination, parties=[
        Party("Contoso Trading Co", country=destination)], item_eccn=eccn, on="2024-06-01")
    assert result.decision == decision, [r.to_dict() for r in result.reasons]
    (reason,) = [r for r in result.reasons if r.rule_id == "licence-by-eccn"]
    assert reason.outcome == outcome and "U.S.-origin item" in reason.summary
    assert "Part 738" in reason.citation


@pytest.mark.parametrize("day", ["2021-06-01", "2022-04-07", "2022-04-08"])
def test_a_9x9_item_to_russia_is_review_on_either_side_of_the_2022_rules(full_screener, day):
    """The set of every-ECCN destinations carries no dates (87 FR 22130 made all CCL items need a
    licence to Russia from 2022-04-08): before it the answer is review, more cautious than the
    text, never a clearance."""
    result = decide(full_screener, destination="RU", parties=[
        Party("Contoso Trading Co", country="RU")], item_eccn="5A992.c", on=day)
    assert result.decision == "review"
    assert "licence-by-eccn" in result.fired


def test_contradictory_party_input_is_refused(full_screener):
    with pytest.raises(InputError) as caught:
        decide(full_screener, destination="JP", parties=[Party("X KK", parent_hq="CN")],
               item="A100")
    assert caught.value.field == "parent"
    with pytest.raises(InputError) as caught:
        decide(full_screener, destination="JP", parties=[Party("X KK", country="ZZ")], item="A100")
    assert caught.value.field == "party_country"


SENSETIME = Party("Beijing SenseTime Technology Development Co., Ltd.")


@pytest.mark.parametrize("party", [MEGVII, SENSETIME], ids=["megvii", "sensetime"])
def test_seed_story_on_the_full_csl(full_screener, party):
    """EAR99 to the 2019 seed companies: no licence the day before their listing (84 FR 54002,
    effective 2019-10-09), a licence with a presumption of denial after; the 2021 NS-CMIC rows
    of their groups neither change the decision nor count before they were listed."""
    before = decide(full_screener, destination="CN", parties=[party], item_eccn="EAR99",
                    on="2019-10-08")
    assert before.decision == "no_license_required", before.fired
    after = decide(full_screener, destination="CN", parties=[party], item_eccn="EAR99",
                   on="2019-10-10")
    assert (after.decision, after.review_policy) == ("license_required", "presumption_of_denial")
    assert "entity-list" in after.fired
    for result in (before, after):
        for screened in result.parties:
            for row in screened.listed + screened.possible:
                assert row["_entry"].list_code != "CMIC", row


def test_an_informational_list_never_changes_the_decision(full_screener):
    """SenseTime Group is on the NS-CMIC list from 2021-12-10: a match to it, exact or fuzzy,
    is information beside the export decision, never a reason that decides it."""
    for name in ("SenseTime Group Limited", "Sensetime Grp Ltd"):
        result = decide(full_screener, destination="DE", parties=[Party(name)],
                        item_eccn="EAR99", on="2022-06-01")
        cmic = [r for r in result.reasons if "(CMIC)" in r.summary]
        assert cmic and all(r.outcome == "info" and r.rule_id == "ns-cmic-information"
                            for r in cmic), [(r.rule_id, r.outcome) for r in cmic]
        assert "31 CFR Part 586" in cmic[0].citation


def test_no_ns_cmic_row_of_the_csl_is_in_force_before_its_listing(csl_entries):
    """The CSL's 68 CMIC rows carry no date; each takes its issuer's first listing from the
    built-in NS-CMIC data, so none is in force in 2019 and SenseTime Group only from
    2021-12-10."""
    from datetime import date

    from exportguard.lists.listing_dates import listing_date

    rows = [e for e in csl_entries if e.list_code == "CMIC"]
    assert len(rows) == 68
    dates = {e.name: listing_date(e) for e in rows}
    assert all(d.day is not None and d.listed_on(date(2019, 10, 8)) is False
               for d in dates.values())
    sensetime = dates["Sensetime Group Limited"]
    assert sensetime.day == date(2021, 12, 10) and "NS-CMIC" in sensetime.basis
    assert sensetime.listed_on(date(2021, 12, 9)) is False
