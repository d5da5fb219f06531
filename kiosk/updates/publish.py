"""Publishing: a valid bundle folder -> `<id>-<version>.zip` and `manifest.json`, ready to copy
to any static web server or sync folder.

The zip is written first and the manifest last (each atomically), so a server or sync tool that
reads the output folder mid-publish never offers a manifest whose zip is not there yet.

A version is published once: kiosks that installed it never fetch it again, so changed content
under the same version would reach some kiosks and not others. The output folder remembers what
was published (each version's zip stays there), and publishing other content under a version
whose zip is there is refused; the same content again is fine (a new signature, a lost manifest).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import zipfile
from pathlib import Path

from kiosk.content import load_bundle
from kiosk.runtime.files import fsync_folder
from kiosk.updates.digest import bundle_files, file_sha256
from kiosk.updates.durable import write_atomic
from kiosk.updates.errors import UpdateError
from kiosk.updates.manifest import MANIFEST_FILE, UpdateManifest, expiry_text
from kiosk.updates.safe_zip import write_zip
from kiosk.updates.signing import sign_manifest
from kiosk.updates.store import version_folder_name
from kiosk.updates.versions import parse_version

DEFAULT_EXPIRES_DAYS = 365
MAX_EXPIRES_DAYS = 3660


def publish(
    bundle_dir: Path,
    out_dir: Path,
    private_key: Path | None = None,
    expires_days: float = DEFAULT_EXPIRES_DAYS,
    now: dt.datetime | None = None,
) -> UpdateManifest:
    """Validate, zip and describe the bundle; raises NotABundle / BundleInvalid / UpdateError.

    The manifest expires `expires_days` after `now`: kiosks refuse it after that, so it must be
    published (signed) again before then (docs/operations.md, "Expiry and re-signing").
    """
    bundle = load_bundle(bundle_dir)  # never publish what a kiosk would refuse
    manifest_info = bundle.manifest
    parse_version(manifest_info.version, f"{bundle_dir / 'bundle.yaml'}")
    if not 0 < expires_days <= MAX_EXPIRES_DAYS:
        raise UpdateError(
            "bad-expiry", f"the expiry must be 1 to {MAX_EXPIRES_DAYS} days, not {expires_days:g}"
        )
    expires = (now or dt.datetime.now(dt.UTC)) + dt.timedelta(days=expires_days)
    out_dir.mkdir(parents=True, exist_ok=True)
    # The version folder name's rules make a safe file name from any version text.
    name = version_folder_name(manifest_info.version, "x").removesuffix("-x")
    zip_name = f"{manifest_info.id}-{name}.zip"
    refuse_changed_republish(
        bundle_dir, out_dir / zip_name, manifest_info.id, manifest_info.version
    )
    temporary = out_dir / f".{zip_name}.{os.getpid()}.tmp"
    try:
        write_zip(bundle_dir, temporary)
        size = temporary.stat().st_size
        digest = file_sha256(temporary)
        temporary.replace(out_dir / zip_name)
    finally:
        temporary.unlink(missing_ok=True)
    fsync_folder(out_dir)
    manifest = UpdateManifest(
        manifest_info.id,
        manifest_info.version,
        zip_name,
        size,
        digest,
        format=2,
        expires=expiry_text(expires),
    )
    if private_key is not None:
        manifest = sign_manifest(manifest, private_key)
    write_atomic(out_dir / MANIFEST_FILE, manifest.to_json())
    return manifest


def _content(root: Path) -> dict[str, str]:
    """The bundle's files as a zip of it would hold them: path -> sha256 of the bytes."""
    return {path.relative_to(root).as_posix(): file_sha256(path) for path in bundle_files(root)}


def _zip_content(archive: Path) -> dict[str, str] | None:
    """What a published zip holds, in the same form; None if it cannot be read as a zip."""
    found: dict[str, str] = {}
    try:
        with zipfile.ZipFile(archive) as opened:
            for member in opened.infolist():
                if member.is_dir():
                    continue
                digest = hashlib.sha256()
                with opened.open(member) as stream:
                    while chunk := stream.read(1 << 16):
                        digest.update(chunk)
                found[member.filename] = digest.hexdigest()
    except (OSError, zipfile.BadZipFile):
        return None
    return found


def refuse_changed_republish(bundle_dir: Path, published: Path, bundle: str, version: str) -> None:
    """UpdateError if `published` (this version's zip in the output folder) holds other content
    than the bundle now: the version must be raised first. Compared file by file, not by the
    zip's bytes, which another machine's compressor may write differently."""
    if not published.exists():
        return
    before = _zip_content(published)
    if before is not None and before == _content(bundle_dir):
        return
    changed = "cannot be read" if before is None else _difference(before, _content(bundle_dir))
    raise UpdateError(
        "version-published",
        f"{bundle} {version} is published already ({published}), and {changed}: kiosks that "
        f"have {version} would never fetch the new content. Raise 'version' in bundle.yaml "
        "and publish again (or, if that zip was never copied to any kiosk, delete it first)",
    )


def _difference(before: dict[str, str], now: dict[str, str]) -> str:
    """In a few words: which files differ."""
    changed = sorted(
        name for name in before.keys() | now.keys() if before.get(name) != now.get(name)
    )
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return f"the bundle has changed since ({shown})"
