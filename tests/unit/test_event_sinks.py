"""Where an event source may POST (kiosk.dsm.eventing sink policy): the address that was checked is
the one connected to, asked again at each delivery, never past a redirect."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from lxml import etree

from kiosk.dsm import eventing
from kiosk.dsm.eventing import EventSource, same_address, sink_target


class Recorder:
    """A sink on `host`: records each POST's path; /sink redirects, anything else is taken."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                hits.append(self.path)
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(307 if self.path == "/redirect" else 202)
                self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sinks():
    made: list[Recorder] = []
    yield lambda host="127.0.0.1": made.append(Recorder(host)) or made[-1]
    for r in made:
        r.close()


def message(url: str) -> bytes:
    return EventSource._message("urn:test/Event", etree.Element("x"), url, [])


def only(address: str):
    return lambda sink, _subscriber: sink == address


def test_a_sink_whose_name_later_resolves_elsewhere_gets_no_more_events(tmp_path, monkeypatch, sinks):
    allowed, other = sinks("127.0.0.1"), sinks("127.0.0.2")
    resolved = {"sink.example": "127.0.0.1"}

    def getaddrinfo(host, port, **_):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (resolved[host], port))]

    monkeypatch.setattr(eventing.socket, "getaddrinfo", getaddrinfo)
    source = EventSource(tmp_path, sink_policy=only("127.0.0.1"))
    url = f"http://sink.example:{allowed.port}/e"
    try:
        assert source.post(url, message(url)) and allowed.hits == ["/e"]
        resolved["sink.example"] = "127.0.0.2"  # DNS now points at another machine
        assert not source.post(f"http://sink.example:{other.port}/e", message(url))
        assert other.hits == [] and allowed.hits == ["/e"]
    finally:
        source.close()


def test_urls_that_parsers_read_differently_are_refused(tmp_path, sinks):
    """urlsplit and HTTP libraries disagree on a backslash before '@' (which host is meant)."""
    other = sinks("127.0.0.2")
    source = EventSource(tmp_path, sink_policy=only("127.0.0.1"))
    try:
        for url in (
            f"http://127.0.0.2:{other.port}\\@127.0.0.1/",
            f"http://user@127.0.0.1:{other.port}/",
            "http://straße.example/",
            "ftp://127.0.0.1/",
        ):
            assert sink_target(url) is None, url
            assert not source.post(url, message(url))
        assert other.hits == []
    finally:
        source.close()


def test_a_sink_that_redirects_is_not_followed(tmp_path, sinks):
    """A 307 would carry the event (a POST) to a host the sink policy never saw."""
    sink = sinks()
    source = EventSource(tmp_path, sink_policy=only("127.0.0.1"))
    url = f"http://127.0.0.1:{sink.port}/redirect"
    try:
        assert not source.post(url, message(url))
        assert sink.hits == ["/redirect"]
    finally:
        source.close()


def test_same_address_treats_ipv4_mapped_addresses_as_ipv4():
    assert same_address("::ffff:192.0.2.1", "192.0.2.1") and same_address("fe80::1%eth0", "fe80::1")
    assert not same_address("192.0.2.1", "192.0.2.2") and not same_address("", "") and not same_address("x", "x")


def test_a_sink_name_with_a_dead_first_address_is_reached_at_the_next_checked_one(tmp_path, monkeypatch, sinks):
    live = sinks("127.0.0.1")
    dead = socket.socket()
    dead.bind(("127.0.0.3", 0))  # bound, not listening: the connection is refused
    port = dead.getsockname()[1]

    def getaddrinfo(host, p, **_):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.3", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", live.port)),
        ]

    monkeypatch.setattr(eventing.socket, "getaddrinfo", getaddrinfo)
    source = EventSource(tmp_path, sink_policy=lambda sink, _: sink.startswith("127."))
    try:
        assert source.post("http://sink.example/e", message("http://sink.example/e"))
        assert live.hits == ["/e"]
    finally:
        source.close()
        dead.close()
