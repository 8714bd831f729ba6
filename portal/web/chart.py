"""A bar chart drawn on the server as SVG: no script, readable with JavaScript off (the page
gives the same numbers as a table beside it)."""
from __future__ import annotations

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 600, 220, 20, 30, 30


def bars(points: list[tuple[str, int]]) -> dict:
    """Geometry for templates/queue/chart.svg: one bar per (label, value)."""
    top = max((v for _label, v in points), default=0) or 1
    slot = (WIDTH - LEFT) / max(len(points), 1)
    usable = HEIGHT - TOP - BOTTOM
    found = []
    for n, (label, value) in enumerate(points):
        height = round(usable * value / top, 1)
        x = round(LEFT + n * slot + slot * 0.15, 1)
        found.append(dict(label=label, value=value, x=x, width=round(slot * 0.7, 1),
                          y=round(HEIGHT - BOTTOM - height, 1), height=height,
                          middle=round(x + slot * 0.35, 1)))
    return dict(bars=found, width=WIDTH, height=HEIGHT, base=HEIGHT - BOTTOM, left=LEFT, top=top)
