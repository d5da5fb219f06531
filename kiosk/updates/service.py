"""The kiosk's background updater: polls the source on its own thread, never on the screen's,
and writes the status file on another.

Two threads, so a slow poll never silences the status file (monitoring would call a kiosk whose
status stops dead): `kiosk-update-poll` polls every `update_interval_seconds` (the first poll a
few seconds after start, so start-up is not slowed; every request has a deadline, see
http_source.py), and `kiosk-updates` rewrites the status file every `STATUS_SECONDS` on its own
timer and looks after the store. When the store's current bundle differs from the one last
offered (an install, or a rollback by a technician), the latter calls `on_new_bundle(path)`
from its thread: the Qt side (kiosk/ui/shell/update_gate.py) queues that to the screen's thread
and swaps the bundle in at the next attract loop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.runtime.config import InstallationConfig, default_status_file, default_update_store
from kiosk.updates.status import KioskStatus, LastError, write_status
from kiosk.updates.store import Store

log = logging.getLogger("kiosk.updates")
STATUS_SECONDS = 30.0
FIRST_POLL_SECONDS = 5.0


def update_store(config: InstallationConfig) -> Store | None:
    """The store this kiosk runs from, when it has an update source."""
    if not config.update_source:
        return None
    return Store(config.update_store or default_update_store())


def startup_bundle(config: InstallationConfig) -> Path | None:
    """The store's current bundle, to start with (None: no updates, or none installed yet)."""
    store = update_store(config)
    return store.current_path() if store is not None else None


class UpdateService:
    """The background thread; `start()`, then `stop()` when the kiosk ends."""

    def __init__(
        self,
        config: InstallationConfig,
        on_new_bundle: Callable[[Path], None],
        first_poll_seconds: float = FIRST_POLL_SECONDS,
        status_seconds: float = STATUS_SECONDS,
    ) -> None:
        self.store = update_store(config)
        self.updater = None
        if self.store is not None and config.update_source:
            # The updater (and the bundle loader it checks downloads with) only when updating:
            # the kiosk asks this module for its start-up bundle before its first frame.
            from kiosk.updates.updater import Updater, make_source

            source = make_source(
                config.update_source,
                config.update_public_key,
                config.update_settle_seconds,
                request_seconds=config.update_request_seconds,
                download_seconds=config.update_download_seconds,
            )
            self.updater = Updater(self.store, source, bundle_id=config.update_bundle_id)
        self.interval = config.update_interval_seconds
        self.status = KioskStatus(config.update_source)
        self.status_path = config.status_file or default_status_file()
        self.on_new_bundle = on_new_bundle
        self.first_poll_seconds = first_poll_seconds
        self.status_seconds = status_seconds
        self._offered: Path | None = self.store.current_path() if self.store else None
        self._showing: str | None = None
        self._shown_lock = threading.Lock()
        self._wake = threading.Event()  # the status thread: write now
        self._wake_poller = threading.Event()  # the poll thread: poll now, or stop
        self._stopping = False
        self._poll_due = 0.0
        # Set while a poll runs: a bundle it installs is offered only once its outcome is in the
        # status, so the status never shows a new bundle beside no (or the previous) update.
        self._polling = threading.Event()
        self._errors = LastError(self.status)
        self._thread = threading.Thread(target=self._run, name="kiosk-updates", daemon=True)
        self._poller = threading.Thread(
            target=self._run_polls, name="kiosk-update-poll", daemon=True
        )

    def start(self) -> None:
        logging.getLogger("kiosk").addHandler(self._errors)
        self._poll_due = time.monotonic() + self.first_poll_seconds
        self._thread.start()
        if self.updater is not None:
            self._poller.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping = True
        self._wake.set()
        self._wake_poller.set()
        self._thread.join(timeout)
        if self._poller.is_alive():
            # A poll in progress ends by its own deadline; the thread is a daemon.
            self._poller.join(min(timeout, 2.0))
        logging.getLogger("kiosk").removeHandler(self._errors)

    def poll_now(self) -> None:
        """Wake the poll thread for a poll at once (staff's request, tests)."""
        self._poll_due = 0.0
        self._wake_poller.set()

    def shown(self, folder: Path, bundle_id: str, version: str) -> None:
        """The screen now shows `folder` (called on the screen's thread after a swap)."""
        self.status.set_bundle(bundle_id, version, folder)
        if self.store is not None and folder.parent == self.store.versions:
            with self._shown_lock:
                self._showing = folder.name
        self._wake.set()

    def _run(self) -> None:
        """The status file and the store's housekeeping, on their own timer."""
        marked: str | None = None
        while not self._stopping:
            try:
                with self._shown_lock:
                    showing = self._showing
                if self.store is not None and showing != marked:
                    self.store.mark_showing(showing)
                    marked = showing
                self._offer_current()  # also notices a technician's rollback or update
                write_status(self.status_path, self.status)
            except Exception:  # the status must outlive any surprise; the log keeps it
                log.exception("the background updater hit an unexpected error")
            self._wake.wait(self.status_seconds)
            self._wake.clear()

    def _run_polls(self) -> None:
        while not self._stopping:
            wait = self._poll_due - time.monotonic()
            if wait > 0:
                self._wake_poller.wait(wait)
                self._wake_poller.clear()
                continue
            self._polling.set()
            try:
                self._poll()
            except Exception:  # the updater must outlive any surprise; the log keeps it
                log.exception("the background updater hit an unexpected error")
                self._poll_due = time.monotonic() + self.interval
            finally:
                self._polling.clear()
            self._wake.set()  # the status and the new bundle, at once

    def _poll(self) -> None:
        assert self.updater is not None and self.store is not None
        self._poll_due = time.monotonic() + self.interval
        attempt = self.updater.poll_once()
        self.status.set_update(attempt)
        state = self.store.state()
        self.status.set_store(self.store.current, self.store.previous, state.held_back)

    def _offer_current(self) -> None:
        if self.store is None or self._polling.is_set():
            return
        current = self.store.current_path()
        if current is not None and current != self._offered:
            self._offered = current
            self.on_new_bundle(current)
