"""Every visitor: screen readers (Qt's accessibility bridge), a keypad, and spoken narration.

`screen_reader` names every control in the visitor's language, lists the map's events for a
screen reader and announces what changes; `keypad` drives the exhibit from a kiosk keypad;
`narration` plays an event's recording or has the system's voice read it.
"""
