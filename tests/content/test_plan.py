"""A historical plan over the map: its control points checked at their lines, the fit and its
residual in metres, from bundle.yaml's points or a Georeference Annotation (Allmaps)."""

from __future__ import annotations

import json
import math
import pickle
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main
from kiosk.content import Problem, Severity, validate_bundle
from kiosk.content.plan import fit_plan, least_squares, read_plan_info, solve, thinness
from tests.content.conftest import BundleFiles
from tests.images import gif_header, png

WIDTH, HEIGHT = 2000, 1000
ATTRIBUTION = '    - "Map data © OpenStreetMap contributors, ODbL 1.0"\n'
# Pixels spread over the scan: corners, centre and two more.
PIXELS = [(100, 80), (1900, 120), (1850, 900), (150, 950), (1000, 500), (600, 300), (1400, 700)]


def truth(x: float, y: float) -> tuple[float, float]:
    """Where a pixel of the synthetic plan lies: a scan turned a little and scaled unevenly."""
    lon = 30.22 + 0.00008 * x + 0.000005 * y
    lat = 59.98 - 0.00006 * y + 0.000003 * x
    return lat, lon


def tiff_header(width: int, height: int, order: str = "<") -> bytes:
    """A little-endian (or big-endian) TIFF whose first directory gives its size."""
    mark = b"II" if order == "<" else b"MM"
    head = mark + struct.pack(f"{order}HI", 42, 8)
    entries = [
        (256, 3, 1, struct.pack(f"{order}HH", width, 0)),
        (257, 4, 1, struct.pack(f"{order}I", height)),
    ]
    ifd = struct.pack(f"{order}H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack(f"{order}HHI", tag, kind, count) + value
    return head + ifd + struct.pack(f"{order}I", 0)


def _points_yaml(points: Sequence[tuple[tuple[float, float], tuple[float, float]]]) -> str:
    lines = ["    points:\n"]
    for (x, y), (lat, lon) in points:
        lines.append(f"      - {{pixel: [{x}, {y}], lat: {lat:.6f}, lon: {lon:.6f}}}\n")
    return "".join(lines)


def add_plan(bundle: BundleFiles, body: str, image: bytes | None = None) -> None:
    bundle.replace("bundle.yaml", ATTRIBUTION, ATTRIBUTION + "  plan:\n" + body)
    bundle.path("map/plan.png").write_bytes(
        image if image is not None else png(WIDTH, HEIGHT, pixels=False)
    )


def with_points(
    bundle: BundleFiles, pixels: Sequence[tuple[float, float]] = PIXELS, extra: str = ""
) -> None:
    points = [(pixel, truth(*pixel)) for pixel in pixels]
    add_plan(bundle, "    file: map/plan.png\n" + extra + _points_yaml(points))


def _line_of(bundle: BundleFiles, needle: str, file: str = "bundle.yaml") -> int:
    lines = bundle.read(file).splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def _check(bundle: BundleFiles) -> tuple[Any, list[Problem]]:
    return validate_bundle(bundle.root)


def _of(problems: list[Problem], severity: Severity) -> list[Problem]:
    return [p for p in problems if p.severity is severity]


def test_points_in_bundle_yaml_place_the_plan(bundle: BundleFiles) -> None:
    with_points(bundle)
    loaded, problems = _check(bundle)
    assert loaded is not None
    (info,) = problems
    assert info.severity is Severity.INFO
    assert (info.file, info.line) == ("bundle.yaml", _line_of(bundle, "points:"))
    assert "affine fit misses its 7 control points by 0.0 m (root mean square)" in info.message
    plan = loaded.plan
    assert (plan.width, plan.height, plan.opacity, plan.fit.kind) == (WIDTH, HEIGHT, 1.0, "affine")
    # Pixel -> map and back, anywhere on the scan (not only at the points).
    projection = loaded.projection
    for x, y in [(0, 0), (333, 777), (WIDTH, HEIGHT)]:
        mx, my = plan.fit.to_map(x, y)
        ex, ey = projection.project(*truth(x, y))
        assert math.dist((mx, my), (ex, ey)) < 0.2  # metres (the points are rounded to 1e-6°)
        px, py = plan.fit.to_pixel(ex, ey)
        assert math.dist((px, py), (x, y)) < 0.05
    assert plan.corners()[0] == pytest.approx(plan.fit.to_map(0, 0))
    # The validated-bundle cache pickles the bundle, plan and all.
    again = pickle.loads(pickle.dumps(loaded)).plan
    assert again.fit.to_map(500, 500) == plan.fit.to_map(500, 500)


def test_a_misplaced_point_is_a_warning_at_its_line(bundle: BundleFiles) -> None:
    points = [(pixel, truth(*pixel)) for pixel in PIXELS]
    (x, y), (lat, lon) = points[2]
    points[2] = ((x, y), (lat + 0.0015, lon))  # about 170 m north of where it belongs
    add_plan(bundle, "    file: map/plan.png\n" + _points_yaml(points))
    loaded, problems = _check(bundle)
    assert loaded is not None  # a warning, not an error
    (warning,) = problems
    assert warning.severity is Severity.WARNING
    assert warning.line == _line_of(bundle, f"pixel: [{x}, {y}]")
    assert "the farthest, point 3, by" in warning.message
    assert "over 25 m the old streets visibly miss today's; check point 3" in warning.message
    assert loaded.plan.fit.residuals_m[2] > 25


def test_the_polynomial_fit_takes_a_bent_scan(bundle: BundleFiles) -> None:
    def bent(x: float, y: float) -> tuple[float, float]:
        lat, lon = truth(x, y)
        return lat + 2e-9 * x * x, lon  # a sheet that sagged: 500 m at the right edge

    grid = [(x, y) for x in (0, 700, 1400, 2000) for y in (0, 500, 1000)]
    points = [(pixel, bent(*pixel)) for pixel in grid]
    add_plan(bundle, "    file: map/plan.png\n" + _points_yaml(points))
    _, problems = _check(bundle)
    assert [p.severity for p in problems] == [Severity.WARNING]  # affine cannot follow it
    assert "or use transform: polynomial" in problems[0].message
    bundle.replace(
        "bundle.yaml",
        "    file: map/plan.png\n",
        "    file: map/plan.png\n    transform: polynomial\n",
    )
    loaded, problems = _check(bundle)
    assert [p.severity for p in problems] == [Severity.INFO]
    assert loaded.plan.fit.kind == "polynomial" and loaded.plan.fit.rms_m < 0.5


def test_just_enough_points_say_nothing_about_the_fit(bundle: BundleFiles) -> None:
    with_points(bundle, PIXELS[:3])
    loaded, problems = _check(bundle)
    assert loaded is not None
    (info,) = problems
    assert "just enough points (3) to meet every one exactly" in info.message


@pytest.mark.parametrize(
    ("pixels", "extra", "expected"),
    [
        (PIXELS[:2], "", "the plan has 2 ground control points; an affine fit needs at least 3"),
        (PIXELS[:5], "    transform: polynomial\n", "a polynomial fit needs at least 6"),
        ([(100, 100), (500, 300), (900, 500), (1300, 700)], "", "lie on one line (or nearly)"),
    ],
)
def test_too_few_or_collinear_points(
    bundle: BundleFiles, pixels: Sequence[tuple[float, float]], extra: str, expected: str
) -> None:
    with_points(bundle, pixels, extra)
    loaded, problems = _check(bundle)
    assert loaded is None
    (error,) = problems
    assert error.line == _line_of(bundle, "points:") and expected in error.message


def test_points_off_the_map_or_off_the_scan(bundle: BundleFiles) -> None:
    points = [(pixel, truth(*pixel)) for pixel in PIXELS]
    points[1] = ((1900, 120), (60.2, 30.3))  # north of the map
    points[4] = ((2500, 500), truth(1000, 500))  # right of the scan
    points[5] = ((100, 80), truth(600, 300))  # the same pixel as point 1
    add_plan(bundle, "    file: map/plan.png\n" + _points_yaml(points))
    loaded, problems = _check(bundle)
    assert loaded is None
    messages = {(p.line, p.column): p.message for p in problems}
    off_map = _line_of(bundle, "lat: 60.2")
    assert (
        "control point 2 (60.2, 30.3) is outside the map (59.9-60.0 N, 30.2-30.4 E)"
        in (
            messages[
                (off_map, bundle.read("bundle.yaml").splitlines()[off_map - 1].index("60.2") + 1)
            ]
        )
    )
    assert any(
        "control point 5's pixel [2500, 500] is outside the scan (2000 x 1000 pixels" in m
        for m in messages.values()
    )
    assert any("control point 6 is on the same pixel as point 1" in m for m in messages.values())


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        (gif_header(WIDTH, HEIGHT), "a plan is a JPEG, PNG or TIFF file, not GIF"),
        (b"not an image at all", "this file is not a scan the kiosk can show (JPEG, PNG or TIFF)"),
        (png(9000, 9000, pixels=False), "the scan has too many pixels (9000 x 9000"),
    ],
)
def test_scans_the_kiosk_cannot_show(bundle: BundleFiles, image: bytes, expected: str) -> None:
    points = [(pixel, truth(*pixel)) for pixel in PIXELS]
    add_plan(bundle, "    file: map/plan.png\n" + _points_yaml(points), image)
    loaded, problems = _check(bundle)
    assert loaded is None
    (error,) = _of(problems, Severity.ERROR)
    assert error.line == _line_of(bundle, "file: map/plan.png") and expected in error.message


