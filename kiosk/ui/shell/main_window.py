"""The kiosk's window: the map filling the screen; title, timeline, bottom bar and panel over it.

The window only wires signals: markers and buttons change the `KioskState`, and every view
follows the state. Overlays are laid out by hand so the map always fills the whole screen.
It also looks after the time between visitors: a `TouchWatcher` sees every touch, the
`IdleMonitor` turns silence into the "Still there?" countdown and then a reset, and the
`AttractLoop` runs until the next touch (which only ends the loop; it taps nothing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QTimer
from PySide6.QtGui import QFontMetricsF, QResizeEvent, QShowEvent

from kiosk.content import Bundle
from kiosk.runtime import memory
from kiosk.ui.access.exhibit_screen import ExhibitScreen
from kiosk.ui.access.keypad import Keypad
from kiosk.ui.access.listen import ListenBar
from kiosk.ui.access.narration import Narration
from kiosk.ui.access.screen_reader import ScreenReader
from kiosk.ui.journey import theme
from kiosk.ui.journey.attract import AttractLoop, AttractOverlay
from kiosk.ui.journey.chrome import Attribution, BottomBar, TitleCard
from kiosk.ui.journey.idle import CountdownOverlay, IdleMonitor, Phase, TouchWatcher
from kiosk.ui.journey.options import DisplayOptions
from kiosk.ui.journey.state import KioskState
from kiosk.ui.journey.timeline import TimelineBar, TimelinePlayer, events_between
from kiosk.ui.map.labels import MapLabelLayer, marker_obstacles
from kiosk.ui.map.motion import Camera
from kiosk.ui.map.view import MapView
from kiosk.ui.panels.credits import CreditsButton, CreditsPanel
from kiosk.ui.panels.event import PANEL_PADDING, EventPanel
from kiosk.ui.panels.parts import fill_background
from kiosk.ui.panels.people import PersonPanel
from kiosk.ui.panels.picture_viewer import PictureViewer
from kiosk.ui.panels.quote import QuoteView
from kiosk.ui.qt.clock import Clock, SystemClock

MARGIN = 24
PANEL_AHEAD_MS = 1  # a timer, not a posted call: it fires after the press feedback's paint
SCROLLBAR_ALLOWANCE = 24  # the panel's scroll bar, when its text is longer than the screen
QUOTE_INDENT = 22  # quotations sit this much further in than the panel's text
LINE_SLACK = 0.95  # lines of narrow letters hold more than the average number of characters
SAMPLE_CHARACTERS = 50_000  # of each language's running text, to measure its letters' width
GIVE_BACK_AFTER_MS = 2000  # after the attract loop starts (the reset's deletions have run)


@dataclass(frozen=True)
class Place:
    """Where a visitor (or a curator in the preview) is: what a reloaded bundle's window takes
    over from the one before. The map's view is kept as the point at its centre (latitude,
    longitude) and the zoom, so it survives a change of the map's bounds."""

    language: str
    selected: str | None
    day: dt.date | None
    appearance: theme.Appearance
    centre: tuple[float, float]  # latitude, longitude at the middle of the map's view
    zoom: float  # as a multiple of the whole-city view
    panel_scroll: int


