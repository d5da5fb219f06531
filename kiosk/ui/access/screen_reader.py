"""Screen readers: every control named in the visitor's language, the map's events as a list, and
announcements of what changes.

Qt's accessibility bridge (AT-SPI on Linux for Orca, UI Automation on Windows for Narrator and
NVDA) reads the widget tree. Push buttons are named by their text by default, glyphs included
("✕  Close" would be read as "multiplication x, Close"), and the timeline's day buttons paint their
own text, so they have no name at all. `ScreenReader` names them all again whenever the language,
the event or the look changes, and says what each toggle does and whether it is on.

The map is one painted view: its markers are not widgets. `install_event_lists` registers a Qt
accessibility factory that gives the map view an interface of role List whose children are the
bundle's events in story order, each named by its title, date and place, so a screen reader can
walk them as it walks any list. Opening an event, choosing a day or a language, the "Still
there?" countdown and the reset are announced (`Announcer`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import weakref
from typing import Protocol

from PySide6.QtCore import QLocale, QObject, QPoint, QRect
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleInterface, QWindow
from PySide6.QtWidgets import QAbstractButton, QAccessibleWidget, QFrame, QLabel, QWidget

from kiosk.content import Bundle
from kiosk.content.data import pick
from kiosk.ui.access.announce import Announcer
from kiosk.ui.access.exhibit_screen import ExhibitScreen
from kiosk.ui.journey import cldr
from kiosk.ui.journey.dates import event_dates
from kiosk.ui.journey.idle import Phase
from kiosk.ui.journey.words import language_name, tr
from kiosk.ui.map.view import MapView

_OWN_NAME = "kioskOwnAccessibleName"  # a widget named by this module, not from its text


class EventList(Protocol):
    """What the map view's accessible list asks of the window about its events."""

    def count(self) -> int: ...
    def name(self, index: int) -> str: ...
    def description(self, index: int) -> str: ...
    def selected(self, index: int) -> bool: ...
    def focused(self, index: int) -> bool: ...
    def rect(self, index: int) -> QRect: ...


# Each registered view's events; weak, so a closed window's view leaves no trace here.
_lists: weakref.WeakKeyDictionary[QWidget, EventList] = weakref.WeakKeyDictionary()
_factory_installed = False


class _EventItem(QAccessibleInterface):
    """One event of the map's list: no widget of its own, named by title, date and place."""

    def __init__(self, parent: _EventListInterface, index: int) -> None:
        super().__init__()
        self._parent = parent
        self._index = index

    def _events(self) -> EventList | None:
        return self._parent.events()

    def isValid(self) -> bool:
        events = self._events()
        return events is not None and self._index < events.count()

    def object(self) -> QObject | None:  # type: ignore[override]  # Qt's nullptr
        return None

    def window(self) -> QWindow | None:  # type: ignore[override]  # Qt's nullptr
        return self._parent.window()

    def parent(self) -> QAccessibleInterface:
        return self._parent

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]  # Qt's nullptr
        return None

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]  # Qt's nullptr
        return None

    def text(self, kind: QAccessible.Text) -> str:
        events = self._events()
        if events is None:
            return ""
        if kind == QAccessible.Text.Name:
            return events.name(self._index)
        if kind == QAccessible.Text.Description:
            return events.description(self._index)
        return ""

    def setText(self, kind: QAccessible.Text, text: str) -> None:
        return None  # read only

    def rect(self) -> QRect:
        events = self._events()
        return events.rect(self._index) if events is not None else QRect()

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.ListItem

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        events = self._events()
        state.selectable = True
        state.focusable = True
        if events is not None:
            state.selected = events.selected(self._index)
            state.focused = events.focused(self._index)
        return state


