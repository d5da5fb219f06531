"""Entry point for `python -m kiosk` (and of the packaged program)."""

import os
import sys

from kiosk.cli import main


def run() -> int:
    try:
        try:
            return main()
        finally:
            sys.stdout.flush()  # here, so a closed pipe shows up inside the try
    except BrokenPipeError:
        # Whoever read our output stopped early (`kiosk status | head -1`): that is not an
        # error of ours. Point stdout at /dev/null so the interpreter's final flush is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


sys.exit(run())
