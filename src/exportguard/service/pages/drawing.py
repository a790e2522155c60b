"""The ownership chain drawn as SVG, on the server (no script): the company at the bottom, its
owners above it level by level, each holding an arrow labelled with its share; listed owners in
red with their list code. Every name is escaped."""

from __future__ import annotations

from markupsafe import Markup, escape

from exportguard.ownership.resolve import OwnershipFinding

_BOX_W, _BOX_H, _GAP_X, _GAP_Y, _MARGIN = 230, 46, 30, 70, 12
_MAX_LEVELS, _MAX_PER_LEVEL = 8, 8


def _levels(finding: OwnershipFinding) -> list[list[int]]:
    """Companies by distance from the one asked about (owners only, each placed once)."""
    levels = [[finding.company.id]]
    placed = {finding.company.id}
    while len(levels) < _MAX_LEVELS:
        above: list[int] = []
        for cid in levels[-1]:
            for edge in finding.graph.owners_of(cid):
                if edge.owner not in placed and len(above) < _MAX_PER_LEVEL:
                    placed.add(edge.owner)
                    above.append(edge.owner)
        if not above:
            break
        levels.append(above)
    return levels


def _short(name: str, limit: int = 30) -> str:
    return name if len(name) <= limit else name[:limit - 1] + "…"


def ownership_svg(finding: OwnershipFinding) -> Markup:
    levels = _levels(finding)
    widest = max(len(level) for level in levels)
    width = _MARGIN * 2 + widest * _BOX_W + (widest - 1) * _GAP_X
    height = _MARGIN * 2 + len(levels) * _BOX_H + (len(levels) - 1) * _GAP_Y
    where: dict[int, tuple[float, float]] = {}
    for depth, level in enumerate(levels):
        y = height - _MARGIN - _BOX_H - depth * (_BOX_H + _GAP_Y)
        row = len(level) * _BOX_W + (len(level) - 1) * _GAP_X
        for n, cid in enumerate(level):
            where[cid] = ((width - row) / 2 + n * (_BOX_W + _GAP_X), y)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="ownership-drawing" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'aria-labelledby="ownership-drawing-title">',
             f'<title id="ownership-drawing-title">Owners of {escape(finding.company.name)} '
             f'on {finding.day.isoformat()}</title>',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
             'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/>'
             '</marker></defs>']
    for edge in finding.graph.edges:
        if edge.owner not in where or edge.owned not in where:
            continue
        (ox, oy), (tx, ty) = where[edge.owner], where[edge.owned]
        x1, y1 = ox + _BOX_W / 2, oy + _BOX_H
        x2, y2 = tx + _BOX_W / 2, ty
        if y2 <= y1:  # a holding back up the chain (a cycle): drawn dashed to the box's side
            x2, y2, dash = tx + _BOX_W, ty + _BOX_H / 2, ' stroke-dasharray="5 4"'
        else:
            dash = ""
        share = f"{edge.percent:g} %" if edge.percent is not None else "share unknown"
        parts.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                     f'stroke="#333" stroke-width="1.5" marker-end="url(#arrow)"{dash}/>')
        parts.append(f'<text x="{(x1 + x2) / 2 + 6:.0f}" y="{(y1 + y2) / 2 + 4:.0f}" '
                     f'font-size="13" font-weight="600" class="share">{escape(share)}</text>')
    for cid, (left, top) in where.items():
        company = finding.graph.companies[cid]
        listed = finding.listed.get(cid)
        fill, stroke = ("#f8d0d0", "#b00020") if listed else (
            ("#dbe7f3", "#17324d") if cid == finding.company.id else ("#fff", "#555"))
        mark = f" · {listed.list_code}" if listed else ""
        where_text = company.hq_country or company.country or "?"
        parts.append(f'<g class="company{" listed" if listed else ""}"><title>'
                     f'{escape(company.name)}{escape(mark)}</title>'
                     f'<rect x="{left:.0f}" y="{top:.0f}" width="{_BOX_W}" '
                     f'height="{_BOX_H}" rx="4" '
                     f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
                     f'<text x="{left + 8:.0f}" y="{top + 19:.0f}" font-size="13">'
                     f'{escape(_short(company.name))}</text>'
                     f'<text x="{left + 8:.0f}" y="{top + 37:.0f}" font-size="11" fill="#444">'
                     f'{escape(where_text)}{escape(mark)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))
