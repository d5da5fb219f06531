"""The technicians' update commands: `publish`, `keygen`, `update`, `rollback`, and the store's
part of `status` (registered by kiosk/status_command.py, which adds the metrics).

Kept apart from kiosk/cli.py (which runs the kiosk) so each stays small; `register` adds them
to the one parser that cli.py builds.
Exit codes: 0 done (or nothing to do), 1 the command's work failed (the message says why),
2 a usage error (a missing folder, no source given). Never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.command_registry import Commands, add_command
from kiosk.runtime.config import LoadedConfig, default_update_store, load_config
from kiosk.updates.errors import UpdateError

if TYPE_CHECKING:
    from kiosk.updates.store import Store

USAGE = 2


def _fail(message: str, code: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _config(path: Path | None) -> LoadedConfig | None:
    if path is not None and not path.is_file():
        print(f"error: the config file {path} does not exist", file=sys.stderr)
        return None
    return load_config(path)


def _store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help="the kiosk's store folder (default: update_store in the installation config, "
        "else the platform's data folder)",
    )
    parser.add_argument("--config", type=Path, default=None, help="the installation config file")


def _store_path(args: argparse.Namespace, loaded: LoadedConfig) -> Path:
    return args.store or loaded.config.update_store or default_update_store()


def register(commands: Commands) -> None:
    publish = add_command(
        commands,
        "publish",
        "validate a bundle and write its zip and manifest.json",
        publish_command,
        "Validate a bundle, zip it and write manifest.json beside the zip, ready to copy to "
        "any static web server or sync folder (docs/operations.md).",
    )
    publish.add_argument("bundle", type=Path, help="the bundle folder")
    publish.add_argument("--out", type=Path, required=True, help="the folder to write into")
    publish.add_argument(
        "--sign", type=Path, default=None, help="the private key (keygen) to sign with"
    )
    publish.add_argument(
        "--expires-days",
        type=float,
        default=None,
        help="kiosks refuse the manifest this many days from now (default 365): publish "
        "again before then to renew it (docs/operations.md, 'Expiry and re-signing')",
    )
    keygen = add_command(
        commands,
        "keygen",
        "create a key pair for signing published bundles",
        keygen_command,
        "Create an Ed25519 key pair for signing bundles: NAME.key (private: keep it on the "
        "publishing machine) and NAME.pub (install it on every kiosk).",
    )
    keygen.add_argument(
        "name", type=Path, help="path and name without extension, e.g. keys/gallery"
    )
    update = add_command(
        commands,
        "update",
        "fetch a published bundle and install it if valid",
        update_command,
        "Poll a web server or folder for a new bundle and install it into the store if it is "
        "valid. The running kiosk shows it at its next idle moment.",
    )
    update.add_argument(
        "--from",
        dest="source",
        default=None,
        help="an http(s):// URL (of manifest.json or its folder) or a folder "
        "(default: update_source in the installation config)",
    )
    _store_argument(update)
    update.add_argument(
        "--public-key",
        type=Path,
        default=None,
        help="accept only bundles signed for this public key (default: update_public_key)",
    )
    update.add_argument("--once", action="store_true", help="poll once and exit")
    update.add_argument(
        "--settle", type=float, default=None, help="a folder's quiet time in seconds"
    )
    update.add_argument(
        "--allow-downgrade",
        action="store_true",
        help="with --once: install what the source offers even if it is not newer than the "
        "newest version installed here (it then becomes the version to compare against)",
    )
    update.add_argument(
        "--switch-bundle",
        metavar="ID",
        default=None,
        help="change this kiosk's exhibit: take the bundle with this id (and from now on only "
        "it), whatever its version",
    )
    rollback = add_command(
        commands,
        "rollback",
        "make the previous bundle current again",
        rollback_command,
        "Make the previous bundle current again. The running kiosk shows it at its next idle "
        "moment; the poller does not reinstall the one rolled back from until the source "
        "publishes another version.",
    )
    _store_argument(rollback)


def publish_command(args: argparse.Namespace) -> int:
    from kiosk.content import NotABundle, Severity, collector_paused, validate_bundle
    from kiosk.updates.publish import DEFAULT_EXPIRES_DAYS, publish

    try:
        with collector_paused():  # this process only validates and packs
            bundle, problems = validate_bundle(args.bundle)
    except NotABundle as exc:
        return _fail(str(exc), USAGE)
    if bundle is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        return _fail(f"{args.bundle} is not valid ({errors} errors); nothing was published")
    if args.sign is not None and not args.sign.is_file():
        return _fail(f"the private key {args.sign} does not exist", USAGE)
    try:
        days = DEFAULT_EXPIRES_DAYS if args.expires_days is None else args.expires_days
        manifest = publish(args.bundle, args.out, args.sign, days)
    except UpdateError as exc:
        return _fail(exc.message)
    except OSError as exc:
        return _fail(f"cannot write to {args.out}: {exc}")
    # What visitors will meet goes with the bundle: the warnings are shipped, so they are shown.
    for problem in problems:
        print(problem)
    signed = "signed" if manifest.signature else "not signed"
    warnings = sum(1 for p in problems if p.severity is Severity.WARNING)  # not info lines
    shipped = f" with {warnings} warning{'s' * (warnings != 1)} (above)" if warnings else ""
    print(
        f"published {manifest.bundle} {manifest.version} ({signed}){shipped}: "
        f"{args.out / manifest.file} ({manifest.size} bytes, sha256 {manifest.sha256[:16]}…) "
        f"and {args.out / 'manifest.json'}, which kiosks accept until {manifest.expires}"
    )
    print("copy the zip first and manifest.json last to the web server or sync folder")
    return 0


def keygen_command(args: argparse.Namespace) -> int:
    private = args.name.with_name(args.name.name + ".key")
    public = args.name.with_name(args.name.name + ".pub")
    for path in (private, public):
        if path.exists():
            return _fail(f"{path} exists already; nothing was changed")
    from kiosk.updates.signing import generate_key_pair

    try:
        args.name.parent.mkdir(parents=True, exist_ok=True)
        generate_key_pair(private, public)
    except OSError as exc:
        return _fail(f"cannot write the keys: {exc}")
    print(f"private key: {private} (publish with --sign {private}; keep it off the kiosks)")
    print(f"public key:  {public} (on every kiosk, named by update_public_key in its config)")
    return 0


def update_command(args: argparse.Namespace) -> int:
    if args.allow_downgrade and not args.once:
        return _fail("--allow-downgrade needs --once: it is a one-off decision", USAGE)
    loaded = _config(args.config)
    if loaded is None:
        return USAGE
    config = loaded.config
    pinned = config.update_bundle_id
    if args.switch_bundle and pinned and args.switch_bundle != pinned:
        return _fail(
            f"the installation config pins this kiosk to {pinned} (update_bundle_id); "
            "change it there to change the exhibit",
            USAGE,
        )
    source_text = args.source or config.update_source
    if not source_text:
        return _fail("no source: give --from URL-or-FOLDER or set update_source", USAGE)
    public_key = args.public_key or config.update_public_key
    if public_key is not None and not public_key.is_file():
        return _fail(f"the public key {public_key} does not exist", USAGE)
    settle = args.settle if args.settle is not None else config.update_settle_seconds
    from kiosk.updates.inbox import FolderSource
    from kiosk.updates.store import Store
    from kiosk.updates.updater import Updater, make_source

    source = make_source(
        source_text,
        public_key,
        settle,
        request_seconds=config.update_request_seconds,
        download_seconds=config.update_download_seconds,
    )
    updater = Updater(
        Store(_store_path(args, loaded)),
        source,
        bundle_id=config.update_bundle_id,
        switch_bundle=args.switch_bundle,
        allow_downgrade=args.allow_downgrade,
    )
    while True:
        attempt = updater.poll_once()
        if (
            attempt.outcome == "waiting"
            and isinstance(source, FolderSource)
            and 0 < source.wait_hint <= settle
        ):
            time.sleep(source.wait_hint)  # a settling folder: one look again after the quiet time
            attempt = updater.poll_once()
        print(attempt.line())
        if args.once:
            return 1 if attempt.outcome in ("failed", "busy") else 0
        time.sleep(config.update_interval_seconds)


def _existing_store(args: argparse.Namespace) -> Store | int:
    """The store the command names (its config's or --store), or the exit code for a bad config
    or a folder that is no store."""
    loaded = _config(args.config)
    if loaded is None:
        return USAGE
    from kiosk.updates.store import Store

    path = _store_path(args, loaded)
    if not path.is_dir():
        return _fail(f"there is no store at {path}", USAGE)
    return Store(path)


def status_command(args: argparse.Namespace) -> int:
    store = _existing_store(args)
    if isinstance(store, int):
        return store
    path = store.root
    state = store.state()
    if args.json:
        print(
            json.dumps(
                {
                    "store": str(path),
                    "current": store.current,
                    "previous": store.previous,
                    "held_back": state.held_back,
                    "trusted": {"bundle": state.trusted_bundle, "version": state.trusted_version},
                    "manifest_expires": state.manifest_expires,
                    "last_attempt": asdict(state.last_attempt) if state.last_attempt else None,
                    "history": [asdict(a) for a in state.history],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print(f"current: {store.current or 'none'}")
        print(f"previous: {store.previous or 'none'}")
        if state.held_back:
            print(f"held back: {state.held_back} (rolled back from; not installed again)")
        last = state.last_attempt
        print(f"last attempt: {last.line() if last else 'none'}")
        failures = [a for a in state.history if a.outcome == "failed"]
        if failures and failures[-1] is not last:
            print(f"last failure: {failures[-1].line()}")
        if state.trusted_bundle:
            print(
                f"pinned to: {state.trusted_bundle}, newest installed {state.trusted_version} "
                "(nothing at or below it is installed by itself)"
            )
        if state.manifest_expires:
            print(f"the manifest accepted last expires at {state.manifest_expires}")
    return 0 if store.current else 1


def rollback_command(args: argparse.Namespace) -> int:
    store = _existing_store(args)
    if isinstance(store, int):
        return store
    from kiosk.updates.updater import rollback

    try:
        attempt = rollback(store)
    except UpdateError as exc:
        return _fail(exc.message)
    print(attempt.message)
    return 0
