"""A historical plan over the map: its scan, its ground control points, and the fit between them.

A curator places a scanned plan by ground control points: pixels of the scan paired with where
those spots are today (latitude and longitude). They are given in bundle.yaml (`map.plan.points`)
or in a Georeference Annotation, the W3C Web Annotation that Allmaps Editor exports (the IIIF
Georeference extension: `body.features` are GeoJSON points whose `properties.resourceCoords`
are the pixel). Here the points are checked (enough of them, on the map, on the scan, not all on
one line), and a transformation from the scan's pixels to the map's metres is fitted by least
squares, with the inverse the kiosk needs to warp the scan. How far each point lands from where
it belongs (the residual, in metres) tells the curator whether the plan is placed well.

Plain Python: a few points give normal equations of 3 or 6 unknowns, solved by elimination.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from kiosk.content.data import Bounds, Plan, Transform
from kiosk.content.geojson import locate
from kiosk.content.media import ImageInfo, NotAnImage, read_image_info
from kiosk.content.problems import ProblemList
from kiosk.content.projection import Projection

if TYPE_CHECKING:  # the bundle (and so this module) is loaded from the cache without YAML
    from kiosk.content.yaml_source import KeyPath, YamlDocument

PLAN_KINDS = ("JPEG", "PNG", "TIFF")  # kiosk.spec keeps the Qt plugin of each
PLAN_FORMATS = "JPEG, PNG or TIFF"
MAX_PLAN_BYTES = 100 * 1024 * 1024
MAX_PLAN_PIXELS = 50_000_000  # about 8200 x 6100: a city plan scanned at 300-400 dpi
MAX_ANNOTATION_BYTES = 2 * 1024 * 1024
MIN_POINTS = {"affine": 3, "polynomial": 6}
RESIDUAL_WARNING_M = 25.0  # above this, old streets visibly miss today's at a street's zoom
THIN = 0.02  # points whose spread across their main line is under 2% of it lie on "one line"


# --- The scan --------------------------------------------------------------------------------


def _tiff(stream: BinaryIO, head: bytes) -> ImageInfo:
    order = "<" if head[:2] == b"II" else ">"
    magic, offset = struct.unpack(f"{order}HI", head[2:8])
    if magic == 43:
        raise NotAnImage("the file is a BigTIFF, which the kiosk cannot read; save it as JPEG")
    stream.seek(offset)
    count_bytes = stream.read(2)
    if len(count_bytes) < 2:
        raise NotAnImage("the TIFF file is cut short or damaged")
    (count,) = struct.unpack(f"{order}H", count_bytes)
    size: dict[int, int] = {}
    for _ in range(min(count, 1000)):
        entry = stream.read(12)
        if len(entry) < 12:
            break
        tag, kind, _n = struct.unpack(f"{order}HHI", entry[:8])
        if tag in (256, 257):  # ImageWidth, ImageLength: SHORT (3) or LONG (4)
            value = struct.unpack(f"{order}H", entry[8:10])[0] if kind == 3 else None
            value = struct.unpack(f"{order}I", entry[8:12])[0] if kind == 4 else value
            if value is not None:
                size[tag] = value
    if 256 not in size or 257 not in size:
        raise NotAnImage("the TIFF file is cut short or damaged (it gives no image size)")
    return ImageInfo("TIFF", size[256], size[257])


def read_plan_info(path: Path) -> ImageInfo:
    """The format and size of a plan's scan from its header; NotAnImage if it cannot be one."""
    with path.open("rb") as stream:
        head = stream.read(8)
        if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
            info = _tiff(stream, head)
            if info.width == 0 or info.height == 0:
                raise NotAnImage(f"the TIFF file says it is {info.width} x {info.height} pixels")
            return info
    try:
        info = read_image_info(path)
    except NotAnImage:
        raise NotAnImage(f"this file is not a scan the kiosk can show ({PLAN_FORMATS})") from None
    if info.format not in PLAN_KINDS:
        raise NotAnImage(f"a plan is a {PLAN_FORMATS} file, not {info.format}")
    return info


