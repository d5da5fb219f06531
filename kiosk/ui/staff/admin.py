"""The staff admin screen, reached only through the hidden gesture and the PIN.

It shows what a technician needs to judge the kiosk at a glance (bundle and version, validation
status with every problem, config problems, uptime, memory, errors since start, the log's tail) and
offers the few actions that matter: reload the content, switch to another bundle, go back to the
exhibit, or exit to the desktop. It closes itself after a few idle minutes so it is never left
open in front of visitors. Staff read it in English.
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from kiosk import __version__
from kiosk.runtime.health import format_duration, memory_megabytes, process_age_seconds
from kiosk.runtime.logs import log_tail
from kiosk.ui.journey import theme
from kiosk.ui.qt.staff_marks import mark_staff
from kiosk.ui.shell.host import BundleHost

IDLE_MINUTES = 5
LOG_LINES = 200

_BUTTON_STYLE = (
    "QPushButton {{ background: {bg}; color: {fg}; border: 2px solid {border};"
    " border-radius: 10px; padding: 0 24px; }}"
    "QPushButton:pressed {{ background: {pressed}; }}"
)


@dataclass
class StaffInfo:
    """What the runtime knows that the screen shows: config, log, errors, the bundles offered."""

    config_path: Path | None = None
    config_problems: list[str] = field(default_factory=list)
    # The config file could not be read at all: this copy applies instead (None: the defaults).
    config_unreadable: bool = False
    config_fallback: Path | None = None
    log_path: Path | None = None
    error_count: Callable[[], int] = lambda: 0
    bundle_choices: Callable[[], list[Path]] = list


def bundle_folders_near(content: Path | None, extra: list[Path]) -> list[Path]:
    """Bundles a technician may switch to: the current one's sibling folders, and `extra`."""
    found: list[Path] = []
    if content is not None and content.parent.is_dir():
        found.extend(sorted(p for p in content.parent.iterdir() if (p / "bundle.yaml").is_file()))
    for path in extra:
        if (path / "bundle.yaml").is_file() and path.resolve() not in {p.resolve() for p in found}:
            found.append(path)
    return found


