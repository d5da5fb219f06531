"""A kiosk's store of bundles: `versions/`, the `current` and `previous` pointers, `staging/`.

    STORE/versions/<version>-<short hash>/   complete, validated bundles (never changed again)
    STORE/current, STORE/previous            pointers: a one-line file naming a versions/ folder
    STORE/showing                            the folder the running kiosk shows (kept by pruning)
    STORE/downloads/incoming-*/              downloads and copies in progress, made WITHOUT the
                                             store's lock (one per process, itself locked)
    STORE/staging/                           the locked changes' scratch space; emptied on start
    STORE/state.json                         attempts, what was rolled back from (state.py)

Invariants that make a crash at any moment harmless (tests/updates/test_crash_safety.py kills
the process between every two steps):
- a folder appears in versions/ only by one atomic rename of a fully written and fsynced folder
  from downloads/ (or staging/), and leaves it only by an atomic rename back into staging/
  before deletion, so everything in versions/ is complete;
- a pointer is replaced atomically (durable.write_atomic) and only ever names a folder that is
  already in versions/; `previous` is written before `current` on install, and `current` before
  `previous` on rollback, so `current` always names a complete bundle.

Network I/O never happens under the store's lock: a download (which may take minutes) goes into
its own folder under `downloads/`, and the lock is taken only to swap a complete, validated
bundle in (updater.py), so a technician's `rollback` is never refused as "busy" for long.

Pointers are small files, not symlinks: os.replace of a file is atomic on Windows too, where a
symlink needs a privilege (docs/decisions.md).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.content.safe_read import read_regular_file
from kiosk.runtime.files import fsync_folder
from kiosk.updates.durable import fsync_tree, write_atomic
from kiosk.updates.errors import StoreBusy, UpdateError
from kiosk.updates.lock import exclusive
from kiosk.updates.state import StoreState

VERSIONS = "versions"
STAGING = "staging"
CURRENT = "current"
PREVIOUS = "previous"
SHOWING = "showing"
STATE = "state.json"
SHORT_HASH = 12
MAX_POINTER_BYTES = 4096
DOWNLOADS = "downloads"
ABANDONED_SECONDS = 60.0  # a download folder this old whose owner is gone is removed
_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")

Step = Callable[[str], None]


def version_folder_name(version: str, digest: str) -> str:
    """`<version>-<short hash>`: readable, and different whenever the content differs."""
    safe = _UNSAFE.sub("_", version).strip("._") or "bundle"
    return f"{safe[:40]}-{digest[:SHORT_HASH]}"


def _no_step(_: str) -> None:
    return None


class Store:
    """One kiosk's bundles. Changes happen inside `with store.locked():`."""

    def __init__(self, root: Path, on_step: Step = _no_step) -> None:
        self.root = root
        self.versions = root / VERSIONS
        self.staging = root / STAGING
        self._step = on_step

    # Reading (no lock needed: every file read here is replaced atomically).

    def _pointer(self, name: str) -> str | None:
        try:
            raw = read_regular_file(self.root / name, MAX_POINTER_BYTES)
            value = raw.decode("utf-8").strip()
        except (OSError, UnicodeDecodeError):  # missing, odd or unreadable: no pointer
            return None
        if not value or "/" in value or "\\" in value or value in (".", ".."):
            return None
        return value if (self.versions / value).is_dir() else None

    @property
    def current(self) -> str | None:
        return self._pointer(CURRENT)

    @property
    def previous(self) -> str | None:
        return self._pointer(PREVIOUS)

    def current_path(self) -> Path | None:
        name = self.current
        return self.versions / name if name else None

    def path_of(self, name: str) -> Path:
        return self.versions / name

    def state(self) -> StoreState:
        return StoreState.read(self.root / STATE)

    def save_state(self, state: StoreState) -> None:
        state.write(self.root / STATE)

    # Changing.

    @contextmanager
    def locked(self, wait_seconds: float = 0.0) -> Iterator[None]:
        """Hold the store for a change; leftovers of a crashed change are cleared first.

        StoreBusy if another process still holds it after `wait_seconds`."""
        try:
            self.versions.mkdir(parents=True, exist_ok=True)
            self.staging.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UpdateError("store", f"cannot create the store {self.root}: {exc}") from exc
        with exclusive(self.root / "lock", wait_seconds):
            self._clear_staging()
            yield

    def _clear_staging(self) -> None:
        for entry in self.staging.iterdir():
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink()
        for entry in self.root.glob(".*.tmp"):  # a pointer write cut short
            entry.unlink()

    @contextmanager
    def download_area(self) -> Iterator[Path]:
        """A new folder for one download, outside the lock; removed afterwards.

        Each folder holds its own OS lock (`.owner`) while in use, so another process clears only
        folders whose owner died (and that are older than a minute).
        """
        downloads = self.root / DOWNLOADS
        try:
            downloads.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UpdateError("store", f"cannot create the store {self.root}: {exc}") from exc
        self._clear_abandoned_downloads(downloads)
        folder = Path(tempfile.mkdtemp(prefix="incoming-", dir=downloads))
        try:
            with exclusive(folder / ".owner"):
                yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    @staticmethod
    def _clear_abandoned_downloads(downloads: Path) -> None:
        now = time.time()
        for entry in downloads.iterdir():
            try:
                if not entry.is_dir() or now - entry.stat().st_mtime < ABANDONED_SECONDS:
                    continue
                with exclusive(entry / ".owner"):
                    shutil.rmtree(entry, ignore_errors=True)
            except StoreBusy:  # another process is downloading into it
                continue
            except OSError:  # gone meanwhile, or not ours to remove: left alone
                continue

    def new_staging_folder(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="incoming-", dir=self.staging))

    def install(self, staged: Path, name: str) -> Path:
        """Make the complete, validated bundle in `staged` current as `name` (`staged` is inside
        downloads/ or staging/: on the same disk, so the move is one atomic rename)."""
        target = self.versions / name
        self._step("validated")
        if target.is_dir():  # already here (a re-install of the previous one): complete
            shutil.rmtree(staged, ignore_errors=True)
        else:
            fsync_tree(staged)
            self._step("staged-synced")
            staged.replace(target)
            self._step("moved-into-versions")
            fsync_folder(self.versions)
            self._step("versions-synced")
        old = self.current
        if old == name:
            return target
        if old is not None:
            self._write_pointer(PREVIOUS, old)
        self._write_pointer(CURRENT, name)
        self.prune()
        return target

    def rollback(self) -> str:
        """Make `previous` current again (and the current one previous); returns its name."""
        old, back = self.current, self.previous
        if back is None or old is None:
            raise UpdateError("no-previous", "there is no previous bundle to roll back to")
        self._write_pointer(CURRENT, back)
        self._write_pointer(PREVIOUS, old)
        return back

    def mark_showing(self, name: str | None) -> None:
        """Tell pruning which folder the running kiosk has on screen, so it is never deleted."""
        if name is None:
            (self.root / SHOWING).unlink(missing_ok=True)
        else:
            write_atomic(self.root / SHOWING, f"{name}\n".encode())

    def prune(self) -> None:
        """Delete every version that is neither current, previous nor on screen."""
        keep = {self.current, self.previous, self._pointer(SHOWING)}
        for folder in sorted(self.versions.iterdir()):
            if folder.name in keep or not folder.is_dir():
                continue
            # Out of versions/ in one atomic step, so versions/ never holds half a bundle.
            trash = Path(tempfile.mkdtemp(prefix="old-", dir=self.staging))
            folder.replace(trash / folder.name)
            self._step(f"pruned:{folder.name}")
            shutil.rmtree(trash, ignore_errors=True)
        fsync_folder(self.versions)

    def _write_pointer(self, pointer: str, name: str) -> None:
        def step(what: str) -> None:
            self._step(f"{pointer}:{what}")

        write_atomic(self.root / pointer, f"{name}\n".encode(), step)
        self._step(f"{pointer}:synced")
