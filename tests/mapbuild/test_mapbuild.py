"""`kiosk new --osm` and `kiosk map build`: layers from an OpenStreetMap extract, clipped to the
bounds, a valid bundle, and one clear line (exit 2) for every input that cannot make a map."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from shapely.geometry import LineString, Polygon, box, shape

from kiosk.cli import main
from kiosk.content import validate_bundle
from kiosk.content.data import Bounds
from kiosk.mapbuild.layers import decimals_for, sea_polygons, tolerance_m
from kiosk.mapbuild.osm import Progress
from tests.images import png
from tests.mapbuild.extract import BOUNDS, write_pbf, write_xml

WEST, SOUTH, EAST, NORTH = (float(v) for v in BOUNDS.split(","))


@pytest.fixture(scope="module")
def extracts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("extracts")
    xml = write_xml(folder / "town.osm")
    return {"xml": xml, "pbf": write_pbf(xml, folder / "town.osm.pbf")}


def _features(bundle: Path, layer: str) -> list[dict[str, Any]]:
    data = json.loads((bundle / "map" / f"{layer}.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    return list(data["features"])


def _new(tmp_path: Path, extract: Path, bounds: str = BOUNDS, name: str = "town-1900") -> Path:
    folder = tmp_path / name
    assert main(["new", str(folder), "--osm", str(extract), "--bounds", bounds]) == 0
    return folder


@pytest.mark.parametrize("kind", ["xml", "pbf"])
def test_new_with_osm_makes_a_valid_bundle_with_every_layer(
    tmp_path: Path, extracts: dict[str, Path], kind: str
) -> None:
    folder = _new(tmp_path, extracts[kind])
    bundle, problems = validate_bundle(folder)
    assert problems == []  # not even a warning
    assert bundle is not None
    manifest = bundle.manifest.map
    assert [layer.id for layer in manifest.layers] == [
        "parks",
        "water",
        "waterways",
        "streets-minor",
        "streets",
        "streets-major",
        "railways",
    ]
    assert (manifest.bounds.west, manifest.bounds.north) == (WEST, NORTH)
    assert manifest.attribution == ["Map data © OpenStreetMap contributors, ODbL 1.0"]
    assert all(not layer.is_empty for layer in bundle.layers)
    assert not (folder / "map" / "river.geojson").exists()  # the template's sketch is gone
    licence = (folder / "map" / "LICENSE.md").read_text(encoding="utf-8")
    assert "Open Database License 1.0" in licence and extracts[kind].name in licence
    assert "| `water.geojson` |" in licence
    # The starter's story happens in Berlin, far from this map: shown at the edge.
    places = yaml.safe_load((folder / "places.yaml").read_text(encoding="utf-8"))
    assert all(place["off_map"] for place in places.values())
    labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))
    assert labels["test-river"]["name"] == {"en": "Test River", "de": "Test River"}


def test_streets_by_class_and_what_is_left_out(tmp_path: Path, extracts: dict[str, Path]) -> None:
    folder = _new(tmp_path, extracts["xml"])
    kinds = {
        layer: sorted(f["properties"]["kind"] for f in _features(folder, layer))
        for layer in ("streets-major", "streets", "streets-minor", "railways", "waterways")
    }
    assert kinds == {
        "streets-major": ["primary", "primary_link"],
        "streets": ["secondary"],
        "streets-minor": ["residential"],  # Mill Lane; Far Lane lies outside; no footway
        "railways": ["rail"],  # the siding is left out
        "waterways": ["river"],  # the canal in a culvert is left out
    }
    names = {f["properties"].get("name") for f in _features(folder, "streets-minor")}
    assert names == {"Mill Lane"}


def test_everything_is_clipped_to_the_bounds(tmp_path: Path, extracts: dict[str, Path]) -> None:
    folder = _new(tmp_path, extracts["pbf"])
    frame = box(WEST, SOUTH, EAST, NORTH).buffer(1e-6)
    for path in (folder / "map").glob("*.geojson"):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            assert frame.contains(shape(feature["geometry"])), path.name
    # The river and the main line cross the whole extract; they end at the map's edges now.
    (river,) = _features(folder, "waterways")
    xs = [x for x, _ in river["geometry"]["coordinates"]]
    assert (min(xs), max(xs)) == (WEST, EAST)
    (rail,) = _features(folder, "railways")
    ends = LineString(rail["geometry"]["coordinates"]).boundary
    assert all(
        min(abs(p.x - WEST), abs(p.x - EAST), abs(p.y - SOUTH), abs(p.y - NORTH)) < 1e-6
        for p in ends.geoms
    )


def test_water_areas_are_merged_and_keep_their_islands(
    tmp_path: Path, extracts: dict[str, Path]
) -> None:
    folder = _new(tmp_path, extracts["xml"])
    polygons = [shape(f["geometry"]) for f in _features(folder, "water")]
    assert len(polygons) == 2  # the lake and the riverbank overlap: one area, and the pond
    merged = max(polygons, key=lambda p: p.area)
    assert merged.contains(Polygon([(10.011, 50.011), (10.024, 50.013), (10.016, 50.019)]))
    pond = min(polygons, key=lambda p: p.area)
    assert isinstance(pond, Polygon) and len(pond.interiors) == 1  # the multipolygon's island
    parks = sorted(shape(f["geometry"]).area for f in _features(folder, "parks"))
    assert len(parks) == 2


def test_map_build_rebuilds_and_keeps_the_bundles_own_choices(
    tmp_path: Path, extracts: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _new(tmp_path, extracts["xml"])
    manifest = folder / "bundle.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace('fill: "#b9cdd0"', 'fill: "#112233"')  # the curator's own water colour
    text = text.replace(
        "  attribution:",
        '    - id: walls\n      file: map/walls.geojson\n      stroke: "#000000"\n  attribution:',
    )
    manifest.write_text(text, encoding="utf-8")
    (folder / "map" / "walls.geojson").write_text(
        '{"type": "FeatureCollection", "features": []}', encoding="utf-8"
    )
    licence = folder / "map" / "LICENSE.md"
    licence.write_text(licence.read_text(encoding="utf-8") + "\nThe walls: drawn by us.\n")
    capsys.readouterr()

    smaller = "10.0,50.0,10.02,50.02"
    args = ["map", "build", str(extracts["xml"]), "--bounds", smaller, "--out", str(folder)]
    # Built, but the river's label now lies outside the map: listed, exit 1.
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "labels.yaml:10:62: error: 'test-river' (50.005, 10.024) is outside the map" in out
    assert "the map is built, but the bundle has 1 error(s) to fix (above)" in out
    assert "no longer used by bundle.yaml: map/streets-major.geojson" not in out
    (folder / "labels.yaml").unlink()
    bundle, problems = validate_bundle(folder)
    assert bundle is not None and problems == []
    spec = bundle.manifest.map
    assert (spec.bounds.east, spec.bounds.north) == (10.02, 50.02)
    layers = {layer.id: layer for layer in spec.layers}
    assert layers["water"].fill == "#112233"
    assert layers["walls"].file == "map/walls.geojson"
    assert "railways" not in layers  # the main line does not reach the smaller map
    assert "no longer used by bundle.yaml: map/railways.geojson" in out
    new_text = manifest.read_text(encoding="utf-8")
    # Only the map block changed: the rest of the file keeps its comments.
    assert new_text.split("\nmap:")[0] == text.split("\nmap:")[0]
    assert new_text.split("\ncategories:")[1] == text.split("\ncategories:")[1]
    assert "The walls: drawn by us." in licence.read_text(encoding="utf-8")
    assert licence.read_text(encoding="utf-8").count("# Map data: licence and provenance") == 1


PLAN = """\
  plan:                          # the town plan of 1900
    file: map/plan.png
    points:
      - {pixel: [10, 10], lat: 50.029, lon: 10.001}
      - {pixel: [790, 20], lat: 50.0288, lon: 10.0390}
      - {pixel: [780, 590], lat: 50.0012, lon: 10.0385}
      - {pixel: [20, 580], lat: 50.0015, lon: 10.0012}
