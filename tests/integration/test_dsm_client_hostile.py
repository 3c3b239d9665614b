"""The WS-DSP client against hostile servers on loopback (issue #14 K1, K3, K4): a redirect is
never followed (nor an https → http downgrade), answers are size-capped and inflating them is
bounded, and a server that drips its answer cannot hold the call beyond its deadline."""

from __future__ import annotations

import gzip
import re
import socket
import ssl
import threading
from collections.abc import Callable

import pytest

from kiosk.config import ScanServerSettings
from kiosk.dsm.client import WsdspClient
from kiosk.dsm.errors import ProtocolError, ScanServerUnreachable
from tests.fixtures.tls import make_server_tls
from tests.integration.test_dsm_flow import PSP_ID, SID, instructions

SERVICE = "/ScanServer/978e9349-e854-444f-87a6-1946553e14a6"


class RawServer:
    """A one-thread-per-connection HTTP/1.1 server answering every request with `answer(request)`,
    which returns the bytes to send (or writes them itself through `conn` and returns None)."""

    def __init__(self, answer: Callable[[bytes, socket.socket], bytes | None], tls=None) -> None:
        self.answer = answer
        self.requests: list[bytes] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.ctx = None
        if tls is not None:
            self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.ctx.load_cert_chain(tls.cert, tls.key)
        self.stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{SERVICE}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.ctx is not None:
                conn = self.ctx.wrap_socket(conn, server_side=True)
            conn.settimeout(30)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                body += chunk
            self.requests.append(head + b"\r\n\r\n" + body)
            out = self.answer(head + b"\r\n\r\n" + body, conn)
            if out:
                conn.sendall(out)
        except (OSError, ValueError, AttributeError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def close(self) -> None:
        self.sock.close()


def reply(request: bytes, padding: int = 0) -> bytes:
    """A valid CreatePostScanJobResponse to `request`, with `padding` spaces inside the Body."""
    message_id = re.search(rb"<wsa:MessageID>([^<]+)</wsa:MessageID>", request).group(1).decode()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
        'xmlns:dsp="http://schemas.microsoft.com/windows/2008/12/wdp/distributedscan/processing">'
        "<soap:Header><wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>"
        "<wsa:Action>http://schemas.microsoft.com/windows/2008/12/wdp/distributedscan/processing/"
        "CreatePostScanJobResponse</wsa:Action>"
        f"<wsa:MessageID>urn:uuid:00000000-0000-0000-0000-000000000001</wsa:MessageID>"
        f"<wsa:RelatesTo>{message_id}</wsa:RelatesTo></soap:Header>"
        f"<soap:Body>{' ' * padding}<dsp:CreatePostScanJobResponse>"
        "<dsp:JobToken>3f7e2a9c-1111-4222-8333-944455556666</dsp:JobToken>"
        "</dsp:CreatePostScanJobResponse></soap:Body></soap:Envelope>"
    ).encode()


def http(body: bytes, *, status: str = "200 OK", headers: str = "") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/soap+xml; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n{headers}\r\n"
    ).encode() + body


def settings(**more) -> ScanServerSettings:
    return ScanServerSettings(allow_http=True, connect_timeout=5.0, read_timeout=10.0, **more)


@pytest.fixture
def servers():
    made: list[RawServer] = []

    def make(answer, tls=None) -> RawServer:
        made.append(RawServer(answer, tls))
        return made[-1]

    yield make
    for s in made:
        s.close()


def test_the_raw_server_answers_a_good_reply(servers):
    # The hostile servers below differ from this one only in what they do wrong.
    good = servers(lambda req, conn: http(reply(req)))
    with WsdspClient(good.url(), settings()) as client:
        assert client.create_post_scan_job(SID, PSP_ID, instructions()) == "3f7e2a9c-1111-4222-8333-944455556666"


@pytest.mark.parametrize("status", ["302 Found", "307 Temporary Redirect", "308 Permanent Redirect"])
def test_a_redirect_is_never_followed(servers, status):
    elsewhere = servers(lambda req, conn: http(reply(req)))
    redirecting = servers(lambda req, conn: http(b"", status=status, headers=f"Location: {elsewhere.url()}\r\n"))
    with WsdspClient(redirecting.url(), settings()) as client:
        with pytest.raises(ProtocolError) as info:
            client.create_post_scan_job(SID, PSP_ID, instructions())
    assert not info.value.retryable
    assert "redirect" in str(info.value)
    assert elsewhere.requests == []  # the user's SID never went to the other host


def test_https_endpoint_redirecting_to_http_sends_nothing_in_clear(servers, tmp_path):
    tls = make_server_tls(tmp_path / "pki")
    clear = servers(lambda req, conn: http(reply(req)))
    secure = servers(
        lambda req, conn: http(b"", status="307 Temporary Redirect", headers=f"Location: {clear.url()}\r\n"), tls
    )
    strict = ScanServerSettings(allow_http=False, ca_file=str(tls.ca), connect_timeout=5.0, read_timeout=10.0)
    with WsdspClient(secure.url("https"), strict) as client:
        with pytest.raises(ProtocolError):
            client.create_post_scan_job(SID, PSP_ID, instructions())
    assert len(secure.requests) == 1 and SID.encode() in secure.requests[0]
    assert clear.requests == []


