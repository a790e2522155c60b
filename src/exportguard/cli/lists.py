"""`lists`, `diff` and `history`: what the store holds, what changed, and when."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from exportguard.cli._app import _friendly, app, out
from exportguard.cli.screening import starter_warning

_JSON = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


@app.command("lists")
@_friendly
def lists_command(
    all_snapshots: Annotated[
        bool, typer.Option("--all", help="Every snapshot kept, not only those in force.")
    ] = False,
    as_json: _JSON = False,
) -> None:
    """Show the sources, their snapshots (dates, entry counts) and which serves each list."""
    from exportguard.lists.starter import STARTER_SOURCE
    from exportguard.store import Store
    from exportguard.views import lists_view

    view = lists_view(Store(), all_snapshots)
    if as_json:
        print(json.dumps(view.to_dict(), indent=2))
        return
    current, serving, shown = view.current, view.serving, view.shown
    table = Table(title="All snapshots kept" if all_snapshots else "Snapshots in force")
    for column in ("id", "source", "format", "entries", "lists served", "as of", "loaded",
                   "origin"):
        table.add_column(column, overflow="fold")
    for s in shown:
        served = sorted(code for code, sid in serving.items() if sid == s.id)
        lists = served_label(served, s.lists, s in current)
        table.add_row(
            str(s.id), s.source, s.format, f"{s.entry_count:,}", lists,
            s.speaks_for.isoformat(), f"{s.loaded_at:%Y-%m-%d %H:%M}", s.origin,
        )
    out.print(table)
    out.print("[bold]Which snapshot serves each list[/]", highlight=False)
    for code, why in sorted(view.why.items()):
        out.print(f"  {code}: {why}", highlight=False)
    from exportguard.views import SERVING_RULE

    out.print(f"[dim]{SERVING_RULE}[/]", highlight=False)
    if all(s.source == STARTER_SOURCE for s in current):
        starter_warning()


def served_label(served: list[str], carried: list[str], in_force: bool) -> str:
    """The "lists served" cell: the lists a snapshot in force serves, of those it carries
    ("none" when another copy serves every one of them)."""
    if not in_force:
        return "(superseded)"
    label = ", ".join(served) if served else "none"
    if len(served) < len(carried):
        label += f" (of {', '.join(carried)})"
    return label


@app.command()
@_friendly
def diff(
    from_id: Annotated[
        int | None, typer.Option("--from", help="Older snapshot id (default: the one before).")
    ] = None,
    to_id: Annotated[
        int | None, typer.Option("--to", help="Newer snapshot id (default: the latest).")
    ] = None,
    as_json: _JSON = False,
) -> None:
    """Entries added, removed and changed between two snapshots of a source, by list."""
    from exportguard.store import Store
    from exportguard.views import diffs

    found = diffs(Store(), from_id, to_id)
    if as_json:
        print(json.dumps({"diffs": [d.to_dict() for d in found]}, ensure_ascii=False, indent=2))
        return
    for d in found:
        out.print(
            f"[bold]{d.source}[/]: snapshot #{d.old.id} ({d.old.speaks_for}) -> #{d.new.id} "
            f"({d.new.speaks_for}): {len(d.added):,} added, {len(d.removed):,} removed, "
            f"{len(d.changed):,} changed", highlight=False,
        )
        data = d.to_dict()
        for code, groups in data["lists"].items():
            out.print(f"  [bold]{code}[/]", highlight=False)
            for entry in groups["added"]:
                out.print(f"    + {entry['name']} ({', '.join(entry['countries'])}) "
                          f"{'; '.join(entry['federal_register'])}", highlight=False)
            for entry in groups["removed"]:
                out.print(f"    - {entry['name']} ({', '.join(entry['countries'])})",
                          highlight=False)
            for change in groups["changed"]:
                out.print(f"    ~ {change['name']}: {', '.join(change['fields'])}",
                          highlight=False)


@app.command()
@_friendly
def history(
    name: Annotated[str, typer.Argument(help="Party name, in any script.")],
    limit: Annotated[int, typer.Option(help="At most this many entries.")] = 5,
    as_json: _JSON = False,
) -> None:
    """When an entity was added, changed and removed, across every snapshot kept."""
    from exportguard.store import Store
    from exportguard.views import history_view

    view = history_view(Store(), name, limit)
    if as_json:
        print(json.dumps(view.to_dict(), ensure_ascii=False, indent=2))
        return
    histories, scores = view.histories, view.scores
    if not histories:
        out.print(f"No entry matching '{view.query}' in any snapshot kept.")
        return
    for h in histories:
        data = h.to_dict()
        out.print(
            f"[bold]{h.entry.name}[/] ({h.entry.list_code}, {h.source}, score "
            f"{scores[h.key]:.2f}); listed from {data['listed_from'] or 'an unknown date'} "
            f"({data['listed_from_basis']})", highlight=False,
        )
        if h.entry.federal_register:
            out.print(f"  Federal Register: {'; '.join(h.entry.federal_register)}",
                      highlight=False)
        out.print(f"  first seen in snapshot #{h.first_seen.id} ({h.first_seen.speaks_for}), "
                  f"last seen in #{h.last_seen.id} ({h.last_seen.speaks_for})"
                  + ("" if h.in_latest else "; not in the latest snapshot"), highlight=False)
        for event in h.events:
            fields = f": {', '.join(event.fields)}" if event.fields else ""
            out.print(f"  {event.snapshot.speaks_for} #{event.snapshot.id} "
                      f"{event.kind}{fields}", highlight=False)
