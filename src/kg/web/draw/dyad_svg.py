"""The dyad picture: events between two states by month and PLOVER type, one band per direction,
cooperative events stacked above the band's line and conflictual ones below it.

Plain SVG drawn on the server (no script, no library), scaled by its viewBox. One column per
month that has events (a year when the source gives no month), in date order; a gap of
time between two columns is marked by a break, so months without events take no room. Each
bar is a group with a <title> ("3 × ACCUSE, Turkey → Kazakhstan, 2023-03") and data-*
attributes giving its count; the list and the table under it say the same in words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from kg.views.dyad import AB, BA, BOTH, Dyad, PloverType
from kg.views.timeline import date_key

WIDTH = 880
LEFT, RIGHT = 24, 16        # margins
BAND = 170                  # height of one direction's band (its name, then half above the
                            # line and half below)
AXIS = 44                   # room for the period labels under the bands
LEGEND_ROW = 22
LABEL_ROOM = 48             # room a period's label needs under its column
MAX_BAR = 36                # widest bar, when there are few columns
# Colours by PLOVER type: blues for verbal cooperation, greens for material cooperation,
# oranges for verbal conflict, reds for material conflict (light to dark within each).
COLOURS = {"AGREE": "#90cdf4", "CONSULT": "#4299e1", "SUPPORT": "#2b6cb0", "CONCEDE": "#1a365d",
           "COOPERATE": "#9ae6b4", "AID": "#38a169", "RETREAT": "#22543d",
           "REQUEST": "#fbd38d", "ACCUSE": "#ed8936", "REJECT": "#c05621", "THREATEN": "#7b341e",
           "PROTEST": "#feb2b2", "SANCTION": "#e53e3e", "MOBILIZE": "#c53030",
           "COERCE": "#9b2c2c", "ASSAULT": "#63171b"}
OTHER = "#718096"


def colour(notation: str) -> str:
    return COLOURS.get(notation, OTHER)


def periods(dyad: Dyad) -> list[str]:
    """The columns: each month (or bare year) with a dated event, in date order."""
    return sorted({p for e in dyad.events if (p := e.period) is not None}, key=date_key)


def directions(dyad: Dyad) -> list[str]:
    """a → b and b → a always; 'both' only when some event has no direction."""
    return [AB, BA] + ([BOTH] if any(e.direction == BOTH for e in dyad.events) else [])


def direction_label(dyad: Dyad, direction: str) -> str:
    a, b = dyad.a.label, dyad.b.label
    return {AB: f"{a} → {b}", BA: f"{b} → {a}", BOTH: f"{a} ↔ {b}, no direction"}[direction]


def draw(dyad: Dyad, types: Sequence[PloverType], title_id: str = "dy-title") -> str:
    """The SVG markup (escaped) of the dyad's dated events, or "" when none is dated."""
    columns = periods(dyad)
    if not columns:
        return ""
    counts = dyad.counts()
    bands = directions(dyad)
    order = {notation: i for i, notation in enumerate(COLOURS)}  # the codebook's order
    present = sorted({n for (_, _, n) in counts}, key=lambda n: (order.get(n, len(order)), n))
    cooperative = {t.notation for t in types if t.cooperative}
    tallest = max(sum(n for (d, p, t), n in counts.items() if d == band and p == period
                      and (t in cooperative) == side)
                  for band in bands for period in columns for side in (True, False))
    unit = (BAND / 2 - 28) / max(tallest, 1)
    step = (WIDTH - LEFT - RIGHT) / len(columns)
    legend_rows = (len(present) + 3) // 4
    height = 28 + len(bands) * BAND + AXIS + legend_rows * LEGEND_ROW + 8
    total = sum(counts.values())
    pair = f"{dyad.a.label} and {dyad.b.label}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
             f'role="group" aria-labelledby="{title_id}" class="dyad" '
             f'font-family="system-ui, sans-serif">',
             f'<title id="{title_id}">{escape(pair)}: {total} dated '
             f'events by month and type, cooperative above each line, conflictual below'
             f'</title>',
             _text("cooperative ↑  conflictual ↓", WIDTH - RIGHT, 16, "end", 12, "#5a6472")]
    for i, band in enumerate(bands):
        middle = 28 + i * BAND + BAND / 2 + 10
        parts.append(_band(dyad, band, middle, columns, step, counts, present, cooperative,
                           unit))
    parts.append(_axis(columns, step, 28 + len(bands) * BAND))
    parts.append(_legend(present, types, 28 + len(bands) * BAND + AXIS))
    parts.append("</svg>")
    return "".join(parts)


