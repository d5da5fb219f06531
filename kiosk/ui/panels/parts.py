"""Parts the side panels share (event, person, credits): styled plain-text labels, a text
area that scrolls under a finger, and clicks read as taps.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QHideEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QScroller, QWidget

from kiosk.ui.journey import theme

COLUMN_MIN_CHARACTERS = 8  # a column label's least width, in average characters
TAP_SLOP_PX = 14  # a press and release closer than this are a tap, not the start of a drag


class ClickTaps(QObject):
    """Calls `on_tap` when a widget is clicked where it was pressed (a mouse in the preview, or a
    finger's synthesized click); the widget takes both events, so its parents never see them.
    Touches reach the panels through their own filter."""

    def __init__(self, widget: QWidget, on_tap: Callable[[], None]) -> None:
        super().__init__(widget)
        self._on_tap = on_tap
        self._press: QPointF | None = None
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QMouseEvent):
            return False
        if event.type() == QEvent.Type.MouseButtonPress:
            self._press = event.position()
        elif event.type() == QEvent.Type.MouseButtonRelease:
            press, self._press = self._press, None
            if press is not None and math.dist(press.toTuple(), event.position().toTuple()) < (
                TAP_SLOP_PX
            ):
                self._on_tap()
        else:
            return False
        event.accept()
        return True


class ColumnLabel(QLabel):
    """A wrapped label standing in a panel's column of text, which gives it the column's width.

    Its size hints do not measure the text: Qt's lay the whole text out three to five times at
    guessed widths, and a column sizes wrapped text by `heightForWidth` at its own width anyway,
    so those layouts only fed the content's size hint, which the scroll area does not use for
    its size. Not for a label whose width comes from its hint (one in a left-aligned button).
    """

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.averageCharWidth() * COLUMN_MIN_CHARACTERS, metrics.lineSpacing())


def text_label(
    text: str, role: str, name: str = "", *, column: bool = False, label: QLabel | None = None
) -> QLabel:
    """A wrapped plain-text label in the style of `role` (theme.TEXT_STYLES); `column`: one that
    stands in a panel's column of text and takes its width (a `ColumnLabel`); `label`: a label of
    one's own kind to set up so (a `GlossaryLabel`).

    Coloured through its palette, not a style sheet of its own: a panel holds dozens of labels,
    and parsing and applying a style sheet for each was most of the time a tapped marker's panel
    took to appear. A label paints no background, so the panel's background shows through.
    """
    style = theme.TEXT_STYLES[role]
    # Format, font and colour first, the text last: the text is then never looked at as
    # possible rich text, and laid out once with its own font rather than again at each change.
    if label is None:
        label = ColumnLabel() if column else QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # curator text is never interpreted as HTML
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setWordWrap(True)
    label.setFont(theme.font(style.family, style.size, bold=style.bold, italic=style.italic))
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(style.colour))
    label.setPalette(palette)
    # Inside a button a label would otherwise take the button's text role (and colour).
    label.setForegroundRole(QPalette.ColorRole.WindowText)
    label.setText(text)
    if name:
        label.setObjectName(name)
    return label


def fill_background(widget: QWidget, colour: QColor) -> None:
    """Paint `widget`'s background in `colour` through its palette. Not with a style sheet: one
    on a window or a panel puts every widget inside through the style sheet machinery, which is
    slow to polish each time a panel's text is new."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Window, colour)
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)


class TouchScrollArea(QScrollArea):
    """A frameless, transparent, vertically scrolling area that a finger scrolls kinetically.

    Transparent without a style sheet: one on the area would put every widget scrolled in it
    through the style sheet machinery, slow to polish each time a panel's text is new.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAutoFillBackground(False)
        self.viewport().setAutoFillBackground(False)
        # The scroll bar alone keeps a style sheet: a groove of the panel's own background.
        self.verticalScrollBar().setStyleSheet("QScrollBar { background: transparent; }")
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)

    def hideEvent(self, event: QHideEvent) -> None:
        # A scroller left gliding when its window closed kept the next window's panel from
        # following a finger (docs/decisions.md, "Tests in any order"); a window is hidden
        # before it is deleted, so a glide stops here. A hidden area's glide shows nothing.
        if QScroller.hasScroller(self.viewport()):
            QScroller.scroller(self.viewport()).stop()
        super().hideEvent(event)

    def setWidget(self, widget: QWidget) -> None:
        super().setWidget(widget)
        widget.setAutoFillBackground(False)  # QScrollArea turned it on


class ScrolledContent(QWidget):
    """The widget a panel's text area scrolls: a column of wrapped text laid out by its layout.

    Its size hint is its layout's, without the height Qt would add by laying all the text out
    at the hint's width. The scroll area always gives the content the width of its viewport and
    asks for the height at that width; the extra layout, at a width never used, was asked for
    several times each time a panel opened and cost a third of the time to its first frame.
    """

    def sizeHint(self) -> QSize:
        layout = self.layout()
        return layout.sizeHint() if layout is not None else super().sizeHint()
