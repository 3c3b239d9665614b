"""A bounded load test on loopback (issue #14 S5): 200 slow or idle clients hold connections
open (plain HTTP and idle TLS handshakes) while legitimate jobs still complete; idle connections
are closed after [limits] idle_timeout; one address cannot take more than its share."""

from __future__ import annotations

import socket
import time

import pytest

from kiosk.dsm.client import WsdspClient
from tests.fixtures.scan_server import ScanServer, ServerTls, scan_server_settings
from tests.fixtures.tls import make_server_tls
from tests.integration.test_dsm_flow import PSP_ID, SID, instructions

SLOW = 200
#: The slow clients come from ten other loopback addresses, 20 each (below the per-address cap).
ADDRESSES = [f"127.0.1.{n}" for n in range(1, 11)]


def open_slow(port: int, *, send: bytes) -> list[socket.socket]:
    socks = []
    for i in range(SLOW):
        s = socket.socket()
        s.bind((ADDRESSES[i % len(ADDRESSES)], 0))
        s.settimeout(10)
        s.connect(("127.0.0.1", port))
        if send:
            s.sendall(send)  # the start of a request, never finished
        socks.append(s)
    return socks


def closed_by_server(s: socket.socket) -> bool:
    try:
        s.settimeout(0.01)
        data = s.recv(1024)
        return data == b"" or data.startswith(b"HTTP/1.1 4") or data.startswith(b"HTTP/1.1 5")
    except TimeoutError:
        return False
    except OSError:
        return True


def run_jobs(server: ScanServer, settings, tmp_path, count: int = 3) -> list[dict]:
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(b"%PDF-1.7\n" + b"x" * 20_000)
    tokens = []
    with WsdspClient(server.endpoint, settings) as c:
        for _ in range(count):
            token = c.create_post_scan_job(SID, PSP_ID, instructions())
            c.send_image(token, 1, "pdf-a", doc)
            c.end_post_scan_job(token)
            tokens.append(token)
    return [server.wait_for_state(t, timeout=60) for t in tokens]


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_slow_clients_do_not_block_legitimate_jobs(tmp_path, scheme):
    tls = None
    ca = ""
    if scheme == "https":
        files = make_server_tls(tmp_path / "pki")
        tls, ca = ServerTls(files.cert, files.key), str(files.ca)
    server = ScanServer(tmp_path / "server", tls=tls, extra={"limits": {"idle_timeout": 3.0, "handshake_timeout": 3.0}})
    server.start()
    slow: list[socket.socket] = []
    try:
        # Plain HTTP: half a request header each. TLS: a connection that never starts its handshake.
        partial = b"POST /ScanServer/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le" if scheme == "http" else b""
        slow = open_slow(server.port, send=partial)
        settings = scan_server_settings(server, ca_file=ca, read_timeout=30.0, call_deadline_seconds=60.0)
        records = run_jobs(server, settings, tmp_path)
        assert [r["state"] for r in records] == ["Completed"] * 3
        # The idle ones are dropped after idle_timeout / handshake_timeout (polled, generously bounded).
        deadline = time.monotonic() + 60
        pending = list(slow)
        while pending and time.monotonic() < deadline:
            pending = [s for s in pending if not closed_by_server(s)]
            time.sleep(0.2)
        assert pending == [], f"{len(pending)} idle connections still open"
    finally:
        for s in slow:
            s.close()
        server.stop()


def test_one_address_cannot_take_every_connection(tmp_path):
    server = ScanServer(tmp_path / "server", extra={"limits": {"max_connections_per_address": 8}}).start()
    socks = []
    try:
        for _ in range(8):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10, source_address=("127.0.2.1", 0))
            socks.append(s)
        time.sleep(0.5)  # let the server accept them all before the ninth
        ninth = socket.create_connection(("127.0.0.1", server.port), timeout=10, source_address=("127.0.2.1", 0))
        socks.append(ninth)
        ninth.settimeout(10)
        answer = ninth.recv(1024)
        assert answer.startswith(b"HTTP/1.1 503") or answer == b""
        # Another address still gets in.
        records = run_jobs(server, scan_server_settings(server), tmp_path, count=1)
        assert records[0]["state"] == "Completed"
    finally:
        for s in socks:
            s.close()
        server.stop()