def test_a_missing_scan(bundle: BundleFiles) -> None:
    with_points(bundle)
    bundle.path("map/plan.png").unlink()
    loaded, problems = _check(bundle)
    assert loaded is None
    assert "the file 'map/plan.png' does not exist" in _of(problems, Severity.ERROR)[0].message


@pytest.mark.parametrize("order", ["<", ">"])
def test_tiff_scans_are_read_from_their_header(tmp_path: Path, order: str) -> None:
    path = tmp_path / "plan.tif"
    path.write_bytes(tiff_header(6000, 4500, order))
    info = read_plan_info(path)
    assert (info.format, info.width, info.height) == ("TIFF", 6000, 4500)


def test_a_tiff_plan_validates(bundle: BundleFiles) -> None:
    points = [(pixel, truth(*pixel)) for pixel in PIXELS]
    add_plan(bundle, "    file: map/plan.tif\n" + _points_yaml(points))
    bundle.path("map/plan.tif").write_bytes(tiff_header(WIDTH, HEIGHT))
    loaded, _ = _check(bundle)
    assert loaded is not None and loaded.plan.file == "map/plan.tif"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("    file: map/plan.png\n", "a plan needs its ground control points"),
        (
            "    file: map/plan.png\n    annotation: map/plan.json\n    points: []\n",
            "either as points",
        ),
    ],
)
def test_points_or_annotation_not_both(bundle: BundleFiles, body: str, expected: str) -> None:
    add_plan(bundle, body)
    loaded, problems = _check(bundle)
    assert loaded is None and expected in problems[0].message


