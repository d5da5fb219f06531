"""Announcements for screen readers: one sentence, sent through Qt's accessibility bridge.

`QAccessibleAnnouncementEvent` (Qt 6.8) asks the screen reader to speak a message without moving
its focus: Orca (AT-SPI) and Narrator/NVDA (UI Automation) read it. Every announcement is also
emitted as `announced`, so the kiosk (analytics, the keypad's audio mode, tests) can follow them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent


class Announcer(QObject):
    """Sends announcements on behalf of one widget (the window): what the visitor should hear."""

    announced = Signal(str, bool)  # the message, and whether it interrupts (assertive)

    def __init__(self, source: QObject) -> None:
        super().__init__(source)  # the source is the parent: no Python reference back to it

    def announce(self, message: str, assertive: bool = False) -> None:
        """Have a screen reader speak `message`; `assertive` interrupts what it is saying."""
        message = " ".join(message.split())
        if not message:
            return
        source = self.parent()
        if source is None:
            return
        event = QAccessibleAnnouncementEvent(source, message)
        event.setPoliteness(
            QAccessible.AnnouncementPoliteness.Assertive
            if assertive
            else QAccessible.AnnouncementPoliteness.Polite
        )
        QAccessible.updateAccessibility(event)
        self.announced.emit(message, assertive)
