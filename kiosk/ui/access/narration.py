"""Narration: an event's recording played, or its text read by the system's voice, one at a time.

Recordings are decoded and played by miniaudio (WAV, MP3, OGG Vorbis, FLAC; docs/decisions.md
says why not QtMultimedia) on the platform's sound output; `KIOSK_AUDIO_OUTPUT=null` plays into
miniaudio's null device instead (tests, machines without sound). The decoder runs in miniaudio's
audio thread through a generator that touches no Qt object: it only counts frames and reads the
volume; the GUI thread polls that count for the progress and the captions.

When an event has no recording in the visitor's language and the installation allows it
(`accessibility: speech: system`), the system's speech synthesizer reads it instead: a command
(speech-dispatcher's `spd-say` on Linux, Windows' voices through PowerShell, or the
installation's own) run with the language and the text, and stopped by ending it.

`Narration` makes sure only one sound plays: starting one stops the other, and the window stops
it when the panel closes, another event opens, the language changes or the kiosk resets.
"""

from __future__ import annotations

import array
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.content import Bundle
from kiosk.content.data import pick
from kiosk.runtime.accessibility import AccessibilitySettings
from kiosk.ui.qt import work
from kiosk.ui.qt.gui_collector import collect_on_gui_thread

log = logging.getLogger(__name__)

RATE = 44_100
CHANNELS = 2
POLL_MS = 100  # progress and captions
BUFFER_MS = 200  # the sound output's buffer: decoded this much before it is heard
OUTPUT_ENV = "KIOSK_AUDIO_OUTPUT"  # "null": miniaudio's null device (no sound card needed)
SPEECH_CHARACTERS_PER_SECOND = 14.0  # for the progress of synthesized speech: an estimate
_VOLUME_ONE = 1024  # volume as a fixed-point factor: samples * factor >> 10

LINUX_SPEECH = ("spd-say", "--wait", "--language", "{language}", "{text}")
LINUX_SPEECH_CANCEL = ("spd-say", "--cancel")
# The text comes on standard input: nothing the curator wrote is ever part of the script.
WINDOWS_SPEECH = (
    "powershell",
    "-NoProfile",
    "-NonInteractive",
    "-Command",
    "Add-Type -AssemblyName System.Speech; "
    "$s = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
    "try { $s.SelectVoiceByHints('NotSet', 'NotSet', 0, "
    "[Globalization.CultureInfo]::GetCultureInfo('{language}')) } catch {}; "
    "$s.Volume = {volume}; $s.Speak([Console]::In.ReadToEnd())",
)


def speech_command(settings: AccessibilitySettings) -> tuple[str, ...]:
    """The synthesizer command: the installation's own, else the platform's."""
    if settings.speech_command:
        return settings.speech_command
    return WINDOWS_SPEECH if sys.platform == "win32" else LINUX_SPEECH


def sentences(text: str) -> list[str]:
    """The text in sentences, for captions (a sentence ends with . ! ? … and a space)."""
    return re.findall(r"\S.*?(?:[.!?…]+[»”\"')]*(?=\s|$)|$)", " ".join(text.split()))


def caption_at(parts: Sequence[str], share: float) -> str:
    """The sentence being spoken `share` (0 to 1) of the way through, by characters."""
    total = sum(len(part) for part in parts)
    if not parts or total == 0:
        return ""
    reached = 0
    for part in parts:
        reached += len(part)
        if reached / total >= share:
            return part
    return parts[-1]


