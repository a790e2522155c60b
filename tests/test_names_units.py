"""Issue 16: a unit written in characters with its parents' names in front of its own
(`han_rules.unit_splits`, feature `unit_of_parent`), against the reference CSL and the curated
local names:

- the unit is found when the party's name in characters is the unit under the same parent (the
  same party's name or a shortening of it), or is the unit alone and names its place or the
  party's listed name holds the listed name of a parent the query names;
- a sister unit of the same parent is not matched to it at the threshold;
- the parent alone is not raised to one of its units, nor is the unit under another parent.
"""

from functools import partial

import pytest

from exportguard.screening import DEFAULT_THRESHOLD
from exportguard.screening.han_rules import (
    RELATIVE_CEILING,
    UNIT_OF_PARENT,
    is_unit,
    parent_parts,
    unit_splits,
)
from tests.checking import features
from tests.checking import found as _found

AMMS = "Academy of Military Medical Sciences"
FIELD_BLOOD = "Academy of Military Medical Sciences, Field Blood Transfusion Institution"
BIOENGINEERING = "Academy of Military Medical Sciences, Institute of Bioengineering"
BASIC_MEDICINE = "Academy of Military Medical Sciences, Institute of Basic Medicine"
TOXICOLOGY = "Academy of Military Medical Sciences, Institute of Toxicology and Pharmacology"
NSCC_GZ = "National Supercomputing Center Guangzhou (NSCC-GZ)"
LEIHUA = "AVIC Leihua Electronic Technology Research Institute (LETRI)"
CHENGDU_DESIGN = "Chengdu Aircraft Design and Research Institute"
# The CSL's eleven units of the Academy of Military Medical Sciences (EL, 86 FR 71557).
AMMS_UNITS = (FIELD_BLOOD, BIOENGINEERING, BASIC_MEDICINE, TOXICOLOGY,
              "Academy of Military Medical Sciences, Institute of Disease Control and Prevention",
              "Academy of Military Medical Sciences, Institute of Health Service and Medical "
              "Information",
              "Academy of Military Medical Sciences, Institute of Hygiene and Environmental "
              "Medicine",
              "Academy of Military Medical Sciences, Institute of Medical Equipment",
              "Academy of Military Medical Sciences, Institute of Microbiology and Epidemiology",
              "Academy of Military Medical Sciences, Institute of Radiation and Radiation Medicine",
              "Academy of Military Medical Sciences, Military Veterinary Research Institute")
PLA_AMS_AMMS = "中国人民解放军军事科学院军事医学研究院"

found = partial(_found, min_score=0.5, limit=20)


def test_a_name_reads_as_units_under_parents_nearest_parent_first():
    assert unit_splits(PLA_AMS_AMMS + "野战输血研究所") == (
        (PLA_AMS_AMMS, "野战输血研究所"),
        ("中国人民解放军军事科学院", "军事医学研究院野战输血研究所"),
        ("中国人民解放军", "军事科学院军事医学研究院野战输血研究所"),
    )
    assert unit_splits("中山大学国家超级计算广州中心") == (("中山大学", "国家超级计算广州中心"),)
    # A parent alone, a unit alone and a unit of one character of its own are no unit splits.
    assert unit_splits(PLA_AMS_AMMS)[0] == ("中国人民解放军军事科学院", "军事医学研究院")
    assert unit_splits("中国航空工业集团公司") == ()
    assert unit_splits("野战输血研究所") == ()
    assert unit_splits("中国科学院物理所") == ()
    assert is_unit("野战输血研究所")
    assert not is_unit("研究所")
    assert not is_unit("中国航空工业集团公司")
    assert parent_parts(PLA_AMS_AMMS)[0] == PLA_AMS_AMMS
    assert set(parent_parts(PLA_AMS_AMMS)) == {
        PLA_AMS_AMMS, "中国人民解放军军事科学院", "军事科学院军事医学研究院", "中国人民解放军",
        "军事医学研究院", "军事科学院"}
    # A direction before 部 is a part of a place (新疆西部), not a ministry; 部 of 部件 ends no
    # word; a legal form's words are no unit of their own (集团 / 股份有限公司).
    assert unit_splits("新疆西部合盛硅业有限公司") == ()
    assert unit_splits("菲舍尔航空部件镇江有限公司") == ()
    assert unit_splits("天茂实业集团股份有限公司") == ()


