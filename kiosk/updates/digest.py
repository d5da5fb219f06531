"""Fingerprints: of a file (sha256) and of a folder tree (its paths and their contents)."""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 1 << 16


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def bundle_files(root: Path) -> list[Path]:
    """The files of a bundle tree, sorted; hidden names (.git, sync tools' files) are not part
    of a bundle."""
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and not path.is_symlink():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def tree_sha256(root: Path, skip: frozenset[str] = frozenset()) -> str:
    """The same for the same files with the same contents, wherever and whenever they are."""
    digest = hashlib.sha256()
    for path in bundle_files(root):
        relative = path.relative_to(root).as_posix()
        if relative in skip:
            continue
        digest.update(relative.encode("utf-8") + b"\0" + file_sha256(path).encode() + b"\n")
    return digest.hexdigest()
