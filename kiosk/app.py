"""Starting the kiosk: config, logging, the Qt application, fonts, the bundle, and the window.

This is the runtime layer: it is the only place that knows about both the content layer and the
UI. It keeps the visitor's screen calm when the bundle cannot be shown, logs every unexpected
error instead of showing it, locks the kiosk down, wires the staff gesture, and keeps systemd's
watchdog fed from the GUI thread.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.compat import check_qt_runtime
from kiosk.launch import Launch, build_window, display_options
from kiosk.paths import default_bundle
from kiosk.runtime import exit_codes, memory
from kiosk.runtime.config import LoadedConfig, default_log_folder, pin_delay_file
from kiosk.runtime.logs import log, setup_logging

if TYPE_CHECKING:  # Qt is imported only once we know the runtime is safe.
    from PySide6.QtGui import QScreen
    from PySide6.QtWidgets import QApplication

__all__ = ["Launch", "build_window", "choose_screen", "display_options", "run"]


def choose_screen(app: QApplication, wanted: int | str | None) -> QScreen:
    """The configured screen (by index or name), else the primary one."""
    screens = app.screens()
    if isinstance(wanted, int) and 0 <= wanted < len(screens):
        return screens[wanted]
    if isinstance(wanted, str):
        for screen in screens:
            if screen.name() == wanted:
                return screen
    if wanted is not None:
        names = ", ".join(f"{i}: {s.name()}" for i, s in enumerate(screens))
        log.warning("screen %r not found (there are %s); using the primary screen", wanted, names)
    return app.primaryScreen()


def route_qt_messages() -> None:
    """Qt's own warnings go to the kiosk's log too, with everything else staff may need."""
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        logging.getLogger("kiosk.qt").log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def check_config_paths_later(loaded: LoadedConfig, problems: list[str]) -> threading.Thread | None:
    """check-config's path checks, on a thread of their own once the kiosk runs: a missing bundle
    folder or public key, or a log folder the kiosk cannot write, is logged as an error and added
    to `problems` (the admin screen's list). Never before the first frame: the public key check
    imports cryptography, and the folder checks touch the disk."""
    if loaded.path is None or loaded.unreadable:
        return None
    from kiosk.runtime.config import check_paths

    def work() -> None:
        try:
            found = check_paths(loaded)
        except Exception:  # a check must never take the kiosk down
            log.exception("checking the installation config's paths failed")
            return
        for problem in found:
            log.error("installation config: %s", problem)
            problems.append(str(problem))

    thread = threading.Thread(target=work, name="config-paths", daemon=True)
    thread.start()
    return thread


def _start_logging(launch: Launch) -> Path | None:
    config = launch.config
    # The smoke test leaves no files behind and speaks on stderr only about real problems.
    folder = None if launch.smoke_test else (config.log_folder or default_log_folder())
    path = setup_logging(
        folder,
        config.log_max_megabytes,
        config.log_keep_files,
        # Under systemd stderr goes to the journal; a windowed Windows build has no stderr.
        echo=sys.stderr is not None,
        echo_level=logging.WARNING if launch.smoke_test else logging.INFO,
    )
    for problem in launch.loaded.problems:
        log.error("installation config: %s", problem)
    return path


def run(launch: Launch) -> int:
    """Run the kiosk until it is closed; returns the process exit code."""
    log_path = _start_logging(launch)
    problem = check_qt_runtime()
    if problem:
        log.critical(problem)
        return exit_codes.UNSAFE_QT
    try:
        if launch.smoke_test:
            from kiosk.smoke import smoke_test

            return smoke_test(launch)
        return _run_kiosk(launch, log_path)
    except Exception:
        # Start-up itself failed: nothing on screen to carry on with, so exit non-zero and let
        # the supervisor try again.
        log.critical("the kiosk could not start", exc_info=True)
        return exit_codes.CRASH


def _run_kiosk(launch: Launch, log_path: Path | None) -> int:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.content.cache import default_cache
    from kiosk.runtime.crash_guard import CrashGuard
    from kiosk.runtime.pin import PinGate
    from kiosk.runtime.watchdog import SystemdNotifier
    from kiosk.ui.access.keypad import key_codes
    from kiosk.ui.journey.theme import load_fonts
    from kiosk.ui.qt.gui_collector import collect_on_gui_thread
    from kiosk.ui.qt.housekeeping import start_housekeeping
    from kiosk.ui.qt.picture_cache import limit_qt_pixmap_cache
    from kiosk.ui.shell.analytics_probe import start_analytics
    from kiosk.ui.staff.access import StaffAccess
    from kiosk.ui.staff.admin import StaffInfo, bundle_folders_near
    from kiosk.ui.staff.lockdown import Lockdown

    config = launch.config
    memory.tune_allocator()  # before Qt's threads and the tile worker take arenas of their own
    route_qt_messages()
    app = QApplication(sys.argv[:1])
    app.setApplicationName("kiosk")
    collect_on_gui_thread()  # before any worker thread runs Python beside Qt objects
    limit_qt_pixmap_cache()
    start_housekeeping(app)  # freed memory goes back to the system every few seconds
    guard = CrashGuard(on_fatal=app.exit)
    guard.install()
    try:
        load_fonts()
        host = build_window(
            launch.content,
            launch.language,
            display_options(config),
            config.updating_screen_languages,
            default_cache(),
        )
        start_analytics(host, config)  # records visitors if analytics_folder is set
        lockdown = Lockdown(
            host,
            config.admin_corner,
            config.admin_hold_seconds,
            locked=not launch.windowed,
            visitor_keys=key_codes(config.accessibility),  # the keypad's, F1 for help included
        )
        app.installEventFilter(lockdown)
        if not config.admin_pin_hash and not launch.windowed:
            log.warning("no staff PIN is set: the admin screen cannot be opened (kiosk set-pin)")
        info = StaffInfo(
            config_path=launch.loaded.path,
            config_problems=[str(p) for p in launch.loaded.problems],
            config_unreadable=launch.loaded.unreadable,
            config_fallback=launch.loaded.fallback,
            log_path=log_path,
            error_count=lambda: guard.count,
            bundle_choices=lambda: bundle_folders_near(host.content, [default_bundle()]),
        )
        QTimer.singleShot(
            2000, lambda: check_config_paths_later(launch.loaded, info.config_problems)
        )
        gate = PinGate(config.admin_pin_hash, state_file=pin_delay_file())
        staff = StaffAccess(host, lockdown, gate, info)
        staff.exit_requested.connect(lambda: app.exit(exit_codes.STAFF_EXIT))
        if config.opening_hours:  # outside them: a black screen, the exhibit paused
            from kiosk.runtime.opening_hours import OpeningHours
            from kiosk.ui.shell.opening_hours import OpeningHoursGate

            OpeningHoursGate(host, OpeningHours.parse(config.opening_hours))
        # Content updates (update_source) poll on their own thread; the status file is written.
        from kiosk.ui.shell.update_gate import start_updates

        updates = start_updates(host, config)
        # Prometheus metrics (metrics_textfile, metrics_listen), from the status file's data;
        # prometheus_client is imported only when they are asked for.
        metrics = None
        if config.metrics_textfile is not None or config.metrics_listen is not None:
            from kiosk.runtime.metrics import start_publisher

            metrics = start_publisher(
                config,
                lambda: updates.service.status.snapshot() if updates.service else None,
                lambda: guard.count,
            )

        if launch.windowed:
            host.resize(*launch.size)
            host.show()
        else:
            host.setWindowFlag(Qt.WindowType.FramelessWindowHint)
            host.setCursor(Qt.CursorShape.BlankCursor)
            # Kiosk sessions often run without a window manager to honour the full-screen
            # request, so the window also takes the screen's geometry itself.
            host.setGeometry(choose_screen(app, config.screen).geometry())
            host.showFullScreen()

        notifier = SystemdNotifier()
        watchdog = QTimer(host)
        if notifier.enabled:
            # READY once the event loop runs (the first frame is being painted), then pings from
            # the GUI thread: a UI stuck in a slot stops pinging and systemd restarts it.
            QTimer.singleShot(0, notifier.ready)
            interval = notifier.ping_interval_ms
            if interval:
                watchdog.timeout.connect(notifier.ping)
                watchdog.start(interval)
        # SIGTERM (systemctl stop, a shutdown) ends the event loop cleanly. Python runs signal
        # handlers only between bytecodes, so a timer wakes it while Qt waits for events.
        signal.signal(signal.SIGTERM, lambda *_: app.exit(exit_codes.OK))
        wake = QTimer(host)
        wake.timeout.connect(lambda: None)
        wake.start(500)
        bundle = host.bundle
        log.info(
            "kiosk started: %s%s, %s mode",
            bundle.manifest.id if bundle else "no bundle",
            f" {bundle.manifest.version}" if bundle else "",
            "windowed" if launch.windowed else "kiosk",
        )
        code = app.exec()
        updates.stop()
        if metrics is not None:
            metrics.stop()
        log.info("kiosk stopped with exit code %d", code)
        return code
    finally:
        guard.uninstall()
