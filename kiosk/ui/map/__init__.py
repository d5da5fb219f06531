"""The map: view, gestures, markers, clusters and their layout, hit index, motion, touch rules,
tiles, layers and labels.
"""
