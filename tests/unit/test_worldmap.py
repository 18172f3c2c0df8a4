"""search/worldmap.py: TopoJSON decoding, projection, shading, and the vendored shapes."""
import json
import re
from pathlib import Path

import pytest

from search import worldmap

ROOT = Path(__file__).resolve().parents[2]

# Two squares sharing an edge: arc 0 is the shared edge (0,0)→(0,1) in quantized
# deltas; arc 1 closes square A to its west, arc 2 square B to its east.
TINY = {
    "type": "Topology",
    "transform": {"scale": [10.0, 5.0], "translate": [-20.0, -10.0]},
    "arcs": [
        [[2, 2], [0, 1]],
        [[2, 3], [-1, 0], [0, -1], [1, 0]],
        [[2, 2], [1, 0], [0, 1], [-1, 0]],
    ],
    "objects": {"countries": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "id": "001", "arcs": [[0, 1]]},
        {"type": "MultiPolygon", "id": "002", "arcs": [[[2, ~0]]]},
        {"type": "Polygon", "properties": {"name": "Nameless"}, "arcs": [[0, 1]]},
        {"type": "Polygon", "id": "999", "arcs": [[0, 1]]},
    ]}},
}


def test_decode_arcs_undoes_deltas_and_quantization():
    arcs = worldmap.decode_arcs(TINY)
    assert arcs[0] == [(0.0, 0.0), (0.0, 5.0)]
    assert arcs[1] == [(0.0, 5.0), (-10.0, 5.0), (-10.0, 0.0), (0.0, 0.0)]
    assert arcs[2] == [(0.0, 0.0), (10.0, 0.0), (10.0, 5.0), (0.0, 5.0)]


def test_decode_arcs_without_transform_keeps_coordinates():
    assert worldmap.decode_arcs({"arcs": [[[1, 2], [3, 4]]]}) == [[(1.0, 2.0), (3.0, 4.0)]]


def test_ring_joins_arcs_once_and_reverses_negative_indices():
    arcs = worldmap.decode_arcs(TINY)
    assert worldmap.ring_points([0, 1], arcs) == [(0.0, 0.0), (0.0, 5.0), (-10.0, 5.0), (-10.0, 0.0), (0.0, 0.0)]
    assert worldmap.ring_points([2, ~0], arcs) == [(0.0, 0.0), (10.0, 0.0), (10.0, 5.0), (0.0, 5.0), (0.0, 0.0)]


def test_country_shapes_by_numeric_id_and_by_name():
    shapes = worldmap.country_shapes(TINY, {"001": "AA", "002": "BB"}, {"Nameless": "AA"})
    assert sorted(shapes) == ["AA", "BB"]
    assert len(shapes["AA"]) == 2  # its own ring plus the nameless shape drawn with it
    assert len(shapes["BB"]) == 1  # id 999 is not mapped: left out


def test_projection_centre_edges_and_orientation():
    cx, cy = worldmap.project(0.0, 0.0)
    assert cx == pytest.approx(worldmap.WIDTH / 2)
    assert worldmap.project(-180.0, 0.0)[0] == pytest.approx(0.0)
    assert worldmap.project(180.0, 0.0)[0] == pytest.approx(worldmap.WIDTH)
    assert worldmap.project(0.0, worldmap.TOP_LAT)[1] == pytest.approx(0.0)
    assert worldmap.project(0.0, worldmap.BOTTOM_LAT)[1] == pytest.approx(worldmap.HEIGHT, abs=0.5)
    # north is up, east is right; meridians converge towards the poles (not equirectangular)
    assert worldmap.project(0.0, 50.0)[1] < cy < worldmap.project(0.0, -30.0)[1]
    assert worldmap.project(30.0, 0.0)[0] > cx
    assert worldmap.project(150.0, 60.0)[0] < worldmap.project(150.0, 0.0)[0]


def test_ring_path_rounds_and_drops_repeated_points():
    ring = [(0.0, 0.0), (0.0001, 0.0001), (20.0, 0.0), (20.0, 20.0), (0.0, 0.0)]
    path = worldmap.ring_path(ring)
    assert path.startswith("M") and path.endswith("Z")
    assert len(re.findall(r"-?\d+ -?\d+", path)) == 4
    assert worldmap.ring_path([(0.0, 0.0), (0.0001, 0.0)]) == ""


