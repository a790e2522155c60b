"""`check`: may we ship this item to this party in this country on this date?"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from exportguard.cli._app import _friendly, app, err, out
from exportguard.cli._audit import NoAudit, audit_decision, audit_note
from exportguard.errors import InputError

if TYPE_CHECKING:
    from datetime import date as DateType

    from exportguard.check import Determination
    from exportguard.screening import Screener

_DECISION_STYLE = {
    "prohibited": "[bold white on red] PROHIBITED [/]",
    "license_required": "[bold red]LICENCE REQUIRED[/]",
    "review": "[bold yellow]REVIEW[/] (a person must decide)",
    "no_license_required": "[bold green]NO LICENCE REQUIRED[/]",
}
_PARTY_QUESTIONS = {
    "party_hq_d5_or_mo": "where the party and its ultimate parent are headquartered "
    "(--party-hq, --parent/--parent-hq)",
    "item_in_review_band": "whether the item is inside the 2026 review-policy band: its total "
    "DRAM bandwidth (--memory-bandwidth) and TPP",
    "item_supercomputer_eccn": "the item's ECCN (--item-eccn), for the 744.23 supercomputer end "
    "use",
}


@app.command("check")
@_friendly
def check_command(
    destination: Annotated[str, typer.Option(help="Destination country, ISO code (e.g. CN).")],
    party: Annotated[list[str], typer.Option(help="Party name (repeatable: end user, consignee).")],
    item: Annotated[str | None, typer.Option(help="A catalogued item, e.g. A100.")] = None,
    item_eccn: Annotated[
        str | None, typer.Option(help="The item's ECCN, e.g. EAR99 or 3A090.a.")
    ] = None,
    tpp: Annotated[float | None, typer.Option(help="Item from figures: TPP.")] = None,
    figure: Annotated[
        list[str] | None, typer.Option("--throughput", help="Item from figures: PRECISION=TFLOPS.")
    ] = None,
    die_area: Annotated[
        float | None, typer.Option(help="Item from figures: applicable die area, mm^2.")
    ] = None,
    datacenter: Annotated[
        bool | None,
        typer.Option("--datacenter/--consumer", help="Item from figures: datacenter part or not."),
    ] = None,
    memory_bandwidth: Annotated[
        float | None,
        typer.Option(help="Item from figures: total DRAM bandwidth, GB/s (the 2026 band)."),
    ] = None,
    interconnect: Annotated[
        float | None, typer.Option(help="Item from figures: interconnect rate, GB/s.")
    ] = None,
    party_country: Annotated[
        str | None, typer.Option(help="Where the (first) party is located.")
    ] = None,
    party_hq: Annotated[
        str | None, typer.Option(help="Where the (first) party is headquartered.")
    ] = None,
    parent: Annotated[str | None, typer.Option(help="The (first) party's ultimate parent.")] = None,
    parent_hq: Annotated[
        str | None, typer.Option(help="Where the ultimate parent is headquartered.")
    ] = None,
    end_use: Annotated[str | None, typer.Option(help="The end use, in words.")] = None,
    foreign_made: Annotated[
        bool, typer.Option(help="The item is made outside the U.S. (country unknown).")
    ] = False,
    origin: Annotated[
        str | None, typer.Option(help="Where the item was made, ISO code (default US).")
    ] = None,
    us_content: Annotated[
        list[str] | None,
        typer.Option(help="U.S.-origin content of a foreign-made item: ECCN=PERCENT of its "
                     "value (repeatable), or 'none'."),
    ] = None,
    direct_product_of: Annotated[
        list[str] | None,
        typer.Option(help="U.S. technology or software the item is a direct product of "
                     "(ECCN, repeatable), or 'none'."),
    ] = None,
    plant_direct_product_of: Annotated[
        list[str] | None,
        typer.Option(help="U.S. technology or software the plant (or major component) that "
                     "made the item is a direct product of (ECCN, repeatable), or 'none'."),
    ] = None,
    date: Annotated[str | None, typer.Option(help="Decide as of this date (YYYY-MM-DD).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    no_audit: NoAudit = False,
) -> None:
    """Decide whether a licence is needed, with every reason and its citation."""
    from exportguard.check import CheckRequest, ItemFigures, Party, check
    from exportguard.check.jurisdiction import parse_us_content
    from exportguard.screening.loaded import screener_for
    from exportguard.store import Store
    from exportguard.store.ownership import OwnershipStore

    given = (tpp, figure, die_area, memory_bandwidth, interconnect)
    figures = None
    if any(v is not None for v in given):
        if item is not None:
            raise InputError("item", "give --item or figures (--tpp, --throughput ...), not both")
        figures = ItemFigures(
            tpp=tpp, throughput=tuple(_figure(t) for t in figure or []), die_area=die_area,
            datacenter=datacenter, interconnect=interconnect, memory_bandwidth=memory_bandwidth,
        )
    parties = [Party(name=name) for name in party]
    if parties:
        parties[0] = Party(
            name=party[0], country=party_country, hq=party_hq, parent=parent, parent_hq=parent_hq
        )
    request = CheckRequest(destination=destination, parties=tuple(parties), item=item,
                           item_eccn=item_eccn, figures=figures, date=date, end_use=end_use,
                           foreign_made=foreign_made, origin=origin,
                           us_content=parse_us_content(us_content or None),
                           direct_product_of=tuple(direct_product_of or ()) or None,
                           plant_direct_product_of=tuple(plant_direct_product_of or ()) or None)
    store = Store()
    starter_only: list[bool] = []

    def lists_on(day: DateType) -> Screener:
        screener = screener_for(store, day, filter_dates=False)
        starter_only.append(screener.starter_only)
        return screener

    result = check(request, screener_for=lists_on, ownership=OwnershipStore(store))
    data = result.to_dict()
    data["audit"] = audit_decision(store, "check", "; ".join(p.name for p in parties), {
        "destination": result.destination, "as_of": result.as_of.isoformat(),
        "item": result.item, "parties": [p.name for p in parties], "decision": result.decision,
        "fired": result.fired, "review_policy": result.review_policy,
        "missing_facts": result.missing_facts}, no_audit)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        _print_memo(result)
        out.print(audit_note(data["audit"]), highlight=False)
    if any(starter_only):
        err.print(
            "[yellow]Only the built-in starter set of list entries is loaded[/]; load the "
            "Consolidated Screening List for a complete party screening "
            "(exportguard load FILE).",
            highlight=False,
        )


def _figure(text: str) -> tuple[str, str]:
    precision, sep, value = text.partition("=")
    if not sep:
        raise InputError("throughput", f"'{text}' is not PRECISION=VALUE, e.g. fp8=1979")
    return precision, value.strip()


def _print_memo(result: Determination) -> None:
    from exportguard.check.jurisdiction import JURISDICTION_QUESTIONS
    from exportguard.items.result import FACT_QUESTIONS

    item = result.item.get("item") or "item"
    policy = (
        f", review policy {result.review_policy.replace('_', ' ')}" if result.review_policy else ""
    )
    out.print(f"{_DECISION_STYLE[result.decision]}{policy}", highlight=False)
    names = ", ".join(p.party.name for p in result.parties)
    eccn = result.item.get("paragraph") or result.item.get("eccn") or "not 3A090/4A090"
    out.print(
        f"Export of {item} ({eccn}) to {names} in {result.destination}, as of {result.as_of}.",
        highlight=False,
    )
    for screened in result.parties:
        found = len(screened.listed) + len(screened.possible)
        out.print(f"Screened {screened.party.name}"
                  + (f" (parent {screened.party.parent})" if screened.party.parent else "")
                  + f": {found} list match(es) in force on the date.", highlight=False)
    applied = [r for r in result.reasons if r.outcome in ("applies", "review")]
    out.print("\n[bold]Reasons[/]" if applied else "\nNo rule in force requires a licence.")
    for n, reason in enumerate(applied, 1):
        policy = f" ({reason.review_policy.replace('_', ' ')})" if reason.review_policy else ""
        out.print(
            f" {n}. [bold]{reason.rule_id}[/] -> {reason.effect.replace('_', ' ')}{policy}: "
            f"{reason.summary}",
            highlight=False,
        )
        span = (f"; in force {reason.effective_from} to {reason.effective_to or 'now'}"
                if reason.effective_from else "")
        out.print(f"    {reason.citation}{span}. {reason.source}", highlight=False)
        if reason.caveat:
            out.print(f"    [yellow]caveat:[/] {reason.caveat}", highlight=False)
    others = [r for r in result.reasons if r.outcome not in ("applies", "review")]
    if others:
        out.print("\n[bold]Also noted[/]")
        for reason in others:
            out.print(
                f" - {reason.rule_id} ({reason.outcome.replace('_', ' ')}): {reason.summary}",
                highlight=False,
            )
    _print_jurisdiction(result)
    if result.missing_facts:
        out.print("\n[bold]Facts needed[/]")
        for fact in result.missing_facts:
            question = (_PARTY_QUESTIONS.get(fact) or JURISDICTION_QUESTIONS.get(fact)
                        or FACT_QUESTIONS.get(fact, fact))
            out.print(f" - {question}", highlight=False)
    out.print("\n[bold]Assumptions[/]")
    for assumption in result.assumptions:
        out.print(f" - {assumption}", highlight=False)
    out.print(f"\n[dim]Rules: {result.rules_version}[/]", highlight=False)


def _print_jurisdiction(result: Determination) -> None:
    found = result.jurisdiction
    if found and found["basis"] != "us_origin":
        answer = {True: "subject to the EAR", False: "NOT subject to the EAR",
                  None: "undecided"}[found["subject_to_ear"]]
        out.print(f"\n[bold]Jurisdiction[/]: {answer}"
                  + (f" ({found['rule_id']}; {found['citation']})" if found["rule_id"] else ""),
                  highlight=False)
        for step in found["working"]:
            out.print(f" - {step}", highlight=False)
        for caveat in found["caveats"]:
            out.print(f"   [yellow]caveat:[/] {caveat}", highlight=False)
    if result.license_exceptions:
        out.print("\n[bold]Licence exceptions[/] (the decision stays licence required; an "
                  "exception is the exporter's authorisation if its terms are met)")
        for found_exception in result.license_exceptions:
            words = {True: "may be used", False: "not available",
                     None: "undecided"}[found_exception["available"]]
            out.print(f" - {found_exception['code']} ({found_exception['citation']}): {words}. "
                      f"{found_exception['why']}", highlight=False)
            if found_exception["available"] is not False:
                for condition in found_exception["conditions"]:
                    out.print(f"     needs: {condition}", highlight=False)
                if found_exception["notice"]:
                    out.print(f"     notice: {found_exception['notice']}", highlight=False)
