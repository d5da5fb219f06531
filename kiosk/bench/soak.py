"""Memory soak: thousands of scripted visitor interactions inside the real event loop.

One cycle of interactions does what visitors do: taps a marker (the panel opens), opens one of
its quotations and closes it, opens a person named by the event and goes back, closes the panel,
pans, pinches in and out, switches the language, picks a day on the timeline and clears it, plays
the story for a few seconds and stops it, opens and closes the credits. Every `ATTRACT_EVERY`
cycles the exhibit goes idle into the attract loop for a while and a tap wakes it up. Control goes
back to `QApplication.exec()` after every interaction, so `deleteLater` and timers run as they do
on the exhibit.

Measured at the same point of a cycle, after warm-up (the first tenth of the interactions) and at
the end, each time after a garbage collection and a turn of the event loop: the resident set size
(/proc/self/statm), the QObjects alive under the application and its windows (walked
recursively), shiboken's count of valid Python wrappers, and the map scene's items.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF

from kiosk.bench.harness import (
    Script,
    Sleep,
    Steps,
    Touchscreen,
    live_qobjects,
    load_for_ui,
    python_wrappers,
    rss_bytes,
    use_offscreen_screen,
)
from kiosk.bench.tap import tappable_markers

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.shell.main_window import MainWindow

ATTRACT_EVERY = 40  # cycles; the first is in the warm-up, so its one-off set-up is not a leak
MOVES = 3  # touch updates per pan or pinch: each is a real frame, and a pinch's are costly
STEP_S = 1 / 60
MB = 1024 * 1024


class _Session:
    def __init__(
        self,
        app: QApplication,
        window: MainWindow,
        clock: Any,
        interactions: int,
        budget_s: float,
        markers: int,
    ) -> None:
        self.app = app
        self.window = window
        self.clock = clock
        self.target = interactions
        self.budget_s = budget_s
        self.markers = markers
        self.period = 1
        self.out_of_time = False
        self.done = 0
        self.cycles = 0
        self.script = Script(app)
        self.touch = Touchscreen()
        self.snapshots: dict[str, dict[str, Any]] = {}
        self.classes: dict[str, Counter[str]] = {}
        self.series: list[tuple[int, float]] = []
        self.peak = 0.0  # the highest RSS (MB) after any cycle
        self.timeline: list[float] = []
        self.languages = window.bundle.manifest.languages
        self.days = sorted({e.date for e in window.bundle.events})

    # -- one interaction each ------------------------------------------------------------------

    def _count(self) -> Steps:
        self.done += 1
        self.clock.advance(0.5)  # a visitor's half second between actions
        yield Sleep(0)

    def tap(self, pos: QPointF) -> Steps:
        viewport = self.window.map_view.viewport()
        self.touch.send(viewport, "press", {0: pos})
        yield Sleep(0)
        self.clock.advance(0.08)
        self.touch.send(viewport, "release", {0: pos})
        yield from self._count()

    def drag(self, delta: tuple[int, int]) -> Steps:
        viewport = self.window.map_view.viewport()
        start = QPointF(viewport.width() / 2, viewport.height() / 2)
        self.touch.send(viewport, "press", {0: start})
        for step in range(1, MOVES + 1):
            self.clock.advance(STEP_S)
            point = start + QPointF(delta[0], delta[1]) * step / MOVES
            self.touch.moves(viewport, {}, {0: point})
            yield Sleep(0)
        self.touch.send(viewport, "release", {0: point})
        self.window.map_view.stop_motion()
        yield from self._count()

    def pinch(self, start_gap: int, end_gap: int) -> Steps:
        viewport = self.window.map_view.viewport()
        centre = QPointF(viewport.width() / 2, viewport.height() / 2)

        def fingers(gap: float) -> dict[int, QPointF]:
            return {0: centre - QPointF(gap / 2, 0), 1: centre + QPointF(gap / 2, 0)}

        self.touch.send(viewport, "press", fingers(start_gap))
        for step in range(1, MOVES + 1):
            self.clock.advance(STEP_S)
            self.touch.moves(
                viewport, {}, fingers(start_gap + (end_gap - start_gap) * step / MOVES)
            )
            yield Sleep(0)
        self.touch.send(viewport, "release", fingers(end_gap))
        yield from self._count()

    def call(self, action: Callable[[], object]) -> Steps:
        action()
        yield from self._count()

    # -- cycles --------------------------------------------------------------------------------

    def cycle(self) -> Steps:
        window = self.window
        view = window.map_view
        view.stop_motion()
        view.show_whole_city(animated=False)
        yield Sleep(0)
        targets = tappable_markers(window)[: self.markers]
        if not targets:
            raise RuntimeError("no marker can be tapped on the whole-city map")
        # What a cycle does depends only on its place in the period, so two snapshots taken at
        # the start of a period find the exhibit in the same state (the same event last shown).
        k = self.cycles % self.period
        event_id, pos = targets[k % len(targets)]
        variant = k // len(targets)
        yield from self.tap(pos)
        if window.state.selected != event_id:
            raise RuntimeError(f"tapping {event_id} selected {window.state.selected}")
        event = window.bundle.event(event_id)
        self.clock.advance(30)  # the flight to the event ends at its next tick
        yield Sleep(20)
        if event.quotes:
            quote = event.quotes[variant % len(event.quotes)]
            yield from self.call(lambda: window.panel.quote_requested.emit(quote))
            yield from self.call(window.quote_view.close_quote)
        if event.people:
            person = event.people[variant % len(event.people)]
            yield from self.call(lambda: window.panel.person_requested.emit(person))
            yield from self.call(window.person_panel.back_requested.emit)
        yield from self.call(window.panel.close_requested.emit)
        view.stop_motion()
        yield from self.drag((240, 90))
        yield from self.pinch(200, 500)
        yield from self.drag((-200, -60))
        yield from self.pinch(500, 200)
        language = self.languages[(k + 1) % len(self.languages)]
        yield from self.call(lambda: window.state.set_language(language))
        day = self.days[k % len(self.days)]
        yield from self.call(lambda: window.state.set_day(day))
        yield from self.call(lambda: window.state.set_day(None))
        yield from self.call(window.timeline.play_requested.emit)  # play the story
        for _ in range(4):
            self.clock.advance(1.0)
            yield Sleep(0)
        yield from self.call(window.timeline.play_requested.emit)  # and stop it
        yield from self.call(window.credits_button.click)
        yield from self.call(window.credits_panel.close_requested.emit)
        if self.cycles % ATTRACT_EVERY == 0:
            yield from self.attract_cycle()
        self.cycles += 1

    def attract_cycle(self) -> Steps:
        window = self.window
        yield from self.call(window.start_attract)
        for _ in range(40):  # forty seconds of the loop: flights between stops, the overlay
            self.clock.advance(1.0)
            yield Sleep(0)
        viewport = window.map_view.viewport()
        yield from self.tap(QPointF(viewport.width() * 0.3, viewport.height() * 0.6))  # wake
        if window.idle.phase.name != "ACTIVE":
            raise RuntimeError(f"a tap did not wake the exhibit (phase {window.idle.phase})")

    def snapshot(self, name: str) -> Steps:
        for _ in range(3):  # deferred deletions posted by deletions run on the next turns
            gc.collect()
            yield Sleep(0)
        classes = live_qobjects(self.app)
        self.classes[name] = classes
        self.snapshots[name] = {
            "interactions": self.done,
            "cycles": self.cycles,
            "rss_mb": round(rss_bytes() / MB, 2),
            "qobjects": classes.total(),
            "python_wrappers": python_wrappers(),
            "scene_items": len(self.window.map_view.scene().items()),
        }

    def session(self) -> Steps:
        yield self.script.frame(self.window.map_view.viewport(), timeout_ms=60_000)
        yield Sleep(200)
        reachable = len(tappable_markers(self.window)[: self.markers])
        self.period = max(1, reachable) * len(self.languages)
        warm_up = self.target // 10
        started = time.perf_counter()
        while self.done < warm_up or self.cycles % self.period:
            yield from self.cycle()
            self.peak = max(self.peak, round(rss_bytes() / MB, 2))
        yield from self.snapshot("after_warm_up")
        while self.done < self.target or self.cycles % self.period:
            if time.perf_counter() - started > self.budget_s and not self.cycles % self.period:
                self.out_of_time = True  # reported: the soak stopped short of its count
                break
            yield from self.cycle()
            rss = round(rss_bytes() / MB, 2)
            self.peak = max(self.peak, rss)
            if self.cycles % 10 == 0:
                self.series.append((self.done, rss))
        yield from self.snapshot("end")
        self.timeline.append(time.perf_counter() - started)


def _difference(before: Counter[str], after: Counter[str]) -> dict[str, int]:
    """Classes whose number of live objects changed, and by how much."""
    names = sorted(set(before) | set(after))
    return {name: after[name] - before[name] for name in names if after[name] != before[name]}


def run(
    bundle_path: Path, *, interactions: int, budget_s: float = 1e9, markers: int = 6
) -> dict[str, Any]:
    """Run at least `interactions` interactions (whole periods of cycles through `markers`
    markers), or stop at a period's end after `budget_s` seconds, which the result says
    (`stopped_by_time_budget`)."""
    use_offscreen_screen(1920, 1080)
    from PySide6.QtWidgets import QApplication

    from kiosk.runtime.memory import tune_allocator
    from kiosk.ui.journey.theme import load_fonts
    from kiosk.ui.qt.clock import ManualClock
    from kiosk.ui.qt.housekeeping import start_housekeeping
    from kiosk.ui.qt.picture_cache import limit_qt_pixmap_cache
    from kiosk.ui.shell.main_window import MainWindow

    tune_allocator()  # as the kiosk does (kiosk/app.py)
    app = QApplication([])
    limit_qt_pixmap_cache()  # as the kiosk does
    start_housekeeping(app)  # as the kiosk does
    load_fonts()
    bundle = load_for_ui(bundle_path)
    clock = ManualClock()
    window = MainWindow(bundle, clock=clock)
    window.resize(1920, 1080)
    window.show()
    session = _Session(app, window, clock, interactions, budget_s, markers)
    session.script.run(session.session())
    start, end = session.snapshots["after_warm_up"], session.snapshots["end"]
    window.close()
    return {
        "after_warm_up": start,
        "end": end,
        "rss_growth_mb": round(end["rss_mb"] - start["rss_mb"], 2),
        "rss_max_mb": max(session.peak, start["rss_mb"], end["rss_mb"]),
        "qobject_growth": end["qobjects"] - start["qobjects"],
        "qobject_growth_by_class": _difference(
            session.classes["after_warm_up"], session.classes["end"]
        ),
        "wrapper_growth": end["python_wrappers"] - start["python_wrappers"],
        "scene_item_growth": end["scene_items"] - start["scene_items"],
        "interactions": session.done,
        "interactions_planned": interactions,
        "stopped_by_time_budget": session.out_of_time,
        "cycles": session.cycles,
        "cycle_period": session.period,
        "attract_cycles": (session.cycles + ATTRACT_EVERY - 1) // ATTRACT_EVERY,
        "rss_series_mb": session.series,
        "seconds": round(session.timeline[0], 1) if session.timeline else None,
    }
