"""Listing dates from Federal Register citations: the page table, its windows, and `check`."""

from __future__ import annotations

from datetime import date

import pytest

from exportguard.check import Party
from exportguard.lists.fr_dates import Anchor, FrDates
from exportguard.lists.listing_dates import listing_date
from exportguard.model import ListEntry
from tests.checking import decide


@pytest.fixture(scope="module")
def table(csl_entries) -> FrDates:
    return FrDates.builtin().with_entries(csl_entries)


def _el(entries, name: str) -> ListEntry:
    return next(e for e in entries if e.list_code == "EL" and e.name == name)


def test_a_page_inside_an_issue_range_read_from_its_masthead_is_exact():
    page = FrDates.builtin().page_date(84, 24400)  # the issue of 2019-05-28: pages 24363-24700
    assert (page.earliest, page.latest) == (date(2019, 5, 28), date(2019, 5, 28))
    assert "24363-24700" not in page.basis and "2019-05-28" in page.basis


def test_a_page_between_two_dated_pages_gets_the_window_between_them(table):
    page = table.page_date(85, 83799)
    assert (page.earliest, page.latest) == (date(2020, 12, 23), date(2020, 12, 28))
    assert "85 FR 83793" in page.basis and "85 FR 84211" in page.basis


def test_a_page_with_no_anchor_above_is_bounded_by_the_end_of_its_volume():
    fr = FrDates([Anchor(90, 100, 100, date(2025, 1, 6), "test")])
    page = fr.page_date(90, 500)
    assert (page.earliest, page.latest) == (date(2025, 1, 6), date(2025, 12, 31))
    below = fr.page_date(90, 50)
    assert (below.earliest, below.latest) == (date(2025, 1, 1), date(2025, 1, 6))


def test_anchors_that_contradict_page_order_are_dropped():
    good = [Anchor(85, p, p, day, "list") for p, day in
            [(100, date(2020, 1, 3)), (300, date(2020, 1, 10)), (500, date(2020, 1, 20))]]
    typo = Anchor(85, 400, 400, date(2020, 1, 2), "a typing error")
    wrong_year = Anchor(85, 450, 450, date(2021, 1, 15), "a date of another year")
    fr = FrDates([*good, typo, wrong_year])
    assert set(fr.dropped) == {typo, wrong_year}
    page = fr.page_date(85, 420)
    assert (page.earliest, page.latest) == (date(2020, 1, 10), date(2020, 1, 20))


def test_an_issue_page_range_outweighs_list_citations_that_contradict_it(table):
    # The DPL cites 89 FR 52852 and 52853 as of 2024-07-16, after 89 FR 55033-55036 was printed
    # on 2024-07-03 (read from that issue): the two list citations are the ones dropped.
    dropped = {(a.volume, a.first) for a in table.dropped}
    assert {(89, 52852), (89, 52853)} <= dropped and (89, 55033) not in dropped
    page = table.page_date(89, 55034)
    assert (page.earliest, page.latest) == (date(2024, 7, 3), date(2024, 7, 3))


def test_a_page_cited_with_two_different_days_anchors_nothing():
    fr = FrDates([Anchor(85, 200, 200, date(2020, 2, 3), "a"),
                  Anchor(85, 200, 200, date(2020, 2, 4), "b")])
    assert len(fr) == 0 and len(fr.dropped) == 2


def test_a_citation_inside_a_known_document_takes_its_effective_date(table, csl_entries):
    # 84 FR 22961 (Huawei, May 2019) was printed 2019-05-21 and took effect on public
    # inspection 2019-05-16; its entries are at 84 FR 22963.
    huawei = next(e for e in csl_entries if e.list_code == "EL"
                  and e.federal_register and e.federal_register[0].startswith("84 FR 22963"))
    when = listing_date(huawei, table)
    assert when.day == date(2019, 5, 16)
    assert when.listed_on(date(2019, 5, 15)) is False
    assert when.listed_on(date(2019, 5, 16)) is True


