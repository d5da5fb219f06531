"""Render the kiosk to PNG files as a visitor would see it, for docs and for looking at changes.

    .venv/bin/python scripts/screenshots.py OUTDIR [--size 1920x1080] [--bundle DIR]

Writes map-en.png, map-ru.png, and panel-<event>-<lang>.png for a few events; then a cluster
opened by a tap (cluster-opened.png), one fanned out at full zoom (cluster-fanned.png) and a
quotation shown large (quote-<lang>.png); the busiest day chosen on the timeline
(timeline-day.png), large text and high contrast with a panel open (large-text.png,
high-contrast.png), the idle countdown (countdown.png) and the attract loop (attract.png).
Runs offscreen; the map jumps instead of flying.
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
from PySide6.QtWidgets import QApplication

from kiosk.content import load_bundle
from kiosk.paths import default_bundle
from kiosk.ui.journey.attract import FADE_SECONDS, MOVE_SECONDS
from kiosk.ui.journey.theme import Appearance, load_fonts
from kiosk.ui.journey.timeline import bundle_days, events_on
from kiosk.ui.map.motion import Camera
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell.main_window import MainWindow


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--bundle", type=Path, default=default_bundle())
    parser.add_argument("--events", nargs="*", default=None)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    app = QApplication(sys.argv[:1])
    load_fonts()
    bundle = load_bundle(args.bundle)
    clock = ManualClock()  # the countdown and the attract loop come when the script says
    window = MainWindow(bundle, clock=clock)
    window.map_view.reduced_motion = True  # every picture shows where a flight would land
    window.resize(width, height)
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        for _ in range(3):
            app.processEvents()
        # The map is drawn from tiles rendered in a worker: let the map come to rest (it then
        # gets tiles at its exact scale) and wait for them, so no picture shows a stand-in.
        deadline = time.monotonic() + 0.4
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        window.map_view.tiles.wait()
        for _ in range(3):
            app.processEvents()
        window.grab().save(str(args.out / name))
        print(args.out / name)

    events = args.events or [bundle.events[i].id for i in (2, 8, 11)]
    for language in bundle.manifest.languages:
        window.state.set_language(language)
        window.state.select(None)
        window.map_view.show_whole_city()
        shot(f"map-{language}.png")
        for event_id in events:
            window.state.select(event_id)
            shot(f"panel-{event_id}-{language}.png")
        quoted = next((e for e in bundle.events if e.quotes), None)
        if quoted is not None:
            window.quote_view.show_quote(quoted.quotes[0])
            shot(f"quote-{language}.png")
            window.quote_view.close_quote()
    view = window.map_view
    window.state.set_language(bundle.default_language)
    window.state.select(None)
    view.show_whole_city()
    if view.cluster_items:
        view.open_cluster(max(view.cluster_items, key=lambda c: len(c.members)))
        shot("cluster-opened.png")
    view.show_whole_city()
    view.zoom_by(bundle.manifest.map.max_zoom, QPointF(view.viewport().rect().center()))
    if view.cluster_items:
        crowd = view.cluster_items[0]
        view.set_camera(Camera(crowd.pos().x(), crowd.pos().y(), view.transform().m11()))
        view.open_cluster(crowd)
        shot("cluster-fanned.png")
    # Between visitors and for every visitor: the timeline, both modes, the countdown, the loop.
    window.state.select(None)
    view.show_whole_city(animated=False)
    busiest = max(bundle_days(bundle), key=lambda day: len(events_on(bundle, day)))
    window.state.set_day(busiest)
    shot("timeline-day.png")
    window.state.select(events_on(bundle, busiest)[0])
    window.state.set_appearance(Appearance(large_text=True))
    shot("large-text.png")
    window.state.set_appearance(Appearance(high_contrast=True))
    shot("high-contrast.png")
    window.state.set_appearance(Appearance())
    clock.advance(window.idle.idle_seconds + 3)
    shot("countdown.png")
    clock.advance(window.idle.countdown_seconds)
    clock.advance(MOVE_SECONDS + FADE_SECONDS)  # the first stop's card has faded in
    shot("attract.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
