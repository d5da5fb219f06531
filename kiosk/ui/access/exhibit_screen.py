"""`ExhibitScreen`: the parts of a kiosk window that the access layer reads, by name.

The keypad and the screen reader serve a whole window, which the shell assembles
(kiosk/ui/shell/main_window.py). Declaring here the parts they use lets them name the window's
type without importing the shell, so the layers stay one-way (tests/test_architecture.py);
`MainWindow` is an `ExhibitScreen` and sets every part.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from kiosk.content import Bundle
    from kiosk.ui.access.listen import ListenBar
    from kiosk.ui.access.narration import Narration
    from kiosk.ui.access.screen_reader import ScreenReader
    from kiosk.ui.journey.attract import AttractOverlay
    from kiosk.ui.journey.chrome import BottomBar, TitleCard
    from kiosk.ui.journey.idle import CountdownOverlay, IdleMonitor, TouchWatcher
    from kiosk.ui.journey.state import KioskState
    from kiosk.ui.journey.timeline import TimelineBar, TimelinePlayer
    from kiosk.ui.map.view import MapView
    from kiosk.ui.panels.credits import CreditsButton, CreditsPanel
    from kiosk.ui.panels.event import EventPanel
    from kiosk.ui.panels.people import PersonPanel
    from kiosk.ui.panels.quote import QuoteView


class ExhibitScreen(QWidget):
    """A window showing one exhibit to one visitor, with the parts the access layer reads."""

    bundle: Bundle
    state: KioskState
    map_view: MapView
    panel: EventPanel
    person_panel: PersonPanel
    quote_view: QuoteView
    title_card: TitleCard
    bottom_bar: BottomBar
    timeline: TimelineBar
    player: TimelinePlayer
    idle: IdleMonitor
    touches: TouchWatcher
    countdown: CountdownOverlay
    attract_overlay: AttractOverlay
    credits_button: CreditsButton
    screen_reader: ScreenReader
    narration: Narration
    listen_bar: ListenBar

    @property
    def credits_panel(self) -> CreditsPanel:
        """The credits (a window may build them only when first asked)."""
        raise NotImplementedError

    @property
    def credits_open(self) -> bool:
        """Whether the credits are on screen."""
        raise NotImplementedError
