"""`owners` and `ownership import`: the ownership graph and what it means on a date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from exportguard.cli._app import _friendly, app, out

ownership_app = typer.Typer(help="The ownership graph (who owns whom).", no_args_is_help=True)
app.add_typer(ownership_app, name="ownership")
_JSON = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


@ownership_app.command("import")
@_friendly
def ownership_import(
    file: Annotated[Path, typer.Argument(help="CSV (owner,owned,percent,as_of,source) or "
                                         "FollowTheMoney JSON lines with Ownership entities.")],
    as_json: _JSON = False,
) -> None:
    """Add companies and ownership edges. A bad row refuses the whole file."""
    from exportguard.ownership import read_ownership
    from exportguard.store import Store
    from exportguard.store.ownership import OwnershipStore

    data = read_ownership(file)
    companies, edges = data.store(OwnershipStore(Store()))
    if as_json:
        print(json.dumps({"companies_added": companies, "edges_added": edges}))
        return
    out.print(f"Imported {edges:,} ownership edge{'' if edges == 1 else 's'} ({companies:,} new "
              f"compan{'y' if companies == 1 else 'ies'}) from {file}.",
              highlight=False)


@app.command()
@_friendly
def owners(
    name: Annotated[str, typer.Argument(help="Company name as the graph holds it.")],
    country: Annotated[str | None, typer.Option(help="ISO-2 country of incorporation.")] = None,
    date: Annotated[str | None, typer.Option(help="As of this date (YYYY-MM-DD).")] = None,
    as_json: _JSON = False,
) -> None:
    """The ownership tree up and down, listed parties marked, and the ownership rules."""
    from exportguard.store import Store
    from exportguard.views import owners_view

    view = owners_view(Store(), name, country, date)
    if as_json:
        print(json.dumps(view.to_dict(), ensure_ascii=False, indent=2))
        return
    finding, holdings, below, day = view.finding, view.holdings, view.below, view.finding.day
    names = {cid: c.name for cid, c in finding.graph.companies.items()}
    marks = {cid: f" [bold red]{item.list_code}[/] ('{item.entry_name}')"
             for cid, item in finding.listed.items()}
    from rich.tree import Tree

    company = finding.company
    tree = Tree(f"[bold]{company.name}[/] ({company.country or '?'}"
                f"{', HQ ' + company.hq_country if company.hq_country else ''})"
                f"{marks.get(company.id, '')}")
    up = tree.add("owned by")

    def add_owners(node: Tree, cid: int, trail: set[int]) -> None:
        for edge in finding.graph.owners_of(cid):
            share = f"{edge.percent:g} %" if edge.percent is not None else "share unknown"
            label = f"{names[edge.owner]} {share}{marks.get(edge.owner, '')}"
            if edge.owner in trail:
                node.add(f"{label} (cycle)")
                continue
            add_owners(node.add(f"{label}  [dim]{edge.source}[/]"), edge.owner,
                       trail | {edge.owner})

    add_owners(up, company.id, {company.id})
    if not up.children:
        up.add("[dim]no owner known on the date[/]")
    down = tree.add("owns")
    for edge in holdings:
        if edge.owner == company.id:
            share = f"{edge.percent:g} %" if edge.percent is not None else "share unknown"
            down.add(f"{below[edge.owned].name} {share}")
    if not down.children:
        down.add("[dim]no holding known on the date[/]")
    out.print(tree)
    out.print(f"As of {day.isoformat()}:", highlight=False)
    for outcome in finding.outcomes:
        out.print(f"  [bold]{outcome.rule.title}[/]: {outcome.status.replace('_', ' ')}. "
                  f"{outcome.summary}",
                  highlight=False)
        if outcome.assumption:
            out.print(f"    assumption: {outcome.assumption}", highlight=False)
    for item in finding.look_through:
        out.print(f"  look-through: {item['owner']} ({item['list']}) {item['share']:g} %",
                  highlight=False)
    for loop in finding.cycles:
        out.print(f"  cycle: {' -> '.join(loop)}", highlight=False)
    top = finding.ultimate_parent
    if top:
        out.print(f"  ultimate parent: {top.name} (HQ {top.hq_country or 'unknown'})",
                  highlight=False)
    for note in finding.graph.notes:
        out.print(f"  note: {note}", highlight=False)
