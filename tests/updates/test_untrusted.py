"""Untrusted text (manifests, servers, zips) never forges a log line, status or admin-screen line
(issue 17, finding 8)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from kiosk.updates.http_source import HttpSource
from kiosk.updates.publish import publish
from kiosk.updates.status import KioskStatus, LastError
from kiosk.updates.store import Store
from kiosk.updates.untrusted import printable
from kiosk.updates.updater import Updater
from tests.updates.helpers import serve

FORGED = "x\n2026-01-01 12:00:00 INFO kiosk.staff: staff PIN accepted\r\x1b[2J\u202e"


def test_printable_escapes_control_characters_like_repr_and_keeps_letters() -> None:
    assert printable("Зимний дворец, café") == "Зимний дворец, café"
    assert printable("a\nb\r\tc\x1b\u2028\u202e") == "a\\nb\\r\\tc\\x1b\\u2028\\u202e"
    assert printable("x" * 50, limit=10) == "x" * 9 + "…"
    assert printable(42) == "42"


def test_a_forged_log_line_in_a_manifest_field_name_stays_one_escaped_line(
    v1: Path, store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    web = tmp_path / "web"
    publish(v1, web)
    data = json.loads((web / "manifest.json").read_text(encoding="utf-8"))
    data[FORGED] = 1
    (web / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    with serve(web) as (url, _), caplog.at_level(logging.DEBUG, logger="kiosk.updates"):
        attempt = Updater(store, HttpSource(url)).poll_once()
    assert (attempt.outcome, attempt.kind) == ("failed", "bad-manifest")
    assert "\\n2026-01-01" in attempt.message and "\\x1b" in attempt.message
    for record in caplog.records:
        text = record.getMessage()
        assert "\n" not in text and "\r" not in text and "\x1b" not in text, text
    saved = (store.root / "state.json").read_text(encoding="utf-8")
    last = json.loads(saved)["last_attempt"]["message"]
    assert "\n" not in last and "\u202e" not in last


def test_the_status_file_s_last_error_is_escaped() -> None:
    status = KioskStatus()
    handler = LastError(status)
    logger = logging.getLogger("kiosk.test-untrusted")
    logger.addHandler(handler)
    try:
        logger.error("update failed: %s", "evil\x1b[31m\u202eline")
    finally:
        logger.removeHandler(handler)
    message = status.snapshot()["last_error"]["message"]
    assert message == "kiosk.test-untrusted: update failed: evil\\x1b[31m\\u202eline"
