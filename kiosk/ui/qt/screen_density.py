"""The real pixel density of the screen a widget is on, asked without handing Python its QScreen.

`QWidget.screen()` looks harmless, but PySide6 records the QScreen it returns as a child of the
widget (its return-value heuristic). The screen's Python wrapper is one for the whole process and
usually older than the widget; when a window's wrappers then end up in a garbage cycle, the
collector may clear the screen's wrapper first, and shiboken, taking the child back from its
parent, gives it ownership and deletes the application's QScreen. The screen stays in the
application's list, and the next widget or pixmap made crashes the process (docs/decisions.md,
"The screen deleted by a garbage collection"). The paint device's own DPI answers the same
question through C++ only. Nothing in the kiosk calls `screen()` on a widget or window;
tests/test_architecture.py checks that.
"""

from __future__ import annotations

import math

from PySide6.QtWidgets import QWidget

FALLBACK_PX_PER_MM = 96 / 25.4  # when the screen reports no believable size


def believable_px_per_mm(px_per_mm: float | None) -> float:
    """The screen's density if it is believable, else the 96 dpi convention.

    Projectors and some scalers report no size or a made-up one (0 mm, or a few cm); a kiosk
    screen lies between about 20 dpi (a video wall) and 600 dpi.
    """
    if (
        px_per_mm is None
        or not math.isfinite(px_per_mm)
        or not 20 / 25.4 <= px_per_mm <= 600 / 25.4
    ):
        return FALLBACK_PX_PER_MM
    return px_per_mm


def px_per_mm(widget: QWidget) -> float:
    """Logical pixels per millimetre on the real screen `widget` is on (a believable default if
    the screen does not say)."""
    dpi = (widget.physicalDpiX() + widget.physicalDpiY()) / 2
    return believable_px_per_mm(dpi / 25.4 if dpi > 0 else None)
