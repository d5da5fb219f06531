"""What a source answers to a poll, and the checks every published zip goes through.

A source's `check` returns either `Quiet` (nothing to do: up to date, or still arriving) or an
`Offer`: a bundle id and version with its store folder name and expiry, and `fetch(staging)`
that puts the complete but not yet validated bundle into the staging folder and returns its
root. The updater decides whether an offer may be installed (updater.py); sources only fetch.
"""

from __future__ import annotations

import datetime as dt
import errno
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.updates.digest import file_sha256
from kiosk.updates.errors import UpdateError
from kiosk.updates.manifest import UpdateManifest
from kiosk.updates.safe_zip import ZipLimits, extract_zip

RESERVE_BYTES = 16 * 1024 * 1024  # free space left over after a download or an unpack


@dataclass(frozen=True)
class Quiet:
    """Nothing to install this time: `outcome` is up-to-date or waiting."""

    outcome: str
    message: str


@dataclass(frozen=True)
class Offer:
    """A complete bundle the source can deliver."""

    bundle: str  # the bundle id the (signed) manifest or bundle.yaml names
    version: str
    name: str  # its folder in the store: <version>-<short hash>
    fetch: Callable[[Path], Path]
    # HTTP validators to remember once this offer has been dealt with (url, headers).
    validators: tuple[str, dict[str, str]] | None = None
    expires: dt.datetime | None = None  # the manifest's expiry; None for a plain bundle folder


def need_space(folder: Path, size: int, what: str) -> None:
    """Refuse early, with a clear message, what would fill the disk."""
    free = shutil.disk_usage(folder).free
    if free < size + RESERVE_BYTES:
        raise UpdateError(
            "disk-full",
            f"{what} needs {size // 1024 // 1024 + 1} MB but only {free // 1024 // 1024} MB "
            "are free (16 MB are kept in reserve)",
        )


def disk_full_error(exc: OSError) -> UpdateError | None:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return UpdateError("disk-full", f"the disk is full: {exc}")
    return None


def check_download(path: Path, manifest: UpdateManifest) -> None:
    size = path.stat().st_size
    if size < manifest.size:
        raise UpdateError(
            "truncated", f"the zip has {size} bytes, the manifest says {manifest.size}"
        )
    if size > manifest.size:
        raise UpdateError(
            "wrong-size", f"the zip has {size} bytes, the manifest says {manifest.size}"
        )
    digest = file_sha256(path)
    if digest != manifest.sha256:
        raise UpdateError(
            "wrong-hash",
            f"the zip's sha256 is {digest[:16]}…, the manifest says {manifest.sha256[:16]}…",
        )


def unpack(zip_path: Path, staging: Path, limits: ZipLimits) -> Path:
    """Unpack a checked zip into `staging/bundle` and return that folder."""
    import zipfile

    try:
        with zipfile.ZipFile(zip_path) as archive:
            declared = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise UpdateError("bad-zip", f"the zip cannot be read: {exc}") from exc
    need_space(staging, min(declared, limits.max_bytes), "unpacking the bundle")
    root = staging / "bundle"
    extract_zip(zip_path, root, limits)
    return root