class _EventListInterface(QAccessibleWidget):
    """The map view as a screen reader sees it: a list of the bundle's events in story order."""

    def __init__(self, view: QWidget) -> None:
        super().__init__(view, QAccessible.Role.List, "")
        self._view = weakref.ref(view)
        self._items: list[_EventItem] = []  # made when first asked for, kept for the view's life

    def events(self) -> EventList | None:
        view = self._view()
        return _lists.get(view) if view is not None else None

    def childCount(self) -> int:
        events = self.events()
        return events.count() if events is not None else 0

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]  # Qt's nullptr
        if not 0 <= index < self.childCount():
            return None
        while len(self._items) <= index:
            self._items.append(_EventItem(self, len(self._items)))
        return self._items[index]

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return child._index if isinstance(child, _EventItem) and child in self._items else -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]  # Qt's nullptr
        events = self.events()
        if events is None:
            return None
        for index in range(events.count()):
            if events.rect(index).contains(QPoint(x, y)):
                return self.child(index)
        return None


def _factory(key: str, obj: QObject) -> QAccessibleInterface | None:
    if isinstance(obj, QWidget) and obj in _lists:
        return _EventListInterface(obj)
    return None


def install_event_lists() -> None:
    """Register the factory that shows registered views as lists of events (once a process)."""
    global _factory_installed
    if not _factory_installed:
        QAccessible.installFactory(_factory)
        _factory_installed = True


def spoken(text: str) -> str:
    """A button's text as it should be read: without its glyphs (arrows, crosses, triangles)."""
    kept = "".join(" " if unicodedata.category(c).startswith("S") else c for c in text)
    return " ".join(kept.split())


def name(widget: QWidget, text: str, description: str = "") -> None:
    """Set a widget's accessible name (and description), kept when buttons are renamed."""
    widget.setProperty(_OWN_NAME, True)
    if widget.accessibleName() != text:
        widget.setAccessibleName(text)
    if widget.accessibleDescription() != description:
        widget.setAccessibleDescription(description)


def _name_by_text(root: QWidget) -> None:
    """Name every button under `root` not named by this module by its text, without glyphs."""
    for button in root.findChildren(QAbstractButton):
        if not button.property(_OWN_NAME):
            text = spoken(button.text())
            if button.accessibleName() != text:
                button.setAccessibleName(text)