def plan_image_problem(path: Path) -> tuple[ImageInfo | None, str | None]:
    """The scan's header, or why it cannot be a plan (in plain words)."""
    try:
        size = path.stat().st_size
        if size > MAX_PLAN_BYTES:
            return None, (
                f"the scan is too large ({size / 2**20:.0f} MB; at most "
                f"{MAX_PLAN_BYTES // 2**20} MB); save it as JPEG, or smaller"
            )
        info = read_plan_info(path)
    except NotAnImage as exc:
        return None, str(exc)
    except OSError as exc:
        return None, f"the scan cannot be read: {exc.strerror or exc}"
    if info.width * info.height > MAX_PLAN_PIXELS:
        return info, (
            f"the scan has too many pixels ({info.width} x {info.height}; at most "
            f"{MAX_PLAN_PIXELS // 1_000_000} million); save a smaller copy (the control points "
            "are in pixels, so place them on that copy)"
        )
    return info, None


# --- The fit ---------------------------------------------------------------------------------


def _basis(x: float, y: float, kind: Transform) -> list[float]:
    if kind == "affine":
        return [1.0, x, y]
    return [1.0, x, y, x * x, x * y, y * y]


def solve(matrix: list[list[float]], vector: list[float]) -> list[float] | None:
    """The solution of a small square linear system (Gaussian elimination with partial
    pivoting), or None when the system is singular."""
    n = len(vector)
    rows = [[*matrix[i], vector[i]] for i in range(n)]
    scale = max((abs(v) for row in matrix for v in row), default=0.0) or 1.0
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        if abs(rows[pivot][col]) <= 1e-12 * scale:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(col + 1, n):
            factor = rows[r][col] / rows[col][col]
            for c in range(col, n + 1):
                rows[r][c] -= factor * rows[col][c]
    solution = [0.0] * n
    for r in range(n - 1, -1, -1):
        total = rows[r][n] - sum(rows[r][c] * solution[c] for c in range(r + 1, n))
        solution[r] = total / rows[r][r]
    return solution


def least_squares(rows: Sequence[Sequence[float]], values: Sequence[float]) -> list[float] | None:
    """Coefficients c minimising |rows c - values|, from the normal equations (rows' c = ...)."""
    n = len(rows[0])
    normal = [[sum(row[i] * row[j] for row in rows) for j in range(n)] for i in range(n)]
    right = [sum(row[i] * value for row, value in zip(rows, values, strict=True)) for i in range(n)]
    return solve(normal, right)


@dataclass(frozen=True)
class _Normal:
    """Centre and scale of a point set: the fit works in units near 1, for a well-conditioned
    system whatever the scan's size."""

    cx: float
    cy: float
    scale: float

    @classmethod
    def of(cls, points: Sequence[tuple[float, float]]) -> _Normal:
        cx = sum(x for x, _ in points) / len(points)
        cy = sum(y for _, y in points) / len(points)
        spread = math.sqrt(sum((x - cx) ** 2 + (y - cy) ** 2 for x, y in points) / len(points))
        return cls(cx, cy, spread or 1.0)

    def apply(self, x: float, y: float) -> tuple[float, float]:
        return ((x - self.cx) / self.scale, (y - self.cy) / self.scale)


@dataclass(frozen=True)
class _Mapping:
    """One direction of a fit: normalised input, one polynomial per output coordinate."""

    kind: Transform
    normal: _Normal
    cx: tuple[float, ...]
    cy: tuple[float, ...]

    @classmethod
    def fit(
        cls, kind: Transform, source: list[tuple[float, float]], target: list[tuple[float, float]]
    ) -> _Mapping | None:
        normal = _Normal.of(source)
        rows = [_basis(*normal.apply(x, y), kind) for x, y in source]
        cx = least_squares(rows, [x for x, _ in target])
        cy = least_squares(rows, [y for _, y in target])
        if cx is None or cy is None:
            return None
        return cls(kind, normal, tuple(cx), tuple(cy))

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        basis = _basis(*self.normal.apply(x, y), self.kind)
        return (
            sum(c * b for c, b in zip(self.cx, basis, strict=True)),
            sum(c * b for c, b in zip(self.cy, basis, strict=True)),
        )


