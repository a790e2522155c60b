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
from typing import Any

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
    fig, ax = plt.subplots(figsize=(13, 7.5), dpi=110)
    fig.subplots_adjust(bottom=0.14, right=0.74)  # before the labels are placed in pixels
    cmap = ListedColormap(["#ffffff", "#fde0c5", "#f9c0c0"])
    ax.pcolormesh(tpps, pds, grid, cmap=cmap, vmin=0, vmax=2, shading="nearest", rasterized=True)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*_TPP_RANGE)
    ax.set_ylim(*_PD_RANGE)
    bands = [(band, _tpp_limit(band.condition))
             for band in advanced_computing_rules().review_bands_on(day)]
    for band, limit in bands:
        if limit is None:
            continue
        # the band as a hatched area (its DRAM bound is not on this plane: said in the legend)
        ax.axvspan(_TPP_RANGE[0], limit, facecolor="none", edgecolor="#1f77b4", hatch="///",
                   linewidth=0, alpha=0.35, zorder=1)
        ax.axvline(limit, color="#1f77b4", linestyle="--", linewidth=1.2, zorder=2)
        ax.text(limit * 0.97, _PD_RANGE[1] * 0.8,
                f"{band.id}: {band.inside_policy.replace('_', '-')}\nreview left of TPP "
                f"{limit:,.0f}", fontsize=7.5, color="#1f77b4", ha="right", va="top", zorder=5,
                bbox={"facecolor": "white", "edgecolor": "#1f77b4", "alpha": 0.85})
    points: dict[tuple[float, float, str | None], list[str]] = {}
    skipped_names: list[str] = []
    edge = _PD_RANGE[0] * 1.4
    lettered: list[tuple[float, float]] = []
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
        if result.measures:  # named in a licence letter: ringed
            lettered.append((result.tpp, pd))
            ax.scatter(result.tpp, pd, s=170, facecolors="none", edgecolors="#6a3d9a",
                       linewidths=1.8, zorder=3)
        points.setdefault((round(result.tpp, -1), round(pd, 1), key), []).append(
            _short(item.name))
    _place_labels(fig, ax, {(tpp, pd): " / ".join(dict.fromkeys(names))
                            for (tpp, pd, _key), names in points.items()})
    plotted = sum(len(names) for names in points.values())
    ax.set_xlabel("total processing performance (TPP)")
    ax.set_ylabel("performance density (TPP / applicable die area, mm^2)")
    in_force = advanced_computing_rules().paragraphs_on(day)
    rules = (
        ", ".join(sorted({p.citation.source for p in in_force})) or "none: 3A090 not yet in force"
    )
    ax.set_title(f"AI accelerators and ECCN 3A090 on {day}  (rules: {rules})", fontsize=10)
    _legend(ax, in_force, bands, bool(lettered))
    memory = [
        f"{i.name}: {i.memory_bandwidth_density:.1f} GB/s/mm^2"
        for i in catalog().items
        if i.kind == "memory" and i.memory_bandwidth_density
    ]
    caption = ["x: die area unknown, drawn on the bottom edge."]
    if skipped_names:
        caption.append("Not plotted (TPP unknown): " + ", ".join(skipped_names) + ".")
    if memory:
        caption.append("Memory (3A090.c, not on this plane): " + "; ".join(memory[:6]) + ".")
    fig.text(0.01, 0.01, "\n".join(caption), fontsize=7, wrap=True, va="bottom")
    fig.savefig(path)
    plt.close(fig)
    return ChartResult(path, plotted, len(skipped_names))


