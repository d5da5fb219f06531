"""Starting the kiosk: the Qt application, fonts, the bundle, and the window (kiosk or preview).

This is the runtime layer: it is the only place that knows about both the content layer and the
UI, and it keeps the visitor's screen calm when the bundle cannot be shown.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.compat import check_qt_runtime

if TYPE_CHECKING:  # Qt is imported only once we know the runtime is safe.
    from kiosk.ui.host import BundleHost
    from kiosk.ui.options import DisplayOptions


def build_window(
    content: Path, language: str | None, options: DisplayOptions | None = None
) -> BundleHost:
    """The visitor's screen showing the bundle, or the calm unavailable screen if it cannot."""
    from kiosk.ui.host import BundleHost

    host = BundleHost(options, language)
    if not host.load(content):
        # The visitor sees a calm screen; the reasons go where staff look.
        print(f"error: the bundle {content} cannot be shown:", file=sys.stderr)
        for line in host.problems:
            print(f"  {line}", file=sys.stderr)
    return host


def run(content: Path, windowed: bool, size: tuple[int, int], language: str | None) -> int:
    """Run the kiosk until it is closed; returns the process exit code."""
    problem = check_qt_runtime()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 3

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.theme import load_fonts

    app = QApplication(sys.argv[:1])
    app.setApplicationName("kiosk")
    load_fonts()
    window = build_window(content, language)
    if windowed:
        window.resize(*size)
        window.show()
    else:
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        window.setCursor(Qt.CursorShape.BlankCursor)
        # Kiosk sessions often run without a window manager to honour the full-screen request,
        # so the window also takes the screen's geometry itself.
        window.setGeometry(app.primaryScreen().geometry())
        window.showFullScreen()
    return app.exec()
