"""A small, known dataset written through the real Recorder: two kiosks, figures worked out by hand.

Kiosk "Hall 1" (3 sessions) and "Hall 2" (1 session), all on the Petrograd bundle:
- lengths 30 s, 90 s, 60 s, 120 s: median 75 s; touches 4 + 10 + 6 + 8 = 28;
- volynsky-mutiny opened 3 times (10 s, 20 s, 60 s: median 20 s); 26 of 28 events never;
  kazan-general-strike-roses once by a visitor (5 s) and once by the story playing;
- languages: en in every session, ru in two (one started in ru);
- hours: 10:xx (2 sessions), 14:xx (1), 16:xx (1), local time UTC+3;
- map touches: 5 in cell (100, 70), 1 in (20, 20).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.analytics.recorder import Recorder

MSK = dt.timezone(dt.timedelta(hours=3))


def _at(hour: int, minute: int = 0) -> float:
    return dt.datetime(2026, 3, 8, hour, minute, tzinfo=MSK).timestamp()


def write_known(folder: Path, kiosk: str, sessions: list[dict[str, object]]) -> Path:
    recorder = Recorder(folder, kiosk, batch_seconds=0.01)
    for s in sessions:
        key, start = str(s["key"]), float(s["start"])  # type: ignore[arg-type]
        languages = list(s["languages"])  # type: ignore[call-overload]
        recorder.session_start(key, "petrograd-1917", "0.1.0", start, 180, languages[0])
        for kind, subject, seconds, via in s.get("actions", []):  # type: ignore[attr-defined]
            recorder.action(key, start + 1, kind, subject, seconds, via)
        for cell in s.get("taps", []):  # type: ignore[attr-defined]
            recorder.tap(key, start + 2, *cell)
        length = float(s["length"])  # type: ignore[arg-type]
        recorder.session_end(
            key,
            start + length,
            start + length + 70,
            "idle",
            languages,
            int(s["touches"]),  # type: ignore[call-overload]
        )
    assert recorder.flush()
    recorder.close()
    return recorder.path


def known_databases(root: Path) -> list[Path]:
    hall1 = write_known(
        root / "hall1",
        "Hall 1",
        [
            {
                "key": "a",
                "start": _at(10, 5),
                "length": 30,
                "touches": 4,
                "languages": ["en"],
                "actions": [
                    ("attract_interrupted", None, 40.0, None),
                    ("event", "volynsky-mutiny", 10.0, "visitor"),
                ],
                "taps": [(100, 70), (100, 70), (20, 20)],
            },
            {
                "key": "b",
                "start": _at(10, 40),
                "length": 90,
                "touches": 10,
                "languages": ["en", "ru"],
                "actions": [
                    ("event", "volynsky-mutiny", 20.0, "visitor"),
                    ("quote", "trotsky-cossack-wink", 12.0, None),
                    ("day", "1917-02-27", None, None),
                    ("day", "1917-02-27", None, None),
                    ("language", "ru", None, None),
                ],
                "taps": [(100, 70), (100, 70)],
            },
            {
                "key": "c",
                "start": _at(14, 10),
                "length": 60,
                "touches": 6,
                "languages": ["ru", "en"],
                "actions": [
                    ("play", None, None, None),
                    ("event", "kazan-general-strike-roses", 9.0, "play"),
                    ("event", "kazan-general-strike-roses", 5.0, "visitor"),
                    ("person", "kerensky", None, None),
                    ("credits", None, None, None),
                ],
                "taps": [(100, 70)],
            },
        ],
    )
    hall2 = write_known(
        root / "hall2",
        "Hall 2",
        [
            {
                "key": "d",
                "start": _at(16, 30),
                "length": 120,
                "touches": 8,
                "languages": ["en"],
                "actions": [
                    ("attract_interrupted", None, 20.0, None),
                    ("event", "volynsky-mutiny", 60.0, "visitor"),
                    ("countdown_rescued", None, None, None),
                ],
            }
        ],
    )
    return [hall1, hall2]