class Sound:
    """One recording or one synthesized reading, playing until it ends or is stopped."""

    seconds = 0.0  # how long it lasts (an estimate for speech)

    def position(self) -> float:
        raise NotImplementedError

    def finished(self) -> bool:
        raise NotImplementedError

    def set_volume(self, volume: float) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class RecordingSound(Sound):
    """A recording played by miniaudio on the sound output (or its null device)."""

    def __init__(self, path: Path, volume: float, seconds: float) -> None:
        import miniaudio

        collect_on_gui_thread()  # the audio thread runs Python: no collection may start there
        self.seconds = seconds
        self._frames = 0
        self._done = False
        self._stopping = False
        self._factor = round(volume * _VOLUME_ONE)
        backends = [miniaudio.Backend.NULL] if os.environ.get(OUTPUT_ENV) == "null" else None
        stream = miniaudio.stream_file(
            str(path), output_format=miniaudio.SampleFormat.SIGNED16, nchannels=CHANNELS,
            sample_rate=RATE,
        )  # fmt: skip
        self._device = miniaudio.PlaybackDevice(
            output_format=miniaudio.SampleFormat.SIGNED16,
            nchannels=CHANNELS,
            sample_rate=RATE,
            buffersize_msec=BUFFER_MS,
            backends=backends,
            app_name="kiosk",
        )
        feed = self._feed(stream)
        next(feed)
        self._device.start(feed)

    def _feed(self, stream: Iterator[array.array]) -> Generator[object, int, None]:
        """Runs in the audio thread: decoded frames at the volume; no Qt object is touched."""
        frames = yield b""
        try:
            while not self._stopping:
                chunk = stream.send(frames)  # type: ignore[attr-defined]
                self._frames += len(chunk) // CHANNELS
                factor = self._factor
                if factor != _VOLUME_ONE:
                    chunk = array.array("h", [sample * factor >> 10 for sample in chunk])
                frames = yield chunk
        except StopIteration:
            pass
        finally:
            self._done = True

    def position(self) -> float:
        return max(0.0, self._frames / RATE - BUFFER_MS / 1000)

    def finished(self) -> bool:
        return self._done

    def set_volume(self, volume: float) -> None:
        self._factor = round(min(1.0, max(0.0, volume)) * _VOLUME_ONE)

    def stop(self) -> None:
        self._stopping = True  # the feed ends at the device's next request
        self._done = True
        # Closing waits for the audio thread to finish its period (up to ~200 ms measured):
        # not on the GUI thread, where it would hold up the tap that stopped it.
        work.submit(self._device.close, lane=work.Lane.SOUND)