def test_a_date_written_beside_a_citation_yields_to_the_rules_effective_date(table, csl_entries):
    # The starter record writes "85 FR 83420, 12/22/20" (the printing); 85 FR 83416, which holds
    # that page, took effect 2020-12-18.
    smic = next(e for e in csl_entries if e.list_code == "EL"
                and e.name.startswith("Semiconductor Manufacturing International Cor"))
    when = listing_date(smic, table)
    assert when.day == date(2020, 12, 18)
    assert when.listed_on(date(2020, 12, 17)) is False


def test_an_entity_list_rule_effective_before_print_gives_a_window_not_a_guess(table, csl_entries):
    # 87 FR 77505 was printed 2022-12-19 and took effect 2022-12-16 (BIS's table of 2022 rules);
    # an entry cited only to that page is in that rule.
    entry = _el(csl_entries, "Beijing HiFar Technology Co., Ltd.")
    when = listing_date(entry, table)
    assert when.day == date(2022, 12, 16)
    # CNOOC cites 86 FR 4864: printed 2021-01-15 beside 86 FR 4862 (effective 2021-01-14), whose
    # span was not read: the listing is bounded to the window between the two days.
    cnooc = next(e for e in csl_entries if e.list_code == "EL" and e.name.startswith("CNOOC Lim"))
    window = listing_date(cnooc, table)
    assert window.window == (date(2021, 1, 14), date(2021, 1, 15))
    assert window.listed_on(date(2021, 1, 13)) is False
    assert window.listed_on(date(2021, 1, 14)) is None
    assert window.listed_on(date(2021, 1, 15)) is True
    assert window.window_dict() == {"earliest": "2021-01-14", "latest": "2021-01-15", "days": 2}


def test_megvii_is_dated_to_the_day_on_the_full_list(table, csl_entries):
    megvii = _el(csl_entries, "Megvii Technology")
    assert megvii.federal_register[0].startswith("84 FR 54002")
    when = listing_date(megvii, table)
    assert when.day == date(2019, 10, 9) and when.window is None


@pytest.mark.parametrize(("day", "decision"), [
    ("2020-12-22", "no_license_required"),
    ("2020-12-24", "review"),
    ("2020-12-28", "license_required"),
])
def test_check_reports_the_listing_window_of_a_party(full_screener, day, decision):
    result = decide(full_screener, destination="CN",
                    parties=[Party("Academy of Aerospace Solid Propulsion Technology")],
                    item_eccn="3A991", on=day)
    assert result.decision == decision
    rows = [m for p in result.to_dict()["parties"]
            for key in ("matches", "possible_matches", "listed_after_date")
            for m in p.get(key, []) if m.get("list") == "MEU"]
    assert rows, result.to_dict()["parties"]
    assert rows[0]["listing_window"] == {"earliest": "2020-12-23", "latest": "2020-12-28",
                                         "days": 6}


def test_the_page_table_file_is_validated():
    from exportguard.lists.fr_dates import _document

    with pytest.raises(ValueError, match="unknown keys"):
        _document({"citation": "84 FR 1", "published": "2019-01-02", "entity_list": False,
                   "title": "t", "source": "s", "efective": "2019-01-02"}, "row")
    with pytest.raises(ValueError, match="do not start at the citation"):
        _document({"citation": "84 FR 10", "pages": "9-12", "published": "2019-01-02",
                   "entity_list": False, "title": "t", "source": "s"}, "row")


def test_a_citation_of_a_rules_first_page_does_not_name_the_rule_twice(csl_entries):
    """Megvii's listing basis (`history`, `listed_from_basis`) read "84 FR 54002; 84 FR 54002 is
    in 84 FR 54002, effective 2019-10-09"; a page inside the rule still names the rule."""
    table = FrDates.builtin()
    first = table.effective(84, 54002)
    assert first is not None and first.in_document
    assert first.earliest == first.latest == date(2019, 10, 9)
    assert first.basis.startswith("the rule beginning there, effective 2019-10-09 (")
    when = listing_date(_el(csl_entries, "Megvii Technology"), table)
    assert when.day == date(2019, 10, 9)
    assert "84 FR 54002 is in 84 FR 54002" not in when.basis
    assert when.basis.startswith("the earliest Federal Register notice (84 FR 54002; the rule")
