"""The glossary in the event panel: a term's first use marked in the text, its definition in place.

`GlossaryLabel` is a column label of plain text (curator text is never read as markup) that
draws a dotted line under each glossary term the text uses first, and says which term lies under a
point. `GlossaryPopover` is the small card a tap on a marked term opens inside the panel, beside
the term, with the headword and its one- or two-sentence definition; a tap on it, a scroll of the
text, or another event closes it. Where the terms stand is found by `kiosk.content.glossary`.
"""

from __future__ import annotations

import math
from typing import cast

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.content.glossary import TermMark
from kiosk.ui.journey import theme
from kiosk.ui.panels.parts import ColumnLabel, fill_background, text_label

# How far round a term's letters a finger still hits it, in pixels: a term may be a short word.
TERM_TOUCH_MARGIN = 10
POPOVER_GAP = 8  # between the term's line and the card
CLICK_SLOP = 14  # pixels a mouse may move between press and release for a click
POPOVER_BORDER = 2


class GlossaryLabel(ColumnLabel):
    """Plain, wrapped text with its glossary terms (`marks`) underlined by a dotted line.

    A finger's tap reaches the panel, which asks `term_at`; a mouse click (the curators' preview
    window) is handled here and reported by `term_clicked`, with the term's rectangle.
    """

    term_clicked = Signal(str, QRectF)

    def __init__(self, marks: list[TermMark]) -> None:
        super().__init__()
        self.marks = marks
        self._press: QPointF | None = None

    def _layout_document(self) -> tuple[QTextDocument, float]:
        """The text laid out as the label lays it out, and the top of its first line."""
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(self.font())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        document.setDefaultTextOption(option)
        document.setPlainText(self.text())
        area = self.contentsRect()
        document.setTextWidth(area.width())
        height = document.size().height()  # also lays the text out: its lines exist from here
        top = float(area.top())
        if self.alignment() & Qt.AlignmentFlag.AlignVCenter:
            top += max(0.0, (area.height() - height) / 2)
        elif self.alignment() & Qt.AlignmentFlag.AlignBottom:
            top += max(0.0, area.height() - height)
        return document, top

    def term_rects(self) -> list[tuple[TermMark, list[QRectF]]]:
        """Each marked term with the rectangle of its letters on each line it spans."""
        if not self.marks:
            return []
        document, top = self._layout_document()
        layout = document.firstBlock().layout()
        if layout is None or layout.lineCount() == 0:
            return []
        left = float(self.contentsRect().left())
        found = []
        for mark in self.marks:
            rects = []
            position = mark.start
            while position < mark.end:
                line = layout.lineForTextPosition(position)
                if not line.isValid():
                    break
                end = min(mark.end, line.textStart() + line.textLength())
                # PySide returns (x, position) here.
                x1 = cast(tuple[float, int], line.cursorToX(position))[0]
                x2 = cast(tuple[float, int], line.cursorToX(end))[0]
                y = top + line.y()
                rects.append(QRectF(left + x1, y, max(1.0, x2 - x1), line.height()))
                if end <= position:
                    break
                position = end
            found.append((mark, rects))
        return found

    def term_at(self, point: QPointF) -> tuple[str, QRectF] | None:
        """The term under `point` (in this label's coordinates) and its first rectangle."""
        for mark, rects in self.term_rects():
            for rect in rects:
                hit = rect.adjusted(
                    -TERM_TOUCH_MARGIN, -TERM_TOUCH_MARGIN, TERM_TOUCH_MARGIN, TERM_TOUCH_MARGIN
                )
                if hit.contains(point):
                    return mark.term_id, rects[0]
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position() if self.marks else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, self._press = self._press, None
        super().mouseReleaseEvent(event)
        if press is None or math.dist(press.toTuple(), event.position().toTuple()) > CLICK_SLOP:
            return
        hit = self.term_at(event.position())
        if hit is not None:
            self.term_clicked.emit(*hit)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.marks:
            return
        painter = QPainter(self)
        pen = QPen(QColor(self.palette().color(self.foregroundRole())))
        pen.setWidthF(max(1.5, self.font().pixelSize() / 14))
        pen.setStyle(Qt.PenStyle.DotLine)
        painter.setPen(pen)
        metrics = self.fontMetrics()
        for _, rects in self.term_rects():
            for rect in rects:
                y = rect.top() + metrics.ascent() + max(2.0, metrics.descent() / 2)
                painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
        painter.end()


class GlossaryPopover(QFrame):
    """A term's definition, shown inside the panel beside the term; a tap closes it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("glossary-popover")
        self.term_id: str | None = None
        self._press: QPointF | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(18, 12, 18, 14)
        self._layout.setSpacing(6)
        self.headword = text_label("", "author", "glossary-headword")
        self.definition = text_label("", "body", "glossary-definition")
        self._layout.addWidget(self.headword)
        self._layout.addWidget(self.definition)
        self.hide()

    def show_term(self, term_id: str, headword: str, definition: str, near: QRectF) -> None:
        """Show the definition next to `near`, the term's rectangle in the parent's coordinates:
        below its line, or above it where there is no room below."""
        parent = self.parentWidget()
        assert parent is not None
        self.term_id = term_id
        panel = theme.palette().panel
        fill_background(self, panel.background)
        self.headword.setText(headword)
        self.definition.setText(definition)
        for label, role in ((self.headword, "author"), (self.definition, "body")):
            style = theme.TEXT_STYLES[role]
            label.setFont(theme.font(style.family, style.size, bold=style.bold))
        margin = 24
        width = min(parent.width() - 2 * margin, 620)
        self.setFixedWidth(width)
        # The card's height is its two texts' at this width: nothing left over to share out.
        margins = self._layout.contentsMargins()
        inner = width - margins.left() - margins.right()
        height = (
            margins.top()
            + self.headword.heightForWidth(inner)
            + self._layout.spacing()
            + self.definition.heightForWidth(inner)
            + margins.bottom()
        )
        self.setFixedHeight(height)
        x = min(max(margin, round(near.left()) - 12), parent.width() - margin - width)
        below = round(near.bottom()) + POPOVER_GAP
        above = round(near.top()) - POPOVER_GAP - height
        y = below if below + height <= parent.height() - margin or above < margin else above
        self.move(x, max(margin, y))
        self.show()
        self.raise_()

    def dismiss(self) -> None:
        self.term_id = None
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        pen = QPen(theme.palette().panel.text["ink"])
        pen.setWidth(POPOVER_BORDER)
        painter.setPen(pen)
        painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is not None:
            self.dismiss()
        self._press = None
        event.accept()