def _legend(ax: Any, in_force: list[Any], bands: list[tuple[Any, float | None]],
            lettered: bool) -> None:
    """A real key beside the plot: the shaded regions, the colours, the marker shapes, the
    licence-letter ring and the review band."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    io = " (with I/O >= 600 GB/s, 2022 text)" if any(p.id.endswith("2022") for p in in_force) \
        else ""
    handles: list[Any] = [
        Patch(facecolor="#f9c0c0", edgecolor="#999", label=f"region 3A090.a{io}"),
        Patch(facecolor="#fde0c5", edgecolor="#999", label="region 3A090.b"),
        Line2D([], [], linestyle="", marker="o", color=_COLOURS["3A090.a"],
               markeredgecolor="black", label="part in 3A090.a"),
        Line2D([], [], linestyle="", marker="o", color=_COLOURS["3A090.b"],
               markeredgecolor="black", label="part in 3A090.b"),
        Line2D([], [], linestyle="", marker="o", color=_COLOURS[None], markeredgecolor="black",
               label="part outside 3A090"),
        Line2D([], [], linestyle="", marker="o", color=_COLOURS["?"], markeredgecolor="black",
               label="undecided (a fact missing)"),
        Line2D([], [], linestyle="", marker="o", color="white", markeredgecolor="black",
               label="o datacenter part"),
        Line2D([], [], linestyle="", marker="^", color="white", markeredgecolor="black",
               label="^ consumer part (Note 2)"),
        Line2D([], [], linestyle="", marker="s", color="white", markeredgecolor="black",
               label="square: market not known"),
    ]
    if lettered:
        handles.append(Line2D([], [], linestyle="", marker="o", markersize=11,
                              markerfacecolor="none", markeredgecolor="#6a3d9a",
                              markeredgewidth=1.8, label="named in a licence letter"))
    for band, limit in bands:
        if limit is not None:
            handles.append(Patch(facecolor="none", edgecolor="#1f77b4", hatch="///",
                                 label=f"{band.policy_label()}" if hasattr(band, "policy_label")
                                 else f"review band ({band.inside_policy.replace('_', '-')}):\n"
                                      f"{band.condition.text()}"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
              title="Key", title_fontsize=9, frameon=True, borderaxespad=0.0)


def _place_labels(fig: Any, ax: Any, labels: dict[tuple[float, float], str]) -> list[Any]:
    """Each label beside its point where it overlaps no other label or point: candidate spots
    are tried nearest first (in display pixels), far ones get a leader line."""
    fig.canvas.draw()  # fixes the transforms
    placed: list[Any] = []
    to_px = ax.transData.transform
    scale = fig.dpi / 72.0
    height = 7.0 * 1.25 * scale
    taken: list[tuple[float, float, float, float]] = []
    for tpp, pd in labels:
        x, y = to_px((tpp, pd))
        taken.append((x - 5, y - 5, x + 5, y + 5))
    steps = [(dx, dy) for dy in (2, -12, 12, -22, 22, -32, 32, -44, 44, -56, 56)
             for dx in (5, -5)]
    frame = ax.bbox.extents  # the plot's own area: a label never runs into the key
    for (tpp, pd), label in sorted(labels.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        x, y = to_px((tpp, pd))
        width = len(label) * 7.0 * 0.62 * scale + 4
        chosen = None
        for dx, dy in steps:
            left = x + dx * scale if dx > 0 else x + dx * scale - width
            bottom = y + dy * scale
            box = (left, bottom, left + width, bottom + height)
            inside = frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] \
                and box[3] <= frame[3]
            if inside and all(box[2] < t[0] or box[0] > t[2] or box[3] < t[1] or box[1] > t[3]
                              for t in taken):
                chosen = (dx, dy, box)
                break
        if chosen is None:
            dx, dy = 5, 2
            left = x + dx * scale
            box = (left, y + dy * scale, left + width, y + dy * scale + height)
        else:
            dx, dy, box = chosen
        taken.append(box)
        far = abs(dy) > 12
        placed.append(ax.annotate(
            label, (tpp, pd), fontsize=7, xytext=(dx, dy), textcoords="offset points",
            ha="left" if dx > 0 else "right", va="bottom", zorder=4,
            arrowprops={"arrowstyle": "-", "color": "#777", "linewidth": 0.5} if far else None))
    return placed


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
