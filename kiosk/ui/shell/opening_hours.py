"""Outside opening hours the kiosk's screen is black and the exhibit paused.

`OpeningHoursGate` asks the Qt-free schedule (kiosk/runtime/opening_hours.py) every
`CHECK_MS` whether the museum is open. When it closes, the exhibit goes back to the start, its
attract loop stops and it stops listening to touches (`MainWindow.set_closed`), and a black
`ClosedScreen` covers the host. Staff overlays (the PIN pad, the admin screen) stay above it, and
the staff gesture still works: the lockdown watches the whole application. A bundle swapped in
while closed (a content update) is closed too. When it opens, the exhibit starts with its
attract loop, as at start-up.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from kiosk.runtime.opening_hours import OpeningHours
from kiosk.ui.qt.staff_marks import is_staff
from kiosk.ui.shell.host import BundleHost

log = logging.getLogger("kiosk")

CHECK_MS = 30_000


class ClosedScreen(QWidget):
    """Black, over everything but the staff overlays; it takes the touches, and does nothing."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("closed-screen")
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        QPainter(self).fillRect(self.rect(), QColor("black"))


class OpeningHoursGate(QObject):
    """Closes and opens the exhibit of `host` by the opening hours."""

    def __init__(
        self,
        host: BundleHost,
        hours: OpeningHours,
        now: Callable[[], dt.datetime] = dt.datetime.now,
        check_ms: int = CHECK_MS,
    ) -> None:
        super().__init__(host)
        self.host = host
        self.hours = hours
        self.now = now
        self.is_open = True
        self.screen = ClosedScreen(host)
        host.installEventFilter(self)  # to follow the host's size
        host.bundle_loaded.connect(self._bundle_loaded)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(check_ms)
        self.check()

    def check(self) -> None:
        moment = self.now()
        is_open = self.hours.is_open(moment)
        if is_open == self.is_open:
            return
        self.is_open = is_open
        change = self.hours.next_change(moment)
        until = f" until {change:%a %H:%M}" if change else ""
        if is_open:
            log.info("opening hours: open%s; the exhibit runs", until)
        else:
            log.info("opening hours: closed%s; the screen is black, the exhibit paused", until)
        self._apply()

    def _apply(self) -> None:
        exhibit = self.host.exhibit
        if self.is_open:
            self.screen.hide()
            if exhibit is not None:
                exhibit.show()
                exhibit.set_closed(False)
            return
        if exhibit is not None:
            exhibit.set_closed(True)
            exhibit.hide()  # nothing behind the black screen is painted
        self.screen.setGeometry(self.host.rect())
        self.screen.show()
        self.screen.raise_()
        for child in self.host.children():  # a PIN pad or admin screen open now stays on top
            if isinstance(child, QWidget) and child.isVisible() and is_staff(child):
                child.raise_()

    def _bundle_loaded(self, bundle: object) -> None:
        if not self.is_open:
            self._apply()  # a bundle swapped in while closed is closed too

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host and event.type() == QEvent.Type.Resize:
            self.screen.setGeometry(self.host.rect())
        return False
