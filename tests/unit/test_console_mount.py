"""The console shares the scan server's port by path; the serving code still reaches the real app."""

from __future__ import annotations

from werkzeug.test import Client

from dsm_server.console.mount import WithConsole


class Answer:
    def __init__(self, text: bytes) -> None:
        self.text = text

    def __call__(self, environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [self.text + b" " + environ["PATH_INFO"].encode()]


def test_paths_go_to_their_app_and_attributes_to_the_scan_server():
    server_app = Answer(b"wsdsp")
    served = WithConsole(server_app, Answer(b"console"), "/console")
    client = Client(served)
    assert client.get("/ScanServer/x").get_data() == b"wsdsp /ScanServer/x"
    assert client.get("/console/login").get_data() == b"console /login"
    # serve.make_server sets peer_of on the app it is given: it must land on the scan server's app.
    served.peer_of = {"port": "fingerprint"}
    assert server_app.peer_of == {"port": "fingerprint"}
    assert served.text == b"wsdsp"