@dataclass(frozen=True)
class PlanFit:
    """A fitted plan: from the scan's pixels to the map's metres (x east, y south of the map's
    north-west corner, as kiosk/content/projection.py) and back, with each point's residual."""

    kind: Transform
    forward: _Mapping  # pixel -> map metres
    inverse: _Mapping  # map metres -> pixel (what warping the scan needs)
    residuals_m: tuple[float, ...]  # per control point, in their order

    def to_map(self, x: float, y: float) -> tuple[float, float]:
        return self.forward(x, y)

    def to_pixel(self, x: float, y: float) -> tuple[float, float]:
        return self.inverse(x, y)

    @property
    def rms_m(self) -> float:
        return math.sqrt(sum(r * r for r in self.residuals_m) / len(self.residuals_m))

    @property
    def worst(self) -> int:
        """The index of the point farthest from where it belongs."""
        return max(range(len(self.residuals_m)), key=lambda i: self.residuals_m[i])

    @property
    def exact(self) -> bool:
        """True when there are just enough points for the transform: it meets them all, so the
        residuals say nothing about the plan's accuracy."""
        return len(self.residuals_m) == MIN_POINTS[self.kind]


def fit_plan(
    kind: Transform, pixels: list[tuple[float, float]], ground: list[tuple[float, float]]
) -> PlanFit | None:
    """Fit pixels -> ground (map metres) and back; None when the points cannot fix it."""
    forward = _Mapping.fit(kind, pixels, ground)
    inverse = _Mapping.fit(kind, ground, pixels)
    if forward is None or inverse is None:
        return None
    residuals = tuple(
        math.dist(forward(*pixel), target) for pixel, target in zip(pixels, ground, strict=True)
    )
    return PlanFit(kind, forward, inverse, residuals)


def thinness(points: Sequence[tuple[float, float]]) -> float:
    """How far the points spread across their main direction, as a share of along it (0 for
    points on one line): the square root of the ratio of their covariance's eigenvalues."""
    n = len(points)
    cx = sum(x for x, _ in points) / n
    cy = sum(y for _, y in points) / n
    sxx = sum((x - cx) ** 2 for x, _ in points) / n
    syy = sum((y - cy) ** 2 for _, y in points) / n
    sxy = sum((x - cx) * (y - cy) for x, y in points) / n
    mean, diff = (sxx + syy) / 2, math.hypot((sxx - syy) / 2, sxy)
    largest, smallest = mean + diff, max(mean - diff, 0.0)
    return math.sqrt(smallest / largest) if largest > 0 else 0.0


# --- The points, from bundle.yaml or a Georeference Annotation -------------------------------


@dataclass(frozen=True)
class ControlPointAt:
    """A control point with where it is written, for messages about it."""

    pixel: tuple[float, float]
    lat: float
    lon: float
    file: str
    line: int
    column: int
    pixel_at: tuple[int, int]  # line and column of the pixel
    ground_at: tuple[int, int]  # line and column of the latitude (or the coordinates)


@dataclass(frozen=True)
class AnnotationPoints:
    """What a Georeference Annotation gives: its points, the size of the image it was made on
    (when it says), and the transformation it asks for."""

    points: list[ControlPointAt]
    size: tuple[float, float] | None
    size_at: tuple[int, int]
    transform: Transform | None
    transform_note: str | None  # why the asked-for transformation is not the one fitted


