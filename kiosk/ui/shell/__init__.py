"""The shell that assembles a window: main window, visitor state, bundle host, update gate,
analytics probe and preview.
"""
