"""`screen`, `load` and `lists`: the restricted-party commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from exportguard.cli._app import _friendly, app, err, out
from exportguard.cli._audit import NoAudit, audit_decision, audit_note
from exportguard.cli._screen import CSL_CSV_URL, run_screen, starter_warning

__all__ = ["CSL_CSV_URL", "load", "screen", "starter_warning"]

@app.command()
@_friendly
def screen(
    name: Annotated[str, typer.Argument(help="Party name, in any script.")],
    country: Annotated[str | None, typer.Option(help="ISO-2 country of the party.")] = None,
    lists: Annotated[str | None, typer.Option(help="Only these lists, e.g. EL,SDN.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many matches.")] = 10,
    min_score: Annotated[
        float | None, typer.Option(help="Score threshold in [0, 1] (default: tuned).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Screen against the lists as they stood on this date "
                     "(YYYY-MM-DD)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    no_audit: NoAudit = False,
) -> None:
    """Screen a name against the loaded lists and explain every match."""
    run_screen(name, country, lists, limit, min_score, as_of, as_json, no_audit)


@app.command()
@_friendly
def load(
    file: Annotated[Path, typer.Argument(help="A list file (CSL CSV or JSON).")],
    format: Annotated[
        str | None, typer.Option(help="csl-csv, csl-json or csl-compact (default: detect).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Store a new snapshot even if unchanged.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    no_audit: NoAudit = False,
) -> None:
    """Load a list file as a new snapshot. A file that fails leaves the lists unchanged."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from exportguard.lists.loader import load_file
    from exportguard.store import Store
    from exportguard.watch import rescreen

    store = Store()
    with Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(),
        TextColumn("{task.completed:,} entries"), TimeElapsedColumn(),
        console=err, disable=as_json or not err.is_terminal, transient=True,
    ) as progress:
        task = progress.add_task(f"loading {file.name}", total=None)
        result = load_file(store, file, format, force=force,
                           progress=lambda n, total: progress.update(task, completed=n,
                                                                     total=total))
    snapshot = result.snapshot
    run = None if result.unchanged else rescreen(store)
    audit = audit_decision(store, "lists.load", str(file), {
        "file": str(file), "source": snapshot.source, "snapshot_id": snapshot.id,
        "checksum": snapshot.checksum, "entries": snapshot.entry_count,
        "unchanged": result.unchanged, "forced": force}, no_audit)
    if as_json:
        print(json.dumps({"unchanged": result.unchanged, "snapshot": snapshot.to_dict(),
                          "watchlist": run.to_dict() if run else None, "audit": audit},
                         indent=2))
        return
    if result.unchanged:
        out.print(f"{file} is identical to snapshot #{snapshot.id} of '{snapshot.source}'; "
                  "nothing loaded (use --force to store it again).")
        out.print(audit_note(audit), highlight=False)
        return
    out.print(
        f"Loaded {snapshot.entry_count:,} entries from {file} as snapshot #{snapshot.id} of "
        f"'{snapshot.source}' ({snapshot.format}; lists {', '.join(snapshot.lists)}).",
        highlight=False,
    )
    if run is not None:
        out.print(
            f"Watchlist re-screened ({run.kind}): {run.customers_screened:,} customers, "
            f"{run.new_hits} new, {run.changed_hits} changed, {run.cleared_hits} cleared hits. "
            "See `exportguard alerts`.", highlight=False)
    out.print(audit_note(audit), highlight=False)
