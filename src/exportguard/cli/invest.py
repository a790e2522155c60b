"""`invest`: may a U.S. person buy, or must they sell, a security under the NS-CMIC programme."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from exportguard.cli._app import _friendly, app, out
from exportguard.invest import InvestmentDetermination, invest

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
        str, typer.Argument(help="A ticker (002415.SZ, 0020.HK), an ISIN or a company name.")
    ],
    date: Annotated[
        str | None, typer.Option(help="Decide as of this date (YYYY-MM-DD; default today).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """May a U.S. person buy, hold or must they sell a security under NS-CMIC (E.O. 14032)?"""
    result = invest(security, date)
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    _print_memo(result)


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
