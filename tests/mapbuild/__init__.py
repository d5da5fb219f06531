"""Tests of kiosk/mapbuild: base maps from OpenStreetMap extracts."""