class AdminScreen(QWidget):
    """Covers its parent (the BundleHost) while open; `exit_requested` leaves kiosk mode."""

    exit_requested = Signal()
    closed = Signal()

    def __init__(self, host: BundleHost, info: StaffInfo, parent: QWidget) -> None:
        super().__init__(parent)
        self.host = host
        self.info = info
        self.setObjectName("admin")
        mark_staff(self)
        # The kiosk hides the cursor; a technician with a mouse needs it here.
        self.setCursor(Qt.CursorShape.ArrowCursor)
        self.setStyleSheet(
            f"QLabel {{ color: {theme.INK.name()}; }}"
            f"QPlainTextEdit, QListWidget {{ background: white; color: {theme.INK.name()};"
            f" border: 1px solid {theme.INK_SOFT.name()}; }}"
        )

        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 28, 40, 28)
        outer.setSpacing(16)
        header = QHBoxLayout()
        title = QLabel("Kiosk administration")
        title.setFont(theme.font(theme.SANS, 34, bold=True))
        header.addWidget(title, 1)
        self.back_button = self._button("Back to the exhibit", self.close_screen, primary=True)
        header.addWidget(self.back_button)
        outer.addLayout(header)

        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(24)
        self.facts.setVerticalSpacing(6)
        self.fact_labels: dict[str, QLabel] = {}
        for row, name in enumerate(
            (
                "Bundle",
                "Folder",
                "Status",
                "Config",
                "Log",
                "Running for",
                "Memory",
                "Errors",
                "Software",
            )
        ):
            key = QLabel(name)
            key.setFont(theme.font(theme.SANS, 20, bold=True))
            value = QLabel()
            value.setObjectName(f"admin-{name.lower().replace(' ', '-')}")
            value.setFont(theme.font(theme.SANS, 20))
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            self.facts.addWidget(key, row, 0, Qt.AlignmentFlag.AlignTop)
            self.facts.addWidget(value, row, 1)
            self.fact_labels[name] = value
        self.facts.setColumnStretch(1, 1)
        outer.addLayout(self.facts)

        columns = QHBoxLayout()
        columns.setSpacing(24)
        self.problems = self._text_box("Problems")
        self.log_view = self._text_box("Log (newest at the bottom)")
        columns.addLayout(self.problems[0], 1)
        columns.addLayout(self.log_view[0], 1)
        outer.addLayout(columns, 1)

        self.choices = QListWidget()
        self.choices.setObjectName("admin-bundles")
        self.choices.setFont(theme.font(theme.SANS, 22))
        self.choices.setStyleSheet("QListWidget::item { min-height: 56px; }")
        self.choices.itemClicked.connect(self._switch_to)
        QScroller.grabGesture(self.choices.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self.choices.hide()
        outer.addWidget(self.choices)

        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        self.reload_button = self._button("Reload content", self.reload)
        self.switch_button = self._button("Switch bundle…", self.toggle_choices)
        self.exit_button = self._button("Exit to the desktop", self.exit_requested.emit)
        for button in (self.reload_button, self.switch_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.exit_button)
        outer.addLayout(buttons)

        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_MINUTES * 60 * 1000)
        self._idle.timeout.connect(self.close_screen)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._refresh_health)
        host.bundle_loaded.connect(self.refresh)
        host.bundle_refused.connect(self.refresh)

    def _button(self, text: str, slot: Callable[[], object], primary: bool = False) -> QPushButton:
        button = QPushButton(text)
        button.setMinimumHeight(theme.TOUCH_MIN + 24)
        button.setFont(theme.font(theme.SANS, 22, bold=True))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setStyleSheet(
            _BUTTON_STYLE.format(
                bg=(theme.ACCENT if primary else theme.CARD.darker(106)).name(),
                fg=(theme.CARD if primary else theme.INK).name(),
                border=theme.INK_SOFT.name(),
                pressed=theme.INK_SOFT.name(),
            )
        )
        button.clicked.connect(slot)
        return button

    def _text_box(self, heading: str) -> tuple[QVBoxLayout, QPlainTextEdit]:
        layout = QVBoxLayout()
        label = QLabel(heading)
        label.setFont(theme.font(theme.SANS, 20, bold=True))
        box = QPlainTextEdit()
        box.setReadOnly(True)
        box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPixelSize(15)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        box.setFont(mono)
        QScroller.grabGesture(box.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        layout.addWidget(label)
        layout.addWidget(box, 1)
        return layout, box

    # -- opening and closing -------------------------------------------------------------------

    def open(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.choices.hide()
        self.refresh()
        self.show()
        self.raise_()
        self._idle.start()
        self._tick.start()
        app = self._application()
        if app is not None:
            app.installEventFilter(self)

    def close_screen(self) -> None:
        self._idle.stop()
        self._tick.stop()
        app = self._application()
        if app is not None:
            app.removeEventFilter(self)
        self.hide()
        self.closed.emit()

    @staticmethod
    def _application() -> QObject | None:
        from PySide6.QtWidgets import QApplication

        return QApplication.instance()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self._idle.start()  # any touch keeps the screen open
        return False

    # -- actions -------------------------------------------------------------------------------

    def reload(self) -> None:
        # With nothing on screen, reload retries the folder that was refused.
        folder = self.host.content or self.host.attempted
        if folder is not None:
            self.host.load(folder)
        self.refresh()

    def toggle_choices(self) -> None:
        if self.choices.isVisible():
            self.choices.hide()
            return
        self.choices.clear()
        for path in self.info.bundle_choices():
            showing = (
                self.host.content is not None and path.resolve() == self.host.content.resolve()
            )
            item = QListWidgetItem(
                f"{path.name}    ({path}){'   - showing now' if showing else ''}"
            )
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.choices.addItem(item)
        if not self.choices.count():
            self.choices.addItem("No other bundle folders were found next to this one.")
        self.choices.setFixedHeight(min(4, self.choices.count()) * 60 + 8)
        self.choices.show()

    def _switch_to(self, item: QListWidgetItem) -> None:
        folder = item.data(Qt.ItemDataRole.UserRole)
        if folder:
            self.host.load(Path(folder))
            self.choices.hide()
        self.refresh()

    # -- what is shown -------------------------------------------------------------------------

    def refresh(self, *_: object) -> None:
        bundle = self.host.bundle
        facts = self.fact_labels
        if bundle is not None:
            manifest = bundle.manifest
            title = manifest.title.get(bundle.default_language, "")
            facts["Bundle"].setText(f"{manifest.id} {manifest.version} - {title}")
        else:
            facts["Bundle"].setText("none: the 'being updated' screen is showing")
        facts["Folder"].setText(str(self.host.content or self.host.attempted or "-"))
        if self.host.problems:
            shown = "keeps showing the last good bundle" if bundle else "nothing can be shown"
            facts["Status"].setText(
                f"REFUSED: {len(self.host.problems)} problem(s) in {self.host.attempted}; {shown}"
            )
        else:
            facts["Status"].setText("valid")
        config = self.info.config_path
        config_text = str(config) if config else "none (built-in defaults)"
        if self.info.config_unreadable:
            fallback = self.info.config_fallback
            config_text += "; CANNOT BE READ, " + (
                f"running on its last good copy {fallback}" if fallback else "running on defaults"
            )
        elif self.info.config_problems:
            config_text += f"; {len(self.info.config_problems)} problem(s), keys ignored"
        facts["Config"].setText(config_text)
        facts["Log"].setText(str(self.info.log_path or "stderr only"))
        lines = [*self.host.problems]
        if self.info.config_problems:
            lines += ["", "Installation config:", *self.info.config_problems]
        self.problems[1].setPlainText("\n".join(lines) if lines else "No problems.")
        tail = log_tail(self.info.log_path, LOG_LINES)
        self.log_view[1].setPlainText("\n".join(tail) if tail else "(no log file)")
        self.log_view[1].verticalScrollBar().setValue(
            self.log_view[1].verticalScrollBar().maximum()
        )
        self._refresh_health()

    def _refresh_health(self) -> None:
        memory = memory_megabytes()
        self.fact_labels["Running for"].setText(format_duration(process_age_seconds()))
        self.fact_labels["Memory"].setText(
            f"{memory:.0f} MB" if memory is not None else "unknown on this system"
        )
        self.fact_labels["Errors"].setText(
            f"{self.info.error_count()} unhandled since start (details in the log)"
        )
        self.fact_labels["Software"].setText(
            f"kiosk {__version__}, Python {platform.python_version()}, "
            f"PySide6 {pyside_version}, {sys.platform}"
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        # Opaque: the exhibit underneath must not show through the staff screen.
        QPainter(self).fillRect(self.rect(), theme.CARD)
