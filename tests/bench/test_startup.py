"""The start-up benchmark measures a kiosk as installed: its modules compiled, offscreen."""

from __future__ import annotations

import pytest

from kiosk.bench.startup import BUNDLE_CACHE, environment


def test_the_measured_starts_may_write_and_read_compiled_modules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A developer's (or this sandbox's) setting that would make every start compile every
    # kiosk module again, which no installed or packaged kiosk does.
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("QT_QPA_PLATFORM_PLUGIN_PATH", "/somewhere")
    env = environment(**{BUNDLE_CACHE: "off"})
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert "QT_QPA_PLATFORM_PLUGIN_PATH" not in env
    assert env["QT_QPA_PLATFORM"] == "offscreen"
    assert env[BUNDLE_CACHE] == "off"
