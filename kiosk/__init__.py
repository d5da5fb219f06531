"""Petrograd 1917 museum kiosk: a touch-first map exhibit driven by YAML content bundles.

Layers: `kiosk.content` (Qt-free loading and validation), `kiosk.ui` (Qt widgets that read the
model), and the runtime modules here (`cli`, `app`, `paths`, `compat`) that wire them together.
"""

__version__ = "0.1.0"
