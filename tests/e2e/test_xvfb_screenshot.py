"""End to end: the real program, started as a visitor's kiosk would be, on a real X server.

The test starts Xvfb itself, runs `python -m kiosk` full-screen on it, takes a screenshot of the
root window with xwd, and checks that the map was painted: the bundle's paper colour covers much
of the screen, the bottom bar is there, and the picture is not a blank or single-colour frame.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

ROOT = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT = 1920, 1080
PAPER = QColor("#efe6d0")  # the Petrograd bundle's map paper
BAR = QColor(43, 33, 24)  # the bottom bar (theme.BAR)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing; .ci/run installs it")
        pytest.skip(f"{tool} is not installed (apt-get install xvfb x11-apps)")
    return path


def _free_display() -> int:
    """A display number no X server is using, away from :0 and its neighbours."""
    for number in range(90 + os.getpid() % 50, 200):
        if not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture
def display() -> Iterator[str]:
    """A fresh Xvfb server, ready for clients; yields its DISPLAY name."""
    xvfb, xwd = _need("Xvfb"), _need("xwd")
    name = f":{_free_display()}"
    server = subprocess.Popen(
        [xvfb, name, "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
        stderr=subprocess.DEVNULL,
    )
    try:
        # Ready means a client can really connect: xwd is that client.
        deadline = time.monotonic() + 20
        while (
            subprocess.run(
                [xwd, "-root", "-silent", "-display", name], capture_output=True
            ).returncode
            != 0
        ):
            assert server.poll() is None, "Xvfb exited"
            assert time.monotonic() < deadline, "Xvfb did not accept connections"
            time.sleep(0.1)
        yield name
    finally:
        server.terminate()
        server.wait(10)


def read_xwd(data: bytes) -> QImage:
    """A 24/32-bit TrueColor XWD dump (what xwd writes for Xvfb's root window) as a QImage."""
    fields = struct.unpack(">25I", data[:100])
    header_size, width, height = fields[0], fields[4], fields[5]
    byte_order, bits_per_pixel, bytes_per_line, ncolors = (
        fields[7],
        fields[11],
        fields[12],
        fields[19],
    )
    assert bits_per_pixel == 32, f"unexpected {bits_per_pixel} bits per pixel"
    offset = header_size + ncolors * 12
    pixels = data[offset : offset + bytes_per_line * height]
    if byte_order == 1:  # MSBFirst: X R G B in memory; QImage wants native (B G R X) order
        pixels = b"".join(pixels[i : i + 4][::-1] for i in range(0, len(pixels), 4))
    return QImage(pixels, width, height, bytes_per_line, QImage.Format.Format_RGB32).copy()


def _screenshot(xwd: str, display: str) -> QImage | str:
    """The root window as an image, or xwd's complaint if it could not take one."""
    result = subprocess.run([xwd, "-root", "-silent", "-display", display], capture_output=True)
    if result.returncode != 0 or len(result.stdout) < 100:
        return result.stderr.decode(errors="replace") or f"xwd exited {result.returncode}"
    return read_xwd(result.stdout)


def _share(image: QImage, colour: QColor, tolerance: int = 6) -> float:
    """The share of a coarse grid of pixels within `tolerance` of `colour`."""
    hits = total = 0
    for y in range(0, image.height(), 8):
        for x in range(0, image.width(), 8):
            pixel = image.pixelColor(x, y)
            total += 1
            if (
                abs(pixel.red() - colour.red()) <= tolerance
                and abs(pixel.green() - colour.green()) <= tolerance
                and abs(pixel.blue() - colour.blue()) <= tolerance
            ):
                hits += 1
    return hits / total


def test_real_kiosk_paints_the_map_on_an_x_server(display: str, tmp_path: Path) -> None:
    xwd = _need("xwd")
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "kiosk"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        image = QImage()
        complaint = ""
        while time.monotonic() < deadline:
            assert kiosk.poll() is None, f"the kiosk exited: {kiosk.communicate()[1]}"
            shot = _screenshot(xwd, display)
            if isinstance(shot, str):
                complaint = shot  # the window may still be appearing; try again
            else:
                image = shot
                if _share(image, PAPER) > 0.15:
                    break
            time.sleep(0.5)
        assert not image.isNull(), f"no screenshot could be taken: {complaint}"
        image.save(str(tmp_path / "kiosk-xvfb.png"))
        assert (image.width(), image.height()) == (WIDTH, HEIGHT)
        assert _share(image, PAPER) > 0.15, "the map's paper does not cover the screen"
        bottom = image.copy(0, HEIGHT - 60, WIDTH, 40)
        assert _share(bottom, BAR, tolerance=12) > 0.5, "the bottom bar is missing"
        colours = Counter(
            image.pixel(x, y) for y in range(0, HEIGHT, 16) for x in range(0, WIDTH, 16)
        )
        assert len(colours) > 50, "the screen is nearly blank"
    finally:
        kiosk.terminate()
        _, stderr = kiosk.communicate(timeout=10)
    assert "Traceback" not in stderr, stderr