# --- Georeference Annotations (IIIF georef extension, as Allmaps Editor exports them) ---------


def annotation(
    pixels: Sequence[tuple[float, float]] = PIXELS,
    *,
    size: tuple[int, int] = (WIDTH, HEIGHT),
    scale: float = 1.0,
    transformation: dict[str, Any] | None = None,
) -> dict[str, Any]:
    features = []
    for x, y in pixels:
        lat, lon = truth(x, y)
        features.append(
            {
                "type": "Feature",
                "properties": {"resourceCoords": [x * scale, y * scale]},
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
        )
    body: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if transformation is not None:
        body["transformation"] = transformation
    return {
        "@context": [
            "http://iiif.io/api/extension/georef/1/context.json",
            "http://iiif.io/api/presentation/3/context.json",
        ],
        "type": "Annotation",
        "motivation": "georeferencing",
        "target": {
            "type": "SpecificResource",
            "source": {
                "id": "https://iiif.example.org/iiif/plan-1914",
                "type": "ImageService3",
                "width": size[0],
                "height": size[1],
            },
        },
        "body": body,
    }


def with_annotation(bundle: BundleFiles, data: Any, text: str | None = None) -> None:
    add_plan(bundle, "    file: map/plan.png\n    annotation: map/plan.json\n    opacity: 0.8\n")
    bundle.path("map/plan.json").write_text(
        text if text is not None else json.dumps(data, indent=2), encoding="utf-8"
    )


def test_an_allmaps_annotation_places_the_plan(bundle: BundleFiles) -> None:
    with_annotation(bundle, annotation())
    loaded, problems = _check(bundle)
    assert loaded is not None
    assert [p.severity for p in problems] == [Severity.INFO]
    assert loaded.plan.opacity == 0.8 and loaded.plan.fit.rms_m < 0.2


def test_an_annotation_page_with_one_map(bundle: BundleFiles) -> None:
    page: dict[str, Any] = {"type": "AnnotationPage", "items": [annotation()]}
    with_annotation(bundle, page)
    assert _check(bundle)[0] is not None
    page["items"].append(annotation())
    with_annotation_text = json.dumps(page, indent=2)
    bundle.path("map/plan.json").write_text(with_annotation_text, encoding="utf-8")
    _, problems = _check(bundle)
    assert "this annotation page holds 2 georeferenced maps" in problems[0].message
    assert (problems[0].file, problems[0].line) == ("map/plan.json", 3)


def test_an_annotation_made_on_the_full_size_image(bundle: BundleFiles) -> None:
    # Allmaps worked on the archive's 4000 x 2000 image; the bundle holds a half-size copy.
    with_annotation(bundle, annotation(size=(2 * WIDTH, 2 * HEIGHT), scale=2.0))
    loaded, _ = _check(bundle)
    assert loaded is not None and loaded.plan.fit.rms_m < 0.2
    # A different shape is another image, or a cropped one: refused.
    with_annotation_text = json.dumps(annotation(size=(WIDTH, 2 * HEIGHT)), indent=2)
    bundle.path("map/plan.json").write_text(with_annotation_text, encoding="utf-8")
    loaded, problems = _check(bundle)
    assert loaded is None
    assert "the annotation was made on an image of 2000 x 2000 pixels" in problems[0].message
    assert problems[0].file == "map/plan.json"


def test_the_annotations_transformation_is_followed(bundle: BundleFiles) -> None:
    spline = {"type": "thinPlateSpline"}
    with_annotation(bundle, annotation(transformation=spline))
    loaded, problems = _check(bundle)
    assert loaded.plan.fit.kind == "polynomial"
    assert "a thin-plate spline is fitted as a polynomial (order 2)" in problems[0].message
    order2 = {"type": "polynomial", "options": {"order": 2}}
    bundle.path("map/plan.json").write_text(
        json.dumps(annotation(transformation=order2)), encoding="utf-8"
    )
    loaded, _ = _check(bundle)
    assert loaded.plan.fit.kind == "polynomial"


def test_mistakes_in_an_annotation_are_shown_at_their_line(bundle: BundleFiles) -> None:
    data = annotation()
    del data["body"]["features"][3]["properties"]["resourceCoords"]
    data["body"]["features"][5]["geometry"] = {"type": "LineString", "coordinates": [[1, 2]]}
    with_annotation(bundle, data)
    loaded, problems = _check(bundle)
    assert loaded is None
    text = bundle.read("map/plan.json").splitlines()
    found = {(p.file, p.message.split(" has ")[0]): p.line for p in problems}
    properties_lines = [i for i, line in enumerate(text, start=1) if '"properties"' in line]
    geometry_lines = [i for i, line in enumerate(text, start=1) if '"geometry"' in line]
    assert found[("map/plan.json", "control point 4")] == properties_lines[3]
    assert found[("map/plan.json", "control point 6")] == geometry_lines[5]


@pytest.mark.parametrize(
    ("text", "expected", "line"),
    [
        ('{"type": "Annotation",\n  "body": {"features": [}\n}', "is not valid JSON", 2),
        ('{"type": "Annotation", "items": []}', "this is not a Georeference Annotation", 1),
    ],
)
def test_broken_annotations(bundle: BundleFiles, text: str, expected: str, line: int) -> None:
    with_annotation(bundle, None, text)
    _, problems = _check(bundle)
    (error,) = problems
    assert (error.file, error.line) == ("map/plan.json", line) and expected in error.message


def test_validate_prints_the_residual_and_counts_no_warning(
    bundle: BundleFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    with_points(bundle)
    assert main(["validate", str(bundle.root)]) == 0
    out = capsys.readouterr().out
    assert f"bundle.yaml:{_line_of(bundle, 'points:')}:5: info: the plan's affine fit" in out
    assert "0 errors, 0 warnings" in out
    assert main(["validate", str(bundle.root), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["warnings"] == 0 and report["problems"][0]["severity"] == "info"


# --- The arithmetic ----------------------------------------------------------------------------


def test_solve_and_least_squares() -> None:
    assert solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]) == pytest.approx([0.8, 1.4])
    assert solve([[1.0, 2.0], [2.0, 4.0]], [1.0, 2.0]) is None  # singular
    # y = 1 + 2x through noisy points: the least-squares line.
    rows = [[1.0, x] for x in (0, 1, 2, 3)]
    assert least_squares(rows, [1.1, 2.9, 5.1, 6.9]) == pytest.approx([1.06, 1.96])


def test_thinness() -> None:
    assert thinness([(0, 0), (1, 1), (2, 2), (3, 3)]) == 0
    assert thinness([(0, 0), (1, 0), (0, 1), (1, 1)]) == pytest.approx(1)
    assert 0 < thinness([(0, 0), (100, 1), (200, 0)]) < 0.02


def test_fit_of_an_exact_rotation() -> None:
    angle = math.radians(30)
    pixels = [(0.0, 0.0), (1000.0, 0.0), (0.0, 1000.0), (700.0, 400.0)]

    def turn(x: float, y: float) -> tuple[float, float]:
        return (
            5000 + 2 * (x * math.cos(angle) - y * math.sin(angle)),
            7000 + 2 * (x * math.sin(angle) + y * math.cos(angle)),
        )

    fit = fit_plan("affine", pixels, [turn(*p) for p in pixels])
    assert fit is not None and max(fit.residuals_m) < 1e-6
    assert fit.to_map(250, 250) == pytest.approx(turn(250, 250))
    assert fit.to_pixel(*turn(250, 250)) == pytest.approx((250, 250))


# --- QGIS Georeferencer points files -------------------------------------------------------------

QGIS_CRS = '#CRS: GEOGCRS["WGS 84",DATUM["World Geodetic System 1984"],ID["EPSG",4326]]'


def qgis_points(pixels: Sequence[tuple[float, float]] = PIXELS, crs: str = QGIS_CRS) -> str:
    lines = [crs, "mapX,mapY,sourceX,sourceY,enable,dX,dY,residual"]
    for x, y in pixels:
        lat, lon = truth(x, y)
        lines.append(f"{lon:.7f},{lat:.7f},{x},{-y},1,0,0,0")
    return "\n".join(lines) + "\n"


def with_qgis(bundle: BundleFiles, text: str) -> None:
    add_plan(bundle, "    file: map/plan.png\n    annotation: map/plan.points\n")
    bundle.path("map/plan.points").write_text(text, encoding="utf-8")


def test_a_qgis_points_file_places_the_plan(bundle: BundleFiles) -> None:
    # A point switched off in the Georeferencer (enable 0) is left out, wrong as it is.
    text = qgis_points() + "30.9,59.1,5,-5,0,0,0,0\n"
    with_qgis(bundle, text)
    loaded, problems = _check(bundle)
    assert loaded is not None, problems
    assert [p.severity for p in problems] == [Severity.INFO]
    assert "misses its 7 control points" in problems[0].message
    assert loaded.plan.fit.rms_m < 0.2


@pytest.mark.parametrize(
    ("text", "expected", "line"),
    [
        (
            qgis_points(crs='#CRS: PROJCRS["WGS 84 / Pseudo-Mercator",ID["EPSG",3857]]'),
            "choose EPSG:4326 for the points",
            1,
        ),
        (
            "mapX,mapY,sourceX,sourceY,enable\n3370000.5,8380000.2,10,-10,1\n",
            "is not longitude and latitude (the points were saved in metres",
            2,
        ),
        ("x,y,pixelX,pixelY\n", "this is not a QGIS points file: its first line names no mapX", 1),
        ("mapX,mapY,sourceX,sourceY\n30.3,59.95,ten,-10\n", "should hold four numbers", 2),
    ],
)
def test_qgis_points_in_the_wrong_form(
    bundle: BundleFiles, text: str, expected: str, line: int
) -> None:
    with_qgis(bundle, text)
    loaded, problems = _check(bundle)
    assert loaded is None
    error = next(p for p in problems if p.file == "map/plan.points")
    assert error.line == line and expected in error.message
