"""Ed25519 signatures on manifests, with the `cryptography` package.

A technician creates one key pair for the gallery (`python -m kiosk keygen`): the private key
signs at publish time and stays on the technician's machine; the public key (a small PEM file) is
installed on every kiosk and named by `update_public_key` in its config. A kiosk with a public key
refuses unsigned manifests, any manifest whose signature does not verify, and signed manifests
without an expiry date (the expiry itself is checked by the updater, against its clock).
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from kiosk.updates.errors import UpdateError
from kiosk.updates.manifest import UpdateManifest


def generate_key_pair(private_path: Path, public_path: Path) -> None:
    """Write a new private key (PKCS#8 PEM, readable by the owner only) and its public key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as stream:
        stream.write(private_pem)
    public_path.write_bytes(public_pem)


def sign_manifest(manifest: UpdateManifest, private_path: Path) -> UpdateManifest:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise UpdateError("bad-key", f"cannot read the private key {private_path}: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise UpdateError("bad-key", f"{private_path} is not an Ed25519 private key")
    signature = key.sign(manifest.payload())
    return manifest.signed(base64.b64encode(signature).decode("ascii"))


def check_public_key(public_path: Path) -> None:
    """Raise UpdateError unless `public_path` holds an Ed25519 public key."""
    _public_key(public_path)


def _public_key(public_path: Path) -> object:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(public_path.read_bytes())
    except (OSError, ValueError, TypeError) as exc:
        raise UpdateError("bad-key", f"cannot read the public key {public_path}: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise UpdateError("bad-key", f"{public_path} is not an Ed25519 public key")
    return key


def verify_manifest(manifest: UpdateManifest, public_path: Path | None) -> None:
    """With a public key, the manifest must carry a signature that verifies; without, anything
    goes (the zip's hash still protects against damage, not against a forger)."""
    if public_path is None:
        return
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = _public_key(public_path)
    assert isinstance(key, Ed25519PublicKey)
    if manifest.signature is None:
        raise UpdateError(
            "unsigned", "the manifest is not signed, and this kiosk accepts only signed bundles"
        )
    try:
        key.verify(base64.b64decode(manifest.signature, validate=True), manifest.payload())
    except (InvalidSignature, binascii.Error, ValueError):
        raise UpdateError(
            "bad-signature", "the manifest's signature does not match this kiosk's public key"
        ) from None
    if manifest.expires is None:
        # A signed manifest without an expiry could be served for ever (a "freeze attack").
        raise UpdateError(
            "no-expiry",
            "the manifest is signed but has no expiry date (it was published by an older "
            "kiosk version); publish it again (docs/operations.md, 'Expiry and re-signing')",
        )