def _number_pair(value: Any) -> tuple[float, float] | None:
    if (
        isinstance(value, list)
        and len(value) >= 2
        and all(type(v) in (int, float) and math.isfinite(v) for v in value[:2])
    ):
        return (float(value[0]), float(value[1]))
    return None


def _transformation(body: dict[str, Any]) -> tuple[Transform | None, str | None]:
    found = body.get("transformation")
    if not isinstance(found, dict):
        return None, None
    kind = found.get("type")
    options = found.get("options") if isinstance(found.get("options"), dict) else {}
    order = options.get("order", 1) if isinstance(options, dict) else 1
    if kind == "polynomial":
        if order == 1:
            return "affine", None
        if order == 2:
            return "polynomial", None
        return "polynomial", f"a polynomial of order {order} is fitted as order 2"
    if kind in ("helmert", "straight"):
        return "affine", None
    if kind == "thinPlateSpline":
        return "polynomial", "a thin-plate spline is fitted as a polynomial (order 2)"
    return "affine", f"the transformation {kind!r} is fitted as affine"


def read_annotation(path: Path, file: str, problems: ProblemList) -> AnnotationPoints | None:  # noqa: C901 - one check per rule of the annotation format
    """The control points of a Georeference Annotation (a single Annotation, or an
    AnnotationPage holding one), with every mistake reported at its line and column."""
    try:
        if path.stat().st_size > MAX_ANNOTATION_BYTES:
            problems.error(file, 1, 1, "the annotation file is too large to be one plan's points")
            return None
        text = path.read_bytes().decode("utf-8-sig")
        data = json.loads(text)
    except OSError as exc:
        problems.error(file, 1, 1, f"the annotation cannot be read: {exc.strerror or exc}")
        return None
    except UnicodeDecodeError:
        problems.error(file, 1, 1, "the annotation is not UTF-8 text")
        return None
    except json.JSONDecodeError as exc:
        problems.error(
            file,
            exc.lineno,
            exc.colno,
            f"the annotation is not valid JSON ({exc.msg}); export it again",
        )
        return None
    except RecursionError:
        problems.error(file, 1, 1, "the annotation is nested too deeply to be JSON")
        return None

    def at(*path_: str | int) -> tuple[int, int]:
        return locate(text, path_)

    base: tuple[str | int, ...] = ()
    if isinstance(data, dict) and data.get("type") == "AnnotationPage":
        items = data.get("items")
        if not isinstance(items, list) or len(items) != 1:
            count = len(items) if isinstance(items, list) else 0
            problems.error(
                file,
                *at("items"),
                f"this annotation page holds {count} georeferenced maps; the kiosk shows one "
                "plan: export the annotation of that map alone",
            )
            return None
        data, base = items[0], ("items", 0)
    body = data.get("body") if isinstance(data, dict) else None
    features = body.get("features") if isinstance(body, dict) else None
    if not isinstance(features, list):
        problems.error(
            file,
            *at(*base),
            "this is not a Georeference Annotation: it has no body with features (the control "
            "points); export it from Allmaps Editor (Export, Georeference Annotation)",
        )
        return None
    points: list[ControlPointAt] = []
    for i, feature in enumerate(features):
        where = (*base, "body", "features", i)
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        pixel = None
        if isinstance(properties, dict):
            pixel = _number_pair(properties.get("resourceCoords", properties.get("pixelCoords")))
        if pixel is None:
            problems.error(
                file,
                *at(*where, "properties"),
                f"control point {i + 1} has no resourceCoords: its pixel on the scan, [x, y]",
            )
            continue
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        lonlat = _number_pair(coords)
        if lonlat is None or not isinstance(geometry, dict) or geometry.get("type") != "Point":
            problems.error(
                file,
                *at(*where, "geometry"),
                f"control point {i + 1} has no Point geometry with [longitude, latitude]",
            )
            continue
        line, column = at(*where)
        points.append(
            ControlPointAt(
                pixel,
                lonlat[1],
                lonlat[0],
                file,
                line,
                column,
                at(*where, "properties", "resourceCoords"),
                at(*where, "geometry", "coordinates"),
            )
        )
    target = data.get("target") if isinstance(data, dict) else None
    source = target.get("source") if isinstance(target, dict) else None
    size = None
    if isinstance(source, dict):
        size = _number_pair([source.get("width"), source.get("height")])
    transform, note = _transformation(body) if isinstance(body, dict) else (None, None)
    return AnnotationPoints(points, size, at(*base, "target", "source"), transform, note)


