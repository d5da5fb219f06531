"""The curator's bar above the preview: coordinates, ids and a search, for writing a bundle.

- A tap or click on the map says where it is (latitude and longitude, five decimals: about a
  metre) and copies a ready places.yaml entry for that spot to the clipboard.
- A press on a marker says which event and place it shows (their ids, and the event's file).
  The press still does what it does for a visitor: the panel opens as well.
- The search box finds places (places.yaml) and names on the map (labels.yaml) by any of their
  names or their id; choosing one brings the map to it and says where it is.

The bar watches the map of whichever window the preview shows (it follows every reload) and
never takes a touch or a click away from the exhibit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QMouseEvent, QTouchEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from kiosk.content import Bundle
from kiosk.ui.journey import theme
from kiosk.ui.map.markers import MarkerItem
from kiosk.ui.map.motion import Camera
from kiosk.ui.shell.host import BundleHost
from kiosk.ui.shell.main_window import MainWindow

TAP_PX = 10  # a press and release closer than this is a tap, not a drag of the map
FOUND_ZOOM = 4.0  # a place found is shown at least this close (times the whole-city view)
MAX_RESULTS = 12
DECIMALS = 5  # about a metre


@dataclass(frozen=True)
class Found:
    """A place or a map label matching a search."""

    kind: str  # "place" or "label"
    id: str
    name: str  # in the language shown, else the first there is
    lat: float
    lon: float
    off_map: bool = False

    def line(self) -> str:
        file = "places.yaml" if self.kind == "place" else "labels.yaml"
        return f"{self.name} ({self.kind} '{self.id}' in {file})"


def places_entry(lat: float, lon: float, languages: list[str], taken: set[str]) -> str:
    """A places.yaml entry for a spot, ready to paste: a free id and empty names to fill in
    (validate insists on them until they are)."""
    number = 1
    while f"new-place-{number}" in taken:
        number += 1
    names = ", ".join(f'{language}: ""' for language in languages)
    return (
        f"new-place-{number}:  # give it an id of your own, and its names\n"
        f"  name: {{{names}}}\n"
        f"  lat: {lat:.{DECIMALS}f}\n"
        f"  lon: {lon:.{DECIMALS}f}\n"
    )


def search(bundle: Bundle, text: str, language: str) -> list[Found]:
    """Places and labels whose id or a name contains `text` (any case), best first: names
    that start with it before those that only contain it."""
    wanted = text.strip().casefold()
    if not wanted:
        return []
    fallback = bundle.default_language

    def named(names: dict[str, str]) -> str:
        return names.get(language) or names.get(fallback) or next(iter(names.values()), "")

    scored: list[tuple[int, str, Found]] = []

    def consider(key: str, names: dict[str, str], found: Found) -> None:
        words = [key, *names.values()]
        if any(w.casefold().startswith(wanted) for w in words):
            scored.append((0, found.name.casefold(), found))
        elif any(wanted in w.casefold() for w in words):
            scored.append((1, found.name.casefold(), found))

    for key, place in bundle.places.items():
        consider(
            key,
            place.name,
            Found("place", key, named(place.name), place.lat, place.lon, place.off_map),
        )
    for key, label in bundle.labels.items():
        lat, lon = label.points[len(label.points) // 2]
        consider(key, label.name, Found("label", key, named(label.name), lat, lon))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [found for _, _, found in scored[:MAX_RESULTS]]


class PreviewTools(QFrame):
    """The bar: a search box and a line saying what the last tap, press or search found."""

    said = Signal(str)  # every line the readout shows, for the terminal too

    def __init__(self, host: BundleHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("preview-tools")
        self._window = parent
        self._host = host
        self._watched: QWidget | None = None
        self._press: QPointF | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(12)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("preview-search")
        self.search_box.setPlaceholderText("Find a place or a name on the map")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setFixedWidth(360)
        self.search_box.textChanged.connect(self._searched)
        self.search_box.returnPressed.connect(self._choose_first)
        self.search_box.installEventFilter(self)
        self.readout = QLabel(
            "Tap or click the map for its coordinates; press a marker for its ids."
        )
        self.readout.setObjectName("preview-readout")
        self.readout.setTextFormat(Qt.TextFormat.PlainText)
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.search_box)
        layout.addWidget(self.readout, 1)
        # The results drop down over the preview, under the search box.
        self.results = QListWidget(parent)
        self.results.setObjectName("preview-results")
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setStyleSheet("QListWidget::item { padding: 4px 6px; }")
        self.results.itemActivated.connect(self._chosen)
        self.results.itemClicked.connect(self._chosen)
        self.results.hide()
        font = theme.font(theme.SANS, 16)
        for widget in (self.search_box, self.readout, self.results):
            widget.setFont(font)
        self.setStyleSheet(
            f"#preview-tools {{ background: {theme.INK.name()}; }}"
            f"#preview-readout {{ color: {theme.CARD.name()}; }}"
        )
        host.bundle_loaded.connect(lambda _bundle: self.attach())
        self.attach()

    # --- following the exhibit ------------------------------------------------------------

    @property
    def exhibit(self) -> MainWindow | None:
        return self._host.exhibit

    def attach(self) -> None:
        """Watch the map of the window on screen now (after every reload)."""
        exhibit = self.exhibit
        viewport = exhibit.map_view.viewport() if exhibit is not None else None
        if viewport is self._watched:
            return
        if self._watched is not None:
            self._watched.removeEventFilter(self)
        self._watched = viewport
        self._press = None
        if viewport is not None:
            viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_box and isinstance(event, QKeyEvent):
            return self._search_key(event)
        if watched is not self._watched:
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if not _synthesized(event):
                self._pressed(event.position())
        elif kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            if not _synthesized(event):
                self._released(event.position())
        elif kind == QEvent.Type.TouchBegin and isinstance(event, QTouchEvent):
            if len(event.points()) == 1:
                self._pressed(event.points()[0].position())
        elif kind == QEvent.Type.TouchUpdate and isinstance(event, QTouchEvent):
            if len(event.points()) > 1:
                self._press = None  # a pinch is not a tap
        elif kind == QEvent.Type.TouchEnd and isinstance(event, QTouchEvent):
            self._released(event.points()[0].position())
        return False  # the exhibit gets every touch and click as a visitor's

    def _pressed(self, pos: QPointF) -> None:
        self._press = pos
        exhibit = self.exhibit
        if exhibit is None:
            return
        item = exhibit.map_view.marker_at(pos)
        if isinstance(item, MarkerItem):
            self.show_marker(item.event_id)

    def _released(self, pos: QPointF) -> None:
        press, self._press = self._press, None
        exhibit = self.exhibit
        if press is None or exhibit is None:
            return
        if math.dist(press.toTuple(), pos.toTuple()) > TAP_PX:
            return  # the map was dragged
        if exhibit.map_view.marker_at(pos) is None:
            self.show_spot(pos)

    # --- what the readout says ----------------------------------------------------------

    def say(self, text: str) -> None:
        self.readout.setText(text)
        self.said.emit(text)

    def show_marker(self, event_id: str) -> None:
        exhibit = self.exhibit
        if exhibit is None:
            return
        event = exhibit.bundle.event(event_id)
        self.say(f"Marker: event '{event_id}' (events/{event_id}.yaml), place '{event.place}'")

    def show_spot(self, pos: QPointF) -> None:
        """Where the map point under `pos` (viewport pixels) is, and its entry on the clipboard."""
        exhibit = self.exhibit
        if exhibit is None:
            return
        bundle = exhibit.bundle
        scene = exhibit.map_view.mapToScene(pos.toPoint())
        lat, lon = bundle.projection.unproject(scene.x(), scene.y())
        entry = places_entry(lat, lon, bundle.manifest.languages, set(bundle.places))
        QGuiApplication.clipboard().setText(entry)
        self.say(
            f"lat: {lat:.{DECIMALS}f}  lon: {lon:.{DECIMALS}f}  "
            "(a places.yaml entry for it is on the clipboard)"
        )

    # --- the search ---------------------------------------------------------------------

    def _searched(self, text: str) -> None:
        exhibit = self.exhibit
        self.results.clear()
        found = search(exhibit.bundle, text, exhibit.state.language) if exhibit else []
        for result in found:
            item = QListWidgetItem(result.line())
            item.setData(Qt.ItemDataRole.UserRole, result)
            self.results.addItem(item)
        if not found:
            self.results.hide()
            if text.strip():
                self.say(f"No place or name on the map matches '{text.strip()}'.")
            return
        box = self.search_box
        top_left = box.mapTo(self._window, box.rect().bottomLeft())
        metrics = self.results.fontMetrics()
        row = metrics.lineSpacing() + 8
        widest = max(metrics.horizontalAdvance(r.line()) for r in found) + 40
        width = min(max(box.width(), widest), self._window.width() - top_left.x() - 12)
        height = min(len(found), 8) * row + 2 * self.results.frameWidth() + 4
        self.results.setGeometry(top_left.x(), top_left.y() + 2, width, height)
        self.results.show()
        self.results.raise_()

    def _search_key(self, event: QKeyEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        if event.key() == Qt.Key.Key_Down and self.results.isVisible():
            self.results.setFocus()
            self.results.setCurrentRow(0)
            return True
        if event.key() == Qt.Key.Key_Escape:
            self.results.hide()
            return True
        return False

    def _choose_first(self) -> None:
        if self.results.count():
            self._chosen(self.results.item(0))

    def _chosen(self, item: QListWidgetItem) -> None:
        found = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(found, Found):
            self.go_to(found)
        self.results.hide()

    def go_to(self, found: Found) -> None:
        """Bring the map to a place or label found, and say where it is."""
        exhibit = self.exhibit
        if exhibit is None:
            return
        where = f"lat: {found.lat:.{DECIMALS}f}  lon: {found.lon:.{DECIMALS}f}"
        if found.off_map:
            self.say(f"{found.line()}: {where}, off the map (shown at its edge)")
            return
        view = exhibit.map_view
        x, y = exhibit.bundle.projection.project(found.lat, found.lon)
        scale = max(view.camera().scale, FOUND_ZOOM * view.min_scale)
        view.stop_motion()
        view.set_camera(Camera(x, y, scale))
        self.say(f"{found.line()}: {where}")


def _synthesized(event: QMouseEvent) -> bool:
    """A mouse event Qt made from a touch: the touch itself has been seen already."""
    return event.source() != Qt.MouseEventSource.MouseEventNotSynthesized or (
        event.device() is not None
        and event.device().type() == event.device().DeviceType.TouchScreen
    )
