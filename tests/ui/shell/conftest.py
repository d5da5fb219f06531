"""Shared set-up of the shell tests: a bundle host whose every window runs on the test's clock,
and the curator's preview of a starter bundle."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.content.cache import BundleCache
from kiosk.content.starter import create_starter
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell import host as host_module
from kiosk.ui.shell.host import BundleHost
from kiosk.ui.shell.main_window import MainWindow
from kiosk.ui.shell.preview import PreviewWindow
from tests.ui.conftest import shown


def clocked_host(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    clock: ManualClock,
    folder: Path,
    size: tuple[int, int],
    cache: BundleCache | None = None,
) -> BundleHost:
    """A shown host at `size` showing `folder`, every window it makes on `clock`; validated
    bundles kept in `cache` if one is given."""
    monkeypatch.setattr(host_module, "MainWindow", functools.partial(MainWindow, clock=clock))
    made = shown(qtbot, BundleHost(cache=cache), size)
    assert made.load(folder)
    return made


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A starter bundle (Berlin, 1989), as `kiosk new` makes it."""
    root = tmp_path / "berlin-1989"
    create_starter(root)
    return root


def open_preview(qtbot: QtBot, folder: Path, clock: ManualClock | None = None) -> PreviewWindow:
    """The preview of `folder` at 1600x900, shown; its watcher on `clock` if one is given."""
    return shown(qtbot, PreviewWindow(folder, clock=clock), (1600, 900))


@pytest.fixture
def preview(qtbot: QtBot, fonts: list[str], folder: Path) -> PreviewWindow:
    return open_preview(qtbot, folder)
