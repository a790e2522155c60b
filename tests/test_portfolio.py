"""Portfolio screening (`invest --holdings`): real tickers, both sides of listing dates, every row
kept, malformed identifiers reported, the weight in prohibited securities."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from exportguard.cli import app
from exportguard.errors import InputError
from exportguard.lists.starter import starter_entries
from exportguard.portfolio import screen_holdings
from exportguard.screening import Screener
from exportguard.store import Store
from tests.conftest import FIXTURES
from tests.test_service import Service

HOLDINGS = FIXTURES / "portfolio" / "holdings.csv"


def _rows(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist()


def test_every_holding_is_kept_with_its_ns_cmic_answer(tmp_path: Path) -> None:
    out = tmp_path / "checked.parquet"
    summary = screen_holdings(HOLDINGS, out, "2025-06-30")
    rows = _rows(out)
    assert [r["ticker"] or r["isin"] for r in rows] == [
        "002415.SZ", "0020.HK", "300188.SZ", "0981.HK", "002230.SZ", "002236.SZ", "0700.HK",
        "9988.HK", "600519.SS", "CNE100000PM8", "0763.HK", "ABC.XX", "US0378331006"]
    hik = rows[0]
    assert hik["ns_cmic_listed"] is True and hik["purchase_prohibited"] is True
    assert hik["divest_by"] == "2022-06-02" and hik["listing"].startswith("eo14032-annex")
    assert rows[1]["listing_date"] == "2021-12-10" and rows[1]["divest_by"] == "2022-12-09"
    assert rows[9]["issuer"] == hik["issuer"]  # the A-share ISIN of the same OFAC row
    assert rows[4]["status"] == "not_listed" and rows[4]["ns_cmic_listed"] is False  # iFLYTEK
    assert rows[6]["status"] == "not_listed"  # Tencent, by name
    assert rows[10]["status"] == "unknown" and rows[10]["ns_cmic_listed"] is None
    assert rows[11]["status"] == "invalid" and rows[11]["reason"].startswith("ticker:")
    assert rows[12]["status"] == "invalid" and "check digit" in rows[12]["reason"]
    assert (summary.rows, summary.purchase_prohibited, summary.not_listed, summary.unknown,
            summary.invalid) == (13, 5, 5, 1, 2)
    assert summary.weight_share == 15.0


def test_the_weight_follows_the_listing_dates(tmp_path: Path) -> None:
    # 2021-12-01: the Annex (Hikvision twice, SMIC) is in force; SenseTime (listed 2021-12-10)
    # and Meiya Pico (2021-12-16) are not yet listed.
    before = screen_holdings(HOLDINGS, tmp_path / "a.csv", "2021-12-01")
    assert before.purchase_prohibited == 3 and before.weight_share == 12.0
    # SenseTime's purchases were prohibited from 2022-02-08, 60 days after listing.
    day_before = screen_holdings(HOLDINGS, tmp_path / "b.csv", "2022-02-07")
    on_the_day = screen_holdings(HOLDINGS, tmp_path / "c.csv", "2022-02-08")
    assert "Sensetime Group Limited" not in day_before.prohibited_issuers
    assert "Sensetime Group Limited" in on_the_day.prohibited_issuers


def test_issuers_are_screened_against_the_other_lists_as_information(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    screen_holdings(HOLDINGS, out, "2025-06-30", Screener.from_entries(list(starter_entries())))
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[4]["other_lists"].startswith("EL: ")  # iFLYTEK: Entity List, not NS-CMIC
    assert rows[4]["purchase_prohibited"] is False


@pytest.mark.parametrize(("text", "field"), [
    ("weight\n1\n", "holdings"),
    ("ticker,status\n002415.SZ,x\n", "holdings"),
])
def test_bad_holdings_files_name_the_field(tmp_path: Path, text: str, field: str) -> None:
    source = tmp_path / "h.csv"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        screen_holdings(source, tmp_path / "o.csv", "2025-01-01")
    assert raised.value.field == field


def test_an_existing_output_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "o.csv"
    out.write_text("keep", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        screen_holdings(HOLDINGS, out, "2025-01-01")
    assert raised.value.field == "out" and out.read_text(encoding="utf-8") == "keep"


def test_cli_holdings_summary_json(tmp_path: Path) -> None:
    out = tmp_path / "checked.csv"
    res = CliRunner().invoke(app, ["invest", "--holdings", str(HOLDINGS), "--out", str(out),
                                   "--date", "2025-06-30", "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["weight_share_percent"] == 15.0 and summary["rows"] == 13
    assert out.read_text(encoding="utf-8").count("\n") == 14


def test_cli_holdings_decision_is_audited_unless_no_audit(tmp_path: Path) -> None:
    """`invest --holdings` records its summary in the audit log like every CLI decision;
    `--no-audit` records nothing and says so."""
    from exportguard.audit import AuditLog

    out = tmp_path / "checked.csv"
    res = CliRunner().invoke(app, ["invest", "--holdings", str(HOLDINGS), "--out", str(out),
                                   "--date", "2025-06-30", "--json"])
    assert res.exit_code == 0, res.output
    setting = json.loads(res.output)["audit"]
    assert setting["recorded"] is True and setting["actor"].startswith("cli:")
    log = AuditLog(Store())
    last = list(log.records())[-1]
    assert (last.seq, last.action, last.subject) == (setting["seq"], "portfolio", str(HOLDINGS))
    detail = json.loads(last.detail)
    assert detail["rows"] == 13 and detail["weight_share_percent"] == 15.0
    count = log.count()
    scratch = CliRunner().invoke(app, ["invest", "--holdings", str(HOLDINGS), "--out",
                                       str(tmp_path / "scratch.csv"), "--date", "2025-06-30",
                                       "--no-audit"])
    assert scratch.exit_code == 0 and "Not audited (--no-audit)." in scratch.output
    assert log.count() == count and log.verify().ok


def test_cli_holdings_without_out_exits_2_naming_it(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["invest", "--holdings", str(HOLDINGS)])
    assert res.exit_code == 2 and "out" in res.output


def test_the_portfolio_page_checks_an_uploaded_file(store: Store) -> None:
    service = Service(store)
    try:
        client = service.client
        client.post("/login", data={"key": service.secrets["screener"], "next": "/portfolio"})
        form = client.get("/portfolio")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert csrf
        reply = client.post("/portfolio", data={"csrf": csrf.group(1), "date": "2025-06-30"},
                            files={"holdings": ("h.csv", HOLDINGS.read_bytes(), "text/csv")})
        assert reply.status_code == 200, reply.text
        assert 'id="weight-share">15.0 %' in reply.text
        assert reply.text.count("<tr><td>") == 13
        bad = client.post("/portfolio", data={"csrf": csrf.group(1)},
                          files={"holdings": ("h.xlsx", b"x", "application/octet-stream")})
        assert bad.status_code == 422 and "holdings" in bad.text
    finally:
        service.close()