class ScreenReader(QObject):
    """Names the window's controls in the visitor's language and announces what changes."""

    def __init__(self, window: ExhibitScreen) -> None:
        super().__init__(window)
        self._bundle: Bundle = window.bundle
        self._state = window.state
        self.focused_event: str | None = None  # the keypad's focus, if any
        self.announcer = Announcer(window)
        install_event_lists()
        _lists[window.map_view] = _MapEvents(self)

        state = self._state
        state.selection_changed.connect(self._selection_changed)
        state.day_changed.connect(self._day_changed)
        state.language_changed.connect(self._language_changed)
        state.appearance_changed.connect(self.rename)
        window.player.playing_changed.connect(self.rename)
        window.panel.quote_requested.connect(self.rename)
        window.panel.person_requested.connect(self.rename)
        window.quote_view.person_requested.connect(self.rename)
        window.credits_button.clicked.connect(self.rename)
        window.idle.phase_changed.connect(self._phase_changed)
        window.idle.reset_requested.connect(self._reset)
        window.timeline.regrouped.connect(self.rename)  # new buttons: a week, a month...
        self._speak_in(self.language)
        self.rename()

    @property
    def _window(self) -> ExhibitScreen:
        """The window: the parent, not a Python reference (one would make a cycle that keeps a
        closed window alive until a full garbage collection, with its filters still installed)."""
        window = self.parent()
        assert isinstance(window, ExhibitScreen)
        return window

    @property
    def language(self) -> str:
        return self._state.language

    def _speak_in(self, language: str) -> None:
        """The window's language for screen readers (WCAG 3.1.1): Qt's bridge reports each
        widget's locale, which its children inherit, so a reader can choose its voice; the
        map's event items have no widget and report the process's default locale. (Nothing in
        the kiosk formats by the default locale: dates name their language, dates.py.)"""
        self._window.setLocale(QLocale(language))
        QLocale.setDefault(QLocale(language))

    def _quiet(self) -> bool:
        """Between visitors (countdown, reset, attract loop) only the idle messages are spoken."""
        return self._window.idle.phase is not Phase.ACTIVE

    # --- names ----------------------------------------------------------------------------

    def rename(self, *_args: object) -> None:
        """Name every control again in the visitor's language (and say which toggles are on)."""
        window, language = self._window, self.language
        bar = window.bottom_bar
        appearance = self._state.appearance
        title = pick(self._bundle.manifest.title, language, self._bundle.default_language)
        name(window, title)
        name(window.title_card, title)
        name(window.map_view, tr(language, "a11y_map"))
        name(window.timeline, tr(language, "a11y_timeline"))
        name(bar.home_button, tr(language, "whole_city"), tr(language, "a11y_home"))
        toggles = (
            (bar.large_text_button, appearance.large_text, "large_text", "a11y_toggle_large"),
            (
                bar.contrast_button,
                appearance.high_contrast,
                "high_contrast",
                "a11y_toggle_contrast",
            ),
        )
        for button, on, key, hint in toggles:
            button.setCheckable(True)
            button.setChecked(on)
            name(button, tr(language, key), tr(language, hint))
        names = self._bundle.manifest.language_names
        for code, button in bar.language_buttons.items():
            button.setCheckable(True)
            button.setChecked(code == language)
            name(button, language_name(code, names), tr(language, "a11y_language"))
        self._name_days()
        name(window.countdown, tr(language, "still_there"), tr(language, "touch_to_stay"))
        name(window.attract_overlay, tr(language, "touch_to_explore"))
        self._name_panel()
        self._name_overlays()
        _name_by_text(window)

    def _name_overlays(self) -> None:
        """A quotation shown large, a person's entry and the credits, named for what they show."""
        window, language = self._window, self.language
        fallback = self._bundle.default_language
        quote = self._bundle.quotes.get(window.quote_view.quote_id or "")
        if quote is not None:
            author = pick(quote.author, language, fallback)
            name(window.quote_view, tr(language, "a11y_quote", author=author))
            shown = language if language in quote.text else next(iter(quote.text))
            window.quote_view.setLocale(QLocale(shown))
        person = self._bundle.people.get(window.person_panel.person_id or "")
        if person is not None:
            name(window.person_panel, pick(person.name, language, fallback))
        if window.credits_open:
            name(window.credits_panel, tr(language, "credits"))

    def _name_panel(self) -> None:
        """The event panel's names: all a new event needs (on the way from a tap to the panel,
        so only the panel is walked, not the window)."""
        language = self.language
        panel = self._window.panel
        name(panel.close_button, tr(language, "close"), tr(language, "a11y_close"))
        name(panel.previous_button, tr(language, "earlier"), tr(language, "a11y_earlier"))
        name(panel.next_button, tr(language, "later"), tr(language, "a11y_later"))
        if panel.event_id is not None:
            event = self._bundle.event(panel.event_id)
            event_title = pick(event.title, language, self._bundle.default_language)
            name(panel, f"{tr(language, 'a11y_panel')}: {event_title}")
        self._name_quotes()
        _name_by_text(panel)

    def _name_days(self) -> None:
        day = self._state.day
        for button in self._window.timeline.buttons:
            button.setCheckable(True)  # a screen reader says "checked" for the chosen days
            if button.period.kind == "day":
                text = self.day_name(button.day, button.new_style)
            else:  # a week, a month or a year: as its label says it
                text = tr(self.language, "a11y_day", date=button.forms()[0][0], count=button.events)
            name(button, text, "")
            button.setChecked(day is not None and button.period.contains(day))

    def day_name(self, day: dt.date, new_style: dt.date | None = None) -> str:
        """A timeline day as a screen reader says it, with its New Style date if it has one."""
        language = self.language
        text = cldr.long_date(day, language, with_year=False)
        if new_style is not None:
            text = tr(
                language,
                "a11y_day_both",
                date=text,
                other=cldr.long_date(new_style, language, with_year=False),
                calendar=tr(language, "new_style"),
            )
        button = self._window.timeline.day_buttons.get(day)
        return tr(language, "a11y_day", date=text, count=button.events if button else 0)

    def _name_quotes(self) -> None:
        """Each quotation in the panel is read with its author, then its words, and in the
        language it is shown in (a quotation without the visitor's language is in another)."""
        language = self.language
        panel = self._window.panel
        content = panel.findChildren(QFrame, "quote")
        quotes = self._bundle.event(panel.event_id).quotes if panel.event_id else []
        for quote_id, block in zip(quotes, content, strict=False):
            texts = self._bundle.quotes[quote_id].text
            shown = language if language in texts else next(iter(texts))
            if block.locale().name() != QLocale(shown).name():
                block.setLocale(QLocale(shown))
        for block in content:
            author = block.findChild(QWidget, "quote-author")
            who = author.text() if isinstance(author, QLabel) else ""
            who = spoken(who).lstrip("—– ")  # the dash before the name is not read
            name(block, tr(language, "a11y_quote", author=who))

    # --- the events -------------------------------------------------------------------------

    def event_text(self, event_id: str) -> str:
        """An event as a screen reader lists and announces it: title, date, place."""
        bundle, language = self._bundle, self.language
        event = bundle.event(event_id)
        fallback = bundle.default_language
        return tr(
            language,
            "a11y_event",
            title=pick(event.title, language, fallback),
            date=event_dates(event, bundle.manifest.calendar, language)[0],
            place=pick(bundle.places[event.place].name, language, fallback),
        )

    def focus_event(self, event_id: str | None) -> None:
        """The keypad moved to `event_id`: the screen reader's focus follows it in the list."""
        self.focused_event = event_id
        if event_id is None:
            return
        view = self._window.map_view
        event = QAccessibleEvent(view, QAccessible.Event.Focus)
        event.setChild(self._bundle.index_of(event_id))
        QAccessible.updateAccessibility(event)

    # --- announcements -------------------------------------------------------------------

    def _selection_changed(self, event_id: str | None) -> None:
        self._name_panel()
        if event_id is not None and not self._quiet():
            self.announcer.announce(self.event_text(event_id))

    def _day_changed(self, day: dt.date | None) -> None:
        self._name_days()
        if self._quiet():
            return
        language = self.language
        if day is None:
            self.announcer.announce(tr(language, "a11y_day_cleared"))
            return
        button = self._window.timeline.day_buttons.get(day)
        count = button.events if button is not None else 0
        date = cldr.long_date(day, language, with_year=False)
        self.announcer.announce(tr(language, "a11y_day_chosen", date=date, count=count))

    def _language_changed(self, language: str) -> None:
        self._speak_in(language)
        self.rename()
        if not self._quiet():
            names = self._bundle.manifest.language_names
            self.announcer.announce(
                tr(language, "a11y_language_now", name=language_name(language, names))
            )

    def _phase_changed(self, phase: Phase) -> None:
        if phase is Phase.COUNTDOWN:
            language = self.language
            seconds = self._window.idle.seconds_left
            self.announcer.announce(
                f"{tr(language, 'a11y_still_there')} "
                f"{tr(language, 'a11y_seconds_left', seconds=seconds)}",
                assertive=True,
            )

    def _reset(self) -> None:
        self.focused_event = None
        self.announcer.announce(tr(self.language, "a11y_reset"), assertive=True)


