"""The reference server's WS-Eventing admits the devices its WS-DSP admits."""

from __future__ import annotations

from lxml import etree

from kiosk.dsm import eventing
from kiosk.dsm import protocol as p


def test_subscribing_runs_the_servers_device_check(tmp_path):
    """Where the app can tell admitted devices (`app.devices.identify`), Subscribe runs it too."""
    import io

    from dsm_server.eventing import ServerEvents
    from dsm_server.store import Journal

    class Refused(Exception):
        code, subcode, reason = "Sender", "NotEnrolled", "this device is not enrolled"

    class App:
        service_path = "/ScanServer/x"
        scheme = "http"
        peer_of = None

        def __init__(self) -> None:
            self.journal = Journal(tmp_path)
            self.devices = self

        def identify(self, environ, peer_of):
            if environ.get("REMOTE_ADDR") != "127.0.0.9":
                raise Refused()

    app = App()
    events = ServerEvents(app)
    sub = etree.Element(f"{{{eventing.WSE}}}Subscribe", nsmap={"wse": eventing.WSE})
    nt = etree.SubElement(etree.SubElement(sub, f"{{{eventing.WSE}}}Delivery"), f"{{{eventing.WSE}}}NotifyTo")
    etree.SubElement(nt, f"{{{p.WSA}}}Address").text = "http://127.0.0.1:9/sink"
    data = etree.tostring(p.envelope(eventing.SUBSCRIBE, sub, to="x"))
    answers = {}
    for peer in ("127.0.0.5", "127.0.0.9"):
        environ = {
            "PATH_INFO": app.service_path,
            "CONTENT_TYPE": "application/soap+xml",
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
            "REMOTE_ADDR": peer,
            "HTTP_HOST": "127.0.0.1:1",
        }
        assert events.handles(environ)
        status: list[str] = []
        body = b"".join(events(environ, lambda s, h, status=status: status.append(s)))
        answers[peer] = (status[0], body)
    assert answers["127.0.0.5"][0].startswith("400") and b"NotEnrolled" in answers["127.0.0.5"][1]
    assert answers["127.0.0.9"][0].startswith("200") and len(events.source.subscriptions) == 1
    events.close()
    app.journal.close()
