"""Narration: Listen plays the recording with progress and captions, one at a time, and stops
on close, on another event, on a change of language and at the reset; the system's voice reads
events without a recording (a fake synthesizer here); the keypad's volume reaches the sound."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.ui.access.narration import RecordingSound, caption_at, sentences
from kiosk.ui.journey.idle import COUNTDOWN_SECONDS, Phase
from kiosk.ui.journey.words import tr
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.access.conftest import NARRATED, RUSSIAN_TRANSCRIPT

IDLE = 60
OTHER = "nevsky-cossacks-kerb"


def listen(window: MainWindow, event_id: str = NARRATED) -> None:
    window.state.select(event_id)
    assert window.listen_bar.isVisible()
    window.listen_bar.button.click()


def test_sentences_and_the_caption_at_a_share_of_the_time() -> None:
    parts = sentences("First one. Second, longer one! «Третья?» Last")
    assert parts == ["First one.", "Second, longer one!", "«Третья?»", "Last"]
    assert caption_at(parts, 0.0) == "First one."
    assert caption_at(parts, 0.5) == "Second, longer one!"
    assert caption_at(parts, 1.0) == "Last"


def test_listen_is_offered_only_where_there_is_something_to_hear(
    narrated_window: MainWindow,
) -> None:
    window = narrated_window
    window.state.select(NARRATED)
    assert window.listen_bar.isVisible()
    assert window.listen_bar.button.accessibleName() == tr("en", "listen")
    other = next(e.id for e in window.bundle.events if not e.audio)
    window.state.select(other)
    assert not window.listen_bar.isVisible()


def test_listen_plays_with_progress_and_captions_then_ends(
    qtbot: QtBot, narrated_window: MainWindow, manual_clock: ManualClock
) -> None:
    window = narrated_window
    listen(window)
    assert window.narration.playing and window.narration.event_id == NARRATED
    assert window.listen_bar.button.accessibleName() == tr("en", "stop_listening")
    assert window.listen_bar.captions.isVisible()
    # The event's own text is the transcript: the sentence shown is one of its sentences.
    text = window.narration.transcript(NARRATED, "en")
    assert window.listen_bar.captions.text() in sentences(text)
    qtbot.waitUntil(lambda: window.listen_bar.progress.share > 0, timeout=10_000)
    assert "/ 0:01" in window.listen_bar.time.text()
    manual_clock.advance(IDLE + 1)
    assert window.idle.phase is Phase.ACTIVE  # nobody touches while listening: not idle
    qtbot.waitUntil(lambda: not window.narration.playing, timeout=5000)
    assert not window.listen_bar.captions.isVisible()
    assert window.listen_bar.button.accessibleName() == tr("en", "listen")
    manual_clock.advance(IDLE + 1)
    assert window.idle.phase is Phase.COUNTDOWN  # idleness counts from the end


def test_a_recording_with_its_own_transcript_captions_it(narrated_window: MainWindow) -> None:
    window = narrated_window
    window.state.set_language("ru")
    listen(window)
    assert window.listen_bar.captions.text() == RUSSIAN_TRANSCRIPT.split(". ")[0] + "."


@pytest.mark.parametrize("how", ["close", "another event", "language", "reset"])
def test_narration_stops(narrated_window: MainWindow, how: str) -> None:
    window = narrated_window
    listen(window)
    sound = window.narration._sound
    assert isinstance(sound, RecordingSound)
    if how == "close":
        window.panel.close_button.click()
    elif how == "another event":
        window.state.select(OTHER)
    elif how == "language":
        window.state.set_language("ru")
    else:
        window.reset_to_start()
    assert not window.narration.playing
    assert sound.finished()  # its device is closed: nothing goes on playing unseen


def test_the_idle_reset_stops_it(narrated_window: MainWindow, manual_clock: ManualClock) -> None:
    window = narrated_window
    listen(window)
    window.idle.set_busy(False)  # as if the recording were endless and the visitor had gone
    window.narration.changed.disconnect(window._busy_changed)
    manual_clock.advance(IDLE + 1)
    manual_clock.advance(COUNTDOWN_SECONDS + 0.5)
    assert window.idle.phase is Phase.ATTRACT
    assert not window.narration.playing


def test_never_two_at_once(narrated_window: MainWindow) -> None:
    window = narrated_window
    listen(window)
    first = window.narration._sound
    assert isinstance(first, RecordingSound)
    window.state.set_language("ru")
    listen(window)
    assert first.finished() and window.narration.playing
    assert window.narration._sound is not first


def test_the_keypads_volume_reaches_the_sound(narrated_window: MainWindow) -> None:
    window = narrated_window
    listen(window)
    sound = window.narration._sound
    assert isinstance(sound, RecordingSound)
    before = sound._factor
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, Qt.Key.Key_VolumeDown)
    assert window.narration.volume == pytest.approx(window.keypad.volume)
    assert sound._factor < before
    window.reset_to_start()
    assert window.keypad.volume == window.narration.volume == 0.8  # the installation's again


def test_the_system_voice_reads_an_event_without_a_recording(
    qtbot: QtBot, speaking_window: MainWindow, tmp_path: Path
) -> None:
    window = speaking_window
    window.state.set_language("ru")
    window.state.select(OTHER)
    assert window.listen_bar.isVisible()  # speech allowed: every event can be heard
    window.listen_bar.button.click()
    said = tmp_path / "said.txt"
    qtbot.waitUntil(said.exists, timeout=10_000)
    qtbot.waitUntil(lambda: said.read_text(encoding="utf-8").count("|") >= 2, timeout=10_000)
    language, argument, spoken = said.read_text(encoding="utf-8").split("|", 2)
    event = window.bundle.event(OTHER)
    assert language == "ru"
    assert argument.startswith(event.title["ru"]) and spoken == argument
    assert window.narration.playing
    process = window.narration._sound._process  # type: ignore[union-attr]
    window.panel.close_button.click()
    assert not window.narration.playing
    assert process is not None and process.poll() is not None  # the synthesizer was ended


def test_the_audio_mode_speaks_the_focused_event(narrated_window: MainWindow) -> None:
    window = narrated_window
    handle = window.windowHandle()
    assert handle is not None
    index = window.bundle.index_of(NARRATED)
    window.keypad.focus(window.bundle.events[index - 1].id)
    assert not window.narration.playing  # not yet in use: nothing is said
    QTest.keyClick(handle, Qt.Key.Key_Right)
    assert window.keypad.focused == NARRATED
    assert window.narration.playing and window.narration.event_id == NARRATED  # its recording
    window.reset_to_start()
    assert not window.narration.playing


def test_the_audio_mode_reads_title_and_summary_by_the_system_voice(
    qtbot: QtBot, speaking_window: MainWindow, tmp_path: Path
) -> None:
    window = speaking_window
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, Qt.Key.Key_Right)
    first = window.bundle.events[0]
    said = tmp_path / "said.txt"
    qtbot.waitUntil(
        lambda: said.exists() and said.read_text("utf-8").count("|") >= 2, timeout=10_000
    )
    spoken = said.read_text(encoding="utf-8").split("|", 2)[2]
    assert spoken == f"{first.title['en']}. {first.summary['en']}"


def test_a_touch_ends_the_audio_mode(narrated_window: MainWindow) -> None:
    window = narrated_window
    window.keypad.in_use = True
    window.keypad.focus(NARRATED)
    assert window.narration.playing
    window.narration.stop()
    window.touches.pressed.emit(window.rect().center().toPointF())
    window.keypad.focus(NARRATED)
    assert not window.narration.playing  # a visitor using the screen hears nothing unasked
