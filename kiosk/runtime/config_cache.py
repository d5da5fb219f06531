"""The installation config as last validated: a start on an unchanged config file reads it back
without the YAML reader or pydantic.

Validating the config imports the YAML reader with positions and pydantic (about 9 MB kept for
the kiosk's life, and tens of milliseconds of every start), though a kiosk's config file changes
once in months. So a config that loaded without any problem is stored, pickled as its plain
classes, in a folder of the bundle cache (kiosk/content/cache.py: the kiosk's own, which only
its user may write; the entry is written 0600, as it holds the PIN's hash), under a key that
covers the file's bytes and resolved path, the code that reads and validates it (the content
and runtime layers' sources, or a frozen build's executable) and the versions of the kiosk,
Python and pydantic. Any change gives another key and so a fresh validation. A config with any
problem is never stored, so its problems are reported on every start, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.content.safe_read import read_regular_file

if TYPE_CHECKING:
    from kiosk.runtime.config import LoadedConfig

FORMAT = 1
SUFFIX = ".config"
KEEP_ENTRIES = 4
MAX_CONFIG_BYTES = 1024 * 1024  # as kiosk/runtime/config.py reads at most


@dataclass(frozen=True)
class Lookup:
    """What the cache holds for a config file now: its key (None: the file cannot be read, or
    there is no cache) and the config stored under it, if any."""

    key: str | None
    loaded: LoadedConfig | None


def _folder() -> Path | None:
    from kiosk.content.cache import default_cache

    cache = default_cache()
    return None if cache is None else cache.folder / "config"


def config_key(path: Path) -> str | None:
    """The key of the config file `path` as it is now (None if it cannot be read)."""
    from kiosk import __version__
    from kiosk.content.cache import code_fingerprint, pydantic_version

    try:
        data = read_regular_file(path, MAX_CONFIG_BYTES)
    except OSError:
        return None
    digest = hashlib.sha256()
    digest.update(f"{FORMAT}|{__version__}|{sys.version}|{path.resolve()}|".encode())
    digest.update(pydantic_version())
    # The code that reads and validates it: the content layer's reader and messages, and this
    # layer's config and its model.
    digest.update(code_fingerprint())
    digest.update(code_fingerprint(Path(__file__).parent))
    digest.update(data)
    return digest.hexdigest()


def lookup(path: Path) -> Lookup:
    """The config validated from this very file before, if the cache holds it."""
    from kiosk.runtime.config import LoadedConfig

    folder = _folder()
    key = config_key(path) if folder is not None else None
    if folder is None or key is None:
        return Lookup(key, None)
    entry = folder / f"{key}{SUFFIX}"
    try:
        with entry.open("rb") as stream:
            loaded = pickle.load(stream)
    except Exception:  # absent, cut short or from an incompatible build: a miss
        return Lookup(key, None)
    if not isinstance(loaded, LoadedConfig) or loaded.problems or loaded.unreadable:
        return Lookup(key, None)
    with contextlib.suppress(OSError):
        entry.touch()  # recently used: kept longest
    return Lookup(key, loaded)


def store(path: Path, key: str | None, loaded: LoadedConfig) -> None:
    """Keep `loaded`, validated from `path` when it had `key`, if it has no problem and the
    file has not changed since; failures are ignored (a cache is only ever a shortcut)."""
    folder = _folder()
    if folder is None or key is None or loaded.problems or loaded.unreadable:
        return
    if config_key(path) != key:
        return  # changed while it was read: the entry would not be what the key says
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        # NamedTemporaryFile creates the file 0600: only the kiosk's user reads the PIN's hash.
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=".", suffix=".tmp", delete=False
        ) as stream:
            pickle.dump(loaded, stream, protocol=pickle.HIGHEST_PROTOCOL)
        Path(stream.name).replace(folder / f"{key}{SUFFIX}")
        entries = sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP_ENTRIES:]:
            with contextlib.suppress(OSError):
                old.unlink()
    except (OSError, pickle.PicklingError):
        with contextlib.suppress(OSError, NameError):
            Path(stream.name).unlink()
