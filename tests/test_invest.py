"""`invest`: NS-CMIC purchase and divestment dates for real issuers, both sides of each boundary.

Dates are OFAC's own, as its consolidated list prints them per row ("Listing Date", "Effective
Date", "Purchase/Sales For Divestment Date (CMIC)"): the divestment date is the first day a sale to
divest is prohibited, so the last permitted day is the day before (2022-06-02 for the Annex).
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from exportguard.cli import app
from exportguard.errors import InputError
from exportguard.invest import _isin_ok, invest, regime
from tests.conftest import CSL_COMPACT

runner = CliRunner()
WINDOW = "purchase_prohibited_divest_window"


@pytest.mark.parametrize(
    ("day", "decision", "may_buy", "must_divest_by"),
    [
        ("2021-01-10", "permitted_before_effective_date", True, "2021-11-11"),  # E.O. 13959
        ("2021-01-11", WINDOW, False, "2021-11-11"),
        ("2021-06-02", WINDOW, False, "2021-11-11"),
        ("2021-06-03", "permitted_before_effective_date", True, "2022-06-02"),  # E.O. 14032
        ("2021-08-01", "permitted_before_effective_date", True, "2022-06-02"),
        ("2021-08-02", WINDOW, False, "2022-06-02"),
        ("2022-06-02", WINDOW, False, "2022-06-02"),  # last day a sale to divest is permitted
        ("2022-06-03", "prohibited", False, None),
        ("2022-06-04", "prohibited", False, None),
    ],
)
def test_hikvision_by_ticker_on_each_side_of_each_date(day, decision, may_buy, must_divest_by):
    r = invest("002415.SZ", day)
    assert (r.issuer_id, r.matched_on, r.ofac_entity_number) == ("hikvision", "ticker", 30946)
    assert (r.decision, r.may_buy, r.listed) == (decision, may_buy, True)
    assert r.must_divest_by == (date.fromisoformat(must_divest_by) if must_divest_by else None)
    assert r.may_hold is True  # holding is never prohibited under E.O. 14032 (OFAC FAQ 1046)


def test_hikvision_ns_cmic_dates_and_citations():
    r = invest("002415.SZ", "2022-06-03")
    assert (r.programme, r.listing_date, r.purchase_prohibited_from, r.divest_by) == (
        "ns-cmic", date(2021, 6, 3), date(2021, 8, 2), date(2022, 6, 2))
    by_rule = {x.rule_id: x for x in r.reasons}
    assert "86 FR 30145" in by_rule["eo14032-annex"].citation
    assert by_rule["eo14032-annex"].source == "https://www.federalregister.gov/d/2021-12019"
    assert by_rule["eo14032-divestment"].effective_to == "2022-06-02"
    assert "87 FR 8735" in by_rule["part586"].citation
    assert "NS-CMIC programme only" in by_rule["scope"].summary
    assert all(x.citation and x.source.startswith("https://") for x in r.reasons)


def test_sensetime_listed_2021_12_10_purchases_60_days_later_divest_within_365():
    listed = date(2021, 12, 10)
    first_banned, divest_ends = listed + timedelta(days=60), listed + timedelta(days=365)
    assert (first_banned, divest_ends) == (date(2022, 2, 8), date(2022, 12, 10))
    cases = [
        (listed - timedelta(days=1), "not_listed"),
        (listed, "permitted_before_effective_date"),
        (first_banned - timedelta(days=1), "permitted_before_effective_date"),
        (first_banned, WINDOW),
        (divest_ends - timedelta(days=1), WINDOW),
        (divest_ends, "prohibited"),
    ]
    for day, decision in cases:
        r = invest("0020.HK", day)
        assert (r.issuer_id, r.decision) == ("sensetime", decision), day
    r = invest("0020.HK", "2022-03-01")
    assert (r.listing_date, r.purchase_prohibited_from, r.divest_by) == (
        listed, first_banned, divest_ends - timedelta(days=1))
    assert "20211210" in {x.rule_id: x for x in r.reasons}["ofac-2021-12-10"].source
    before = invest("SenseTime", "2021-12-09")
    assert before.listed is False and any("2021-12-10" in x.summary for x in before.reasons)


def test_names_in_chinese_and_english_and_isins_find_the_issuer():
    for query in ("海康威视", "杭州海康威视数字技术股份有限公司", "Hikvision",
                  "Hangzhou Hikvision Digital Technology Co Ltd"):
        r = invest(query, "2023-01-01")
        assert (r.issuer_id, r.matched_on, r.decision) == ("hikvision", "name", "prohibited")
    assert invest("cne100000pm8", "2023-01-01").matched_on == "isin"
    smic = invest("KYG8020E1199", "2021-09-01")
    assert (smic.issuer_id, smic.matched_on, smic.decision) == ("smic", "isin", WINDOW)
    assert invest("中芯国际", "2023-01-01").issuer_id == "smic"
    assert invest("688981.SS", "2023-01-01").issuer_id == "smic"
    assert invest("0981.HK", "2023-01-01").issuer_id == "smic"
    assert invest("商汤集团", "2023-01-01").issuer_id == "sensetime"
    assert invest("300188.SZ", "2022-02-14").decision == WINDOW  # Meiya Pico, listed 2021-12-16
    assert invest("300188.SZ", "2022-02-13").decision == "permitted_before_effective_date"
    assert invest("300367.SZ", "2022-12-16").decision == "prohibited"  # NetPosa


def test_an_unlisted_company_is_not_listed_and_the_answer_says_its_scope():
    r = invest("Toyota Motor Corp", "2024-01-01")
    assert (r.decision, r.listed, r.may_buy, r.may_hold, r.issuer) == (
        "not_listed", False, True, True, None)
    assert r.listing_date is None and r.must_divest_by is None
    assert any("NS-CMIC programme only" in x.summary for x in r.reasons)


def test_iflytek_and_dahua_are_checked_and_not_on_the_ns_cmic_list():
    for ticker, issuer in (("002230.SZ", "iflytek"), ("002236.SZ", "dahua")):
        r = invest(ticker, "2025-06-01")
        assert (r.issuer_id, r.decision, r.ofac_entity_number) == (issuer, "not_listed", None)
        assert "Entity List" in " ".join(r.caveats)
        assert any("31 CFR Part 850" in c and "applies on this date" in c for c in r.caveats)


def test_dawning_was_a_ccmc_then_unlisted_then_ns_cmic():
    assert invest("Sugon", "2021-03-01").decision == WINDOW
    gap = invest("603019.SS", "2021-07-01")
    assert gap.decision == "not_listed"
    assert {"eo13959-annex", "ofac-2021-12-16", "eo14032-transition"} <= {
        x.rule_id for x in gap.reasons}
    assert invest("603019.SS", "2022-02-14").decision == WINDOW


@pytest.mark.parametrize(
    ("security", "on", "field", "message"),
    [
        ("", "2023-01-01", "security", "required"),
        ("x" * 201, "2023-01-01", "security", "longer than 200"),
        ("002415.XX", "2023-01-01", "security", "unknown exchange suffix"),
        ("999999.SZ", "2023-01-01", "security", "not a ticker"),
        ("US0378331006", "2023-01-01", "security", "check digit"),
        ("Hikvison", "2023-01-01", "security", "Hangzhou Hikvision"),
        ("China Telecom", "2023-01-01", "security", "more than one issuer"),
        ("002415.SZ", "2017-01-01", "date", "before 2018-01-01"),
        ("002415.SZ", "2021-02-30", "date", "not a real calendar date"),
    ],
)
def test_bad_input_names_the_field(security, on, field, message):
    with pytest.raises(InputError) as err:
        invest(security, on)
    assert err.value.field == field and message in str(err.value)


def test_the_data_has_the_68_rows_of_the_official_list_with_official_names():
    data = json.loads(CSL_COMPACT.read_text())
    source = data["tables"]["sources"].index(
        "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department")
    official = {int(e["e"]): e["n"] for e in data["entries"] if e["s"] == source}
    ours = {i.entity_number: i.name for i in regime().issuers if i.entity_number}
    assert ours == official and len(ours) == 68
    assert all(_isin_ok(isin) for i in regime().issuers for isin in i.isins)


def test_listing_actions_follow_e_o_14032_arithmetic():
    for action in regime().actions.values():
        if action.programme != "ns-cmic":
            continue
        if action.id == "eo14032-annex":
            assert (action.purchase_prohibited_from, action.divestment_prohibited_from) == (
                date(2021, 8, 2), date(2022, 6, 3))
        else:
            assert action.purchase_prohibited_from == action.listing_date + timedelta(days=60)
            assert action.divestment_prohibited_from == action.listing_date + timedelta(days=365)


def test_cli_json_and_memo():
    result = runner.invoke(app, ["invest", "002415.SZ", "--date", "2021-08-02", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("security", "issuer", "matched_on", "as_of", "listed", "listing_date",
                "purchase_prohibited_from", "divest_by", "may_buy", "may_hold", "must_divest_by",
                "decision", "reasons", "caveats", "rules_version"):
        assert key in data
    assert (data["decision"], data["divest_by"], data["as_of"]) == (WINDOW, "2022-06-02",
                                                                   "2021-08-02")
    assert {"rule_id", "summary", "citation", "source", "effective_from",
            "effective_to"} <= set(data["reasons"][0])
    memo = runner.invoke(app, ["invest", "海康威视", "--date", "2022-06-03"])
    assert memo.exit_code == 0 and "prohibited" in memo.stdout and "86 FR 30145" in memo.stdout


def test_cli_bad_input_is_one_line_and_exit_2():
    for args, message in [(["invest", ""], "security:"),
                          (["invest", "002415.SZ", "--date", "2017-01-01"], "date:"),
                          (["invest", "002415.XX"], "unknown exchange suffix")]:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert message in result.stderr and "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) <= 2  # one message, wrapped at most once
