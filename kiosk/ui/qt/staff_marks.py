"""Staff widgets marked as such: the lockdown lets them have every key, the visitor's keypad
leaves keys to them, and opening hours keep them on a closed screen.

A mark is a Qt property on the widget, so the layers that ask (access, shell, staff) need not
import each other to know one.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

_STAFF_PROPERTY = "kioskStaffWidget"


def mark_staff(widget: QWidget) -> None:
    """Let `widget` and its children receive keys while the kiosk is locked."""
    widget.setProperty(_STAFF_PROPERTY, True)


def is_staff(obj: QObject) -> bool:
    """True for a widget marked with `mark_staff`, or inside one."""
    while isinstance(obj, QObject):
        if obj.property(_STAFF_PROPERTY):
            return True
        parent = obj.parent()
        if parent is None:
            return False
        obj = parent
    return False


def staff_on_screen(window: QWidget) -> bool:
    """Whether a staff widget (PIN pad, admin screen) is shown in `window`: the visitor's
    keypad then leaves every key to it."""
    return any(
        child.isVisible() and child.property(_STAFF_PROPERTY)
        for child in window.findChildren(QWidget)
    )
