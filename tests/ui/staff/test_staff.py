"""The staff flow on the real kiosk window: a long press in the corner, the PIN pad tapped by
finger, wrong PINs slowed down, the admin screen with the bundle, its problems, reload, switch
and exit; and the admin screen of a kiosk showing the 'being updated' screen."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from kiosk.paths import default_bundle
from kiosk.runtime.pin import PinGate, hash_pin
from kiosk.ui.journey import theme
from kiosk.ui.shell.host import BundleHost
from kiosk.ui.shell.unavailable import UnavailableScreen
from kiosk.ui.staff.access import StaffAccess
from kiosk.ui.staff.admin import StaffInfo, bundle_folders_near
from kiosk.ui.staff.lockdown import Lockdown
from tests.ui.touch import tap

PIN = "482193"
PIN_HASH = hash_pin(PIN)  # scrypt is deliberately slow: hash once for the module


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def bundles(tmp_path: Path) -> Path:
    """A folder of bundles as a technician lays them out: the shipped one and a copy."""
    shutil.copytree(default_bundle(), tmp_path / "petrograd-1917")
    return tmp_path


class Kiosk:
    def __init__(self, host: BundleHost, staff: StaffAccess, lockdown: Lockdown, clock: Clock):
        self.host, self.staff, self.lockdown, self.clock = host, staff, lockdown, clock
        self.exits: list[bool] = []
        staff.exit_requested.connect(lambda: self.exits.append(True))


def make_kiosk(qtbot: QtBot, content: Path, log: Path | None = None) -> Iterator[Kiosk]:
    host = BundleHost()
    qtbot.addWidget(host)
    host.load(content)
    host.resize(1920, 1080)
    host.show()
    qtbot.waitExposed(host)
    lockdown = Lockdown(host, "top-left", 0.3, locked=True)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(lockdown)
    clock = Clock()
    info = StaffInfo(
        config_path=Path("/etc/xdg/kiosk/kiosk.yaml"),
        config_problems=["/etc/xdg/kiosk/kiosk.yaml:3:15: error: something"],
        log_path=log,
        error_count=lambda: 2,
        bundle_choices=lambda: bundle_folders_near(host.content or content, [default_bundle()]),
    )
    staff = StaffAccess(host, lockdown, PinGate(PIN_HASH, clock), info)
    yield Kiosk(host, staff, lockdown, clock)
    app.removeEventFilter(lockdown)


@pytest.fixture
def kiosk(qtbot: QtBot, fonts: list[str], bundles: Path, tmp_path: Path) -> Iterator[Kiosk]:
    log = tmp_path / "kiosk.log"
    log.write_text("2026-01-01 10:00:00 INFO kiosk: kiosk started\n", encoding="utf-8")
    yield from make_kiosk(qtbot, bundles / "petrograd-1917", log)


def long_press(qtbot: QtBot, kiosk: Kiosk, device: QPointingDevice) -> None:
    point = QPoint(12, 12)
    QTest.touchEvent(kiosk.host, device).press(0, point).commit()
    qtbot.waitUntil(kiosk.staff.pin_pad.isVisible, timeout=10_000)
    QTest.touchEvent(kiosk.host, device).release(0, point).commit()


def type_pin(kiosk: Kiosk, device: QPointingDevice, digits: str) -> None:
    pad = kiosk.staff.pin_pad
    for key in [*digits, "OK"]:
        button = pad.keys[key]
        tap(button, device, button.rect().center())


def test_gesture_pin_and_admin_screen(
    qtbot: QtBot, kiosk: Kiosk, touchscreen: QPointingDevice
) -> None:
    long_press(qtbot, kiosk, touchscreen)
    pad = kiosk.staff.pin_pad
    assert pad.geometry() == kiosk.host.rect()
    type_pin(kiosk, touchscreen, "1111")
    assert pad.isVisible() and pad.message.text() == "That PIN is not right."
    assert not kiosk.staff.admin.isVisible()
    type_pin(kiosk, touchscreen, PIN)
    qtbot.waitUntil(kiosk.staff.admin.isVisible)
    assert not pad.isVisible()
    admin = kiosk.staff.admin
    facts = {name: label.text() for name, label in admin.fact_labels.items()}
    assert facts["Bundle"].startswith("petrograd-1917 ")
    assert facts["Status"] == "valid"
    assert facts["Config"].endswith("1 problem(s), keys ignored")
    assert "unhandled since start" in facts["Errors"] and facts["Errors"].startswith("2 ")
    assert facts["Memory"].endswith(" MB")
    assert "kiosk started" in admin.log_view[1].toPlainText()
    # The staff screen is opaque: none of the exhibit shows through (it did once).
    picture = kiosk.host.grab().toImage()
    assert picture.pixelColor(kiosk.host.width() // 2, 120) == theme.CARD
    assert "kiosk.yaml:3:15: error: something" in admin.problems[1].toPlainText()

    tap(admin.back_button, touchscreen, admin.back_button.rect().center())
    assert not admin.isVisible()
    assert kiosk.exits == []


class Lines(logging.Handler):
    """The kiosk's log lines (its logger does not propagate to pytest's capture)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def kiosk_log() -> Iterator[list[str]]:
    handler = Lines()
    logger = logging.getLogger("kiosk")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_wrong_pins_delay_the_next_try_and_the_right_one_waits_its_turn(
    qtbot: QtBot, kiosk: Kiosk, touchscreen: QPointingDevice, kiosk_log: list[str]
) -> None:
    """Finding 6 of issue 17: a correct PIN typed while the pad was locked was logged as wrong."""
    long_press(qtbot, kiosk, touchscreen)
    pad = kiosk.staff.pin_pad
    for _ in range(PinGate.FREE_TRIES):
        type_pin(kiosk, touchscreen, "000000")
    assert pad.message.text() == "That PIN is not right. Wait 5 s, then try again."
    wrong = [f"a wrong staff PIN was entered ({n} in a row)" for n in (1, 2, 3)]
    assert [line for line in kiosk_log if "PIN was" in line or "accepted" in line] == wrong
    # Staff type the right PIN during the delay: not checked, not counted, not logged as wrong.
    type_pin(kiosk, touchscreen, PIN)
    assert pad.message.text() == "Not checked yet. Wait 5 s, then press OK."
    assert pad.isVisible() and not kiosk.staff.admin.isVisible()
    assert [line for line in kiosk_log if "PIN was" in line or "accepted" in line] == wrong
    assert pad.gate.failures == 3
    kiosk.clock.now += 2
    qtbot.waitUntil(lambda: pad.message.text().endswith("Wait 3 s, then press OK."), timeout=10_000)
    kiosk.clock.now += PinGate.FIRST_DELAY_SECONDS
    qtbot.waitUntil(lambda: pad.message.text() == "", timeout=10_000)
    ok = pad.keys["OK"]
    tap(ok, touchscreen, ok.rect().center())  # the digits were kept: OK alone sends them
    qtbot.waitUntil(kiosk.staff.admin.isVisible)
    assert [line for line in kiosk_log if "PIN was" in line or "accepted" in line] == [
        *wrong,
        "staff PIN accepted: admin screen opened",
    ]


