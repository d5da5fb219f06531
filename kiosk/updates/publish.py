"""Publishing: a valid bundle folder -> `<id>-<version>.zip` and `manifest.json`, ready to copy
to any static web server or sync folder.

The zip is written first and the manifest last (each atomically), so a server or sync tool that
reads the output folder mid-publish never offers a manifest whose zip is not there yet.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from kiosk.content import load_bundle
from kiosk.updates.digest import file_sha256
from kiosk.updates.durable import fsync_dir, write_atomic
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
    temporary = out_dir / f".{zip_name}.{os.getpid()}.tmp"
    try:
        write_zip(bundle_dir, temporary)
        size = temporary.stat().st_size
        digest = file_sha256(temporary)
        temporary.replace(out_dir / zip_name)
    finally:
        temporary.unlink(missing_ok=True)
    fsync_dir(out_dir)
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