@pytest.mark.parametrize(
    ("query", "listed", "why"),
    [
        # The institute's curated name is the unit alone (野战输血研究所); the listed name holds
        # the listed name of the academy whose name in characters (军事医学研究院) the query has.
        (PLA_AMS_AMMS + "野战输血研究所", FIELD_BLOOD,
         f"the listed name {FIELD_BLOOD} names the parent {AMMS}, whose name in characters "
         "军事医学研究院 the query has"),
        # Curated under the academy's former name (军事医学科学院), one of the academy's names.
        (PLA_AMS_AMMS + "生物工程研究所", BIOENGINEERING,
         f"军事医学研究院 and 军事医学科学院 are names of {AMMS}"),
        (PLA_AMS_AMMS + "基础医学研究所", BASIC_MEDICINE,
         f"are names of {AMMS}"),
        # A unit after its host's name: the unit's own name names its place.
        ("中山大学国家超级计算广州中心", NSCC_GZ, "is that unit's own name, which names its place"),
        # Curated under AVIC's short name 航空工业, a shortening of the group's full name.
        ("中国航空工业集团公司雷华电子技术研究所", LEIHUA,
         "under 航空工业, a shortening of 中国航空工业集团公司"),
        ("中国航空工业集团公司成都飞机设计研究所", CHENGDU_DESIGN, "which names its place"),
    ],
)
def test_a_unit_under_its_parents_is_found(full_screener, query, listed, why):
    for country in (None, "CN"):
        match = found(full_screener, query, country)[listed]
        assert DEFAULT_THRESHOLD <= match.score < 1.0  # never a confirmed match
        unit = features(match)["unit_of_parent"]
        assert unit.contribution == pytest.approx(UNIT_OF_PARENT)
        assert unit.detail.startswith(f"read {query} as the unit ")
        assert why in unit.detail
    best = full_screener.screen(query).matches[0]
    assert best.entry.name == listed


@pytest.mark.parametrize(
    ("query", "unit"),
    [
        (PLA_AMS_AMMS + "毒物药物研究所", TOXICOLOGY),
        (PLA_AMS_AMMS + "基础医学研究所", BASIC_MEDICINE),
        (PLA_AMS_AMMS + "野战输血研究所", FIELD_BLOOD),
    ],
)
def test_a_sister_unit_of_the_same_parent_is_not_matched(full_screener, query, unit):
    for country in (None, "CN"):
        matches = full_screener.screen(query, country=country).matches
        assert [m.entry.name for m in matches if m.entry.name in AMMS_UNITS] == [unit]
        assert all("unit_of_parent" not in features(m) for m in matches if m.entry.name != unit)


@pytest.mark.parametrize("parent", [PLA_AMS_AMMS, "中国人民解放军军事科学院", "军事医学研究院",
                                    "中国航空工业集团公司"])
def test_the_parent_alone_is_not_raised_to_a_unit(full_screener, parent):
    units = {*AMMS_UNITS, LEIHUA, CHENGDU_DESIGN}
    for country in (None, "CN"):
        matches = full_screener.screen(parent, country=country, min_score=0.5, limit=50).matches
        assert not any("unit_of_parent" in features(m) for m in matches)
        assert not [m for m in matches if m.entry.name in units and m.score >= DEFAULT_THRESHOLD]


def test_the_unit_under_another_parent_is_not_read_as_the_listed_unit(full_screener):
    # 野战输血研究所 is curated alone for the AMMS institute, whose listed name names the AMMS;
    # under the Chinese Academy of Sciences (中国科学院, no parent of it) the unit is not read so
    # and the whole name stays below the threshold.
    match = found(full_screener, "中国科学院野战输血研究所")[FIELD_BLOOD]
    assert "unit_of_parent" not in features(match)
    assert match.score < DEFAULT_THRESHOLD


SHINING_PATH = "SHINING PATH"  # SDN; its aliases include PEOPLE'S LIBERATION ARMY (Peru)


@pytest.mark.parametrize("query", ["中国人民解放军军事科学院", PLA_AMS_AMMS,
                                   "中国人民解放军国防科技大学"])
def test_a_listed_name_of_the_parents_words_only_is_held_below_the_threshold(full_screener,
                                                                            query):
    # The Academy of Military Sciences is not on the CSL; read whole, its name met Shining
    # Path's alias PEOPLE'S LIBERATION ARMY at 0.89 (every listed word is in 中国人民解放军
    # 'china people's liberation army'): the words name the query's parent, not its unit.
    for country in (None, "CN"):
        match = found(full_screener, query, country)[SHINING_PATH]
        assert match.score == pytest.approx(RELATIVE_CEILING)
        assert sum(f.contribution for f in match.features) == pytest.approx(match.score)
        parent = features(match)["parent_only"]
        assert parent.contribution < 0
        assert "(peoples, liberation, army) reads 中国人民解放军" in parent.detail
    # The unit's own listed name is not held: NUDT's curated name, the AMMS institutes above.
    assert full_screener.screen("中国人民解放军国防科技大学").matches[0].entry.name == (
        "National University of Defense Technology (NUDT)")


def test_the_parents_words_hold_back_only_names_the_unit_does_not_name(full_screener):
    # CASC's 9th Academy's 772nd institute: the listed name has the institute's number, a word
    # of the unit, and is not held; the parent rule says nothing of it.
    query = "中国航天科技集团公司第九研究院772研究所"
    listed = ("China Aerospace Science and Technology Corporation (CASC) 9th Academy 772 "
              "Research Institute")
    match = found(full_screener, query)[listed]
    assert match.score >= DEFAULT_THRESHOLD
    assert "parent_only" not in features(match)
