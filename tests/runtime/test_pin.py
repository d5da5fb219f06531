"""The staff PIN: a salted scrypt hash, never the PIN itself, and wrong PINs slowed down."""

from __future__ import annotations

import base64
import hashlib
import os
import time
from pathlib import Path

import pytest

from kiosk.runtime.pin import (
    Outcome,
    PinError,
    PinGate,
    Verdict,
    backoff_seconds,
    hash_pin,
    parse_pin_hash,
    verify_pin,
)

PIN = "482193"
PIN_HASH = hash_pin(PIN)  # scrypt is deliberately slow (about 250 ms): hash once


def test_the_hash_is_salted_and_verifies() -> None:
    second = hash_pin(PIN)
    assert second != PIN_HASH  # a fresh salt each time
    assert PIN not in PIN_HASH
    assert verify_pin(PIN, PIN_HASH) and verify_pin(PIN, second)
    assert not verify_pin("482194", PIN_HASH)
    assert not verify_pin("", PIN_HASH)


def test_the_cost_is_raised_and_the_parameters_travel_with_the_hash() -> None:
    """Finding 5 of issue 17: a 4-digit PIN's hash at N=16384 fell in 129 s on 2 cores."""
    assert PIN_HASH.startswith("scrypt$65536$8$1$")
    parsed = parse_pin_hash(PIN_HASH)
    assert (parsed.n, parsed.r, parsed.p, len(parsed.salt)) == (65536, 8, 1, 16)
    # A hash set before the cost was raised still verifies with its own parameters.
    salt = b"0123456789abcdef"
    old = hashlib.scrypt(b"4821", salt=salt, n=16384, r=8, p=1, dklen=32)
    b64 = base64.b64encode
    stored = f"scrypt$16384$8$1${b64(salt).decode()}${b64(old).decode()}"
    assert verify_pin("4821", stored) and not verify_pin("4822", stored)


def test_hashing_takes_a_noticeable_but_short_time() -> None:
    started = time.perf_counter()
    verify_pin(PIN, PIN_HASH)
    elapsed = time.perf_counter() - started
    # About 250 ms alone on the 2-core reference machine; generous bounds for a loaded one.
    assert 0.08 < elapsed < 5.0


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "scrypt$",
        "scrypt$garbage",
        "md5$1$2$3$4$5",
        "scrypt$x$8$1$AA==$AA==",
        "scrypt$16384$8$1$AA==$AA==",  # a 1-byte hash
        "scrypt$1073741824$8$1$AAAA$" + "A" * 43 + "=",  # 1 TB a try: refused, not attempted
        "scrypt$16000$8$1$AAAA$" + "A" * 43 + "=",  # N not a power of two
        "scrypt$16384$8$1$not base64!$" + "A" * 43 + "=",
        "z",
    ],
)
def test_a_damaged_hash_refuses_every_pin_and_says_why(stored: str) -> None:
    assert not verify_pin(PIN, stored)
    with pytest.raises(PinError):
        parse_pin_hash(stored)


@pytest.mark.parametrize("pin", ["123", "4821", "48219", "12a456", "", "1234567890123", "١٢٣٤٥٦"])
def test_only_6_to_12_plain_digits_can_be_set(pin: str) -> None:
    with pytest.raises(PinError):
        hash_pin(pin)


