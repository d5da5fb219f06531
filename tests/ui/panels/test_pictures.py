"""Pictures in the event panel and the full-screen viewer: upright (EXIF orientation), decoded
by a worker and kept, opened by a tap and looked at closely with two fingers."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QColor, QImage, QPointingDevice
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from kiosk.content import load_bundle
from kiosk.paths import default_bundle
from kiosk.ui.panels import pictures
from kiosk.ui.panels.picture_viewer import MAX_ZOOM, PictureViewer
from kiosk.ui.panels.pictures import PictureBox, PictureStore, picture_store
from kiosk.ui.qt.images import decode_image, picture_size
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import FakeClock, marker_in_view, open_window, settle
from tests.ui.touch import drag, pinch, tap

EVENT = "volynsky-mutiny"
ORIENTATION = 0x0112
RED = QColor(200, 0, 0)


def photo(path: Path, size: tuple[int, int], orientation: int = 1) -> None:
    """A JPEG whose stored top-left quarter is red, with an EXIF orientation note."""
    image = Image.new("RGB", size, "white")
    image.paste((200, 0, 0), (0, 0, size[0] // 2, size[1] // 2))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", exif=exif.tobytes(), quality=92)


def is_red(image: QImage, x: int, y: int) -> bool:
    colour = image.pixelColor(x, y)
    return colour.red() > 150 and colour.green() < 90


def test_a_photograph_stored_on_its_side_is_shown_upright(tmp_path: Path, qapp: object) -> None:
    path = tmp_path / "phone.jpg"
    photo(path, (600, 400), orientation=6)  # "turn 90 degrees clockwise to view"
    size = picture_size(path)
    assert size is not None and (size.width(), size.height()) == (400, 600)
    image = decode_image(path, 200)
    assert image is not None and (image.width(), image.height()) == (200, 300)
    # The stored top-left corner, turned clockwise, is the top right.
    assert is_red(image, 150, 30) and not is_red(image, 30, 30)


def test_decoding_never_enlarges(tmp_path: Path, qapp: object) -> None:
    path = tmp_path / "small.jpg"
    photo(path, (300, 200))
    image = decode_image(path, 900, 900)
    assert image is not None and (image.width(), image.height()) == (300, 200)
    fitted = decode_image(path, 150, 50)
    assert fitted is not None and (fitted.width(), fitted.height()) == (75, 50)


@pytest.fixture
def bundle_with_photos(tmp_path: Path) -> Path:
    """Petrograd with three photographs on the Volynsky mutiny; one stored on its side."""
    root = tmp_path / "petrograd-1917"
    shutil.copytree(default_bundle(), root)
    photo(root / "media" / "barracks.jpg", (1600, 1000))
    photo(root / "media" / "courtyard.jpg", (1200, 900), orientation=6)
    photo(root / "media" / "street.jpg", (900, 1200))
    event = root / "events" / f"{EVENT}.yaml"
    media = "".join(
        f"  - file: media/{name}.jpg\n"
        f"    caption: {{en: The {name}, ru: Снимок {i}}}\n"
        f"    credit: Test photograph {i}, public domain\n"
        f"    alt: {{en: A red and white test picture, ru: Красно-белая картинка}}\n"
        for i, name in enumerate(("barracks", "courtyard", "street"), 1)
    )
    event.write_text(event.read_text(encoding="utf-8") + "media:\n" + media, encoding="utf-8")
    return root


@pytest.fixture
def photo_window(
    qtbot: QtBot, fonts: list[str], bundle_with_photos: Path, map_clock: FakeClock
) -> Iterator[MainWindow]:
    yield open_window(qtbot, load_bundle(bundle_with_photos), map_clock)


def _open_event(window: MainWindow, touchscreen: QPointingDevice) -> list[PictureBox]:
    tap(window.map_view.viewport(), touchscreen, marker_in_view(window, EVENT))
    assert window.panel.event_id == EVENT
    settle(window)
    return window.panel.findChildren(PictureBox)


def test_pictures_are_decoded_by_a_worker_and_kept(
    photo_window: MainWindow,
    touchscreen: QPointingDevice,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[str] = []
    decode = pictures.decode_image

    def watched(path: Path, width: int, height: int | None = None) -> QImage | None:
        threads.append(threading.current_thread().name)
        return decode(path, width, height)

    monkeypatch.setattr(pictures, "decode_image", watched)
    boxes = _open_event(photo_window, touchscreen)
    assert len(boxes) == 3
    # The panel opened with boxes of each picture's own proportions, the pictures to come.
    courtyard = boxes[1]
    assert abs(courtyard.height() / courtyard.width() - 1200 / 900) < 0.01  # upright: tall
    qtbot.waitUntil(lambda: all(box.loaded for box in boxes), timeout=10_000)
    assert len(threads) == 3
    assert threading.main_thread().name not in threads
    shown = courtyard.pixmap().toImage()
    assert is_red(shown, shown.width() * 3 // 4, shown.height() // 8)  # turned upright
    # Closed and opened again (or by the next visitor): shown in the first frame, not decoded.
    photo_window.state.select(None)
    boxes = _open_event(photo_window, touchscreen)
    assert all(box.loaded for box in boxes)
    assert len(threads) == 3


def test_the_store_keeps_to_its_budget(tmp_path: Path, qtbot: QtBot, qapp: object) -> None:
    paths = []
    for i in range(4):
        paths.append(tmp_path / f"p{i}.jpg")
        photo(paths[-1], (400, 300))
    store = PictureStore(budget_bytes=2 * 400 * 300 * 4 + 100)
    keys = []
    for path in paths:
        key = store.key(path, 400)
        assert key is not None
        keys.append(key)
        store.request(key)
        assert store.wait(key)
    assert store.bytes_held <= store.budget_bytes
    assert store.image(keys[0]) is None and store.image(keys[-1]) is not None  # oldest out
    # A changed file is another picture: its old copy is never shown for it.
    photo(paths[-1], (300, 400))
    assert store.key(paths[-1], 400) != keys[-1]


def _viewer(window: MainWindow) -> PictureViewer:
    return window.picture_viewer


def test_a_tap_on_a_picture_opens_it_full_screen_with_caption_and_credit(
    photo_window: MainWindow, touchscreen: QPointingDevice, qtbot: QtBot
) -> None:
    boxes = _open_event(photo_window, touchscreen)
    viewer = _viewer(photo_window)
    assert not viewer.isVisible()
    box = boxes[0]
    photo_window.panel._scroll.ensureWidgetVisible(box)
    QApplication.processEvents()
    tap(box, touchscreen, QPoint(box.width() // 2, box.height() // 2))
    assert viewer.isVisible()
    assert (viewer.event_id, viewer.index) == (EVENT, 0)
    assert viewer.geometry() == photo_window.rect()
    assert viewer.findChild(QLabel, "picture-caption").text() == "The barracks"  # type: ignore[union-attr]
    assert viewer.findChild(QLabel, "picture-credit").text() == "Test photograph 1, public domain"  # type: ignore[union-attr]
    assert viewer.accessibleName() == "A red and white test picture"
    qtbot.waitUntil(lambda: viewer.sharp, timeout=10_000)
    # As large as the screen allows above the caption: 1600 x 1000 fits by its height.
    fitted = viewer.fitted_rect()
    assert fitted.height() > 700 and abs(fitted.width() / fitted.height() - 1.6) < 0.01
    shot = viewer.grab().toImage()
    top_left = fitted.topLeft().toPoint() + QPoint(20, 20)
    assert is_red(shot, top_left.x(), top_left.y())


def test_pinch_enlarges_around_the_fingers_a_drag_moves_and_a_tap_beside_closes(
    photo_window: MainWindow, touchscreen: QPointingDevice, qtbot: QtBot
) -> None:
    _open_event(photo_window, touchscreen)
    viewer = _viewer(photo_window)
    viewer.show_picture(EVENT, 0)
    qtbot.waitUntil(lambda: viewer.sharp, timeout=10_000)
    fitted = viewer.fitted_rect()
    # The spot a quarter in from the top-left corner, under the fingers' middle.
    spot = QPointF(fitted.left() + fitted.width() / 4, fitted.top() + fitted.height() / 4)
    pinch(viewer, touchscreen, spot.toPoint(), 100, 300)
    assert 2.5 < viewer.zoom < 3.5
    after = viewer.picture_rect()
    # The same spot of the picture is still under the fingers.
    seen = QPointF(after.left() + after.width() / 4, after.top() + after.height() / 4)
    assert abs(seen.x() - spot.x()) < 8 and abs(seen.y() - spot.y()) < 8  # whole pixels, x3
    # Enlarged this far, a sharper copy is decoded.
    qtbot.waitUntil(lambda: viewer.shown_width > fitted.width() * 1.2, timeout=10_000)
    # One finger moves it.
    before = viewer.offset
    drag(viewer, touchscreen, QPoint(900, 500), (-200, 0))
    assert abs((viewer.offset - before).x() + 200) < 2 and viewer.isVisible()
    # Never past the largest enlargement, nor out of sight.
    pinch(viewer, touchscreen, QPoint(960, 500), 50, 900)
    assert viewer.zoom == MAX_ZOOM
    drag(viewer, touchscreen, QPoint(900, 500), (5000, 0), steps=4)
    assert viewer.picture_rect().left() <= viewer.width() / 2
    # A tap on the picture leaves it; a tap beside it (on the caption's band) closes.
    tap(viewer, touchscreen, QPoint(1300, 400))
    assert viewer.isVisible()
    tap(viewer, touchscreen, QPoint(40, viewer.height() - 20))
    assert not viewer.isVisible()


def test_the_close_button_and_the_idle_reset_close_the_viewer(
    photo_window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _open_event(photo_window, touchscreen)
    viewer = _viewer(photo_window)
    viewer.show_picture(EVENT, 1)
    button = viewer.close_button
    assert button.text().endswith("Close")
    tap(button, touchscreen, button.rect().center())
    assert not viewer.isVisible()
    viewer.show_picture(EVENT, 2)
    photo_window.reset_to_start()
    assert not viewer.isVisible()


def test_the_viewer_speaks_the_visitors_language(
    photo_window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _open_event(photo_window, touchscreen)
    viewer = _viewer(photo_window)
    viewer.show_picture(EVENT, 1)
    photo_window.state.set_language("ru")
    assert viewer.findChild(QLabel, "picture-caption").text() == "Снимок 2"  # type: ignore[union-attr]
    assert viewer.accessibleName() == "Красно-белая картинка"


def test_one_store_for_the_process(qapp: object) -> None:
    assert picture_store() is picture_store()