class _MapEvents:
    """The bundle's events as the map view's accessible list shows them."""

    def __init__(self, reader: ScreenReader) -> None:
        self._reader = weakref.ref(reader)

    def count(self) -> int:
        reader = self._reader()
        return len(reader._bundle.events) if reader is not None else 0

    def name(self, index: int) -> str:
        reader = self._reader()
        return reader.event_text(reader._bundle.events[index].id) if reader is not None else ""

    def description(self, index: int) -> str:
        reader = self._reader()
        if reader is None:
            return ""
        bundle = reader._bundle
        event = bundle.events[index]
        return pick(event.summary, reader.language, bundle.default_language)

    def selected(self, index: int) -> bool:
        reader = self._reader()
        return reader is not None and reader._state.selected == reader._bundle.events[index].id

    def focused(self, index: int) -> bool:
        reader = self._reader()
        return reader is not None and reader.focused_event == reader._bundle.events[index].id

    def rect(self, index: int) -> QRect:
        reader = self._reader()
        if reader is None:
            return QRect()
        view: MapView = reader._window.map_view
        event_id = reader._bundle.events[index].id
        centre = view.screen_pos(view.item_for(event_id)).toPoint()
        size = round(view.target_px)
        box = QRect(centre.x() - size // 2, centre.y() - size // 2, size, size)
        return QRect(view.viewport().mapToGlobal(box.topLeft()), box.size())
