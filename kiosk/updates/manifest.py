"""The published manifest (`manifest.json`): which zip holds which version, and its fingerprint.

    {"format": 2, "bundle": "petrograd-1917", "version": "0.2.0",
     "file": "petrograd-1917-0.2.0.zip", "size": 1234567, "sha256": "…64 hex…",
     "expires": "2027-12-01T00:00:00Z",
     "signature": "…base64 Ed25519 over the payload…"}   (signature optional)

The signature covers `payload()`: every field but the signature, as compact JSON with sorted keys.
It thus binds the bundle id and the version to the zip's hash (and the hash binds every byte of
the zip), and it binds the expiry: a kiosk refuses a manifest after `expires`, so an old signed
manifest cannot be served for ever to keep kiosks on an old bundle (TUF's "freeze attack").
Format 1 (before expiry dates) is still read; a kiosk with a public key refuses it as having
no expiry (signing.verify_manifest).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, replace

from kiosk.updates.errors import UpdateError
from kiosk.updates.untrusted import printable

MANIFEST_FILE = "manifest.json"
MAX_MANIFEST_BYTES = 64 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*\.zip$")
_EXPIRES = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
FORMATS = (1, 2)  # 2: with "expires"
FIELDS = frozenset(
    {"format", "bundle", "version", "file", "size", "sha256", "expires", "signature"}
)


def expiry_text(moment: dt.datetime) -> str:
    """The manifest's way of writing a moment: UTC, to the second, `2027-12-01T00:00:00Z`."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
    expires: str | None = None  # expiry_text(); always present in format 2

    @property
    def expires_at(self) -> dt.datetime | None:
        if self.expires is None:
            return None
        return dt.datetime.strptime(self.expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)

    def payload(self) -> bytes:
        data = asdict(self)
        del data["signature"]
        if data["expires"] is None:  # format 1 had no such field: its signatures still verify
            del data["expires"]
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def signed(self, signature: str) -> UpdateManifest:
        return replace(self, signature=signature)

    def to_json(self) -> bytes:
        data = {k: v for k, v in asdict(self).items() if v is not None}
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def parse(cls, raw: bytes) -> UpdateManifest:  # noqa: C901 - one check per field of the manifest
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
        form = data.get("format")
        if form not in FORMATS or isinstance(form, bool):
            raise bad(f"has format {printable(repr(form), 40)}; this kiosk reads formats 1 and 2")
        unknown = set(data) - FIELDS
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
        expires = data.get("expires")
        if form == 1 and expires is not None:
            raise bad("has 'expires', which format 1 does not know; format 2 is needed")
        if form == 2:
            if not isinstance(expires, str) or not _EXPIRES.match(expires):
                raise bad("needs 'expires' as a UTC time such as 2027-12-01T00:00:00Z")
            try:
                dt.datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ")
            except ValueError:
                raise bad(f"has 'expires' {expires}, which is not a real time") from None
        return cls(
            data["bundle"],
            data["version"],
            data["file"],
            size,
            data["sha256"],
            signature,
            form,
            expires,
        )
