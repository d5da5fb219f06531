"""The runtime layer's parts that need no Qt: installation config, PIN hashing, logging, the
exception hook and the systemd watchdog. `kiosk/app.py` wires them to the UI.
"""
