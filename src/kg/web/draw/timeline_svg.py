"""The timeline picture: a year axis, one marker per event, labels stacked in lanes above it.

Plain SVG drawn on the server, so the page needs no script and scales with its viewBox. The
picture is a group with a title (not an image, which may not hold links): each marker is a link
named by its <title>, reachable by keyboard; the list under it says the same in text.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from html import escape

from kg.views.timeline import Event, date_key

WIDTH = 880
MARGIN = 24
LANE = 40                   # height of one lane of labels
TITLE_SIZE, NOTE_SIZE = 14, 12
CHAR = 0.56                 # average glyph width in em, for sizing labels without a font
GAP = 14                    # least room between two labels in one lane
MAX_LABEL = 38
# One colour per type, by type label: a new source's types need no entry here.
PALETTE = ("#0b5cad", "#c05621", "#2f855a", "#b83280", "#6b46c1", "#b7791f", "#2c7a7b",
           "#718096")


def draw(events: Sequence[Event], href: Callable[[str], str], title_id: str = "tl-title") -> str:
    """The SVG markup (escaped) of the events, or "" when there are none."""
    if not events:
        return ""
    first = min(e.year for e in events)
    last = max(_end_year(e) for e in events)
    span = last + 1 - first

    def x(year: float) -> float:
        return MARGIN + (year - first) / span * (WIDTH - 2 * MARGIN)

    spots = _spots(events, x)
    placed = _lanes([(at, _label_width(e)) for e, at in zip(events, spots, strict=True)])
    lanes = max(lane for lane, _ in placed) + 1
    axis = 20 + lanes * LANE + 12
    height = axis + 44
    colours = _colours(events)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
             f'role="group" aria-labelledby="{title_id}" class="timeline" '
             f'font-family="system-ui, sans-serif">',
             f'<title id="{title_id}">Timeline of {len(events)} dated events, '
             f'{first} to {last}</title>',
             _axis(first, last, x, axis)]
    bands = sorted({band for e in events if (band := _extent(e, x)) and not e.end})
    parts += [f'<rect x="{a:.1f}" y="{axis - 5}" width="{b - a:.1f}" height="10" rx="5" '
              f'fill="#8a94a3" fill-opacity="0.3"/>' for a, b in bands]
    for event, at, (lane, anchor) in zip(events, spots, placed, strict=True):
        parts.append(_marker(event, at, x, axis, lane, anchor, colours[event.type_label], href))
    parts.append("</svg>")
    return "".join(parts)


def _axis(first: int, last: int, x: Callable[[float], float], y: float) -> str:
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
                if (x(first + s) - x(first)) >= 48)
    parts = [f'<line x1="{MARGIN}" y1="{y}" x2="{WIDTH - MARGIN}" y2="{y}" stroke="#5a6472" '
             f'stroke-width="2"/>']
    for year in range(first, last + 2):
        if (x(year + 1) - x(year)) >= 6 or year % step == 0:
            parts.append(f'<line x1="{x(year):.1f}" y1="{y - 5}" x2="{x(year):.1f}" '
                         f'y2="{y + 5}" stroke="#5a6472"/>')
        if year % step == 0 and year <= last:
            centre = x(year + 0.5) if step == 1 else x(year)
            parts.append(f'<text x="{centre:.1f}" y="{y + 26}" text-anchor="middle" '
                         f'font-size="{NOTE_SIZE + 1}" fill="#1d2430">{year}</text>')
    return f'<g class="tl-axis">{"".join(parts)}</g>'


def _marker(event: Event, at: float, x: Callable[[float], float], axis: float, lane: int,
            anchor: str, colour: str, href: Callable[[str], str]) -> str:
    top = axis - 22 - lane * LANE
    text_x = at + (6 if anchor == "start" else -6)
    when = event.date + (f" to {event.end}" if event.end else "")
    extent = _extent(event, x) if event.end else None
    band = (f'<rect x="{extent[0]:.1f}" y="{axis - 4}" width="{extent[1] - extent[0]:.1f}" '
            f'height="8" rx="4" fill="{colour}" fill-opacity="0.5"/>') if extent else ""
    return (f'<a href="{escape(href(event.iri))}" class="tl-event">'
            f'<title>{escape(f"{event.label} ({event.type_label}, {when})")}</title>{band}'
            f'<line x1="{at:.1f}" y1="{axis}" x2="{at:.1f}" y2="{top + 6}" stroke="{colour}" '
            f'stroke-width="1.5"/>'
            f'<circle cx="{at:.1f}" cy="{axis}" r="7" fill="{colour}" stroke="#fff" '
            f'stroke-width="2"/>'
            f'{_text(_short(event.label), text_x, top - 14, anchor, TITLE_SIZE, "#1d2430", 600)}'
            f'{_text(f"{event.type_label} · {when}", text_x, top + 2, anchor, NOTE_SIZE, colour)}'
            f'</a>')


def _spots(events: Sequence[Event], x: Callable[[float], float]) -> list[float]:
    """Each marker's x. Events with the same date share its spot: a year or a month is a
    stretch, so they spread over its middle; on one day they stand a marker's width apart."""
    same: dict[str, list[int]] = {}
    for i, event in enumerate(events):
        same.setdefault(event.date, []).append(i)
    spots = [0.0] * len(events)
    for value, members in same.items():
        centre = x(_position(value))
        extent = _extent(events[members[0]], x) if not events[members[0]].end else None
        width = (extent[1] - extent[0]) * 0.6 if extent else 16.0 * (len(members) - 1)
        for k, i in enumerate(members):
            spots[i] = centre + (width * (k / (len(members) - 1) - 0.5) if len(members) > 1
                                 else 0.0)
    return spots


