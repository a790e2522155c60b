"""The body of `screen`, without Typer: the Typer command (cli/screening.py) and the direct
path a plain `exportguard screen NAME [options]` takes (cli/__init__.py) both run it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from exportguard.cli._audit import audit_decision, audit_note
from exportguard.cli._console import err, out
from exportguard.lists.codes import parse_list_codes
from exportguard.regime.dated import parse_as_of

if TYPE_CHECKING:
    from exportguard.ownership.resolve import OwnershipFinding
    from exportguard.screening import ScreenResult

CSL_CSV_URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"


def run_screen(name: str, country: str | None, lists: str | None, limit: int,
               min_score: float | None, as_of: str | None, as_json: bool,
               no_audit: bool) -> None:
    """Screen a name against the loaded lists and explain every match."""
    from exportguard.screening.loaded import screener_for
    from exportguard.store.direct import open_for_screening
    from exportguard.views import screen_document

    codes = parse_list_codes(lists)
    day = parse_as_of(as_of, "as_of") if as_of is not None else None
    store = open_for_screening()
    screener = screener_for(store, day)
    result = screener.screen(name, country, codes, limit, min_score)
    data, finding = screen_document(store, screener, result, day)
    data["audit"] = audit_decision(store, "screen", result.query, {
        "query": result.query, "country": result.country, "as_of": as_of,
        "lists": sorted(codes) if codes else None, "decision": result.decision,
        "snapshot_ids": [s.id for s in result.snapshots],
        "matches": [{"entry_id": m.entry.key, "list": m.entry.list_code, "name": m.entry.name,
                     "score": round(m.score, 4)} for m in result.matches[:5]]}, no_audit)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        if result.starter_only:
            starter_warning()
        return
    _print_screen(result)
    if finding is not None:
        _print_ownership(finding)
    out.print(audit_note(data["audit"]), highlight=False)


def _print_ownership(finding: OwnershipFinding) -> None:
    """What the ownership graph adds: listed owners, the path and the aggregated share."""
    out.print(f"Ownership of [bold]{finding.company.name}[/] on {finding.day.isoformat()} "
              f"(`exportguard owners` for the tree):", highlight=False)
    if not finding.listed:
        out.print("  no listed party among its owners in the graph.")
    for item in finding.look_through:
        for path in item["paths"][:3]:
            share = f"{path['share']:g} %" if path["share"] is not None else "share unknown"
            out.print(f"  {item['list']} {' -> '.join(path['via'])}: {share}", highlight=False)
    for outcome in finding.outcomes:
        if outcome.status != "not_met":
            out.print(f"  {outcome.rule.title}: {outcome.status}. {outcome.summary}",
                      highlight=False)


def _print_screen(result: ScreenResult) -> None:
    from rich.table import Table

    from exportguard.service.wording import score as score_text

    sources = ", ".join(
        f"{s.source} #{s.id} ({s.entry_count:,} entries"
        + (f", generated {s.generated_at:%Y-%m-%d}" if s.generated_at else "")
        + f", loaded {s.loaded_at:%Y-%m-%d})"
        for s in result.snapshots
    )
    out.print(f"Screened [bold]{result.query}[/] against {sources}", highlight=False)
    if result.as_of is not None:
        out.print(f"As the lists stood on [bold]{result.as_of.isoformat()}[/]:", highlight=False)
        for in_force in result.in_force:
            out.print(f"  {in_force.snapshot.source}: {in_force.basis()}", highlight=False)
    if result.starter_only:
        starter_warning()
    if not result.matches:
        out.print(f"No match at or above {result.threshold:.2f}.")
        return
    table = Table(show_lines=True)
    columns = ["score", "list", "listed name", "matched on", "countries", "FR", "why"]
    if result.as_of is not None:
        columns.insert(5, "listed from")
    for column in columns:
        table.add_column(column, overflow="fold")
    for match in result.matches:
        why = ", ".join(f"{f.name} {f.contribution:+.2f}" for f in match.features)
        row = [
            score_text(match.score), match.entry.list_code, match.entry.name,
            f"{match.matched_name} ({match.matched_origin})", ", ".join(match.entry.countries),
            "; ".join(match.entry.federal_register), why,
        ]
        if result.as_of is not None:
            row.insert(5, f"{match.listed_from or 'undated'}"
                       + (" (day not known: may not apply yet)" if match.listing_undecided
                          else ""))
        table.add_row(*row)
    out.print(table)
    if result.more:
        out.print(f"[bold]{result.more} more match(es)[/] at or above {result.threshold:.2f} "
                  f"are not shown: raise --limit to see them.", highlight=False)
    best = result.matches[0]
    out.print(f"Why [bold]{best.entry.name}[/] scored {score_text(best.score)} (query read as "
              f"'{best.query_form}'):", highlight=False)
    for feature in best.features:
        out.print(f"  {feature.name} {feature.contribution:+.2f}  {feature.detail}",
                  highlight=False)
    out.print("Use --json for every match's explanation.")


def starter_warning() -> None:
    err.print(
        "[yellow]Only the built-in starter set is loaded[/] (the seed companies of the Entity "
        "List, NS-CMIC and FCC Covered List). For the full U.S. lists, download the Consolidated "
        f"Screening List ({CSL_CSV_URL}) and run: exportguard load consolidated.csv",
        highlight=False,
    )
