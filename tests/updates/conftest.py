"""Fixtures for content-update tests: bundles of two versions, and a store."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.updates.store import Store
from tests.updates.helpers import make_bundle


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    return make_bundle(tmp_path / "bundles", "1.0.0")


@pytest.fixture
def v2(tmp_path: Path) -> Path:
    return make_bundle(tmp_path / "bundles", "2.0.0")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to the test server on 127.0.0.1 must never go through a proxy."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
