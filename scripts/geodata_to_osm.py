"""Write the Petrograd exhibit's OpenStreetMap GeoJSON as a small OpenStreetMap .osm file.

    python scripts/geodata_to_osm.py content/petrograd-1917/map OUT.osm

A curator downloads an extract (openstreetmap.org's Export, or an extract service). The
repository has none, but the Petrograd bundle's map folder holds layers that were taken from
OpenStreetMap (ODbL; see its LICENSE.md and the shared geodata folder's SOURCES.md). This script
turns them back into OSM XML, so that the curators' walk-through in docs/curators.md can run
`kiosk new --osm` and `kiosk map build` on a real file: water polygons become natural=water
areas (a multipolygon where one has holes), waterway centrelines waterway=canal (the source has
no names or kinds for them), roads keep their highway class and name, railways railway=rail.
Parks are left out: the source's green areas are kept apart as unverified.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr


class Writer:
    """Numbers the nodes, ways and relations of an .osm file as they are added."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[float, float], int] = {}
        self.ways: list[str] = []
        self.relations: list[str] = []
        self.next_way = 1

    def node(self, lon: float, lat: float) -> int:
        key = (round(lon, 7), round(lat, 7))
        if key not in self.nodes:
            self.nodes[key] = len(self.nodes) + 1
        return self.nodes[key]

    def way(self, coordinates: list[list[float]], tags: dict[str, str]) -> int:
        way_id = self.next_way
        self.next_way += 1
        refs = "".join(f'<nd ref="{self.node(lon, lat)}"/>' for lon, lat, *_ in coordinates)
        self.ways.append(f'  <way id="{way_id}" version="1">{refs}{_tags(tags)}</way>')
        return way_id

    def area(self, rings: list[list[list[float]]], tags: dict[str, str]) -> None:
        if len(rings) == 1:
            self.way(rings[0], tags)
            return
        members = [
            (self.way(ring, {}), "outer" if n == 0 else "inner") for n, ring in enumerate(rings)
        ]
        relation_id = len(self.relations) + 1
        body = "".join(f'<member type="way" ref="{ref}" role="{role}"/>' for ref, role in members)
        tags = {"type": "multipolygon", **tags}
        self.relations.append(
            f'  <relation id="{relation_id}" version="1">{body}{_tags(tags)}</relation>'
        )

    def xml(self) -> str:
        lons = [lon for lon, _ in self.nodes]
        lats = [lat for _, lat in self.nodes]
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<osm version="0.6" generator="scripts/geodata_to_osm.py">',
            f'  <bounds minlon="{min(lons)}" minlat="{min(lats)}" maxlon="{max(lons)}"'
            f' maxlat="{max(lats)}"/>',
        ]
        for (lon, lat), node_id in self.nodes.items():
            lines.append(f'  <node id="{node_id}" version="1" lat="{lat}" lon="{lon}"/>')
        return "\n".join(lines + self.ways + self.relations + ["</osm>", ""])


def _tags(tags: dict[str, str]) -> str:
    return "".join(f"<tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items())


def _features(path: Path) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["features"]
    return features


def convert(geodata: Path) -> str:
    writer = Writer()
    for feature in _features(geodata / "water_areas_osm.geojson"):
        writer.area(feature["geometry"]["coordinates"], {"natural": "water"})
    for feature in _features(geodata / "waterway_lines_osm.geojson"):
        writer.way(feature["geometry"]["coordinates"], {"waterway": "canal"})
    for feature in _features(geodata / "railways_osm_modern.geojson"):
        writer.way(feature["geometry"]["coordinates"], {"railway": "rail"})
    for feature in _features(geodata / "roads_central_osm.geojson"):
        properties = feature["properties"]
        tags = {"highway": properties["highway"]}
        if properties.get("name"):
            tags["name"] = properties["name"]
        writer.way(feature["geometry"]["coordinates"], tags)
    return writer.xml()


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    text = convert(Path(sys.argv[1]))
    Path(sys.argv[2]).write_text(text, encoding="utf-8")
    print(f"{sys.argv[2]}: {text.count('<node ')} nodes, {text.count('<way ')} ways")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
