"""Map tiles: the bounded memory cache, the disk cache per bundle version, and tiled drawing that
looks like the vector map it replaces."""

from __future__ import annotations

import dataclasses
import pickle
import random
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QTransform
from PySide6.QtWidgets import QApplication

from kiosk.content import Bundle
from kiosk.ui.journey import theme
from kiosk.ui.map import tile_queue
from kiosk.ui.map.layers import MapPainter
from kiosk.ui.map.tile_cache import DiskTiles, MemoryTiles, TileKey, bundle_folder
from kiosk.ui.map.tiles import TILE_BYTES, TILE_PX, MapTiles, _TileSource, memory_budget, style_of
from kiosk.ui.qt import work
from kiosk.ui.shell.main_window import MainWindow

STYLE = style_of(theme.TABLE)


def _image(colour: str, size: int = 64) -> QImage:
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    return image


def test_the_memory_cache_keeps_to_its_byte_budget_dropping_the_least_recently_used() -> None:
    one = _image("red").sizeInBytes()
    cache = MemoryTiles(budget=3 * one)
    keys = [TileKey(STYLE, 1.0, i, 0) for i in range(5)]
    for key in keys[:3]:
        cache.put(key, _image("red"))
    assert cache.get(keys[0]) is not None  # used again: now the most recent
    cache.put(keys[3], _image("blue"))
    assert cache.bytes <= 3 * one and len(cache) == 3
    assert keys[1] not in cache, "the least recently used went first"
    assert keys[0] in cache and keys[3] in cache
    cache.put(keys[4], _image("green"))
    assert cache.bytes <= 3 * one
    assert cache.scales(STYLE) == [1.0]
    cache.put(TileKey("000000", 2.0, 0, 0), _image("black"))
    assert cache.scales("000000") == [2.0]
    # The whole-map level stays, whatever else comes and goes.
    cache.pinned = {0.5}
    whole = TileKey(STYLE, 0.5, 0, 0)
    cache.put(whole, _image("white"))
    for i in range(10):
        cache.put(TileKey(STYLE, 3.0, i, 0), _image("red"))
        assert whole in cache and cache.bytes <= 3 * one


def test_the_memory_cache_never_exceeds_its_budget_and_keeps_what_was_asked_for_last() -> None:
    one = _image("red").sizeInBytes()
    cache = MemoryTiles(budget=5 * one)
    rng = random.Random(7)
    for _ in range(300):
        asked = {TileKey(STYLE, 1.0, rng.randrange(12), 0) for _ in range(rng.randint(0, 5))}
        cache.protected = asked
        for key in asked:
            cache.put(key, _image("red"))
        cache.put(TileKey(STYLE, 2.0, rng.randrange(12), 0), _image("blue"))  # a prefetch
        assert cache.bytes <= 5 * one
        assert all(key in cache for key in asked), "what the view asked for last stays"


def test_tiles_of_another_style_are_let_go_pinned_ones_too() -> None:
    cache = MemoryTiles(budget=10 * _image("red").sizeInBytes())
    cache.pinned = {0.5}
    cache.put(TileKey(STYLE, 0.5, 0, 0), _image("red"))
    cache.put(TileKey("000000", 0.5, 0, 0), _image("black"))
    cache.put(TileKey("000000", 1.0, 0, 0), _image("black"))
    cache.keep_style(STYLE)
    assert len(cache) == 1 and TileKey(STYLE, 0.5, 0, 0) in cache
    assert cache.bytes == _image("red").sizeInBytes()
    assert cache.scales("000000") == []


def test_tiles_in_memory_are_sized_to_the_screen_not_to_a_fixed_number_of_screenfuls() -> None:
    # 1920x1080: four tiles across and three down, one more each way for a view not aligned
    # with the tiles (no ring around it): 5 x 4, and the whole-map level's 4.
    assert memory_budget(1920, 1080, 4) == (5 * 4 + 4) * TILE_BYTES
    assert memory_budget(1920, 1080, 4) <= 24 * 2**20
    assert memory_budget(3840, 2160) == 9 * 6 * TILE_BYTES  # 4K: larger, as its view is


