"""Drive the real kiosk window with synthetic touch, as visitors would, recording analytics.

    .venv/bin/python scripts/simulate_visitors.py FOLDER [--visitors 120] [--days 3]
        [--kiosk-name "Hall 1"] [--seed 1] [--bundle DIR]

Makes FOLDER/kiosk-analytics.sqlite3 the way a kiosk does: the real MainWindow (offscreen), the
real AnalyticsProbe and Recorder, and QTest touch events sent to the window. Visitors arrive
through opening hours (more around midday), stop the attract loop, pan the map, tap markers
(some events are much more popular than others), read, open quotations and people, switch
language, choose days, play the story, and walk away (the idle reset ends the session). Time runs
on a ManualClock, so days of visitors take minutes. For trying the report:

    python -m kiosk report FOLDER/kiosk-analytics.sqlite3 --out /tmp/report
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# A 1920x1080 offscreen screen, as in the tests (on the default 800x800 one, touches further
# right or down belong to no screen).
os.environ.setdefault(
    "QT_QPA_PLATFORM",
    "offscreen:configfile=" + str(Path(__file__).parent.parent / "tests/offscreen-screen.json"),
)

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.analytics.recorder import Recorder
from kiosk.content import load_bundle
from kiosk.paths import default_bundle
from kiosk.ui.journey.idle import COUNTDOWN_SECONDS, Phase
from kiosk.ui.journey.theme import load_fonts
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell.analytics_probe import AnalyticsProbe
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.touch import drag, tap


class Visitors:
    def __init__(self, window: MainWindow, clock: ManualClock, seed: int) -> None:
        self.window = window
        self.clock = clock
        self.random = random.Random(seed)
        self.device: QPointingDevice = QTest.createTouchDevice()
        events = [e.id for e in window.bundle.events]
        # Popularity: a few events draw most visitors, some are rarely opened or never.
        self.weights = {e: self.random.paretovariate(1.2) for e in events}
        for rare in self.random.sample(events, k=max(1, len(events) // 6)):
            self.weights[rare] = 0.0

    def wait(self, seconds: float) -> None:
        self.clock.advance(seconds)
        view = self.window.map_view
        view.advance_motion()
        QApplication.processEvents()

    def tap(self, widget: QWidget, pos: QPointF | None = None) -> None:
        tap(widget, self.device, pos if pos is not None else QPointF(widget.rect().center()))
        self.wait(self.random.uniform(0.4, 2.0))

    def bare_map(self) -> QPointF:
        view = self.window.map_view
        for _ in range(50):
            point = QPointF(
                self.random.uniform(100, view.viewport().width() - 100),
                self.random.uniform(150, view.viewport().height() - 100),
            )
            if view.marker_at(point) is None:
                return point
        return QPointF(view.viewport().width() / 2, view.viewport().height() / 2)

    def open_event(self, event_id: str) -> bool:
        view = self.window.map_view
        marker = view.markers[event_id]
        pos = view.marker_screen_pos(event_id)
        if not marker.isVisible() or not view.viewport().rect().contains(pos.toPoint()):
            view.reveal(event_id)
            self.wait(3)
            pos = view.marker_screen_pos(event_id)
        if view.marker_at(pos) is not marker:
            return False
        self.tap(view.viewport(), pos)
        self.wait(2)
        return self.window.state.selected == event_id

    def visit(self) -> None:
        window, rnd = self.window, self.random
        self.tap(window.map_view.viewport(), self.bare_map())  # ends the attract loop
        if rnd.random() < 0.22:
            self.tap(window.bottom_bar.language_buttons[rnd.choice(["ru", "en"])])
        events = [e for e, w in self.weights.items() if w > 0]
        weights = [self.weights[e] for e in events]
        for _ in range(max(1, int(rnd.expovariate(1 / 3)))):
            if rnd.random() < 0.3:  # look around the map first
                drag(
                    window.map_view.viewport(),
                    self.device,
                    self.bare_map(),
                    (rnd.randint(-300, 300), rnd.randint(-200, 200)),
                    steps=6,
                )
                self.wait(1)
            if rnd.random() < 0.15:
                days = sorted(window.timeline.day_buttons)
                self.tap(window.timeline.day_buttons[rnd.choice(days)])
            event_id = rnd.choices(events, weights)[0]
            if not self.open_event(event_id):
                continue
            self.wait(rnd.lognormvariate(2.8, 0.7))  # reading: ~16 s typical, up to minutes
            quotes = window.panel.findChildren(QWidget, "quote")
            if quotes and rnd.random() < 0.35:
                quote = quotes[0]
                window.panel._scroll.ensureWidgetVisible(quote)
                QApplication.processEvents()
                self.tap(quote)
                if window.quote_view.isVisible():
                    self.wait(rnd.lognormvariate(2.3, 0.6))
                    self.tap(window.quote_view.close_button)
            people = [
                b
                for b in window.panel.findChildren(QAbstractButton)
                if b.objectName().startswith("person-")
            ]
            if people and rnd.random() < 0.2:
                button = rnd.choice(people)
                window.panel._scroll.ensureWidgetVisible(button)
                QApplication.processEvents()
                self.tap(button)
                self.wait(rnd.uniform(5, 25))
                if window.person_panel.isVisible():
                    self.tap(window.person_panel.back_button)
            if rnd.random() < 0.5 and window.panel.isVisible():
                self.tap(window.panel.close_button)
        if rnd.random() < 0.08:
            self.tap(window.timeline.play_button)
            self.wait(rnd.uniform(20, 60))
            if window.player.playing:
                self.tap(window.timeline.play_button)
        if rnd.random() < 0.04:
            self.tap(window.credits_button)
            self.wait(8)
        if rnd.random() < 0.1:  # answers "Still there?" and stays a little longer
            self.wait(window.idle.idle_seconds + 3)
            self.tap(window.map_view.viewport(), self.bare_map())
        # Walks away: the idle time and the countdown run out, the kiosk resets.
        self.wait(window.idle.idle_seconds + COUNTDOWN_SECONDS + 1)
        assert window.idle.phase is Phase.ATTRACT


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--visitors", type=int, default=120)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--kiosk-name", default="Hall 1")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bundle", type=Path, default=default_bundle())
    parser.add_argument("--start", default="2026-11-20", help="the first day (YYYY-MM-DD)")
    args = parser.parse_args()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    load_fonts()
    bundle = load_bundle(args.bundle)
    clock = ManualClock()
    window = MainWindow(bundle, clock=clock)
    window.resize(1920, 1080)
    window.show()
    QApplication.processEvents()
    window.start_attract()
    recorder = Recorder(args.folder, args.kiosk_name)
    wall = {"now": 0.0}
    probe = AnalyticsProbe(recorder, wall=lambda: wall["now"])
    visitors = Visitors(window, clock, args.seed)
    rnd = random.Random(args.seed + 1000)
    first = dt.datetime.fromisoformat(args.start)
    per_day = max(1, args.visitors // args.days)
    done = 0
    gone = 0.0  # when the last visitor's session ended (wall clock)
    for day in range(args.days):
        # Arrivals between 10:00 and 18:00, busiest around 13:00.
        hours = sorted(min(17.9, max(10.0, rnd.gauss(13.3, 2.0))) for _ in range(per_day))
        for hour in hours:
            arrives = (first + dt.timedelta(days=day, hours=hour)).timestamp()
            wall["now"] = max(arrives, gone)  # one visitor at a time at this kiosk
            probe.detach()  # between visitors: nothing open; re-attach at the new time
            probe.attach(window)
            start = clock.now()
            visitors.wait(rnd.uniform(3, 40))  # the attract loop runs a while
            visitors.visit()
            gone = wall["now"] + clock.now() - start
            done += 1
            print(f"\rvisitors: {done}", end="", flush=True)
    probe.shutdown()
    print(f"\n{recorder.path}: {done} visitors, {recorder.dropped} records dropped")
    window.close()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