def test_reload_keeps_the_good_bundle_and_lists_every_problem(
    qtbot: QtBot, kiosk: Kiosk, touchscreen: QPointingDevice, bundles: Path
) -> None:
    kiosk.staff.admin.open()
    good = kiosk.host.exhibit
    event = bundles / "petrograd-1917" / "events" / "volynsky-mutiny.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("category:", "categroy:"))
    admin = kiosk.staff.admin
    tap(admin.reload_button, touchscreen, admin.reload_button.rect().center())
    assert kiosk.host.exhibit is good
    status = admin.fact_labels["Status"].text()
    assert status.startswith("REFUSED: ") and status.endswith("keeps showing the last good bundle")
    assert "events/volynsky-mutiny.yaml:" in admin.problems[1].toPlainText()
    assert "did you mean 'category'" in admin.problems[1].toPlainText()


def test_switch_bundle(qtbot: QtBot, kiosk: Kiosk, touchscreen: QPointingDevice) -> None:
    admin = kiosk.staff.admin
    admin.open()
    tap(admin.switch_button, touchscreen, admin.switch_button.rect().center())
    assert admin.choices.isVisible()
    names = [admin.choices.item(i).text() for i in range(admin.choices.count())]
    assert len(names) == 2  # the copy next to it, and the built-in bundle
    built_in = next(i for i, name in enumerate(names) if str(default_bundle()) in name)
    item = admin.choices.item(built_in)
    admin.choices.itemClicked.emit(item)
    assert kiosk.host.content == default_bundle()
    assert admin.fact_labels["Folder"].text() == str(default_bundle())


def test_exit_to_the_desktop_unlocks_closing(
    qtbot: QtBot, kiosk: Kiosk, touchscreen: QPointingDevice
) -> None:
    admin = kiosk.staff.admin
    admin.open()
    assert not kiosk.host.close()
    tap(admin.exit_button, touchscreen, admin.exit_button.rect().center())
    assert kiosk.exits == [True]
    assert kiosk.lockdown.allow_close
    assert kiosk.host.close()


