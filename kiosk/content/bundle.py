"""The assembled bundle: manifest, places, quotations, events, people, labels, glossary, map
geometry, and the historical plan when there is one.

This is the only thing the UI reads; it is built by `kiosk.content.loader.load_bundle` and never
changes afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kiosk.content.data import Event, GlossaryTerm, Manifest, MapLabel, Person, Place, Quote
from kiosk.content.geojson import LayerGeometry
from kiosk.content.plan import GeoPlan
from kiosk.content.projection import Projection


@dataclass(frozen=True)
class Bundle:
    """A whole bundle, validated: its files' contents plus the projected map layers."""

    root: Path
    manifest: Manifest
    places: dict[str, Place]
    quotes: dict[str, Quote]
    events: tuple[Event, ...]  # in time order
    layers: tuple[LayerGeometry, ...]  # in drawing order, bottom first
    people: dict[str, Person] = field(default_factory=dict)  # people.yaml (optional file)
    labels: dict[str, MapLabel] = field(default_factory=dict)  # labels.yaml (optional file)
    glossary: dict[str, GlossaryTerm] = field(default_factory=dict)  # glossary.yaml (optional)
    plan: GeoPlan | None = None  # map.plan: a historical plan over the map (optional)

    @property
    def default_language(self) -> str:
        return self.manifest.languages[0]

    # cached_property writes the instance __dict__ directly, so it works on a frozen dataclass.
    @cached_property
    def projection(self) -> Projection:
        return Projection(self.manifest.map.bounds)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {event.id: i for i, event in enumerate(self.events)}

    def event(self, event_id: str) -> Event:
        return self.events[self._positions[event_id]]

    def index_of(self, event_id: str) -> int:
        return self._positions[event_id]
