"""`kiosk status --format text|json|prometheus`: the kiosk's state for technicians and monitors.

`--format prometheus` prints the kiosk's metrics in the Prometheus text exposition format
(kiosk/runtime/metrics.py), built from the files the kiosk leaves: its status file, the update
store, the analytics database. It works whether or not the kiosk runs (then `kiosk_up` is 0), so a
cron job or node_exporter's textfile collector can use it. `text` and `json` are the update
store's status (kiosk/updates/commands.py), as `kiosk status` and `kiosk status --json` print it.
`register` adds the command to the one parser that kiosk/cli.py builds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.command_registry import Commands, add_command

FORMATS = ("text", "json", "prometheus")


def register(commands: Commands) -> None:
    status = add_command(
        commands,
        "status",
        "the installed bundles and the last update, or the metrics",
        status_command,
        "Show the kiosk's status: the update store's current and previous bundle and the last "
        "update attempt (text, json), or every metric in the Prometheus text format "
        "(prometheus).",
    )
    status.add_argument("--format", choices=FORMATS, default=None, help="default: text")
    status.add_argument("--json", action="store_true", help="the same as --format json")
    status.add_argument(
        "--store",
        type=Path,
        default=None,
        help="the kiosk's store folder (default: update_store in the installation config, "
        "else the platform's data folder)",
    )
    status.add_argument("--config", type=Path, default=None, help="the installation config file")
    status.add_argument(
        "--status-file",
        type=Path,
        default=None,
        help="the kiosk's status file (default: status_file in the config, else the platform's)",
    )


def status_command(args: argparse.Namespace) -> int:
    kind = args.format or ("json" if args.json else "text")
    if kind != "prometheus":
        from kiosk.updates.commands import status_command as store_status

        args.json = kind == "json"
        return store_status(args)
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
