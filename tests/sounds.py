"""Short recordings made sample by sample, for narration checks (the standard library's wave)."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path


def write_wav(path: Path, seconds: float = 0.5, rate: int = 22_050, pitch: float = 440.0) -> Path:
    """A mono 16-bit WAV of a quiet tone, `seconds` long."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = int(seconds * rate)
    samples = (round(6000 * math.sin(2 * math.pi * pitch * n / rate)) for n in range(frames))
    with wave.open(str(path), "wb") as stream:
        stream.setnchannels(1)
        stream.setsampwidth(2)
        stream.setframerate(rate)
        stream.writeframes(b"".join(struct.pack("<h", sample) for sample in samples))
    return path


def opus_header() -> bytes:
    """The first page of an OGG Opus file: enough to be recognised, and refused."""
    return b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x13OpusHead\x01\x02\x38\x01" + b"\x00" * 16
