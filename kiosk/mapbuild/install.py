"""Putting a built base map into a bundle: the GeoJSON files, bundle.yaml's map section, the
licence file, and (for `kiosk new --osm`) a starter whose places and labels fit the new map.

bundle.yaml is the curator's own file, so only its top-level `map:` block is rewritten, in place;
every other line and comment stays as it was. Inside the block the bounds and layers are the
build's; `paper`, `max_zoom`, the styles of layers with the same ids (the bundle's palette), the
curator's own layers and every other field (such as `plan`) are kept.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from shapely.geometry import LineString

from kiosk.content.data import Bounds, is_id
from kiosk.mapbuild import MapBuildError
from kiosk.mapbuild.layers import LAYER_IDS, WHAT, BuiltLayer, LayerStyle

ODBL_ATTRIBUTION = "Map data © OpenStreetMap contributors, ODbL 1.0"
LICENSE_FILE = "map/LICENSE.md"
BEGIN_MARK = "<!-- kiosk map build: begin (rewritten by each build) -->"
END_MARK = "<!-- kiosk map build: end -->"
_TOP_LEVEL_KEY = re.compile(r"^[^\s#]")
_MAP_KEY = re.compile(r"^map\s*:\s*(#.*)?$")
LAYER_FIELDS = ("id", "file", "fill", "stroke", "width", "dash")
MANAGED = ("bounds", "paper", "max_zoom", "layers", "attribution")  # written by the build


@dataclass(frozen=True)
class Source:
    """Where a base map came from, for the comment in bundle.yaml and the licence file."""

    name: str  # the extract's file name
    timestamp: str | None  # the OpenStreetMap data's date, if the extract says


def format_bounds(bounds: Bounds) -> str:
    return f"{bounds.west!r},{bounds.south!r},{bounds.east!r},{bounds.north!r}"


def read_map_section(folder: Path) -> tuple[str, dict[str, Any]]:
    """bundle.yaml's text and its `map` mapping, or MapBuildError if it cannot be read."""
    path = folder / "bundle.yaml"
    if not path.is_file():
        raise MapBuildError(f"{folder} has no bundle.yaml; is it a content bundle?")
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise MapBuildError(
            f"{path}: cannot be read ({first}); run `python -m kiosk validate {folder}`"
        ) from None
    section = data.get("map") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        raise MapBuildError(f"{path}: has no map section to rebuild; see docs/bundle-format.md")
    return text, section


def styles_of(section: dict[str, Any]) -> dict[str, LayerStyle]:
    """The styles of a bundle's existing layers, by id (its palette)."""
    styles = {}
    for layer in section.get("layers") or []:
        if isinstance(layer, dict) and layer.get("id") in LAYER_IDS:
            width = layer.get("width", 1.0)
            styles[layer["id"]] = LayerStyle(
                layer["id"],
                fill=layer.get("fill") if isinstance(layer.get("fill"), str) else None,
                stroke=layer.get("stroke") if isinstance(layer.get("stroke"), str) else None,
                width=float(width) if isinstance(width, int | float) else 1.0,
                dash=layer.get("dash") is True,
            )
    return styles


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _layer_lines(layer: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for key in (*LAYER_FIELDS, *(k for k in layer if k not in LAYER_FIELDS)):
        if key not in layer or layer[key] is None:
            continue
        value = layer[key]
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, int | float):
            text = _number(value)
        elif isinstance(value, str):
            text = _quoted(value) if key in ("fill", "stroke") or ":" in value else value
        else:
            text = json.dumps(value, ensure_ascii=False)
        lines.append(f"    {'- ' if not lines else '  '}{key}: {text}")
    return lines


def _style_fields(built: BuiltLayer) -> dict[str, Any]:
    style = built.style
    fields: dict[str, Any] = {"id": style.id, "file": built.file}
    fields.update(fill=style.fill, stroke=style.stroke, width=style.width)
    if style.dash:
        fields["dash"] = True
    return fields


