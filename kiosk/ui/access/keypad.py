"""A visitor's keypad: the exhibit explored with arrows, select, back, help and volume keys.

A universal kiosk keypad (the Smithsonian layout) reaches the computer as keys. `Keypad` watches
the window's QWindow, where every key arrives before any widget sees it (as `TouchWatcher` does
for touches), and turns the keys of the installation's key map into actions: left and right step
through the events in story order (the map flies there and a focus ring marks the marker), select
opens the focused event, up and down scroll the open panel, back closes what is open, plus and
minus change the text size, help explains the keys on screen and aloud. Any of these counts as a
visitor being there; the first key during the countdown or the attract loop only wakes the kiosk,
as the first touch does. Keys outside the map reach the exhibit as before (lockdown decides).

In the audio mode (an installation setting, on by default) the focused event's title and summary
are spoken as the keypad reaches it: its recording if it has one, else the system's voice if the
installation allows it; the help is spoken by that voice too.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPen, QWindow
from PySide6.QtWidgets import (
    QGraphicsItem,
    QLabel,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.runtime.accessibility import AccessibilitySettings
from kiosk.ui.access.exhibit_screen import ExhibitScreen
from kiosk.ui.journey import theme
from kiosk.ui.journey.idle import Phase
from kiosk.ui.journey.words import tr
from kiosk.ui.map.markers import MarkerItem
from kiosk.ui.qt.staff_marks import staff_on_screen

VOLUME_STEP = 0.1
SCROLL_SHARE = 0.6  # of the panel's visible height, per press of up or down
RING_GAP = 6  # px between a marker's touch target and the focus ring


def key_codes(settings: AccessibilitySettings) -> dict[int, str]:
    """Qt key code -> action, from the installation's key map (names checked by the config)."""
    codes: dict[int, str] = {}
    for name, action in settings.key_map().items():
        key = getattr(Qt.Key, f"Key_{name}", None)
        if key is not None:
            codes[int(key.value)] = action
    return codes


class FocusRing(QGraphicsItem):
    """The ring around the keypad's focused marker: dark inside light, so it shows on any map."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(10_000)  # above every marker and label
        self.radius = 30.0
        self.centre_offset = (0.0, 0.0)
        self.hide()

    def follow(self, item: QGraphicsItem, radius: float) -> None:
        """Ring `item` (a marker, or the cluster that shows it now)."""
        self.prepareGeometryChange()
        self.radius = radius
        centre = item.glyph_centre if isinstance(item, MarkerItem) else None
        self.centre_offset = (centre.x(), centre.y()) if centre is not None else (0.0, 0.0)
        self.setPos(item.pos())
        self.show()

    def _width(self) -> float:
        return 8.0 if theme.appearance().high_contrast else 5.0

    def boundingRect(self) -> QRectF:
        reach = self.radius + 2 * self._width() + 2
        x, y = self.centre_offset
        return QRectF(x - reach, y - reach, 2 * reach, 2 * reach)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        panel = theme.palette().panel
        width = self._width()
        x, y = self.centre_offset
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for colour, grow in ((panel.background, width), (panel.text["ink"], 0.0)):
            painter.setPen(QPen(colour, width))
            r = self.radius + grow
            painter.drawEllipse(QRectF(x - r, y - r, 2 * r, 2 * r))


class KeypadHelp(QWidget):
    """The keys explained, on a card in the middle of the screen, until the next key or touch."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("keypad-help")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 36, 48, 40)
        layout.setSpacing(16)
        self.title = QLabel()
        self.text = QLabel()
        for label in (self.title, self.text):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.hide()

    def show_help(self, language: str, text: str) -> None:
        panel = theme.palette().panel
        ink = panel.text["ink"].name()
        self.title.setText(tr(language, "keys_title"))
        self.text.setText("\n".join(text.split(". ")))
        self.title.setFont(theme.font(theme.SERIF, theme.scaled(34), bold=True))
        self.text.setFont(theme.font(theme.SANS, theme.scaled(22)))
        for label in (self.title, self.text):
            label.setStyleSheet(f"color: {ink}; background: transparent;")
        self.setAccessibleName(self.title.text())
        self.setAccessibleDescription(text)
        parent = self.parentWidget()
        assert parent is not None
        width = min(theme.scaled(820), parent.width() - 48)
        self.setFixedWidth(width)
        self.adjustSize()
        self.move((parent.width() - width) // 2, max(24, (parent.height() - self.height()) // 3))
        self.show()
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        panel = theme.palette().panel
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(panel.text["ink"], 3))
        painter.setBrush(panel.background)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(2, 2, -2, -2), 16, 16)
        painter.end()