@pytest.mark.parametrize("top, expected", [
    (0, []),
    (1, [(1, 1)]),
    (3, [(1, 1), (2, 2), (3, 3)]),
    (1000, [(1, 4), (5, 16), (17, 63), (64, 251), (252, 1000)]),
])
def test_shade_ranges(top, expected):
    assert worldmap.shade_ranges(top) == expected


def test_shade_ranges_cover_every_count_without_gaps():
    for top in (6, 7, 12, 37, 250, 69765):
        ranges = worldmap.shade_ranges(top)
        assert ranges[0][0] == 1 and ranges[-1][1] == top
        assert len(ranges) <= worldmap.SHADE_CLASSES
        assert all(low <= high for low, high in ranges)
        assert all(a[1] + 1 == b[0] for a, b in zip(ranges, ranges[1:], strict=False))


def test_shade_class():
    ranges = worldmap.shade_ranges(1000)
    assert worldmap.shade_class(0, ranges) == 0
    assert worldmap.shade_class(1, ranges) == 1
    assert worldmap.shade_class(16, ranges) == 2
    assert worldmap.shade_class(17, ranges) == 3
    assert worldmap.shade_class(1000, ranges) == 5


def test_world_map_links_titles_and_legend():
    result = worldmap.world_map(
        {"RU": 12, "FR": 1}, {"RU": "روسيا", "FR": "فرنسا", "DE": "ألمانيا"},
        lambda code: f"?country={code}", lambda n: f"{n} مقالاً",
    )
    by_code = {c.code: c for c in result.countries}
    assert by_code["RU"].url == "?country=RU" and by_code["RU"].title == "روسيا: 12 مقالاً"
    assert by_code["RU"].shade == 5 and by_code["FR"].shade == 1 and by_code["DE"].shade == 0
    assert by_code["DE"].url is None and by_code["DE"].title == "ألمانيا: 0 مقالاً"  # no articles: no link
    assert by_code["GL"].url is None and by_code["GL"].title == ""  # Greenland: not in the names
    assert "AQ" not in by_code
    assert result.shown == 2
    assert result.legend[0] == {"shade": 0, "low": 0, "high": 0}
    assert result.legend[-1]["high"] == 12


def test_vendored_shapes_cover_the_gazetteer():
    """Every gazetteer country that Natural Earth 110 m draws has a path."""
    gazetteer = {c["code"] for c in json.loads((ROOT / "archive/data/countries.json").read_text())}
    iso = json.loads(worldmap.ISO_FILE.read_text())
    drawn = (set(iso["numeric"].values()) | set(iso["by_name"].values())) - worldmap.LEFT_OUT
    paths = worldmap.country_paths()
    assert set(paths) == drawn
    assert len(gazetteer & drawn) >= 160
    for code in gazetteer & drawn:
        assert re.fullmatch(r"(M-?\d+ -?\d+L[-\d ]+Z)+", paths[code]), code
    assert worldmap.country_paths() is paths  # computed once per process


def test_unwrap_keeps_a_ring_across_the_antimeridian_on_one_side():
    ring = [(170.0, 60.0), (179.0, 61.0), (-178.0, 62.0), (-179.0, 65.0), (175.0, 64.0), (170.0, 60.0)]
    lons = [lon for lon, _lat in worldmap.unwrap(ring)]
    assert lons == [170.0, 179.0, 180.0, 180.0, 175.0, 170.0]
    west = [(-170.0, 0.0), (-179.0, 1.0), (178.0, 1.0), (-170.0, 0.0)]
    assert [lon for lon, _lat in worldmap.unwrap(west)] == [-170.0, -179.0, -180.0, -170.0]
    plain = [(10.0, 0.0), (20.0, 0.0), (20.0, 10.0)]
    assert worldmap.unwrap(plain) is plain


def test_no_drawn_ring_spans_the_map():
    """A ring crossing the antimeridian would draw a line across the world."""
    for code, path in worldmap.country_paths().items():
        for ring in path.split("Z")[:-1]:
            xs = [int(x) for x in re.findall(r"(-?\d+) -?\d+", ring)]
            assert max(xs) - min(xs) < worldmap.WIDTH * 0.6, code
