"""The folder source (the inbox): a folder that any tool fills (rsync, Syncthing, git, a network
share, a USB stick). Those tools do not deliver a bundle atomically (ANCHORS trap 7), so a bundle
is taken only when complete, copied into the store's staging folder, and validated there.

The folder holds either
- what `publish` wrote (`manifest.json` and its zip): complete when the zip has the manifest's
  size and hash (a zip still arriving is "waiting", not a fault);
- or a bundle tree (`bundle.yaml` at its top): complete when the marker file `bundle.ready` is
  there, or else when nothing in the tree has changed for the settle time. Files that sync tools
  write while they work (rsync's `.name.XXXXXX`, Syncthing's `.syncthing.*.tmp`) mean "not yet".
In both cases the folder is looked at again after the copy: a change during the copy drops it.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from kiosk.content.problems import ProblemList
from kiosk.content.safe_read import FileTooLarge, NotARegularFile, read_regular_file
from kiosk.content.yaml_source import read_yaml
from kiosk.updates.digest import bundle_files, tree_sha256
from kiosk.updates.errors import UpdateError
from kiosk.updates.manifest import MANIFEST_FILE, MAX_MANIFEST_BYTES, UpdateManifest
from kiosk.updates.offer import Offer, Quiet, check_download, need_space, unpack
from kiosk.updates.safe_zip import DEFAULT_LIMITS, ZipLimits
from kiosk.updates.signing import verify_manifest
from kiosk.updates.store import version_folder_name

READY_MARKER = "bundle.ready"
Snapshot = tuple[tuple[str, int, int], ...]


def snapshot(root: Path) -> Snapshot:
    """Every entry's path, size and modification time (names only, cheap to repeat)."""
    entries = []
    for path in sorted(root.rglob("*")):
        try:
            info = path.lstat()
        except FileNotFoundError:  # removed while we looked: changing, and the next look says so
            continue
        entries.append((path.relative_to(root).as_posix(), info.st_size, info.st_mtime_ns))
    return tuple(entries)


def _sync_in_progress(entries: Snapshot) -> str | None:
    for name, _, _ in entries:
        base = name.rsplit("/", 1)[-1]
        if base.startswith((".syncthing.", "~syncthing~")) or base.endswith((".tmp", ".part")):
            return name
        # rsync writes .NAME.XXXXXX beside NAME until the file is whole.
        if base.startswith(".") and len(base) > 8 and base[-7] == "." and base[-6:].isalnum():
            return name
    return None


class FolderSource:
    """Watches one folder; remembers what it saw, to apply the settle time between polls."""

    def __init__(
        self,
        folder: Path,
        public_key: Path | None = None,
        settle_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        limits: ZipLimits = DEFAULT_LIMITS,
    ) -> None:
        self.folder = folder
        self.label = str(folder)
        self.public_key = public_key
        self.settle_seconds = settle_seconds
        self.clock = clock
        self.limits = limits
        self._seen: Snapshot | None = None
        self._seen_since = 0.0
        self._digest: tuple[Snapshot, str] | None = None
        self.wait_hint: float = 0.0  # seconds until a settling tree may count as complete

    def check(self, validators: dict[str, dict[str, str]]) -> Offer | Quiet:
        if not self.folder.is_dir():
            raise UpdateError("source-missing", f"the update folder {self.folder} is not there")
        if (self.folder / MANIFEST_FILE).is_file():
            return self._check_published()
        if (self.folder / "bundle.yaml").is_file():
            return self._check_tree()
        return Quiet("waiting", f"{self.folder} holds neither {MANIFEST_FILE} nor bundle.yaml")

    def _check_published(self) -> Offer | Quiet:
        path = self.folder / MANIFEST_FILE
        try:
            # Never more than the largest manifest (plus one byte to tell): a 3 GB manifest.json
            # in a sync folder must not take 3 GB of the kiosk's memory (issue 17, finding 4).
            raw = read_regular_file(path, MAX_MANIFEST_BYTES)
        except FileTooLarge:
            raise UpdateError(
                "bad-manifest",
                f"{path} is larger than {MAX_MANIFEST_BYTES} bytes; it is not a manifest",
            ) from None
        except NotARegularFile:
            raise UpdateError("bad-manifest", f"{path} is not a plain file") from None
        manifest = UpdateManifest.parse(raw)
        verify_manifest(manifest, self.public_key)
        archive = self.folder / manifest.file
        if not archive.is_file() or archive.stat().st_size != manifest.size:
            return Quiet("waiting", f"{manifest.file} has not fully arrived yet")
        return Offer(
            manifest.bundle,
            manifest.version,
            version_folder_name(manifest.version, manifest.sha256),
            partial(self._fetch_zip, manifest, archive),
            expires=manifest.expires_at,
        )

    def _fetch_zip(self, manifest: UpdateManifest, archive: Path, staging: Path) -> Path:
        need_space(staging, manifest.size, f"copying {manifest.file}")
        copy = staging / "download.zip"
        shutil.copyfile(archive, copy)
        check_download(copy, manifest)  # the copy is what counts, whatever happens to the source
        return unpack(copy, staging, self.limits)

    def _check_tree(self) -> Offer | Quiet:
        if self.public_key is not None:
            raise UpdateError(
                "unsigned",
                f"{self.folder} holds a bundle folder, but this kiosk has a public key and so "
                "takes only signed bundles (publish with --sign and copy its output there)",
            )
        seen = snapshot(self.folder)
        busy = _sync_in_progress(seen)
        if busy:
            self._seen = None
            return Quiet("waiting", f"a sync tool is still writing ({busy})")
        now = self.clock()
        if seen != self._seen:
            self._seen, self._seen_since = seen, now
        marked = any(name == READY_MARKER for name, _, _ in seen)
        settled = now - self._seen_since >= self.settle_seconds
        if not (marked or settled):
            self.wait_hint = self.settle_seconds - (now - self._seen_since)
            return Quiet(
                "waiting",
                f"the bundle in {self.folder} changed lately; waiting until it has not changed "
                f"for {self.settle_seconds:g} s (or for {READY_MARKER})",
            )
        # Hashing reads every file: done again only when the tree has changed.
        if self._digest is None or self._digest[0] != seen:
            self._digest = (seen, tree_sha256(self.folder, skip=frozenset({READY_MARKER})))
        digest = self._digest[1]
        bundle_id, version = _tree_identity(self.folder)
        return Offer(
            bundle_id,
            version,
            version_folder_name(version, digest),
            partial(self._fetch_tree, seen),
        )

    def _fetch_tree(self, seen: Snapshot, staging: Path) -> Path:
        files = [p for p in bundle_files(self.folder) if p.name != READY_MARKER]
        need_space(staging, sum(p.stat().st_size for p in files), "copying the bundle")
        if len(files) > self.limits.max_files:
            raise UpdateError(
                "too-large", f"the bundle has more than {self.limits.max_files} files"
            )
        root = staging / "bundle"
        for path in files:
            target = root / path.relative_to(self.folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        if snapshot(self.folder) != seen:
            self._seen = None
            raise UpdateError(
                "changed", f"{self.folder} changed while it was being copied; retrying later"
            )
        return root


def _tree_identity(folder: Path) -> tuple[str, str]:
    """The id and version in bundle.yaml, read loosely: full validation comes after the copy."""
    doc = read_yaml(folder / "bundle.yaml", "bundle.yaml", ProblemList())
    data = doc.data if doc is not None else None
    if not isinstance(data, dict):
        data = {}
    ident, version = data.get("id"), data.get("version")
    return (
        str(ident) if ident is not None else "unknown",
        str(version) if version is not None else "unknown",
    )
