"""A missing or corrupt image shows a quiet placeholder in the panel: never a hole, an error
dialog or a Qt warning. The bundle was valid when loaded; the file went bad afterwards (a sync
tool half-way through, a disk error)."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from kiosk.content import load_bundle
from kiosk.paths import default_bundle
from kiosk.ui.panels.pictures import PictureBox
from kiosk.ui.qt.images import load_image
from kiosk.ui.shell.main_window import MainWindow

EVENT = "volynsky-mutiny"


def write_png(path: Path, width: int = 600, height: int = 400) -> None:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    assert image.save(str(path))  # the format follows the suffix


@pytest.fixture
def bundle_with_image(tmp_path: Path) -> Path:
    root = tmp_path / "petrograd-1917"
    shutil.copytree(default_bundle(), root)
    (root / "media").mkdir()
    write_png(root / "media" / "barracks.png")
    event = root / "events" / f"{EVENT}.yaml"
    event.write_text(
        event.read_text(encoding="utf-8")
        + "media:\n"
        + "  - file: media/barracks.png\n"
        + "    caption: {en: The barracks, ru: Казармы}\n"
        + "    credit: Test image\n",
        encoding="utf-8",
    )
    return root


# libjpeg's own complaints about the garbage file; in the kiosk they go to the log.
@pytest.mark.qt_log_ignore("Corrupt JPEG data", "JPEG datastream contains no image")
def test_load_image_refuses_what_it_cannot_show(tmp_path: Path, qapp: object) -> None:
    good = tmp_path / "good.png"
    write_png(good)
    pixmap = load_image(good, 300)
    assert pixmap is not None and (pixmap.width(), pixmap.height()) == (300, 200)
    assert load_image(tmp_path / "missing.png", 300) is None
    garbage = tmp_path / "garbage.jpg"
    garbage.write_bytes(b"\xff\xd8\xff" + b"\x00" * 500)
    assert load_image(garbage, 300) is None
    huge = tmp_path / "huge.png"  # a header claiming 100,000 x 100,000 pixels: never decoded
    data = good.read_bytes()
    header = b"IHDR" + (100_000).to_bytes(4, "big") * 2 + data[24:29]
    crc = zlib.crc32(header).to_bytes(4, "big")  # a well-formed header, so only size refuses it
    huge.write_bytes(data[:12] + header + crc + data[33:])
    assert load_image(huge, 300) is None


@pytest.mark.parametrize("damage", ["intact", "deleted", "overwritten"])
def test_the_panel_shows_the_image_or_a_placeholder(
    qtbot: QtBot, fonts: list[str], bundle_with_image: Path, damage: str
) -> None:
    bundle = load_bundle(bundle_with_image)
    image = bundle_with_image / "media" / "barracks.png"
    if damage == "deleted":
        image.unlink()
    elif damage == "overwritten":
        image.write_bytes(b"this is not a picture any more")
    window = MainWindow(bundle)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    window.state.select(EVENT)
    pictures = window.panel.findChildren(PictureBox)
    assert len(pictures) == 1
    picture = pictures[0]
    if damage == "intact":
        qtbot.waitUntil(lambda: picture.loaded, timeout=10_000)  # decoded by a worker
    pixmap = picture.pixmap()
    assert not pixmap.isNull() and pixmap.width() > 100  # never a hole
    centre = pixmap.toImage().pixelColor(pixmap.width() // 2, pixmap.height() // 4)
    if damage == "intact":
        assert centre == QColor("#336699")
        assert not picture.broken
    else:
        assert picture.broken
        assert centre != QColor("#336699")  # the placeholder's quiet paper colour
        assert abs(pixmap.height() - pixmap.width() * 2 / 3) <= 1
