"""Tests of kiosk.ui.panels."""
