"""Curator images checked without decoding them: format, size in bytes and size in pixels.

Only the header is read (a few bytes for PNG, GIF and WebP; the segment headers for JPEG), so a
hostile "image" that would need gigabytes to decode is refused here, before the kiosk tries.
The UI decodes under an allocation limit as well (kiosk/ui/qt/images.py uses the same limits).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 25_000_000  # about 6100 x 4100: far more than a panel shows
_MAX_JPEG_SEGMENTS = 1000  # a real JPEG reaches its frame header within a few dozen

# The formats the kiosk shows: Qt reads PNG itself, and the packaged kiosk carries the JPEG and
# GIF image plugins and no others (kiosk.spec; tests/test_package_formats.py keeps the two in
# step). WebP and TIFF are recognised, to say how to convert them, but refused.
SHOWN_FORMATS = ("JPEG", "PNG", "GIF")
FORMATS = "JPEG, PNG or GIF"
# The largest screen a kiosk has (4K) is 3840 pixels wide: a picture's longer side beyond this
# is never seen, only decoded. `kiosk media prepare` makes copies of at most PREPARED_SIDE.
PREPARED_SIDE = 3840
LARGE_SIDE = 4096  # from here on, validate suggests `kiosk media prepare`


@dataclass(frozen=True)
class ImageInfo:
    """What an image file's header says."""

    format: str
    width: int
    height: int


class NotAnImage(ValueError):
    """The file is not an image the kiosk can show; the message says why, in plain words."""


def _png(head: bytes) -> ImageInfo:
    if len(head) < 24 or head[12:16] != b"IHDR":
        raise NotAnImage("the PNG file is cut short or damaged")
    width, height = struct.unpack(">II", head[16:24])
    return ImageInfo("PNG", width, height)


def _gif(head: bytes) -> ImageInfo:
    if len(head) < 10:
        raise NotAnImage("the GIF file is cut short or damaged")
    width, height = struct.unpack("<HH", head[6:10])
    return ImageInfo("GIF", width, height)


def _webp(head: bytes) -> ImageInfo:
    chunk = head[12:16]
    if chunk == b"VP8 " and len(head) >= 30 and head[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", head[26:30])
        return ImageInfo("WebP", width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L" and len(head) >= 25 and head[20] == 0x2F:
        bits = int.from_bytes(head[21:25], "little")
        return ImageInfo("WebP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X" and len(head) >= 30:
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return ImageInfo("WebP", width, height)
    raise NotAnImage("the WebP file is cut short or damaged")


# JPEG start-of-frame markers carry the size; C4 (Huffman), C8 and CC (arithmetic) do not.
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg(stream: BinaryIO) -> ImageInfo:
    stream.seek(2)
    for _ in range(_MAX_JPEG_SEGMENTS):
        marker = stream.read(2)
        while len(marker) == 2 and marker[0] == 0xFF and marker[1] == 0xFF:  # fill bytes
            marker = marker[1:] + stream.read(1)
        if len(marker) < 2 or marker[0] != 0xFF:
            break
        if 0xD0 <= marker[1] <= 0xD9 or marker[1] == 0x01:  # markers without a length
            continue
        length_bytes = stream.read(2)
        if len(length_bytes) < 2:
            break
        length = struct.unpack(">H", length_bytes)[0]
        if length < 2:
            break
        if marker[1] in _SOF_MARKERS:
            frame = stream.read(5)
            if len(frame) < 5:
                break
            height, width = struct.unpack(">HH", frame[1:5])
            return ImageInfo("JPEG", width, height)
        stream.seek(length - 2, 1)
    raise NotAnImage("the JPEG file is cut short or damaged")


def read_image_info(path: Path) -> ImageInfo:
    """The format and pixel size of an image, from its header only; NotAnImage if it is none."""
    with path.open("rb") as stream:
        head = stream.read(32)
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            info = _png(head)
        elif head.startswith((b"GIF87a", b"GIF89a")):
            info = _gif(head)
        elif head.startswith(b"RIFF") and head[8:12] == b"WEBP":
            info = _webp(head)
        elif head.startswith(b"\xff\xd8\xff"):
            info = _jpeg(stream)
        elif head.startswith((b"II*\x00", b"MM\x00*")):
            return ImageInfo("TIFF", 0, 0)  # refused whatever its size: no need to read it
        else:
            raise NotAnImage(f"this file is not an image the kiosk can show ({FORMATS})")
    if info.width == 0 or info.height == 0:
        raise NotAnImage(f"the {info.format} file says it is {info.width} x {info.height} pixels")
    return info


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


_PREPARE = "`python -m kiosk media prepare` makes screen-sized copies"


def inspect_image(path: Path) -> tuple[str | None, ImageInfo | None]:
    """Why the image at `path` cannot be shown (in plain words; None if it can), and what its
    header says (None if it could not be read)."""
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            return (
                f"the image is too large ({_megabytes(size)}; at most "
                f"{_megabytes(MAX_IMAGE_BYTES)}); save a smaller copy ({_PREPARE})",
                None,
            )
        info = read_image_info(path)
    except NotAnImage as exc:
        return str(exc), None
    except OSError as exc:
        return f"the image cannot be read: {exc.strerror or exc}", None
    if info.format not in SHOWN_FORMATS:
        return (
            f"{info.format} pictures are not shown by the kiosk (it shows {FORMATS}); save it "
            f"as JPEG ({_PREPARE} and converts it) and name the .jpg file here",
            info,
        )
    if info.width * info.height > MAX_IMAGE_PIXELS:
        return (
            f"the image has too many pixels ({info.width} x {info.height}; at most "
            f"{MAX_IMAGE_PIXELS // 1_000_000} million); save a smaller copy ({_PREPARE})",
            info,
        )
    return None, info


def image_problem(path: Path) -> str | None:
    """Why the image at `path` cannot be shown (in plain words), or None if it can."""
    return inspect_image(path)[0]


def size_warning(info: ImageInfo) -> str | None:
    """A note for a picture far larger than any screen shows (it is decoded, and costs time,
    at every opening), or None."""
    if max(info.width, info.height) <= LARGE_SIDE:
        return None
    return (
        f"the picture is {info.width} x {info.height} pixels, far more than any screen shows "
        f"(a 4K screen is {PREPARED_SIDE} pixels wide) and slow to open; {_PREPARE}"
    )
