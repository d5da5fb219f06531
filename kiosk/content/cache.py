"""A cache of validated bundles: an unchanged bundle is shown without being read and checked again.

Validating the Petrograd bundle (reading 2.4 MB of map and every YAML file with positions, then
the model and cross-checks) is most of the kiosk's start-up; the bundle rarely changes between
starts. So a bundle that validated without errors is stored, pickled, under a key that covers
everything validation depends on:

- the cache's format, the kiosk's version, Python's and pydantic's versions (pydantic's read from
  its version file, not imported);
- the content layer's code (its source files, or a frozen build's executable);
- the bundle folder's resolved path, and every file under it: its relative path and contents.

Any change to any of these gives another key, so a stale entry is never found; a bundle with
errors is never stored, so an invalid one is never served. An entry that cannot be read or is not
a bundle counts as absent. An entry holds the bundle as plain data (`kiosk.content.data`, no
pydantic model), so reading it imports no pydantic. The cache is the kiosk's own folder (like its
config, only the kiosk's user may write there: pickle runs what it reads); a few newest entries
are kept.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import importlib.util
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from kiosk.content.bundle import Bundle
from kiosk.content.problems import BundleInvalid, Problem
from kiosk.content.safe_read import NotARegularFile

ENVIRONMENT = "KIOSK_BUNDLE_CACHE"
CACHE_FORMAT = 2  # 2: plain data (kiosk.content.data) instead of pydantic models
KEEP_ENTRIES = 4
SUFFIX = ".bundle"


@functools.cache
def code_fingerprint(package: Path = Path(__file__).parent) -> bytes:
    """What identifies the code of `package` (a folder of kiosk; default the content layer):
    its sources, or the frozen executable. Worked out once a process: the code does not change
    while it runs."""
    digest = hashlib.sha256()
    sources = sorted(package.glob("*.py"))
    if sources:
        for source in sources:
            digest.update(source.name.encode())
            digest.update(source.read_bytes())
    else:  # frozen: the code lives in the executable's archive
        executable = Path(sys.executable).resolve()
        stat = executable.stat()
        digest.update(f"{executable}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.digest()


def pydantic_version() -> bytes:
    """pydantic's version file (what it validates by), found without importing pydantic: a
    start from the cache would otherwise import it for this alone. Empty in a frozen build,
    whose executable (in the code's fingerprint) holds pydantic too."""
    try:
        spec = importlib.util.find_spec("pydantic")
        if spec is None or spec.origin is None:
            return b""
        return Path(spec.origin).with_name("version.py").read_bytes()
    except (ImportError, ValueError, OSError):
        return b""


def bundle_key(root: Path) -> str:
    """The cache key of the bundle folder `root` as it is now (hex digest)."""
    from kiosk import __version__

    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT}|{__version__}|{sys.version}|".encode())
    digest.update(pydantic_version())
    digest.update(code_fingerprint())
    resolved = root.resolve()
    digest.update(str(resolved).encode())
    for folder, dirs, files in os.walk(resolved):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            digest.update(b"\0" + str(path.relative_to(resolved)).encode() + b"\0")
            try:
                # Regular files only, read in bounded pieces: a link to /dev/zero or a FIFO in a
                # bundle is refused by validation, and must not hang or fill memory here first.
                if not stat.S_ISREG(path.stat().st_mode):
                    raise NotARegularFile(path)
                with path.open("rb") as stream:
                    digest.update(hashlib.file_digest(stream, "sha256").digest())
            except OSError:  # unreadable now: validation will say so; never a match
                digest.update(os.urandom(16))
    return digest.hexdigest()


class BundleCache:
    """Validated bundles stored in `folder`, found again by `bundle_key`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> Bundle | None:
        path = self.folder / f"{key}{SUFFIX}"
        try:
            with path.open("rb") as file:
                bundle = pickle.load(file)
        except Exception:  # absent, cut short or from an incompatible build: a miss
            return None
        if not isinstance(bundle, Bundle):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept longest
        return bundle

    def put(self, key: str, bundle: Bundle) -> None:
        """Store `bundle` (atomically: a reader never sees half an entry); failures are ignored,
        a cache is only ever a shortcut."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                dir=self.folder, prefix=".", suffix=".tmp", delete=False
            ) as file:
                pickle.dump(bundle, file, protocol=pickle.HIGHEST_PROTOCOL)
            Path(file.name).replace(self.folder / f"{key}{SUFFIX}")
            self._prune()
        except (OSError, pickle.PicklingError):
            with contextlib.suppress(OSError, NameError):
                Path(file.name).unlink()

    def _prune(self) -> None:
        entries = sorted(
            self.folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in entries[KEEP_ENTRIES:]:
            with contextlib.suppress(OSError):
                old.unlink()


def default_cache() -> BundleCache | None:
    """The kiosk's cache: $KIOSK_BUNDLE_CACHE names its folder ("off": none), else the
    platform's cache folder (~/.cache/kiosk/bundles on Linux)."""
    setting = os.environ.get(ENVIRONMENT, "").strip()
    if setting.lower() == "off":
        return None
    if setting:
        return BundleCache(Path(setting))
    import platformdirs

    return BundleCache(platformdirs.user_cache_path("kiosk", appauthor=False) / "bundles")


def load_bundle_cached(
    root: Path,
    cache: BundleCache | None,
    validate_elsewhere: Callable[[Path, BundleCache], object] | None = None,
) -> tuple[Bundle, bool]:
    """A usable bundle (from the cache if it holds this very bundle), and whether it came from
    the cache unchecked; `BundleInvalid` (or `NotABundle`) as `load_bundle` raises them.

    On a miss, `validate_elsewhere(root, cache)` (a child process, as in
    kiosk/content/child_validation.py) may put it in the cache first, so this process never
    builds the validation machinery; if it did not (refused, or it could not run), this process
    validates, and says why it refuses."""
    if cache is None:
        return _usable(*_validate(root)), False
    key = bundle_key(root)
    cached = cache.get(key)
    if cached is None and validate_elsewhere is not None:
        validate_elsewhere(root, cache)
        cached = cache.get(key)
        if cached is not None:
            return dataclasses.replace(cached, root=root), False
    if cached is not None:
        # The folder may be named differently this time (a relative path, another cwd).
        return dataclasses.replace(cached, root=root), True
    bundle, problems = _validate(root)
    usable = _usable(bundle, problems)
    # Stored only if no file changed while it was being read: the entry is exactly that key.
    if bundle_key(root) == key:
        cache.put(key, usable)
    return usable, False


def _validate(root: Path) -> tuple[Bundle | None, list[Problem]]:
    # The loader (the YAML reader, the messages) is imported only to validate: a start from the
    # cache never needs it, and importing it would cost about 25 ms before the first frame.
    from kiosk.content.loader import validate_bundle

    return validate_bundle(root)


def _usable(bundle: Bundle | None, problems: list[Problem]) -> Bundle:
    if bundle is None:
        raise BundleInvalid(problems)
    return bundle
