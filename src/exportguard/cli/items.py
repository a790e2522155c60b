"""`classify`, `items` and `chart`: the item-classification commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from exportguard.cli._app import _friendly, app, out
from exportguard.errors import InputError
from exportguard.regime.dated import parse_as_of

if TYPE_CHECKING:
    from exportguard.items import Classification
    from exportguard.items.catalog import Item

_OUTCOME_STYLE = {
    "met": "[bold red]met[/]",
    "not_met": "[green]not met[/]",
    "unknown": "[yellow]unknown[/]",
    "excluded": "[green]excluded[/]",
    "applies": "[bold red]applies[/]",
    "info": "[cyan]info[/]",
}


@app.command("classify")
@_friendly
def classify_command(
    name: Annotated[
        str | None, typer.Argument(help="A catalogued item, e.g. 'H100' or 'MI300X'.")
    ] = None,
    date: Annotated[
        str | None, typer.Option(help="Classify as of this date (YYYY-MM-DD; default today).")
    ] = None,
    tpp: Annotated[float | None, typer.Option(help="Total processing performance.")] = None,
    figure: Annotated[
        list[str] | None,
        typer.Option(
            "--throughput", help="A datasheet figure PRECISION=TFLOPS, e.g. fp8=1979 (repeatable)."
        ),
    ] = None,
    sparse: Annotated[
        bool, typer.Option(help="The --throughput figures are 'with sparsity'.")
    ] = False,
    die_area: Annotated[
        float | None, typer.Option(help="Applicable die area, mm^2 of non-planar logic dies.")
    ] = None,
    datacenter: Annotated[
        bool | None,
        typer.Option(
            "--datacenter/--consumer", help="Designed or marketed for datacenters, or not."
        ),
    ] = None,
    interconnect: Annotated[
        float | None, typer.Option(help="Aggregate bidirectional I/O rate, GB/s.")
    ] = None,
    memory_bandwidth: Annotated[
        float | None, typer.Option(help="Total DRAM bandwidth, GB/s (per stack for --hbm).")
    ] = None,
    memory_bandwidth_density: Annotated[
        float | None, typer.Option(help="HBM bandwidth density, GB/s per mm^2.")
    ] = None,
    package_area: Annotated[
        float | None, typer.Option(help="HBM package or stack area, mm^2.")
    ] = None,
    hbm: Annotated[bool, typer.Option("--hbm", help="The figures describe a memory part.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Classify an item under ECCN 3A090/4A090 on a date, from the catalog or from figures."""
    from exportguard.items import classify, spec

    day = parse_as_of(date, "date")
    figures_given = any(
        v is not None for v in (tpp, die_area, memory_bandwidth_density, package_area)
    )
    if name is not None and (figures_given or figure or hbm):
        raise InputError(
            "item",
            "give a catalog name or figures (--tpp, --throughput, --die-area, --hbm ...), "
            "not both; with a name only --datacenter/--consumer, --interconnect and "
            "--memory-bandwidth may complete the catalog's facts",
        )
    if name is not None:
        result = classify(
            name, day, datacenter=datacenter, io_rate=interconnect, dram_bandwidth=memory_bandwidth
        )
    else:
        if not (figures_given or figure or hbm):
            raise InputError(
                "item",
                "name a catalogued item (see `exportguard items`) or give "
                "figures such as --tpp and --die-area",
            )
        rows = [_figure(text, sparse) for text in figure or []]
        item = spec(
            kind="memory" if hbm else "accelerator",
            throughput=rows,
            tpp=tpp,
            die_area_mm2=die_area,
            datacenter=datacenter,
            io_rate=interconnect,
            dram_bandwidth=memory_bandwidth,
            memory_bandwidth_density=memory_bandwidth_density,
            package_area_mm2=package_area,
        )
        result = classify(item, day)
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    _print_classification(result)


def _figure(text: str, sparse: bool):
    from exportguard.items import throughput

    precision, sep, value = text.partition("=")
    if not sep:
        raise InputError("throughput", f"'{text}' is not PRECISION=VALUE, e.g. fp8=1979")
    return throughput(precision, value.strip(), sparse=sparse, field="throughput")


