"""`outbound`: is a U.S. person's investment prohibited, notifiable or excepted under 31 CFR
Part 850? The library is imported inside the command so other commands start without it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from exportguard.cli._app import _friendly, app, out
from exportguard.cli._audit import NoAudit, audit_decision, audit_note

if TYPE_CHECKING:
    from exportguard.outbound import OutboundDetermination

_HEADLINE = {
    "prohibited": "[bold red]prohibited[/]: a U.S. person may not engage in this transaction",
    "notifiable": "[bold yellow]notifiable[/]: permitted, but Treasury must be notified",
    "excepted": "[green]excepted[/]: covered, but an exception in 31 CFR 850.501 applies",
    "not_covered": "[green]not covered[/] by 31 CFR Part 850",
    "undetermined": "[yellow]undetermined[/]: the facts below are needed to decide",
}
_Flag = Annotated[bool | None, typer.Option(show_default=False)]
_Share = Annotated[float | None, typer.Option(min=0, max=100, show_default=False)]


@app.command("outbound")
@_friendly
def outbound_command(
    date: Annotated[str | None, typer.Option(help="Completion date (YYYY-MM-DD; default today).")]
    = None,
    us_person: Annotated[bool | None, typer.Option(
        "--us-person/--not-us-person", help="Whether the investor is a U.S. person.",
        show_default=False)] = None,
    controlled_by_us_person: Annotated[bool | None, typer.Option(
        "--controlled-by-us-person/--not-controlled-by-us-person",
        help="For a non-U.S. investor: a U.S. person's controlled foreign entity?",
        show_default=False)] = None,
    transaction: Annotated[str | None, typer.Option(
        help="equity, contingent-equity, convertible-debt, greenfield, joint-venture, "
             "lp-interest or public-securities.")] = None,
    target: Annotated[str | None, typer.Option(help="The target's name (screened against the "
                                                    "lists as information).")] = None,
    target_country: Annotated[str | None, typer.Option(
        help="Where the target is organised or based (ISO-2; CN, HK, MO are countries of "
             "concern).")] = None,
    activity: Annotated[list[str] | None, typer.Option(
        help="A covered-activity code (repeatable; see --list-activities).")] = None,
    end_use: Annotated[list[str] | None, typer.Option(
        help="military, intelligence, surveillance (repeatable) or none.")] = None,
    training_compute: Annotated[float | None, typer.Option(
        help="Operations used to train the AI system, e.g. 2e25.", show_default=False)] = None,
    bio_sequence_data: Annotated[bool | None, typer.Option(
        "--bio-sequence-data/--no-bio-sequence-data",
        help="Trained primarily on biological sequence data.", show_default=False)] = None,
    ic_3a090a: Annotated[bool | None, typer.Option(
        "--ic-3a090a/--no-ic-3a090a", help="The designed IC meets ECCN 3A090.a.",
        show_default=False)] = None,
    ic_advanced_node: Annotated[bool | None, typer.Option(
        "--ic-advanced-node/--no-ic-advanced-node",
        help="The fabricated IC meets a 850.224(d) criterion.", show_default=False)] = None,
    ic_advanced_packaging: Annotated[bool | None, typer.Option(
        "--ic-advanced-packaging/--no-ic-advanced-packaging",
        help="Packaged with advanced packaging techniques.", show_default=False)] = None,
    exclusive_end_use: Annotated[bool | None, typer.Option(
        "--exclusive-end-use/--no-exclusive-end-use",
        help="The AI system is designed exclusively for, or intended for, the end use.",
        show_default=False)] = None,
    ai_cyber_or_robotics: Annotated[bool | None, typer.Option(
        "--ai-cyber-or-robotics/--no-ai-cyber-or-robotics",
        help="AI intended for cybersecurity, forensics, penetration testing or robot control.",
        show_default=False)] = None,
    coc_ownership: Annotated[float | None, typer.Option(
        min=0, max=100, help="Per cent of the target held by persons of a country of concern.",
        show_default=False)] = None,
    revenue_share: _Share = None,
    net_income_share: _Share = None,
    capex_share: _Share = None,
    opex_share: _Share = None,
    lp_committed_capital: Annotated[float | None, typer.Option(
        min=0, help="The limited partner's committed capital in U.S. dollars.",
        show_default=False)] = None,
    lp_passive_rights: Annotated[bool | None, typer.Option(
        "--lp-passive-rights/--no-lp-passive-rights", show_default=False)] = None,
    lp_contractual_assurance: Annotated[bool | None, typer.Option(
        "--lp-contractual-assurance/--no-lp-contractual-assurance", show_default=False)] = None,
    public_rights_beyond_minority: Annotated[bool | None, typer.Option(
        "--public-rights-beyond-minority/--no-public-rights-beyond-minority",
        show_default=False)] = None,
    list_activities: Annotated[bool, typer.Option(
        "--list-activities", help="Print every activity code with its paragraph.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    no_audit: NoAudit = False,
) -> None:
    """Is an investment prohibited, notifiable, excepted or not covered (31 CFR Part 850)?"""
    from exportguard.outbound import OutboundQuestion, outbound, outbound_rules

    if list_activities:
        _print_activities(outbound_rules(), as_json)
        return
    question = OutboundQuestion(
        date=date, us_person=us_person, controlled_by_us_person=controlled_by_us_person,
        transaction=transaction, target=target, target_country=target_country,
        activities=tuple(activity or ()), end_uses=tuple(end_use or ()),
        coc_ownership=coc_ownership, revenue_share=revenue_share,
        net_income_share=net_income_share, capex_share=capex_share, opex_share=opex_share,
        training_compute=training_compute, bio_sequence_data=bio_sequence_data,
        ic_3a090a=ic_3a090a, ic_advanced_node=ic_advanced_node,
        ic_advanced_packaging=ic_advanced_packaging, exclusive_end_use=exclusive_end_use,
        ai_cyber_or_robotics=ai_cyber_or_robotics, lp_committed_capital=lp_committed_capital,
        lp_passive_rights=lp_passive_rights, lp_contractual_assurance=lp_contractual_assurance,
        public_rights_beyond_minority=public_rights_beyond_minority)
    from exportguard.regime.dated import parse_as_of
    from exportguard.screening.loaded import screener_for
    from exportguard.store import Store

    store = Store()
    screener = screener_for(store, parse_as_of(date, "date")) if target else None
    result = outbound(question, screener)
    data = result.to_dict()
    data["audit"] = audit_decision(store, "outbound", target or "", {
        "date": data["as_of"], "classification": result.classification,
        "missing_facts": [m["fact"] for m in result.missing_facts]}, no_audit)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_memo(result)
    out.print(audit_note(data["audit"]), highlight=False)


def _print_activities(rules, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    rows = [{"code": a.code, "paragraph": a.paragraph, "summary": a.summary}
            for a in rules.activities.values()]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        out.print(f"[bold]{row['code']}[/]  {row['paragraph']}", highlight=False)
        out.print(f"    {row['summary']}", highlight=False)


def _print_memo(r: OutboundDetermination) -> None:
    who = f"{r.target} ({r.target_country or 'country not given'})" if r.target else "target"
    out.print(f"[bold]{r.transaction or 'transaction'} in {who}[/] completing {r.as_of}",
              highlight=False)
    out.print("  " + _HEADLINE[r.classification], highlight=False)
    for a in r.covered_activities:
        out.print(f"  activity {a['activity']}: {a['outcome'].replace('_', ' ')} "
                  f"({a['paragraph']})", highlight=False)
    if r.filing:
        deadline = f" by {r.filing['deadline']}" if r.filing["deadline"] else ""
        out.print(f"  filing: {r.filing['duty']}{deadline} ({r.filing['citation']})",
                  highlight=False)
    if r.missing_facts:
        out.print("[bold]Missing facts[/]")
        for m in r.missing_facts:
            out.print(f"  {m['fact']}: {m['label']}", highlight=False)
    out.print("[bold]Reasons[/]")
    for reason in r.reasons:
        span = f"{reason.effective_from or ''}..{reason.effective_to or ''}"
        out.print(f"  {reason.rule_id}: {reason.summary}", highlight=False)
        out.print(f"      [dim]{reason.citation}; {reason.source} ({span}) {reason.url}[/]",
                  highlight=False)
    for match in r.listed_target:
        out.print(f"  listed (information): {match['list']} '{match['name']}' "
                  f"score {match['score']}", highlight=False)
    out.print(f"[bold]Knowledge standard[/]\n  {r.knowledge_standard}", highlight=False)
    if r.caveats:
        out.print("[bold]Caveats[/]")
        for caveat in r.caveats:
            out.print(f"  [yellow]-[/] {caveat}", highlight=False)
    out.print(f"[dim]rules data {r.rules_version}; not legal advice[/]", highlight=False)
