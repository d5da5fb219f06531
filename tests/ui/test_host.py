"""The bundle host: a refused bundle never replaces the one on screen."""

from __future__ import annotations

import shutil
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.paths import default_bundle
from kiosk.ui.host import BundleHost
from kiosk.ui.unavailable import UnavailableScreen


def test_broken_reload_keeps_the_last_good_window(
    qtbot: QtBot, fonts: list[str], tmp_path: Path
) -> None:
    bundle = tmp_path / "petrograd-1917"
    shutil.copytree(default_bundle(), bundle)
    host = BundleHost()
    qtbot.addWidget(host)
    assert host.load(bundle)
    good = host.exhibit
    qtbot.waitUntil(lambda: not host.findChildren(UnavailableScreen))
    assert good is not None

    event = bundle / "events" / "volynsky-mutiny.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("category:", "categroy:"))
    refused: list[list[str]] = []
    host.bundle_refused.connect(lambda _path, problems: refused.append(problems))
    assert not host.load(bundle)
    assert host.exhibit is good
    assert refused and any("did you mean 'category'" in line for line in refused[0])
    assert host.problems == refused[0]

    event.write_text(event.read_text(encoding="utf-8").replace("categroy:", "category:"))
    assert host.load(bundle)
    assert host.exhibit is not good and host.problems == []
