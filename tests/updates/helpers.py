"""Bundles of chosen versions, and a real HTTP server on 127.0.0.1 whose faults a test chooses."""

from __future__ import annotations

import http.server
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.content.starter import create_starter


def make_bundle(parent: Path, version: str, name: str = "gallery") -> Path:
    """The starter bundle (small, valid) with id `name` and `version`, in `parent/name-version`."""
    work = parent / f"{name}-work"
    create_starter(work)  # the starter's id is its folder's name
    folder = work.rename(parent / f"{name}-{version}")
    manifest = folder / "bundle.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('version: "0.1.0"', f'version: "{version}"'), "utf-8")
    return folder


def break_bundle(folder: Path) -> None:
    """An error validation finds: an unknown field in the manifest."""
    with (folder / "bundle.yaml").open("a", encoding="utf-8") as stream:
        stream.write("titel: oops\n")


@dataclass
class Behaviour:
    """What the server does; tests change it between polls."""

    status: dict[str, int] = field(default_factory=dict)  # path -> forced status code
    truncate: dict[str, int] = field(default_factory=dict)  # path -> bytes sent before closing
    delay: float = 0.0  # seconds before answering
    etag: bool = True
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    # path -> seconds between bytes: the body is sent one byte at a time (for at most 20 s)
    trickle: dict[str, float] = field(default_factory=dict)
    redirect: dict[str, str] = field(default_factory=dict)  # path -> Location of a 302
    started: dict[str, threading.Event] = field(default_factory=dict)  # path -> body begun


def _handler(root: Path, behaviour: Behaviour) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet tests
            return

        def do_GET(self) -> None:
            behaviour.requests.append((self.path, dict(self.headers.items())))
            if behaviour.delay:
                time.sleep(behaviour.delay)
            name = self.path.lstrip("/")
            if name in behaviour.redirect:
                self.send_response(302)
                self.send_header("Location", behaviour.redirect[name])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if name in behaviour.status:
                self.send_error(behaviour.status[name])
                return
            path = root / name
            if not path.is_file():
                self.send_error(404)
                return
            body = path.read_bytes()
            etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
            if behaviour.etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            if behaviour.etag:
                self.send_header("ETag", etag)
            self.end_headers()
            behaviour.started.setdefault(name, threading.Event()).set()
            if name in behaviour.trickle:
                self._trickle(body, behaviour.trickle[name])
                return
            cut = behaviour.truncate.get(name)
            self.wfile.write(body if cut is None else body[:cut])
            if cut is not None:
                self.close_connection = True

        def _trickle(self, body: bytes, pause: float) -> None:
            """One byte every `pause` seconds: never silent long enough for a socket timeout."""
            self.close_connection = True
            ends = time.monotonic() + 20
            try:
                for index in range(len(body)):
                    self.wfile.write(body[index : index + 1])
                    self.wfile.flush()
                    if time.monotonic() > ends:
                        return
                    time.sleep(pause)
            except OSError:  # the client hung up: what the deadline is for
                return

    return Handler


@contextmanager
def serve(root: Path, tls: ssl.SSLContext | None = None) -> Iterator[tuple[str, Behaviour]]:
    """Serve `root` on 127.0.0.1 (a free port) from a thread; yields the base URL (https://
    with a `tls` server context)."""
    behaviour = Behaviour()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(root, behaviour))
    server.daemon_threads = True
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        scheme = "https" if tls is not None else "http"
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}/", behaviour
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def free_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (the server is down)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def self_signed_tls(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context with a new self-signed certificate for 127.0.0.1, and the certificate's
    file (for the client to trust, through SSL_CERT_FILE)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = folder / "server.pem", folder / "server.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, cert_file


Tick = Callable[[], float]
