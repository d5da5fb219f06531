"""The HTTP(S) source: any static web server holding what `publish` wrote.

One poll is a conditional GET of `manifest.json` (If-None-Match with the last ETag, and
If-Modified-Since with the last Last-Modified), so an unchanged manifest costs a 304 and no body.
Validators are remembered only after a poll that ended well, so a failed download is retried.
The zip is streamed to staging with its size and hash checked, then unpacked safely.
urllib from the standard library: two GETs need no third-party client.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
from functools import partial
from pathlib import Path

from kiosk.updates.digest import CHUNK
from kiosk.updates.errors import UpdateError
from kiosk.updates.manifest import MANIFEST_FILE, MAX_MANIFEST_BYTES, UpdateManifest
from kiosk.updates.offer import Offer, Quiet, check_download, need_space, unpack
from kiosk.updates.safe_zip import DEFAULT_LIMITS, ZipLimits
from kiosk.updates.signing import verify_manifest
from kiosk.updates.store import version_folder_name

USER_AGENT = "kiosk-updater/1"


def manifest_url(url: str) -> str:
    """`https://host/gallery/` and `https://host/gallery` mean `.../gallery/manifest.json`."""
    if url.endswith(".json"):
        return url
    return url.rstrip("/") + "/" + MANIFEST_FILE


class HttpSource:
    """Polls one manifest URL."""

    def __init__(
        self,
        url: str,
        public_key: Path | None = None,
        timeout: float = 30.0,
        download_seconds: float = 1800.0,
        limits: ZipLimits = DEFAULT_LIMITS,
    ) -> None:
        self.url = manifest_url(url)
        self.label = self.url
        self.public_key = public_key
        self.timeout = timeout
        self.download_seconds = download_seconds  # a server that trickles is a timeout too
        self.limits = limits

    def _open(self, url: str, headers: dict[str, str]) -> http.client.HTTPResponse:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code == 304:
                raise
            raise UpdateError(
                f"http-{exc.code}", f"{url} answered {exc.code} {exc.reason}"
            ) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise UpdateError("timeout", f"{url} did not answer in time") from None
            raise UpdateError("server-down", f"cannot reach {url}: {exc.reason}") from None
        except TimeoutError:
            raise UpdateError("timeout", f"{url} did not answer in time") from None
        except (http.client.HTTPException, ConnectionError) as exc:
            raise UpdateError("server-down", f"{url} broke off: {exc!r}") from None
        assert isinstance(response, http.client.HTTPResponse)
        return response

    def check(self, validators: dict[str, dict[str, str]]) -> Offer | Quiet:
        known = validators.get(self.url, {})
        headers = {}
        if "etag" in known:
            headers["If-None-Match"] = known["etag"]
        if "last_modified" in known:
            headers["If-Modified-Since"] = known["last_modified"]
        try:
            response = self._open(self.url, headers)
        except urllib.error.HTTPError:  # only 304 gets here
            return Quiet("up-to-date", "the manifest has not changed (304 Not Modified)")
        with response:
            try:
                raw = response.read(MAX_MANIFEST_BYTES + 1)
            except TimeoutError:
                raise UpdateError("timeout", f"{self.url} stopped sending") from None
            except (http.client.HTTPException, ConnectionError) as exc:
                raise UpdateError("truncated", f"the manifest broke off: {exc!r}") from None
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
        zip_url = urllib.parse.urljoin(self.url, manifest.file)
        return Offer(
            manifest.version,
            version_folder_name(manifest.version, manifest.sha256),
            partial(self._fetch, manifest, zip_url),
            (self.url, seen),
        )

    def _fetch(self, manifest: UpdateManifest, zip_url: str, staging: Path) -> Path:
        need_space(staging, manifest.size, f"downloading {manifest.file}")
        target = staging / "download.zip"
        deadline = time.monotonic() + self.download_seconds
        with self._open(zip_url, {}) as response, target.open("wb") as sink:
            received = 0
            while True:
                try:
                    chunk = response.read(CHUNK)
                except TimeoutError:
                    raise UpdateError("timeout", f"{zip_url} stopped sending") from None
                except (http.client.IncompleteRead, ConnectionError) as exc:
                    raise UpdateError(
                        "truncated",
                        f"the download of {manifest.file} broke off after {received} of "
                        f"{manifest.size} bytes ({exc!r})",
                    ) from None
                if not chunk:
                    break
                received += len(chunk)
                if received > manifest.size:
                    raise UpdateError(
                        "wrong-size",
                        f"{manifest.file} is larger than the manifest's {manifest.size} bytes",
                    )
                if time.monotonic() > deadline:
                    raise UpdateError(
                        "timeout", f"{manifest.file} took longer than {self.download_seconds:.0f} s"
                    )
                sink.write(chunk)
        check_download(target, manifest)
        return unpack(target, staging, self.limits)
