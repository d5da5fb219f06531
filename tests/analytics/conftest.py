"""Fixtures for analytics tests: a recorder writing to a temporary folder, and reading it back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.analytics.recorder import Recorder
from kiosk.analytics.schema import database_path

# The kiosk window fixtures of the UI tests (the probe is tested on the real MainWindow).
from tests.ui.conftest import (  # noqa: F401
    bundle,
    clocked_window,
    fonts,
    manual_clock,
    map_clock,
    touchscreen,
    window,
)


@pytest.fixture
def recorder(tmp_path: Path) -> Iterator[Recorder]:
    made = Recorder(tmp_path / "analytics", "Test hall", batch_seconds=0.01, retry_seconds=0.05)
    yield made
    made.close()


def rows(folder: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of a query on the analytics database in `folder` (a separate connection)."""
    connection = sqlite3.connect(database_path(folder))
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()
