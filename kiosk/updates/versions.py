"""Bundle versions, as updates compare them: Semantic Versioning 2.0.0 (https://semver.org).

Allowed: `MAJOR.MINOR.PATCH` with whole numbers and no leading zeros (`1.4.0`), optionally a
pre-release after a hyphen (`1.4.0-rc.1`, which comes before `1.4.0`) and build notes after a
plus (`1.4.0+2026-11`, ignored when comparing). `1.4`, `v1.4.0` or `spring 2026` are refused with
a message that says so. The `semver` package compares them by the specification's precedence
(`1.10.0` after `1.9.0`, `1.0.0-alpha.10` after `1.0.0-alpha.9`), which plain text comparison
gets wrong.
"""

from __future__ import annotations

import semver

from kiosk.updates.errors import UpdateError
from kiosk.updates.untrusted import printable

Version = semver.Version
FORMATS = (
    "MAJOR.MINOR.PATCH such as 1.4.0, optionally with a pre-release (1.4.0-rc.1) or build notes "
    "(1.4.0+build.7)"
)


def parse_version(text: object, whose: str = "the bundle") -> Version:
    """`text` as a semantic version; UpdateError (bad-version) with a plain message if it is not."""
    if isinstance(text, str):
        try:
            return Version.parse(text)
        except ValueError:
            pass
    raise UpdateError(
        "bad-version",
        f"{whose} has the version {printable(text, 80)!r}, which is not a semantic version: "
        f"write {FORMATS} (docs/operations.md)",
    )


def is_version(text: str) -> bool:
    try:
        Version.parse(text)
    except ValueError:
        return False
    return True
