"""The catalog on the TPP x performance-density plane, with the 3A090 regions of a date.

The regions are not drawn by hand: every point of a log-spaced grid is run through the paragraphs
in force on the date (as a datacenter part, and for the 2022 text with an I/O rate of 600 GB/s or
more), so the picture always shows what the rules data says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from exportguard.errors import InputError
from exportguard.items.catalog import catalog
from exportguard.items.classify import classify
from exportguard.regime.advanced_computing import advanced_computing_rules
from exportguard.regime.conditions import Combination, Comparison, Condition

_FORMATS = (".png", ".svg")
_COLOURS = {"3A090.a": "#d62728", "3A090.b": "#ff7f0e", None: "#2ca02c", "?": "#7f7f7f"}
_TPP_RANGE = (300.0, 200_000.0)
_PD_RANGE = (0.3, 100.0)


@dataclass(frozen=True)
class ChartResult:
    path: Path
    plotted: int
    skipped: int


def draw_chart(day: date, path: Path, resolution: int = 240) -> ChartResult:
    """Write the chart for `day` to `path` (.png or .svg)."""
    if path.suffix.lower() not in _FORMATS:
        raise InputError("out", f"'{path.name}' must end in .png or .svg")
    if not path.parent.exists():
        raise InputError("out", f"folder {path.parent} does not exist")
    import matplotlib

    matplotlib.use("Agg")
    # text stays text in SVG: searchable, selectable and readable by screen readers
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        return _draw(day, path, resolution)


def _draw(day: date, path: Path, resolution: int) -> ChartResult:
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    tpps = np.geomspace(*_TPP_RANGE, resolution)
    pds = np.geomspace(*_PD_RANGE, resolution)
    grid = _region_grid(day, tpps, pds)
    fig, ax = plt.subplots(figsize=(11, 7.5), dpi=110)
    cmap = ListedColormap(["#ffffff", "#fde0c5", "#f9c0c0"])
    ax.pcolormesh(tpps, pds, grid, cmap=cmap, vmin=0, vmax=2, shading="nearest", rasterized=True)
    points: dict[tuple[float, float, str | None], list[str]] = {}
    skipped_names: list[str] = []
    edge = _PD_RANGE[0] * 1.4
    for item in catalog().items:
        if item.kind != "accelerator":
            continue
        result = classify(item, day)
        if result.tpp is None:
            skipped_names.append(item.name)
            continue
        # a part without a known die area sits on the bottom edge, marked x
        pd = edge if result.pd is None else result.pd
        key = result.eccn if result.controlled else ("?" if result.controlled is None else None)
        marker = "x" if result.pd is None else (
            "o" if item.datacenter else ("^" if item.datacenter is False else "s"))
        ax.scatter(result.tpp, pd, c=_COLOURS.get(key, "#7f7f7f"), marker=marker,
                   s=42, edgecolors="black" if marker != "x" else None, linewidths=0.5, zorder=3)
        points.setdefault((round(result.tpp, -1), round(pd, 1), key), []).append(
            _short(item.name))
    stacked: dict[tuple[float, float], int] = {}
    for (tpp, pd, _key), names in points.items():
        label = " / ".join(dict.fromkeys(names))
        # parts at one spot but classified differently get one label line each
        line = stacked[(tpp, pd)] = stacked.get((tpp, pd), -1) + 1
        ax.annotate(label, (tpp, pd), fontsize=6.5, xytext=(4, 3 - 9 * line),
                    textcoords="offset points", zorder=4,
                    rotation=30 if pd == round(edge, 1) else 0)
    plotted = sum(len(names) for names in points.values())
    for band in advanced_computing_rules().review_bands_on(day):
        limit = _tpp_limit(band.condition)
        if limit is None:
            continue
        ax.axvline(limit, color="#1f77b4", linestyle="--", linewidth=1)
        ax.text(
            limit * 1.02,
            _PD_RANGE[0] * 1.15,
            f"{band.id}: {band.inside_policy.replace('_', '-')} when\n{band.condition.text()}",
            fontsize=7,
            color="#1f77b4",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*_TPP_RANGE)
    ax.set_ylim(*_PD_RANGE)
    ax.set_xlabel("total processing performance (TPP)")
    ax.set_ylabel("performance density (TPP / applicable die area, mm^2)")
    in_force = advanced_computing_rules().paragraphs_on(day)
    rules = (
        ", ".join(sorted({p.citation.source for p in in_force})) or "none: 3A090 not yet in force"
    )
    ax.set_title(f"AI accelerators and ECCN 3A090 on {day}  (rules: {rules})", fontsize=10)
    memory = [
        f"{i.name}: {i.memory_bandwidth_density:.1f} GB/s/mm^2"
        for i in catalog().items
        if i.kind == "memory" and i.memory_bandwidth_density
    ]
    caption = [
        "Shading: red 3A090.a, orange 3A090.b for a datacenter part"
        + (
            " with I/O >= 600 GB/s (2022 text)"
            if any(p.id.endswith("2022") for p in in_force)
            else ""
        )
        + ". Points: red .a, orange .b, green outside, grey undecided; o datacenter, ^ consumer "
        "(Note 2), square unknown, x die area unknown (drawn on the bottom edge).",
    ]
    if skipped_names:
        caption.append("Not plotted (TPP unknown): " + ", ".join(skipped_names) + ".")
    if memory:
        caption.append("Memory (3A090.c, not on this plane): " + "; ".join(memory[:6]) + ".")
    fig.text(0.01, 0.01, "\n".join(caption), fontsize=7, wrap=True, va="bottom")
    fig.subplots_adjust(bottom=0.2)
    fig.savefig(path)
    plt.close(fig)
    return ChartResult(path, plotted, len(skipped_names))


def _region_grid(day: date, tpps: np.ndarray, pds: np.ndarray) -> np.ndarray:
    """0 outside, 1 in 3A090.b, 2 in 3A090.a, for a datacenter part at each grid point."""
    rules = advanced_computing_rules()
    paragraphs = [p for p in rules.paragraphs_on(day) if "accelerator" in p.kinds]
    grid = np.zeros((len(pds), len(tpps)))
    for j, tpp in enumerate(tpps):
        for i, pd in enumerate(pds):
            facts = {"tpp": tpp, "pd": pd, "io_rate": 600.0, "datacenter": True}
            level = 0
            for paragraph in paragraphs:
                if paragraph.condition.evaluate(facts):
                    level = max(level, 2 if paragraph.eccn == "3A090.a" else 1)
            grid[i, j] = level
    return grid


def _tpp_limit(condition: Condition) -> float | None:
    """The TPP bound a band's condition sets ("tpp < 21000"), to draw it."""
    parts = condition.parts if isinstance(condition, Combination) else (condition,)
    for part in parts:
        if isinstance(part, Comparison) and part.fact == "tpp" and isinstance(part.value, float):
            return part.value
    return None


def _short(name: str) -> str:
    """'NVIDIA H100 SXM5 80GB' -> 'H100 SXM5': vendor, memory size and configuration dropped."""
    for prefix in ("NVIDIA ", "AMD Instinct ", "AMD ", "Intel ", "Huawei ", "Google Cloud ",
                   "GeForce ", "Jingjia Micro "):
        name = name.replace(prefix, "")
    name = re.sub(r"\s*\(.*?\)", "", name)
    return re.sub(r"\s*\b\d+\s?GB\b", "", name).strip()