def test_the_views_tiles_stay_within_the_screens_budget_while_it_zooms_and_pans(
    window: MainWindow,
) -> None:
    view = window.map_view
    size = view.viewport().size()
    sheet = view.tiles.rect
    around = sheet.adjusted(-sheet.width(), -sheet.height(), sheet.width(), sheet.height())
    assert view.tiles.stand_in is not None
    stand_in = len(view.tiles.keys_in(around, view.tiles.stand_in, STYLE))  # with the edge's
    # The small map and the sheet's edge around it (a few pixels in the tiles above and left).
    assert stand_in <= 4, "a small whole map stands in, not the whole-map level"
    budget = memory_budget(size.width(), size.height(), stand_in)
    assert view.tiles.memory.budget == budget
    assert view.tiles.wait()
    centre = QPointF(view.viewport().rect().center())
    for factor in (1.5, 1.5, 1.6, 0.7, 1.8, 0.5, 2.0):
        view.zoom_by(factor, centre)
        view._settle_timer.timeout.emit()  # tiles at exactly this scale too
        view.viewport().repaint()
        assert view.tiles.wait()
        assert view.tiles.memory.bytes <= budget
        # Every tile on screen is in: the ring asked for was cut to what fits, not the view.
        level = view.tiles.target(view.transform().m11())
        on_screen = view.tiles.keys_in(view.visible_scene_rect(), level, STYLE)
        assert all(k in view.tiles.memory for k in on_screen)


def test_tiles_on_disk_come_back_pixel_for_pixel(tmp_path: Path, bundle: Bundle) -> None:
    folder = bundle_folder(tmp_path, bundle)
    disk = DiskTiles(tmp_path, folder, budget=10**9)
    key = TileKey(STYLE, 0.25, 3, 1)
    tile = _TileSource(bundle, None, 0).render(key)
    disk.save(key, tile)
    assert disk.path(key).is_file() and disk.path(key).is_relative_to(folder)
    again = disk.load(key, TILE_PX)
    assert again is not None and again == tile
    assert disk.load(key._replace(col=4), TILE_PX) is None  # never rendered


def test_a_corrupt_or_truncated_tile_file_is_ignored_and_rendered_again(
    tmp_path: Path, bundle: Bundle
) -> None:
    source = _TileSource(bundle, tmp_path, 10**9)
    key = TileKey(STYLE, 0.25, 2, 2)
    first = source.tile(key, keep=True)
    disk = source.disk()
    assert disk is not None
    path = disk.path(key)
    path.write_bytes(path.read_bytes()[:100])  # cut off, as by a power cut
    assert disk.load(key, TILE_PX) is None
    assert not path.exists(), "the broken file is removed"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a png at all")
    assert source.tile(key, keep=True) == first  # rendered again ...
    assert disk.load(key, TILE_PX) == first  # ... and written again
    _image("red", 100).save(str(path))  # a picture, but not a tile's size
    assert disk.load(key, TILE_PX) is None


def test_the_disk_cache_stays_within_its_budget_dropping_the_oldest(tmp_path: Path) -> None:
    disk = DiskTiles(tmp_path, tmp_path / "bundle-1", budget=1)
    keys = [TileKey(STYLE, 1.0, i, 0) for i in range(6)]
    for i, key in enumerate(keys):
        disk.save(key, _image("red" if i % 2 else "blue"))
    size = disk.path(keys[0]).stat().st_size
    disk.budget = 3 * size
    for age, key in enumerate(keys):  # keys[0] used longest ago
        stamp = 1_000_000 + age
        import os

        os.utime(disk.path(key), (stamp, stamp))
    left = disk.prune()
    assert left <= 3 * size
    assert not disk.path(keys[0]).exists() and disk.path(keys[-1]).exists()


