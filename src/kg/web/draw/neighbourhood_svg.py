"""The neighbourhood picture: the entity in the middle, its neighbours on an ellipse around it.

Plain SVG drawn on the server, so the page needs no script and scales with its viewBox. It is a
group, not an image, so its links stay reachable by keyboard and screen reader: each neighbour
is a link named by its <title>; the page also lists the same facts as text.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

from kg.views.neighbourhood import Edge

WIDTH, HEIGHT = 900, 460
RADIUS_X, RADIUS_Y = 230, 170
# Colours by the kind of node; any other class (a new source's) is drawn grey.
COLOURS = {"State": "#2b6cb0", "IntergovernmentalOrganization": "#2f855a", "Person": "#805ad5",
           "City": "#3182ce", "Region": "#4a5568", "Summit": "#c05621", "Visit": "#c05621",
           "Treaty": "#b7791f", "Membership": "#718096", "Chairmanship": "#b83280"}
OTHER = "#718096"
MAX_LABEL = 26


def draw(center_label: str, center_kind: str, edges: list[Edge],
         href: Callable[[str], str]) -> str:
    """The SVG markup (escaped) for one entity and its neighbours."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="group" aria-labelledby="nb-title" class="neighbourhood">',
             f'<title id="nb-title">{escape(center_label)} and {len(edges)} neighbours</title>',
             '<defs><marker id="nb-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
             'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
             '<path d="M0,0 L10,5 L0,10 z" fill="#8a94a3"/></marker></defs>']
    points = _positions(len(edges), cx, cy)
    for edge, (x, y) in zip(edges, points, strict=True):
        parts.append(_edge(edge, cx, cy, x, y))
    for edge, (x, y) in zip(edges, points, strict=True):
        parts.append(_node(edge, x, y, href))
    colour = COLOURS.get(center_kind, OTHER)
    parts.append(f'<g class="nb-center"><circle cx="{cx:.1f}" cy="{cy:.1f}" r="16" '
                 f'fill="{colour}" stroke="#1d2430" stroke-width="2"/>'
                 f'{_text(center_label, cx, cy + 34, "middle", 15, bold=True)}</g>')
    parts.append("</svg>")
    return "".join(parts)


def _positions(count: int, cx: float, cy: float) -> list[tuple[float, float]]:
    step = 2 * math.pi / max(count, 1)
    return [(cx + RADIUS_X * math.cos(-math.pi / 2 + i * step),
             cy + RADIUS_Y * math.sin(-math.pi / 2 + i * step)) for i in range(count)]


def _edge(edge: Edge, cx: float, cy: float, x: float, y: float) -> str:
    # Arrows point from subject to object; stop short of the circles.
    (x1, y1), (x2, y2) = ((cx, cy), (x, y)) if edge.outgoing else ((x, y), (cx, cy))
    length = math.hypot(x2 - x1, y2 - y1) or 1
    start = 16 if edge.outgoing else 9
    end = 10 if edge.outgoing else 18
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    dash = ' stroke-dasharray="6 4"' if edge.inferred else ""
    label = ", ".join(edge.properties)
    mx, my = cx + (x - cx) * 0.62, cy + (y - cy) * 0.62  # off the crowded middle
    return (f'<g class="nb-edge{" inferred" if edge.inferred else ""}">'
            f'<line x1="{x1 + ux * start:.1f}" y1="{y1 + uy * start:.1f}" '
            f'x2="{x2 - ux * end:.1f}" y2="{y2 - uy * end:.1f}" stroke="#8a94a3" '
            f'stroke-width="1.5"{dash} marker-end="url(#nb-arrow)"/>'
            f'{_text(label, mx, my - 4, "middle", 10, muted=True)}</g>')


def _node(edge: Edge, x: float, y: float, href: Callable[[str], str]) -> str:
    colour = COLOURS.get(edge.other_kind, OTHER)
    anchor = "middle" if abs(x - WIDTH / 2) < 40 else ("start" if x > WIDTH / 2 else "end")
    dx = 0 if anchor == "middle" else (13 if anchor == "start" else -13)
    dy = 24 if anchor == "middle" and y > HEIGHT / 2 else (-14 if anchor == "middle" else 5)
    kind = f" ({edge.other_kind})" if edge.other_kind else ""
    return (f'<a href="{escape(href(edge.other))}" class="nb-node">'
            f'<title>{escape(edge.other_label + kind)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="{colour}" stroke="#fff" '
            f'stroke-width="2"/>{_text(edge.other_label, x + dx, y + dy, anchor, 12)}</a>')


def _text(text: str, x: float, y: float, anchor: str, size: int, bold: bool = False,
          muted: bool = False) -> str:
    shown = text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…"
    weight = ' font-weight="700"' if bold else ""
    fill = "#5a6472" if muted else "#1d2430"
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{weight} '
            f'fill="{fill}" stroke="#fff" stroke-width="3" paint-order="stroke">'
            f'{escape(shown)}</text>')
