"""Small Qt helpers that know nothing of the exhibit: the courier, the GUI-thread collector,
screen density, images and the clock.
"""
