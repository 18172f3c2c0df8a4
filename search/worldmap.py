"""The world map of the search page: country shapes shaded by the country facet.

Plain functions, no Django models:

- ``decode_arcs`` / ``ring_points`` / ``country_shapes``: TopoJSON (quantized,
  delta-encoded arcs) to longitude/latitude rings, grouped by ISO alpha-2 code;
- ``project``: Natural Earth I projection to the map's SVG coordinates;
- ``country_paths``: the projected SVG path of every country, computed once
  per process from the vendored Natural Earth 110 m data (search/data/world/);
- ``shade_ranges`` / ``shade_class``: a few classes of a sequential palette
  for the counts, with the ranges the legend shows;
- ``world_map``: what templates/partials/world_map.html draws for given counts,
  with ``svg_shapes``: its shapes as SVG markup, built here rather than in a
  template loop (174 shapes: a template loop doubled the page's time);
  ``search_map``: the same for a search's result (facet counts, Arabic names,
  links that add ``country=XX`` to the search, keeping its other parameters).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.formatting import count_noun

DATA_DIR = Path(__file__).resolve().parent / "data" / "world"
ATLAS_FILE = DATA_DIR / "countries-110m.json"
ISO_FILE = DATA_DIR / "iso_numeric.json"
WIDTH = 1000
SHADE_CLASSES = 5
LEFT_OUT = frozenset({"AQ"})  # Antarctica: large, empty of news, squeezes the rest
TOP_LAT, BOTTOM_LAT = 84.0, -57.0


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc of a TopoJSON topology as absolute (longitude, latitude) points."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """One ring of arc indices (``~i`` is arc ``i`` reversed) as a list of points;
    consecutive arcs share their joining point, which is kept once."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def country_shapes(topology: dict, numeric: dict, by_name: dict, object_name: str = "countries") -> dict:
    """{alpha-2: [ring, …]} of a topology's polygons and multipolygons;
    shapes whose id (or, without an id, name) is not mapped are left out."""
    arcs = decode_arcs(topology)
    shapes: dict[str, list] = {}
    for geometry in topology["objects"][object_name]["geometries"]:
        code = numeric.get(geometry.get("id")) or by_name.get(geometry.get("properties", {}).get("name"))
        if not code:
            continue
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = shapes.setdefault(code, [])
        for polygon in polygons:
            rings.extend(ring_points(ring, arcs) for ring in polygon)
    return shapes


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """Natural Earth I projection (Šavrič et al. 2011) in radians-based units."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


_X_MAX = natural_earth(180.0, 0.0)[0]
_Y_TOP = natural_earth(0.0, TOP_LAT)[1]
_Y_BOTTOM = natural_earth(0.0, BOTTOM_LAT)[1]
SCALE = WIDTH / (2 * _X_MAX)
HEIGHT = round((_Y_TOP - _Y_BOTTOM) * SCALE)


def project(lon: float, lat: float) -> tuple[float, float]:
    """(lon, lat) → SVG (x, y): x from 0 (180° W) to WIDTH, y down from TOP_LAT."""
    x, y = natural_earth(lon, lat)
    return (x + _X_MAX) * SCALE, (_Y_TOP - y) * SCALE


def unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring that crosses the antimeridian (Russia's Chukotka, Fiji) made
    continuous, shifted so that most of it lies within ±180°, and clamped there
    (the few points beyond 180° are drawn on the map's edge)."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in zip(ring, ring[1:], strict=False)):
        return ring
    out = []
    offset = 0.0
    previous = ring[0][0]
    for lon, lat in ring:
        if lon + offset - previous > 180:
            offset -= 360
        elif lon + offset - previous < -180:
            offset += 360
        previous = lon + offset
        out.append((previous, lat))
    mean = sum(lon for lon, _lat in out) / len(out)
    shift = -360 if mean > 180 else 360 if mean < -180 else 0
    return [(min(max(lon + shift, -180.0), 180.0), lat) for lon, lat in out]


def ring_path(ring: list[tuple[float, float]]) -> str:
    """One closed SVG subpath in whole pixels of the 1000-wide view box (the
    simplification: points that round onto the previous one are dropped)."""
    out = []
    last = None
    for lon, lat in unwrap(ring):
        x, y = project(lon, lat)
        point = (round(x), round(y))
        if point != last:
            out.append(f"{point[0]} {point[1]}")
            last = point
    if len(out) < 3:
        return ""
    return "M" + out[0] + "L" + " ".join(out[1:]) + "Z"


@lru_cache(maxsize=1)
def country_paths() -> dict[str, str]:
    """{alpha-2: SVG path} of every country with a shape (computed once)."""
    topology = json.loads(ATLAS_FILE.read_text(encoding="utf-8"))
    iso = json.loads(ISO_FILE.read_text(encoding="utf-8"))
    shapes = country_shapes(topology, iso["numeric"], iso["by_name"])
    paths = {}
    for code, rings in shapes.items():
        if code in LEFT_OUT:
            continue
        path = "".join(ring_path(ring) for ring in rings)
        if path:
            paths[code] = path
    return dict(sorted(paths.items()))


def shade_ranges(top: int, classes: int = SHADE_CLASSES) -> list[tuple[int, int]]:
    """Count ranges (low, high) of the shaded classes, geometric up to ``top``
    (one range per value when ``top`` is small); [] when nothing has a count."""
    if top <= 0:
        return []
    if top <= classes:
        return [(n, n) for n in range(1, top + 1)]
    ranges = []
    low = 1
    for k in range(1, classes + 1):
        high = top if k == classes else max(round(top ** (k / classes)), low)
        if high >= low:
            ranges.append((low, high))
            low = high + 1
    return ranges


def shade_class(count: int, ranges: list[tuple[int, int]]) -> int:
    """0 for no articles, else 1 + the index of the range holding ``count``."""
    if count <= 0:
        return 0
    for index, (low, high) in enumerate(ranges):
        if low <= count <= high:
            return index + 1
    return len(ranges)


@dataclass(slots=True)
class MapCountry:
    code: str
    name: str
    count: int
    shade: int
    path: str
    url: str | None  # None: no link (no articles, or not in the gazetteer)
    title: str


@dataclass(frozen=True)
class WorldMap:
    countries: list[MapCountry]
    legend: list[dict]
    width: int
    height: int
    shown: int  # countries with articles that have a shape

    @property
    def svg_shapes(self) -> SafeString:
        return svg_shapes(self.countries)


def svg_shapes(countries: list[MapCountry]) -> SafeString:
    """The shapes: a country with articles and a link is ``<a>`` (its title,
    then its path); the others are a neutral path with its title, if any.
    Titles and URLs are escaped; paths are digits and letters only."""
    parts = []
    for c in countries:
        if c.url and c.count:
            parts.append(
                f'<a href="{escape(c.url)}" class="world-map__link" rel="nofollow"><title>{escape(c.title)}</title>'
                f'<path class="map-shade-{c.shade}" data-country="{c.code}" d="{c.path}"/></a>'
            )
        else:
            parts.append(_plain_shape(c.code, c.title))
    return mark_safe("\n".join(parts))  # noqa: S308 - every variable part is escaped


@lru_cache(maxsize=1024)
def _plain_shape(code: str, title: str) -> str:
    """A neutral shape's markup: the same on every page (its title says «لا مقالات»)."""
    title = f"<title>{escape(title)}</title>" if title else ""
    return f'<path class="map-shade-0" data-country="{code}" d="{country_paths()[code]}">{title}</path>'


