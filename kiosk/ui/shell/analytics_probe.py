"""Listens to the exhibit's signals and tells the analytics recorder what visitors do.

A session runs from the first touch after the attract loop (or, on a kiosk that never showed the
loop, the first touch at all) to the idle reset; it also ends when the kiosk stops or a content
update swaps the exhibit. Its length is first touch to last touch, so the idle wait and the
"Still there?" countdown are not counted as use. An event panel or quotation left open when the
visitor walks away counts as open until the countdown began. Touches on the map are kept as cells
of `TAP_CELL_M` metres in map coordinates, except the touch that only ends the attract loop or the
countdown (it taps nothing).

Every visitor is counted the same way (issue 19): a key of the visitor's keypad is activity like
a touch (it starts a session and moves its last touch) and is recorded by what it did; a session
during which a screen reader was connected to the kiosk is marked once; each narration is
recorded with the event heard, for how long, and whether a recording or the system's voice spoke.

Only bound methods are connected (never lambdas capturing a panel, which would keep it alive),
and every connection to a swapped-out window is undone. Times come from the window's `Clock`
(injectable in tests), turned into wall-clock seconds from a reading of the wall clock taken when
each session starts.
"""

from __future__ import annotations

import datetime as dt
import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPointF
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

from kiosk.analytics.recorder import Recorder
from kiosk.analytics.schema import TAP_CELL_M
from kiosk.ui.journey.idle import Phase
from kiosk.ui.shell.main_window import MainWindow

if TYPE_CHECKING:
    from kiosk.runtime.config import InstallationConfig
    from kiosk.ui.shell.host import BundleHost


@dataclass
class _Open:
    """Something on screen whose time open is measured: an event panel or a quotation."""

    subject: str
    since: float  # window clock
    via: str | None = None


@dataclass
class _Session:
    key: str
    started: float  # window clock
    last_touch: float
    languages: list[str] = field(default_factory=list)
    touches: int = 0
    screen_reader: bool = False  # recorded already for this session