QGIS_COLUMNS = ("mapX", "mapY", "sourceX", "sourceY")


def _field_columns(line: str) -> list[int]:
    """The 1-based column where each comma-separated field of `line` starts."""
    columns, column = [], 1
    for field in line.split(","):
        columns.append(column)
        column += len(field) + 1
    return columns


def read_qgis_points(path: Path, file: str, problems: ProblemList) -> AnnotationPoints | None:  # noqa: C901 - one check per rule of the points format
    """The control points of a QGIS Georeferencer points file (`.points`): a `#CRS:` line, a
    header naming mapX, mapY, sourceX, sourceY (and enable), then one point a line. The map
    coordinates must be longitude and latitude (EPSG:4326); QGIS counts the scan's y upwards, so
    its sourceY is the pixel's y negated. Points not enabled are left out, as QGIS leaves them."""
    try:
        if path.stat().st_size > MAX_ANNOTATION_BYTES:
            problems.error(file, 1, 1, "the points file is too large to be one plan's points")
            return None
        lines = path.read_bytes().decode("utf-8-sig").splitlines()
    except OSError as exc:
        problems.error(file, 1, 1, f"the points file cannot be read: {exc.strerror or exc}")
        return None
    except UnicodeDecodeError:
        problems.error(file, 1, 1, "the points file is not UTF-8 text")
        return None
    header: dict[str, int] | None = None
    points: list[ControlPointAt] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            continue
        if text.startswith("#"):
            crs = text.removeprefix("#CRS:").strip()
            # Longitude and latitude are a geographic CRS (GEOGCRS in QGIS's WKT); a projected
            # one (PROJCRS, such as Web Mercator) gives metres.
            if text.startswith("#CRS:") and crs.startswith(("PROJCRS", "PROJCS")):
                problems.error(
                    file,
                    number,
                    1,
                    "the points' map coordinates are not longitude and latitude (WGS 84): in "
                    "the Georeferencer, choose EPSG:4326 for the points and save them again",
                )
                return None
            continue
        fields = [f.strip() for f in line.split(",")]
        if header is None:
            header = {name: i for i, name in enumerate(fields)}
            missing = [name for name in QGIS_COLUMNS if name not in header]
            if missing:
                problems.error(
                    file,
                    number,
                    1,
                    f"this is not a QGIS points file: its first line names no {missing[0]} "
                    "(it should be mapX,mapY,sourceX,sourceY,enable,...)",
                )
                return None
            continue
        columns = _field_columns(line)
        try:
            values = {name: float(fields[header[name]]) for name in QGIS_COLUMNS}
        except (ValueError, IndexError):
            problems.error(
                file, number, 1, "this line should hold four numbers: mapX,mapY,sourceX,sourceY"
            )
            continue
        enable = header.get("enable")
        if enable is not None and enable < len(fields) and fields[enable] == "0":
            continue  # switched off in the Georeferencer
        lon, lat = values["mapX"], values["mapY"]
        ground_at = (number, columns[header["mapX"]])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            problems.error(
                file,
                number,
                ground_at[1],
                f"[{lon:g}, {lat:g}] is not longitude and latitude (the points were saved in "
                "metres, in a projected CRS): choose EPSG:4326 for the points and save again",
            )
            return None
        pixel = (values["sourceX"], -values["sourceY"])
        pixel_at = (number, columns[header["sourceX"]])
        points.append(ControlPointAt(pixel, lat, lon, file, number, 1, pixel_at, ground_at))
    if header is None:
        problems.error(file, 1, 1, "the points file is empty: save the points from QGIS again")
        return None
    return AnnotationPoints(points, None, (1, 1), None, None)


