"""The chip chart's labels do not collide: parts crowded at nearly one spot get labels that
overlap neither each other nor the points, measured with matplotlib's own text extents."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from exportguard.items.chart import _place_labels


def test_crowded_labels_do_not_overlap() -> None:
    fig, ax = plt.subplots(figsize=(8, 5), dpi=110)
    fig.subplots_adjust(right=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(300, 200_000)
    ax.set_ylim(0.3, 100)
    # the crowd of the real chart: the A100/A800 and RTX 4090 D/5090 D spot, and the bottom edge
    spots = {(4990.0, 6.0): "A100 SXM4 / A100 PCIe / A800 SXM4", (4760.0, 6.2): "RTX 5090 D",
             (4710.0, 5.9): "RTX 4090 D", (5000.0, 7.7): "RTX 4090", (3150.0, 0.4): "TPU v5e",
             (6910.0, 0.4): "Gaudi 2", (7340.0, 0.4): "TPU v5p", (15690.0, 0.4): "MI300A"}
    for x, y in spots:
        ax.scatter(x, y, s=42)
    placed = _place_labels(fig, ax, spots)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [a.get_window_extent(renderer) for a in placed]
    frame = ax.get_window_extent(renderer)
    for n, box in enumerate(boxes):
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, placed[n].get_text()
        for other in boxes[n + 1:]:
            assert not box.overlaps(other), (placed[n].get_text(), box, other)
    plt.close(fig)
