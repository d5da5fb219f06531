"""People and credits panels: reached by touch from events, quotations and the map, in both
languages, and closed again."""

from __future__ import annotations

from PySide6.QtGui import QPointingDevice
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from kiosk.ui.journey.theme import Appearance
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.touch import tap


def _press(button: QWidget | None, touchscreen: QPointingDevice) -> None:
    # Bring the button into view in its scroll area first, as a visitor would scroll to it.
    assert button is not None
    QApplication.processEvents()  # a panel just opened lays itself out first
    area = button.parentWidget()
    while area is not None and not hasattr(area, "ensureWidgetVisible"):
        area = area.parentWidget()
    if area is not None:
        area.ensureWidgetVisible(button)
        QApplication.processEvents()
    tap(button, touchscreen, button.rect().center())


def _texts(widget: QWidget, name: str) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel, name)]


def test_event_names_its_people_and_a_tap_opens_an_entry(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    window.state.select("volynsky-mutiny")
    button = window.panel.findChild(QAbstractButton, "person-kirpichnikov")
    assert button is not None
    assert button.text() == "Timofei Kirpichnikov"
    # Long names and roles wrap: nothing in the panel is wider than the panel.
    QApplication.processEvents()
    title = window.panel.findChild(QLabel, "event-title")
    assert title is not None
    content = title.parentWidget()
    assert content is not None and content.width() <= window.panel.width()
    _press(button, touchscreen)
    panel = window.person_panel
    assert panel.isVisible() and panel.person_id == "kirpichnikov"
    assert panel.geometry() == window.panel.geometry()
    assert _texts(panel, "person-name") == ["Timofei Kirpichnikov"]
    assert _texts(panel, "person-years") == ["born 1892"]
    [entry] = _texts(panel, "person-entry")
    assert "disputed" in entry

    tap(panel.back_button, touchscreen, panel.back_button.rect().center())
    assert not panel.isVisible()
    assert window.panel.isVisible() and window.panel.event_id == "volynsky-mutiny"


def test_a_quotation_leads_to_its_author(window: MainWindow, touchscreen: QPointingDevice) -> None:
    window.state.select("sampsonievsky-erikson-cossacks")
    buttons = [b for b in window.panel.findChildren(QAbstractButton) if b.text() == "About Trotsky"]
    assert len(buttons) == 2  # one under each of Trotsky's two quotations
    _press(buttons[0], touchscreen)
    assert window.person_panel.person_id == "trotsky"
    assert _texts(window.person_panel, "person-years") == ["1879–1940"]


def test_person_entry_lists_their_events_and_opens_one(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    window.state.select("tsar-telegram-khabalov")
    _press(window.panel.findChild(QAbstractButton, "person-khabalov"), touchscreen)
    panel = window.person_panel
    events = [e.id for e in window.bundle.events if "khabalov" in e.people]
    buttons = [panel.findChild(QAbstractButton, f"person-event-{i}") for i in events]
    assert all(b is not None for b in buttons) and len(buttons) >= 4
    _press(buttons[-1], touchscreen)
    assert window.state.selected == events[-1]
    assert not panel.isVisible()
    assert window.panel.event_id == events[-1]


def test_person_panel_follows_the_language(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    window.state.select("abdication-pskov")
    _press(window.panel.findChild(QAbstractButton, "person-grand-duke-mikhail"), touchscreen)
    window.state.set_language("ru")
    panel = window.person_panel
    assert _texts(panel, "person-name") == ["Великий князь Михаил Александрович"]
    assert _texts(panel, "person-years") == ["1878–1918"]
    assert panel.back_button.text().endswith("Назад")


def test_person_known_only_by_death_year_says_so(window: MainWindow) -> None:
    window.state.select("admiralty-last-stand")
    window.panel.person_requested.emit("protopopov")
    assert _texts(window.person_panel, "person-years") == ["died 1918"]
    window.state.set_language("ru")
    assert _texts(window.person_panel, "person-years") == [
        "ум. в\u00a01918\u00a0г."
    ]  # no break inside


def test_credits_open_from_the_map_and_say_where_the_map_differs_from_1917(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    button = window.credits_button
    assert button.isVisible() and button.height() >= 48
    tap(button, touchscreen, button.rect().center())
    panel = window.credits_panel
    assert panel.isVisible()
    assert _texts(panel, "credits-attribution") == [
        "Map data © OpenStreetMap contributors, ODbL 1.0"
    ]
    text = " ".join(_texts(panel, "credits-text"))
    assert "OpenStreetMap" in text and "Open Database License" in text
    assert "Vvedensky Canal" in text and "reclaimed" in text
    assert "Trotsky" in text
    assert window.attribution.isVisible()  # the licence's words stay on the map
    window.state.set_language("ru")  # and are read in the visitor's language
    assert _texts(panel, "credits-attribution") == [
        "Картографические данные © участники OpenStreetMap, ODbL 1.0"
    ]
    assert "участники OpenStreetMap" in window.attribution.text()
    tap(panel.close_button, touchscreen, panel.close_button.rect().center())
    assert not panel.isVisible()


def test_credits_in_russian(window: MainWindow, touchscreen: QPointingDevice) -> None:
    window.state.set_language("ru")
    assert window.credits_button.text().endswith("Источники и авторы")
    tap(window.credits_button, touchscreen, window.credits_button.rect().center())
    text = " ".join(_texts(window.credits_panel, "credits-text"))
    assert "Введенского канала" in text and "участники OpenStreetMap" in text


def test_choosing_an_event_closes_the_credits_and_a_person(window: MainWindow) -> None:
    window.credits_panel.show()
    window.state.select("order-no-1")
    assert not window.credits_panel.isVisible()
    window.panel.person_requested.emit("kerensky")
    assert window.person_panel.isVisible()
    window.state.select(None)
    assert not window.person_panel.isVisible()


def test_quotation_shown_large_says_when_its_russian_is_our_translation(
    window: MainWindow,
) -> None:
    window.state.set_language("ru")
    window.quote_view.show_quote("trotsky-cossack-horse")
    note = window.quote_view.note
    assert note.isVisible()
    assert "перевод для выставки" in note.text().lower() and "подлинник" in note.text()
    window.quote_view.close_quote()
    window.quote_view.show_quote("abdication-manifesto")  # the Russian original: no note
    assert not window.quote_view.note.isVisible()


def test_a_quotation_shown_large_leads_to_its_author(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    window.quote_view.show_quote("kayurov-brothers-cossacks")
    button = window.quote_view.person_button
    assert button.isVisible() and button.text() == "About Kayurov"
    _press(button, touchscreen)
    assert not window.quote_view.isVisible()
    assert window.person_panel.isVisible() and window.person_panel.person_id == "kayurov"
    window.quote_view.show_quote("order-no-1-weapons")  # the Soviet as a body: no entry
    assert not window.quote_view.person_button.isVisible()


def test_person_and_credits_follow_high_contrast_and_large_text(window: MainWindow) -> None:
    window.state.select("volynsky-mutiny")
    window.panel.person_requested.emit("kirpichnikov")
    window.credits_panel.show()
    name = window.person_panel.findChild(QLabel, "person-name")
    assert name is not None
    size = name.font().pixelSize()
    try:
        window.state.set_appearance(Appearance(large_text=True, high_contrast=True))
        assert "#ffffff" in window.person_panel.styleSheet()
        assert "#ffffff" in window.credits_panel.styleSheet()
        name = window.person_panel.findChild(QLabel, "person-name")
        assert name is not None and name.font().pixelSize() > size
        assert window.person_panel.isVisible() and window.person_panel.person_id == "kirpichnikov"
    finally:
        window.state.set_appearance(Appearance())
