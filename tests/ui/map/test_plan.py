"""The historical plan on screen: the scan warped onto the map in tiles (transparent around it),
kept on disk with its alpha, and the visitor's button in the bottom bar that fades it in and out,
pressed with a finger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPointingDevice
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.content import Bundle, load_bundle
from kiosk.content.starter import create_starter
from kiosk.ui.journey import theme
from kiosk.ui.map import tile_queue
from kiosk.ui.map.plan import STYLE, PlanTiles, _PlanSource
from kiosk.ui.map.tile_cache import DiskTiles, TileKey
from kiosk.ui.map.tiles import TILE_PX
from kiosk.ui.qt import work
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.touch import tap

SCAN_W, SCAN_H = 800, 600
RED, BLUE = QColor("#c00000"), QColor("#0030c0")


def truth(x: float, y: float) -> tuple[float, float]:
    """Where a pixel of the test scan lies in the starter's Berlin: turned a little."""
    return 52.545 - 0.00008 * y + 0.000004 * x, 13.34 + 0.0001 * x + 0.00001 * y


def _scan(path: Path) -> None:
    image = QImage(SCAN_W, SCAN_H, QImage.Format.Format_RGB32)
    image.fill(BLUE)
    painter = QPainter(image)
    painter.fillRect(0, 0, SCAN_W // 2, SCAN_H, RED)  # the left half red
    painter.end()
    assert image.save(str(path))  # PNG, from the name


def make_plan_bundle(folder: Path, transform: str = "affine") -> Bundle:
    create_starter(folder)
    _scan(folder / "map" / "plan.png")
    pixels = [(20, 20), (780, 30), (770, 580), (30, 570), (400, 300), (200, 450), (600, 150)]
    points = "".join(
        f"      - {{pixel: [{x}, {y}], lat: {truth(x, y)[0]:.6f}, lon: {truth(x, y)[1]:.6f}}}\n"
        for x, y in pixels
    )
    manifest = folder / "bundle.yaml"
    text = manifest.read_text(encoding="utf-8")
    anchor = "\ncategories:"
    plan = f"  plan:\n    file: map/plan.png\n    transform: {transform}\n    points:\n{points}"
    manifest.write_text(text.replace(anchor, "\n" + plan + anchor, 1), encoding="utf-8")
    return load_bundle(folder)


@pytest.fixture(scope="module")
def plan_bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    return make_plan_bundle(tmp_path_factory.mktemp("plan") / "berlin-plan")


def _screen_colour(image: QImage, key: TileKey, map_point: tuple[float, float]) -> QColor:
    x = map_point[0] * key.scale - key.col * TILE_PX
    y = map_point[1] * key.scale - key.row * TILE_PX
    return image.pixelColor(round(x), round(y))


@pytest.mark.parametrize("transform", ["affine", "polynomial"])
def test_the_scan_is_warped_onto_the_map(
    qapp: QApplication, tmp_path: Path, transform: str
) -> None:
    bundle = make_plan_bundle(tmp_path / "berlin-plan", transform)
    plan = bundle.plan
    assert plan is not None and plan.fit.kind == transform
    source = _PlanSource(plan, None)
    scale = 0.05  # px per map metre: the plan (about 6 x 5 km) fits a few tiles
    red_at = bundle.projection.project(*truth(150, 300))
    blue_at = bundle.projection.project(*truth(650, 300))
    outside = bundle.projection.project(*truth(-100, 300))  # west of the scan's edge
    for point, expected in ((red_at, RED), (blue_at, BLUE), (outside, None)):
        key = TileKey(
            STYLE, scale, int(point[0] * scale // TILE_PX), int(point[1] * scale // TILE_PX)
        )
        colour = _screen_colour(source.render(key), key, point)
        if expected is None:
            assert colour.alpha() == 0
        else:
            assert colour.alpha() == 255
            assert (
                abs(colour.red() - expected.red()) < 8 and abs(colour.blue() - expected.blue()) < 8
            )


def test_plan_tiles_keep_their_transparency_on_disk(
    qapp: QApplication, tmp_path: Path, plan_bundle: Bundle
) -> None:
    assert plan_bundle.plan is not None
    disk = DiskTiles(tmp_path, tmp_path / "plan", budget=10**9)
    key = TileKey(STYLE, 0.05, 1, 0)
    tile = _PlanSource(plan_bundle.plan, None).render(key)
    disk.save(key, tile)
    again = disk.load(key, TILE_PX, alpha=True)
    assert again is not None
    assert again.format() == QImage.Format.Format_ARGB32_Premultiplied
    assert again == tile  # pixel for pixel, the transparent ones too
    # The source reads it from disk instead of warping the scan again.
    cached = _PlanSource(plan_bundle.plan, disk)
    assert cached.tile(key) == tile and cached._scan is None


def test_plan_tiles_are_only_where_the_plan_is(qapp: QApplication, plan_bundle: Bundle) -> None:
    assert plan_bundle.plan is not None
    tiles = PlanTiles(plan_bundle, plan_bundle.plan, use_disk=False)
    sheet = QRectF(0, 0, plan_bundle.projection.width, plan_bundle.projection.height)
    keys = tiles.keys_in(sheet, 0.2)
    assert keys and len(keys) < len(range(0, round(sheet.width() * 0.2), TILE_PX)) ** 2
    tiles.request(keys[:2])
    assert tiles.wait()
    assert all(key in tiles.memory for key in keys[:2])


@pytest.fixture
def plan_window(qtbot: QtBot, plan_bundle: Bundle, fonts: list[str]) -> Iterator[MainWindow]:
    win = MainWindow(plan_bundle)
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    qtbot.waitExposed(win)
    yield win


def _pixel_at_plan(window: MainWindow, pixel: tuple[float, float]) -> QColor:
    view = window.map_view
    assert window.bundle.plan is not None
    x, y = window.bundle.projection.project(*truth(*pixel))
    # A paint asks for the tiles it lacks: paint, wait for them, and paint again until a paint
    # finds every tile it needs already in.
    image = view.viewport().grab().toImage()
    for _ in range(10):
        plan_idle = view.plan_tiles is None or view.plan_tiles.idle
        if plan_idle and view.tiles.idle:
            break
        if view.plan_tiles is not None:
            view.plan_tiles.wait()
        view.tiles.wait()
        QApplication.processEvents()
        image = view.viewport().grab().toImage()
    return image.pixelColor(view.mapFromScene(QPointF(x, y)))


def test_a_finger_fades_the_old_plan_in_and_out(
    qtbot: QtBot, plan_window: MainWindow, touchscreen: QPointingDevice
) -> None:
    bar = plan_window.bottom_bar
    button = bar.plan_button
    assert button is not None and button.isVisible()
    assert button.height() >= theme.TOUCH_MIN and button.width() >= theme.TOUCH_MIN
    assert button.text().endswith("Old plan")
    view = plan_window.map_view
    view.show_whole_city(animated=False)
    today = _pixel_at_plan(plan_window, (150, 300))
    assert view.plan_opacity == 0

    tap(button, touchscreen, button.rect().center())
    assert bar.plan_shown
    qtbot.waitUntil(lambda: view.plan_opacity == 1.0, timeout=10_000)
    shown = _pixel_at_plan(plan_window, (150, 300))
    assert shown != today
    assert shown.red() > 150 and shown.blue() < 60  # the plan's red half, over the map

    plan_window.state.set_language("de")
    assert button.text().endswith("Alter Stadtplan")

    tap(button, touchscreen, button.rect().center())
    assert not bar.plan_shown
    qtbot.waitUntil(lambda: view.plan_opacity == 0.0, timeout=10_000)
    assert _pixel_at_plan(plan_window, (150, 300)) == today


def test_the_plan_goes_with_the_idle_reset(plan_window: MainWindow) -> None:
    plan_window.bottom_bar.show_plan(True)
    plan_window.map_view.fade_plan(True, animated=False)
    assert plan_window.map_view.plan_opacity == 1.0
    plan_window.reset_to_start()
    assert plan_window.map_view.plan_opacity == 0.0
    assert not plan_window.bottom_bar.plan_shown


def test_no_plan_no_button(window: MainWindow) -> None:
    assert window.bottom_bar.plan_button is None
    assert window.map_view.plan_tiles is None


def test_an_unreadable_scan_leaves_todays_map(
    qapp: QApplication, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bundle = make_plan_bundle(tmp_path / "berlin-plan")
    assert bundle.plan is not None
    (tmp_path / "berlin-plan" / "map" / "plan.png").write_bytes(b"no longer a picture")
    tiles = PlanTiles(bundle, bundle.plan, use_disk=False)
    sheet = QRectF(0, 0, bundle.projection.width, bundle.projection.height)
    keys = tiles.keys_in(sheet, 0.2)
    tiles.request(keys)
    assert tiles.wait()
    assert tiles.broken and len(tiles.memory) == 0
    assert tiles.keys_in(sheet, 0.2) == []  # not asked for again
    assert len([r for r in caplog.records if "could not render plan tile" in r.message]) == 1


def test_far_out_tiles_are_drawn_from_a_smoothly_shrunk_copy(
    qapp: QApplication, plan_bundle: Bundle
) -> None:
    assert plan_bundle.plan is not None
    source = _PlanSource(plan_bundle.plan, None)
    # The scan's pixels are about 7 m on the ground: at 0.1 px a metre a tile pixel holds
    # about 1.4 scan pixels (the scan itself), at 0.02 about 7 (a copy halved twice).
    assert source.scan_for(0.1) is source.scan()
    small = source.scan_for(0.02)
    assert (small.width(), small.height()) == (SCAN_W // 4, SCAN_H // 4)
    assert source.scan_for(0.02) is small  # made once
    # The copy lands where the scan does: red left, blue right.
    key_scale = 0.02
    for pixel, expected in (((150, 300), RED), ((650, 300), BLUE)):
        point = plan_bundle.projection.project(*truth(*pixel))
        key = TileKey(
            STYLE,
            key_scale,
            int(point[0] * key_scale // TILE_PX),
            int(point[1] * key_scale // TILE_PX),
        )
        colour = _screen_colour(source.render(key), key, point)
        assert abs(colour.red() - expected.red()) < 8 and abs(colour.blue() - expected.blue()) < 8


def test_plan_tiles_are_kept_in_the_bundles_tile_folder(
    qapp: QApplication, tmp_path: Path, plan_bundle: Bundle
) -> None:
    assert plan_bundle.plan is not None
    tiles = PlanTiles(plan_bundle, plan_bundle.plan, tmp_path)
    assert not any(tmp_path.iterdir())  # nothing hashed or written before the first tile
    sheet = QRectF(0, 0, plan_bundle.projection.width, plan_bundle.projection.height)
    tiles.request(tiles.keys_in(sheet, 0.05)[:1])
    assert tiles.wait()
    (written,) = list(tmp_path.rglob("*.png"))
    assert written.parent.parent.parent.name.startswith("plan-")
    again = PlanTiles(plan_bundle, plan_bundle.plan, tmp_path)
    key = tiles.keys_in(sheet, 0.05)[0]
    assert again._source.tile(key) == tiles.memory.get(key)
    assert again._source._scan is None  # read from disk, the scan never decoded


def test_the_decoded_scan_goes_when_the_plan_is_hidden_or_left_alone(
    qapp: QApplication, plan_bundle: Bundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert plan_bundle.plan is not None
    monkeypatch.setattr(tile_queue, "FORGET_AFTER_MS", 20)
    tiles = PlanTiles(plan_bundle, plan_bundle.plan, use_disk=False)
    sheet = QRectF(0, 0, plan_bundle.projection.width, plan_bundle.projection.height)
    tiles.request(tiles.keys_in(sheet, 0.05)[:1])
    assert tiles.wait()
    assert tiles._source._scan is not None
    tiles.let_go()  # the visitor turned the plan off
    assert tiles._source._scan is None and len(tiles.memory) == 0
    tiles.request(tiles.keys_in(sheet, 0.1)[:1])  # on again: read again
    assert tiles.wait() and len(tiles.memory) == 1
    assert tiles._source._scan is not None
    assert work.run_until(lambda: tiles._source._scan is None, 5_000), "idle a while: it goes"
