"""Tests of kiosk.ui.journey."""
