"""The curator's preview: the bundle as visitors see it, reloaded whenever a file is saved.

`python -m kiosk preview DIR` opens a window with the kiosk's own screen (a `BundleHost`). A
`BundleWatcher` notices saved files (QFileSystemWatcher, re-armed after editors' atomic saves
replace a file, plus a once-a-second check of sizes and times for what the watcher misses) and
the preview reloads after a short quiet spell, reading and checking the folder in a worker thread
while the last version stays live. A broken save never blanks the screen: the host
keeps the last good version and the `ProblemsOverlay` lists what is wrong, as file:line:column
messages, until a save fixes it. A reload keeps the curator's place (the map's view, the open
event, language, day, text size), and the preview never goes idle by itself (no countdown, reset
or attract loop) unless asked. The `PreviewTools` bar above it gives coordinates, ids and a
search (kiosk/ui/shell/preview_tools.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from kiosk.ui.journey import theme
from kiosk.ui.journey.options import DisplayOptions
from kiosk.ui.qt.clock import Clock, SystemClock
from kiosk.ui.shell.host import BundleHost
from kiosk.ui.shell.preview_tools import PreviewTools

DEBOUNCE_MS = 150  # editors write a file in several steps; wait until they are done
POLL_MS = 1000
MAX_DEPTH = 3  # bundle folders worth watching: events/, map/, media/ and one level below
Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(folder: Path) -> Fingerprint:
    """Every file's path, size and modification time: any save changes it."""
    found: list[tuple[str, int, int]] = []
    base_depth = len(folder.parts)
    for top, folders, files in os.walk(folder):  # Path.walk is Python 3.12+
        current = Path(top)
        depth = len(current.parts) - base_depth
        folders[:] = [] if depth >= MAX_DEPTH else sorted(f for f in folders if f[0] != ".")
        for name in files:
            if name.startswith(".") or name.endswith("~"):
                continue  # editors' swap, backup and temporary files: never bundle content
            path = current / name
            try:
                info = path.stat()
            except OSError:  # removed while we looked
                continue
            found.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(sorted(found))


def _digest(path: Path) -> str | None:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:  # gone, or being replaced
        return None


class BundleWatcher(QObject):
    """Emits `changed` once after a burst of saves anywhere in the bundle folder."""

    changed = Signal()

    def __init__(
        self, folder: Path, parent: QObject | None = None, clock: Clock | None = None
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._file_changed)
        self._watcher.directoryChanged.connect(self._poke)
        clock = clock or SystemClock(self)
        # Started again by every save; it stops itself when it fires (see `_settled`).
        self._debounce = clock.timer(DEBOUNCE_MS / 1000, self._settled, self)
        self._poll = clock.timer(POLL_MS / 1000, self._check, self)
        self._seen = fingerprint(folder)
        # Files the watcher named, and their last content: a same-size save within one tick of a
        # coarse clock (FAT on a USB stick keeps times to 2 s) leaves the fingerprint unchanged.
        self._touched: set[str] = set()
        self._digests: dict[str, str | None] = {}
        self._arm()
        self._poll.start()

    def _arm(self) -> None:
        """Watch every folder and file; an atomic save replaced a file, so add it back."""
        wanted = {str(self.folder)} | {path for path, _, _ in self._seen}
        wanted |= {str(Path(path).parent) for path, _, _ in self._seen}
        watched = set(self._watcher.files()) | set(self._watcher.directories())
        missing = sorted(p for p in wanted - watched if Path(p).exists())
        if missing:
            self._watcher.addPaths(missing)

    def _file_changed(self, path: str) -> None:
        self._touched.add(path)
        self._poke()

    def _poke(self, _path: str = "") -> None:
        self._debounce.start()  # restarts: a burst of writes gives one reload

    def _check(self) -> None:
        if not self._debounce.active and fingerprint(self.folder) != self._seen:
            self._debounce.start()

    @property
    def pending(self) -> bool:
        """A save was heard and its quiet spell has not ended yet."""
        return self._debounce.active

    def _settled(self) -> None:
        self._debounce.stop()
        now = fingerprint(self.folder)
        changed = now != self._seen
        for path in self._touched:
            digest = _digest(Path(path))
            changed = changed or self._digests.get(path, "") != digest
            self._digests[path] = digest
        self._touched.clear()
        self._seen = now
        self._arm()
        if changed:
            self.changed.emit()

    @property
    def watched(self) -> list[str]:
        return self._watcher.files() + self._watcher.directories()


