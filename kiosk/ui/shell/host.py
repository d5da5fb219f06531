"""The visitor's screen: one bundle's window, replaced only by a bundle that loads cleanly.

A new or reloaded bundle is read and validated either on the spot (`BundleHost.load`, which
returns whether it is shown) or in the background (`BundleHost.load_in_background`, a job on the
bundles' lane of `kiosk.ui.qt.work`), while the
exhibit on screen keeps running; the window is swapped on the GUI thread once the bundle is ready.
Either way a refused bundle never reaches the screen: the last good window stays, and the reasons
are kept for the staff (admin screen, preview overlay, log). With no good bundle at all, the calm
unavailable screen shows. Of several loads asked for in quick succession, the newest wins.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.content.bundle import Bundle
from kiosk.content.cache import BundleCache, load_bundle_cached
from kiosk.content.child_validation import validate_in_child
from kiosk.content.declared import declared_languages
from kiosk.content.problems import BundleInvalid, NotABundle
from kiosk.ui.journey.idle import Phase
from kiosk.ui.journey.options import DisplayOptions
from kiosk.ui.qt import work
from kiosk.ui.shell.main_window import MainWindow
from kiosk.ui.shell.unavailable import UnavailableScreen

log = logging.getLogger("kiosk")

# What reading a folder gives: the bundle, or the lines of text saying why it was refused.
Outcome = Bundle | list[str]


def read_bundle(
    content: Path, cache: BundleCache | None = None, in_child: bool = False
) -> tuple[Outcome, bool]:
    """The valid bundle in `content`, or why it cannot be shown; and whether it came from
    `cache` (unchanged since it was last validated). `in_child`: a bundle not in the cache is
    validated into it by a child process first. Safe to call off the GUI thread: it touches
    no Qt object."""
    try:
        return load_bundle_cached(content, cache, validate_in_child if in_child else None)
    except (NotABundle, BundleInvalid) as exc:
        problems = getattr(exc, "problems", None)
        return ([str(p) for p in problems] if problems is not None else [str(exc)]), False


_LANE = work.Lane.BUNDLES


def _read_in_background(
    request: tuple[int, Path], cache: BundleCache | None
) -> tuple[int, Path, Outcome, bool]:
    """`read_bundle` as a background job: the request's number and folder go with the outcome."""
    number, content = request
    try:
        outcome, cached = read_bundle(content, cache)
    except Exception as exc:  # a bug in the loader must not kill the exhibit
        log.exception("reading the bundle %s failed", content)
        outcome, cached = [f"the bundle could not be read: {exc!r}"], False
    return number, content, outcome, cached


