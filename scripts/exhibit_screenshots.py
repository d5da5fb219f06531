"""Render the Petrograd exhibit for docs/exhibits/petrograd-1917/tour/: the map at three zoom
levels and five panels, in each of the bundle's languages, as a visitor would see them on a
1920x1080 kiosk.

    .venv/bin/python scripts/exhibit_screenshots.py [OUTDIR] [--bundle DIR]

Panels: an event in the city, an event off the map, a quotation shown large, a person's entry,
the credits, and a glossary term's definition opened in an event. Runs offscreen; the map jumps
instead of flying.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from kiosk.content import load_bundle
from kiosk.paths import default_bundle
from kiosk.ui.journey.theme import load_fonts
from kiosk.ui.panels.glossary import GlossaryLabel
from kiosk.ui.shell.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
ZOOMS = {"city": 1.0, "centre": 2.5, "street": 6.0}
# Where to look at each zoom: a point of the map, as a fraction of its width and height.
FOCUS = {"city": (0.5, 0.5), "centre": (0.56, 0.45), "street": (0.55, 0.42)}
EVENT_IN_CITY = "volynsky-mutiny"
EVENT_OFF_MAP = "abdication-pskov"
QUOTE = "trotsky-cossack-horse"
PERSON = "kirpichnikov"
GLOSSARY_EVENT, GLOSSARY_TERM = "tsar-telegram-khabalov", "stavka"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "out", type=Path, nargs="?", default=ROOT / "docs" / "exhibits" / "petrograd-1917" / "tour"
    )
    parser.add_argument("--bundle", type=Path, default=default_bundle())
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    load_fonts()
    bundle = load_bundle(args.bundle)
    window = MainWindow(bundle)
    window.map_view.reduced_motion = True
    window.resize(1920, 1080)
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        # Let queued layout passes run (a panel's text wraps again once its scroll bar shows).
        for _ in range(30):
            app.processEvents()
            time.sleep(0.02)
        # The map is drawn from tiles rendered in a worker: let the map come to rest (it then
        # gets tiles at its exact scale) and wait for them, so no picture shows a stand-in.
        deadline = time.monotonic() + 0.4
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        window.map_view.tiles.wait()
        for _ in range(3):
            app.processEvents()
        image = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
        image.save(str(args.out / name), quality=0)  # PNG by the suffix; 0: the smallest file
        print(args.out / name)

    view = window.map_view
    for language in bundle.manifest.languages:
        window.state.set_language(language)
        window.state.select(None)
        for name, zoom in ZOOMS.items():
            view.show_whole_city(animated=False)
            if zoom > 1:
                fx, fy = FOCUS[name]
                sheet = view.sceneRect()
                target = view.mapFromScene(
                    QPointF(sheet.left() + sheet.width() * fx, sheet.top() + sheet.height() * fy)
                )
                view.zoom_by(zoom, QPointF(target))
                centre = view.viewport().rect().center()
                view.pan_by(centre.x() - target.x(), centre.y() - target.y())
            shot(f"map-{name}-{language}.png")
        view.show_whole_city(animated=False)
        window.state.select(EVENT_IN_CITY)
        shot(f"panel-event-{language}.png")
        window.state.select(EVENT_OFF_MAP)
        shot(f"panel-off-map-{language}.png")
        window.state.select(None)
        window.quote_view.show_quote(QUOTE)
        shot(f"panel-quotation-{language}.png")
        window.quote_view.close_quote()
        window.state.select(EVENT_IN_CITY)
        window.panel.person_requested.emit(PERSON)
        shot(f"panel-person-{language}.png")
        window.state.select(None)
        window.credits_button.click()
        shot(f"panel-credits-{language}.png")
        window.credits_panel.hide()
        window.state.select(GLOSSARY_EVENT)
        for _ in range(10):
            app.processEvents()
        open_term(window, GLOSSARY_TERM)
        shot(f"panel-glossary-{language}.png")
        window.state.select(None)
    return 0


def open_term(window: MainWindow, term_id: str) -> None:
    """Open `term_id`'s definition as a tap on its marked first use does."""
    for label in window.panel.findChildren(GlossaryLabel):
        for mark, rects in label.term_rects():
            if mark.term_id == term_id:
                window.panel.show_term(label, term_id, rects[0])
                return
    raise SystemExit(f"{term_id} is not marked in the panel")


if __name__ == "__main__":
    sys.exit(main())
