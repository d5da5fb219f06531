"""A small, valid bundle written into tmp_path, and helpers to break one file at a time.

Every loader test starts from this bundle (which validates with no problems at all) and changes
exactly one thing, so each test shows one mistake and the one problem it must produce. The line
numbers the tests assert are those of the texts below: edit them with care.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

BUNDLE_ID = "test-bundle"

BUNDLE_YAML = """\
    format: 1
    id: test-bundle
    version: "1.0.0"
    title: {en: "Test exhibit", ru: "Тестовая выставка"}
    languages: [en, ru]
    calendar: julian
    dates: {start: 1917-02-23, end: 1917-03-03}
    map:
      bounds: {west: 30.2, south: 59.9, east: 30.4, north: 60.0}
      layers:
        - id: water
          file: map/water.geojson
          fill: "#b9cdd0"
      attribution:
        - "Map data © OpenStreetMap contributors, ODbL 1.0"
    categories:
      strike:
        label: {en: "Strikes", ru: "Забастовки"}
        colour: "#e69f00"
      mutiny:
        label: {en: "Mutinies", ru: "Солдатские восстания"}
        colour: "#0072b2"
        shape: diamond
"""

PLACES_YAML = """\
    znamenskaya-square:
      name: {en: "Znamenskaya Square", ru: "Знаменская площадь"}
      lat: 59.9311
      lon: 30.3615
    volynsky-barracks:
      name: {en: "Volynsky Regiment barracks", ru: "Казармы Волынского полка"}
      lat: 59.9436
      lon: 30.3614
    pskov-station:
      name: {en: "Pskov station", ru: "Вокзал в Пскове"}
      lat: 57.812
      lon: 28.352
      off_map: true
"""

QUOTES_YAML = """\
    bread-banner:
      text: {en: "Bread!", ru: "Хлеба!"}
      original_language: ru
      translation: {en: "Translated for this exhibit"}
      author: {en: "Banner of the strikers", ru: "Лозунг бастующих"}
      source: {en: "Exhibit research notes", ru: "Материалы выставки"}
    kirpichnikov-pact:
      text: {en: "We will not shoot at the people again."}
      original_language: ru
      translation: {en: "Translated for this exhibit"}
      author: {en: "Timofei Kirpichnikov", ru: "Тимофей Кирпичников"}
      source: {en: "Recollections", ru: "Воспоминания"}
      date: 1917-02-27
"""

EVENTS = {
    "women-day-strike": """\
        id: women-day-strike
        date: 1917-02-23
        place: znamenskaya-square
        category: strike
        title: {en: "Women's Day strike", ru: "Забастовка в Женский день"}
        summary: {en: "Textile workers walk out.", ru: "Работницы бросают работу."}
        body:
          en: |
            Textile workers walked out.

            By evening the strike had spread.
          ru: "Работницы текстильных фабрик бросили работу."
        quotes: [bread-banner]
        sources: ["Trotsky, The History of the Russian Revolution, vol. 1, ch. 7"]
    """,
    "volynsky-mutiny": """\
        id: volynsky-mutiny
        date: 1917-02-27
        time: "05:00"
        time_end: "07:00"
        time_approximate: true
        place: volynsky-barracks
        category: mutiny
        title: {en: "The Volynsky mutiny", ru: "Восстание волынцев"}
        summary: {en: "The soldiers refuse orders.", ru: "Солдаты отказываются подчиняться."}
        body: {en: "At the morning muster they refused.", ru: "На построении они отказались."}
        quotes: [kirpichnikov-pact]
    """,
    "abdication": """\
        id: abdication
        date: 1917-03-02
        place: pskov-station
        category: mutiny
        title: {en: "The Tsar abdicates", ru: "Отречение царя"}
        summary: {en: "In his train at Pskov.", ru: "В поезде в Пскове."}
        body: {en: "Nicholas II signs.", ru: "Николай II подписывает."}
    """,
}

# A square of water and a line (a canal) inside the bounds, and a point that is ignored.
WATER_GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "pond"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[30.30, 59.95], [30.32, 59.95], [30.32, 59.96], [30.30, 59.96], [30.30, 59.95]]
                ],
            },
        },
        {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "LineString", "coordinates": [[30.25, 59.93], [30.35, 59.93]]},
        },
        {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "Point", "coordinates": [30.3, 59.94]},
        },
    ],
}


@dataclass
class BundleFiles:
    """The fixture bundle's folder, with helpers to rewrite one file."""

    root: Path

    def path(self, relative: str) -> Path:
        return self.root / relative

    def read(self, relative: str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def write(self, relative: str, text: str) -> None:
        """Replace a file's whole text (dedented, so tests can indent it like code)."""
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")

    def replace(self, relative: str, old: str, new: str) -> None:
        """Change one spot of a file; `old` must occur exactly once, so the edit is unambiguous."""
        text = self.read(relative)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {relative}"
        self.path(relative).write_text(text.replace(old, new), encoding="utf-8")


def write_bundle(root: Path) -> BundleFiles:
    """Write the valid test bundle into `root` (created)."""
    files = BundleFiles(root)
    files.write("bundle.yaml", BUNDLE_YAML)
    files.write("places.yaml", PLACES_YAML)
    files.write("quotes.yaml", QUOTES_YAML)
    for event_id, text in EVENTS.items():
        files.write(f"events/{event_id}.yaml", text)
    files.write("map/water.geojson", json.dumps(WATER_GEOJSON, indent=2))
    return files


@pytest.fixture
def bundle(tmp_path: Path) -> BundleFiles:
    """A fresh valid bundle in tmp_path/test-bundle (the folder name matches the bundle id)."""
    return write_bundle(tmp_path / BUNDLE_ID)
