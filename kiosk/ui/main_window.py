"""The kiosk's window: the map filling the screen, with title, bottom bar and event panel over it.

The window only wires signals: markers and buttons change the `KioskState`, and every view
follows the state. Overlays are laid out by hand so the map always fills the whole screen.
"""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget

from kiosk.content import Bundle
from kiosk.ui import theme
from kiosk.ui.chrome import Attribution, BottomBar, TitleCard
from kiosk.ui.credits_panel import CreditsButton, CreditsPanel
from kiosk.ui.event_panel import EventPanel
from kiosk.ui.map_labels import MapLabelLayer, marker_obstacles
from kiosk.ui.map_view import MapView
from kiosk.ui.options import DisplayOptions
from kiosk.ui.people_panel import PersonPanel
from kiosk.ui.quote_view import QuoteView
from kiosk.ui.state import KioskState

MARGIN = 24


class MainWindow(QWidget):
    """Map, title card, bottom bar, attribution and the event panel, for one bundle."""

    def __init__(
        self,
        bundle: Bundle,
        language: str | None = None,
        options: DisplayOptions | None = None,
    ) -> None:
        super().__init__()
        self.bundle = bundle
        self.options = options or DisplayOptions()
        self.state = KioskState(bundle, language)
        self.setObjectName("kiosk-window")
        self.setWindowTitle(bundle.manifest.title.get(bundle.default_language, "Kiosk"))
        self.setStyleSheet(f"#kiosk-window {{ background: {theme.TABLE.name()}; }}")

        self.map_view = MapView(
            bundle, self.state, self, reduced_motion=self.options.reduced_motion
        )
        self.map_labels = MapLabelLayer(
            bundle,
            self.state,
            marker_obstacles(
                lambda: [*self.map_view.markers.values(), *self.map_view.cluster_items]
            ),
        )
        self.map_view.scene().addItem(self.map_labels)
        self.map_view.markers_moved.connect(self.map_labels.relayout)
        self.title_card = TitleCard(bundle, self.state, self)
        self.attribution = Attribution(bundle, self)
        self.bottom_bar = BottomBar(bundle, self.state, self)
        self.panel = EventPanel(bundle, self.state, self)
        self.panel.hide()
        self.quote_view = QuoteView(bundle, self.state, self)  # hidden until a quotation is tapped
        self.person_panel = PersonPanel(bundle, self.state, self)
        self.person_panel.hide()
        self.credits_button = CreditsButton(self.state, self)
        self.credits_panel = CreditsPanel(bundle, self.state, self)
        self.credits_panel.hide()

        self.map_view.marker_tapped.connect(self.state.select)
        self.panel.close_requested.connect(self._close_panel)
        self.panel.quote_requested.connect(self.quote_view.show_quote)
        self.quote_view.event_requested.connect(self.state.select)
        self.bottom_bar.whole_city_requested.connect(self.map_view.show_whole_city)
        self.state.selection_changed.connect(self._selection_changed)
        self.panel.person_requested.connect(self._show_person)
        self.person_panel.back_requested.connect(self.person_panel.hide)
        self.person_panel.event_requested.connect(self.state.select)
        self.credits_button.clicked.connect(self._show_credits)
        self.credits_panel.close_requested.connect(self.credits_panel.hide)

    def _show_person(self, person_id: str) -> None:
        self.person_panel.show_person(person_id)
        self.person_panel.setGeometry(self.panel.geometry())
        self.person_panel.show()
        self.person_panel.raise_()

    def _show_credits(self) -> None:
        self._layout()
        self.credits_panel.show()
        self.credits_panel.raise_()

    def _close_panel(self) -> None:
        self.state.select(None)

    def _selection_changed(self, event_id: str | None) -> None:
        self.person_panel.hide()
        self.credits_panel.hide()
        if event_id is None:
            self.panel.hide()
            self._layout()
            return
        self.panel.show_event(event_id)
        self.panel.show()
        self.panel.raise_()
        self._layout()
        self.map_view.fly_to(event_id)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout()

    def _layout(self) -> None:
        width, height = self.width(), self.height()
        bar = theme.BAR_HEIGHT
        self.map_view.setGeometry(0, 0, width, height - bar)
        self.bottom_bar.setGeometry(0, height - bar, width, bar)
        panel_width = min(720, max(480, round(width * 0.42)))
        self.panel.setGeometry(width - panel_width, 0, panel_width, height - bar)
        self.map_view.set_right_inset(panel_width if self.panel.isVisible() else 0)
        card_width = min(760, round(width * 0.5))
        self.title_card.setFixedWidth(card_width)
        self.title_card.adjustSize()
        self.title_card.move(MARGIN, MARGIN)
        self.attribution.adjustSize()
        self.attribution.move(
            width - self.attribution.width() - 8, height - bar - self.attribution.height() - 8
        )
        if self.panel.isVisible():
            self.attribution.move(8, height - bar - self.attribution.height() - 8)
        self.person_panel.setGeometry(self.panel.geometry())
        self.credits_button.adjustSize()
        self.credits_button.move(
            self.attribution.x(), self.attribution.y() - self.credits_button.height() - 8
        )
        credits_width, credits_height = min(720, width - 2 * MARGIN), round((height - bar) * 0.8)
        self.credits_panel.setGeometry(
            (width - credits_width) // 2,
            (height - bar - credits_height) // 2,
            credits_width,
            credits_height,
        )
