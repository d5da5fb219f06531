"""Render the kiosk with a historical plan half faded over today's map, for docs.

    .venv/bin/python scripts/plan_screenshot.py OUT.png [--bundle DIR] [--size 1920x1080]

No scanned plan of the period is in the repository, so a synthetic one stands in: the bundle's
own map layers drawn as an old printed plan (sepia, no colour, a frame and a title), turned by
3 degrees and scaled, over the middle of the map. Eight ground control points are taken from
that transformation, with a few metres of noise as a curator's clicks would have, written into
a copy of the bundle with the scan (JPEG), validated (the residual line is printed), and shown
in the kiosk window offscreen with the plan at half its opacity.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QTransform
from PySide6.QtWidgets import QApplication

from kiosk.content import Bundle, load_bundle, validate_bundle
from kiosk.paths import default_bundle
from kiosk.ui.journey.theme import load_fonts
from kiosk.ui.map.layers import MapPainter
from kiosk.ui.map.motion import Camera
from kiosk.ui.shell.main_window import MainWindow

SCAN_W, SCAN_H = 2400, 2000
TURN_DEG = 3.0
PIXELS = [
    (150, 140), (2250, 120), (2280, 1880), (130, 1860), (1200, 1000), (700, 500), (1750, 600),
    (1000, 1600),
]  # fmt: skip


def plan_to_map(bundle: Bundle) -> QTransform:
    """Scan pixels to map metres: the plan covers the middle 55% of the map, turned a little."""
    width, height = bundle.projection.width, bundle.projection.height
    scale = 0.55 * width / SCAN_W
    turn = QTransform().rotate(TURN_DEG)
    centre = QTransform.fromTranslate(width / 2, height * 0.5)
    return (
        QTransform.fromTranslate(-SCAN_W / 2, -SCAN_H / 2)
        * QTransform.fromScale(scale, scale)
        * turn
        * centre
    )


def draw_scan(bundle: Bundle, to_map: QTransform, path: Path) -> None:
    """The bundle's layers as an old plan, seen through the inverse of `to_map`."""
    image = QImage(SCAN_W, SCAN_H, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    to_scan, _ = to_map.inverted()
    painter.setTransform(to_scan)
    MapPainter(bundle).paint(painter, to_map.mapRect(QRectF(0, 0, SCAN_W, SCAN_H)))
    painter.end()
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8).convertToFormat(
        QImage.Format.Format_RGB32
    )
    painter = QPainter(grey)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
    painter.fillRect(grey.rect(), QColor("#f2d9a6"))  # sepia ink on yellowed paper
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
    painter.setPen(QPen(QColor("#4a3320"), 10))
    painter.drawRect(grey.rect().adjusted(30, 30, -30, -30))
    painter.setFont(QFont("PT Serif", 64, QFont.Weight.Bold))
    painter.setPen(QColor("#4a3320"))
    painter.drawText(
        QRectF(0, 60, SCAN_W, 120), Qt.AlignmentFlag.AlignCenter, "PLAN (a synthetic test scan)"
    )
    painter.end()
    grey.save(str(path), "JPEG", 85)  # type: ignore[call-overload]


def control_points(bundle: Bundle, to_map: QTransform) -> str:
    noise = random.Random(1917)
    lines = []
    for x, y in PIXELS:
        point = to_map.map(QPointF(x, y))
        mx = point.x() + noise.uniform(-4, 4)  # a curator's clicks are off by a few metres
        my = point.y() + noise.uniform(-4, 4)
        lat, lon = bundle.projection.unproject(mx, my)
        lines.append(f"      - {{pixel: [{x}, {y}], lat: {lat:.6f}, lon: {lon:.6f}}}\n")
    return "".join(lines)


def bundle_with_plan(source: Path, folder: Path) -> Path:
    target = folder / source.name
    shutil.copytree(source, target)
    bundle = load_bundle(target)
    to_map = plan_to_map(bundle)
    draw_scan(bundle, to_map, target / "map" / "plan-synthetic.jpg")
    manifest = target / "bundle.yaml"
    text = manifest.read_text(encoding="utf-8")
    plan = "  plan:\n    file: map/plan-synthetic.jpg\n    points:\n" + control_points(
        bundle, to_map
    )
    credit = '    - "Plan: a synthetic test scan drawn from this map"\n'
    attribution = text.index("\n", text.index("  attribution:")) + 1
    text = text[:attribution] + credit + text[attribution:]
    text = text.replace("\ncategories:", "\n" + plan + "\ncategories:", 1)
    manifest.write_text(text, encoding="utf-8")
    return target


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--bundle", type=Path, default=default_bundle())
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--opacity", type=float, default=0.5)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    app = QApplication(sys.argv[:1])
    load_fonts()
    with tempfile.TemporaryDirectory() as temporary:
        folder = bundle_with_plan(args.bundle, Path(temporary))
        bundle, problems = validate_bundle(folder)
        for problem in problems:
            print(problem)
        assert bundle is not None and bundle.plan is not None
        window = MainWindow(bundle)
        window.map_view.reduced_motion = True
        window.resize(width, height)
        window.show()
        window.bottom_bar.show_plan(True)  # the button as a visitor's press leaves it
        window.map_view.set_plan_opacity(args.opacity)
        view = window.map_view
        centre = view.whole_city_camera()
        view.set_camera(Camera(centre.x, centre.y * 0.97, centre.scale * 1.6))
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        for _ in range(3):
            view.tiles.wait()
            if view.plan_tiles is not None:
                view.plan_tiles.wait()
            app.processEvents()
        window.grab().save(str(args.out))
        print(args.out, f"plan at {args.opacity:.0%}, residual {bundle.plan.fit.rms_m:.1f} m")
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
