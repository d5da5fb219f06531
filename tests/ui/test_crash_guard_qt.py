"""Exceptions raised inside Qt (a slot, an overridden paint) reach the crash guard's hook, are
logged in full, and the event loop carries on."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.runtime.crash_guard import CrashGuard


class Broken(QWidget):
    def paintEvent(self, event: QPaintEvent) -> None:
        raise RuntimeError("a corrupt glyph")


@pytest.mark.qt_no_exception_capture  # pytest-qt would otherwise take the exception itself
def test_slot_and_paint_exceptions_are_logged_and_the_loop_goes_on(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    fatal: list[int] = []
    guard = CrashGuard(fatal.append)
    guard.install()
    try:
        after: list[bool] = []

        def slot() -> None:
            raise ValueError("a slot failed")

        QTimer.singleShot(0, slot)
        QTimer.singleShot(20, lambda: after.append(True))
        qtbot.waitUntil(lambda: after == [True])
        widget = Broken()
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitUntil(lambda: guard.count >= 2)
    finally:
        guard.uninstall()
    assert fatal == []
    assert "ValueError: a slot failed" in caplog.text
    assert "RuntimeError: a corrupt glyph" in caplog.text
    assert caplog.text.count("Traceback") >= 2
