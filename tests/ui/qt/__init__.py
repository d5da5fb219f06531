"""Tests of kiosk.ui.qt."""
