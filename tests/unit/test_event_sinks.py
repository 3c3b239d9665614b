"""Where an event source may POST (kiosk.dsm.eventing sink policy): asked again at each delivery."""

from __future__ import annotations

from types import SimpleNamespace

from lxml import etree

from kiosk.dsm import eventing
from kiosk.dsm.eventing import EventSource, same_address


def test_a_sink_whose_name_later_resolves_elsewhere_gets_no_more_events(tmp_path, monkeypatch):
    resolved = {"sink.example": "127.0.0.7"}

    def getaddrinfo(host, port, **_):
        return [(2, 1, 6, "", (resolved[host], port))]

    monkeypatch.setattr(eventing.socket, "getaddrinfo", getaddrinfo)
    source = EventSource(tmp_path, sink_policy=lambda address, _subscriber: address.startswith("127."))
    sent: list[str] = []
    monkeypatch.setattr(source._http, "post", lambda url, **_: sent.append(url) or SimpleNamespace(status_code=202))
    message = EventSource._message("urn:test/Event", etree.Element("x"), "http://sink.example/e", [])
    try:
        assert source.post("http://sink.example/e", message)
        resolved["sink.example"] = "10.9.8.7"  # DNS now points inside the office network
        assert not source.post("http://sink.example/e", message)
        assert sent == ["http://sink.example/e"]
    finally:
        source.close()


def test_same_address_treats_ipv4_mapped_addresses_as_ipv4():
    assert same_address("::ffff:192.0.2.1", "192.0.2.1") and same_address("fe80::1%eth0", "fe80::1")
    assert not same_address("192.0.2.1", "192.0.2.2") and not same_address("", "") and not same_address("x", "x")


def test_a_sink_that_redirects_is_not_followed(tmp_path):
    """A 307 would carry the event (a POST) to a host the sink policy never saw."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            hits.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(307 if self.path == "/sink" else 202)
            self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    source = EventSource(tmp_path, sink_policy=lambda address, _subscriber: address == "127.0.0.1")
    url = f"http://127.0.0.1:{server.server_port}/sink"
    try:
        assert not source.post(url, EventSource._message("urn:test/Event", etree.Element("x"), url, []))
        assert hits == ["/sink"]
    finally:
        source.close()
        server.shutdown()