def test_the_updating_screen_and_its_reasons_for_staff(
    qtbot: QtBot, fonts: list[str], tmp_path: Path, touchscreen: QPointingDevice
) -> None:
    broken = tmp_path / "petrograd-1917"
    shutil.copytree(default_bundle(), broken)
    (broken / "places.yaml").write_text("winter-palace: [unclosed\n", encoding="utf-8")
    for kiosk in make_kiosk(qtbot, broken):
        assert kiosk.host.exhibit is None
        assert kiosk.host.findChildren(UnavailableScreen)
        texts = {label.text() for label in kiosk.host.findChildren(QLabel)}
        assert {"This exhibit is being updated", "Экспозиция обновляется"} <= texts
        # On the paper colour, not a default grey (a real screen showed grey once).
        assert kiosk.host.grab().toImage().pixelColor(40, 40) == theme.CARD
        long_press(qtbot, kiosk, touchscreen)
        type_pin(kiosk, touchscreen, PIN)
        admin = kiosk.staff.admin
        qtbot.waitUntil(admin.isVisible)
        assert admin.fact_labels["Bundle"].text().startswith("none")
        assert admin.fact_labels["Status"].text().endswith("nothing can be shown")
        assert "places.yaml:2:1: error: " in admin.problems[1].toPlainText()
        # Fixed in place, a reload from the admin screen brings the exhibit back.
        shutil.copy(default_bundle() / "places.yaml", broken / "places.yaml")
        tap(admin.reload_button, touchscreen, admin.reload_button.rect().center())
        assert kiosk.host.exhibit is not None
        assert admin.fact_labels["Status"].text() == "valid"
        # The admin screen stays on top of the exhibit that just appeared.
        picture = kiosk.host.grab().toImage()
        assert picture.pixelColor(kiosk.host.width() // 2, 120) == theme.CARD


def test_the_updating_screen_speaks_the_configured_languages(
    qtbot: QtBot, fonts: list[str]
) -> None:
    screen = UnavailableScreen(("ru", "fi"))
    qtbot.addWidget(screen)
    texts = [label.text() for label in screen.findChildren(QLabel)]
    # Russian first; Finnish has no kiosk strings, so English stands in for it, once.
    assert texts[0] == "Экспозиция обновляется"
    assert texts[2] == "This exhibit is being updated"
    assert len(texts) == 4


def test_left_alone_the_pad_and_the_admin_screen_close(
    qtbot: QtBot, kiosk: Kiosk, touchscreen: QPointingDevice
) -> None:
    pad, admin = kiosk.staff.pin_pad, kiosk.staff.admin
    long_press(qtbot, kiosk, touchscreen)
    pad._idle.setInterval(50)  # 30 s in the kiosk
    pad._idle.start()
    qtbot.waitUntil(lambda: not pad.isVisible(), timeout=10_000)
    admin.open()
    admin._idle.setInterval(50)  # 5 minutes in the kiosk
    admin._idle.start()
    qtbot.waitUntil(lambda: not admin.isVisible(), timeout=10_000)
    assert kiosk.exits == []


def test_the_configured_screen_or_the_primary_one(
    qapp: QApplication, caplog: pytest.LogCaptureFixture
) -> None:
    from kiosk.app import choose_screen

    primary = qapp.primaryScreen()
    assert choose_screen(qapp, None) is primary
    assert choose_screen(qapp, 0) is primary
    assert choose_screen(qapp, primary.name()) is primary
    assert caplog.text == ""
    assert choose_screen(qapp, 5) is primary
    assert choose_screen(qapp, "HDMI-9") is primary
    assert "screen 'HDMI-9' not found" in caplog.text


def test_the_admin_screen_says_when_the_config_cannot_be_read(kiosk: Kiosk) -> None:
    """Finding 13 of issue 17: a config with a syntax error was dropped silently."""
    admin = kiosk.staff.admin
    admin.info.config_unreadable = True
    admin.info.config_fallback = Path("/etc/xdg/kiosk/kiosk.yaml.last-good")
    admin.open()
    assert admin.fact_labels["Config"].text() == (
        "/etc/xdg/kiosk/kiosk.yaml; CANNOT BE READ, running on its last good copy "
        "/etc/xdg/kiosk/kiosk.yaml.last-good"
    )
    admin.info.config_fallback = None
    admin.open()
    assert admin.fact_labels["Config"].text().endswith("; CANNOT BE READ, running on defaults")
    assert "kiosk.yaml:3:15: error: something" in admin.problems[1].toPlainText()
