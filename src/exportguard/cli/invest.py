"""`invest`: may a U.S. person buy, or must they sell, a security under the NS-CMIC programme."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from exportguard.cli._app import _friendly, app, out
from exportguard.cli._audit import NoAudit, audit_decision, audit_note
from exportguard.errors import InputError

if TYPE_CHECKING:
    from exportguard.invest import InvestmentDetermination

_HEADLINE = {
    "not_listed": "[green]not listed[/]: no NS-CMIC restriction on this date",
    "permitted_before_effective_date": "[yellow]listed, not yet in force[/]: buying is still "
    "permitted",
    "purchase_prohibited_divest_window": "[bold red]purchase prohibited[/]: buying is "
    "prohibited; selling to divest is allowed until {divest_by}",
    "prohibited": "[bold red]prohibited[/]: no purchase and no sale; the divestment window "
    "closed on {divest_by}",
}


@app.command("invest")
@_friendly
def invest_command(
    security: Annotated[
        str | None, typer.Argument(help="A ticker (002415.SZ, 0020.HK), an ISIN or a company "
                                        "name.")
    ] = None,
    date: Annotated[
        str | None, typer.Option(help="Decide as of this date (YYYY-MM-DD; default today).")
    ] = None,
    holdings: Annotated[Path | None, typer.Option(
        help="A holdings or index-constituents file (.csv, .parquet, .jsonl) with ticker, isin "
             "and/or name, and weight or market_value.")] = None,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="Where to write the checked holdings (format from the extension).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    no_audit: NoAudit = False,
) -> None:
    """May a U.S. person buy, hold or must they sell a security under NS-CMIC (E.O. 14032)?
    With --holdings, check a whole portfolio or index on the date."""
    from exportguard.invest import invest
    from exportguard.store import Store

    if holdings is not None or out_file is not None:
        _portfolio(security, holdings, out_file, date, as_json, no_audit)
        return
    if not security:
        raise InputError("security", "give a ticker, ISIN or name, or --holdings FILE --out FILE")
    result = invest(security, date)
    data = result.to_dict()
    data["audit"] = audit_decision(Store(), "invest", security, {
        "date": data.get("as_of"), "decision": result.decision}, no_audit)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_memo(result)
    out.print(audit_note(data["audit"]), highlight=False)


def _portfolio(security: str | None, holdings: Path | None, out_file: Path | None,
               date: str | None, as_json: bool, no_audit: bool) -> None:
    from exportguard.portfolio import screen_holdings
    from exportguard.regime.dated import parse_as_of
    from exportguard.screening.loaded import screener_for
    from exportguard.store import Store

    if security:
        raise InputError("security", "give either a security or --holdings, not both")
    if holdings is None or out_file is None:
        raise InputError("holdings" if holdings is None else "out",
                         "--holdings FILE and --out FILE go together")
    store = Store()
    summary = screen_holdings(holdings, out_file, date,
                              screener_for(store, parse_as_of(date, "date")))
    data = summary.to_dict()
    data["audit"] = audit_decision(store, "portfolio", str(holdings), {
        k: v for k, v in data.items() if k != "prohibited_issuers"}, no_audit)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    share = summary.weight_share
    out.print(f"[bold]{summary.rows}[/] holdings on {summary.as_of}: {summary.purchase_prohibited} "
              f"purchase prohibited (NS-CMIC), {summary.not_listed} not listed, "
              f"{summary.unknown} unknown, {summary.invalid} invalid", highlight=False)
    if share is not None:
        out.print(f"  weight in securities a U.S. person may not buy: [bold]{share:g} %[/] "
                  f"(by {summary.weight_basis})", highlight=False)
    if summary.prohibited_issuers:
        out.print("  " + "; ".join(summary.prohibited_issuers), highlight=False)
    out.print(f"  written to {out_file}", highlight=False)
    out.print(audit_note(data["audit"]), highlight=False)


def _yes(value: bool) -> str:
    return "[green]yes[/]" if value else "[bold red]no[/]"


def _print_memo(r: InvestmentDetermination) -> None:
    """A short memo: the decision first, then the reasons with their citations, then caveats."""
    who = f"{r.issuer} (matched on {r.matched_on})" if r.issuer else f"'{r.security}'"
    out.print(f"[bold]{who}[/] on {r.as_of}", highlight=False)
    out.print("  " + _HEADLINE[r.decision].format(divest_by=r.divest_by), highlight=False)
    if r.listed:
        out.print(f"  listed {r.listing_date} · purchases prohibited from "
                  f"{r.purchase_prohibited_from} · last day to sell to divest {r.divest_by}",
                  highlight=False)
    must = f" · must divest by {r.must_divest_by}" if r.must_divest_by else ""
    out.print(f"  may buy: {_yes(r.may_buy)} · may hold: {_yes(r.may_hold)}{must}",
              highlight=False)
    out.print("[bold]Reasons[/]")
    for reason in r.reasons:
        span = f"{reason.effective_from or ''}..{reason.effective_to or ''}"
        out.print(f"  {reason.rule_id}: {reason.summary}", highlight=False)
        out.print(f"      [dim]{reason.citation} ({span}) {reason.source}[/]", highlight=False)
    if r.caveats:
        out.print("[bold]Caveats[/]")
        for caveat in r.caveats:
            out.print(f"  [yellow]-[/] {caveat}", highlight=False)
    out.print(f"[dim]rules data {r.rules_version}; not legal advice[/]", highlight=False)