def map_block(
    section: dict[str, Any],
    bounds: Bounds,
    built: list[BuiltLayer],
    source: Source,
    *,
    fresh: bool = False,
    original: str | None = None,
) -> tuple[str, list[str]]:
    """The new `map:` block, and the files of layers it no longer names. `fresh`: the layers
    and attribution there were are dropped (a starter's sketch), not kept."""
    if fresh:
        section = {k: v for k, v in section.items() if k not in ("layers", "attribution")}
    kept = [
        layer
        for layer in section.get("layers") or []
        if isinstance(layer, dict) and layer.get("id") not in LAYER_IDS
    ]
    dropped = [
        str(layer.get("file"))
        for layer in section.get("layers") or []
        if isinstance(layer, dict)
        and layer.get("id") in LAYER_IDS
        and layer.get("file") not in {b.file for b in built}
    ]
    attribution = [a for a in section.get("attribution") or [] if isinstance(a, str)]
    if not any("openstreetmap" in a.lower() for a in attribution):
        attribution.insert(0, ODBL_ATTRIBUTION)
    data_date = f", OpenStreetMap data of {source.timestamp}" if source.timestamp else ""
    lines = [
        "map:",
        f"  # Built from {source.name} by `python -m kiosk map build` on "
        f"{dt.date.today().isoformat()}{data_date};",
        "  # run it again to rebuild the layers (styles, paper and your own layers are kept).",
        f"  bounds: {{west: {bounds.west!r}, south: {bounds.south!r}, "
        f"east: {bounds.east!r}, north: {bounds.north!r}}}",
        f"  paper: {_quoted(str(section.get('paper', '#efe6d0')))}",
        f"  max_zoom: {_number(float(section.get('max_zoom', 8)))}",
        "  layers:                       # drawn in this order: the first at the bottom",
    ]
    for layer in [*(_style_fields(b) for b in built), *kept]:
        lines.extend(_layer_lines(layer))
    lines.append("  attribution:                  # credits for the map data, shown on the map")
    lines.extend(f"    - {_quoted(a)}" for a in attribution)
    others = {k: v for k, v in section.items() if k not in MANAGED}
    if others:
        as_written = original_children(original, set(others)) if original else None
        if as_written is not None:  # as the curator wrote them, comments and all
            lines.append(as_written.rstrip("\n"))
        else:
            dumped = yaml.safe_dump(others, allow_unicode=True, sort_keys=False, width=96)
            lines.extend(f"  {line}" for line in dumped.splitlines())
    return "\n".join(lines) + "\n", dropped


def _block_lines(text: str) -> tuple[list[str], int, int]:
    """bundle.yaml's lines, and where its top-level `map:` block starts and ends."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _MAP_KEY.match(line)), None)
    if start is None:
        raise MapBuildError("bundle.yaml: no top-level 'map:' line to rebuild")
    end = next(
        (i for i in range(start + 1, len(lines)) if _TOP_LEVEL_KEY.match(lines[i])), len(lines)
    )
    # Comments and blank lines just before the next field belong to it.
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return lines, start, end


def original_children(text: str, keys: set[str]) -> str | None:
    """The text of the `map:` block's fields named in `keys`, as written (None if the block is
    not written one field a line, such as in flow style)."""
    lines, start, end = _block_lines(text)
    body = lines[start + 1 : end]
    indents = {len(line) - len(line.lstrip(" ")) for line in body if line.strip()}
    if not indents:
        return None
    indent = min(indents)
    child = re.compile(rf"^ {{{indent}}}([A-Za-z_][A-Za-z0-9_]*)\s*:")
    kept: list[str] = []
    current: str | None = None
    found: set[str] = set()
    for line in body:
        match = child.match(line)
        if match:
            current = match.group(1)
            found.add(current)
        if current in keys:
            kept.append(line)
    if found & keys != keys:
        return None
    return "".join(kept)


def replace_map_block(text: str, block: str) -> str:
    """`text` (bundle.yaml) with its top-level `map:` block replaced by `block`."""
    lines, start, end = _block_lines(text)
    return "".join(lines[:start]) + block + "".join(lines[end:])


def license_text(built: list[BuiltLayer], bounds: Bounds, source: Source) -> str:
    data_date = f" (OpenStreetMap data of {source.timestamp})" if source.timestamp else ""
    rows = "\n".join(
        f"| `{Path(b.file).name}` | {WHAT[b.style.id]} | {b.features} |" for b in built
    )
    return f"""{BEGIN_MARK}
# Map data: licence and provenance

The GeoJSON layers listed below were built from the OpenStreetMap extract `{source.name}`{data_date}
by `python -m kiosk map build` on {dt.date.today().isoformat()}, clipped to
{bounds.west!r} to {bounds.east!r} E and {bounds.south!r} to {bounds.north!r} N:

    Map data © OpenStreetMap contributors, ODbL 1.0 (openstreetmap.org/copyright)

