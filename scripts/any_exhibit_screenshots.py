"""Render both test exhibits in every language, landscape and portrait, for docs/exhibits/.

    .venv/bin/python scripts/any_exhibit_screenshots.py [OUTDIR]

The shipped Petrograd exhibit (nine days, Julian, English and Russian) and the test suite's Paris
1871 (72 days, Gregorian, French first with English and German), each at 1920x1080 and at
1080x1920, in each of its languages:

- `start`: the first frame, as the kiosk starts (the attract loop on the whole map);
- `event`: an event panel, with its day (or week, or month) chosen on the timeline;
- `last`: the last event, in large text (no "Later"; the title card and timeline in large text);
- `credits`: the credits, by section.

Runs offscreen; JPEG files (PNG with --png) named <exhibit>/<width>x<height>/<language>-<shot>.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from kiosk.content import load_bundle
from kiosk.paths import default_bundle
from kiosk.ui.journey.theme import Appearance, load_fonts
from kiosk.ui.shell.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
EXHIBITS = {
    "petrograd-1917": (default_bundle(), "volynsky-mutiny"),
    "paris-1871": (ROOT / "tests" / "bundles" / "paris-1871", "commune-proclaimed"),
}
SIZES = [(1920, 1080), (1080, 1920)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path, nargs="?", default=ROOT / "docs" / "exhibits")
    parser.add_argument("--png", action="store_true", help="PNG files instead of JPEG")
    args = parser.parse_args()
    suffix = ".png" if args.png else ".jpg"
    app = QApplication(sys.argv[:1])
    load_fonts()

    def settle(window: MainWindow) -> None:
        for _ in range(20):
            app.processEvents()
            time.sleep(0.02)
        window.map_view.tiles.wait()
        for _ in range(5):
            app.processEvents()

    def shot(window: MainWindow, path: Path) -> None:
        settle(window)
        image = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
        path.parent.mkdir(parents=True, exist_ok=True)
        # The format follows the suffix; PNG at 0 is its smallest file, JPEG at 82 looks clean.
        image.save(str(path), quality=0 if args.png else 82)
        print(path.relative_to(args.out))

    for name, (folder, event_id) in EXHIBITS.items():
        bundle = load_bundle(folder)
        for width, height in SIZES:
            out = args.out / name / f"{width}x{height}"
            for language in bundle.manifest.languages:
                window = MainWindow(bundle, language)
                window.map_view.reduced_motion = True  # the map jumps instead of flying
                window.resize(width, height)
                window.start_attract()
                window.show()
                shot(window, out / f"{language}-start{suffix}")
                window.idle.touched()  # a visitor's first touch ends the loop
                window.map_view.show_whole_city(animated=False)
                event = bundle.event(event_id)
                button = window.timeline.button_for(event.date)
                assert button is not None
                button.click()  # its day, week or month, as a visitor's tap chooses it
                window.state.select(event_id)
                shot(window, out / f"{language}-event{suffix}")
                window.state.set_day(None)
                window.state.set_appearance(Appearance(large_text=True))
                window.state.select(bundle.events[-1].id)
                shot(window, out / f"{language}-last{suffix}")
                window.state.set_appearance(Appearance())
                window.state.select(None)
                window.credits_button.click()
                shot(window, out / f"{language}-credits{suffix}")
                window.close()
                window.deleteLater()
                app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
