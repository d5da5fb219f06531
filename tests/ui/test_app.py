"""Start-up: a good bundle gives the kiosk window; a broken one a calm screen, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.app import build_window
from kiosk.paths import default_bundle
from kiosk.ui.shell.main_window import MainWindow
from kiosk.ui.shell.unavailable import UnavailableScreen


def test_good_bundle_gives_the_kiosk_window(qtbot: QtBot, fonts: list[str]) -> None:
    host = build_window(default_bundle(), "ru")
    qtbot.addWidget(host)
    assert isinstance(host.exhibit, MainWindow)
    assert host.exhibit.state.language == "ru"


def test_unknown_language_falls_back_to_the_bundles_default(qtbot: QtBot, fonts: list[str]) -> None:
    host = build_window(default_bundle(), "xx")
    qtbot.addWidget(host)
    assert isinstance(host.exhibit, MainWindow)
    assert host.exhibit.state.language == "en"


@pytest.mark.parametrize("damage", ["missing", "broken-event"])
def test_unusable_bundle_gives_the_calm_screen_and_reasons_in_the_log(
    qtbot: QtBot,
    fonts: list[str],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    damage: str,
) -> None:
    bundle = tmp_path / "petrograd-1917"
    if damage == "broken-event":
        shutil.copytree(default_bundle(), bundle)
        event = bundle / "events" / "volynsky-mutiny.yaml"
        event.write_text(event.read_text(encoding="utf-8").replace("category:", "categroy:"))
    host = build_window(bundle, None)
    qtbot.addWidget(host)
    assert host.exhibit is None
    assert host.findChildren(UnavailableScreen)
    texts = [label.text() for label in host.findChildren(QLabel)]
    assert "This exhibit is being updated" in texts
    assert "Экспозиция обновляется" in texts
    err = caplog.text
    assert "cannot be shown" in err
    if damage == "broken-event":
        assert "events/volynsky-mutiny.yaml:" in err and "did you mean 'category'" in err