class Keypad(QObject):
    """Turns the key map's keys on the window into the exhibit's actions."""

    used = Signal(str)  # an action was taken by key (for analytics and the audio mode)
    volume_changed = Signal(float)

    def __init__(self, window: ExhibitScreen, settings: AccessibilitySettings) -> None:
        super().__init__(window)
        self._codes = key_codes(settings)
        self._key_names: dict[str, str] = {}  # action -> the first key bound to it, for the help
        for name, action in settings.key_map().items():
            self._key_names.setdefault(action, name)
        self.audio_mode = settings.audio_mode
        self.in_use = False  # the visitor uses the keypad now (until a touch or the reset)
        self._installed_volume = settings.volume
        self.volume = settings.volume
        self.focused: str | None = None  # the event the keypad is on
        self.ring = FocusRing()
        window.map_view.scene().addItem(self.ring)
        window.map_view.markers_moved.connect(self._place_ring)
        window.map_view.flight_finished.connect(self._place_ring)
        window.state.selection_changed.connect(self._selection_changed)
        window.state.appearance_changed.connect(self._appearance_changed)
        window.touches.pressed.connect(self._touched)
        self.help = KeypadHelp(window)
        self._window_handle: QWindow | None = None

    @property
    def _window(self) -> ExhibitScreen:
        """The window: the parent, not a Python reference (one would make a cycle that keeps a
        closed window alive until a full garbage collection, with its filters still installed)."""
        window = self.parent()
        assert isinstance(window, ExhibitScreen)
        return window

    @property
    def keys(self) -> frozenset[int]:
        """Every key of the key map (lockdown lets these through even if it would refuse them)."""
        return frozenset(self._codes)

    def watch(self, handle: QWindow | None) -> None:
        """Watch `handle` (the top-level QWindow) for keys instead of the one before."""
        if handle is self._window_handle:
            return
        if self._window_handle is not None:
            self._window_handle.removeEventFilter(self)
        self._window_handle = handle
        if handle is not None:
            handle.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        assert isinstance(event, QKeyEvent)
        if (
            event.modifiers()
            & ~Qt.KeyboardModifier.KeypadModifier
            & ~(
                Qt.KeyboardModifier.ShiftModifier  # "+" and "?" need shift on a keyboard
            )
        ):
            return False
        action = self._codes.get(event.key())
        if action is None or self.parent() is None or not self._window.isVisible():
            return False
        if staff_on_screen(self._window.window()):
            return False  # the PIN pad or the admin screen takes its keys (Return, Backspace)
        if self._window.touches.paused:
            return False  # outside opening hours keys are nobody's, as touches are
        if event.type() == QEvent.Type.KeyPress:
            self.press(action)
        return True  # the release too: no widget gets half a key

    def press(self, action: str) -> None:
        """Do what a key of `action` does (the keypad's one entry point)."""
        window = self._window
        phase = window.idle.phase
        window.idle.touched()  # a key is a visitor being there, as a touch is
        if phase is not Phase.ACTIVE:
            return  # the first key only wakes the kiosk, as the first touch does
        if action != "help":
            self.help.hide()
        self.in_use = True
        getattr(self, f"_{action}")()
        self.used.emit(action)

    # --- the actions ----------------------------------------------------------------------

    def _step(self, step: int) -> None:
        window = self._window
        bundle = window.bundle
        events = bundle.events
        current = self.focused or window.state.selected
        if current is None:
            index = 0 if step > 0 else len(events) - 1
        else:
            index = min(max(bundle.index_of(current) + step, 0), len(events) - 1)
        event_id = events[index].id
        if window.panel.isVisible():
            window.state.select(event_id)  # an open panel turns its page, as its arrows do
        self.focus(event_id)

    def focus(self, event_id: str | None) -> None:
        """Put the keypad's focus (and the screen reader's) on `event_id`; the map flies there."""
        self.focused = event_id
        window = self._window
        window.screen_reader.focus_event(event_id)
        if event_id is None:
            self.ring.hide()
            return
        if window.state.selected != event_id:
            window.map_view.fly_to(event_id)
        self._place_ring()
        if self.audio_mode and self.in_use:
            # The audio mode: a visitor who cannot see the screen hears where the keypad is.
            window.narration.play(event_id, window.state.language, brief=True)

    def _place_ring(self) -> None:
        if self.focused is None:
            self.ring.hide()
            return
        view = self._window.map_view
        item = view.item_for(self.focused)
        self.ring.follow(item, view.target_px / 2 + RING_GAP)

    def _previous(self) -> None:
        self._step(-1)

    def _next(self) -> None:
        self._step(1)

    def _scroll(self, direction: int) -> None:
        if self._window.panel.isVisible():
            self._window.panel.scroll_text(direction * SCROLL_SHARE)

    def _up(self) -> None:
        self._scroll(-1)

    def _down(self) -> None:
        self._scroll(1)

    def _select(self) -> None:
        window = self._window
        if window.panel.isVisible() and self.focused in (None, window.state.selected):
            if window.listen_bar.isVisible():
                window.listen_bar.toggle()  # in an open panel, select listens (or stops)
            return
        if self.focused is None:
            self._step(1)
        if self.focused is not None and window.state.selected != self.focused:
            window.state.select(self.focused)

    def _back(self) -> None:
        window = self._window
        if window.quote_view.isVisible():
            window.quote_view.close_quote()
        elif window.person_panel.isVisible():
            window.person_panel.hide()
        elif window.credits_open:
            window.credits_panel.hide()
        elif window.state.selected is not None:
            window.state.select(None)  # the focus stays on it: select opens it again

    def _say_toggle(self, key: str, on: bool) -> None:
        language = self._window.state.language
        state = tr(language, "a11y_on" if on else "a11y_off", name=tr(language, key))
        self._window.screen_reader.announcer.announce(state)

    def _larger(self) -> None:
        state = self._window.state
        state.set_appearance(replace(state.appearance, large_text=True))
        self._say_toggle("large_text", True)

    def _smaller(self) -> None:
        state = self._window.state
        state.set_appearance(replace(state.appearance, large_text=False))
        self._say_toggle("large_text", False)

    def _contrast(self) -> None:
        state = self._window.state
        on = not state.appearance.high_contrast
        state.set_appearance(replace(state.appearance, high_contrast=on))
        self._say_toggle("high_contrast", on)

    def _language(self) -> None:
        state = self._window.state
        languages = self._window.bundle.manifest.languages
        state.set_language(languages[(languages.index(state.language) + 1) % len(languages)])

    def _day(self) -> None:
        window = self._window
        days = [d for d, b in window.timeline.day_buttons.items() if b.events]
        current = window.state.day
        later = [d for d in days if current is None or d > current]
        window.state.set_day(later[0] if later else None)  # the screen reader announces it

    def _play(self) -> None:
        self._window.player.toggle()

    def help_text(self, language: str) -> str:
        """The keys explained: the keypad's, then the keyboard letters of this key map."""
        letters = {
            f"{action}_key": self._key_names.get(action, "–")
            for action in ("language", "contrast", "day", "play")
        }
        return f"{tr(language, 'keys_help')} {tr(language, 'keys_keyboard', **letters)}"

    def _help(self) -> None:
        language = self._window.state.language
        text = self.help_text(language)
        self.help.show_help(language, text)
        self._window.screen_reader.announcer.announce(text, assertive=True)
        self._window.narration.say(text, language)  # aloud, if the installation allows it

    def _volume(self, step: float) -> None:
        self.volume = round(min(1.0, max(0.0, self.volume + step)), 2)
        self.volume_changed.emit(self.volume)
        language = self._window.state.language
        self._window.screen_reader.announcer.announce(
            tr(language, "volume", percent=round(self.volume * 100))
        )

    def _volume_up(self) -> None:
        self._volume(VOLUME_STEP)

    def _volume_down(self) -> None:
        self._volume(-VOLUME_STEP)

    # --- following the visitor ---------------------------------------------------------------

    def _selection_changed(self, event_id: str | None) -> None:
        if event_id is not None and self.focused is not None:
            self.focused = event_id  # a tap or the panel's arrows move the keypad along
            self._place_ring()

    def _appearance_changed(self, *_args: object) -> None:
        self.ring.update()
        if self.help.isVisible():
            language = self._window.state.language
            self.help.show_help(language, self.help_text(language))

    def _touched(self, *_args: object) -> None:
        """A touch: the visitor uses the screen now; the ring and the help go."""
        self.help.hide()
        self.in_use = False
        if self.focused is not None:
            self.focused = None
            self.ring.hide()

    def reset(self) -> None:
        """Back to the start (the idle reset): no focus, no help, the installation's volume."""
        self.help.hide()
        self.in_use = False
        self.focus(None)
        if self.volume != self._installed_volume:
            self.volume = self._installed_volume
            self.volume_changed.emit(self.volume)
