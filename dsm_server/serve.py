"""Serving the WSGI app with waitress: socket-level fault injection and TLS termination."""

from __future__ import annotations

import hashlib
import logging
import select
import socket
import ssl
import threading
import time
from collections import Counter

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import create_server
from waitress.utilities import RequestEntityTooLarge

from dsm_server.config import ServerConfig

log = logging.getLogger("dsm_server")


def parser_class(config: ServerConfig) -> type[HTTPRequestParser]:
    """A request parser that refuses a plain SOAP body over [limits] max_soap_kb as soon as its
    headers are read (413), before waitress buffers any of it. MTOM bodies are bounded by
    waitress's max_request_body_size (max_document_mb)."""
    max_soap = config.limits.max_soap_kb * 1024

    class LimitedParser(HTTPRequestParser):
        def parse_header(self, header_plus):
            super().parse_header(header_plus)
            ctype = self.headers.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            self.soap = not ctype.startswith("multipart/")
            if self.soap and self.content_length > max_soap:
                self.error = RequestEntityTooLarge(f"a SOAP message may have at most {max_soap} bytes")
                self.completed = True

        def received(self, data):
            consumed = super().received(data)
            # A chunked body has no Content-Length to check up front: count it as it comes.
            if (
                self.chunked
                and getattr(self, "soap", False)
                and self.body_rcv is not None
                and len(self.body_rcv) > max_soap
            ):
                self.error = RequestEntityTooLarge(f"a SOAP message may have at most {max_soap} bytes")
                self.completed = True
            return consumed

    return LimitedParser


