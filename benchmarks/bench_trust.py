"""Trust limits on loopback (issue #14): how long legitimate jobs take with 0 and with N slow
clients holding connections to the reference server, and the client's peak memory for an
oversized and for a gzip-bomb answer (both refused).

`python -m benchmarks trust [--slow=200]`
"""

from __future__ import annotations

import gzip
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from kiosk.dsm.client import WsdspClient
from tests.fixtures.scan_server import ScanServer, scan_server_settings
from tests.integration.test_dsm_flow import PSP_ID, SID, instructions

# A fresh interpreter, so its peak RSS is the client's alone.
CLIENT = r"""
import resource, sys
from kiosk.config import ScanServerSettings
from kiosk.dsm.client import WsdspClient
from kiosk.errors import DeliveryError
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
c = WsdspClient(sys.argv[1], ScanServerSettings(allow_http=True, read_timeout=60))
try:
    c.create_post_scan_job("S-1-5-21-1-2-3-1001", "C4F199C7-6876-4549-A86E-A85035952448", sys.argv[2])
    outcome = "accepted"
except DeliveryError as exc:
    outcome = type(exc).__name__
print(outcome, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def jobs(server: ScanServer, doc: Path, count: int) -> float:
    start = time.monotonic()
    with WsdspClient(server.endpoint, scan_server_settings(server, read_timeout=60.0)) as c:
        tokens = []
        for _ in range(count):
            token = c.create_post_scan_job(SID, PSP_ID, instructions())
            c.send_image(token, 1, "pdf-a", doc)
            c.end_post_scan_job(token)
            tokens.append(token)
    for token in tokens:
        server.wait_for_state(token, timeout=120)
    return time.monotonic() - start


def slow_clients(port: int, n: int) -> list[socket.socket]:
    socks = []
    for i in range(n):
        s = socket.socket()
        s.bind((f"127.0.1.{1 + i % 10}", 0))
        s.connect(("127.0.0.1", port))
        s.sendall(b"POST /ScanServer/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
        socks.append(s)
    return socks


def hostile_answer(body: bytes, headers: str) -> tuple[int, threading.Thread, socket.socket]:
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = listener.accept()
        conn.settimeout(30)
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(65536)
        head, _, rest = data.partition(b"\r\n\r\n")
        length = int(
            next(v for k, _, v in (h.partition(b":") for h in head.split(b"\r\n")) if k.lower() == b"content-length")
        )
        while len(rest) < length:
            rest += conn.recv(65536)
        try:
            conn.sendall(
                f"HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Length: {len(body)}\r\n"
                f"{headers}Connection: close\r\n\r\n".encode()
                + body
            )
        except OSError:
            pass  # the client refused the answer and hung up: what is measured
        conn.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return listener.getsockname()[1], t, listener


def main(argv: list[str]) -> None:
    slow_n = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--slow=")), 200)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        doc = folder / "doc.pdf"
        doc.write_bytes(b"%PDF-1.7\n" + b"x" * 200_000)
        server = ScanServer(folder / "server").start()
        try:
            quiet = jobs(server, doc, 5)
            socks = slow_clients(server.port, slow_n)
            busy = jobs(server, doc, 5)
            for s in socks:
                s.close()
        finally:
            server.stop()
        print(f"5 jobs (200 kB each): {quiet:.2f} s alone, {busy:.2f} s with {slow_n} slow clients holding connections")
        big = b" " * (64 * 1024 * 1024)
        for label, body, headers in (
            ("64 MiB answer", big, ""),
            ("gzip bomb (64 KiB on the wire, 64 MiB inflated)", gzip.compress(big, 9), "Content-Encoding: gzip\r\n"),
        ):
            port, t, listener = hostile_answer(body, headers)
            run = subprocess.run(
                [sys.executable, "-c", CLIENT, f"http://127.0.0.1:{port}/ScanServer/x", instructions()],
                capture_output=True,
                text=True,
                timeout=300,
            )
            t.join(30)
            listener.close()
            outcome, kib = (run.stdout.split() + ["?", "?"])[:2]
            print(f"{label}: {outcome}, client peak RSS +{kib} KiB")
        with open("/proc/loadavg") as fh:
            print(f"load average: {fh.read().split()[0]}")