class AnalyticsProbe(QObject):
    """Feeds a `Recorder` from one exhibit window at a time (the host's current one)."""

    def __init__(
        self,
        recorder: Recorder,
        wall: Callable[[], float] = time.time,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.recorder = recorder
        self._wall = wall
        self._host: BundleHost | None = None
        self._window: MainWindow | None = None
        self._connections: list[tuple[Any, Callable[..., None]]] = []
        self._clock_base = 0.0
        self._wall_base = 0.0
        self._phase = Phase.ACTIVE
        self._attract_since: float | None = None
        self._countdown_since: float | None = None
        self._playing = False
        self._swallowed = False  # the coming press only woke the kiosk (taps nothing)
        self.session: _Session | None = None
        self._event: _Open | None = None
        self._quote: _Open | None = None
        self._narration: _Open | None = None

    # --- what it watches -----------------------------------------------------------------

    def watch_host(self, host: BundleHost) -> None:
        """Record the host's exhibit, and the next one whenever a bundle is swapped in."""
        self._host = host
        host.bundle_loaded.connect(self._bundle_loaded)
        if host.exhibit is not None:
            self.attach(host.exhibit)

    def _bundle_loaded(self, _bundle: object) -> None:
        if self._host is not None and self._host.exhibit is not None:
            self.attach(self._host.exhibit)

    def attach(self, window: MainWindow) -> None:
        """Record `window` from now on (ending the session of the window before, if any)."""
        if window is self._window:
            return
        self.detach("content")
        self._window = window
        self._clock_base = window.clock.now()
        self._wall_base = self._wall()
        self._phase = window.idle.phase
        self._attract_since = self._clock_base if self._phase is Phase.ATTRACT else None
        self._playing = window.player.playing
        self._connect(window.idle.phase_changed, self._phase_changed)
        self._connect(window.touches.pressed, self._pressed)
        self._connect(window.state.selection_changed, self._selection_changed)
        self._connect(window.state.day_changed, self._day_changed)
        self._connect(window.state.language_changed, self._language_changed)
        self._connect(window.player.playing_changed, self._playing_changed)
        self._connect(window.panel.quote_requested, self._quote_opened)
        self._connect(window.quote_view.closed, self._quote_closed)
        self._connect(window.panel.person_requested, self._person_opened)
        self._connect(window.quote_view.person_requested, self._person_opened)
        self._connect(window.credits_button.clicked, self._credits_opened)
        self._connect(window.keypad.used, self._keypad_used)
        self._connect(window.narration.started, self._narration_started)
        self._connect(window.narration.changed, self._narration_changed)

    def detach(self, reason: str = "stopped") -> None:
        """Stop recording the current window, ending its session for `reason`."""
        if self._window is None:
            return
        self._end_session(reason, self._now())
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []
        self._window = None

    def shutdown(self) -> None:
        """The kiosk is stopping: end the session and write everything out."""
        self.detach("stopped")
        self.recorder.close()

    def _connect(self, signal: Any, slot: Callable[..., None]) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    # --- time ---------------------------------------------------------------------------

    def _now(self) -> float:
        assert self._window is not None
        return self._window.clock.now()

    def _wall_at(self, clock_time: float) -> float:
        return self._wall_base + (clock_time - self._clock_base)

    # --- sessions ------------------------------------------------------------------------

    def _start_session(self, now: float) -> _Session:
        assert self._window is not None
        bundle = self._window.bundle
        language = self._window.state.language
        session = _Session(uuid.uuid4().hex, now, now, [language])
        # The wall clock is read afresh for each session (a kiosk that booted before its clock
        # was set right follows the correction); within a session, the window's clock counts.
        self._clock_base, self._wall_base = now, self._wall()
        wall = self._wall_at(now)
        offset = dt.datetime.fromtimestamp(wall).astimezone().utcoffset() or dt.timedelta()
        self.recorder.session_start(
            session.key,
            bundle.manifest.id,
            bundle.manifest.version,
            wall,
            round(offset.total_seconds() / 60),
            language,
        )
        self.session = session
        self._screen_reader_check()
        return session

    def _end_session(self, reason: str, now: float) -> None:
        session = self.session
        if session is None:
            return
        left = self._countdown_since if self._countdown_since is not None else now
        self._close_event(left)
        self._close_quote(left)
        self._close_narration(now)
        self.recorder.session_end(
            session.key,
            self._wall_at(session.last_touch),
            self._wall_at(now),
            reason,
            session.languages,
            session.touches,
        )
        self.session = None

    def _action(
        self,
        kind: str,
        subject: str | None = None,
        seconds: float | None = None,
        at: float | None = None,
        via: str | None = None,
    ) -> None:
        if self.session is not None:
            when = self._now() if at is None else at
            self.recorder.action(self.session.key, self._wall_at(when), kind, subject, seconds, via)

    def _phase_changed(self, phase: Phase) -> None:
        before, self._phase = self._phase, phase
        now = self._now()
        if phase is Phase.ACTIVE:
            if self.session is None:
                self._start_session(now)
            self._swallowed = before is not Phase.ACTIVE
            if before is Phase.ATTRACT and self._attract_since is not None:
                self._action("attract_interrupted", seconds=now - self._attract_since)
            elif before is Phase.COUNTDOWN:
                self._action("countdown_rescued")
            self._attract_since = self._countdown_since = None
        elif phase is Phase.COUNTDOWN:
            self._countdown_since = now
        elif phase is Phase.ATTRACT:
            self._end_session("idle", now)
            self._attract_since = now
            self._countdown_since = None

    def _pressed(self, pos: QPointF) -> None:
        now = self._now()
        session = self.session or self._start_session(now)
        session.touches += 1
        session.last_touch = now
        # A touch that only ended the attract loop or the countdown did nothing on the map (and
        # the map moves under it as the loop stops): the heat-map shows touches that act.
        swallowed, self._swallowed = self._swallowed, False
        cell = None if swallowed else self._map_cell(pos)
        if cell is not None:
            self.recorder.tap(session.key, self._wall_at(now), *cell)

    def _map_cell(self, pos: QPointF) -> tuple[int, int] | None:
        """The grid cell of the map under a window position, None if the map is not there."""
        window = self._window
        assert window is not None
        view = window.map_view
        # `pos` is in the top-level window (the BundleHost around the exhibit, in the kiosk).
        top = window.window()
        under = top.childAt(pos.toPoint())
        if under is None or not (under is view or view.isAncestorOf(under)):
            return None  # a panel, the timeline, a button: not the map
        to_scene, _invertible = view.viewportTransform().inverted()
        scene = to_scene.map(view.viewport().mapFrom(top, pos))
        if not view.sceneRect().contains(scene):
            return None  # the table around the map sheet
        return math.floor(scene.x() / TAP_CELL_M), math.floor(scene.y() / TAP_CELL_M)

    # --- what the visitor looks at -------------------------------------------------------

    def _visitor_time(self) -> bool:
        # During the countdown only the reset changes the state; the visitor has gone.
        return self.session is not None and self._phase is not Phase.COUNTDOWN

    def _close_event(self, at: float) -> None:
        if self._event is not None:
            opened, self._event = self._event, None
            self._action(
                "event",
                opened.subject,
                max(0.0, at - opened.since),
                at=opened.since,
                via=opened.via,
            )

    def _close_quote(self, at: float) -> None:
        if self._quote is not None:
            opened, self._quote = self._quote, None
            self._action("quote", opened.subject, max(0.0, at - opened.since), at=opened.since)

    def _selection_changed(self, event_id: str | None) -> None:
        self._screen_reader_check()
        now = self._now()
        self._close_event(self._countdown_since if self._countdown_since is not None else now)
        if event_id is not None and self._visitor_time():
            self._event = _Open(event_id, now, "play" if self._playing else "visitor")

    def _quote_opened(self, quote_id: str) -> None:
        now = self._now()
        self._close_quote(now)
        if self._visitor_time():
            self._quote = _Open(quote_id, now)

    def _quote_closed(self) -> None:
        now = self._now()
        self._close_quote(self._countdown_since if self._countdown_since is not None else now)

    def _person_opened(self, person_id: str) -> None:
        if self._visitor_time():
            self._action("person", person_id)

    def _credits_opened(self) -> None:
        if self._visitor_time():
            self._action("credits")

    def _day_changed(self, day: dt.date | None) -> None:
        if day is not None and not self._playing and self._visitor_time():
            self._action("day", day.isoformat())

    def _playing_changed(self, playing: bool) -> None:
        self._playing = playing
        if playing and self._visitor_time():
            self._action("play")

    def _language_changed(self, language: str) -> None:
        session = self.session
        if session is not None and self._visitor_time():
            if language not in session.languages:
                session.languages.append(language)
            self._action("language", language)

    # --- every visitor: keypad, screen readers, narration ---------------------------------

    def _screen_reader_check(self) -> None:
        """Mark the session once if a screen reader is connected (Qt's bridge is active)."""
        session = self.session
        if session is not None and not session.screen_reader and QAccessible.isActive():
            session.screen_reader = True
            self._action("screen_reader")

    def _keypad_used(self, action: str) -> None:
        now = self._now()
        session = self.session or self._start_session(now)
        session.last_touch = now  # a key is a visitor being there, as a touch is
        self._action("keypad", action)

    def _narration_started(self, via: str) -> None:
        assert self._window is not None
        now = self._now()
        self._close_narration(now)
        if self._visitor_time():
            self._narration = _Open(self._window.narration.event_id or "", now, via)

    def _narration_changed(self, event_id: str | None) -> None:
        if event_id is None:
            self._close_narration(self._now())

    def _close_narration(self, at: float) -> None:
        if self._narration is not None:
            heard, self._narration = self._narration, None
            self._action(
                "narration",
                heard.subject or None,  # None: the keypad's help, said by the system's voice
                max(0.0, at - heard.since),
                at=heard.since,
                via=heard.via,
            )


def start_analytics(host: BundleHost, config: InstallationConfig) -> AnalyticsProbe | None:
    """Record visitors on `host` if the installation has an `analytics_folder`, else nothing."""
    if config.analytics_folder is None:
        return None
    recorder = Recorder(config.analytics_folder, config.kiosk_name)
    probe = AnalyticsProbe(recorder, parent=host)
    probe.watch_host(host)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(probe.shutdown)
    return probe
