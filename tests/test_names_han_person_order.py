"""A Chinese person's name in characters against its pinyin in Western order (issue 16): 王杰
and "Jie Wang", the given name's syllables together or apart (Ming-Hua, Minghua, Ming Hua), a
surname of two characters in one word or two (Ouyang, Ou Yang), in either order; reviewed at
HAN_PERSON_NAME like the characters' own order ("Wang Jie"), never confirmed, with the words
weighed by the full reference CSL. On main at 1235686 王杰 / "Jie Wang" scored 0.086 and 李伟 /
"Wei Li" 0.09."""

from __future__ import annotations

from dataclasses import replace

import pytest

from exportguard.model import ListEntry
from exportguard.names.normalize import name_forms
from exportguard.screening import DEFAULT_THRESHOLD, Screener
from exportguard.screening.pairs import compare_names
from exportguard.screening.short_names import (
    HAN_PERSON_NAME,
    HAN_SURNAME_FIRST,
    HAN_WESTERN,
    han_person_name,
    person_forms,
)
from exportguard.watch.kept import customer_record


def _features(pair) -> set[str]:
    return {f.name for f in pair.match.features} if pair.match else set()


@pytest.mark.parametrize(
    ("name_a", "name_b"),
    [("王杰", "Jie Wang"), ("王杰", "Wang Jie"), ("李伟", "Wei Li"), ("张伟", "Wei Zhang"),
     ("刘强", "Qiang Liu"), ("王伟", "Wei Wang"), ("王明", "Ming Wang"), ("王明", "Wang Ming"),
     ("欧阳明", "Ming Ou Yang"), ("欧阳明", "Ming Ouyang"), ("欧阳明", "Ouyang Ming"),
     ("李明华", "Ming-Hua Li"), ("李明华", "Minghua Li"), ("李明华", "Ming Hua Li"),
     ("李明华", "Li Ming-Hua"), ("李明华", "Li Ming Hua"), ("欧阳明", "Ou Yang Ming")],
)
def test_a_persons_name_in_characters_meets_its_pinyin_in_either_order(
        full_screener, name_a, name_b):
    pair = compare_names(name_a, name_b, screener=full_screener)
    assert pair.score == pytest.approx(HAN_PERSON_NAME)
    assert pair.decision == "review"
    assert "han_person_name" in _features(pair)


@pytest.mark.parametrize(
    ("name_a", "name_b"),
    [("王杰", "Jian Wang"),  # another given name
     ("王杰", "Jie Zhang"),  # another surname
     ("王杰", "Jie Wang Trading Co"),  # a company
     ("王杰", "Jiewang Technology Co., Ltd."),
     ("张伟", "WEI, Zhang"),  # the lists' "SURNAME, Given": the surname Wei
     ("李明华", "Hua Ming Li"),  # the given name's syllables in another order
     ("伟王", "Wei Wang")],  # 伟 is no surname in CC-CEDICT
)
def test_near_names_in_western_order_are_not_lifted(full_screener, name_a, name_b):
    pair = compare_names(name_a, name_b, screener=full_screener)
    assert pair.score < DEFAULT_THRESHOLD
    assert "han_person_name" not in _features(pair)


def test_a_screen_finds_a_listed_person_written_in_western_order(csl_entries):
    """The candidate bounds keep the Western reading reachable at the default threshold: the
    reference CSL has no such individual, so four are listed beside it."""
    from exportguard.lists.starter import with_local_names

    added = [ListEntry("SDN", name, entity_number=f"t{number}", type="Individual",
                       countries=["CN"])
             for number, name in enumerate(["Jie Wang", "Ming-Hua Li", "Ming Ou Yang",
                                            "Wei Zhang"])]
    screener = Screener.from_entries([with_local_names(e) for e in csl_entries] + added)
    for query, listed in [("王杰", "Jie Wang"), ("李明华", "Ming-Hua Li"),
                          ("欧阳明", "Ming Ou Yang"), ("张伟", "Wei Zhang")]:
        found = {m.entry.name: m for m in screener.screen(query).matches}
        assert found[listed].score == pytest.approx(HAN_PERSON_NAME)
        assert found[listed].query_form_kind == HAN_WESTERN
    # A company of those words is no person's name: not met in Western order.
    company = replace(added[0], name="Jie Wang", type="Entity", entity_number="t9")
    screener = Screener.from_entries([company])
    assert not screener.screen("王杰", min_score=0.5).matches


def test_the_readings_as_a_person_are_the_given_name_and_the_surname_apart():
    assert [f.tokens for f in person_forms("王杰", name_forms("王杰"))] == [("jie", "wang")]
    assert [(f.tokens, f.kind) for f in person_forms("欧阳明", name_forms("欧阳明"))] == [
        (("ming", "ouyang"), HAN_WESTERN), (("ouyang", "ming"), HAN_SURNAME_FIRST)]
    assert [f.tokens for f in person_forms("李明华", name_forms("李明华"))] == [
        ("minghua", "li"), ("li", "minghua")]
    assert person_forms("伟王", name_forms("伟王")) == []
    assert person_forms("华为技术", name_forms("华为技术")) == []  # four characters
    assert han_person_name("王杰", ("jie", "wang"), ("jie", "wang"), western=True).western
    assert han_person_name("王杰", ("jie", "wang"), ("wang", "jie"), western=True) is None


def test_a_customers_kept_forms_hold_the_western_reading():
    """The delta re-screen (`watch.select`) bounds the customers by their kept forms."""
    record = customer_record("王杰", frozenset())
    assert (("jie", "wang"), True) in record.forms