class Clock:
    """Wall-clock seconds that only move when a test moves them."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_pins_back_off_a_little_more_each_time() -> None:
    clock = Clock()
    gate = PinGate(PIN_HASH, clock)
    delays = []
    for _ in range(9):
        verdict = gate.check("000000")
        assert verdict.outcome is Outcome.WRONG
        assert gate.seconds_to_wait() == verdict.wait_seconds
        delays.append(verdict.wait_seconds)
        clock.now += verdict.wait_seconds
    assert delays == [0, 0, 5, 10, 20, 40, 60, 60, 60]
    assert [backoff_seconds(n) for n in range(1, 10)] == delays
    assert backoff_seconds(10**6) == PinGate.MAX_DELAY_SECONDS


def test_the_right_pin_during_the_delay_is_wait_not_wrong_and_opens_after_it() -> None:
    """Finding 6 of issue 17: a visitor held the pad locked for 600 s at a time, and a correct PIN
    typed while locked was counted (and logged) as wrong."""
    clock = Clock()
    gate = PinGate(PIN_HASH, clock)
    for _ in range(30):  # a visitor hammering the pad for as long as they like
        gate.check("111111")
        clock.now += 1
    assert 0 < gate.seconds_to_wait() <= PinGate.MAX_DELAY_SECONDS
    failures = gate.failures
    verdict = gate.check(PIN)  # staff arrive during the delay
    assert verdict.outcome is Outcome.WAIT and 0 < verdict.wait_seconds <= 60
    assert gate.failures == failures  # not counted as a miss, and the delay did not grow
    clock.now += verdict.wait_seconds
    assert gate.check(PIN).outcome is Outcome.ACCEPTED
    # Success forgives: the free tries are back.
    assert gate.check("000000") == Verdict(Outcome.WRONG, 0.0)


def test_the_delay_survives_a_restart(tmp_path: Path) -> None:
    """Finding 6 of issue 17: the lockout lived in memory; a restart cleared it."""
    clock = Clock()
    state = tmp_path / "state" / "pin-delay.json"
    gate = PinGate(PIN_HASH, clock, state)
    for _ in range(5):
        clock.now += gate.seconds_to_wait()
        gate.check("000000")
    assert gate.seconds_to_wait() == 20
    clock.now += 7
    restarted = PinGate(PIN_HASH, clock, state)
    assert restarted.failures == 5 and restarted.seconds_to_wait() == 13
    assert restarted.check(PIN).outcome is Outcome.WAIT
    clock.now += 13
    assert restarted.check("000000") == Verdict(Outcome.WRONG, 40.0)  # the count went on
    clock.now += 40
    assert restarted.check(PIN).outcome is Outcome.ACCEPTED
    assert PinGate(PIN_HASH, clock, state).failures == 0
    assert not list(state.parent.glob("*.new"))  # replaced atomically, nothing left over
    if os.name == "posix":
        assert state.stat().st_mode & 0o777 == 0o600


def test_a_clock_set_back_cannot_stretch_the_delay(tmp_path: Path) -> None:
    clock = Clock()
    state = tmp_path / "pin-delay.json"
    gate = PinGate(PIN_HASH, clock, state)
    for _ in range(8):
        clock.now += gate.seconds_to_wait()
        gate.check("000000")
    clock.now -= 86_400  # the wall clock jumps back a day
    assert PinGate(PIN_HASH, clock, state).seconds_to_wait() == PinGate.MAX_DELAY_SECONDS


@pytest.mark.parametrize("text", ["", "{", "[]", '{"failures": "x", "not_before": 1}', "\x00" * 9])
def test_a_damaged_delay_file_gives_no_free_tries(tmp_path: Path, text: str) -> None:
    clock = Clock()
    state = tmp_path / "pin-delay.json"
    state.write_text(text, encoding="utf-8")
    gate = PinGate(PIN_HASH, clock, state)
    assert gate.seconds_to_wait() == PinGate.FIRST_DELAY_SECONDS
    clock.now += PinGate.FIRST_DELAY_SECONDS
    assert gate.check(PIN).outcome is Outcome.ACCEPTED  # and staff still get in


def test_an_unwritable_delay_file_still_delays_in_memory(tmp_path: Path) -> None:
    clock = Clock()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    gate = PinGate(PIN_HASH, clock, blocker / "pin-delay.json")
    for _ in range(3):
        gate.check("000000")
    assert gate.seconds_to_wait() == 5


def test_without_a_pin_nothing_opens() -> None:
    gate = PinGate(None)
    assert not gate.has_pin
    assert gate.check("").outcome is Outcome.NO_PIN
    assert not gate.attempt("000000")
