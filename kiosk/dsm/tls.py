"""TLS for the scan-server connection: which CAs to trust, and the optional client certificate."""

from __future__ import annotations

import socket
import ssl
import threading
import zlib
from collections.abc import Callable, Sequence

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from kiosk.config import ScanServerSettings
from kiosk.dsm.errors import InsecureEndpoint, ProtocolError, TlsError

#: Extra trusted roots: PEM strings or DER bytes (as in the directory's cACertificate), or a
#: callable giving them, called when the connection is set up.
ExtraCAs = Sequence[str | bytes] | Callable[[], Sequence[str | bytes]]


class Deadline:
    """An overall deadline for one call: socket timeouts alone let a server that drips a byte
    per second hold the connection forever. When it passes, the call's sockets are shut down,
    which ends any blocked send or receive at once."""

    _local = threading.local()

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._conns: list[HTTPConnection] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        Deadline._local.current = self
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        Deadline._local.current = None

    @classmethod
    def watch(cls, conn: HTTPConnection) -> None:
        current = getattr(cls._local, "current", None)
        if current is not None:
            with current._lock:
                current._conns.append(conn)
                late = current.expired
            if late:
                current._cut(conn)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            conns = list(self._conns)
        for conn in conns:
            self._cut(conn)

    @staticmethod
    def _cut(conn: HTTPConnection) -> None:
        sock = getattr(conn, "sock", None)
        if sock is not None:
            try:
                # The plain socket's shutdown: SSLSocket's own would tear down its state under
                # the reading thread's feet.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass


class _WatchedHTTP(HTTPConnection):
    def request(self, *args, **kwargs):
        Deadline.watch(self)
        return super().request(*args, **kwargs)


class _WatchedHTTPS(HTTPSConnection):
    def request(self, *args, **kwargs):
        Deadline.watch(self)
        return super().request(*args, **kwargs)


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTP


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPS


class _ContextAdapter(HTTPAdapter):
    def __init__(self, context: ssl.SSLContext | None, **kw) -> None:
        self._context = context
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kwargs):
        if self._context is not None:
            kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


class GuardedSession(requests.Session):
    """Every answer from the scan server read the same careful way, whoever asks: no redirect is
    followed (it would re-send the user's SID and documents elsewhere, or downgrade https), the
    body is read by hand up to `max_answer` bytes, and only identity, gzip or deflate encodings
    are taken, inflated in bounded steps."""

    def __init__(self, max_answer: int) -> None:
        super().__init__()
        self.max_answer = max_answer
        self.max_redirects = 0

    def request(self, method, url, **kwargs):  # type: ignore[override]  # keyword-only use
        # identity: a compressed answer could inflate a thousandfold in the kiosk's memory.
        kwargs["headers"] = {**(kwargs.get("headers") or {}), "Accept-Encoding": "identity"}
        kwargs["allow_redirects"] = False
        kwargs["stream"] = True
        try:
            response = super().request(method, url, **kwargs)
        except requests.exceptions.TooManyRedirects as exc:
            # No redirect is allowed at all; requests says so even when not following one.
            if exc.response is None:
                raise ProtocolError(f"{url}: a redirect (never followed)") from None
            response = exc.response
        try:
            if 300 <= response.status_code < 400:
                target = response.headers.get("Location", "(no Location)")
                raise ProtocolError(
                    f"HTTP {response.status_code} redirect to {target[:200]} from {url}; redirects are never followed"
                )
            response._content = read_capped(response, self.max_answer, url)
        finally:
            response.close()
        return response


def check_scheme(url: str, settings: ScanServerSettings) -> None:
    scheme = url.split(":", 1)[0].lower()
    if scheme == "http" and not settings.allow_http:
        raise InsecureEndpoint(f"{url}: plain HTTP to the scan server is refused ([scan_server] allow_http is false)")
    if scheme not in ("http", "https"):
        raise InsecureEndpoint(f"{url}: not an http(s) URL")


def session(settings: ScanServerSettings, extra_cas: ExtraCAs = ()) -> requests.Session:
    """A requests session that verifies the scan server against ca_file (or the system store) plus
    any extra PEM roots, and presents client_cert/client_key when configured."""
    try:
        ctx = ssl.create_default_context(cafile=settings.ca_file or None)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        pems = extra_cas() if callable(extra_cas) else extra_cas
        for pem in pems:
            ctx.load_verify_locations(cadata=pem)
        if settings.client_cert:
            ctx.load_cert_chain(settings.client_cert, settings.client_key or None)
    except (OSError, ssl.SSLError, ValueError) as exc:
        raise TlsError(f"TLS setup for the scan server failed: {exc}") from None
    s = GuardedSession(settings.max_answer_kb * 1024)
    # A path makes requests load only that bundle; True would add certifi to the context.
    s.verify = settings.ca_file or True
    adapter = _ContextAdapter(ctx, pool_connections=4, pool_maxsize=4, max_retries=0)
    s.mount("https://", adapter)
    s.mount("http://", _ContextAdapter(None, max_retries=0))
    return s


def read_capped(response: requests.Response, limit: int, operation: str) -> bytes:
    """The answer body, at most `limit` bytes after decoding (gzip/deflate inflated in bounded steps)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ProtocolError(f"{operation}: the answer is {declared} bytes, more than the {limit} bytes allowed")
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        inflate = None
    elif encoding in ("gzip", "x-gzip"):
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflate = zlib.decompressobj()
    else:
        raise ProtocolError(f"{operation}: the answer has an unsupported Content-Encoding {encoding[:40]!r}")
    out = bytearray()
    try:
        for chunk in response.raw.stream(64 * 1024, decode_content=False):
            if inflate is not None:
                chunk = inflate.decompress(chunk, limit + 1 - len(out))
                if inflate.unconsumed_tail:
                    chunk += b"x"  # more output is waiting: over the limit
            out += chunk
            if len(out) > limit:
                raise ProtocolError(f"{operation}: the answer is larger than the {limit} bytes allowed")
        if inflate is not None:
            out += inflate.flush()
            if len(out) > limit:
                raise ProtocolError(f"{operation}: the answer is larger than the {limit} bytes allowed")
    except zlib.error as exc:
        raise ProtocolError(f"{operation}: the compressed answer is corrupt: {exc}") from None
    return bytes(out)