def channel_class(config: ServerConfig, *, per_address: bool = True) -> type[HTTPChannel]:
    """An HTTPChannel that imitates a slow link (read_rate) and a dropped connection
    (close_after_bytes) at the socket, where waitress reads the request before the app sees it;
    it also holds each client address to [limits] max_connections_per_address (not behind the
    TLS front, where every connection comes from loopback and the front counts instead)."""
    faults = config.faults
    counter = {"cut": 0}
    lock = threading.Lock()
    open_by_address: Counter[str] = Counter()
    limit = config.limits.max_connections_per_address

    class FaultyChannel(HTTPChannel):
        _next_read = 0.0
        _mtom_bytes = -1
        _counted = False
        parser_class = parser_class(config)

        def __init__(self, server, sock, addr, adj, map=None):
            super().__init__(server, sock, addr, adj, map)
            if not per_address:
                return
            with lock:
                over = open_by_address[addr[0]] >= limit
                if not over:
                    open_by_address[addr[0]] += 1
                    self._counted = True
            if over:
                log.warning("refused a connection from %s: %d already open from there", addr[0], limit)
                try:
                    sock.send(b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass
                self.close()

        def del_channel(self, map=None):
            if self._counted:
                with lock:
                    self._counted = False
                    open_by_address[self.addr[0]] -= 1
                    if open_by_address[self.addr[0]] <= 0:
                        del open_by_address[self.addr[0]]
            super().del_channel(map)

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


#: Bytes per recv from a client: a bytes object of this size at most per read, per connection.
RECV_BYTES = 256 * 1024


def make_server(app, config: ServerConfig):
    """The waitress server on config.host:port (plain HTTP, or behind the TLS front when configured)."""
    faults = config.faults
    limits = config.limits
    loop_timeout = 0.02 if faults.read_rate else 1
    common = dict(
        threads=config.threads,
        asyncore_loop_timeout=loop_timeout,
        # Idle and slow connections are dropped after idle_timeout; poll, as select() stops at 1024 sockets.
        channel_timeout=max(1, round(limits.idle_timeout)),
        cleanup_interval=max(1, round(limits.idle_timeout / 4)),
        connection_limit=limits.max_connections,
        asyncore_use_poll=True,
        # waitress reads 8 KiB per recv by default: ~400 passes of its Python loop for each MB
        # of a SendImage (half the server's CPU per document). The slow-link fault keeps small
        # reads, so that its pacing stays smooth.
        recv_bytes=8192 if faults.read_rate else RECV_BYTES,
        ident="dsm-scan-server",
        # Checked against Content-Length before the body is read (413); the envelope part is small.
        max_request_body_size=(min(config.max_document_mb, limits.max_job_mb) + 1) * 1024 * 1024,
    )
    if config.tls.cert:
        inner = create_server(app, host="127.0.0.1", port=0, url_scheme="https", **common)
        front = TlsFront(config, inner.effective_port)
        inner.channel_class = channel_class(config, per_address=False)
        app.peer_of = front.peer_of
        app.client_of = front.client_of
        log.info(
            "TLS front relays to 127.0.0.1:%s (which admits nothing that did not pass the front)", inner.effective_port
        )
        return inner, front
    server = create_server(app, host=config.host, port=config.port, **common)
    server.channel_class = channel_class(config)
    return server, None


def fingerprint(der: bytes) -> str:
    """SHA-256 of a certificate (DER), as 64 lower-case hex digits."""
    return hashlib.sha256(der).hexdigest()


class TlsFront:
    """Terminates TLS and relays each connection to waitress on loopback.

    waitress has no TLS of its own; this keeps certificate and client-certificate checking in the
    same process and the same configuration instead of requiring a separate proxy.
    """

    def __init__(self, config: ServerConfig, inner_port: int) -> None:
        self.config = config
        self._crl_stamp = self._crl_file_stamp()
        self.ctx = self._context(with_crl=self._crl_stamp is not None)  # no file yet: nobody revoked
        self.inner_port = inner_port
        self.limits = config.limits
        self.sock = socket.create_server((config.host, config.port), reuse_port=False, backlog=128)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._open: Counter[str] = Counter()
        self._total = 0
        #: Local port of each relayed loopback connection → (the device certificate's fingerprint,
        #: "" without one; the client's address): how the app learns who sent a request.
        self._peers: dict[int, tuple[str, str]] = {}

    def _context(self, *, with_crl: bool) -> ssl.SSLContext:
        tls = self.config.tls
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.options |= ssl.OP_NO_RENEGOTIATION  # nothing a relay must wait for mid-answer
        ctx.load_cert_chain(self.config.path(tls.cert), self.config.path(tls.key))
        if tls.client_ca:
            ctx.load_verify_locations(self.config.path(tls.client_ca))
            # Outside a lab, only enrolled devices get past the handshake.
            required = tls.require_client_cert or not self.config.insecure_lab_mode
            ctx.verify_mode = ssl.CERT_REQUIRED if required else ssl.CERT_OPTIONAL
        if with_crl:
            ctx.load_verify_locations(self.config.path(tls.client_crl))
            ctx.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF  # a revoked device fails the handshake
        return ctx

    def _crl_file_stamp(self) -> tuple[int, int] | None:
        if not self.config.tls.client_crl:
            return None
        try:
            st = self.config.path(self.config.tls.client_crl).stat()
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_size

    def _current_context(self) -> ssl.SSLContext:
        """The context for the next handshake: made anew once the revocation list changed (a
        device revoked while the server runs is refused from its next connection). A list that
        cannot be read, or is gone, keeps the last one in force."""
        if not self.config.tls.client_crl:
            return self.ctx
        try:
            stamp = self._crl_file_stamp()
            if stamp == self._crl_stamp:
                return self.ctx
            if stamp is None:  # gone (deleted by mistake?): revoked devices must not come back
                raise OSError(f"{self.config.tls.client_crl} is gone")
            self.ctx = self._context(with_crl=True)
        except (OSError, ssl.SSLError) as exc:
            log.error(
                "device revocation list %s cannot be read (the last one stays in force): %s",
                self.config.tls.client_crl,
                exc,
            )
            return self.ctx
        self._crl_stamp = stamp
        log.info("device revocation list %s read again", self.config.tls.client_crl)
        return self.ctx

    def peer_of(self, inner_client_port: int) -> str | None:
        """The device fingerprint of a relayed connection; None: not a connection of this front."""
        with self._lock:
            found = self._peers.get(inner_client_port)
        return found[0] if found else None

    def client_of(self, inner_client_port: int) -> str | None:
        """The address the front accepted a relayed connection from; None: not one of its."""
        with self._lock:
            found = self._peers.get(inner_client_port)
        return found[1] if found else None

    def serve_forever(self) -> None:
        while not self._stop.is_set():
            try:
                conn, addr = self.sock.accept()
            except OSError:
                break
            with self._lock:
                over = self._total >= self.limits.max_connections or (
                    self._open[addr[0]] >= self.limits.max_connections_per_address
                )
                if not over:
                    self._total += 1
                    self._open[addr[0]] += 1
            if over:
                log.warning("refused a TLS connection from %s: connection limit reached", addr[0])
                conn.close()
                continue
            ctx = self._current_context()
            threading.Thread(target=self._counted, args=(ctx, conn, addr), daemon=True).start()

    def _counted(self, ctx: ssl.SSLContext, conn: socket.socket, addr) -> None:
        try:
            self._handle(ctx, conn, addr)
        finally:
            with self._lock:
                self._total -= 1
                self._open[addr[0]] -= 1
                if self._open[addr[0]] <= 0:
                    del self._open[addr[0]]

    def close(self) -> None:
        self._stop.set()
        self.sock.close()

    def _handle(self, ctx: ssl.SSLContext, conn: socket.socket, addr) -> None:
        try:
            conn.settimeout(self.limits.handshake_timeout)
            tls = ctx.wrap_socket(conn, server_side=True)
        except (OSError, ssl.SSLError) as exc:
            log.info("TLS handshake with %s failed: %s", addr[0], exc)
            conn.close()
            return
        der = tls.getpeercert(binary_form=True)
        try:
            inner = socket.create_connection(("127.0.0.1", self.inner_port))
        except OSError:
            tls.close()
            return
        port = inner.getsockname()[1]
        with self._lock:
            self._peers[port] = (fingerprint(der) if der else "", addr[0])
        try:
            relay(tls, inner, self.limits.idle_timeout)
        finally:
            with self._lock:
                self._peers.pop(port, None)
            tls.close()
            inner.close()


#: Bytes held per direction before the relay stops reading that side (back-pressure).
_RELAY_BUFFER = 256 * 1024
#: After the answer, the client's further sending is read and dropped (an unread request body
#: would make the close a TCP reset, which can destroy the answer in the client's buffer) until
#: it is quiet this long, or has sent this much.
_LINGER_SECONDS = 2.0
_LINGER_BYTES = 256 * 1024 * 1024


def relay(tls: ssl.SSLSocket, inner: socket.socket, idle: float) -> None:
    """Relays one TLS connection to waitress and back, both directions in this one thread.

    One thread because OpenSSL forbids reading and writing one SSL object from two threads at
    once (TLS 1.3 writes session tickets during the first read or write). The answer always
    reaches the client: when waitress stops reading (a refused body) what the client still sends
    is dropped, and when waitress has answered and closed, the client gets the whole answer and
    a short lingering close.
    """
    tls.setblocking(False)
    inner.setblocking(False)
    up = bytearray()  # client → waitress
    down = bytearray()  # waitress → client
    client_done = False  # the client closed its side (or broke it)
    inner_done = False  # waitress answered and closed
    up_dropped = False  # waitress no longer reads: what the client sends is discarded
    read_wants_write = False  # an SSL read needs the socket writable first
    send_wants_read = False  # an SSL write needs the socket readable first
    poller = select.poll()
    last = time.monotonic()
    while not (inner_done and not down):
        read_client = not client_done and len(up) < _RELAY_BUFFER
        tls_mask = (select.POLLIN if read_client or send_wants_read else 0) | (
            select.POLLOUT if (down and not send_wants_read) or (read_wants_write and read_client) else 0
        )
        inner_mask = (select.POLLIN if not inner_done and len(down) < _RELAY_BUFFER else 0) | (
            select.POLLOUT if up and not up_dropped else 0
        )
        # A closed side keeps reporting POLLHUP: watch it only while it has something to do.
        for sock, mask in ((tls, tls_mask), (inner, inner_mask)):
            if mask:
                poller.register(sock, mask)
            else:
                try:
                    poller.unregister(sock)
                except KeyError:
                    pass
        # Decrypted bytes OpenSSL already holds are invisible to poll().
        timeout = 0 if read_client and tls.pending() else min(idle, 5.0)
        events = dict(poller.poll(timeout * 1000))
        moved = False
        if events.get(tls.fileno(), 0) or (read_client and tls.pending()):
            if read_client:
                read_wants_write = False
                try:
                    while len(up) < _RELAY_BUFFER:
                        data = tls.recv(64 * 1024)
                        if not data:
                            client_done = True
                            break
                        moved = True
                        if not up_dropped:
                            up += data
                except ssl.SSLWantReadError:
                    pass
                except ssl.SSLWantWriteError:
                    read_wants_write = True
                except OSError:
                    return  # the client's side is broken: nobody is left to answer
            if down:
                send_wants_read = False
                try:
                    # One record at a time: a retried SSL write must repeat the same bytes.
                    sent = tls.send(bytes(down[:16384]))
                except ssl.SSLWantWriteError:
                    sent = 0
                except ssl.SSLWantReadError:
                    sent, send_wants_read = 0, True
                except OSError:
                    return
                del down[:sent]
                moved = moved or sent > 0
        if events.get(inner.fileno(), 0):
            if not inner_done and len(down) < _RELAY_BUFFER:
                try:
                    answer = inner.recv(_RELAY_BUFFER)
                    inner_done = not answer
                    down += answer
                    moved = moved or bool(answer)
                except BlockingIOError:
                    pass
                except OSError:
                    inner_done = True
            if up and not up_dropped:
                try:
                    sent = inner.send(up)
                except BlockingIOError:
                    sent = 0
                except OSError:
                    # waitress answered early (413) and stopped reading: keep its answer coming.
                    up_dropped, sent = True, len(up)
                del up[:sent]
                moved = moved or sent > 0
        if client_done and not up and not up_dropped:
            try:
                inner.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            up_dropped = True
        if moved:
            last = time.monotonic()
        elif time.monotonic() - last > idle:
            return
    _linger(tls, idle)


def _linger(tls: ssl.SSLSocket, idle: float) -> None:
    """Half-closes the client connection after the answer and reads (and drops) what it still
    sends — a client that reads only after its whole upload must still find the answer — until
    it closes, stays quiet for _LINGER_SECONDS, or has sent _LINGER_BYTES or for `idle` seconds."""
    try:
        socket.socket.shutdown(tls, socket.SHUT_WR)  # the TCP socket's; SSLSocket.shutdown unwraps
    except OSError:
        return
    give_up = time.monotonic() + max(idle, _LINGER_SECONDS)
    poller = select.poll()
    poller.register(tls, select.POLLIN)
    drained = 0
    while drained < _LINGER_BYTES and (left := give_up - time.monotonic()) > 0:
        if not tls.pending() and not poller.poll(min(left, _LINGER_SECONDS) * 1000):
            return  # quiet
        try:
            data = tls.recv(64 * 1024)
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
            continue
        except OSError:
            return
        if not data:
            return
        drained += len(data)
