"""Image checks from headers only: format, pixel size and byte size, never decoding."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content.media import (
    LARGE_SIDE,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_PIXELS,
    ImageInfo,
    NotAnImage,
    image_problem,
    read_image_info,
    size_warning,
)
from tests import images

NOT_AN_IMAGE = "this file is not an image the kiosk can show (JPEG, PNG or GIF)"


@pytest.mark.parametrize(
    ("data", "info"),
    [
        (images.png(3, 2), ImageInfo("PNG", 3, 2)),
        (images.jpeg_header(1200, 800), ImageInfo("JPEG", 1200, 800)),
        (images.gif_header(64, 48), ImageInfo("GIF", 64, 48)),
    ],
)
def test_size_is_read_from_the_header(tmp_path: Path, data: bytes, info: ImageInfo) -> None:
    path = tmp_path / "image"
    path.write_bytes(data)
    assert read_image_info(path) == info
    assert image_problem(path) is None


@pytest.mark.parametrize(
    ("data", "kind"),
    [(images.webp_header(5000, 4000), "WebP"), (b"MM\x00*\x00\x00\x00\x08", "TIFF")],
)
def test_formats_the_kiosk_does_not_show_are_refused_with_the_fix(
    tmp_path: Path, data: bytes, kind: str
) -> None:
    path = tmp_path / "image"
    path.write_bytes(data)
    assert read_image_info(path).format == kind
    problem = image_problem(path)
    assert problem is not None
    assert problem.startswith(f"{kind} pictures are not shown by the kiosk")
    assert "media prepare" in problem


def test_a_picture_far_larger_than_any_screen_gets_a_note() -> None:
    assert size_warning(ImageInfo("JPEG", LARGE_SIDE, 3000)) is None
    assert size_warning(ImageInfo("JPEG", 3000, LARGE_SIDE)) is None
    note = size_warning(ImageInfo("JPEG", 4000, 6000))
    assert note is not None and note.startswith("the picture is 4000 x 6000 pixels")


def test_jpeg_with_fill_bytes_and_a_large_exif_segment(tmp_path: Path) -> None:
    header = images.jpeg_header(640, 480)
    exif = b"\xff\xe1" + (60_002).to_bytes(2, "big") + b"E" * 60_000
    path = tmp_path / "photo.jpg"
    path.write_bytes(header[:2] + exif + b"\xff\xff" + header[2:])
    assert read_image_info(path) == ImageInfo("JPEG", 640, 480)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", NOT_AN_IMAGE),
        (b"Hello, this is text", NOT_AN_IMAGE),
        (b"%PDF-1.7\n", NOT_AN_IMAGE),
        (images.png(2, 2)[:20], "the PNG file is cut short or damaged"),
        (images.jpeg_header(10, 10)[:12], "the JPEG file is cut short or damaged"),
        (b"\xff\xd8\xff" + b"\x00" * 40, "the JPEG file is cut short or damaged"),
        (images.gif_header(10, 10)[:8], "the GIF file is cut short or damaged"),
        (images.webp_header(10, 10)[:20], "the WebP file is cut short or damaged"),
        (images.png(0, 5, pixels=False), "the PNG file says it is 0 x 5 pixels"),
    ],
)
def test_not_an_image(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "image.jpg"
    path.write_bytes(data)
    with pytest.raises(NotAnImage, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        read_image_info(path)
    assert image_problem(path) == message


def test_a_jpeg_of_endless_segments_is_given_up_on(tmp_path: Path) -> None:
    # Thousands of tiny segments and never a frame header: the scan stops, it does not wander.
    path = tmp_path / "endless.jpg"
    path.write_bytes(b"\xff\xd8" + b"\xff\xe1\x00\x02" * 100_000)
    assert image_problem(path) == "the JPEG file is cut short or damaged"


def test_too_many_pixels_is_found_without_decoding(tmp_path: Path) -> None:
    # A 100-byte PNG that claims 30000 x 30000 pixels: 3.6 GB if it were decoded.
    path = tmp_path / "bomb.png"
    path.write_bytes(images.png(30_000, 30_000, pixels=False))
    assert image_problem(path) == (
        "the image has too many pixels (30000 x 30000; at most 25 million); "
        "save a smaller copy (`python -m kiosk media prepare` makes screen-sized copies)"
    )
    assert 5000 * 5000 <= MAX_IMAGE_PIXELS < 5000 * 5001


def test_too_many_bytes(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(images.png(4, 4))
    with path.open("r+b") as f:
        f.truncate(MAX_IMAGE_BYTES + 1)  # sparse: instant
    assert image_problem(path) == (
        "the image is too large (20.0 MB; at most 20.0 MB); save a smaller copy "
        "(`python -m kiosk media prepare` makes screen-sized copies)"
    )
