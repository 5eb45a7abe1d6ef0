"""Write ``publish/assets/world-110m.json``: country outlines for the snapshot report's map.

The committed asset is derived once, at development time, so nothing downloads a data set while
installing or running. Its source is Natural Earth 1:110m Admin 0 countries (public domain) as
redistributed by the npm package ``world-atlas`` 2.0.2 (TopoJSON, ISC licence, Michael Bostock).
To regenerate it (needs ``pycountry`` for the ISO numeric -> alpha-2 codes)::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/make_world_map.py package/countries-110m.json

The asset holds one SVG path per country, keyed by ISO 3166 alpha-2 (the warehouse's
``country_code``), in the plate carree projection the report uses: x = longitude + 180,
y = 90 - latitude, rounded to 0.1 degree (the 110m data is coarser than that).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

TARGET = Path(__file__).resolve().parents[1] / "publish" / "assets" / "world-110m.json"
NO_NUMERIC_CODE = {"Kosovo": "XK"}  # Natural Earth gives some places no ISO numeric code


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON's quantized, delta-encoded arcs as lists of (longitude, latitude)."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """One ring: its arcs joined (a negative index ~i is arc i reversed), shared ends once."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def svg_path(polygons: list[list[list[int]]], arcs: list[list[tuple[float, float]]]) -> str:
    """An SVG path of the polygons in the report's projection."""
    parts = []
    for polygon in polygons:
        for ring in polygon:
            coords = [f"{lon + 180:.1f} {90 - lat:.1f}" for lon, lat in ring_points(ring, arcs)]
            deduped = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
            if len(deduped) >= 3:
                parts.append("M" + "L".join(deduped) + "Z")
    return "".join(parts)


def bounding_box(path: str, box: list[float] | None) -> list[float]:
    """[min x, min y, max x, max y] of a path's points, grown from ``box``: the report zooms to them."""
    points = [pair.split(" ") for pair in path.replace("M", "L").replace("Z", "").split("L") if pair]
    xs, ys = [float(x) for x, _ in points], [float(y) for _, y in points]
    if box:
        xs, ys = xs + box[0::2], ys + box[1::2]
    return [min(xs), min(ys), max(xs), max(ys)]


def alpha2(geometry: dict) -> str | None:
    name = geometry.get("properties", {}).get("name", "")
    country = pycountry.countries.get(numeric=geometry["id"]) if geometry.get("id") else None
    return country.alpha_2 if country else NO_NUMERIC_CODE.get(name)


def main(source: Path) -> None:
    topology = json.loads(source.read_text())
    arcs = decode_arcs(topology)
    countries: dict[str, str] = {}
    boxes: dict[str, list[float]] = {}
    unnamed: list[str] = []
    other_land = ""  # drawn, never shaded: land without an ISO code (N. Cyprus, Somaliland)
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = {"Polygon": [geometry.get("arcs", [])], "MultiPolygon": geometry.get("arcs", [])}
        if geometry.get("type") not in polygons:
            continue
        path = svg_path(polygons[geometry["type"]], arcs)
        code = alpha2(geometry)
        if code is None:
            unnamed.append(geometry.get("properties", {}).get("name", "?"))
            other_land += path
        else:
            countries[code] = countries.get(code, "") + path
            boxes[code] = bounding_box(path, boxes.get(code))
    document = {
        "about": "Natural Earth 1:110m countries (public domain) via world-atlas 2.0.2 (ISC, Michael Bostock); "
        "x = longitude + 180, y = 90 - latitude; scripts/make_world_map.py",
        "countries": dict(sorted(countries.items())),
        "boxes": dict(sorted(boxes.items())),
        "other_land": other_land,
        "other_land_names": sorted(unnamed),
    }
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(json.dumps(document, separators=(",", ":")) + "\n")
    print(f"{TARGET}: {len(countries)} countries, {TARGET.stat().st_size} bytes; without a code: {unnamed}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
