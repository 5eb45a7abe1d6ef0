"""The report's drawing rules (publish/charts.py); the whole report is rendered in a browser by
tests/test_e2e.py."""

from __future__ import annotations

import csv
from pathlib import Path

from publish import charts

REPO = Path(__file__).resolve().parent.parent


def test_shading_is_monotonic_and_keeps_a_single_event_visible():
    shades = [charts._shade(count, 300) for count in (1, 2, 5, 20, 80, 300)]
    assert shades[0] == charts.SHADES[0] and shades[-1] == charts.SHADES[-1]
    assert [charts.SHADES.index(shade) for shade in shades] == sorted(charts.SHADES.index(s) for s in shades)
    assert charts._shade(1, 1) == charts.SHADES[-1]  # one country, one event: shown as the most


def test_the_map_zooms_to_the_countries_and_dots_it_shows():
    assert charts.extent([], []) == (0.0, 0.0, 360.0, float(charts.MAP_HEIGHT))
    x, y, width, height = charts.extent(["KG"], [charts.Point("e", 42.87, 74.59, "Bishkek")])
    left, top, right, bottom = charts._world()["boxes"]["KG"]
    assert x <= left and y <= top and x + width >= right and y + height >= bottom
    assert width == 2 * height and width >= 40
    x, _, width, _ = charts.extent(["US", "RU"], [])
    assert (x, width) == (0.0, 360.0)  # a window wider than the world is the world


def test_every_country_of_the_map_is_a_warehouse_country_code():
    with (REPO / "dbt_project" / "seeds" / "countries.csv").open(encoding="utf-8") as handle:
        codes = {row["country_code"] for row in csv.DictReader(handle)}
    mapped = charts.mapped_countries()
    assert len(mapped) > 170 and mapped <= codes
    assert {"KG", "TJ", "KZ", "UZ", "TM", "AF", "IQ"} <= mapped  # every country of the demo


def test_labels_are_text_never_markup():
    page = charts.bar_chart([('<script>alert("x")</script>', 3)], chart_id="c", caption="<b>", unit="events")
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>" not in page
    drawn = charts.world_map({"KG": 1}, {"KG": "<i>Kyrgyzstan</i>"}, [], caption="c")
    assert "<i>" not in drawn and 'data-country="KG" data-value="1"' in drawn
