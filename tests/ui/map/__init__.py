"""Tests of kiosk.ui.map."""
