"""`update`: download, verify and load the official lists, then re-screen the watchlist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from exportguard.cli._app import _friendly, app, err, out
from exportguard.cli.watch import print_run
from exportguard.regime.dated import parse_as_of

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from exportguard.lists.update import SourceConfig


class _Bars:
    """Rich progress bars: bytes while downloading, entries while parsing (what
    `lists.update.Progress` reports)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[tuple[str, str], TaskID] = {}

    def _task(self, source: str, stage: str, total: int | None) -> TaskID:
        key = (source, stage)
        if key not in self.tasks:
            label = f"{source}: {'download' if stage == 'download' else 'parse and store'}"
            self.tasks[key] = self.progress.add_task(label, total=total, stage=stage)
        return self.tasks[key]

    def download(self, source: str, done: int, total: int | None) -> None:
        self.progress.update(self._task(source, "download", total), completed=done, total=total)

    def parse(self, source: str, done: int, total: int | None) -> None:
        self.progress.update(self._task(source, "parse", total), completed=done, total=total)


@app.command("update")
@_friendly
def update_command(
    source: Annotated[
        list[str] | None,
        typer.Option("--source", "-s", help="Only this source (repeatable); see --list."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="YAML overriding source URLs and limits.")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Load even if unchanged or more than 10% smaller.")
    ] = False,
    edition: Annotated[
        str | None,
        typer.Option(help="For dated sources (ecfr-el): load the edition in force on this date "
                     "(YYYY-MM-DD), to build the history of past days."),
    ] = None,
    list_sources: Annotated[
        bool, typer.Option("--list", help="Show the configured sources and exit.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Download each official list, verify it and load it as a new snapshot. A source that
    fails keeps its previous snapshot in force; the others still load. Exit code 1 if any
    failed."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TransferSpeedColumn,
    )

    from exportguard.lists import update as updating
    from exportguard.store import Store
    from exportguard.watch import rescreen

    configs = updating.source_configs(config)
    if list_sources:
        _print_sources(configs, as_json)
        return
    chosen = updating.select_sources(configs, source)
    store = Store()
    with Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(),
        DownloadColumn(), TransferSpeedColumn(), TimeElapsedColumn(),
        console=err, disable=as_json or not err.is_terminal, transient=True,
    ) as progress:
        outcomes = updating.update(
            store, chosen, force=force, progress=_Bars(progress),
            edition=parse_as_of(edition, "edition") if edition is not None else None,
        )
    run = rescreen(store) if any(o.status == "loaded" for o in outcomes) else None
    failed = [o for o in outcomes if o.status == "failed"]
    if as_json:
        print(json.dumps({"sources": [o.to_dict() for o in outcomes],
                          "watchlist": run.to_dict() if run else None}, indent=2))
    else:
        table = Table(title="Update")
        for column in ("source", "status", "snapshot", "entries", "bytes", "seconds", "message"):
            table.add_column(column, overflow="fold")
        for o in outcomes:
            style = {"failed": "red", "loaded": "green"}.get(o.status, "")
            table.add_row(
                o.name, f"[{style}]{o.status}[/]" if style else o.status,
                f"#{o.snapshot.id}" if o.snapshot else
                (f"#{o.previous.id} stays" if o.previous else "-"),
                f"{o.snapshot.entry_count:,}" if o.snapshot else "", f"{o.bytes:,}",
                f"{o.seconds:.1f}", o.message,
            )
        out.print(table)
        if run is not None:
            print_run(run)
    if failed:
        raise typer.Exit(1)


def _print_sources(configs: dict[str, SourceConfig], as_json: bool) -> None:
    if as_json:
        print(json.dumps({"sources": {
            name: {"title": c.title, "format": c.format, "source": c.source, "url": c.url,
                   "files": c.files, "enabled": c.enabled, "min_entries": c.min_entries}
            for name, c in configs.items()}}, indent=2))
        return
    table = Table(title="Configured sources")
    for column in ("source", "enabled", "format", "url", "title"):
        table.add_column(column, overflow="fold")
    for name, c in configs.items():
        table.add_row(name, "yes" if c.enabled else "only with --source", c.format,
                      c.url or "\n".join(c.files.values()), c.title)
    out.print(table)
