"""What the visitor is doing now (language, chosen event), as signals the views subscribe to."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.content import Bundle


class KioskState(QObject):
    """The single source of truth for the visitor's session; views never talk to each other."""

    language_changed = Signal(str)
    selection_changed = Signal(object)  # an event id, or None when nothing is chosen

    def __init__(self, bundle: Bundle, language: str | None = None) -> None:
        super().__init__()
        self.bundle = bundle
        languages = bundle.manifest.languages
        self._language = language if language in languages else bundle.default_language
        self._selected: str | None = None

    @property
    def language(self) -> str:
        return self._language

    @property
    def selected(self) -> str | None:
        return self._selected

    def set_language(self, language: str) -> None:
        if language != self._language and language in self.bundle.manifest.languages:
            self._language = language
            self.language_changed.emit(language)

    def select(self, event_id: str | None) -> None:
        if event_id != self._selected:
            self._selected = event_id
            self.selection_changed.emit(event_id)
