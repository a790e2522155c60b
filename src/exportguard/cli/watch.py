"""`customers` and `alerts`: the watchlist and what list changes did to it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from exportguard.cli._app import _friendly, app, err, out

if TYPE_CHECKING:
    from exportguard.store.watchlist import WatchRun

customers_app = typer.Typer(help="The watchlist of counterparties re-screened on every list "
                            "change.", no_args_is_help=True)
app.add_typer(customers_app, name="customers")
_JSON = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


@customers_app.command("import")
@_friendly
def customers_import(
    file: Annotated[Path, typer.Argument(help="CSV with a header row: id, name, country.")],
    id_column: Annotated[str, typer.Option(help="Column with the customer id.")] = "id",
    name_column: Annotated[str, typer.Option(help="Column with the name.")] = "name",
    country_column: Annotated[str, typer.Option(help="Column with the ISO-2 country.")] =
        "country",
    replace: Annotated[
        bool, typer.Option(help="Remove stored customers that are not in the file.")
    ] = False,
    as_json: _JSON = False,
) -> None:
    """Add or update customers (by id) and screen the new and changed ones."""
    from exportguard.store import Store
    from exportguard.watch import import_customers, read_customers

    records = read_customers(file, id_column=id_column, name_column=name_column,
                             country_column=country_column)
    run, removed = import_customers(Store(), records, replace=replace)
    if as_json:
        print(json.dumps({"run": run.to_dict(), "removed": removed}, indent=2))
        return
    out.print(f"Imported {len(records):,} customers from {file}: "
              f"{run.customers_screened:,} new or changed screened in {run.seconds:.1f} s, "
              f"{run.new_hits:,} hits" + (f", {removed:,} removed" if removed else "") +
              ". See `exportguard alerts`.", highlight=False)


@customers_app.command("list")
@_friendly
def customers_list(
    hits_only: Annotated[bool, typer.Option("--hits", help="Only customers with hits.")] = False,
    as_json: _JSON = False,
) -> None:
    """The customers and their current hits."""
    from exportguard.store import Store
    from exportguard.store.watchlist import WatchlistStore

    watch = WatchlistStore(Store())
    hits = watch.hits()
    customers = [c for c in watch.customers() if not hits_only or hits.get(c.id)]
    if as_json:
        print(json.dumps({"customers": [
            {"id": c.ref, "name": c.name, "country": c.country,
             "hits": [{"entry_key": h.entry_key, "list": h.list_code, "name": h.entry_name,
                       "score": round(h.score, 4)} for h in hits.get(c.id, {}).values()]}
            for c in customers]}, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(customers):,} customers")
    for column in ("id", "name", "country", "hits"):
        table.add_column(column, overflow="fold")
    for c in customers[:500]:
        table.add_row(c.ref, c.name, c.country or "", "; ".join(
            f"{h.list_code} {h.entry_name} ({h.score:.2f})" for h in hits.get(c.id, {}).values()))
    out.print(table)
    if len(customers) > 500:
        out.print(f"(first 500 of {len(customers):,}; use --json for all)")


@customers_app.command("rescreen")
@_friendly
def customers_rescreen(
    full: Annotated[bool, typer.Option(help="Screen every customer, not only the delta.")] =
        False,
    as_json: _JSON = False,
) -> None:
    """Re-screen the watchlist against the lists in force (normally done by load and update)."""
    from exportguard.store import Store
    from exportguard.watch import rescreen

    run = rescreen(Store(), full=full)
    if as_json:
        print(json.dumps({"run": run.to_dict() if run else None}, indent=2))
        return
    print_run(run)


def print_run(run: WatchRun | None) -> None:
    if run is None:
        out.print("Watchlist: nothing to re-screen (no customers, or the lists are unchanged).")
        return
    out.print(
        f"Watchlist re-screened ({run.kind}; {run.cause}): {run.customers_screened:,} customers "
        f"in {run.seconds:.1f} s; {run.new_hits} new, {run.changed_hits} changed, "
        f"{run.cleared_hits} cleared hits. See `exportguard alerts`.", highlight=False)


@app.command()
@_friendly
def alerts(
    run: Annotated[int | None, typer.Option(help="Only the alerts of this run.")] = None,
    all_alerts: Annotated[
        bool, typer.Option("--all", help="Include acknowledged alerts.")
    ] = False,
    acknowledge: Annotated[
        bool, typer.Option("--ack", help="Mark the alerts shown as acknowledged.")
    ] = False,
    as_json: _JSON = False,
) -> None:
    """New, changed and cleared hits found by re-screening the watchlist."""
    from exportguard.store import Store
    from exportguard.store.watchlist import WatchlistStore

    watch = WatchlistStore(Store())
    found = watch.alerts(run_id=run, unacknowledged=not all_alerts)
    if acknowledge and found:
        watch.acknowledge([a.id for a in found if a.id is not None])
    if as_json:
        print(json.dumps({"alerts": [a.to_dict() for a in found],
                          "runs": [r.to_dict() for r in watch.runs(5)]},
                         ensure_ascii=False, indent=2))
        return
    if not found:
        out.print("No alerts" + ("" if all_alerts else " waiting (use --all for acknowledged "
                                 "ones)") + ".")
        return
    table = Table(title=f"{len(found):,} alerts")
    for column in ("id", "run", "kind", "customer", "list", "entry", "score", "detail"):
        table.add_column(column, overflow="fold")
    for a in found:
        detail = ", ".join(a.detail.get("fields", {})) if a.kind == "changed" else ""
        table.add_row(str(a.id), str(a.run_id), a.kind, f"{a.customer_name} ({a.customer_ref})",
                      a.list_code, a.entry_name, f"{a.score:.2f}" if a.score else "", detail)
    out.print(table)
    if acknowledge:
        err.print(f"{len(found)} alert(s) acknowledged.")