def test_a_new_bundle_version_or_map_style_gets_a_folder_of_its_own(
    tmp_path: Path, bundle: Bundle
) -> None:
    manifest = bundle.manifest
    newer = dataclasses.replace(bundle, manifest=dataclasses.replace(manifest, version="9.9.9"))
    layers = [dataclasses.replace(layer, stroke="#ff0000") for layer in manifest.map.layers]
    restyled_map = dataclasses.replace(manifest.map, layers=layers)
    restyled = dataclasses.replace(bundle, manifest=dataclasses.replace(manifest, map=restyled_map))
    folders = {bundle_folder(tmp_path, b) for b in (bundle, newer, restyled)}
    assert len(folders) == 3
    assert bundle_folder(tmp_path, bundle) == bundle_folder(tmp_path, bundle), "stable"
    # High contrast draws a different surround: its tiles are other files.
    key = TileKey(STYLE, 0.5, 0, 0)
    contrast = key._replace(style=style_of(QColor("#000000")))
    assert key.relative_path() != contrast.relative_path()


def _vector(bundle: Bundle, world: QTransform, size: tuple[int, int]) -> QImage:
    image = QImage(*size, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.setWorldTransform(world)
    inverse, _ = world.inverted()
    MapPainter(bundle).paint(painter, inverse.mapRect(QRectF(image.rect())))
    painter.end()
    return image


def _tiled(tiles: MapTiles, world: QTransform, size: tuple[int, int]) -> QImage:
    image = QImage(*size, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.setWorldTransform(world)
    inverse, _ = world.inverted()
    tiles.paint(painter, inverse.mapRect(QRectF(image.rect())), world.m11(), theme.TABLE)
    painter.end()
    return image


def _difference(a: QImage, b: QImage) -> tuple[float, float]:
    """Mean absolute difference per channel (0-255), and the share of pixels off by over 64."""
    total, far, n = 0, 0, 0
    for y in range(0, a.height(), 2):
        for x in range(0, a.width(), 2):
            p, q = QColor(a.pixel(x, y)), QColor(b.pixel(x, y))
            d = abs(p.red() - q.red()) + abs(p.green() - q.green()) + abs(p.blue() - q.blue())
            total += d
            far += d > 3 * 64
            n += 1
    return total / n / 3, far / n


def _fill(tiles: MapTiles, bundle: Bundle, world: QTransform, size: tuple[int, int]) -> None:
    source = _TileSource(bundle, None, 0)
    inverse, _ = world.inverted()
    for key in tiles.keys_in(inverse.mapRect(QRectF(0, 0, *size)), world.m11(), STYLE):
        tiles.memory.put(key, source.render(key))


@pytest.mark.parametrize("zoom", [1.0, 2.0, 4.0])
def test_a_tiled_frame_matches_the_vector_map(
    qapp: QApplication, bundle: Bundle, zoom: float
) -> None:
    tiles = MapTiles(bundle, use_disk=False)
    size = (900, 600)
    base = size[0] / tiles.rect.width()
    tiles.set_view(base, *size, STYLE)
    tiles.shutdown()
    scale = tiles.target(base * zoom)
    assert scale == pytest.approx(base * zoom)
    # A view scrolled to the middle, by a fraction of a pixel as views are.
    centre = tiles.rect.center()
    world = QTransform.fromTranslate(size[0] / 2 + 0.37, size[1] / 2 + 0.61).scale(scale, scale)
    world.translate(-centre.x(), -centre.y())
    _fill(tiles, bundle, world, size)
    tiled = _tiled(tiles, world, size)
    # Tiles go to whole pixels: against the vector map at that whole-pixel offset they match
    # all but exactly (antialiasing at tile edges may differ by a shade) ...
    snapped = QTransform(world.m11(), 0, 0, world.m22(), round(world.dx()), round(world.dy()))
    mean, far = _difference(tiled, _vector(bundle, snapped, size))
    assert mean < 0.3 and far < 0.001, (mean, far)
    # ... and against the fractional offset they are that same picture, under half a pixel off.
    mean, far = _difference(tiled, _vector(bundle, world, size))
    assert mean < 4 and far < 0.01, (mean, far)


def test_a_missing_tile_is_drawn_from_another_level_not_left_blank(
    qapp: QApplication, bundle: Bundle
) -> None:
    tiles = MapTiles(bundle, use_disk=False)
    size = (900, 600)
    base = size[0] / tiles.rect.width()
    tiles.set_view(base, *size, STYLE)
    tiles.shutdown()
    centre = tiles.rect.center()
    coarse = QTransform.fromTranslate(size[0] / 2, size[1] / 2).scale(base, base)
    coarse.translate(-centre.x(), -centre.y())
    _fill(tiles, bundle, coarse, size)  # only the whole-city level is in
    scale = tiles.scales[2]
    world = QTransform.fromTranslate(size[0] / 2, size[1] / 2).scale(scale, scale)
    world.translate(-centre.x(), -centre.y())
    stand_in = _tiled(tiles, world, size)
    blank = QImage(*size, QImage.Format.Format_RGB32)
    blank.fill(QColor(bundle.manifest.map.paper))
    vector = _vector(bundle, world, size)
    # Blurred (drawn from a level four times coarser), but the map, not an empty sheet.
    assert _difference(stand_in, vector)[0] < 0.75 * _difference(blank, vector)[0]


def test_the_view_draws_tiles_and_sharpens_where_it_comes_to_rest(
    window: MainWindow, bundle: Bundle
) -> None:
    view = window.map_view
    assert view.tiles.wait()
    assert all(
        k in view.tiles.memory for k in view.tiles.keys_in(view._sheet, view.tiles.scales[0], STYLE)
    )
    view.zoom_by(2.3, QPointF(view.viewport().rect().center()))  # between two levels
    assert view.tiles.exact is None
    view._settle_timer.timeout.emit()
    assert view.tiles.exact == pytest.approx(view.transform().m11())
    QApplication.processEvents()
    assert view.tiles.wait()
    visible = view.visible_scene_rect()
    assert view.tiles.exact is not None
    exact = view.tiles.keys_in(visible, view.tiles.exact, STYLE)
    assert exact and all(k in view.tiles.memory for k in exact)
    view.zoom_by(1.1, QPointF(view.viewport().rect().center()))
    assert view.tiles.exact is None, "moving again: back to the levels until it rests"


def test_tiles_on_disk_are_in_the_first_paint_and_missing_ones_are_counted(
    qapp: QApplication, bundle: Bundle, tmp_path: Path
) -> None:
    """The kiosk's first frame shows the map: tiles already on disk are read during that paint
    rather than waited for, and `whole` / `shows_map` say what the screen showed."""
    size = (900, 600)
    tiles = MapTiles(bundle, tmp_path)
    base = size[0] / tiles.rect.width()
    tiles.set_view(base, *size, STYLE)
    tiles.shutdown()  # the worker out of it: whatever is drawn comes from disk or from nothing
    centre = tiles.rect.center()
    scale = tiles.scales[1]
    world = QTransform.fromTranslate(size[0] / 2, size[1] / 2).scale(scale, scale)
    world.translate(-centre.x(), -centre.y())
    inverse, _ = world.inverted()
    keys = tiles.keys_in(inverse.mapRect(QRectF(0, 0, *size)), scale, STYLE)
    assert not tiles.whole and not tiles.shows_map, "nothing painted yet"

    _tiled(tiles, world, size)
    assert not tiles.shows_map and not tiles.whole, "no tile anywhere: plain paper"

    disk = DiskTiles(tmp_path, bundle_folder(tmp_path, bundle), 10**9)
    source = _TileSource(bundle, None, 0)
    for key in keys:
        disk.save(key, source.render(key))
    fresh = MapTiles(bundle, tmp_path)
    fresh.set_view(base, *size, STYLE)
    fresh.shutdown()
    first = _tiled(fresh, world, size)
    assert fresh.whole and fresh.shows_map and fresh.shown_whole
    assert all(k in fresh.memory for k in keys), "read from disk within the paint"
    _fill(tiles, bundle, world, size)
    assert first == _tiled(tiles, world, size), "the same picture as tiles rendered here"

    # Once the map has been shown whole, the disk is left to the worker again.
    later = TileKey(STYLE, tiles.scales[2], 0, 0)
    disk.save(later, source.render(later))
    inverse_later = QTransform.fromScale(later.scale, later.scale)
    _tiled(fresh, inverse_later, size)
    assert later not in fresh.memory and not fresh.whole
    assert fresh.shows_map, "the coarser levels in memory stand in for it"


def test_the_small_whole_map_that_stands_in_comes_before_anything_else_while_it_is_missing(
    qapp: QApplication, bundle: Bundle, tmp_path: Path
) -> None:
    size = (900, 600)
    tiles = MapTiles(bundle, tmp_path)
    base = size[0] / tiles.rect.width()
    tiles.shutdown()
    tiles.set_view(base, *size, STYLE)
    tiles.shutdown()
    assert tiles.stand_in is not None
    assert tiles.stand_in == pytest.approx(tiles.scales[0] / 4)
    assert tiles.memory.pinned == {tiles.stand_in}  # never evicted
    whole_map = tiles.keys_in(tiles.rect, tiles.stand_in, STYLE)
    close_up = tiles.keys_in(tiles.rect, tiles.scales[2], STYLE)[:5]
    tiles.request(close_up)
    assert tiles.queue.wanted[: len(whole_map)] == whole_map
    assert tiles.queue.wanted[len(whole_map) :] == close_up
    for key in whole_map:
        tiles.memory.put(key, _image("white", TILE_PX))
    tiles.request(close_up)
    assert tiles.queue.wanted == close_up, "once it is in, what the view needs comes first"


def test_the_levels_the_exhibit_starts_at_are_kept_uncompressed_and_read_back_exactly(
    qapp: QApplication, bundle: Bundle, tmp_path: Path
) -> None:
    source = _TileSource(bundle, tmp_path, 10**9)
    start = TileKey(STYLE, 0.125, 1, 1)
    deeper = TileKey(STYLE, 0.5, 3, 2)
    source.raw_scales = frozenset({start.scale})
    tiles = {key: source.tile(key, keep=True) for key in (start, deeper)}
    disk = source.disk()
    assert disk is not None
    assert disk.raw_path(start).stat().st_size == TILE_PX * TILE_PX * 4
    assert not disk.path(start).exists()
    assert disk.path(deeper).is_file() and not disk.raw_path(deeper).exists()
    for key, tile in tiles.items():
        assert disk.load(key, TILE_PX) == tile
    disk.raw_path(start).write_bytes(b"\0" * 100)  # cut short, as by a power cut
    assert disk.load(start, TILE_PX) is None and not disk.raw_path(start).exists()
    assert source.tile(start, keep=True) == tiles[start], "rendered again"


def test_the_map_painter_goes_after_a_while_without_a_render_and_comes_back_when_needed(
    qapp: QApplication, bundle: Bundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tile_queue, "FORGET_AFTER_MS", 20)
    tiles = MapTiles(bundle, use_disk=False)  # every tile rendered
    size = (900, 600)
    tiles.set_view(size[0] / tiles.rect.width(), *size, STYLE)
    tiles.shutdown()  # not the level prefetched ahead: only what is asked for below
    first = tiles.keys_in(tiles.rect, tiles.scales[1], STYLE)[:1]
    tiles.request(first)
    assert tiles.wait()
    assert first[0] in tiles.memory and tiles._source.has_painter
    assert work.run_until(lambda: not tiles._source.has_painter, 5_000), "its paths let go"
    later = tiles.keys_in(tiles.rect, tiles.scales[2], STYLE)[:1]
    tiles.request(later)
    assert tiles.wait()
    assert later[0] in tiles.memory, "the painter built again for the next render"
    tiles.shutdown()


def test_the_painter_keeps_no_decoded_copy_of_the_geometry(bundle: Bundle) -> None:
    # As the kiosk gets it from the validated-bundle cache: each layer's points packed.
    packed = pickle.loads(pickle.dumps(bundle.layers))
    MapPainter(dataclasses.replace(bundle, layers=packed))
    assert all("polygons" not in layer.__dict__ for layer in packed)
