"""`python -m kiosk media prepare BUNDLE`: screen-sized, upright copies of a bundle's pictures.

A photograph straight from a camera is often 6000 x 4000 pixels and 10 MB or more, stored on
its side with an EXIF note saying which way is up; a scan may be a TIFF. The kiosk shows none
of those well: no screen shows more than 3840 pixels across, decoding the rest costs time at
every opening, and the kiosk shows JPEG, PNG and GIF only (kiosk/content/media.py). So each
picture in the bundle's media/ folder that is larger than that, turned by an EXIF note, or in a
format the kiosk does not show, is replaced by a copy that is:

- at most `PREPARED_SIDE` pixels on its longer side (Lanczos resampling; never enlarged),
- turned upright (the EXIF orientation applied, the note dropped),
- a JPEG of quality 88 (a PNG stays a PNG, so transparency and line drawings keep their edges;
  WebP and TIFF become JPEG, with the name ending in .jpg), keeping its colour profile.

The original is moved, not deleted, into a folder beside the bundle (`<bundle>-originals/`,
under the same path), so the bundle that is published carries only the copies and nothing is
lost. A picture that needs nothing is left alone, so running the command again does nothing.
Pillow does the work; it is imported only here, and the packaged kiosk leaves it out.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from PIL.Image import Image

from kiosk.content.media import PREPARED_SIDE

QUALITY = 88  # JPEG quality: no visible loss at screen size, a third of quality 95's bytes
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff")
# Larger pictures are refused unread: a file claiming more is broken or hostile (and Pillow
# itself warns of a decompression bomb just above this).
MAX_PIXELS = 89_000_000
_ORIENTATION = 0x0112  # the EXIF tag saying which way is up


class PrepareError(Exception):
    """A picture that could not be prepared; the message says why, in plain words."""


@dataclass(frozen=True)
class Prepared:
    """One picture replaced by its prepared copy."""

    source: str  # the picture's path in the bundle, as it was
    written: str  # the copy's path in the bundle (the same, unless converted to JPEG)
    original: Path  # where the original is now
    before: tuple[int, int]
    after: tuple[int, int]
    bytes_before: int
    bytes_after: int
    why: tuple[str, ...]  # made smaller, turned upright, converted to JPEG

    def line(self) -> str:
        w0, h0 = self.before
        w1, h1 = self.after
        text = (
            f"{self.source}: {w0} x {h0}, {_megabytes(self.bytes_before)} -> "
            f"{self.written if self.written != self.source else ''}"
            f"{' ' if self.written != self.source else ''}{w1} x {h1}, "
            f"{_megabytes(self.bytes_after)} ({', '.join(self.why)}); the original is in "
            f"{self.original}"
        )
        if self.written != self.source:
            text += f"\n  name it '{self.written}' in the events that show '{self.source}'"
        return text


@dataclass
class Outcome:
    """What a run did: pictures prepared, left alone, and those that failed."""

    prepared: list[Prepared] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # path in the bundle, why


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 100 * 1024 else f"{size // 1024} KB"


def default_originals(bundle: Path) -> Path:
    """Where the originals go: a folder beside the bundle, never inside it (it is published)."""
    resolved = bundle.resolve()
    return resolved.parent / f"{resolved.name}-originals"


def pictures_in(bundle: Path) -> Iterator[Path]:
    """Every picture file in the bundle's media/ folder, in name order."""
    media = bundle / "media"
    if not media.is_dir():
        return
    for path in sorted(media.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.suffix.lower() in PICTURE_SUFFIXES:
            yield path


def prepare_bundle(
    bundle: Path,
    originals: Path | None = None,
    max_side: int = PREPARED_SIDE,
    quality: int = QUALITY,
) -> Outcome:
    """Prepare every picture of the bundle's media/ folder that needs it (see the module)."""
    originals = originals or default_originals(bundle)
    outcome = Outcome()
    for path in pictures_in(bundle):
        name = path.relative_to(bundle).as_posix()
        try:
            done = prepare_picture(bundle, path, originals, max_side, quality)
        except PrepareError as exc:
            outcome.failed.append((name, str(exc)))
            continue
        if done is None:
            outcome.unchanged.append(name)
        else:
            outcome.prepared.append(done)
    return outcome


def _open(path: Path) -> Image:
    try:
        image = PILImage.open(path)
    except UnidentifiedImageError:
        raise PrepareError("not a picture Pillow can read") from None
    except OSError as exc:
        raise PrepareError(f"cannot be read: {exc.strerror or exc}") from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        raise PrepareError(f"says it is {width} x {height} pixels, too many to open")
    return image


def _reasons(image: Image, max_side: int) -> list[str]:
    why = []
    if max(image.size) > max_side:
        why.append("made smaller")
    if image.getexif().get(_ORIENTATION, 1) not in (0, 1):
        why.append("turned upright")
    if image.format in ("WEBP", "TIFF", "MPO"):
        why.append("converted to JPEG" if image.format != "MPO" else "saved as a plain JPEG")
    return why


def _prepared_copy(image: Image, max_side: int) -> tuple[Image, str]:
    """The picture upright and screen-sized, and the format to save it in."""
    upright = ImageOps.exif_transpose(image) or image
    upright.thumbnail((max_side, max_side), PILImage.Resampling.LANCZOS)  # never enlarges
    if image.format == "PNG":
        return upright, "PNG"
    if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        # JPEG has no transparency: what was see-through is shown on white, as on paper.
        rgba = upright.convert("RGBA")
        flat = PILImage.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat, "JPEG"
    if upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    return upright, "JPEG"


def _free_name(folder: Path, name: str) -> Path:
    """`folder/name`, or `folder/stem-2.ext` and so on if that is taken."""
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 2
    while target.exists():
        target = folder / f"{stem}-{number}{suffix}"
        number += 1
    return target


def prepare_picture(
    bundle: Path, path: Path, originals: Path, max_side: int, quality: int
) -> Prepared | None:
    """Replace one picture by its prepared copy; None if it needs nothing. PrepareError if it
    cannot be prepared (the bundle is then unchanged)."""
    name = path.relative_to(bundle).as_posix()
    bytes_before = path.stat().st_size
    with _open(path) as image:
        if image.format == "GIF":
            return None  # small drawings and animations: left as they are
        why = _reasons(image, max_side)
        if not why:
            return None
        before = image.size
        icc = image.info.get("icc_profile")
        try:
            copy, kind = _prepared_copy(image, max_side)
        except (OSError, ValueError) as exc:
            raise PrepareError(f"cannot be decoded: {exc}") from None
    target = path if kind == "PNG" or path.suffix.lower() in (".jpg", ".jpeg") else None
    if target is None:
        target = path.with_suffix(".jpg")
        if target.exists():
            raise PrepareError(
                f"its JPEG copy would be {target.relative_to(bundle).as_posix()}, which exists "
                "already; rename one of the two"
            )
    options: dict[str, object] = {"icc_profile": icc} if icc else {}
    if kind == "JPEG":
        options.update(quality=quality, optimize=True, progressive=True)
    else:
        options.update(optimize=True)
    # Written beside the picture first, so the bundle never holds half a file; then the original
    # is moved aside and the copy takes its place.
    handle, name_of_temporary = tempfile.mkstemp(prefix=".prepare-", dir=path.parent)
    os.close(handle)
    temporary = Path(name_of_temporary)
    aside = _free_name((originals / name).parent, path.name)
    try:
        copy.save(temporary, kind, **options)
        # mkstemp makes the file private (0600); the copy is read by whoever the original was.
        shutil.copymode(path, temporary)
        aside.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, aside)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise PrepareError(f"cannot be written: {exc.strerror or exc}") from None
    try:
        temporary.replace(target)
    except OSError as exc:
        shutil.move(aside, path)  # the original back where it was
        temporary.unlink(missing_ok=True)
        raise PrepareError(f"cannot be written: {exc.strerror or exc}") from None
    return Prepared(
        source=name,
        written=target.relative_to(bundle).as_posix(),
        original=aside,
        before=before,
        after=copy.size,
        bytes_before=bytes_before,
        bytes_after=target.stat().st_size,
        why=tuple(why),
    )
