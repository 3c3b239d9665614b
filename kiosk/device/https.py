"""HTTPS for the device host. waitress has no TLS, so this is the standard library's threading
WSGI server on a TLS socket: the device host's traffic is a few requests a minute, and the
handshake runs in each connection's own thread (a slow client never holds up accept)."""

from __future__ import annotations

import logging
import socket
import ssl
import threading
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from kiosk.errors import ConfigError

log = logging.getLogger("kiosk.device.https")

HANDSHAKE_SECONDS = 10.0


class _Handler(WSGIRequestHandler):
    def setup(self) -> None:
        self.request.settimeout(HANDSHAKE_SECONDS)
        self.request.do_handshake()
        super().setup()

    def get_environ(self) -> dict[str, Any]:
        environ = super().get_environ()
        environ["HTTPS"] = "on"  # so wsgi.url_scheme says https
        return environ

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 — the base class's name
        log.debug("%s %s", self.address_string(), format % args)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.info("HTTPS connection from %s failed", client_address[0], exc_info=log.isEnabledFor(logging.DEBUG))


class _Server6(_Server):
    address_family = socket.AF_INET6


def context(cert: str, key: str) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        ctx.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"[device] tls_cert/tls_key: cannot load {cert} / {key}: {exc}") from None
    return ctx


class HttpsServers:
    """One TLS server per address, all on `port`, serving `app`."""

    def __init__(self, app: Any, hosts: list[str], port: int, ctx: ssl.SSLContext) -> None:
        self.servers: list[_Server] = []
        self.threads: list[threading.Thread] = []
        try:
            for host in hosts:
                cls = _Server6 if ":" in host else _Server
                server = cls((host, port), _Handler)
                server.set_app(app)
                server.socket = ctx.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
                self.servers.append(server)
        except OSError as exc:
            self.close()
            raise ConfigError(f"[device] https_port: cannot listen on port {port}: {exc.strerror or exc}") from None
        for server in self.servers:
            t = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
            t.start()
            self.threads.append(t)

    def close(self) -> None:
        for server in self.servers:
            if self.threads:
                server.shutdown()
            server.server_close()
        for t in self.threads:
            t.join(timeout=5)
        self.servers.clear()
        self.threads.clear()
