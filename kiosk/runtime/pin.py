"""The staff PIN: stored only as a salted scrypt hash, and guessing it is slowed down.

A hash looks like `scrypt$16384$8$1$<salt, base64>$<hash, base64>`, so its cost parameters can be
raised later without breaking PINs already set. scrypt is memory-hard (16 MB a try here), which
makes a stolen config file expensive to brute-force even though PINs are short.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from collections.abc import Callable

SCHEME = "scrypt"
N, R, P = 2**14, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_DIGITS, MAX_DIGITS = 4, 12


class PinError(ValueError):
    """A PIN that may not be set (too short, not digits)."""


def check_pin_format(pin: str) -> None:
    if not pin.isascii() or not pin.isdigit():
        raise PinError("a PIN is made of digits only")
    if not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
        raise PinError(f"a PIN has {MIN_DIGITS} to {MAX_DIGITS} digits")


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r * p, dklen=HASH_BYTES
    )


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """The string to store for `pin`: scheme, cost, salt and hash."""
    check_pin_format(pin)
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    digest = _scrypt(pin, salt, N, R, P)
    b64 = base64.b64encode
    return f"{SCHEME}${N}${R}${P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    """True if `pin` matches the stored hash; False for a wrong PIN or a damaged hash."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != SCHEME:
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = _scrypt(pin, base64.b64decode(salt, validate=True), int(n), int(r), int(p))
    except (ValueError, OverflowError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)


class PinGate:
    """Checks PINs and rate-limits wrong ones: after a few misses, each try waits longer.

    `clock` returns seconds (monotonic); tests pass their own.
    """

    FREE_TRIES = 3
    FIRST_LOCK_SECONDS = 30.0
    MAX_LOCK_SECONDS = 600.0

    def __init__(self, stored: str | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.stored = stored
        self._clock = clock
        self._misses = 0
        self._locked_until = 0.0

    @property
    def has_pin(self) -> bool:
        return bool(self.stored)

    def seconds_locked(self) -> float:
        """How long until the next try is accepted (0 when it is)."""
        return max(0.0, self._locked_until - self._clock())

    def attempt(self, pin: str) -> bool:
        """True for the right PIN. While locked, every try fails without being checked."""
        if not self.stored or self.seconds_locked() > 0:
            return False
        if verify_pin(pin, self.stored):
            self._misses = 0
            return True
        self._misses += 1
        if self._misses >= self.FREE_TRIES:
            doublings = self._misses - self.FREE_TRIES
            lock = min(self.MAX_LOCK_SECONDS, self.FIRST_LOCK_SECONDS * 2**doublings)
            self._locked_until = self._clock() + lock
        return False
