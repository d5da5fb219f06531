"""Freed memory is given back every few seconds while the kiosk runs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from kiosk.runtime import memory
from kiosk.ui.qt import work
from kiosk.ui.qt.housekeeping import start_housekeeping


def test_memory_is_given_back_on_a_timer_while_its_owner_lives(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[bool] = []

    def give_back() -> bool:
        calls.append(True)
        return True

    monkeypatch.setattr(memory, "give_back", give_back)
    owner = QObject()
    timer = start_housekeeping(owner, every_ms=5)
    assert timer.parent() is owner and timer.isActive()
    assert work.run_until(lambda: len(calls) >= 2, timeout_ms=5_000), "it runs again and again"
    owner.deleteLater()