def test_an_answer_over_the_cap_is_refused(servers):
    big = servers(lambda req, conn: http(reply(req, padding=2 * 1024 * 1024)))
    with WsdspClient(big.url(), settings(max_answer_kb=1024)) as client:
        with pytest.raises(ProtocolError) as info:
            client.create_post_scan_job(SID, PSP_ID, instructions())
    assert "1048576 bytes" in str(info.value) and not info.value.retryable
    # The same answer under a larger cap is fine: the cap, not the answer, refused it.
    with WsdspClient(big.url(), settings(max_answer_kb=4096)) as client:
        assert client.create_post_scan_job(SID, PSP_ID, instructions())


def test_a_gzip_bomb_is_not_inflated_beyond_the_cap(servers):
    # ~100 kB on the wire, 100 MB inflated: a valid reply padded with white space.
    def answer(req, conn):
        body = gzip.compress(reply(req, padding=100 * 1024 * 1024), compresslevel=9)
        return http(body, headers="Content-Encoding: gzip\r\n")

    bomb = servers(answer)
    with WsdspClient(bomb.url(), settings()) as client:
        with pytest.raises(ProtocolError) as info:
            client.create_post_scan_job(SID, PSP_ID, instructions())
    assert "larger than" in str(info.value)
    assert b"accept-encoding: identity" in bomb.requests[0].lower()


def test_a_small_gzip_answer_is_still_understood(servers):
    gz = servers(lambda req, conn: http(gzip.compress(reply(req)), headers="Content-Encoding: gzip\r\n"))
    with WsdspClient(gz.url(), settings()) as client:
        assert client.create_post_scan_job(SID, PSP_ID, instructions())


def test_a_dripping_server_is_cut_off_at_the_call_deadline(servers):
    release = threading.Event()

    def drip(req, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Length: 100000\r\n\r\n")
        # One byte at a time, each well within read_timeout: socket timeouts never fire.
        while not release.wait(0.2):
            conn.sendall(b" ")

    slow = servers(drip)
    failure: list[BaseException] = []

    def call() -> None:
        with WsdspClient(slow.url(), settings(call_deadline_seconds=2.0)) as client:
            try:
                client.create_post_scan_job(SID, PSP_ID, instructions())
            except BaseException as exc:  # noqa: BLE001 - handed to the test thread
                failure.append(exc)

    t = threading.Thread(target=call, daemon=True)
    t.start()
    t.join(60)  # a guard against hanging the suite, not a timing assertion
    release.set()
    assert not t.is_alive(), "the call outlived its deadline"
    assert failure and isinstance(failure[0], ScanServerUnreachable) and failure[0].retryable
    assert "within 2 s" in str(failure[0])


# -- discovery: the same answer rules (issue #14 K1, K3) -------------------------------------------
def probe_matches(request: bytes, xaddr: str) -> bytes:
    message_id = re.search(rb"<wsa:MessageID>([^<]+)</wsa:MessageID>", request).group(1).decode()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
        'xmlns:wsd="http://schemas.xmlsoap.org/ws/2005/04/discovery">'
        "<soap:Header><wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>"
        "<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action>"
        "<wsa:MessageID>urn:uuid:00000000-0000-0000-0000-000000000002</wsa:MessageID>"
        f"<wsa:RelatesTo>{message_id}</wsa:RelatesTo></soap:Header><soap:Body><wsd:ProbeMatches><wsd:ProbeMatch>"
        "<wsa:EndpointReference><wsa:Address>urn:uuid:00000000-0000-0000-0000-0000000000aa</wsa:Address>"
        f"</wsa:EndpointReference><wsd:XAddrs>{xaddr}</wsd:XAddrs></wsd:ProbeMatch></wsd:ProbeMatches>"
        "</soap:Body></soap:Envelope>"
    ).encode()


def test_discovery_never_follows_a_redirect(servers):
    from kiosk.dsm.discovery import EndpointResolver
    from kiosk.dsm.errors import DiscoveryError

    elsewhere = servers(lambda req, conn: http(b""))
    redirecting = servers(lambda req, conn: http(b"", status="302 Found", headers=f"Location: {elsewhere.url()}\r\n"))
    resolver = EndpointResolver(settings(discovery_scheme="http", discovery_port=redirecting.port))
    with pytest.raises(DiscoveryError) as info:
        resolver.resolve("127.0.0.1")
    assert "redirect" in str(info.value) and elsewhere.requests == []


def test_an_https_probe_never_leads_to_plain_http(servers, tmp_path):
    from kiosk.dsm.discovery import EndpointResolver
    from kiosk.dsm.errors import DiscoveryError

    tls = make_server_tls(tmp_path / "pki")
    clear = servers(lambda req, conn: http(b""))
    probe = servers(lambda req, conn: http(probe_matches(req, f"http://127.0.0.1:{clear.port}/")), tls)
    resolver = EndpointResolver(
        ScanServerSettings(
            allow_http=True, ca_file=str(tls.ca), discovery_scheme="https", discovery_port=probe.port, read_timeout=10.0
        )
    )
    with pytest.raises(DiscoveryError):
        resolver.resolve("127.0.0.1")
    assert len(probe.requests) == 1 and clear.requests == []