class SpeechSound(Sound):
    """The text read by the system's synthesizer: a command that speaks and then ends."""

    def __init__(
        self, command: Sequence[str], language: str, text: str, volume: float, cancel: bool
    ) -> None:
        values = {"language": language, "text": text, "volume": str(round(volume * 100))}
        args = [_fill(part, values) for part in command]
        self.seconds = max(1.0, len(text) / SPEECH_CHARACTERS_PER_SECOND)
        self._started = time.monotonic()
        self._cancel = cancel  # speech-dispatcher goes on speaking after its client ends
        self._process: subprocess.Popen[bytes] | None = None
        try:
            self._process = subprocess.Popen(
                args,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            assert self._process.stdin is not None
            self._process.stdin.write(text.encode("utf-8"))
            self._process.stdin.close()
        except (OSError, BrokenPipeError) as exc:
            log.warning("the speech synthesizer %r could not be run: %s", args[0], exc)

    def position(self) -> float:
        return min(self.seconds, time.monotonic() - self._started)

    def finished(self) -> bool:
        return self._process is None or self._process.poll() is not None

    def set_volume(self, volume: float) -> None:
        return None  # the synthesizer's volume is set when it starts

    def stop(self) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
        if self._cancel:
            try:
                subprocess.run(LINUX_SPEECH_CANCEL, timeout=2, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                log.warning("speech could not be cancelled: %s", exc)


def _fill(part: str, values: dict[str, str]) -> str:
    """`part` with {language}, {text} and {volume} filled in, in one pass (the text may hold
    braces of its own)."""
    return re.sub(r"\{(language|text|volume)\}", lambda match: values[match[1]], part)


class Narration(QObject):
    """Plays one event's narration at a time; reports what plays, its progress and captions."""

    changed = Signal(object)  # the event id playing, or None when nothing plays
    progress = Signal(float, float)  # seconds played, seconds in all
    caption = Signal(str)  # the sentence being spoken now
    started = Signal(str)  # "recording" or "speech": how the last narration was given

    def __init__(
        self, bundle: Bundle, settings: AccessibilitySettings, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._settings = settings
        self.volume = settings.volume
        self.event_id: str | None = None
        self._sound: Sound | None = None
        self._captions: list[str] = []
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def playing(self) -> bool:
        return self._sound is not None

    def recording(self, event_id: str, language: str) -> Path | None:
        recording = self._bundle.event(event_id).recording(language)
        return self._bundle.root / recording.file if recording is not None else None

    def available(self, event_id: str, language: str) -> bool:
        """Whether `event_id` can be heard in `language` (a recording, or speech allowed)."""
        return self.recording(event_id, language) is not None or self._settings.speech == "system"

    def transcript(self, event_id: str, language: str, brief: bool = False) -> str:
        """What the narration says: the recording's own transcript, else the event's text."""
        event = self._bundle.event(event_id)
        recording = event.recording(language)
        if recording is not None and recording.transcript is not None:
            return recording.transcript
        fallback = self._bundle.default_language
        title = pick(event.title, language, fallback)
        summary = pick(event.summary, language, fallback)
        if brief:
            return f"{title}. {summary}"
        return f"{title}. {summary}\n\n{pick(event.body, language, fallback)}"

    def play(self, event_id: str, language: str, brief: bool = False) -> bool:
        """Play `event_id`'s narration (stopping any other); `brief` is its title and summary
        when read by the synthesizer. False if there is nothing to play."""
        self.stop()
        path = self.recording(event_id, language)
        text = self.transcript(event_id, language, brief and path is None)
        sound: Sound
        if path is not None:
            try:
                import miniaudio

                info = miniaudio.get_file_info(str(path))  # the header only: no decoding here
                seconds = info.num_frames / info.sample_rate if info.sample_rate else 0.0
                sound = RecordingSound(path, self.volume, seconds)
            except Exception:
                # A sound output that is missing or busy must not stop the exhibit.
                log.warning("the recording %s could not be played", path, exc_info=True)
                return False
            kind = "recording"
        elif self._settings.speech == "system":
            command = speech_command(self._settings)
            cancel = command is LINUX_SPEECH
            sound = SpeechSound(command, language, " ".join(text.split()), self.volume, cancel)
            kind = "speech"
        else:
            return False
        self._sound = sound
        self._captions = sentences(text)
        self.event_id = event_id
        self._timer.start()
        self.changed.emit(event_id)
        self.started.emit(kind)
        self._poll()
        return True

    def say(self, text: str, language: str) -> bool:
        """Have the system's voice say `text` (the keypad's help), if the installation allows
        it; it stops whatever plays. False if it does not."""
        if self._settings.speech != "system":
            return False
        self.stop()
        command = speech_command(self._settings)
        spoken = " ".join(text.split())
        self._sound = SpeechSound(command, language, spoken, self.volume, command is LINUX_SPEECH)
        self._captions = sentences(spoken)
        self._timer.start()
        self.changed.emit(None)
        self.started.emit("speech")
        return True

    def stop(self) -> None:
        """Stop whatever plays (nothing if nothing does)."""
        sound, self._sound = self._sound, None
        if sound is None:
            return
        self._timer.stop()
        sound.stop()
        self.event_id = None
        self.caption.emit("")
        self.changed.emit(None)

    def set_volume(self, volume: float) -> None:
        self.volume = volume
        if self._sound is not None:
            self._sound.set_volume(volume)

    def _poll(self) -> None:
        sound = self._sound
        if sound is None:
            return
        if sound.finished():
            self.progress.emit(sound.seconds, sound.seconds)
            self.stop()
            return
        position = sound.position()
        self.progress.emit(position, sound.seconds)
        self.caption.emit(caption_at(self._captions, position / sound.seconds))