def _points_from_yaml(plan: Plan, doc: YamlDocument) -> list[ControlPointAt]:
    points = []
    for i, point in enumerate(plan.points or []):
        line, column = doc.mark(("map", "plan", "points", i))
        points.append(
            ControlPointAt(
                (point.pixel[0], point.pixel[1]),
                point.lat,
                point.lon,
                doc.file,
                line,
                column,
                doc.mark(("map", "plan", "points", i, "pixel")),
                doc.mark(("map", "plan", "points", i, "lat")),
            )
        )
    return points


# --- Checking a plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class GeoPlan:
    """A plan ready to draw: its scan, its size in pixels, the fit and how opaque it is."""

    path: Path
    file: str
    width: int
    height: int
    fit: PlanFit
    opacity: float

    def corners(self) -> list[tuple[float, float]]:
        """The scan's corners on the map, in map metres (top-left, top-right, bottom-right,
        bottom-left)."""
        w, h = self.width, self.height
        return [self.fit.to_map(x, y) for x, y in ((0, 0), (w, 0), (w, h), (0, h))]


def _bounds_text(bounds: Bounds) -> str:
    return f"{bounds.south}-{bounds.north} N, {bounds.west}-{bounds.east} E"


def _scaled(points: list[ControlPointAt], sx: float, sy: float) -> list[ControlPointAt]:
    return [
        ControlPointAt(
            (p.pixel[0] * sx, p.pixel[1] * sy),
            p.lat,
            p.lon,
            p.file,
            p.line,
            p.column,
            p.pixel_at,
            p.ground_at,
        )
        for p in points
    ]


def _fit_to_image(
    annotated: AnnotationPoints, info: ImageInfo, file: str, problems: ProblemList
) -> list[ControlPointAt] | None:
    """The annotation's points on the scan in the bundle, which may be a scaled copy of the
    image the annotation was made on."""
    if annotated.size is None:
        return annotated.points
    aw, ah = annotated.size
    if (aw, ah) == (info.width, info.height):
        return annotated.points
    sx, sy = info.width / aw, info.height / ah
    if abs(sx / sy - 1) > 0.01:
        problems.error(
            file,
            *annotated.size_at,
            f"the annotation was made on an image of {aw:.0f} x {ah:.0f} pixels, but the scan is "
            f"{info.width} x {info.height}, another shape: a cropped or different image; place "
            "the points on this scan",
        )
        return None
    return _scaled(annotated.points, sx, sy)  # a smaller (or larger) copy of the same image


