"""Zips of bundles: written deterministically by `publish`, unpacked defensively on a kiosk.

Unpacking refuses, before or while writing: absolute paths, drive letters, backslashes, `..`,
symlinks, duplicate names, names nested deeper than `MAX_DEPTH` folders or longer than
`MAX_NAME_CHARS`, more than `max_files` entries, and more than `max_bytes` in total,
counted as the bytes actually written, not as the sizes the zip declares (a zip bomb can lie
about those). zipfile itself checks each member's CRC at its end.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kiosk.updates.digest import CHUNK, bundle_files
from kiosk.updates.errors import UpdateError

# A fixed time for every entry: the same bundle always gives the same zip, byte for byte.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# A bundle's deepest file is a few folders down (media/people/x.jpg); thousands of folders are an
# attack on the unpacker (pathlib's mkdir recurses once per folder) or on the file system.
MAX_DEPTH = 32
MAX_NAME_CHARS = 1024


@dataclass(frozen=True)
class ZipLimits:
    """Bounds on what one bundle may unpack to (the Petrograd bundle: 38 files, 2.6 MB)."""

    max_files: int = 20_000
    max_bytes: int = 1 << 30  # 1 GiB


DEFAULT_LIMITS = ZipLimits()


def write_zip(root: Path, target: Path) -> None:
    """Zip the bundle files under `root` (hidden files left out) in a fixed order and time."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in bundle_files(root):
            info = zipfile.ZipInfo(path.relative_to(root).as_posix(), ZIP_TIME)
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with path.open("rb") as source, archive.open(info, "w") as sink:
                while chunk := source.read(CHUNK):
                    sink.write(chunk)


def _safe_parts(name: str) -> tuple[str, ...]:
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise UpdateError("unsafe-zip", f"the zip names an absolute or Windows path: {name!r}")
    parts = PurePosixPath(name).parts
    if len(parts) > MAX_DEPTH:
        raise UpdateError(
            "unsafe-zip",
            f"the zip names a path {len(parts)} folders deep (at most {MAX_DEPTH}): {name[:60]!r}…",
        )
    if len(name) > MAX_NAME_CHARS:
        raise UpdateError(
            "unsafe-zip",
            f"the zip names a path of {len(name)} characters (at most {MAX_NAME_CHARS}): "
            f"{name[:60]!r}…",
        )
    if not parts or any(part in ("..", ".", "") for part in parts) or "\0" in name:
        raise UpdateError("unsafe-zip", f"the zip names a path outside its folder: {name!r}")
    return parts


def extract_zip(archive_path: Path, dest: Path, limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Unpack `archive_path` into the new folder `dest`, or raise UpdateError (unsafe-zip)."""
    try:
        with zipfile.ZipFile(archive_path) as archive:
            members = archive.infolist()
            if len(members) > limits.max_files:
                raise UpdateError(
                    "unsafe-zip", f"the zip has {len(members)} entries (at most {limits.max_files})"
                )
            dest.mkdir(parents=True)
            seen: set[str] = set()
            written = 0
            for member in members:
                parts = _safe_parts(member.filename)
                key = "/".join(parts).casefold()  # one file on a case-insensitive disk too
                if key in seen:
                    raise UpdateError("unsafe-zip", f"the zip has {member.filename!r} twice")
                seen.add(key)
                mode = member.external_attr >> 16
                if stat.S_ISLNK(mode):
                    raise UpdateError("unsafe-zip", f"the zip holds a symlink: {member.filename!r}")
                target = dest.joinpath(*parts)
                if member.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, target.open("xb") as sink:
                    while chunk := source.read(CHUNK):
                        written += len(chunk)
                        if written > limits.max_bytes:
                            raise UpdateError(
                                "unsafe-zip",
                                f"the zip unpacks to more than {limits.max_bytes} bytes "
                                "(a zip bomb?); refused",
                            )
                        sink.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise UpdateError("bad-zip", f"the zip cannot be read: {exc}") from exc
    except RecursionError:  # a last guard: whatever nests too deeply is refused, not a traceback
        raise UpdateError("unsafe-zip", "the zip nests too deeply to unpack; refused") from None
    except RuntimeError as exc:  # a compression method whose module the package leaves out
        raise UpdateError("bad-zip", f"the zip cannot be read: {exc}") from exc
