"""`kiosk status --format text|json|prometheus`: the kiosk's state for technicians and monitors.

`--format prometheus` prints the kiosk's metrics in the Prometheus text exposition format
(kiosk/runtime/metrics.py), built from the files the kiosk leaves: its status file, the update
store, the analytics database. It works whether or not the kiosk runs (then `kiosk_up` is 0), so a
cron job or node_exporter's textfile collector can use it. `text` and `json` are the update
store's status (kiosk/updates/commands.py), as `kiosk status` and `kiosk status --json` print it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("text", "json", "prometheus")


def wants_format(argv: list[str]) -> bool:
    """True when `kiosk status` is given --format (the other forms are the store's own)."""
    return any(arg == "--format" or arg.startswith("--format=") for arg in argv)


def status_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kiosk status",
        description="Show the kiosk's status: the update store (text, json), or every metric "
        "in the Prometheus text format (prometheus).",
    )
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--store", type=Path, default=None, help="the kiosk's store folder")
    parser.add_argument("--config", type=Path, default=None, help="the installation config file")
    parser.add_argument(
        "--status-file",
        type=Path,
        default=None,
        help="the kiosk's status file (default: status_file in the config, else the platform's)",
    )
    args = parser.parse_args(argv)
    if args.format != "prometheus":
        from kiosk.updates.commands import status_command as store_status

        rest = ["--json"] if args.format == "json" else []
        for option in ("store", "config"):
            value = getattr(args, option)
            if value is not None:
                rest += [f"--{option}", str(value)]
        return store_status(rest)
    if args.config is not None and not args.config.is_file():
        print(f"error: the config file {args.config} does not exist", file=sys.stderr)
        return 2
    from kiosk.runtime.config import default_status_file, default_update_store, load_config
    from kiosk.runtime.metrics import exposition, sample_from_files

    config = load_config(args.config).config
    store = args.store
    if store is None and config.update_source:
        store = config.update_store or default_update_store()
    sample = sample_from_files(
        args.status_file or config.status_file or default_status_file(),
        kiosk_name=config.kiosk_name,
        store=store,
        analytics_folder=config.analytics_folder,
    )
    sys.stdout.write(exposition(sample))
    return 0
