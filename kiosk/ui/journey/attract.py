"""The attract loop: what the kiosk does while nobody is using it.

The map drifts from event to event in the story's order, the markers pulse gently (one slow
breath every `PULSE_PERIOD` seconds, far below the two flashes a second that are the limit), a
card fades in and out with a quotation from that event (or, for events without one, a quotation
that belongs to no event, else the event's summary), and "Touch to explore" stands in every
language of the bundle. With reduced motion the map stays still and nothing pulses; cards still
fade (a change of opacity, not a movement).

Everything moves by the injected `Clock`, so tests step through the loop exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget
from shiboken6 import isValid

from kiosk.content import Bundle
from kiosk.content.data import Event, Quote, pick
from kiosk.ui.journey import cldr, theme
from kiosk.ui.journey.dates import event_dates
from kiosk.ui.journey.words import tr
from kiosk.ui.map.markers import CLUSTER_SIZE, ClusterItem, MarkerItem
from kiosk.ui.map.motion import Camera
from kiosk.ui.map.view import MapView
from kiosk.ui.qt.clock import Clock

FRAME_SECONDS = 1 / 30
STOP_SECONDS = 14.0  # one event: the drift to it, then its card
MOVE_SECONDS = 6.0  # the drift from one event to the next
FADE_SECONDS = 1.5
PULSE_PERIOD = 2.0  # seconds per pulse: 0.5 Hz
DRIFT_ZOOM = 2.0  # the map's zoom while drifting, as a multiple of the whole city
CARD_MARGIN = 48  # px between the card and the window's edges


def pulse_level(seconds: float) -> float:
    """How far the markers' pulse is out (0 to 1) `seconds` into the loop: a smooth breath."""
    return 0.5 - 0.5 * math.cos(2 * math.pi * seconds / PULSE_PERIOD)


def _ease(share: float) -> float:
    share = min(max(share, 0.0), 1.0)
    return share * share * (3 - 2 * share)


@dataclass(frozen=True)
class Stop:
    """One step of the loop: an event to drift to (or none), and the quotation to show."""

    event: Event | None
    quote: Quote | None


def attract_stops(bundle: Bundle) -> list[Stop]:
    """Every event in order with its first quotation (or none), and the quotations that belong
    to no event spread evenly between them, on their own (never under an event they are not
    about)."""
    used = {quote_id for event in bundle.events for quote_id in event.quotes}
    spare = [quote for quote_id, quote in bundle.quotes.items() if quote_id not in used]
    events = [Stop(e, bundle.quotes[e.quotes[0]] if e.quotes else None) for e in bundle.events]
    stops: list[Stop] = []
    every = len(events) / (len(spare) + 1)
    for n, stop in enumerate(events):
        stops.append(stop)
        while spare and len(stops) - len(events[: n + 1]) < int((n + 1) / every):
            stops.append(Stop(None, spare.pop(0)))
    stops.extend(Stop(None, quote) for quote in spare)
    return stops


@dataclass(frozen=True)
class Card:
    """What the attract card says."""

    heading: str  # the event's date and title, or empty
    text: str  # a quotation, or the event's summary
    author: str  # who said it, or empty for a summary
    source: str  # where the quotation is published, or empty
    language: str


def card_for(stop: Stop, language: str, bundle: Bundle) -> Card:
    """The card of `stop`, in `language` where the quotation has it."""
    fallback = bundle.default_language
    heading = ""
    if stop.event is not None:
        day = event_dates(stop.event, bundle.manifest.calendar, language)[0]
        heading = f"{day} · {pick(stop.event.title, language, fallback)}"
    if stop.quote is not None:
        shown = language if language in stop.quote.text else next(iter(stop.quote.text))
        text = stop.quote.text[shown]
        quoted = cldr.quoted(text, shown)
        author = f"— {pick(stop.quote.author, language, fallback)}"
        return Card(heading, quoted, author, pick(stop.quote.source, language, fallback), language)
    assert stop.event is not None
    return Card(heading, pick(stop.event.summary, language, fallback), "", "", language)


