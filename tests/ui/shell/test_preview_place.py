"""The preview keeps the curator's place across reloads, never goes idle by itself, and its bar
gives coordinates (with a places.yaml entry on the clipboard), a marker's ids and a search."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QPointingDevice
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.content import load_bundle, validate_bundle
from kiosk.ui.journey.idle import Phase
from kiosk.ui.journey.options import DisplayOptions
from kiosk.ui.journey.theme import Appearance
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell.main_window import MainWindow
from kiosk.ui.shell.preview import PreviewWindow
from kiosk.ui.shell.preview_tools import places_entry, search
from tests.ui.touch import tap

EVENT = "brandenburg-gate"
RELOAD_MS = 5000


def exhibit(preview: PreviewWindow) -> MainWindow:
    assert preview.host.exhibit is not None
    return preview.host.exhibit


def save_change(qtbot: QtBot, preview: PreviewWindow, path: Path, old: str, new: str) -> None:
    """Save an edit and wait for the reload it causes (a new window on screen)."""
    before = preview.host.exhibit
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    qtbot.waitUntil(lambda: preview.host.exhibit is not before, timeout=RELOAD_MS)


def test_a_reload_keeps_the_view_the_open_event_language_and_text_size(
    qtbot: QtBot, preview: PreviewWindow, folder: Path
) -> None:
    window = exhibit(preview)
    window.state.set_language("de")
    window.state.set_appearance(Appearance(large_text=True))
    window.state.select(EVENT)
    view = window.map_view
    view.stop_motion()
    view.zoom_by(3.0, QPointF(view.viewport().width() / 3, view.viewport().height() / 2))
    window.panel.set_scroll_position(40)
    place = window.place()
    title = "On the Wall at the Brandenburg Gate"
    save_change(qtbot, preview, folder / "events" / f"{EVENT}.yaml", title, "On the Wall")
    again = exhibit(preview)
    assert again.state.language == "de"
    assert again.state.appearance == Appearance(large_text=True)
    assert again.state.selected == EVENT and again.panel.isVisible()
    assert again.bundle.event(EVENT).title["en"] == "On the Wall"  # the new version, in place
    kept = again.place()
    assert kept.zoom == pytest.approx(place.zoom, rel=1e-3)
    assert kept.centre == pytest.approx(place.centre, abs=1e-6)
    assert kept.panel_scroll == place.panel_scroll


def test_an_event_gone_from_the_bundle_leaves_the_panel_closed(
    qtbot: QtBot, preview: PreviewWindow, folder: Path
) -> None:
    window = exhibit(preview)
    window.state.select(EVENT)
    (folder / "events" / f"{EVENT}.yaml").unlink()
    save_change(qtbot, preview, folder / "bundle.yaml", 'version: "0.1.0"', 'version: "0.1.1"')
    again = exhibit(preview)
    assert again.state.selected is None and not again.panel.isVisible()


def test_the_preview_never_goes_idle_by_itself(preview: PreviewWindow, qtbot: QtBot) -> None:
    assert exhibit(preview).options.idle is False
    # The same window on a clock moved by the test: an hour without a touch changes nothing.
    clock = ManualClock()
    window = MainWindow(exhibit(preview).bundle, options=DisplayOptions(idle=False), clock=clock)
    qtbot.addWidget(window)
    window.state.select(EVENT)
    clock.advance(3600)
    assert window.idle.phase is Phase.ACTIVE
    assert window.state.selected == EVENT
    asked = MainWindow(exhibit(preview).bundle, options=DisplayOptions(idle=True), clock=clock)
    qtbot.addWidget(asked)
    clock.advance(window.bundle.manifest.idle_seconds + 1)
    assert asked.idle.phase is Phase.COUNTDOWN  # --idle: as the kiosk does


def test_a_click_on_the_map_gives_its_coordinates_and_a_places_entry(
    preview: PreviewWindow, folder: Path
) -> None:
    window = exhibit(preview)
    view = window.map_view
    viewport = view.viewport()
    spot = QPoint(viewport.width() // 3, viewport.height() // 2)
    assert view.marker_at(QPointF(spot)) is None
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=spot)
    scene = view.mapToScene(spot)
    lat, lon = window.bundle.projection.unproject(scene.x(), scene.y())
    readout = preview.tools.readout.text()
    assert f"lat: {lat:.5f}" in readout and f"lon: {lon:.5f}" in readout
    entry = QGuiApplication.clipboard().text()
    assert entry == places_entry(lat, lon, ["en", "de"], set(window.bundle.places))
    # Pasted into places.yaml with its names filled in, it is a valid place.
    filled = entry.replace('en: ""', 'en: "Spot"').replace('de: ""', 'de: "Ort"')
    with (folder / "places.yaml").open("a", encoding="utf-8") as places:
        places.write("\n" + filled)
    bundle, problems = validate_bundle(folder)
    assert bundle is not None, problems
    assert bundle.places["new-place-1"].lat == pytest.approx(lat, abs=1e-5)
    assert yaml.safe_load(entry)["new-place-1"]["lon"] == pytest.approx(lon, abs=1e-5)


def test_a_tap_on_a_marker_names_its_event_and_place(
    preview: PreviewWindow, touchscreen: QPointingDevice
) -> None:
    window = exhibit(preview)
    view = window.map_view
    view.reveal(EVENT)
    pos = view.marker_screen_pos(EVENT)
    tap(view.viewport(), touchscreen, pos)
    place = window.bundle.event(EVENT).place
    assert preview.tools.readout.text() == (
        f"Marker: event '{EVENT}' (events/{EVENT}.yaml), place '{place}'"
    )
    assert window.state.selected == EVENT  # the tap still opens the panel, as for a visitor


def test_the_search_finds_places_and_labels_and_brings_the_map_there(
    preview: PreviewWindow, qtbot: QtBot
) -> None:
    window = exhibit(preview)
    bundle = window.bundle
    found = search(bundle, "brandenburger", "en")  # the German name finds it in English too
    assert [(f.kind, f.id) for f in found] == [("place", "brandenburg-gate")]
    assert [f.id for f in search(bundle, "spree", "en")] == ["spree"]
    assert search(bundle, "   ", "en") == []
    qtbot.keyClicks(preview.tools.search_box, "Brandenb")
    assert preview.tools.results.isVisible()
    assert preview.tools.results.item(0).text() == (
        "Brandenburg Gate (place 'brandenburg-gate' in places.yaml)"
    )
    qtbot.keyClick(preview.tools.search_box, Qt.Key.Key_Return)
    assert not preview.tools.results.isVisible()
    gate = bundle.places["brandenburg-gate"]
    centre = window.place().centre
    assert centre == pytest.approx((gate.lat, gate.lon), abs=1e-4)
    assert preview.tools.readout.text().startswith("Brandenburg Gate (place 'brandenburg-gate'")
    qtbot.keyClicks(preview.tools.search_box, "zzz")
    assert preview.tools.readout.text() == "No place or name on the map matches 'Brandenbzzz'."


def test_the_bar_follows_the_window_of_each_reload(
    qtbot: QtBot, preview: PreviewWindow, folder: Path
) -> None:
    save_change(qtbot, preview, folder / "bundle.yaml", 'version: "0.1.0"', 'version: "0.1.2"')
    window = exhibit(preview)
    viewport = window.map_view.viewport()
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=QPoint(200, 300))
    assert preview.tools.readout.text().startswith("lat: ")
    assert load_bundle(folder).manifest.version == "0.1.2"
