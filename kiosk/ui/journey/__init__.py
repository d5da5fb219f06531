"""The visitor's journey around the map: chrome, timeline, attract loop, idle reset, theme,
words and dates.
"""
