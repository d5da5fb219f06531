"""Fixtures for UI tests: the shipped bundle, a 1920x1080 kiosk window, a touchscreen device."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.content import Bundle, load_bundle
from kiosk.paths import default_bundle
from kiosk.ui.main_window import MainWindow
from kiosk.ui.theme import load_fonts


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    return load_bundle(default_bundle())


@pytest.fixture(scope="session")
def fonts(qapp: QApplication) -> list[str]:
    return load_fonts()


@pytest.fixture(scope="session")
def touchscreen(qapp: QApplication) -> QPointingDevice:
    return QTest.createTouchDevice()


@pytest.fixture
def window(qtbot: QtBot, bundle: Bundle, fonts: list[str]) -> Iterator[MainWindow]:
    win = MainWindow(bundle)
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    qtbot.waitExposed(win)
    yield win
