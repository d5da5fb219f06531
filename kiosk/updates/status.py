"""The status file a gallery's monitoring reads: version, uptime, last update, last error.

`KioskStatus` is filled from both threads (the screen's: the bundle shown; the updater's: the
attempts) under a lock; `write_status` replaces the file atomically, so a reader never sees half.
`LastError` is a logging handler that keeps the last ERROR the kiosk logged, of any kind.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.updates.durable import write_atomic
from kiosk.updates.state import Attempt, now_text
from kiosk.updates.untrusted import printable


class KioskStatus:
    """What the status file says; every method may be called from any thread."""

    def __init__(self, update_source: str | None = None) -> None:
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._data: dict[str, Any] = {
            "program": f"kiosk {__version__}",
            "pid": os.getpid(),
            "started_at": now_text(),
            "bundle": None,
            "update_source": update_source,
            "store": None,
            "last_update": None,
            "last_error": None,
        }

    def set_bundle(self, bundle_id: str, version: str, folder: Path) -> None:
        with self._lock:
            where = printable(folder.absolute())
            self._data["bundle"] = {
                "id": printable(bundle_id, 80),
                "version": printable(version, 80),
                "folder": where,
            }

    def set_store(self, current: str | None, previous: str | None, held_back: str | None) -> None:
        with self._lock:
            self._data["store"] = {"current": current, "previous": previous, "held_back": held_back}

    def set_update(self, attempt: Attempt) -> None:
        with self._lock:
            self._data["last_update"] = asdict(attempt)

    def set_error(self, message: str) -> None:
        with self._lock:
            self._data["last_error"] = {"time": now_text(), "message": message}

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            data = json.loads(json.dumps(self._data))  # a deep copy, as it will be written
        data["written_at"] = now_text()
        data["uptime_seconds"] = round(time.monotonic() - self._started)
        return data


def write_status(path: Path, status: KioskStatus) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(status.snapshot(), indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, text.encode("utf-8"))


class LastError(logging.Handler):
    """Remembers the last ERROR (or worse) logged, for the status file."""

    def __init__(self, status: KioskStatus) -> None:
        super().__init__(logging.ERROR)
        self.status = status

    def emit(self, record: logging.LogRecord) -> None:
        try:
            lines = record.getMessage().splitlines() or [""]
            self.status.set_error(printable(f"{record.name}: {lines[0]}"))
        except Exception:  # a log handler must never raise into the code that logged
            self.handleError(record)
