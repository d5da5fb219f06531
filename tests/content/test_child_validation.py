"""A content update is validated into the cache by a child process: the same program, the same
cache, the same key; what the child refuses is not cached; a child that cannot run says so."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kiosk.content import child_validation
from kiosk.content.cache import BundleCache, bundle_key
from tests.updates.helpers import break_bundle, make_bundle


def test_the_child_is_the_packaged_programs_own_command_or_the_sources(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = Path("/srv/bundles/gallery")
    source = child_validation.command(folder)
    assert source == [sys.executable, "-m", "kiosk", "validate", "--into-cache", str(folder)]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/kiosk/kiosk")
    frozen = child_validation.command(folder)
    assert frozen == ["/opt/kiosk/kiosk", "validate", "--into-cache", str(folder)]


def test_a_valid_bundle_is_in_the_cache_after_the_child_a_refused_one_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the child finds this kiosk wherever the parent runs
    cache = BundleCache(tmp_path / "cache")
    good = make_bundle(tmp_path / "bundles", "1.0.0")
    assert child_validation.validate_in_child(good, cache) is True
    assert cache.get(bundle_key(good)) is not None
    bad = make_bundle(tmp_path / "more", "2.0.0")
    break_bundle(bad)
    assert child_validation.validate_in_child(bad, cache) is False
    assert cache.get(bundle_key(bad)) is None


def test_a_child_that_cannot_run_is_reported_as_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(child_validation, "command", lambda folder: [str(tmp_path / "none")])
    cache = BundleCache(tmp_path / "cache")
    good = make_bundle(tmp_path / "bundles", "1.0.0")
    assert child_validation.validate_in_child(good, cache) is None
    assert "could not validate" in caplog.text
    crashing = [sys.executable, "-c", "import sys; sys.exit(70)"]
    monkeypatch.setattr(child_validation, "command", lambda folder: crashing)
    assert child_validation.validate_in_child(good, cache) is None
    assert cache.get(bundle_key(good)) is None
