"""Inline SVG charts for the snapshot report (``publish/report.py``): bars and a world map.

Drawn here, as text, rather than by a plotting library: the report must open offline with no script
and no fetched file, every figure must carry its exact number (``data-value``, a ``<title>`` the
browser shows on hover), and the same snapshot must give the same page byte for byte.
The map's country outlines are ``assets/world-110m.json`` (Natural Earth via world-atlas, derived
by ``scripts/make_world_map.py``), in the plate carree projection: x = longitude + 180,
y = 90 - latitude; the map stops at 60 degrees south (no event is reported from Antarctica).
"""

from __future__ import annotations

import functools
import html
import json
from dataclasses import dataclass
from pathlib import Path

WORLD_FILE = Path(__file__).resolve().parent / "assets" / "world-110m.json"
MAP_HEIGHT = 150  # 90 N to 60 S
SHADES = ("#fde0c5", "#f9b183", "#ef7a4b", "#c8412d")  # few to many events, light to dark
BAR_COLOUR = "#3b6ea8"


@dataclass(frozen=True)
class Point:
    """One event on the map; its coordinates as published (rounded in the public variant)."""

    event_id: str
    latitude: float
    longitude: float
    label: str


def _text(value: object) -> str:
    return html.escape(str(value), quote=True)


def bar_chart(rows: list[tuple[str, int]], *, chart_id: str, caption: str, unit: str, empty: str = "") -> str:
    """Horizontal bars, one per (label, count), in the given order; the count is printed at each bar.
    No rows: the ``empty`` sentence instead."""
    if not rows:
        return f'<p class="empty" id="{chart_id}">{_text(empty or "Nothing to show.")}</p>'
    label_width, bar_width, row_height = 220, 380, 20
    top = max(count for _, count in rows) or 1
    height = row_height * len(rows) + 4
    parts = [
        f'<figure><svg id="{chart_id}" class="chart" role="img" viewBox="0 0 {label_width + bar_width + 60} {height}" '
        f'width="{label_width + bar_width + 60}" height="{height}" aria-label="{_text(caption)}">'
    ]
    for index, (label, count) in enumerate(rows):
        y = index * row_height + 2
        width = max(bar_width * count / top, 1 if count else 0)
        shown = label if len(label) <= 32 else label[:31] + "…"
        parts.append(
            f'<g class="bar" data-label="{_text(label)}" data-value="{count}"><title>{_text(label)}: {count} {unit}'
            f'</title><text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{_text(shown)}</text>'
            f'<rect x="{label_width}" y="{y + 2}" width="{width:.1f}" height="{row_height - 5}" fill="{BAR_COLOUR}"/>'
            f'<text x="{label_width + width + 4:.1f}" y="{y + 14}">{count}</text></g>'
        )
    parts.append(f"</svg><figcaption>{_text(caption)}</figcaption></figure>")
    return "".join(parts)


@functools.cache
def _world() -> dict:
    return json.loads(WORLD_FILE.read_text(encoding="utf-8"))


def _shade(count: int, top: int) -> str:
    """Four classes on a log scale: a country with one event stays visible beside one with hundreds."""
    if top <= 1:
        return SHADES[-1]
    step = min(int(len(SHADES) * (count.bit_length() - 1) / top.bit_length()), len(SHADES) - 1)
    return SHADES[step]


def extent(country_codes: list[str], points: list[Point]) -> tuple[float, float, float, float]:
    """The map's window (x, y, width, height): the countries with events and the dots, with a margin,
    at least 40 x 20 degrees and 2:1; the world when there is nothing to show."""
    boxes = [_world()["boxes"][code] for code in country_codes if code in _world()["boxes"]]
    boxes += [[p.longitude + 180, 90 - p.latitude] * 2 for p in points]
    if not boxes:
        return 0.0, 0.0, 360.0, float(MAP_HEIGHT)
    left, top = min(box[0] for box in boxes), min(box[1] for box in boxes)
    right, bottom = max(box[2] for box in boxes), max(box[3] for box in boxes)
    width = max(right - left, 2 * (bottom - top), 40.0) * 1.2
    height = width / 2
    x = min(max((left + right - width) / 2, 0.0), max(360.0 - width, 0.0))
    y = min(max((top + bottom - height) / 2, 0.0), max(MAP_HEIGHT - height, 0.0))
    return round(x, 1), round(y, 1), round(min(width, 360.0), 1), round(min(height, MAP_HEIGHT), 1)


def world_map(country_events: dict[str, int], names: dict[str, str], points: list[Point], *, caption: str) -> str:
    """Countries shaded by their number of events, one dot per event with coordinates, zoomed to them."""
    world = _world()
    top = max(country_events.values(), default=0)
    x, y, width, height = extent(sorted(country_events), points)
    radius = round(width / 250, 3)
    parts = [
        f'<figure><svg id="map" class="map" role="img" viewBox="{x} {y} {width} {height}" width="960" '
        f'height="{round(960 * height / width)}" aria-label="{_text(caption)}">',
        f'<rect width="360" height="{MAP_HEIGHT}" fill="#eef4f8"/>',
        f'<path class="land" d="{world["other_land"]}" fill="#e4e4e4"/>',
    ]
    for code, path in world["countries"].items():
        count = country_events.get(code, 0)
        name = names.get(code, code)
        fill = _shade(count, top) if count else "#e4e4e4"
        parts.append(
            f'<path class="country" data-country="{code}" data-value="{count}" d="{path}" fill="{fill}" '
            f'stroke="#fff" stroke-width="{radius / 5}"><title>{_text(name)}: {count} events</title></path>'
        )
    for point in points:
        parts.append(
            f'<circle class="event" data-event-id="{_text(point.event_id)}" cx="{point.longitude + 180:.3f}" '
            f'cy="{90 - point.latitude:.3f}" r="{radius}" '
            f'fill="#111" fill-opacity="0.7"><title>{_text(point.label)}</title></circle>'
        )
    parts.append(f"</svg><figcaption>{_text(caption)}</figcaption></figure>")
    return "".join(parts)


def mapped_countries() -> set[str]:
    """The country codes the map can shade."""
    return set(_world()["countries"])
