"""The background updater thread and the status file it writes for monitoring."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.runtime.config import InstallationConfig
from kiosk.updates.publish import publish
from kiosk.updates.service import UpdateService, startup_bundle
from kiosk.updates.store import Store
from kiosk.updates.updater import rollback


def wait_for(condition: Callable[[], object], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def read_status(path: Path | None) -> dict[str, Any]:
    assert path is not None
    return json.loads(path.read_text(encoding="utf-8"))


def test_polls_in_the_background_offers_the_new_bundle_and_writes_the_status(
    v1: Path, v2: Path, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox"
    publish(v1, outbox)
    config = InstallationConfig(
        update_source=str(outbox),
        update_store=tmp_path / "store",
        update_interval_seconds=10,
        status_file=tmp_path / "status.json",
    )
    offered: list[Path] = []
    arrived = threading.Event()

    def on_new_bundle(folder: Path) -> None:
        assert threading.current_thread().name == "kiosk-updates"  # never the screen's thread
        offered.append(folder)
        arrived.set()

    service = UpdateService(config, on_new_bundle, first_poll_seconds=0, status_seconds=0.05)
    service.start()
    try:
        assert arrived.wait(10)
        store = Store(tmp_path / "store")
        assert offered == [store.current_path()]
        assert startup_bundle(config) == store.current_path()
        service.shown(offered[0], "gallery-work", "1.0.0")
        wait_for(lambda: (store.root / "showing").is_file())
        wait_for(lambda: (read_status(config.status_file).get("bundle") or {}).get("version"))
        status = read_status(config.status_file)
        assert status["bundle"] == {
            "id": "gallery-work",
            "version": "1.0.0",
            "folder": str(offered[0].absolute()),
        }
        assert status["last_update"]["outcome"] == "installed"
        assert status["store"]["current"] == store.current
        assert status["update_source"] == str(outbox)
        assert isinstance(status["uptime_seconds"], int)
        assert status["last_error"] is None
        # A technician's update and rollback while the kiosk runs are noticed too.
        arrived.clear()
        publish(v2, outbox)
        service.poll_now()
        assert arrived.wait(10) and offered[-1].name.startswith("2.0.0-")
        arrived.clear()
        rollback(store)
        assert arrived.wait(10) and offered[-1].name.startswith("1.0.0-")
        logging.getLogger("kiosk.app").error("the screen froze\nsecond line")
        wait_for(lambda: read_status(config.status_file)["last_error"])
        error = read_status(config.status_file)["last_error"]
        assert error["message"] == "kiosk.app: the screen froze"
    finally:
        service.stop()
    assert not any(t.name == "kiosk-updates" for t in threading.enumerate())


def test_without_an_update_source_only_the_status_is_written(tmp_path: Path) -> None:
    config = InstallationConfig(status_file=tmp_path / "s" / "status.json")
    service = UpdateService(config, lambda _: None, status_seconds=0.05)
    assert service.updater is None and startup_bundle(config) is None
    service.start()
    try:
        wait_for(lambda: config.status_file is not None and config.status_file.is_file())
        status = read_status(config.status_file)
        assert status["last_update"] is None and status["update_source"] is None
        assert status["program"].startswith("kiosk ")
    finally:
        service.stop()
