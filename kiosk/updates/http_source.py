"""The HTTP(S) source: any static web server holding what `publish` wrote.

One poll is a conditional GET of `manifest.json` (If-None-Match with the last ETag, and
If-Modified-Since with the last Last-Modified), so an unchanged manifest costs a 304 and no body.
Validators are remembered only after a poll that ended well, so a failed download is retried.
The zip is streamed to a download folder with its size and hash checked, then unpacked safely.
urllib from the standard library: two GETs need no third-party client.

Every request has a wall-clock deadline (`request_seconds` for the manifest, `download_seconds`
for the zip), from connecting to the last byte. A socket timeout alone is not one: a server that
sends a byte every 2 s never trips a 30 s timeout, and `read(64 KiB)` waits for all 64 KiB. When
the deadline passes, a timer shuts the connection's socket down, which ends a blocked read at
once (`Deadline`). Redirects are followed only to http:// and https://.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

from kiosk.updates.digest import CHUNK
from kiosk.updates.errors import UpdateError
from kiosk.updates.manifest import MANIFEST_FILE, MAX_MANIFEST_BYTES, UpdateManifest
from kiosk.updates.offer import Offer, Quiet, check_download, need_space, unpack
from kiosk.updates.safe_zip import DEFAULT_LIMITS, ZipLimits
from kiosk.updates.signing import verify_manifest
from kiosk.updates.store import version_folder_name
from kiosk.updates.untrusted import printable

USER_AGENT = "kiosk-updater/1"
SCHEMES = ("http", "https")


def manifest_url(url: str) -> str:
    """`https://host/gallery/` and `https://host/gallery` mean `.../gallery/manifest.json`."""
    if url.endswith(".json"):
        return url
    return url.rstrip("/") + "/" + MANIFEST_FILE


class Deadline:
    """A wall-clock limit on one request: once it passes, the request's sockets are shut down.

    Used as a context manager around the whole request; `watch` is called with each socket as
    soon as it is connected. Shutting a socket down (not closing it: the reading thread still
    owns it) makes a read blocked in another thread return at once.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._ends = time.monotonic() + seconds

    def __enter__(self) -> Deadline:
        self._ends = time.monotonic() + self.seconds
        self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        return max(0.0, self._ends - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _cut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _cut(sock)


def _cut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for a TLS socket: it acts on the descriptor and leaves
    # the TLS object to the thread that is reading. OSError: already closed.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _watched(connection_class: type[http.client.HTTPConnection], deadline: Deadline) -> Any:
    """A connection class (http or https) whose socket the deadline watches once connected."""

    def connect(self: http.client.HTTPConnection) -> None:
        connection_class.connect(self)
        deadline.watch(self.sock)

    return type(f"Watched{connection_class.__name__}", (connection_class,), {"connect": connect})


class _DeadlineHandler(urllib.request.HTTPHandler, urllib.request.HTTPSHandler):
    """urllib's http and https handlers, with connections that `deadline` can cut."""

    def __init__(self, deadline: Deadline) -> None:
        urllib.request.HTTPSHandler.__init__(self)
        self._http = _watched(http.client.HTTPConnection, deadline)
        self._https = _watched(http.client.HTTPSConnection, deadline)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._http, req)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._https, req, context=getattr(self, "_context", None))


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http:// and https:// only (urllib would follow ftp:// too)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in SCHEMES:
            fp.close()
            raise UpdateError(
                "bad-redirect",
                f"{req.full_url} redirects to {printable(newurl, 200)}; only http:// and "
                "https:// redirects are followed",
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class HttpSource:
    """Polls one manifest URL."""

    def __init__(
        self,
        url: str,
        public_key: Path | None = None,
        timeout: float = 30.0,
        download_seconds: float = 1800.0,
        limits: ZipLimits = DEFAULT_LIMITS,
        request_seconds: float = 60.0,
    ) -> None:
        self.url = manifest_url(url)
        self.label = self.url
        self.public_key = public_key
        self.timeout = timeout  # for each connect and each read
        self.request_seconds = request_seconds  # the whole manifest request
        self.download_seconds = download_seconds  # the whole download of the zip
        self.limits = limits

    def _open(
        self, url: str, headers: dict[str, str], deadline: Deadline
    ) -> http.client.HTTPResponse:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})
        opener = urllib.request.build_opener(_DeadlineHandler(deadline), _HttpOnlyRedirects())
        try:
            response = opener.open(request, timeout=min(self.timeout, deadline.seconds))
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code == 304:
                raise
            raise UpdateError(
                f"http-{exc.code}", f"{url} answered {exc.code} {printable(exc.reason, 100)}"
            ) from None
        except urllib.error.URLError as exc:
            if deadline.expired:
                raise _late(url, deadline) from None
            if isinstance(exc.reason, TimeoutError):
                raise UpdateError("timeout", f"{url} did not answer in time") from None
            raise UpdateError(
                "server-down", f"cannot reach {url}: {printable(exc.reason, 200)}"
            ) from None
        except TimeoutError:
            raise UpdateError("timeout", f"{url} did not answer in time") from None
        except (http.client.HTTPException, OSError) as exc:
            if deadline.expired:
                raise _late(url, deadline) from None
            broke = printable(repr(exc), 200)
            raise UpdateError("server-down", f"{url} broke off: {broke}") from None
        assert isinstance(response, http.client.HTTPResponse)
        return response

    def check(self, validators: dict[str, dict[str, str]]) -> Offer | Quiet:
        known = validators.get(self.url, {})
        headers = {}
        if "etag" in known:
            headers["If-None-Match"] = known["etag"]
        if "last_modified" in known:
            headers["If-Modified-Since"] = known["last_modified"]
        with Deadline(self.request_seconds) as deadline:
            try:
                response = self._open(self.url, headers, deadline)
            except urllib.error.HTTPError:  # only 304 gets here
                return Quiet("up-to-date", "the manifest has not changed (304 Not Modified)")
            with response:
                length = response.headers.get("Content-Length")
                if length is not None and length.isdigit() and int(length) > MAX_MANIFEST_BYTES:
                    raise UpdateError(
                        "bad-manifest",
                        f"the manifest is larger than {MAX_MANIFEST_BYTES} bytes "
                        f"({int(length)} announced)",
                    )
                try:
                    raw = response.read(MAX_MANIFEST_BYTES + 1)
                except TimeoutError:
                    raise UpdateError("timeout", f"{self.url} stopped sending") from None
                except (http.client.HTTPException, OSError, ValueError) as exc:
                    if deadline.expired:
                        raise _late(self.url, deadline) from None
                    raise UpdateError(
                        "truncated", f"the manifest broke off: {printable(repr(exc), 200)}"
                    ) from None
                if deadline.expired:  # a cut connection can look like the end of the body
                    raise _late(self.url, deadline)
                # The zip is beside the manifest where it was found, after any redirect.
                found_at = response.geturl() or self.url
                seen = {
                    key: value
                    for key, value in (
                        ("etag", response.headers.get("ETag")),
                        ("last_modified", response.headers.get("Last-Modified")),
                    )
                    if value
                }
        manifest = UpdateManifest.parse(raw)
        verify_manifest(manifest, self.public_key)
        zip_url = urllib.parse.urljoin(found_at, manifest.file)
        return Offer(
            manifest.bundle,
            manifest.version,
            version_folder_name(manifest.version, manifest.sha256),
            partial(self._fetch, manifest, zip_url),
            (self.url, seen),
            manifest.expires_at,
        )

    def _fetch(self, manifest: UpdateManifest, zip_url: str, staging: Path) -> Path:
        need_space(staging, manifest.size, f"downloading {manifest.file}")
        target = staging / "download.zip"
        with (
            Deadline(self.download_seconds) as deadline,
            self._open(zip_url, {}, deadline) as response,
            target.open("wb") as sink,
        ):
            received = 0
            while True:
                try:
                    chunk = response.read1(CHUNK)  # what has arrived: the deadline is checked
                except TimeoutError:
                    raise UpdateError("timeout", f"{zip_url} stopped sending") from None
                except (http.client.HTTPException, OSError, ValueError) as exc:
                    if deadline.expired:
                        raise _late(zip_url, deadline) from None
                    raise UpdateError(
                        "truncated",
                        f"the download of {manifest.file} broke off after {received} of "
                        f"{manifest.size} bytes ({printable(repr(exc), 200)})",
                    ) from None
                if deadline.expired:
                    raise _late(zip_url, deadline)
                if not chunk:
                    break
                received += len(chunk)
                if received > manifest.size:
                    raise UpdateError(
                        "wrong-size",
                        f"{manifest.file} is larger than the manifest's {manifest.size} bytes",
                    )
                sink.write(chunk)
        check_download(target, manifest)
        return unpack(target, staging, self.limits)


def _late(url: str, deadline: Deadline) -> UpdateError:
    return UpdateError(
        "timeout", f"{url} did not finish within its deadline of {deadline.seconds:g} s"
    )
