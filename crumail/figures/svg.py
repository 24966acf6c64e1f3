"""Charts drawn on the server as inline SVG: no script, no external font.

A chart is horizontal bars, one a row of its table (label, value), drawn
with presentation attributes only (no ``style``: the desk's CSP allows no
inline styles), every label escaped, with a <title> for screen readers.
"""

from __future__ import annotations

from html import escape

from crumail.figures.compute import Table

WIDTH = 460
LABEL = 170          # px for the labels on the left
ROW = 20
LABEL_CHARS = 26
BAR = "#1d5e8c"


def bars(table: Table) -> str:
    """The chart of ``table``'s first two columns ("" when there is nothing to draw)."""
    points = [(str(r[0]), r[1]) for r in table.rows if isinstance(r[1], (int, float)) and r[1] >= 0]
    if not points:
        return ""
    top = max(value for _, value in points) or 1
    span = WIDTH - LABEL - 50
    height = ROW * len(points) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
             f'aria-labelledby="chart-{escape(table.name)}">',
             f'<title id="chart-{escape(table.name)}">{escape(table.title)}</title>']
    for i, (label, value) in enumerate(points):
        y = 4 + i * ROW
        length = round(span * value / top, 1)
        short = label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"
        parts.append(f'<text x="{LABEL - 6}" y="{y + 13}" text-anchor="end" font-size="12" '
                     f'font-family="sans-serif" fill="#222">{escape(short)}</text>')
        parts.append(f'<rect x="{LABEL}" y="{y + 2}" width="{length}" height="{ROW - 6}" fill="{BAR}"/>')
        parts.append(f'<text x="{LABEL + length + 4}" y="{y + 13}" font-size="12" '
                     f'font-family="sans-serif" fill="#222">{escape(_number(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
