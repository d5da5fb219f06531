"""The visitor's main paths on each exhibit: Petrograd and the test suite's Paris 1871.

Every test here runs once per exhibit (the `exhibit_window` fixture), so a screen shaped for one
city, calendar or language shows up as a failure on the other.
"""

from __future__ import annotations

from PySide6.QtGui import QPointingDevice
from PySide6.QtWidgets import QLabel

from kiosk.content.model import pick
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import marker_in_view, settle
from tests.ui.touch import tap


def _label(window: MainWindow, name: str) -> str:
    label = window.panel.findChild(QLabel, name)
    assert label is not None, name
    return label.text()


def test_every_event_opens_by_touch_in_every_language(
    exhibit_window: MainWindow, touchscreen: QPointingDevice
) -> None:
    window = exhibit_window
    bundle = window.bundle
    for language in bundle.manifest.languages:
        window.state.set_language(language)
        for event in bundle.events:
            window.state.select(None)  # as the panel's Close does: the panel covers the map
            settle(window)
            tap(window.map_view.viewport(), touchscreen, marker_in_view(window, event.id))
            assert window.panel.event_id == event.id
            title = pick(event.title, language, bundle.default_language)
            assert _label(window, "event-title") == title


def test_the_window_starts_in_the_bundles_first_language(exhibit_window: MainWindow) -> None:
    assert exhibit_window.state.language == exhibit_window.bundle.manifest.languages[0]