They are made available under the Open Database License 1.0
(https://opendatacommons.org/licenses/odbl/1-0/). The map the kiosk draws from them is a Produced
Work and shows the attribution above on screen; the files themselves, redistributed inside the
kiosk or a bundle, stay under ODbL 1.0 (share-alike).

| file | what | features |
| --- | --- | --- |
{rows}

OpenStreetMap shows today's city: streets, shorelines and railways may differ from the period of
the exhibit. Say so in the bundle's credits where it matters.
{END_MARK}
"""


def write_license(folder: Path, built: list[BuiltLayer], bounds: Bounds, source: Source) -> Path:
    """map/LICENSE.md: the build's section replaced, anything a curator wrote around it kept."""
    path = folder / LICENSE_FILE
    ours = license_text(built, bounds, source)
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if BEGIN_MARK in old and END_MARK in old:
        before, rest = old.split(BEGIN_MARK, 1)
        after = rest.split(END_MARK, 1)[1].removeprefix("\n")
        text = before + ours + after
    elif old.strip():
        text = ours + "\n## Earlier notes on this folder\n\n" + old
    else:
        text = ours
    path.write_text(text, encoding="utf-8")
    return path


def install_map(
    folder: Path, built: list[BuiltLayer], bounds: Bounds, source: Source, *, fresh: bool = False
) -> tuple[list[Path], list[str]]:
    """Write the layers, bundle.yaml's map section and map/LICENSE.md into a bundle (`fresh`:
    drop the layers and attribution bundle.yaml had).

    Returns the files written and the files of layers bundle.yaml no longer names (left in
    place: they may be the curator's own)."""
    text, section = read_map_section(folder)
    block, dropped = map_block(section, bounds, built, source, fresh=fresh, original=text)
    new_text = replace_map_block(text, block)
    (folder / "map").mkdir(exist_ok=True)
    written = []
    for layer in built:
        path = folder / layer.file
        path.write_text(layer.text, encoding="utf-8")
        written.append(path)
    (folder / "bundle.yaml").write_text(new_text, encoding="utf-8")
    written.append(folder / "bundle.yaml")
    written.append(write_license(folder, built, bounds, source))
    return written, dropped


# --- kiosk new --osm: the starter's places and labels made to fit the new map ---------------

OFF_MAP_LINE = (
    "  off_map: true                 # far from this map: shown at its edge, pointing the way\n"
)
MAX_LABELS = 3
LABEL_POINTS = 6


def mark_far_places(folder: Path, bounds: Bounds) -> list[str]:
    """Add `off_map: true` to the starter's places outside `bounds`; returns their ids."""
    path = folder / "places.yaml"
    text = path.read_text(encoding="utf-8")
    places = yaml.safe_load(text) or {}
    lines = text.splitlines(keepends=True)
    marked = []
    for place_id, place in places.items():
        if bounds.contains(place["lat"], place["lon"]) or place.get("off_map"):
            continue
        start = next(i for i, line in enumerate(lines) if line.startswith(f"{place_id}:"))
        for i in range(start + 1, len(lines)):
            if _TOP_LEVEL_KEY.match(lines[i]):
                break
            if re.match(r"^\s+lon\s*:", lines[i]):
                lines.insert(i + 1, OFF_MAP_LINE)
                marked.append(place_id)
                break
    path.write_text("".join(lines), encoding="utf-8")
    return marked


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _label_line(line: LineString, bounds: Bounds) -> list[list[float]]:
    points = []
    for i in range(LABEL_POINTS):
        point = line.interpolate(line.length * i / (LABEL_POINTS - 1))
        lat = min(max(round(point.y, 5), bounds.south), bounds.north)
        lon = min(max(round(point.x, 5), bounds.west), bounds.east)
        points.append([lat, lon])
    return points


def waterway_labels(built: list[BuiltLayer], bounds: Bounds) -> list[tuple[str, str, str, Any]]:
    """(id, kind, name, [lat, lon] points) for the longest named rivers and canals."""
    waterways = next((b for b in built if b.style.id == "waterways"), None)
    if waterways is None:
        return []
    longest: dict[str, tuple[float, str, LineString]] = {}
    for feature in json.loads(waterways.text)["features"]:
        name = feature["properties"].get("name")
        line = LineString(feature["geometry"]["coordinates"])
        if name and (name not in longest or line.length > longest[name][0]):
            longest[name] = (line.length, feature["properties"]["kind"], line)
    chosen = sorted(longest.items(), key=lambda item: -item[1][0])[:MAX_LABELS]
    labels, used = [], set()
    for number, (name, (_, kind, line)) in enumerate(chosen, start=1):
        label_id = _slug(name)
        if not is_id(label_id) or label_id in used:
            label_id = f"{kind}-{number}"
        used.add(label_id)
        labels.append((label_id, kind, name, _label_line(line, bounds)))
    return labels


def relabel_starter(folder: Path, built: list[BuiltLayer], bounds: Bounds) -> bool:
    """Replace the starter's labels (of the template's city) by the new map's named rivers and
    canals; without any, labels.yaml (optional) is removed. Returns whether labels remain."""
    path = folder / "labels.yaml"
    text = path.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    manifest = yaml.safe_load((folder / "bundle.yaml").read_text(encoding="utf-8"))
    languages = manifest["languages"]
    labels = waterway_labels(built, bounds)
    if not labels:
        path.unlink()
        return False
    parts = [
        header,
        "# The labels below: the longest named rivers and canals of the OpenStreetMap extract.\n",
    ]
    for label_id, kind, name, points in labels:
        names = ", ".join(f"{language}: {_quoted(name)}" for language in languages)
        line = ", ".join(f"[{lat!r}, {lon!r}]" for lat, lon in points)
        parts.append(f"\n{label_id}:\n  kind: {kind}\n  name: {{{names}}}\n  line: [{line}]\n")
    path.write_text("".join(parts), encoding="utf-8")
    return True