class MainWindow(ExhibitScreen):
    """Map, title card, timeline, bottom bar, attribution and the event panel, for one bundle."""

    def __init__(
        self,
        bundle: Bundle,
        language: str | None = None,
        options: DisplayOptions | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        self.bundle = bundle
        self.options = options or DisplayOptions()
        self.clock = clock or SystemClock(self)
        self.state = KioskState(bundle, language)
        # The theme draws in this window's appearance: applied now, and on every change before
        # any view restyles itself (slots run in the order they were connected).
        theme.apply(self.state.appearance)
        self.state.appearance_changed.connect(theme.apply)
        self.setObjectName("kiosk-window")
        self.setWindowTitle(bundle.manifest.title.get(bundle.default_language, "Kiosk"))

        self.map_view = MapView(
            bundle,
            self.state,
            self,
            reduced_motion=self.options.reduced_motion,
            clock=self.clock.now,  # flights run on the window's (injectable) time too
        )
        self.map_labels = MapLabelLayer(
            bundle,
            self.state,
            marker_obstacles(
                self.map_view.shown_items,
                lambda: self.map_view.shown_generation,
                self.map_view.marker_layer.obstacles,
            ),
        )
        self.map_view.scene().addItem(self.map_labels)
        self.map_view.markers_moved.connect(self.map_labels.relayout)
        # The names are placed ahead for the rungs a pinch meets, once the levels' layouts
        # (their obstacles) are known: a pinch's first frame at a level only looks them up.
        self.map_view.also_ahead(
            lambda: self.map_labels.place_ahead(
                self.map_view.viewport().width(),
                self.map_view.viewport().height(),
                self.map_view.transform().m11(),
                self.map_view.marker_layer.obstacles_at,
            )
        )
        self.title_card = TitleCard(bundle, self.state, self)
        self.attribution = Attribution(bundle, self)
        self.attribution.set_language(self.state.language)
        self.timeline = TimelineBar(bundle, self.state, self)
        self.bottom_bar = BottomBar(bundle, self.state, self)
        self.panel = EventPanel(bundle, self.state, self)
        self.panel.hide()
        self.quote_view = QuoteView(bundle, self.state, self)  # hidden until a quotation is tapped
        self.person_panel = PersonPanel(bundle, self.state, self)
        self.person_panel.hide()
        self.picture_viewer = PictureViewer(bundle, self.state, self)  # hidden until a tap
        self.credits_button = CreditsButton(self.state, self)
        self._credits_panel: CreditsPanel | None = None  # built when first opened
        self.attract_overlay = AttractOverlay(bundle, self)
        self.countdown = CountdownOverlay(self)

        # Parented to the window, so their timers die with it (a swapped bundle's window goes).
        self.player = TimelinePlayer(bundle, self.state, self.clock, self)
        self.attract = AttractLoop(
            bundle,
            self.map_view,
            self.attract_overlay,
            self.clock,
            self.options.reduced_motion,
            parent=self,
        )
        idle_seconds = self.options.idle_seconds or bundle.manifest.idle_seconds
        self.idle = IdleMonitor(self.clock, idle_seconds, parent=self, enabled=self.options.idle)
        self.touches = TouchWatcher(self)

        self.map_view.marker_tapped.connect(self.state.select)
        # While a finger rests on a marker (a tap lasts 50-150 ms), the panel it will open is
        # built, just after the press feedback is painted, so it shows sooner on release.
        self._panel_ahead = QTimer(self)
        self._panel_ahead.setSingleShot(True)
        self._panel_ahead.setInterval(PANEL_AHEAD_MS)
        self._panel_ahead_id: str | None = None
        self._panel_ahead.timeout.connect(self._prepare_panel)
        self.map_view.marker_pressed.connect(self._panel_pressed)
        self.panel.close_requested.connect(self._close_panel)
        self.panel.quote_requested.connect(self.quote_view.show_quote)
        self.panel.picture_requested.connect(self._show_picture)
        self.quote_view.event_requested.connect(self.state.select)
        self.bottom_bar.whole_city_requested.connect(self.map_view.show_whole_city)
        self.bottom_bar.plan_toggled.connect(self.map_view.fade_plan)
        self.timeline.play_requested.connect(self.player.toggle)
        self.player.playing_changed.connect(self._playing_changed)
        self.state.selection_changed.connect(self._selection_changed)
        self.panel.person_requested.connect(self._show_person)
        self.quote_view.person_requested.connect(self._show_person)
        self.person_panel.back_requested.connect(self.person_panel.hide)
        self.person_panel.event_requested.connect(self.state.select)
        self.credits_button.clicked.connect(self._show_credits)
        self.state.day_changed.connect(self._day_changed)
        self.state.language_changed.connect(self._language_changed)
        self.state.appearance_changed.connect(self._appearance_changed)
        self.touches.active.connect(self.idle.touched)
        self.touches.pressed.connect(self._pressed)
        self.idle.phase_changed.connect(self._phase_changed)
        self.idle.countdown_changed.connect(self.countdown.show_seconds)
        self.idle.reset_requested.connect(self.reset_to_start)
        self._text_widths: dict[theme.Appearance, int] = {}
        self._apply_style()
        # Last, so its names and announcements follow every other view's reaction to a change.
        self.screen_reader = ScreenReader(self)
        self.keypad = Keypad(self, self.options.accessibility)
        self.narration = Narration(bundle, self.options.accessibility, self)
        self.listen_bar = ListenBar(self.narration, self.state)
        self.panel.set_listen_bar(self.listen_bar)
        self.narration.changed.connect(self._busy_changed)
        self.keypad.volume_changed.connect(self.narration.set_volume)

    def _show_picture(self, event_id: str, index: int) -> None:
        self.picture_viewer.show_picture(event_id, index)
        self.attract_overlay.raise_()
        self.countdown.raise_()

    def _show_person(self, person_id: str) -> None:
        self.person_panel.show_person(person_id)
        self.person_panel.setGeometry(self.panel.geometry())
        self.person_panel.show()
        self.person_panel.raise_()

    @property
    def credits_panel(self) -> CreditsPanel:
        """The credits, built the first time they are opened: few visitors open them, and
        building them (a long rich text) would delay the exhibit's first frame."""
        if self._credits_panel is None:
            panel = CreditsPanel(self.bundle, self.state, self)
            panel.hide()
            panel.stackUnder(self.attract_overlay)  # where it would be if built with the rest
            panel.close_requested.connect(panel.hide)
            self._credits_panel = panel
            self._layout()
        return self._credits_panel

    @property
    def credits_open(self) -> bool:
        """Whether the credits are on screen (without building them to ask)."""
        return self._credits_panel is not None and self._credits_panel.isVisible()

    def _show_credits(self) -> None:
        self._layout()
        self.credits_panel.show()
        self.credits_panel.raise_()

    # --- the visitor's session --------------------------------------------------------

    def _close_panel(self) -> None:
        self.state.select(None)

    def _panel_pressed(self, event_id: str) -> None:
        self._panel_ahead_id = event_id
        self._panel_ahead.start()

    def _prepare_panel(self) -> None:
        if self._panel_ahead_id is not None and self.state.selected != self._panel_ahead_id:
            self.panel.prepare(self._panel_ahead_id)

    def _selection_changed(self, event_id: str | None) -> None:
        if self.narration.event_id != event_id:
            self.narration.stop()  # never a closed or another event's narration
        self.listen_bar.show_for(event_id)
        self.person_panel.hide()
        if self._credits_panel is not None:
            self._credits_panel.hide()
        if event_id is None:
            self.panel.hide()
            self._layout()
            return
        self.panel.show_event(event_id)
        self.panel.show()
        self.panel.raise_()
        self.attract_overlay.raise_()
        self.countdown.raise_()
        self._layout()
        self.map_view.fly_to(event_id)

    def _language_changed(self, language: str) -> None:
        self.attribution.set_language(language)
        self.narration.stop()  # it spoke the other language
        self.listen_bar.show_for(self.state.selected)
        self._layout()  # the title card's height follows its text

    def _day_changed(self, _first: dt.date | None) -> None:
        span = self.state.day_span
        lit = set(events_between(self.bundle, *span)) if span is not None else None
        for event_id, marker in self.map_view.markers.items():
            marker.set_dimmed(lit is not None and event_id not in lit)

    def _appearance_changed(self, _appearance: theme.Appearance) -> None:
        self._apply_style()
        self.person_panel.restyle()
        if self._credits_panel is not None:
            self._credits_panel.restyle()
        self.credits_button.restyle()
        self.attribution.restyle()
        self.map_labels.restyle()
        self.map_view.viewport().update()  # markers draw their numbers for the new contrast
        if self.panel.isVisible() and self.panel.event_id is not None:
            self.panel.show_event(self.panel.event_id)  # rebuilt in the new text styles
        self._layout()

    def _apply_style(self) -> None:
        fill_background(self, theme.palette().table)
        self.map_view.setBackgroundBrush(theme.palette().table)

    def _playing_changed(self, playing: bool) -> None:
        self.timeline.set_playing(playing)
        self._busy_changed()

    def _busy_changed(self, *_args: object) -> None:
        # Nobody touches the screen while the story plays or a narration is heard.
        self.idle.set_busy(self.player.playing or self.narration.playing)

    def _pressed(self, pos: QPointF) -> None:
        # Any touch stops the story playing, except one on the play control (that one toggles).
        play = self.timeline.play_button
        on_play = play.isVisible() and play.rect().contains(play.mapFrom(self, pos.toPoint()))
        if self.player.playing and not on_play:
            self.player.stop()

    def _phase_changed(self, phase: Phase) -> None:
        self.touches.swallowing = phase is not Phase.ACTIVE
        if phase is Phase.COUNTDOWN:
            self.player.stop()
            self.countdown.language = self.state.language
            self.countdown.total = round(self.idle.countdown_seconds)
            self.countdown.show_seconds(self.idle.seconds_left)
            self.countdown.show()
            self.countdown.raise_()
        else:
            self.countdown.hide()
        if phase is Phase.ATTRACT:
            self.attract.start()
            # The visitor's session is over and its panels, pictures and tiles are let go: the
            # allocator's free pages go back to the system (docs/performance.md, "Memory").
            QTimer.singleShot(GIVE_BACK_AFTER_MS, memory.give_back)
        else:
            self.attract.stop()

    def place(self) -> Place:
        """Where the visitor is now (see `Place`)."""
        camera = self.map_view.camera()
        lat, lon = self.bundle.projection.unproject(camera.x, camera.y)
        return Place(
            language=self.state.language,
            selected=self.state.selected,
            day=self.state.day,
            appearance=self.state.appearance,
            centre=(lat, lon),
            zoom=camera.scale / self.map_view.min_scale,
            panel_scroll=self.panel.scroll_position(),
        )

    def restore_place(self, place: Place) -> None:
        """Go back to `place` at once (no flight), as far as this bundle has it: an event or a
        day it no longer has is left out; a language it lacks gives its default."""
        bundle = self.bundle
        self.state.set_language(place.language)
        self.state.set_appearance(place.appearance)
        dates = bundle.manifest.dates
        self.state.set_day(
            place.day if place.day is not None and dates.contains(place.day) else None
        )
        known = place.selected is not None and any(e.id == place.selected for e in bundle.events)
        self.state.select(place.selected if known else None)
        view = self.map_view
        view.stop_motion()
        x, y = bundle.projection.project(*place.centre)
        view.set_camera(Camera(x, y, place.zoom * view.min_scale))
        if known:
            self.panel.set_scroll_position(place.panel_scroll)

    def start_attract(self) -> None:
        """Begin with the attract loop, as the kiosk does when it starts."""
        self.idle.enter_attract()

    def set_closed(self, closed: bool) -> None:
        """Outside opening hours: back to the start, the attract loop paused, touches ignored.

        Open again, the exhibit begins with its attract loop, as at start-up.
        """
        self.touches.paused = closed
        if closed:
            self.reset_to_start()
            self.idle.enter_attract()  # no countdown or session is left running
            self.attract.stop()
        else:
            self.start_attract()

    def reset_to_start(self) -> None:
        """Back to how the exhibit starts: no panel, default language and look, whole city."""
        self.player.stop()
        self.narration.stop()
        self.quote_view.close_quote()
        self.picture_viewer.close_picture()
        self.person_panel.hide()
        if self._credits_panel is not None:
            self._credits_panel.hide()
        self.state.select(None)
        self.keypad.reset()
        self.state.set_day(None)
        self.state.set_language(self.bundle.default_language)
        self.state.set_appearance(theme.Appearance())
        self.bottom_bar.show_plan(False)  # today's map again
        self.map_view.fade_plan(False, animated=False)
        self.map_view.show_whole_city(animated=False)  # nobody is watching: no flight

    # --- layout ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Touches and keys reach the top-level QWindow first; it exists once the window is shown.
        self.touches.watch(self.window().windowHandle())
        self.keypad.watch(self.window().windowHandle())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout()

    def panel_width(self) -> int:
        """Wide enough for lines of at most about `theme.LINE_CHARACTERS` characters."""
        appearance = theme.appearance()
        if appearance not in self._text_widths:
            self._text_widths[appearance] = self._text_width()
        wanted = self._text_widths[appearance] + 2 * PANEL_PADDING + SCROLLBAR_ALLOWANCE
        return max(min(wanted, round(self.width() * 0.5)), min(480, self.width()))

    def _text_width(self) -> int:
        """The width of `LINE_CHARACTERS` characters of this bundle's running text.

        Measured on the bundle's own texts in all its languages (quotations are shown in the
        language they exist in), in the narrowest of the running-text styles, so the tightest
        text still keeps to the limit whatever language the visitor switches to.
        """
        bundle = self.bundle
        samples: dict[tuple[str, str], list[str]] = {}
        lengths: dict[tuple[str, str], int] = {}

        def add(role: str, language: str, text: str) -> None:
            # Enough text for a steady average; measuring all of a 10,000-event bundle takes
            # seconds of the GUI thread.
            if lengths.get((role, language), 0) < SAMPLE_CHARACTERS:
                samples.setdefault((role, language), []).append(text)
                lengths[role, language] = lengths.get((role, language), 0) + len(text)

        for event in bundle.events:
            for language, text in event.body.items():
                add("body", language, text)
        for quote in bundle.quotes.values():
            for language, text in quote.text.items():
                add("quote", language, text)
        widths = []
        for (role, _language), texts in samples.items():
            style = theme.TEXT_STYLES[role]
            font = theme.font(style.family, style.size, bold=style.bold, italic=style.italic)
            sample = " ".join(" ".join(texts).split())
            per_character = QFontMetricsF(font).horizontalAdvance(sample) / max(1, len(sample))
            margin = QUOTE_INDENT if role == "quote" else 0
            widths.append(per_character * theme.LINE_CHARACTERS * LINE_SLACK + margin)
        return round(min(widths))

    def _layout(self) -> None:
        width, height = self.width(), self.height()
        bar = theme.BAR_HEIGHT
        timeline = theme.TIMELINE_HEIGHT
        above = height - bar - timeline  # everything above the lower controls
        self.map_view.setGeometry(0, 0, width, above)
        self.timeline.setGeometry(0, above, width, timeline)
        self.bottom_bar.setGeometry(0, height - bar, width, bar)
        panel_width = self.panel_width()
        self.panel.setGeometry(width - panel_width, 0, panel_width, above)
        self.map_view.set_right_inset(panel_width if self.panel.isVisible() else 0)
        # Half the width beside the map in landscape; in portrait the map lies below the card
        # (it is the map's top inset), so the card may take the width.
        room = round(width * 0.5) if width > height else width - 2 * MARGIN
        card_width = min(theme.scaled(760), room)
        if self.panel.isVisible():  # beside the panel, never under it (a portrait screen)
            card_width = min(card_width, width - panel_width - 2 * MARGIN)
        # Three columns of legend where there is room for them, fewer on a narrow card.
        self.title_card.set_columns(3 if card_width >= theme.scaled(640) else 2)
        # As tall as its wrapped text needs at this width, and no taller.
        card_height = self.title_card.heightForWidth(card_width)
        self.title_card.setFixedSize(
            card_width, card_height if card_height > 0 else self.title_card.sizeHint().height()
        )
        self.title_card.move(MARGIN, MARGIN)
        # The map keeps what the title card covers clear: nothing of it is hidden underneath.
        self.map_view.set_top_inset(self.title_card.height() + MARGIN)
        self.attribution.adjustSize()
        self.attribution.move(
            width - self.attribution.width() - 8, above - self.attribution.height() - 8
        )
        if self.panel.isVisible():
            self.attribution.move(8, above - self.attribution.height() - 8)
        self.person_panel.setGeometry(self.panel.geometry())
        self.credits_button.adjustSize()
        self.credits_button.move(
            self.attribution.x(), self.attribution.y() - self.credits_button.height() - 8
        )
        credits_width, credits_height = min(720, width - 2 * MARGIN), round(above * 0.8)
        if self._credits_panel is not None:
            self._credits_panel.setGeometry(
                (width - credits_width) // 2,
                (above - credits_height) // 2,
                credits_width,
                credits_height,
            )
        self.attract_overlay.setGeometry(0, 0, width, above)
        self.countdown.setGeometry(0, 0, width, height)
        self.picture_viewer.setGeometry(0, 0, width, height)
