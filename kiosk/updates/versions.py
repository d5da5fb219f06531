"""Bundle versions, as updates compare them: Semantic Versioning 2.0.0 (https://semver.org).

Allowed: `MAJOR.MINOR.PATCH` with whole numbers and no leading zeros (`1.4.0`), optionally a
pre-release after a hyphen (`1.4.0-rc.1`, which comes before `1.4.0`) and build notes after a
plus (`1.4.0+2026-11`, ignored when comparing). `1.4`, `v1.4.0` or `spring 2026` are refused with
a message that says so. Versions compare by the specification's precedence (section 11):
`1.10.0` after `1.9.0`, `1.0.0-alpha.10` after `1.0.0-alpha.9`, a release after its
pre-releases, where plain text comparison gets the first two wrong.

Written here rather than taken from the `semver` package: the precedence rule is a dozen lines,
and the one-folder package has a hard size budget (tests/test_package.py) that the package's
extra modules would break.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kiosk.updates.errors import UpdateError
from kiosk.updates.untrusted import printable

FORMATS = (
    "MAJOR.MINOR.PATCH such as 1.4.0, optionally with a pre-release (1.4.0-rc.1) or build notes "
    "(1.4.0+build.7)"
)
_NUMBER = r"(?:0|[1-9][0-9]*)"
_PRE_PART = rf"(?:{_NUMBER}|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
_BUILD_PART = r"[0-9A-Za-z-]+"
# The regular expression semver.org gives, with [0-9] for \d (which would match any digit).
_SEMVER = re.compile(
    rf"({_NUMBER})\.({_NUMBER})\.({_NUMBER})"
    rf"(?:-({_PRE_PART}(?:\.{_PRE_PART})*))?"
    rf"(?:\+({_BUILD_PART}(?:\.{_BUILD_PART})*))?"
)
MAX_CHARS = 256


@functools.total_ordering
@dataclass(frozen=True, eq=False)
class Version:
    """A parsed semantic version; ==, < and > follow semver precedence (build notes ignored)."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...]
    build: str
    text: str

    @classmethod
    def parse(cls, text: str) -> Version:
        match = _SEMVER.fullmatch(text) if len(text) <= MAX_CHARS else None
        if match is None:
            raise ValueError(f"{text!r} is not a semantic version")
        major, minor, patch, pre, build = match.groups()
        return cls(
            int(major),
            int(minor),
            int(patch),
            tuple(pre.split(".")) if pre else (),
            build or "",
            text,
        )

    def _key(self) -> tuple[object, ...]:
        # Numeric identifiers sort numerically and before alphanumeric ones (ASCII order); more
        # identifiers sort after fewer with an equal start; a release after its pre-releases.
        identifiers = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.prerelease)
        return (self.major, self.minor, self.patch, not self.prerelease, identifiers)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self._key() == other._key()

    def __lt__(self, other: Version) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        return self.text


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
