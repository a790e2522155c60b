"""`batch`: screen every row of a CSV, Parquet or JSON Lines file into a file of results."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from exportguard.batch.checkpoint import DEFAULT_CHUNK_SIZE, PARTIAL_SUFFIX
from exportguard.cli._app import _friendly, app, err, out
from exportguard.cli._audit import NoAudit, audit_decision, audit_note
from exportguard.cli.screening import starter_warning
from exportguard.lists.codes import parse_list_codes
from exportguard.regime.dated import parse_as_of

if TYPE_CHECKING:
    from exportguard.batch import BatchSummary


class Engine(StrEnum):
    local = "local"
    spark = "spark"


@app.command()
@_friendly
def batch(
    input_file: Annotated[Path, typer.Argument(
        metavar="INPUT", help="Names to screen: .csv, .parquet, .jsonl or .ndjson.")],
    output: Annotated[Path, typer.Option(
        "--out", help="Results file, same formats; one row per input row, in input order.")],
    name_column: Annotated[str, typer.Option(help="Column with the party name.")] = "name",
    country_column: Annotated[str | None, typer.Option(
        help="Column with the ISO-2 country (default: 'country' when present).")] = None,
    id_column: Annotated[str | None, typer.Option(
        help="Column identifying a row, shown with the errors of the summary.")] = None,
    min_score: Annotated[float | None, typer.Option(
        min=0.0, max=1.0, help="Score threshold in [0, 1] (default: tuned).")] = None,
    lists: Annotated[str | None, typer.Option(help="Only these lists, e.g. EL,SDN.")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Screen against the lists as they stood on this date (YYYY-MM-DD).")
    ] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Processes (local) or local[N] threads (spark); default: every core.")
    ] = None,
    engine: Annotated[Engine, typer.Option(help="local processes, or PySpark.")] =
        Engine.local,
    chunk_size: Annotated[int, typer.Option(
        min=1, help="Rows per chunk: the unit of work, of checkpoints and of resuming.")] =
        DEFAULT_CHUNK_SIZE,
    resume: Annotated[bool, typer.Option(
        "--resume/--restart", help="Continue a stopped run of the same command (default), or "
        "discard it and start over.")] = True,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the run's metadata (OUTPUT.meta.json) as JSON.")] = False,
    share: Annotated[str, typer.Option(
        hidden=True, help="How local workers get the index: fork or load (bench/batch.py).")
    ] = "fork",
    no_audit: NoAudit = False,
) -> None:
    """Screen every row of a file against the loaded lists; resumable after a stop."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from exportguard.batch import BatchOptions, run_batch
    from exportguard.store import Store

    options = BatchOptions(
        input_file, output, name_column=name_column, country_column=country_column,
        id_column=id_column, min_score=min_score, lists=parse_list_codes(lists),
        as_of=parse_as_of(as_of, "as_of") if as_of is not None else None, workers=workers,
        engine=engine.value, chunk_size=chunk_size, resume=resume, share=share)
    with Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), TaskProgressColumn(), TextColumn("{task.fields[rate]} rows/s"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=err, disable=not err.is_terminal, transient=True, auto_refresh=False,
    ) as progress:
        task = progress.add_task(f"screening {input_file.name}", total=None, rate="-")

        def report(phase: str, done: int, total: int | None) -> None:
            speed = progress.tasks[0].speed
            progress.update(task, description=f"{phase} {input_file.name}", completed=done,
                            total=total, rate=f"{speed:,.0f}" if speed else "-")
            progress.refresh()

        store = Store()
        try:
            summary = run_batch(store, options, report)
        except KeyboardInterrupt:
            progress.stop()
            err.print(f"interrupted; the rows done are kept in {output}{PARTIAL_SUFFIX}: run the "
                      "same command again to continue")
            raise typer.Exit(130) from None
    audit = audit_decision(store, "batch", str(input_file), {
        "input": str(input_file), "output": str(output), "rows": summary.rows,
        "decisions": summary.decisions,
        "snapshot_ids": [s["id"] for s in summary.meta["snapshots"]],
        "as_of": summary.meta["as_of"]}, no_audit)
    if summary.starter_only:
        starter_warning()
    if as_json:
        print(json.dumps({**summary.meta, "audit": audit}, ensure_ascii=False, indent=2,
                         default=str))
        return
    print_summary(summary)
    out.print(audit_note(audit), highlight=False)


def print_summary(summary: BatchSummary) -> None:
    from exportguard.batch import meta_path

    decisions = ", ".join(f"{count:,} {name}" for name, count in summary.decisions.items())
    resumed = summary.rows - summary.rows_this_run
    out.print(
        f"Screened {summary.rows:,} rows into {summary.output} in {summary.seconds:,.1f} s "
        f"({summary.rate:,.0f} rows/s"
        + (f"; {resumed:,} rows were done by an earlier run" if resumed else "")
        + f"): {decisions}.", highlight=False, soft_wrap=True)
    meta = summary.meta
    snapshots = ", ".join(f"#{s['id']} {s['source']}" for s in meta["snapshots"])
    as_of = f" as of {meta['as_of']}" if meta["as_of"] else ""
    out.print(f"Snapshots {snapshots}{as_of}; {meta['workers']} worker(s), {meta['engine']} "
              f"engine; peak memory {summary.memory.describe()}.", highlight=False, soft_wrap=True)
    for item in summary.error_sample[:5]:
        ident = f" (id {item['id']})" if "id" in item else ""
        out.print(f"  row {item['row']:,}{ident}: {item['error']}", highlight=False, soft_wrap=True)
    errors = summary.decisions.get("error", 0)
    if errors > 5:
        out.print(f"  ... {errors - 5:,} more rows with decision 'error' (see the 'error' column)",
                  highlight=False, soft_wrap=True)
    out.print(f"Details: {meta_path(summary.output)}", highlight=False, soft_wrap=True)
