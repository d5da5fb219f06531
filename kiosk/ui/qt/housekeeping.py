"""Memory freed while the kiosk runs goes back to the system every few seconds, not only when
the exhibit goes idle (`kiosk.runtime.memory.give_back`, docs/performance.md, "Memory")."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from kiosk.runtime import memory


def start_housekeeping(parent: QObject, every_ms: int = memory.TIDY_EVERY_MS) -> QTimer:
    """Run `memory.give_back` every `every_ms` on the GUI thread while `parent` lives."""
    timer = QTimer(parent)
    timer.setObjectName("memory-housekeeping")
    timer.timeout.connect(memory.give_back)
    timer.start(every_ms)
    return timer