def world_map(counts: dict[str, int], names: dict[str, str], url_for, count_text) -> WorldMap:
    """The map for one search: ``counts`` {code: articles}, ``names`` {code:
    Arabic name} (countries without a name get no link), ``url_for(code)`` the
    link that adds the country, ``count_text(n)`` the Arabic count («١٢ مقالاً»)."""
    ranges = shade_ranges(max(counts.values(), default=0))
    none = count_text(0)
    countries = []
    for code, path in country_paths().items():
        count = counts.get(code, 0)
        name = names.get(code)
        countries.append(MapCountry(
            code=code, name=name or code, count=count, shade=shade_class(count, ranges), path=path,
            url=url_for(code) if name and count else None,
            title=f"{name}: {count_text(count) if count else none}" if name else "",
        ))
    legend = [{"shade": 0, "low": 0, "high": 0}] + [
        {"shade": i + 1, "low": low, "high": high} for i, (low, high) in enumerate(ranges)
    ]
    shown = sum(1 for c in countries if c.count)
    return WorldMap(countries=countries, legend=legend, width=WIDTH, height=HEIGHT, shown=shown)


def search_map(params, result) -> WorldMap:
    """The map for a search page: ``params`` (service.SearchParams) and its
    ``result`` (service.SearchResult, with facets)."""
    from search.labels import labels  # the label tables need the app registry

    counts = {f.value: f.count for f in result.facets.get("country", [])}
    current = list(params.countries)

    def url_for(code):
        chosen = current if code in current else current + [code]
        return "?" + urlencode(params.to_pairs(page="", country=chosen))

    return world_map(counts, labels().countries, url_for, lambda n: count_noun(n, "article"))
