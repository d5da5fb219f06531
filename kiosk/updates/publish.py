"""Publishing: a valid bundle folder -> `<id>-<version>.zip` and `manifest.json`, ready to copy
to any static web server or sync folder.

The zip is written first and the manifest last (each atomically), so a server or sync tool that
reads the output folder mid-publish never offers a manifest whose zip is not there yet.
"""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.content import load_bundle
from kiosk.updates.digest import file_sha256
from kiosk.updates.durable import fsync_dir, write_atomic
from kiosk.updates.manifest import MANIFEST_FILE, UpdateManifest
from kiosk.updates.safe_zip import write_zip
from kiosk.updates.signing import sign_manifest
from kiosk.updates.store import version_folder_name


def publish(bundle_dir: Path, out_dir: Path, private_key: Path | None = None) -> UpdateManifest:
    """Validate, zip and describe the bundle; raises NotABundle / BundleInvalid / UpdateError."""
    bundle = load_bundle(bundle_dir)  # never publish what a kiosk would refuse
    manifest_info = bundle.manifest
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
    manifest = UpdateManifest(manifest_info.id, manifest_info.version, zip_name, size, digest)
    if private_key is not None:
        manifest = sign_manifest(manifest, private_key)
    write_atomic(out_dir / MANIFEST_FILE, manifest.to_json())
    return manifest