class BundleHost(QWidget):
    """Holds the window of the current bundle; swaps it only for a valid bundle."""

    bundle_loaded = Signal(object)  # the Bundle now on screen
    bundle_refused = Signal(object, list)  # the folder, and its problems as lines of text
    loading_changed = Signal(bool)  # a background load started (True) or ended (False)

    def __init__(
        self,
        options: DisplayOptions | None = None,
        language: str | None = None,
        parent: QWidget | None = None,
        unavailable_languages: tuple[str, ...] | None = None,
        cache: BundleCache | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bundle-host")
        self.options = options or DisplayOptions()
        self.language = language
        self.cache = cache  # validated bundles kept between runs; None: always validate
        # The kiosk's start: a bundle not in the cache (a new kiosk version, content changed
        # while it was off) is validated by a child process, whose validation machinery (~17 MB
        # kept for the process's life) then never lives in the kiosk's (docs/performance.md).
        self.validate_misses_in_child = False
        self.exhibit: MainWindow | None = None
        self.content: Path | None = None  # the folder of the bundle on screen
        self.attempted: Path | None = None  # the folder of the last load, good or refused
        self.problems: list[str] = []  # why the last load was refused; empty after a good load
        self.from_cache = False  # whether the bundle on screen came from the cache unchecked
        # The curators' preview: a reloaded bundle's window opens where the last one was (the
        # map's view, the open event, language, day and text size); the kiosk starts afresh.
        self.keep_place = False
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._unavailable_languages = unavailable_languages  # the installation's, if it says
        self._current: QWidget = UnavailableScreen(unavailable_languages)
        self._layout.addWidget(self._current)
        # Background loads: one at a time; a folder asked for meanwhile waits (only the
        # newest), and every request has a number so an outdated outcome is dropped.
        self._requests = 0
        self._running: int | None = None  # the number of the request being read
        self._waiting: tuple[int, Path] | None = None

    @property
    def bundle(self) -> Bundle | None:
        return self.exhibit.bundle if self.exhibit else None

    @property
    def loading(self) -> bool:
        """True while a background load is reading or validating a folder."""
        return self._running is not None

    def load(self, content: Path) -> bool:
        """Show the bundle in `content` if valid, else keep what is shown; True if shown.

        Reads and validates on the calling (GUI) thread. It also supersedes any background load
        still running: that one's outcome is dropped when it arrives.
        """
        self._requests += 1
        self._waiting = None
        return self._apply(
            content, *read_bundle(content, self.cache, self.validate_misses_in_child)
        )

    def load_in_background(self, content: Path) -> None:
        """Read and validate `content` in a worker thread, then show it as `load` would.

        Returns at once; the exhibit on screen keeps running until the new window is ready.
        The outcome arrives as `bundle_loaded` or `bundle_refused`, on the GUI thread.
        """
        self._requests += 1
        request = (self._requests, content)
        if self._running is not None:
            self._waiting = request  # started when the running one ends
            return
        self._start(request)
        self.loading_changed.emit(True)

    def _start(self, request: tuple[int, Path]) -> None:
        self._running = request[0]
        # The outcome is dropped if the host went meanwhile.
        work.submit(partial(_read_in_background, request, self.cache), self._finished, lane=_LANE)

    def _finished(self, result: tuple[int, Path, Outcome, bool]) -> None:
        number, content, outcome, cached = result
        self._running = None
        if self._waiting is not None:
            request, self._waiting = self._waiting, None
            self._start(request)
        if number == self._requests:  # else a newer load was asked for: this one is outdated
            self._apply(content, outcome, cached)
        if self._running is None:
            self.loading_changed.emit(False)

    def _apply(self, content: Path, outcome: Outcome, cached: bool) -> bool:
        self.attempted = content
        if not isinstance(outcome, Bundle):
            self.problems = outcome
            self._apologise_in_its_languages(content)
            self.bundle_refused.emit(content, list(self.problems))
            return False
        self.problems = []
        self.content = content
        self.from_cache = cached
        # A bundle swapped in while nobody was there keeps the attract loop going.
        old = self.exhibit
        idle = old is not None and old.idle.phase is Phase.ATTRACT
        place = old.place() if self.keep_place and old is not None and not idle else None
        self.exhibit = MainWindow(outcome, place.language if place else self.language, self.options)
        if idle:
            self.exhibit.start_attract()
        self._replace(self.exhibit)
        if place is not None:
            self._layout.activate()  # the new window at its size, so the map's view fits it
            self.exhibit.restore_place(place)
        self.bundle_loaded.emit(outcome)
        return True

    def _apologise_in_its_languages(self, content: Path) -> None:
        """With nothing on screen, the unavailable screen speaks the refused bundle's languages
        (as its bundle.yaml lists them), unless the installation names languages of its own."""
        current = self._current
        if self.exhibit is not None or self._unavailable_languages is not None:
            return
        languages = declared_languages(content)
        if languages is None or not isinstance(current, UnavailableScreen):
            return
        if languages != current.languages:
            self._replace(UnavailableScreen(languages))

    def _replace(self, widget: QWidget) -> None:
        old = self._current
        self._layout.replaceWidget(old, widget)
        self._current = widget
        old.hide()
        old.deleteLater()
        widget.show()
