"""`release`: is releasing this technology in the U.S. to this person a deemed export, to where,
and does it need a licence? The library is imported inside the command."""

from __future__ import annotations

import json
from datetime import date as DateType
from typing import TYPE_CHECKING, Annotated

import typer

from exportguard.cli._app import _friendly, app, err, out
from exportguard.cli.check import _DECISION_STYLE

if TYPE_CHECKING:
    from exportguard.check.release import ReleaseDetermination
    from exportguard.screening import Screener


@app.command("release")
@_friendly
def release_command(
    technology: Annotated[str, typer.Option(
        help="The technology or source code released: its ECCN (product group D or E, e.g. "
             "3E001) or EAR99.")],
    nationality: Annotated[list[str] | None, typer.Option(
        help="The person's country of citizenship or permanent residency, ISO code "
             "(repeatable).")] = None,
    permanent_resident: Annotated[bool, typer.Option(
        help="The person is a U.S. lawful permanent resident (green card).")] = False,
    protected_individual: Annotated[bool, typer.Option(
        help="The person is a protected individual (8 U.S.C. 1324b(a)(3): asylee, "
             "refugee).")] = False,
    for_item: Annotated[str | None, typer.Option(
        help="The item the technology is for, e.g. 3A090.a for 3E001.")] = None,
    person: Annotated[str | None, typer.Option(
        help="The person's name, to screen against the lists.")] = None,
    date: Annotated[str | None, typer.Option(help="Decide as of this date (YYYY-MM-DD).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Decide whether a release of technology to a foreign person in the U.S. needs a licence."""
    from exportguard.check.release import ReleaseRequest, release
    from exportguard.screening.loaded import screener_for
    from exportguard.store import Store

    request = ReleaseRequest(
        technology=technology, nationalities=tuple(nationality or ()),
        permanent_resident=permanent_resident, protected_individual=protected_individual,
        for_item=for_item, person=person, date=date)
    starter_only: list[bool] = []

    def lists_on(day: DateType) -> Screener:
        screener = screener_for(Store(), day, filter_dates=False)
        starter_only.append(screener.starter_only)
        return screener

    result = release(request, screener_for=lists_on if person else None)
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        _print_memo(result)
    if any(starter_only):
        err.print("[yellow]Only the built-in starter set of list entries is loaded[/]; load the "
                  "Consolidated Screening List for a complete screening.", highlight=False)


def _print_memo(result: ReleaseDetermination) -> None:
    from exportguard.check.release import RELEASE_QUESTIONS

    out.print(_DECISION_STYLE[result.decision], highlight=False)
    where = (f"a deemed export to {', '.join(result.deemed_to)}" if result.deemed_to
             else "not a deemed export")
    item = f" for {result.for_item}" if result.for_item else ""
    out.print(f"Release of {result.technology} technology{item} in the U.S., as of "
              f"{result.as_of}: {where}.", highlight=False)
    for reason in result.reasons:
        out.print(f" - [bold]{reason.rule_id}[/] ({reason.outcome}): {reason.summary}",
                  highlight=False)
        out.print(f"   {reason.citation}. {reason.source}", highlight=False)
        if reason.caveat:
            out.print(f"   [yellow]caveat:[/] {reason.caveat}", highlight=False)
    if result.missing_facts:
        out.print("\n[bold]Facts needed[/]")
        for fact in result.missing_facts:
            out.print(f" - {RELEASE_QUESTIONS.get(fact, fact)}", highlight=False)
    if result.assumptions:
        out.print("\n[bold]Assumptions[/]")
        for assumption in result.assumptions:
            out.print(f" - {assumption}", highlight=False)
