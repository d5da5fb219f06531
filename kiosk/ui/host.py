"""The visitor's screen: one bundle's window, replaced only by a bundle that loads cleanly.

Loading a new or reloaded bundle goes through `BundleHost.load`. A bundle that is refused never
reaches the screen: the last good window stays, and the reasons are kept for the staff (admin
screen, preview overlay, log). With no good bundle at all, the calm unavailable screen shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.content import Bundle, BundleInvalid, NotABundle, load_bundle
from kiosk.ui.idle import Phase
from kiosk.ui.main_window import MainWindow
from kiosk.ui.options import DisplayOptions
from kiosk.ui.unavailable import UnavailableScreen


class BundleHost(QWidget):
    """Holds the window of the current bundle; `load` swaps it only for a valid bundle."""

    bundle_loaded = Signal(object)  # the Bundle now on screen
    bundle_refused = Signal(object, list)  # the folder, and its problems as lines of text

    def __init__(
        self,
        options: DisplayOptions | None = None,
        language: str | None = None,
        parent: QWidget | None = None,
        unavailable_languages: tuple[str, ...] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bundle-host")
        self.options = options or DisplayOptions()
        self.language = language
        self.exhibit: MainWindow | None = None
        self.content: Path | None = None  # the folder of the bundle on screen
        self.attempted: Path | None = None  # the folder of the last load, good or refused
        self.problems: list[str] = []  # why the last load was refused; empty after a good load
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._current: QWidget = UnavailableScreen(unavailable_languages)
        self._layout.addWidget(self._current)

    @property
    def bundle(self) -> Bundle | None:
        return self.exhibit.bundle if self.exhibit else None

    def load(self, content: Path) -> bool:
        """Show the bundle in `content` if valid, else keep what is shown; True if shown."""
        self.attempted = content
        try:
            bundle = load_bundle(content)
        except (NotABundle, BundleInvalid) as exc:
            problems = getattr(exc, "problems", None)
            self.problems = [str(p) for p in problems] if problems is not None else [str(exc)]
            self.bundle_refused.emit(content, list(self.problems))
            return False
        self.problems = []
        self.content = content
        # A bundle swapped in while nobody was there keeps the attract loop going.
        idle = self.exhibit is not None and self.exhibit.idle.phase is Phase.ATTRACT
        self.exhibit = MainWindow(bundle, self.language, self.options)
        if idle:
            self.exhibit.start_attract()
        self._replace(self.exhibit)
        self.bundle_loaded.emit(bundle)
        return True

    def _replace(self, widget: QWidget) -> None:
        old = self._current
        self._layout.replaceWidget(old, widget)
        self._current = widget
        old.hide()
        old.deleteLater()
        widget.show()
