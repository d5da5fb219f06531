"""Test-wide set-up: Qt runs offscreen, so tests need no display (the e2e test starts its own)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
