"""Memory in a real window: the kiosk on an X server, used by a random visitor, rests included.

The offscreen soak (`soak.py`) drives the app from inside its event loop on a manual clock; this
one measures the kiosk as it runs in a museum: `python -m kiosk --windowed --size 1920x1080` on
an X server of its own (Xvfb, on a display number Xvfb picks free), in real time, driven from
outside by xdotool (taps, drags and wheel turns at random places, about five a second, from a
fixed seed), with a rest after every round of actions long enough for the idle countdown, the
reset and the attract loop to run (the config sets `idle_seconds` to its minimum, 10 s). The
kiosk's resident set (VmRSS in /proc/PID/status) is sampled from outside every half second.

Figures: the highest RSS at any time (target: at most 150 MB, DESIGN.md), each round's highest,
and the growth of the last round's highest over the round before it: memory that levels off
grows by nothing there (target: at most 5 MB). It needs the `Xvfb` and `xdotool` programs; where
either is missing the benchmark says so and is skipped.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from kiosk.paths import app_root

WIDTH, HEIGHT = 1920, 1080
ACTION_GAP_S = 0.2  # about five actions a second, as the measurement
SAMPLE_S = 0.5
MB = 1024 * 1024
LEVEL_MB = 5.0  # the last round may not peak higher than the one before by more than this


def vm_rss(pid: int) -> int | None:
    """The resident set of process `pid` in bytes, or None once it has gone."""
    try:
        with Path(f"/proc/{pid}/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def missing_tools() -> list[str]:
    return [tool for tool in ("Xvfb", "xdotool") if shutil.which(tool) is None]


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """An X server on a display number of its own choosing (-displayfd): never one in use."""
    read, write = os.pipe()
    server = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write),
            "-screen",
            "0",
            f"{WIDTH}x{HEIGHT}x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        raise RuntimeError("Xvfb did not start")
    return server, f":{number}"


def actions(rng: random.Random) -> list[str]:
    """One random action as xdotool's arguments: a tap, a drag or three wheel turns."""
    x, y = rng.randint(100, WIDTH - 100), rng.randint(100, HEIGHT - 150)
    kind = rng.random()
    if kind < 0.5:
        return ["mousemove", str(x), str(y), "click", "1"]
    if kind < 0.8:
        dx, dy = rng.randint(-300, 300), rng.randint(-200, 200)
        steps = []
        for i in (1, 2, 3, 4):
            steps += ["mousemove", str(x + dx * i // 4), str(y + dy * i // 4)]
        return ["mousemove", str(x), str(y), "mousedown", "1", *steps, "mouseup", "1"]
    return ["mousemove", str(x), str(y), "click", "--repeat", "3", rng.choice(["4", "5"])]


class Sampler(threading.Thread):
    """Reads the kiosk's VmRSS every `SAMPLE_S` seconds, with the round it falls in."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.round = 0
        self.samples: list[tuple[float, int, float]] = []  # seconds, round, MB
        self._halt = threading.Event()
        self._start = time.monotonic()

    def run(self) -> None:
        while not self._halt.wait(SAMPLE_S):
            rss = vm_rss(self.pid)
            if rss is None:
                return
            self.samples.append(
                (round(time.monotonic() - self._start, 1), self.round, round(rss / MB, 1))
            )

    def stop(self) -> None:
        self._halt.set()
        self.join()


def run(rounds: int, actions_per_round: int, rest_s: float, seed: int = 20) -> dict[str, Any]:
    missing = missing_tools()
    if missing:
        return {"skipped": f"{' and '.join(missing)} not installed (apt-get install xvfb xdotool)"}
    server, display = start_xvfb()
    folder = Path(tempfile.mkdtemp(prefix="kiosk-soak-window-"))
    config = folder / "kiosk.yaml"
    config.write_text(f"idle_seconds: 10\nlog_folder: {folder / 'logs'}\n", encoding="utf-8")
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "KIOSK_CONFIG": str(config),
    }
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--windowed", "--size", f"{WIDTH}x{HEIGHT}"],
        cwd=app_root(),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    rng = random.Random(seed)
    sampler = Sampler(kiosk.pid)
    started = time.monotonic()
    done = 0
    try:
        time.sleep(3)  # the window up and its first frame painted
        if kiosk.poll() is not None:
            raise RuntimeError(f"the kiosk exited: {kiosk.stderr.read().decode()[-800:]}")  # type: ignore[union-attr]
        sampler.start()
        for number in range(rounds):
            sampler.round = number
            for _ in range(actions_per_round):
                subprocess.run(
                    ["xdotool", *actions(rng)],
                    env=env,
                    check=False,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                done += 1
                time.sleep(ACTION_GAP_S)
            time.sleep(rest_s)  # the countdown, the reset and the attract loop run
            if kiosk.poll() is not None:
                raise RuntimeError(f"the kiosk exited with code {kiosk.returncode}")
    finally:
        if sampler.is_alive():
            sampler.stop()
        kiosk.terminate()
        try:
            kiosk.wait(timeout=20)
        except subprocess.TimeoutExpired:
            kiosk.kill()
            kiosk.wait()
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)
    peaks = [
        max((mb for _, r, mb in sampler.samples if r == number), default=0.0)
        for number in range(rounds)
    ]
    ends = [
        next((mb for _, r, mb in reversed(sampler.samples) if r == number), 0.0)
        for number in range(rounds)
    ]
    return {
        "rounds": rounds,
        "actions": done,
        "rest_s": rest_s,
        "seconds": round(time.monotonic() - started, 1),
        "rss_max_mb": max(peaks) if peaks else None,
        "round_peaks_mb": peaks,
        "round_ends_mb": ends,
        "last_round_growth_mb": round(peaks[-1] - peaks[-2], 1) if len(peaks) > 1 else None,
        "levels_off": len(peaks) > 1 and peaks[-1] - peaks[-2] <= LEVEL_MB,
        "rss_series_mb": sampler.samples[:: max(1, len(sampler.samples) // 200)],
    }
