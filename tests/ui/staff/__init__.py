"""Tests of kiosk.ui.staff.access."""
