"""The kiosk's exit codes, which supervisors (systemd, Windows Shell Launcher) act on.

Every code but STAFF_EXIT means "start me again": a supervisor set to restart on exit brings the
kiosk back. STAFF_EXIT is the admin screen's "exit to the desktop", which the service unit lists
in RestartPreventExitStatus (docs/install-linux.md) and Shell Launcher maps to "do nothing".
"""

OK = 0
USAGE = 2  # a bad command line or config file given explicitly
UNSAFE_QT = 3  # a PySide6 known to crash on this Python
STAFF_EXIT = 10
CRASH = 70  # EX_SOFTWARE: an error the kiosk could not recover from
