"""`kiosk media prepare`: screen-sized, upright copies in place, the originals kept beside the
bundle, and a second run that finds nothing to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from kiosk.cli import main
from kiosk.content.media import read_image_info
from kiosk.media_prepare import default_originals, prepare_bundle

ORIENTATION = 0x0112


def photo(path: Path, size: tuple[int, int], *, orientation: int = 1, fmt: str = "JPEG") -> None:
    """A photograph-like picture: its top-left quarter red, so which way is up can be told."""
    image = Image.new("RGB", size, "white")
    image.paste((200, 0, 0), (0, 0, size[0] // 2, size[1] // 2))
    exif = Image.Exif()
    if orientation != 1:
        exif[ORIENTATION] = orientation
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, fmt, exif=exif.tobytes(), quality=95)


def red_corner(path: Path) -> str:
    """Which corner of the picture is red, as a visitor would see it."""
    with Image.open(path) as stored:
        image = stored.convert("RGB")
    w, h = image.size
    corners = {
        "top-left": (w // 8, h // 8),
        "top-right": (w - w // 8, h // 8),
        "bottom-left": (w // 8, h - h // 8),
        "bottom-right": (w - w // 8, h - h // 8),
    }
    red = []
    for name, xy in corners.items():
        pixel = image.getpixel(xy)
        assert isinstance(pixel, tuple)
        if pixel[0] > 150 > pixel[1]:
            red.append(name)
    assert len(red) == 1, red
    return red[0]


def test_a_camera_photograph_on_its_side_is_made_upright_and_screen_sized(
    tmp_path: Path,
) -> None:
    bundle = tmp_path / "exhibit"
    picture = bundle / "media" / "rally.jpg"
    # Stored 6000 x 4000 with "turn 90 degrees clockwise to view" (EXIF orientation 6), as a
    # phone held upright saves it: the visitor must see it 4000 wide and 6000 high.
    photo(picture, (6000, 4000), orientation=6)
    stored_corner = red_corner(picture)
    outcome = prepare_bundle(bundle, max_side=3840)
    assert outcome.failed == [] and outcome.unchanged == []
    (done,) = outcome.prepared
    assert (done.source, done.written) == ("media/rally.jpg", "media/rally.jpg")
    assert done.before == (6000, 4000) and done.after == (2560, 3840)
    assert done.why == ("made smaller", "turned upright")
    info = read_image_info(picture)
    assert (info.format, info.width, info.height) == ("JPEG", 2560, 3840)
    with Image.open(picture) as image:
        assert image.getexif().get(ORIENTATION, 1) == 1
    # Orientation 6 turns the stored top-left corner to the top right.
    assert (stored_corner, red_corner(picture)) == ("top-left", "top-right")
    original = default_originals(bundle) / "media" / "rally.jpg"
    assert done.original == original and original.is_file()
    assert read_image_info(original).width == 6000
    assert done.bytes_after < done.bytes_before
    # Nothing is left to do the second time.
    again = prepare_bundle(bundle, max_side=3840)
    assert again.prepared == [] and again.unchanged == ["media/rally.jpg"]


def test_the_copy_is_as_readable_as_the_original(tmp_path: Path) -> None:
    # A bundle is copied to kiosks as a folder (a sync tool, a share): a private copy would be
    # a picture the kiosk's own user cannot read.
    bundle = tmp_path / "exhibit"
    picture = bundle / "media" / "rally.jpg"
    photo(picture, (5000, 3000))
    picture.chmod(0o644)
    (done,) = prepare_bundle(bundle, max_side=3840).prepared
    assert done.after == (3840, 2304)
    assert picture.stat().st_mode & 0o777 == 0o644


def test_webp_becomes_a_jpeg_and_png_stays_png(tmp_path: Path) -> None:
    bundle = tmp_path / "exhibit"
    photo(bundle / "media" / "poster.webp", (800, 600), fmt="WEBP")
    photo(bundle / "media" / "plan.png", (5000, 2500), fmt="PNG")
    photo(bundle / "media" / "small.jpg", (1200, 800))
    outcome = prepare_bundle(bundle, tmp_path / "kept")
    by_name = {p.source: p for p in outcome.prepared}
    assert set(by_name) == {"media/poster.webp", "media/plan.png"}
    assert outcome.unchanged == ["media/small.jpg"]
    assert by_name["media/poster.webp"].written == "media/poster.jpg"
    assert read_image_info(bundle / "media" / "poster.jpg").format == "JPEG"
    assert not (bundle / "media" / "poster.webp").exists()
    assert (tmp_path / "kept" / "media" / "poster.webp").is_file()
    plan = read_image_info(bundle / "media" / "plan.png")
    assert (plan.format, plan.width, plan.height) == ("PNG", 3840, 1920)


def test_a_conversion_never_overwrites_another_picture(tmp_path: Path) -> None:
    bundle = tmp_path / "exhibit"
    photo(bundle / "media" / "poster.webp", (800, 600), fmt="WEBP")
    photo(bundle / "media" / "poster.jpg", (400, 300))
    before = (bundle / "media" / "poster.jpg").read_bytes()
    outcome = prepare_bundle(bundle)
    assert [name for name, _ in outcome.failed] == ["media/poster.webp"]
    assert "exists already" in outcome.failed[0][1]
    assert (bundle / "media" / "poster.jpg").read_bytes() == before
    assert (bundle / "media" / "poster.webp").is_file()


def test_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = tmp_path / "exhibit"
    photo(bundle / "media" / "rally.jpg", (5000, 3000))
    (bundle / "media" / "notes.jpg").write_text("not a picture", encoding="utf-8")
    assert main(["media", "prepare", str(bundle), "--max-side", "1000"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("media/rally.jpg: 5000 x 3000, ")
    assert "-> 1000 x 600, " in out
    assert out.endswith(f"{bundle}: 1 prepared, 0 already fine, 1 failed\n")
    assert err == "error: media/notes.jpg: not a picture Pillow can read\n"
    assert main(["media", "prepare", str(tmp_path / "nowhere")]) == 2
