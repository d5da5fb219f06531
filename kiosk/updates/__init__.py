"""Content updates: a kiosk's store of bundles, and the ways new bundles reach it. Never imports Qt.

- `store`: the versions a kiosk holds, with `current` and `previous` pointers swapped atomically;
- `durable`: writes that survive a power cut (temp file, fsync, os.replace, fsync of the folder);
- `publish`, `manifest`, `signing`, `safe_zip`: what a technician publishes and how it is checked;
- `inbox` (a folder any sync tool fills) and `http_source` (any static web server): the sources;
- `updater`: one poll, ending in the same validate-then-install for both sources;
- `service`, `status`: the kiosk's background poller and its status JSON for monitoring.

docs/operations.md explains the whole flow for a gallery.
"""
