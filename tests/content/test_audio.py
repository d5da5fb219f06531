"""Narration files: checked like images (exists, inside the bundle, decodes, size and length),
each problem at the line of the event file that names it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content import audio, validate_bundle
from kiosk.content.audio import MAX_AUDIO_BYTES, audio_problem, read_audio_info
from tests.content.conftest import BundleFiles
from tests.sounds import opus_header, write_wav

STRIKE = "events/women-day-strike.yaml"


def problems_of(bundle: BundleFiles) -> list[str]:
    _, problems = validate_bundle(bundle.root)
    return [str(p) for p in problems]


def add_audio(bundle: BundleFiles, text: str) -> None:
    bundle.replace(STRIKE, "quotes: [bread-banner]\n", f"quotes: [bread-banner]\naudio:\n{text}")


def test_a_wav_is_read_from_its_header_and_decodes(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "a.wav", seconds=1.5)
    info = read_audio_info(path)
    assert (info.format, info.channels, info.sample_rate) == ("WAV", 1, 22_050)
    assert info.seconds == pytest.approx(1.5)
    assert audio_problem(path) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"hello, not a sound", "this file is not a recording the kiosk can play"),
        (opus_header(), "this is an OGG Opus recording, which the kiosk cannot play"),
        (b"OggS\x00\x02" + b"\x00" * 60, "this OGG file holds no Vorbis sound"),
        (b"ID3\x03\x00" + b"\x00" * 500, "the MP3 file is damaged and cannot be decoded"),
        (b"fLaC" + b"\x00" * 200, "the FLAC file is damaged and cannot be decoded"),
    ],
)
def test_what_the_kiosk_cannot_play_is_named(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "sound"
    path.write_bytes(data)
    problem = audio_problem(path)
    assert problem is not None and problem.startswith(message), problem


def test_a_silent_wav_holds_no_sound(tmp_path: Path) -> None:
    assert audio_problem(write_wav(tmp_path / "empty.wav", seconds=0)) == (
        "the WAV file holds no sound"
    )


def test_too_large_and_too_long(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = write_wav(tmp_path / "big.wav", seconds=0.1)
    with big.open("r+b") as stream:
        stream.truncate(MAX_AUDIO_BYTES + 1)  # sparse: instant
    assert audio_problem(big) == (
        "the recording is too large (30.0 MB; at most 30.0 MB); export it as MP3 or OGG Vorbis "
        "at 64 kbit/s"
    )
    monkeypatch.setattr(audio, "MAX_AUDIO_SECONDS", 60)
    long = write_wav(tmp_path / "long.wav", seconds=90, rate=1000)
    assert audio_problem(long) == (
        "the recording is too long (1.5 minutes; at most 1); visitors at a kiosk listen for a "
        "few minutes"
    )


def test_an_event_with_recordings_is_valid(bundle: BundleFiles) -> None:
    write_wav(bundle.path("audio/strike-en.wav"))
    write_wav(bundle.path("audio/strike-ru.wav"))
    add_audio(
        bundle,
        "  en: audio/strike-en.wav\n"
        '  ru: {file: audio/strike-ru.wav, transcript: "Работницы бросают работу."}\n',
    )
    result, problems = validate_bundle(bundle.root)
    assert problems == []
    assert result is not None
    event = result.event("women-day-strike")
    english, russian = event.recording("en"), event.recording("ru")
    assert english is not None and english.file == "audio/strike-en.wav"
    assert english.transcript is None
    assert russian is not None and russian.transcript == "Работницы бросают работу."
    assert event.recording("de") is None


def test_a_missing_recording_is_named_at_its_line(bundle: BundleFiles) -> None:
    add_audio(bundle, "  en: audio/strike-en.mp3\n")
    assert problems_of(bundle) == [
        f"{STRIKE}:15:7: error: the file 'audio/strike-en.mp3' does not exist"
    ]


def test_a_broken_recording_in_the_long_form_is_named_at_its_file(bundle: BundleFiles) -> None:
    bundle.path("audio").mkdir()
    bundle.path("audio/strike.ogg").write_bytes(opus_header())
    add_audio(bundle, '  en: {file: audio/strike.ogg, transcript: "Strike."}\n')
    assert problems_of(bundle) == [
        f"{STRIKE}:15:14: error: 'audio/strike.ogg': this is an OGG Opus recording, which the "
        "kiosk cannot play; export it as OGG Vorbis or MP3 instead (WAV, MP3, OGG Vorbis or FLAC)"
    ]


def test_a_recording_outside_the_bundle_is_refused(bundle: BundleFiles) -> None:
    write_wav(bundle.root.parent / "outside.wav")
    add_audio(bundle, "  en: ../outside.wav\n")
    (problem,) = problems_of(bundle)
    assert problem.startswith(f"{STRIKE}:15:7: error: '../outside.wav' is not inside the bundle")


def test_a_recording_in_a_language_the_bundle_lacks_is_a_warning(bundle: BundleFiles) -> None:
    write_wav(bundle.path("audio/strike-de.wav"))
    add_audio(bundle, "  de: audio/strike-de.wav\n")
    (problem,) = problems_of(bundle)
    assert problem.startswith(f"{STRIKE}:15:3: warning: "), problem