def _print_classification(result: Classification) -> None:
    from exportguard.items.result import FACT_QUESTIONS

    if result.controlled is None:
        verdict = "[yellow]undecided[/]: a fact the answer depends on is missing"
    elif result.controlled:
        verdict = f"[bold red]{result.eccn}[/] (paragraph {result.paragraph})"
    else:
        verdict = "[green]not in 3A090/4A090[/]"
    for measure in result.measures:
        verdict += f"; [bold red]{measure['effect'].replace('_', ' ')}[/] by {measure['id']}"
    out.print(f"[bold]{result.item}[/] on {result.as_of}: {verdict}", highlight=False)
    metrics = [
        ("TPP", result.tpp, ",.0f"),
        ("PD", result.pd, ".2f"),
        ("I/O GB/s", result.io_rate, ",.0f"),
        ("DRAM GB/s", result.dram_bandwidth, ",.0f"),
        ("BW density", result.memory_bandwidth_density, ".2f"),
    ]
    shown = [f"{label} {format(value, fmt)}" for label, value, fmt in metrics if value is not None]
    dc = {True: "datacenter", False: "not datacenter", None: "datacenter use unknown"}
    out.print("  " + "  ".join([*shown, dc[result.datacenter]]), highlight=False)
    for step in result.working:
        out.print(f"    {step}", highlight=False)
    for reason in result.reasons:
        span = f"{reason.effective_from or ''}..{reason.effective_to or ''}"
        out.print(
            f"  {_OUTCOME_STYLE.get(reason.outcome, reason.outcome)} "
            f"{reason.paragraph or reason.rule_id}: {reason.summary}",
            highlight=False,
        )
        out.print(f"      [dim]{reason.citation} ({span}) {reason.source}[/]", highlight=False)
        if reason.caveat:
            out.print(f"      [yellow]caveat:[/] {reason.caveat}", highlight=False)
    for fact in result.missing_facts:
        out.print(f"  [yellow]needed:[/] {FACT_QUESTIONS.get(fact, fact)}", highlight=False)
    for note in result.notes:
        out.print(f"  [dim]note: {note}[/]", highlight=False)


@app.command("items")
@_friendly
def items_command(
    date: Annotated[str | None, typer.Option(help="Classify each item as of this date.")] = None,
    kind: Annotated[str | None, typer.Option(help="accelerator, system or memory.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """List the catalog with each item's figures and its classification on a date."""
    from exportguard.items import catalog, classify
    from exportguard.items.catalog import KINDS

    day = parse_as_of(date, "date")
    if kind is not None and kind not in KINDS:
        raise InputError("kind", f"'{kind}' is not one of {', '.join(KINDS)}")
    items = [i for i in catalog().items if kind is None or i.kind == kind]
    results = [(item, classify(item, day)) for item in items]
    if as_json:
        rows = [_item_row(item, c.to_dict()) for item, c in results]
        print(json.dumps({"as_of": day.isoformat(), "items": rows}, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table(title=f"Catalog: {len(items)} items, classified on {day}")
    for column in ("id", "name", "TPP", "PD", "I/O GB/s", "DRAM GB/s", "DC", "on date"):
        table.add_column(column, overflow="fold")
    for item, c in results:
        verdict = c.paragraph if c.controlled else ("?" if c.controlled is None else "-")
        table.add_row(
            item.id,
            item.name,
            _num(c.tpp, ",.0f"),
            _num(c.pd, ".2f"),
            _num(item.io_rate, ",.0f"),
            _num(item.memory_bandwidth_gbps, ",.0f"),
            {True: "yes", False: "no", None: "?"}[item.datacenter],
            verdict or "-",
        )
    out.print(table)


def _item_row(item: Item, c: dict[str, Any]) -> dict[str, Any]:
    """A catalog record with its figures and its classification on the date, for --json."""
    return {
        "id": item.id, "name": item.name, "vendor": item.vendor, "kind": item.kind,
        "aliases": list(item.aliases), "tpp": c["tpp"], "pd": c["pd"],
        "die_area_mm2": item.die_area_mm2, "io_rate": item.io_rate,
        "memory_bandwidth_gbps": item.memory_bandwidth_gbps,
        "memory_bandwidth_density": c["memory_bandwidth_density"],
        "datacenter": item.datacenter, "eccn": c["eccn"], "paragraph": c["paragraph"],
        "controlled": c["controlled"], "sources": list(item.sources),
    }


def _num(value: float | None, fmt: str) -> str:
    return "" if value is None else format(value, fmt)


@app.command("chart")
@_friendly
def chart_command(
    out_file: Annotated[Path, typer.Option("--out", help="Output file, .png or .svg.")],
    date: Annotated[
        str | None, typer.Option(help="Draw the thresholds in force on this date.")
    ] = None,
) -> None:
    """Draw the catalog on the TPP x performance-density plane with the thresholds of a date."""
    from exportguard.items.chart import draw_chart

    day = parse_as_of(date, "date")
    written = draw_chart(day, out_file)
    out.print(
        f"Wrote {written.path} ({written.plotted} items plotted, "
        f"{written.skipped} without TPP or die area listed in the caption)."
    )
