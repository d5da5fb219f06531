"""Curator recordings (an event's narration) checked before a visitor presses Listen.

A recording must be a format the kiosk's decoder reads (miniaudio: WAV, MP3, OGG Vorbis, FLAC),
no larger than `MAX_AUDIO_BYTES` and no longer than `MAX_AUDIO_SECONDS`, and its first second
must decode. OGG Opus is recognised and refused with a way out: miniaudio has no Opus decoder,
and the one-folder package would need libopus for it (docs/decisions.md). Only the header is
parsed for the length, and only the opening is decoded, so a long bundle validates quickly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_AUDIO_BYTES = 30 * 1024 * 1024  # about 30 minutes of speech as MP3; far more than needed
MAX_AUDIO_SECONDS = 10 * 60  # a visitor standing at a kiosk listens for minutes, not more
CHECK_SECONDS = 1.0  # decoded at validation, to catch a damaged or mislabelled file

FORMATS = "WAV, MP3, OGG Vorbis or FLAC"


@dataclass(frozen=True)
class AudioInfo:
    """What a recording's header says."""

    format: str
    seconds: float
    channels: int
    sample_rate: int


class NotAudio(ValueError):
    """The file is not a recording the kiosk can play; the message says why, in plain words."""


def _kind(head: bytes) -> str:
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "WAV"
    if head.startswith(b"OggS"):
        if b"OpusHead" in head:
            raise NotAudio(
                "this is an OGG Opus recording, which the kiosk cannot play; export it as "
                f"OGG Vorbis or MP3 instead ({FORMATS})"
            )
        if b"\x01vorbis" in head:
            return "OGG Vorbis"
        raise NotAudio(f"this OGG file holds no Vorbis sound ({FORMATS})")
    if head.startswith(b"fLaC"):
        return "FLAC"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "MP3"
    raise NotAudio(f"this file is not a recording the kiosk can play ({FORMATS})")


def read_audio_info(path: Path) -> AudioInfo:
    """Format, length and layout of a recording; NotAudio if the kiosk cannot play it."""
    import miniaudio

    with path.open("rb") as stream:
        kind = _kind(stream.read(64))
    try:
        info = miniaudio.get_file_info(str(path))
        # The opening decoded at the file's own rate and channels: no resampling, a few ms.
        rate, channels = max(1, info.sample_rate), max(1, info.nchannels)
        decoded = 0.0
        stream_ = miniaudio.stream_file(
            str(path), nchannels=channels, sample_rate=rate, frames_to_read=rate // 4
        )
        for chunk in stream_:
            decoded += len(chunk) / (channels * rate)
            if decoded >= CHECK_SECONDS:
                break
        stream_.close()
    except miniaudio.DecodeError as exc:
        raise NotAudio(f"the {kind} file is damaged and cannot be decoded ({exc})") from None
    seconds = info.num_frames / info.sample_rate if info.sample_rate else 0.0
    if seconds <= 0 or decoded <= 0:
        raise NotAudio(f"the {kind} file holds no sound")
    if decoded < 0.9 * min(seconds, CHECK_SECONDS):
        raise NotAudio(f"the {kind} file is cut short: it says {seconds:.1f} s but holds less")
    return AudioInfo(kind, seconds, info.nchannels, info.sample_rate)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def audio_problem(path: Path) -> str | None:
    """Why the recording at `path` cannot be played (in plain words), or None if it can."""
    try:
        size = path.stat().st_size
        if size > MAX_AUDIO_BYTES:
            return (
                f"the recording is too large ({_megabytes(size)}; at most "
                f"{_megabytes(MAX_AUDIO_BYTES)}); export it as MP3 or OGG Vorbis at 64 kbit/s"
            )
        info = read_audio_info(path)
    except NotAudio as exc:
        return str(exc)
    except OSError as exc:
        return f"the recording cannot be read: {exc.strerror or exc}"
    if info.seconds > MAX_AUDIO_SECONDS:
        return (
            f"the recording is too long ({info.seconds / 60:.1f} minutes; at most "
            f"{MAX_AUDIO_SECONDS // 60}); visitors at a kiosk listen for a few minutes"
        )
    return None
