"""The event panel is built while a finger rests on a marker, so it only has to be shown when
the finger lifts; a press that turns into a pan opens nothing, and an open panel is not touched
until the tap is complete."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPointingDevice
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.bench.tap import tappable_markers
from kiosk.content import Bundle
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import marker_in_view, settle
from tests.ui.touch import move, press, release


def _rest(qtbot: QtBot) -> None:
    qtbot.wait(30)  # the finger stays down: the press feedback is painted, the panel built
    QApplication.processEvents()


def _alone(window: MainWindow) -> list[str]:
    """Events whose own marker can be tapped on the whole-city map."""
    return [event_id for event_id, _ in tappable_markers(window)]


def _press_a_marker(
    qtbot: QtBot, window: MainWindow, touchscreen: QPointingDevice
) -> tuple[str, QPoint]:
    """A finger down on a marker that stands alone, resting there: its event and where."""
    event_id = _alone(window)[0]
    pos = marker_in_view(window, event_id).toPoint()
    press(window.map_view.viewport(), touchscreen, [pos])
    _rest(qtbot)
    return event_id, pos


def test_the_panel_is_built_while_the_finger_rests_and_only_shown_on_release(
    qtbot: QtBot, window: MainWindow, touchscreen: QPointingDevice
) -> None:
    event_id, pos = _press_a_marker(qtbot, window, touchscreen)
    assert not window.panel.isVisible() and window.state.selected is None
    assert window.panel.event_id == event_id
    built = window.panel._scroll.widget()
    assert built is not None
    release(window.map_view.viewport(), touchscreen, [pos])
    QApplication.processEvents()
    assert window.state.selected == event_id and window.panel.isVisible()
    assert window.panel._scroll.widget() is built  # shown as built, not built again


def test_a_press_that_becomes_a_pan_opens_nothing(
    qtbot: QtBot, window: MainWindow, touchscreen: QPointingDevice
) -> None:
    viewport = window.map_view.viewport()
    _, pos = _press_a_marker(qtbot, window, touchscreen)
    for step in range(1, 6):
        move(viewport, touchscreen, [pos + QPoint(40 * step, 0)])
    release(viewport, touchscreen, [pos + QPoint(200, 0)])
    QApplication.processEvents()
    assert window.state.selected is None and not window.panel.isVisible()


def test_an_open_panel_keeps_its_event_while_another_marker_is_pressed(
    qtbot: QtBot, window: MainWindow, touchscreen: QPointingDevice, bundle: Bundle
) -> None:
    viewport = window.map_view.viewport()
    first, second = _alone(window)[:2]
    window.state.select(first)
    settle(window)
    shown = window.panel._scroll.widget()
    window.map_view.show_whole_city(animated=False)
    QApplication.processEvents()
    pos = marker_in_view(window, second).toPoint()
    press(viewport, touchscreen, [pos])
    _rest(qtbot)
    assert window.panel.event_id == first and window.panel._scroll.widget() is shown
    release(viewport, touchscreen, [pos])
    QApplication.processEvents()
    assert window.state.selected == second and window.panel.event_id == second


def test_a_panel_built_ahead_in_another_language_is_built_again(
    qtbot: QtBot, window: MainWindow, touchscreen: QPointingDevice, bundle: Bundle
) -> None:
    event_id = _alone(window)[0]
    window.panel.prepare(event_id)
    built = window.panel._scroll.widget()
    other = next(lang for lang in bundle.manifest.languages if lang != window.state.language)
    window.state.set_language(other)
    window.state.select(event_id)
    QApplication.processEvents()
    assert window.panel._scroll.widget() is not built