def _text(text: str, x: float, y: float, anchor: str, size: int, fill: str,
          weight: int = 400) -> str:
    # A white halo keeps leader lines of higher lanes from crossing the words.
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'font-weight="{weight}" fill="{fill}" stroke="#fff" stroke-width="4" '
            f'paint-order="stroke">{escape(text)}</text>')


def _lanes(boxes: list[tuple[float, float]]) -> list[tuple[int, str]]:
    """(lane, anchor) per label: the lowest lane where it overlaps no other label.

    A label runs right from its marker, or left when it would leave the picture.
    """
    taken: list[list[tuple[float, float]]] = []
    out = []
    for at, width in boxes:
        anchor = "start" if at + width <= WIDTH - 4 else "end"
        left, right = (at - 8, at + width) if anchor == "start" else (at - width, at + 8)
        lane = next((i for i, spans in enumerate(taken)
                     if all(right + GAP <= a or left >= b + GAP for a, b in spans)), len(taken))
        if lane == len(taken):
            taken.append([])
        taken[lane].append((left, right))
        out.append((lane, anchor))
    return out


def _label_width(event: Event) -> float:
    when = event.date + (f" to {event.end}" if event.end else "")
    note = f"{event.type_label} · {when}"
    return 8 + max(len(_short(event.label)) * TITLE_SIZE * (CHAR + 0.03),
                   len(note) * NOTE_SIZE * CHAR)


def _short(label: str) -> str:
    if len(label) <= MAX_LABEL:
        return label
    cut = label[:MAX_LABEL - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _colours(events: Sequence[Event]) -> dict[str, str]:
    kinds = sorted({e.type_label for e in events})
    return {kind: PALETTE[i % len(PALETTE)] for i, kind in enumerate(kinds)}


def _position(value: str) -> float:
    """Where a date sits in years: a day on its day, a bare month or year in its middle."""
    year, month, day, _ = date_key(value)
    if not month:
        return year + 0.5
    days = 366 if calendar.isleap(year) else 365
    if not day:
        start = sum(calendar.monthrange(year, m)[1] for m in range(1, month))
        return year + (start + calendar.monthrange(year, month)[1] / 2) / days
    start = sum(calendar.monthrange(year, m)[1] for m in range(1, month))
    return year + (start + day - 0.5) / days


def _end_year(event: Event) -> int:
    return date_key(event.end)[0] if event.end else event.year


def _extent(event: Event, x: Callable[[float], float]) -> tuple[float, float] | None:
    """The stretch of axis the event may cover: its span, or the year or month it names."""
    year, month, day, _ = date_key(event.date)
    if event.end:
        end = date_key(event.end)
        stop = _position(event.end) if end[2] else (end[0] + 1 if not end[1] else
                                                   _position(event.end) + 1 / 24)
        start = _position(event.date) if day else (year if not month else
                                                   _position(event.date) - 1 / 24)
        return x(start), max(x(stop), x(start) + 8)
    if not month:
        return x(year), x(year + 1)
    if not day:
        return x(_position(event.date) - 1 / 24), x(_position(event.date) + 1 / 24)
    return None
