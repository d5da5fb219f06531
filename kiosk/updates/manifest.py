"""The published manifest (`manifest.json`): which zip holds which version, and its fingerprint.

    {"format": 1, "bundle": "petrograd-1917", "version": "0.2.0",
     "file": "petrograd-1917-0.2.0.zip", "size": 1234567, "sha256": "…64 hex…",
     "signature": "…base64 Ed25519 over the payload…"}   (signature optional)

The signature covers `payload()`: every field but the signature, as compact JSON with sorted keys.
It thus binds the version to the zip's hash, and the hash binds every byte of the zip.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace

from kiosk.updates.errors import UpdateError
from kiosk.updates.untrusted import printable

MANIFEST_FILE = "manifest.json"
MAX_MANIFEST_BYTES = 64 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*\.zip$")


@dataclass(frozen=True)
class UpdateManifest:
    """A parsed, checked manifest."""

    bundle: str
    version: str
    file: str  # the zip's name, beside the manifest
    size: int
    sha256: str
    signature: str | None = None
    format: int = 1

    def payload(self) -> bytes:
        data = asdict(self)
        del data["signature"]
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def signed(self, signature: str) -> UpdateManifest:
        return replace(self, signature=signature)

    def to_json(self) -> bytes:
        data = {k: v for k, v in asdict(self).items() if v is not None}
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def parse(cls, raw: bytes) -> UpdateManifest:
        """Check every field; a bad manifest raises UpdateError (bad-manifest)."""

        def bad(why: str) -> UpdateError:
            return UpdateError("bad-manifest", f"the manifest {why}")

        if len(raw) > MAX_MANIFEST_BYTES:
            raise bad(f"is larger than {MAX_MANIFEST_BYTES} bytes")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise bad(f"is not JSON: {exc}") from None
        if not isinstance(data, dict):
            raise bad("is not a JSON object")
        if data.get("format") != 1:
            raise bad(f"has format {data.get('format')!r}; this kiosk reads format 1")
        unknown = set(data) - {"format", "bundle", "version", "file", "size", "sha256", "signature"}
        if unknown:
            names = ", ".join(printable(name, 100) for name in sorted(unknown)[:5])
            raise bad(f"has unknown fields: {names}{' …' if len(unknown) > 5 else ''}")
        for key in ("bundle", "version", "file", "sha256"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise bad(f"needs '{key}' as a non-empty string")
        if not _FILE.match(data["file"]):
            raise bad(f"names the zip {data['file']!r}; a plain file name ending .zip is needed")
        if not _SHA256.match(data["sha256"]):
            raise bad("needs 'sha256' as 64 lower-case hex digits")
        size = data.get("size")
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            raise bad("needs 'size' as a positive whole number of bytes")
        signature = data.get("signature")
        if signature is not None and not isinstance(signature, str):
            raise bad("has a 'signature' that is not a string")
        return cls(data["bundle"], data["version"], data["file"], size, data["sha256"], signature)
