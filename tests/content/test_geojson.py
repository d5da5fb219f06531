"""read_layer: GeoJSON map layers into projected polygons and lines, and their mistakes."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

from kiosk.content import geojson
from kiosk.content.data import Bounds
from kiosk.content.geojson import MAX_GEOJSON_BYTES, LayerGeometry, read_layer
from kiosk.content.problems import ProblemList
from kiosk.content.projection import Projection

BOUNDS = Bounds(west=30.2, south=59.9, east=30.4, north=60.0)
PROJECTION = Projection(BOUNDS)
FILE = "map/layer.geojson"
SQUARE = [[30.30, 59.95], [30.32, 59.95], [30.32, 59.96], [30.30, 59.96], [30.30, 59.95]]
HOLE = [[30.305, 59.952], [30.31, 59.952], [30.31, 59.955], [30.305, 59.952]]
LINE = [[30.25, 59.93], [30.35, 59.93]]


def feature(geometry: dict[str, Any] | None) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"name": "x"}, "geometry": geometry}


def collection(*geometries: dict[str, Any] | None) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [feature(g) for g in geometries]}


def read(
    tmp_path: Path, content: str | bytes | dict[str, Any]
) -> tuple[LayerGeometry | None, list[str]]:
    path = tmp_path / "layer.geojson"
    if isinstance(content, dict):
        content = json.dumps(content)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    problems = ProblemList()
    layer = read_layer(path, FILE, "water", PROJECTION, problems)
    return layer, [str(p) for p in problems]


def projected(ring: list[list[float]]) -> tuple[tuple[float, float], ...]:
    return tuple(PROJECTION.project(lat, lon) for lon, lat in ring)


def test_polygon_with_a_hole(tmp_path: Path) -> None:
    layer, problems = read(tmp_path, collection({"type": "Polygon", "coordinates": [SQUARE, HOLE]}))
    assert problems == []
    assert layer == LayerGeometry("water", ((projected(SQUARE), projected(HOLE)),), ())
    assert not layer.is_empty
    # GeoJSON is [longitude, latitude]: the square's first corner is 30.30 E, 59.95 N.
    x, y = layer.polygons[0][0][0]
    assert x == pytest.approx((30.30 - 30.2) / 0.2 * PROJECTION.width)
    assert y == pytest.approx((60.0 - 59.95) / 0.1 * PROJECTION.height)


def test_multipolygon(tmp_path: Path) -> None:
    shifted = [[lon + 0.05, lat] for lon, lat in SQUARE]
    layer, problems = read(
        tmp_path, collection({"type": "MultiPolygon", "coordinates": [[SQUARE, HOLE], [shifted]]})
    )
    assert problems == []
    assert layer is not None
    assert layer.polygons == ((projected(SQUARE), projected(HOLE)), (projected(shifted),))
    assert layer.lines == ()


def test_lines_and_multilines(tmp_path: Path) -> None:
    other = [[30.26, 59.91], [30.27, 59.92], [30.28, 59.91]]
    layer, problems = read(
        tmp_path,
        collection(
            {"type": "LineString", "coordinates": LINE},
            {"type": "MultiLineString", "coordinates": [LINE, other]},
        ),
    )
    assert problems == []
    assert layer is not None
    assert layer.polygons == ()
    assert layer.lines == (projected(LINE), projected(LINE), projected(other))


def test_points_and_empty_geometries_are_ignored(tmp_path: Path) -> None:
    layer, problems = read(
        tmp_path,
        collection(
            {"type": "Point", "coordinates": [30.3, 59.95]},
            {"type": "MultiPoint", "coordinates": [[30.3, 59.95], [30.31, 59.95]]},
            None,
        ),
    )
    assert problems == []
    assert layer == LayerGeometry("water", (), ())
    assert layer.is_empty


def test_geometry_collection(tmp_path: Path) -> None:
    layer, problems = read(
        tmp_path,
        collection(
            {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Point", "coordinates": [30.3, 59.95]},
                    {"type": "LineString", "coordinates": LINE},
                    {"type": "Polygon", "coordinates": [SQUARE]},
                ],
            }
        ),
    )
    assert problems == []
    assert layer == LayerGeometry("water", ((projected(SQUARE),),), (projected(LINE),))


def test_empty_collection(tmp_path: Path) -> None:
    layer, problems = read(tmp_path, {"type": "FeatureCollection", "features": []})
    assert problems == []
    assert layer is not None
    assert layer.is_empty


def test_invalid_json_is_positioned(tmp_path: Path) -> None:
    layer, problems = read(tmp_path, '{\n  "type": "FeatureCollection",\n  "features": [,]\n}\n')
    assert layer is None
    assert problems == [
        f"{FILE}:3:16: error: the map layer is damaged or cut short (not valid JSON: "
        "Expecting value); export it again"
    ]


@pytest.mark.parametrize(
    "content",
    [
        '[{"type": "Feature"}]',
        '{"type": "Feature", "geometry": null}',
        '{"type": "featurecollection", "features": []}',
        '"FeatureCollection"',
    ],
)
def test_not_a_feature_collection(tmp_path: Path, content: str) -> None:
    layer, problems = read(tmp_path, content)
    assert layer is None
    assert problems == [f'{FILE}:1:1: error: a map layer must be a GeoJSON "FeatureCollection"']


def one_feature_a_line(*geometries: Any) -> str:
    """A FeatureCollection written the way GDAL exports it: one feature a line."""
    features = ",\n".join(json.dumps(feature(g)) for g in geometries)
    return '{"type": "FeatureCollection", "features": [\n' + features + "\n]}\n"


def located(text: str, problem: str) -> str:
    """The text from the line and column a problem names."""
    _, line, column = problem.split(":")[:3]
    lines = text.split("\n")
    return "\n".join(lines[int(line) - 1 :])[int(column) - 1 :]


@pytest.mark.parametrize(
    ("geometry", "message", "at"),
    [
        (
            {"type": "LineString", "coordinates": [[30.25, 59.93]]},
            "a line needs at least two positions",
            "[[30.25, 59.93]]",
        ),
        (
            {"type": "LineString", "coordinates": "30.25 59.93"},
            "'coordinates' must be a list",
            '"30.25 59.93"',
        ),
        ({"type": "LineString"}, "'coordinates' must be a list", '{"type": "LineString"}'),
        (
            {"type": "LineString", "coordinates": [[30.25], [30.35]]},
            "a position must be [longitude, latitude]",
            "[30.25], [30.35]",
        ),
        (
            {"type": "LineString", "coordinates": [[30.35, 59.93], ["30.25", "59.93"]]},
            "a position must be [longitude, latitude]",
            '["30.25", "59.93"]',
        ),
        (
            {"type": "LineString", "coordinates": [[True, False], [30.35, 59.93]]},
            "a position must be [longitude, latitude]",
            "[true, false]",
        ),
        (
            {"type": "LineString", "coordinates": [[30.25, None], [30.35, 59.93]]},
            "a position must be [longitude, latitude]",
            "[30.25, null]",
        ),
        (
            {"type": "Polygon", "coordinates": [[[30.3, 59.95], 30.32, 59.95]]},
            "a position must be [longitude, latitude]",
            "30.32, 59.95]]",
        ),
        (
            {
                "type": "MultiPolygon",
                "coordinates": [[SQUARE], [SQUARE, [*HOLE[:2], [30.1, 99.0], HOLE[0]]]],
            },
            "the position [30.1, 99.0] is not longitude and latitude in degrees; "
            "export the layer in WGS 84 (EPSG:4326)",
            "[30.1, 99.0]",
        ),
        (
            # Web Mercator metres instead of degrees: a common export mistake.
            {"type": "LineString", "coordinates": [[3375000.0, 8380000.0], [3376000.0, 8381000.0]]},
            "the position [3375000.0, 8380000.0] is not longitude and latitude in degrees; "
            "export the layer in WGS 84 (EPSG:4326)",
            "[3375000.0, 8380000.0]",
        ),
        (
            {"type": "Circle", "coordinates": [30.3, 59.95]},
            "unknown geometry type 'Circle'",
            '"Circle"',
        ),
        ("Polygon", "'geometry' must be an object", '"Polygon"'),
        (
            {
                "type": "GeometryCollection",
                "geometries": [{"type": "LineString", "coordinates": [1, 2]}],
            },
            "a position must be [longitude, latitude]",
            "1, 2]}]}",
        ),
    ],
)
def test_bad_coordinates_are_pointed_at(
    tmp_path: Path, geometry: Any, message: str, at: str
) -> None:
    good = {"type": "LineString", "coordinates": LINE}
    text = one_feature_a_line(good, geometry)
    layer, problems = read(tmp_path, text)
    assert layer is None
    assert len(problems) == 1
    assert problems[0].split(": ", 1)[1] == f"error: feature 2: {message}"
    assert located(text, problems[0]).startswith(at)


def test_many_bad_features_are_summed_up(tmp_path: Path) -> None:
    bad = {"type": "LineString", "coordinates": [[30.25, 59.93]]}
    text = one_feature_a_line(*[bad] * 8)
    layer, problems = read(tmp_path, text)
    assert layer is None
    limit = geojson.MAX_REPORTED_FEATURES
    assert [p.split(": ", 2)[2] for p in problems[:limit]] == [
        f"feature {i}: a line needs at least two positions" for i in range(1, limit + 1)
    ]
    assert problems[limit:] == [
        f"{FILE}:7:100: error: 3 more features have mistakes, from feature 6 on (8 in all); "
        "fix the ones above first"
    ]
    lines = [int(p.split(":")[1]) for p in problems[:limit]]
    assert lines == [2, 3, 4, 5, 6]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_not_a_number_coordinates(tmp_path: Path, value: str) -> None:
    text = json.dumps(collection({"type": "LineString", "coordinates": [[0, 0], LINE[1]]}))
    text = text.replace("[[0, 0]", f"[[{value}, 59.9]")
    layer, problems = read(tmp_path, text)
    assert layer is None
    assert len(problems) == 1
    assert problems[0].endswith("error: feature 1: a position must be [longitude, latitude]")
    assert located(text, problems[0]).startswith(f"[{value}, 59.9]")


def test_feature_that_is_not_an_object(tmp_path: Path) -> None:
    layer, problems = read(tmp_path, '{"type": "FeatureCollection", "features": [42]}')
    assert layer is None
    assert problems == [f"{FILE}:1:44: error: feature 1: a feature must be an object"]


def test_deep_nesting_does_not_crash(tmp_path: Path) -> None:
    depth = 100_000
    layer, problems = read(
        tmp_path,
        '{"type": "FeatureCollection", "features": [' + "[" * depth + "]" * depth + "]}",
    )
    assert layer is None
    assert problems == [f"{FILE}:1:1: error: the map layer is nested too deeply to be GeoJSON"]


def test_not_utf8(tmp_path: Path) -> None:
    layer, problems = read(tmp_path, b'{"type": "FeatureCollection", "name": "caf\xe9"}')
    assert layer is None
    assert problems == [f"{FILE}:1:1: error: the map layer is not UTF-8 text"]


def test_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.geojson"
    with path.open("wb") as f:
        f.truncate(MAX_GEOJSON_BYTES + 1)  # sparse: instant
    problems = ProblemList()
    assert read_layer(path, FILE, "water", PROJECTION, problems) is None
    assert [str(p) for p in problems] == [
        f"{FILE}:1:1: error: the map layer is too large ({MAX_GEOJSON_BYTES + 1} bytes)"
    ]


def test_size_cap_is_checked_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(geojson, "MAX_GEOJSON_BYTES", 100)
    layer, problems = read(tmp_path, collection({"type": "Polygon", "coordinates": [SQUARE]}))
    assert layer is None
    assert len(problems) == 1
    assert "the map layer is too large" in problems[0]


def test_missing_file(tmp_path: Path) -> None:
    problems = ProblemList()
    assert read_layer(tmp_path / "absent.geojson", FILE, "water", PROJECTION, problems) is None
    assert [str(p) for p in problems] == [
        f"{FILE}:1:1: error: the map layer cannot be read: No such file or directory"
    ]


def test_a_pickled_layer_is_the_same_layer_decoded_on_first_use() -> None:
    """The validated-bundle cache pickles layers packed; they come back equal, field by field."""
    polygons = ((projected(SQUARE), projected(HOLE)), (projected(SQUARE),))
    lines = (projected(LINE), projected(LINE)[:2])
    layer = LayerGeometry("water", polygons, lines)
    again = pickle.loads(pickle.dumps(layer))
    assert "polygons" not in vars(again), "not decoded while unpickling"
    assert again.lines == lines and again.polygons == polygons
    assert again == layer and hash(again) == hash(layer)
    for empty in (LayerGeometry("roads", (), ()), LayerGeometry("roads", (), lines[:1])):
        assert pickle.loads(pickle.dumps(empty)) == empty
    assert pickle.loads(pickle.dumps(LayerGeometry("roads", (), ()))).is_empty


def test_a_line_crossing_the_map_without_a_position_on_it_is_on_the_map(tmp_path: Path) -> None:
    line = {"type": "LineString", "coordinates": [[30.1, 59.95], [30.5, 59.95]]}
    geometry, problems = read(tmp_path, collection(line))
    assert geometry is not None and problems == []


@pytest.mark.parametrize(
    ("coordinates", "expected"),
    [
        ([[59.95, 30.3], [59.96, 30.32]], "look like [latitude, longitude]"),
        ([[2.35, 48.85], [2.36, 48.86]], "its first position is [2.35, 48.85]"),
    ],
)
def test_a_layer_with_nothing_on_the_map_is_an_error(
    tmp_path: Path, coordinates: list[list[float]], expected: str
) -> None:
    line = {"type": "LineString", "coordinates": coordinates}
    geometry, problems = read(tmp_path, collection({"type": "Point", "coordinates": [0, 0]}, line))
    assert geometry is None
    (problem,) = problems
    assert problem.startswith(f"{FILE}:1:")  # json.dumps writes it on one line
    assert "no shape of this map layer lies on the map" in problem
    assert expected in problem
