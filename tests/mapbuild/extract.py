"""A small OpenStreetMap extract for the map-build tests, written as .osm XML (and as .osm.pbf
through pyosmium's writer), with one of each thing a base map draws or must leave out.

The town lies in 10.00-10.04 E, 50.00-50.03 N (BOUNDS); the extract reaches a little beyond it
(9.99-10.05 E, 49.99-50.04 N), so lines that cross the bounds must come out clipped.
"""

from __future__ import annotations

from pathlib import Path

import osmium

BOUNDS = "10.0,50.0,10.04,50.03"
EXTRACT_BOX = (9.99, 49.99, 10.05, 50.04)

# id: (lon, lat)
NODES = {
    # a lake, and a riverbank overlapping it (their union is one area)
    1: (10.010, 50.010), 2: (10.020, 50.010), 3: (10.020, 50.020), 4: (10.010, 50.020),
    5: (10.015, 50.012), 6: (10.025, 50.012), 7: (10.025, 50.018), 8: (10.015, 50.018),
    # a river right across the extract, wider than the bounds
    10: (9.990, 50.005), 11: (10.050, 50.005),
    # a canal in a tunnel (left out)
    12: (10.030, 50.002), 13: (10.035, 50.002),
    # a multipolygon pond with an island
    20: (10.030, 50.020), 21: (10.038, 50.020), 22: (10.038, 50.028), 23: (10.030, 50.028),
    24: (10.033, 50.023), 25: (10.035, 50.023), 26: (10.035, 50.025), 27: (10.033, 50.025),
    # streets
    30: (10.001, 50.015), 31: (10.039, 50.015), 32: (10.005, 50.001), 33: (10.005, 50.029),
    34: (10.001, 50.025), 35: (10.020, 50.025), 36: (10.002, 50.022), 37: (10.008, 50.022),
    # railways: a main line crossing the bounds, and a siding (left out)
    40: (10.045, 49.995), 41: (10.025, 50.035), 42: (10.028, 50.006), 43: (10.029, 50.008),
    # a park and a wood
    50: (10.002, 50.002), 51: (10.008, 50.002), 52: (10.008, 50.008), 53: (10.002, 50.008),
    54: (10.032, 50.010), 55: (10.038, 50.010), 56: (10.038, 50.014), 57: (10.032, 50.014),
    # far in the extract's corner, outside the bounds
    60: (10.045, 50.035), 61: (10.049, 50.039),
}  # fmt: skip

# id: (node ids, tags)
WAYS: dict[int, tuple[list[int], dict[str, str]]] = {
    100: ([1, 2, 3, 4, 1], {"natural": "water", "name": "Mill Pond"}),
    101: ([5, 6, 7, 8, 5], {"waterway": "riverbank"}),
    102: ([10, 11], {"waterway": "river", "name": "Test River"}),
    103: ([12, 13], {"waterway": "canal", "tunnel": "culvert"}),
    104: ([20, 21, 22, 23, 20], {}),
    105: ([24, 25, 26, 27, 24], {}),
    110: ([30, 31], {"highway": "primary", "name": "High Street"}),
    111: ([32, 33], {"highway": "secondary", "name": "Long Road"}),
    112: ([34, 35], {"highway": "residential", "name": "Mill Lane"}),
    113: ([36, 37], {"highway": "footway"}),
    114: ([31, 61], {"highway": "primary_link"}),
    120: ([40, 41], {"railway": "rail"}),
    121: ([42, 43], {"railway": "rail", "service": "siding"}),
    130: ([50, 51, 52, 53, 50], {"leisure": "park", "name": "Town Park"}),
    131: ([54, 55, 56, 57, 54], {"landuse": "forest"}),
    132: ([60, 61], {"highway": "residential", "name": "Far Lane"}),
    # a way whose nodes the extract lacks (cut at its edge): left out, not a crash
    140: ([998, 999], {"highway": "tertiary"}),
}
RELATIONS = {
    200: ([(104, "outer"), (105, "inner")], {"type": "multipolygon", "natural": "water"}),
}


def _tags(tags: dict[str, str]) -> str:
    return "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())


def osm_xml(box: tuple[float, float, float, float] = EXTRACT_BOX) -> str:
    west, south, east, north = box
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<osm version="0.6" generator="kiosk tests">',
        f'  <bounds minlon="{west}" minlat="{south}" maxlon="{east}" maxlat="{north}"/>',
    ]
    for node_id, (lon, lat) in NODES.items():
        lines.append(f'  <node id="{node_id}" version="1" lat="{lat}" lon="{lon}"/>')
    for way_id, (refs, tags) in WAYS.items():
        nds = "".join(f'<nd ref="{ref}"/>' for ref in refs)
        lines.append(f'  <way id="{way_id}" version="1">{nds}{_tags(tags)}</way>')
    for rel_id, (members, tags) in RELATIONS.items():
        mem = "".join(f'<member type="way" ref="{ref}" role="{role}"/>' for ref, role in members)
        lines.append(f'  <relation id="{rel_id}" version="1">{mem}{_tags(tags)}</relation>')
    lines.append("</osm>")
    return "\n".join(lines) + "\n"


def write_xml(path: Path) -> Path:
    path.write_text(osm_xml(), encoding="utf-8")
    return path


def write_pbf(xml: Path, path: Path) -> Path:
    """The same data as .osm.pbf, through pyosmium's writer (its header has no bounding box, so
    the build falls back on the extent of the data)."""
    writer = osmium.SimpleWriter(str(path), overwrite=True)
    try:
        for obj in osmium.FileProcessor(str(xml)):
            writer.add(obj)
    finally:
        writer.close()
    return path