class PulseRing(QGraphicsItem):
    """A soft ring behind a marker (or a cluster) that swells and fades with the pulse."""

    def __init__(self, item: MarkerItem | ClusterItem) -> None:
        super().__init__(item)
        self.level = 0.0
        self._size = CLUSTER_SIZE if isinstance(item, ClusterItem) else theme.MARKER_SIZE
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent)
        self._follow()

    def _follow(self) -> None:
        marker = self.parentItem()
        if isinstance(marker, MarkerItem):  # markers fan out again when the view resizes
            self.setPos(marker.glyph_centre)

    def set_level(self, level: float) -> None:
        self.level = level
        self._follow()
        self.update()

    def boundingRect(self) -> QRectF:
        reach = self._size / 2 + 24
        return QRectF(-reach, -reach, 2 * reach, 2 * reach)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        colour = QColor(theme.ACCENT)
        colour.setAlphaF(0.15 + 0.45 * (1 - self.level))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, 4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        radius = self._size / 2 + 4 + 16 * self.level
        painter.drawEllipse(QPointF(0, 0), radius, radius)


class AttractOverlay(QWidget):
    """ "Touch to explore" in every language and the fading card; touches pass through it."""

    def __init__(self, bundle: Bundle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attract")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        languages = bundle.manifest.languages
        # A language the kiosk has no words for would repeat the English line; say it once.
        self.invitations = list(dict.fromkeys(tr(code, "touch_to_explore") for code in languages))
        self.card: Card | None = None
        self.card_opacity = 0.0
        self.hide()

    def set_card(self, card: Card | None, opacity: float) -> None:
        if card != self.card or not math.isclose(opacity, self.card_opacity, abs_tol=0.01):
            self.card = card
            self.card_opacity = opacity
            self.update(self.card_rect().toAlignedRect().adjusted(-4, -4, 4, 4))

    def card_width(self) -> float:
        return min(theme.scaled(640), self.width() * 0.38)

    def card_rect(self) -> QRectF:
        width = self.card_width()
        return QRectF(
            self.width() - width - CARD_MARGIN,
            CARD_MARGIN,
            width,
            max(0.0, self.height() - 2 * CARD_MARGIN),
        )

    def invitation_rect(self) -> QRectF:
        size = theme.scaled(40)
        metrics = QFontMetricsF(theme.font(theme.SANS, size, bold=True))
        width = max(metrics.horizontalAdvance(line) for line in self.invitations) + 2 * size
        height = len(self.invitations) * metrics.lineSpacing() + size
        free = self.width() - self.card_width() - CARD_MARGIN
        return QRectF((free - width) / 2, self.height() - height - 40, width, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_invitation(painter)
        if self.card is not None and self.card_opacity > 0:
            painter.setOpacity(self.card_opacity)
            self._paint_card(painter, self.card)
        painter.end()

    def _paint_invitation(self, painter: QPainter) -> None:
        surface = theme.palette().invitation
        rect = self.invitation_rect()
        painter.setPen(QPen(theme.palette().border, 3))
        painter.setBrush(surface.background)
        painter.drawRoundedRect(rect, rect.height() / 4, rect.height() / 4)
        painter.setPen(surface.text["text"])
        painter.setFont(theme.font(theme.SANS, theme.scaled(40), bold=True))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "\n".join(self.invitations))

    def _paint_card(self, painter: QPainter, card: Card) -> None:
        panel = theme.palette().panel
        area = self.card_rect()
        pad = 32
        inner = area.width() - 2 * pad
        wrap = Qt.TextFlag.TextWordWrap
        blocks = []
        if card.heading:
            blocks.append(
                (card.heading, theme.font(theme.SANS, theme.scaled(20), bold=True), "accent")
            )
        blocks.append(
            (card.text, theme.font(theme.SERIF, theme.scaled(28), italic=bool(card.author)), "ink")
        )
        if card.author:
            blocks.append((card.author, theme.font(theme.SANS, theme.scaled(21), bold=True), "ink"))
        if card.source:
            blocks.append((card.source, theme.font(theme.SANS, theme.scaled(17)), "soft"))
        heights = [
            QFontMetricsF(font).boundingRect(QRectF(0, 0, inner, 10_000), wrap, text).height()
            for text, font, _ in blocks
        ]
        gap = 14
        height = sum(heights) + gap * (len(blocks) - 1) + 2 * pad
        box = QRectF(area.left(), area.center().y() - height / 2, area.width(), height)
        painter.setPen(QPen(panel.text["ink"], 2))
        painter.setBrush(panel.background)
        painter.drawRoundedRect(box, 12, 12)
        y = box.top() + pad
        for (text, font, role), block_height in zip(blocks, heights, strict=True):
            painter.setFont(font)
            painter.setPen(panel.text[role])
            painter.drawText(QRectF(box.left() + pad, y, inner, block_height), wrap, text)
            y += block_height + gap


class AttractLoop(QObject):
    """Runs the attract loop on a map view and an overlay while the kiosk is idle."""

    def __init__(
        self,
        bundle: Bundle,
        map_view: MapView,
        overlay: AttractOverlay,
        clock: Clock,
        reduced_motion: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._map = map_view
        self._overlay = overlay
        self._clock = clock
        self.reduced_motion = reduced_motion
        self.stops = attract_stops(bundle)
        self.rings: list[PulseRing] = []
        self._started = 0.0
        self._zooming_in = False  # the first drift, from the whole map in to DRIFT_ZOOM
        self._from = QPointF()
        self._index = -1
        self._timer = clock.timer(FRAME_SECONDS, self._frame, self)

    @property
    def running(self) -> bool:
        return self._timer.active

    @property
    def stop_index(self) -> int:
        """Which stop the loop is at (an index into `stops`)."""
        return self._index

    def start(self) -> None:
        if self.running or not self.stops:
            return
        self._started = self._clock.now()
        self._index = -1
        # The card covers the right of the map, as the event panel does: the map may then scroll
        # that far past its edge, so an event near the edge still comes to the middle of the rest.
        self._map.set_right_inset(round(self._overlay.card_width()) + CARD_MARGIN)
        # The loop opens on the whole map and zooms in to DRIFT_ZOOM on its first drift, so the
        # kiosk's first frame shows all of it, centred, whatever the window's size.
        self._map.show_whole_city(animated=False)  # also ends any flight under way
        self._zooming_in = not self.reduced_motion
        if not self.reduced_motion:
            self._sync_rings()
        self._overlay.show()
        self._overlay.raise_()
        self._timer.start()
        self._frame()

    def stop(self) -> None:
        """End the loop; the map stays where it drifted to, for the visitor to take over."""
        self._timer.stop()
        for ring in self.rings:
            if isValid(ring) and ring.scene() is not None:
                ring.scene().removeItem(ring)
        self.rings = []
        self._overlay.set_card(None, 0.0)
        self._overlay.hide()
        self._map.set_right_inset(0)  # the loop only runs with every panel closed

    def _frame(self) -> None:
        if self._zooming_in and not self._map.isVisible():
            self._started = self._clock.now()  # the loop's time begins with its first frame
        elapsed = self._clock.now() - self._started
        index = int(elapsed // STOP_SECONDS) % len(self.stops)
        into = elapsed % STOP_SECONDS
        stop = self.stops[index]
        if index != self._index:
            self._index = index
            self._from = self._view_centre()
        if not self.reduced_motion:
            self._sync_rings()
            level = pulse_level(elapsed)
            for ring in self.rings:
                ring.set_level(level)
            target = self._target(stop)
            if target is not None:
                share = _ease(into / MOVE_SECONDS)
                point = self._from + (target - self._from) * share
                scale = self._map.transform().m11()
                if self._zooming_in:
                    scale = self._map.min_scale * (1 + (DRIFT_ZOOM - 1) * share)
                    self._zooming_in = share < 1
                self._map.set_camera(Camera(point.x(), point.y(), scale))
        languages = self._bundle.manifest.languages
        language = languages[index % len(languages)]
        fade_in = (into - (MOVE_SECONDS - FADE_SECONDS)) / FADE_SECONDS
        fade_out = (STOP_SECONDS - into) / FADE_SECONDS
        opacity = min(1.0, max(0.0, min(fade_in, fade_out)))
        self._overlay.set_card(card_for(stop, language, self._bundle), opacity)

    def _sync_rings(self) -> None:
        """A ring on every marker and on every cluster shown now (clusters are remade as the
        map works out its zoom levels, and their rings go with them)."""
        self.rings = [ring for ring in self.rings if isValid(ring)]
        ringed = {id(ring.parentItem()) for ring in self.rings}
        items: list[MarkerItem | ClusterItem] = [
            *self._map.markers.values(),
            *self._map.cluster_items,
        ]
        self.rings += [PulseRing(item) for item in items if id(item) not in ringed]

    def _view_centre(self) -> QPointF:
        camera = self._map.camera()
        return QPointF(camera.x, camera.y)

    def _target(self, stop: Stop) -> QPointF | None:
        """Where the view's centre goes so the event sits in the middle of the map left free."""
        if stop.event is None:
            return None
        marker = self._map.markers.get(stop.event.id)
        if marker is None or marker.off_map:
            return None
        scale = self._map.transform().m11()
        point = marker.pos() + marker.glyph_centre / scale
        shift = (self._overlay.card_width() + CARD_MARGIN) / 2 / scale
        return QPointF(point.x() + shift, point.y())
