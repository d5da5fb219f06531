"""Content updates reach the screen only between visitors.

`UpdateGate` takes a newly installed bundle (offered from the updater's thread; the signal queues
it to the screen's thread) and loads it through `BundleHost` only while the exhibit is in its
attract loop (`idle.phase is Phase.ATTRACT`), never under a visitor's finger. Offered while
someone is using the kiosk, it waits: the swap happens the moment the exhibit next enters the
attract loop. With no bundle on screen (the calm "being updated" screen), it loads at once.
Where the host keeps a validated-bundle cache (the kiosk's), an offered bundle is first validated
into it in the background, by a child process, and only then swapped in: the swap is a cache hit,
and the screen's thread never waits for a validation.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.content.cache import BundleCache
from kiosk.content.child_validation import validate_in_child
from kiosk.runtime.config import InstallationConfig
from kiosk.ui.journey.idle import Phase
from kiosk.ui.qt import work
from kiosk.ui.shell.host import BundleHost, read_bundle
from kiosk.ui.shell.main_window import MainWindow
from kiosk.updates.service import UpdateService

log = logging.getLogger("kiosk.updates")


def _prepare_into(folder: Path, cache: BundleCache) -> Path:
    """Validate `folder` into `cache` in a child process, or here if none can run; `folder`."""
    if validate_in_child(folder, cache) is None:
        read_bundle(folder, cache)
    return folder


class UpdateGate(QObject):
    """Holds an offered bundle until the exhibit is idle, then swaps it in."""

    offered = Signal(object)  # a bundle folder (Path); may be emitted from any thread

    def __init__(self, host: BundleHost, service: UpdateService | None = None) -> None:
        super().__init__(host)
        self.host = host
        self.service = service
        self.pending: Path | None = None
        self.preparing: Path | None = None  # being validated into the cache, not swapped yet
        self._watched: MainWindow | None = None
        self.offered.connect(self._offer)  # queued to this (the screen's) thread
        host.bundle_loaded.connect(self.report_shown)
        host.bundle_refused.connect(self._refused)
        self._watch(host.exhibit)

    def _offer(self, folder: Path) -> None:
        if folder == self.host.content:
            self.pending = None
            return
        if folder == self.pending:  # offered again (the poll, then the status thread): waiting
            return
        log.info("update: %s is ready; it is shown at the next attract loop", folder.name)
        self.pending = folder
        if self.host.cache is None:  # nothing to prepare into: loaded as it is when idle
            self.try_swap()
        else:
            self._prepare(folder)

    def _prepare(self, folder: Path) -> None:
        """Validate into the host's cache in the background before the swap, so the swap in the
        attract loop is quick (a cache hit) and the loop does not stutter; in a child process,
        so the kiosk never builds the validation machinery (~17 MB kept for its life:
        kiosk/content/child_validation.py)."""
        assert self.host.cache is not None
        self.preparing = folder
        work.submit(
            partial(_prepare_into, folder, self.host.cache), self._prepared, lane=work.Lane.BUNDLES
        )

    def _prepared(self, folder: Path) -> None:
        if folder == self.preparing:
            self.preparing = None
        self.try_swap()

    def try_swap(self) -> bool:
        """Load the pending bundle if nobody is using the kiosk and it is not still being
        validated into the cache; True if a load was started."""
        exhibit = self.host.exhibit
        busy = exhibit is not None and exhibit.idle.phase is not Phase.ATTRACT
        if self.pending is None or busy or self.pending == self.preparing:
            return False
        folder, self.pending = self.pending, None
        log.info("update: swapping in %s during the attract loop", folder.name)
        self.host.load(folder)
        return True

    def _phase_changed(self, phase: Phase) -> None:
        if phase is Phase.ATTRACT:
            self.try_swap()

    def _watch(self, exhibit: MainWindow | None) -> None:
        # The old window's monitor is deleted with it, and its connection with it; a signal it
        # sends before then finds the new window in try_swap, which is what counts.
        if exhibit is self._watched:
            return
        self._watched = exhibit
        if exhibit is not None:
            exhibit.idle.phase_changed.connect(self._phase_changed)

    def report_shown(self, bundle: object = None) -> None:
        """Tell the updater (status file, pruning) what is on screen now."""
        self._watch(self.host.exhibit)
        content, exhibit = self.host.content, self.host.exhibit
        if self.service is not None and content is not None and exhibit is not None:
            manifest = exhibit.bundle.manifest
            self.service.shown(content, manifest.id, manifest.version)

    def _refused(self, folder: object, problems: list[str]) -> None:
        log.error(
            "update: %s was refused on loading; the bundle on screen stays:\n  %s",
            folder,
            "\n  ".join(problems),
        )


class KioskUpdates:
    """The updater thread and the gate of a running kiosk; `stop()` at exit.

    The thread (and the web client's imports) start a moment after start-up, so they never delay
    the first frame.
    """

    START_DELAY_MS = 1000

    def __init__(self, host: BundleHost, config: InstallationConfig) -> None:
        self.config = config
        self.gate = UpdateGate(host)
        self.service: UpdateService | None = None
        QTimer.singleShot(self.START_DELAY_MS, self.gate, self.start)

    def start(self) -> None:
        if self.service is not None:
            return
        self.service = UpdateService(self.config, self.gate.offered.emit)
        self.gate.service = self.service
        self.gate.report_shown()  # what is on screen now, for the status file
        self.service.start()

    def stop(self) -> None:
        if self.service is not None:
            self.service.stop()


def start_updates(host: BundleHost, config: InstallationConfig) -> KioskUpdates:
    """Start polling (when `update_source` is set) and writing the status file."""
    return KioskUpdates(host, config)