class ProblemsOverlay(QFrame):
    """What is wrong with the saved bundle, over the last good version; plain, scrollable text."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("problems-overlay")
        self.setStyleSheet(
            f"#problems-overlay {{ background: {theme.CARD.name()};"
            f" border: 3px solid {theme.ACCENT.name()}; border-radius: 10px; }}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        self.heading = QLabel()
        self.heading.setObjectName("problems-heading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setFont(theme.font(theme.SANS, 24, bold=True))
        self.heading.setStyleSheet(f"color: {theme.ACCENT.name()};")
        self.heading.setWordWrap(True)
        self.note = QLabel()
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setFont(theme.font(theme.SANS, 17))
        self.note.setStyleSheet(f"color: {theme.INK_SOFT.name()};")
        self.note.setWordWrap(True)
        # Plain text only, selectable so a curator can copy a message; it scrolls when long.
        self.text = QPlainTextEdit()
        self.text.setObjectName("problems-list")
        self.text.setReadOnly(True)
        self.text.setFont(theme.font(theme.SANS, 19))
        self.text.setStyleSheet(
            f"QPlainTextEdit {{ background: white; color: {theme.INK.name()};"
            " border: 1px solid #c9bda4; padding: 6px; }"
        )
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.text, 1)
        self.hide()

    def show_problems(self, problems: list[str], keeping_last_good: bool) -> None:
        errors = sum(": error: " in line for line in problems)
        self.heading.setText(
            f"The saved bundle has {errors} error{'s' * (errors != 1)}; visitors would not see it"
            if errors
            else "This folder cannot be shown as a bundle"
        )
        checked = dt.datetime.now().strftime("%H:%M:%S")
        kept = (
            "Behind this list is the last version that worked."
            if keeping_last_good
            else "No version of this bundle has worked yet, so visitors would see the "
            "'being updated' screen."
        )
        self.note.setText(
            f"{kept} Fix the files and save: the preview reloads by itself. (Checked {checked}.)"
        )
        self.text.setPlainText("\n\n".join(problems))
        self.show()
        self.raise_()


class PreviewWindow(QWidget):
    """The visitor's screen for one bundle folder, reloaded on save, with problems overlaid."""

    reloaded = Signal(bool)  # after each reload: True if the saved bundle is on screen

    def __init__(
        self,
        folder: Path,
        language: str | None = None,
        options: DisplayOptions | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("preview")
        self.folder = folder
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # Never idle by itself unless asked (--idle): the curator is typing, not gone.
        self.host = BundleHost(options or DisplayOptions(idle=False), language)
        self.host.keep_place = True  # every reload opens where the curator was
        self.tools = PreviewTools(self.host, self)  # coordinates, ids and a search, on top
        layout.addWidget(self.tools)
        layout.addWidget(self.host, 1)
        self.overlay = ProblemsOverlay(self)
        self.host.bundle_loaded.connect(lambda _bundle: self._reloaded(True))
        self.host.bundle_refused.connect(lambda _folder, _problems: self._reloaded(False))
        self.watcher = BundleWatcher(folder, self, clock)  # the real time unless a test moves it
        # A save is read and checked in the background: the last version stays live meanwhile.
        self.watcher.changed.connect(lambda: self.host.load_in_background(self.folder))
        self.reload()

    def reload(self) -> None:
        """Read the folder again now (the first time, and on request)."""
        self.host.load(self.folder)

    def _reloaded(self, shown: bool) -> None:
        bundle = self.host.bundle
        name = bundle.manifest.id if bundle is not None else self.folder.name
        self.setWindowTitle(f"Preview: {name} ({self.folder})")
        if shown:
            self.overlay.hide()
        else:
            self.overlay.show_problems(self.host.problems, keeping_last_good=bundle is not None)
            self._place_overlay()
        self.reloaded.emit(shown)

    def _place_overlay(self) -> None:
        # The lower part of the window, leaving the title and the top of the map in view.
        margin = 24
        width = min(self.width() - 2 * margin, 1200)
        # As tall as the list needs (about two lines a problem), at most half the window.
        line = self.overlay.text.fontMetrics().lineSpacing()
        needed = 150 + self.overlay.text.document().blockCount() * line * 2
        height = max(220, min(needed, self.height() // 2, self.height() - 2 * margin))
        self.overlay.setGeometry(margin, self.height() - height - margin, width, height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_overlay()
