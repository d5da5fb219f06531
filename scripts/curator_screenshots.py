"""Render the curators' tools to PNG files for docs/curators.md.

    .venv/bin/python scripts/curator_screenshots.py OUTDIR [--bundle DIR]

Writes picture-viewer.png (a picture of an event opened full-screen, with its caption and
credit), picture-viewer-zoomed.png (the same pinched to three times its size) and
preview-coordinates.png (the preview after a click on the map: the spot's coordinates in the
bar, with the search's results for a name below it). The picture is the exhibit's own map,
rendered large for the purpose and saved as a JPEG in a copy of the bundle, since the
Petrograd bundle carries no photographs. Runs offscreen, in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImageWriter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.content import load_bundle
from kiosk.paths import default_bundle
from kiosk.ui.journey.theme import load_fonts
from kiosk.ui.map.motion import Camera
from kiosk.ui.shell.main_window import MainWindow
from kiosk.ui.shell.preview import PreviewWindow

EVENT = "volynsky-mutiny"


def settle(app: QApplication, seconds: float = 0.4) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def save(widget: QWidget, path: Path) -> None:
    widget.grab().save(str(path))
    print(path)


def map_picture(app: QApplication, bundle_path: Path, target: Path) -> None:
    """The exhibit's map around the event's place, 2400 x 1600 pixels, as a JPEG."""
    bundle = load_bundle(bundle_path)
    window = MainWindow(bundle)
    window.map_view.reduced_motion = True
    window.resize(2400, 1600 + 200)
    window.show()
    place = bundle.places[bundle.event(EVENT).place]
    x, y = bundle.projection.project(place.lat, place.lon)
    view = window.map_view
    view.set_camera(Camera(x, y, view.min_scale * 6))
    settle(app)
    view.tiles.wait()
    settle(app, 0.2)
    picture = view.viewport().grab().toImage().copy(0, 0, 2400, 1600)
    writer = QImageWriter(str(target))  # JPEG, from the name
    writer.setQuality(90)
    writer.write(picture)
    window.close()
    window.deleteLater()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--bundle", type=Path, default=default_bundle())
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    load_fonts()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        copy = Path(temporary) / args.bundle.name
        shutil.copytree(args.bundle, copy)
        (copy / "media").mkdir(exist_ok=True)
        map_picture(app, args.bundle, copy / "media" / "barracks-district.jpg")
        event = copy / "events" / f"{EVENT}.yaml"
        event.write_text(
            event.read_text(encoding="utf-8").rstrip("\n")
            + "\nmedia:\n"
            + "  - file: media/barracks-district.jpg\n"
            + "    caption:\n"
            + '      en: "The streets around the Volynsky Regiment\'s barracks, 1917"\n'
            + '      ru: "Улицы вокруг казарм Волынского полка, 1917"\n'
            + '    credit: "Drawn from the exhibit\'s own map for this guide"\n'
            + "    alt:\n"
            + '      en: "A street plan: the barracks by the river, streets running east"\n'
            + '      ru: "План улиц: казармы у реки, улицы уходят на восток"\n',
            encoding="utf-8",
        )
        bundle = load_bundle(copy)

        window = MainWindow(bundle)
        window.map_view.reduced_motion = True
        window.resize(1920, 1080)
        window.show()
        window.state.select(EVENT)
        viewer = window.picture_viewer
        viewer.show_picture(EVENT, 0)
        viewer.wait()
        settle(app)
        save(window, args.out / "picture-viewer.png")
        fitted = viewer.fitted_rect()
        viewer.zoom_at(3.0, QPointF(fitted.center().x() - fitted.width() / 6, fitted.center().y()))
        viewer.wait()
        settle(app)
        save(window, args.out / "picture-viewer-zoomed.png")
        window.close()

        preview = PreviewWindow(copy)
        preview.resize(1600, 900)
        preview.show()
        settle(app)
        exhibit = preview.host.exhibit
        assert exhibit is not None
        exhibit.map_view.tiles.wait()
        viewport = exhibit.map_view.viewport()
        spot = QPoint(viewport.width() * 2 // 5, viewport.height() * 3 // 5)
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=spot)
        QTest.keyClicks(preview.tools.search_box, "Znam")
        settle(app)
        exhibit.map_view.tiles.wait()
        settle(app, 0.2)
        save(preview, args.out / "preview-coordinates.png")
        preview.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