def _band(dyad: Dyad, band: str, middle: float, columns: list[str], step: float,
          counts: dict[tuple[str, str, str], int], present: list[str], cooperative: set[str],
          unit: float) -> str:
    name = direction_label(dyad, band)
    parts = [f'<g class="dy-band" data-direction="{band}">',
             _text(_short(name), LEFT, middle - BAND / 2 + 16, "start", 13, "#1d2430", 600),
             f'<line x1="{LEFT}" y1="{middle}" x2="{WIDTH - RIGHT}" y2="{middle}" '
             f'stroke="#5a6472" stroke-width="1.5"/>']
    width = max(min(step * 0.6, MAX_BAR), 4)
    for k, period in enumerate(columns):
        x = LEFT + k * step + (step - width) / 2
        up = down = 0.0
        above = below = 0  # the stacks' counts
        for notation in present:
            count = counts.get((band, period, notation), 0)
            if not count:
                continue
            high = count * unit
            if notation in cooperative:
                y = middle - up - high
                up += high
                above += count
            else:
                y = middle + down
                down += high
                below += count
            what = f"{count} × {notation}, {name}, {period}"
            parts.append(f'<g class="dy-bar" data-direction="{band}" data-period="{period}" '
                         f'data-type="{escape(notation)}" data-count="{count}">'
                         f'<title>{escape(what)}</title>'
                         f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                         f'height="{high:.1f}" fill="{colour(notation)}" stroke="#fff" '
                         f'stroke-width="1"/></g>')
        centre = x + width / 2  # each stack's total at its end
        if above:
            parts.append(_text(str(above), centre, middle - up - 4, "middle", 11,
                               "#5a6472"))
        if below:
            parts.append(_text(str(below), centre, middle + down + 12, "middle",
                               11, "#5a6472"))
    parts.append("</g>")
    return "".join(parts)


def _axis(columns: list[str], step: float, top: float) -> str:
    parts = ['<g class="dy-axis">']
    every = math.ceil(LABEL_ROOM / step)  # many columns: label every n-th, so none overlap
    for k, period in enumerate(columns):
        centre = LEFT + k * step + step / 2
        if k % every == 0:
            parts.append(_text(period, centre, top + 16, "middle", 11, "#1d2430"))
        if k and not _adjacent(columns[k - 1], period):
            gap = LEFT + k * step  # a break: time passes here that has no column
            parts.append(f'<path d="M{gap - 3:.1f},{top - 4} l6,-8 M{gap - 3:.1f},{top + 4} '
                         f'l6,-8" stroke="#5a6472" stroke-width="1.5" fill="none"/>')
    parts.append("</g>")
    return "".join(parts)


def _legend(present: list[str], types: Sequence[PloverType], top: float) -> str:
    labels = {t.notation: t for t in types}
    parts = ['<g class="dy-legend">']
    for i, notation in enumerate(present):
        x = LEFT + (i % 4) * 170
        y = top + (i // 4) * LEGEND_ROW
        kind = labels.get(notation)
        side = "" if kind is None else (" (coop.)" if kind.cooperative else " (conflict)")
        parts.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{colour(notation)}"/>'
                     + _text(notation + side, x + 20, y + 12, "start", 12, "#1d2430"))
    parts.append("</g>")
    return "".join(parts)


def _adjacent(earlier: str, later: str) -> bool:
    """Whether no month passes between two columns (a year column runs into its January)."""
    y1, m1, _, _ = date_key(earlier)
    y2, m2, _, _ = date_key(later)
    if not m1:  # a year: its own months follow it, then the next year or its January
        return y2 == y1 or (y2 == y1 + 1 and m2 in (0, 1))
    if not m2:
        return y2 == y1 + 1 and m1 == 12
    return (y2 * 12 + m2) - (y1 * 12 + m1) <= 1


def _text(text: str, x: float, y: float, anchor: str, size: int, fill: str,
          weight: int = 400) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'font-weight="{weight}" fill="{fill}">{escape(text)}</text>')


def _short(label: str, most: int = 90) -> str:
    return label if len(label) <= most else label[:most - 1] + "…"
