"""Memory freed while the kiosk runs goes back to the system every few seconds, not only when
the exhibit goes idle (`kiosk.runtime.memory.give_back`, docs/performance.md, "Memory").

The timer is the GUI thread's, the work is not: trimming the allocator takes a few ms, which a
frame of a pan or pinch under way must not pay. It runs in the map's background lane, after any
tile or name waiting there.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from kiosk.runtime import memory
from kiosk.ui.qt import work

TIDY_PRIORITY = -10  # below the map's tiles and names lettered ahead


def _tidy() -> None:
    memory.give_back()


def start_housekeeping(parent: QObject, every_ms: int = memory.TIDY_EVERY_MS) -> QTimer:
    """Run `memory.give_back` every `every_ms` in the background while `parent` lives."""
    timer = QTimer(parent)
    timer.setObjectName("memory-housekeeping")
    timer.timeout.connect(lambda: work.submit(_tidy, lane=work.Lane.MAP, priority=TIDY_PRIORITY))
    timer.start(every_ms)
    return timer
