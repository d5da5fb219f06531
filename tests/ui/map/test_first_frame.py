"""The first frame shows the map centred at any window size, and a resize keeps the middle.

A bundle whose markers all sit in one corner of its map shows whether the view is centred on the
map (right) or follows the markers or the window's first size (wrong).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import QPointF
from pytestqt.qtbot import QtBot

from kiosk.content import Bundle, load_bundle
from kiosk.ui.map.motion import Camera
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import PARIS

ROOT = Path(__file__).resolve().parents[3]
SIZES = [(1920, 1080), (1080, 1920), (1280, 800), (800, 1280)]


@pytest.fixture(scope="module")
def corner_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Paris bundle with its map stretched far to the east and south of every place."""
    folder = tmp_path_factory.mktemp("corner") / "paris-1871"
    shutil.copytree(PARIS, folder)
    manifest = folder / "bundle.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    bounds = data["map"]["bounds"]
    bounds["east"] = round(bounds["east"] + 0.6, 3)
    bounds["south"] = round(bounds["south"] - 0.4, 3)
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def _centred(window: MainWindow) -> None:
    view = window.map_view
    assert math.isclose(view.zoom, 1.0, rel_tol=1e-3)
    middle = view.mapToScene(view.viewport().rect().center())
    sheet = view.whole_city_camera()
    assert abs(middle.x() - sheet.x) * view.transform().m11() < 2
    assert abs(middle.y() - sheet.y) * view.transform().m11() < 2


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_first_frame_shows_the_whole_map_centred(
    qtbot: QtBot, corner_bundle: Path, fonts: list[str], size: tuple[int, int]
) -> None:
    window = MainWindow(load_bundle(corner_bundle))
    qtbot.addWidget(window)
    window.start_attract()  # as the kiosk starts: the loop begins before the window is shown
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    _centred(window)


@pytest.mark.parametrize("size", SIZES[1:], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_resize_keeps_the_map_point_in_the_middle(
    qtbot: QtBot, paris_bundle: Bundle, fonts: list[str], size: tuple[int, int]
) -> None:
    window = MainWindow(paris_bundle)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    view = window.map_view
    target = view.markers["commune-proclaimed"].pos()
    view.set_camera(Camera(target.x(), target.y(), view.min_scale * 3))
    window.resize(*size)
    qtbot.waitUntil(lambda: view.viewport().width() == size[0])
    middle = view.mapToScene(view.viewport().rect().center())
    assert math.isclose(view.zoom, 3.0, rel_tol=1e-3)
    scale = view.transform().m11()
    assert math.dist(middle.toTuple(), QPointF(target).toTuple()) * scale < 3


def _smoke(content: Path, tiles: Path, cache: Path) -> dict[str, object]:
    env = {**os.environ, "KIOSK_TILE_CACHE": str(tiles), "KIOSK_BUNDLE_CACHE": str(cache)}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--smoke-test", "--content", str(content)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.slow
def test_a_warm_start_draws_the_markers_a_cold_one_does(
    corner_bundle: Path, tmp_path: Path
) -> None:
    """--smoke-test's markers_drawn is the same on the first (cold tile cache) and second start."""
    cold = _smoke(corner_bundle, tmp_path / "tiles", tmp_path / "bundles")
    warm = _smoke(corner_bundle, tmp_path / "tiles", tmp_path / "bundles")
    assert warm["map_sharp"] is True
    assert cold["markers_drawn"] == warm["markers_drawn"]
    assert int(str(warm["markers_drawn"])) > 0