"""


def test_map_build_keeps_the_plan_as_written(tmp_path: Path, extracts: dict[str, Path]) -> None:
    folder = _new(tmp_path, extracts["xml"])
    (folder / "map" / "plan.png").write_bytes(png(800, 600, pixels=False))
    manifest = folder / "bundle.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("\ncategories:", "\n" + PLAN + "\ncategories:", 1))
    assert validate_bundle(folder)[0] is not None
    assert main(["map", "build", str(extracts["pbf"]), "--out", str(folder), "--quiet"]) == 0
    rebuilt = manifest.read_text(encoding="utf-8")
    assert PLAN in rebuilt  # comments, flow style and order kept
    bundle, _ = validate_bundle(folder)
    assert bundle is not None and bundle.plan is not None


def test_map_build_keeps_the_bundles_bounds_when_none_are_given(
    tmp_path: Path, extracts: dict[str, Path]
) -> None:
    folder = _new(tmp_path, extracts["xml"])
    (folder / "map" / "water.geojson").unlink()
    assert main(["map", "build", str(extracts["pbf"]), "--out", str(folder), "--quiet"]) == 0
    assert _features(folder, "water")
    bundle, _ = validate_bundle(folder)
    assert bundle is not None and bundle.manifest.map.bounds.west == WEST


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("xml", "lie outside the extract, which covers 9.9900 to 10.0500 E, 49.9900 to 50.0400 N"),
        ("pbf", "lie outside the extract, its data covers"),
    ],
)
def test_bounds_outside_the_extract(
    tmp_path: Path,
    extracts: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    kind: str,
    expected: str,
) -> None:
    folder = tmp_path / "elsewhere"
    args = ["new", str(folder), "--osm", str(extracts[kind]), "--bounds", "13.3,52.48,13.47,52.56"]
    assert main(args) == 2
    assert expected in _one_error_line(capsys)
    assert not folder.exists()  # nothing written


def test_bounds_partly_outside_the_extract_warn(
    tmp_path: Path, extracts: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _new(tmp_path, extracts["xml"], bounds="10.0,50.0,10.1,50.03")
    assert "the bounds reach beyond the extract" in capsys.readouterr().err


def test_nothing_to_draw_inside_the_bounds(
    tmp_path: Path, extracts: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "empty-corner"
    corner = "9.991,50.03,9.999,50.039"
    args = ["new", str(folder), "--osm", str(extracts["xml"]), "--bounds", corner]
    assert main(args) == 2
    assert "nothing to draw inside the bounds" in _one_error_line(capsys)
    assert not folder.exists()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("garbage.osm", b"this is not XML at all", "XML parsing error at line 1"),
        ("garbage.osm.pbf", b"\x00\x00\xff\xffnot a pbf", "PBF error"),
        ("cut.osm", b'<?xml version="1.0"?>\n<osm version="0.6">\n  <node id="1" la', "XML"),
        ("town.geojson", b"{}", "not an OpenStreetMap extract; give a .osm.pbf or .osm file"),
        ("missing.osm.pbf", None, "no such file"),
    ],
)
def test_a_bad_file_is_one_clear_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | None,
    expected: str,
) -> None:
    extract = tmp_path / name
    if content is not None:
        extract.write_bytes(content)
    assert main(["map", "build", str(extract), "--bounds", BOUNDS, "--out", str(tmp_path)]) == 2
    # --out has no bundle.yaml: that is reported first, so build into a real bundle as well.
    assert "has no bundle.yaml" in _one_error_line(capsys)
    folder = tmp_path / "exhibit"
    assert main(["new", str(folder), "--osm", str(extract), "--bounds", BOUNDS]) == 2
    line = _one_error_line(capsys)
    assert expected in line
    assert line.startswith(f"error: {extract}")
    assert not folder.exists()


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ("10,50,10.04", "give four numbers west,south,east,north"),
        ("10,50,east,50.03", "give four numbers"),
        ("10.04,50,10,50.03", "west must be less than east"),
        ("10,50.03,10.04,50", "south must be less than north"),
    ],
)
def test_bad_bounds(
    tmp_path: Path,
    extracts: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    bounds: str,
    expected: str,
) -> None:
    args = ["new", str(tmp_path / "x"), "--osm", str(extracts["xml"]), "--bounds", bounds]
    assert main(args) == 2
    assert expected in _one_error_line(capsys)


def test_osm_needs_bounds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", str(tmp_path / "x"), "--osm", "town.osm"]) == 2
    assert "--osm and --bounds go together" in _one_error_line(capsys)


def test_progress_is_shown_on_stderr_for_large_extracts(
    tmp_path: Path,
    extracts: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Progress, "FROM_BYTES", 0)  # the test extract counts as large
    monkeypatch.setattr(Progress, "EVERY_S", 0.0)
    _new(tmp_path, extracts["xml"])
    captured = capsys.readouterr()
    assert "reading town.osm" in captured.err
    assert "map features read" in captured.err
    assert "read 12 map features in" in captured.err
    assert "map features" not in captured.out


def test_no_progress_for_small_extracts(
    tmp_path: Path, extracts: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _new(tmp_path, extracts["xml"])
    assert capsys.readouterr().err == ""


def test_tolerance_follows_the_bounds_and_the_zoom() -> None:
    petrograd = Bounds(west=30.17, south=59.875, east=30.46, north=60.005)
    # The map is 14.5 km high: 6.7 m a pixel of a 4K screen, 0.84 m at zoom 8.
    assert tolerance_m(petrograd, 8) == pytest.approx(0.837, abs=0.01)
    assert tolerance_m(petrograd, 4) == pytest.approx(2 * tolerance_m(petrograd, 8))
    assert decimals_for(0.84) == 6  # 0.1 m steps
    assert decimals_for(30.0) == 5
    assert decimals_for(0.001) == 7


def test_the_sea_lies_right_of_the_coastline() -> None:
    frame = box(0, 0, 100, 100)
    # Westwards along y = 40: the land on the left (south), the sea on the right (north).
    coast = [LineString([(120, 40), (50, 42)]), LineString([(50, 42), (-20, 40)])]
    (sea,) = sea_polygons(coast, frame)
    assert sea.bounds[3] == 100 and sea.bounds[1] == pytest.approx(40, abs=2.5)
    assert sea.area == pytest.approx(100 * 59, rel=0.02)
    # Turned round, the sea is the other side.
    reverse = [LineString(list(line.coords)[::-1]) for line in coast]
    (other,) = sea_polygons(reverse, frame)
    assert other.bounds[1] == 0 and other.area == pytest.approx(100 * 41, rel=0.02)
    assert sea_polygons([], frame) == []


def test_without_the_map_libraries_a_clear_line(
    tmp_path: Path,
    extracts: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As in the packaged kiosk, which leaves pyosmium, shapely and numpy out.
    import kiosk.mapbuild

    bundle = _new(tmp_path, extracts["xml"], name="other")
    capsys.readouterr()
    monkeypatch.setattr(kiosk.mapbuild, "find_spec", lambda name: None)
    folder = tmp_path / "exhibit"
    assert main(["new", str(folder), "--osm", str(extracts["xml"]), "--bounds", BOUNDS]) == 2
    assert "building a map needs osmium, shapely, numpy" in _one_error_line(capsys)
    assert not folder.exists()
    assert main(["map", "build", str(extracts["xml"]), "--out", str(bundle)]) == 2
    assert "run the command from a Python install" in _one_error_line(capsys)