def check_plan(  # noqa: C901 - one check per rule of a plan
    plan: Plan,
    doc: YamlDocument,
    projection: Projection,
    resolve: Callable[[KeyPath, str], Path | None],
    problems: ProblemList,
) -> GeoPlan | None:
    """Check a bundle's plan and fit it; every mistake is reported, and the fit's residual too.

    `resolve(path, relative)` is the loader's check that a file named at `path` of bundle.yaml
    exists inside the bundle (it reports the error and returns None otherwise).
    """
    bounds = projection.bounds
    image = resolve(("map", "plan", "file"), plan.file)
    info = None
    if image is not None:
        info, problem = plan_image_problem(image)
        if problem is not None:
            line, column = doc.mark(("map", "plan", "file"))
            problems.error(doc.file, line, column, f"'{plan.file}': {problem}")
            info = None
    kind: Transform = plan.transform or "affine"
    note = None
    if plan.annotation is not None:
        annotation_path = resolve(("map", "plan", "annotation"), plan.annotation)
        if annotation_path is None:
            return None
        reader = read_qgis_points if plan.annotation.endswith(".points") else read_annotation
        annotated = reader(annotation_path, plan.annotation, problems)
        if annotated is None:
            return None
        kind = plan.transform or annotated.transform or "affine"
        note = annotated.transform_note if plan.transform is None else None
        count_at = doc.mark(("map", "plan", "annotation"), key=True)
        points = annotated.points
        if info is not None:
            fitted = _fit_to_image(annotated, info, plan.annotation, problems)
            if fitted is None:
                return None
            points = fitted
    else:
        points = _points_from_yaml(plan, doc)
        count_at = doc.mark(("map", "plan", "points"), key=True)
    ok = True
    for number, point in enumerate(points, start=1):
        if not bounds.contains(point.lat, point.lon):
            problems.error(
                point.file,
                *point.ground_at,
                f"control point {number} ({point.lat}, {point.lon}) is outside the map "
                f"({_bounds_text(bounds)}); a control point must lie on the map",
            )
            ok = False
        x, y = point.pixel
        if info is not None and not (0 <= x <= info.width and 0 <= y <= info.height):
            problems.error(
                point.file,
                *point.pixel_at,
                f"control point {number}'s pixel [{x:g}, {y:g}] is outside the scan "
                f"({info.width} x {info.height} pixels; x from the left, y from the top)",
            )
            ok = False
    needed = MIN_POINTS[kind]
    if len(points) < needed:
        what = "an affine fit" if kind == "affine" else "a polynomial fit"
        problems.error(
            doc.file,
            *count_at,
            f"the plan has {len(points)} ground control point{'s' * (len(points) != 1)}; "
            f"{what} needs at least {needed}, spread over the plan",
        )
        return None
    pixels = [p.pixel for p in points]
    ground = [projection.project(p.lat, p.lon) for p in points]
    for number, point in enumerate(points, start=1):
        earlier = pixels.index(point.pixel)
        if earlier < number - 1:
            problems.error(
                point.file,
                *point.pixel_at,
                f"control point {number} is on the same pixel as point {earlier + 1}",
            )
            ok = False
    if thinness(pixels) < THIN or thinness(ground) < THIN:
        problems.error(
            doc.file,
            *count_at,
            "the control points lie on one line (or nearly), so the plan's scale and turn across "
            "that line cannot be worked out; add points away from it, near the plan's corners",
        )
        return None
    if not ok or info is None or image is None:
        return None
    fit = fit_plan(kind, pixels, ground)
    if fit is None:  # pragma: no cover - the thinness check above catches degenerate sets
        problems.error(doc.file, *count_at, "the control points cannot place the plan")
        return None
    _report_fit(fit, points, note, doc, count_at, problems)
    return GeoPlan(image, plan.file, info.width, info.height, fit, plan.opacity)


def _report_fit(
    fit: PlanFit,
    points: list[ControlPointAt],
    note: str | None,
    doc: YamlDocument,
    count_at: tuple[int, int],
    problems: ProblemList,
) -> None:
    worst = fit.worst
    point = points[worst]
    summary = (
        f"the plan's {fit.kind} fit misses its {len(points)} control points by "
        f"{fit.rms_m:.1f} m (root mean square); the farthest, point {worst + 1}, by "
        f"{fit.residuals_m[worst]:.1f} m"
    )
    if note:
        summary += f" ({note})"
    if fit.exact:
        problems.info(
            doc.file,
            *count_at,
            f"the plan's {fit.kind} fit has just enough points ({len(points)}) to meet every one "
            "exactly, so nothing checks it: add a point or two, spread over the plan, to see "
            "how well it fits",
        )
    elif fit.residuals_m[worst] > RESIDUAL_WARNING_M:
        problems.warning(
            point.file,
            point.line,
            point.column,
            f"{summary}: over {RESIDUAL_WARNING_M:.0f} m the old streets visibly miss today's; "
            f"check point {worst + 1} (pixel and place), or add points"
            + (" or use transform: polynomial" if fit.kind == "affine" else ""),
        )
    else:
        problems.info(doc.file, *count_at, summary)
