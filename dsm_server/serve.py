"""Serving the WSGI app with waitress: socket-level fault injection and TLS termination."""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time

from waitress.channel import HTTPChannel
from waitress.server import create_server

from dsm_server.config import ServerConfig

log = logging.getLogger("dsm_server")


def channel_class(config: ServerConfig) -> type[HTTPChannel]:
    """An HTTPChannel that imitates a slow link (read_rate) and a dropped connection
    (close_after_bytes) at the socket, where waitress reads the request before the app sees it."""
    faults = config.faults
    counter = {"cut": 0}
    lock = threading.Lock()

    class FaultyChannel(HTTPChannel):
        _next_read = 0.0
        _mtom_bytes = -1

        def readable(self) -> bool:
            return super().readable() and time.monotonic() >= self._next_read

        def received(self, data: bytes) -> bool:
            if faults.read_rate:
                self._next_read = time.monotonic() + len(data) / faults.read_rate
            if faults.close_after_bytes:
                if self._mtom_bytes < 0 and b"multipart/related" in data:
                    with lock:
                        if faults.close_count == 0 or counter["cut"] < faults.close_count:
                            counter["cut"] += 1
                            self._mtom_bytes = 0
                if self._mtom_bytes >= 0:
                    self._mtom_bytes += len(data)
                    if self._mtom_bytes >= faults.close_after_bytes:
                        log.info(
                            "fault injection: closing the connection after %d bytes of a SendImage", self._mtom_bytes
                        )
                        self._mtom_bytes = -1
                        self.handle_close()
                        return False
            return super().received(data)

    return FaultyChannel


def make_server(app, config: ServerConfig):
    """The waitress server on config.host:port (plain HTTP, or behind the TLS front when configured)."""
    faults = config.faults
    loop_timeout = 0.02 if faults.read_rate else 1
    # waitress refuses bodies over 1 GiB by default; documents may be larger.
    common = dict(
        threads=config.threads,
        asyncore_loop_timeout=loop_timeout,
        channel_timeout=600,
        ident="dsm-scan-server",
        max_request_body_size=(config.max_document_mb + 4) * 1024 * 1024,
    )
    if config.tls.cert:
        inner = create_server(app, host="127.0.0.1", port=0, url_scheme="https", **common)
        front = TlsFront(config, inner.effective_port)
        inner.channel_class = channel_class(config)
        return inner, front
    server = create_server(app, host=config.host, port=config.port, **common)
    server.channel_class = channel_class(config)
    return server, None


class TlsFront:
    """Terminates TLS and relays each connection to waitress on loopback.

    waitress has no TLS of its own; this keeps certificate and client-certificate checking in the
    same process and the same configuration instead of requiring a separate proxy.
    """

    def __init__(self, config: ServerConfig, inner_port: int) -> None:
        tls = config.tls
        self.ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        self.ctx.load_cert_chain(config.path(tls.cert), config.path(tls.key))
        if tls.client_ca:
            self.ctx.load_verify_locations(config.path(tls.client_ca))
            self.ctx.verify_mode = ssl.CERT_REQUIRED if tls.require_client_cert else ssl.CERT_OPTIONAL
        self.inner_port = inner_port
        self.sock = socket.create_server((config.host, config.port), reuse_port=False, backlog=64)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()

    def serve_forever(self) -> None:
        while not self._stop.is_set():
            try:
                conn, addr = self.sock.accept()
            except OSError:
                break
            threading.Thread(target=self._handle, args=(conn, addr), daemon=True).start()

    def close(self) -> None:
        self._stop.set()
        self.sock.close()

    def _handle(self, conn: socket.socket, addr) -> None:
        try:
            conn.settimeout(30)
            tls = self.ctx.wrap_socket(conn, server_side=True)
            tls.settimeout(None)
        except (OSError, ssl.SSLError) as exc:
            log.info("TLS handshake with %s failed: %s", addr[0], exc)
            conn.close()
            return
        try:
            inner = socket.create_connection(("127.0.0.1", self.inner_port))
        except OSError:
            tls.close()
            return

        def pump(src, dst) -> None:
            try:
                while data := src.recv(256 * 1024):
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                for s in (src, dst):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        t = threading.Thread(target=pump, args=(inner, tls), daemon=True)
        t.start()
        pump(tls, inner)
        t.join()
        tls.close()
        inner.close()
