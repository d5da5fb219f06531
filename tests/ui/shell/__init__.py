"""Tests of kiosk.ui.shell."""
