"""The reference server's WS-Eventing admits the devices its WS-DSP admits, and where it can tell
devices apart, a job's events go to the device that made the job only."""

from __future__ import annotations

import io
import threading

from lxml import etree

from dsm_server import config as server_config
from dsm_server.eventing import ServerEvents
from dsm_server.store import Journal
from dsm_server.trust import Refused
from kiosk.dsm import eventing
from kiosk.dsm import protocol as p

ADMITTED = ("127.0.0.9", "127.0.0.10")


class App:
    service_path = "/ScanServer/x"
    scheme = "http"
    peer_of = None

    def __init__(self, folder, **devices) -> None:
        self.config = server_config.parse({"state_dir": str(folder), "devices": devices})
        self.journal = Journal(folder)
        self.devices = self

    def client_address(self, environ) -> str:
        return environ["REMOTE_ADDR"]

    def identify(self, environ, peer_of) -> str:
        if environ.get("REMOTE_ADDR") not in ADMITTED:
            raise Refused("NotEnrolled", "this device is not enrolled")
        return f"addr:{environ['REMOTE_ADDR']}"

    def _job_status(self, job):
        st = etree.Element(p.q(p.DSP, "JobStatus"))
        etree.SubElement(st, p.q(p.DSP, "JobToken")).text = job.token
        return st


def subscribe(events: ServerEvents, peer: str, sink: str) -> tuple[str, bytes]:
    sub = etree.Element(f"{{{eventing.WSE}}}Subscribe", nsmap={"wse": eventing.WSE})
    nt = etree.SubElement(etree.SubElement(sub, f"{{{eventing.WSE}}}Delivery"), f"{{{eventing.WSE}}}NotifyTo")
    etree.SubElement(nt, f"{{{p.WSA}}}Address").text = sink
    data = etree.tostring(p.envelope(eventing.SUBSCRIBE, sub, to="x"))
    environ = {
        "PATH_INFO": events.app.service_path,
        "CONTENT_TYPE": "application/soap+xml",
        "CONTENT_LENGTH": str(len(data)),
        "wsgi.input": io.BytesIO(data),
        "REMOTE_ADDR": peer,
        "HTTP_HOST": "127.0.0.1:1",
    }
    assert events.handles(environ)
    status: list[str] = []
    body = b"".join(events(environ, lambda s, h, status=status: status.append(s)))
    return status[0], body


def test_subscribing_runs_the_device_check_and_events_go_to_the_jobs_device(tmp_path):
    app = App(tmp_path)
    events = ServerEvents(app)
    posted: list[str] = []
    arrived = threading.Condition()

    def post(url: str, message: bytes, peer: str = "") -> bool:
        with arrived:
            posted.append(url)
            arrived.notify_all()
        return True

    events.source.post = post  # type: ignore[method-assign]
    try:
        status, body = subscribe(events, "127.0.0.5", "http://127.0.0.5:1/sink")
        assert status.startswith("400") and b"NotEnrolled" in body
        for peer in ADMITTED:
            assert subscribe(events, peer, f"http://{peer}:1/sink")[0].startswith("200")
        assert {s.owner for s in events.source.subscriptions} == {f"addr:{a}" for a in ADMITTED}

        app.journal.create_bound("tok-1", "S-1-5-21-1-2-3-1001", "x", "<i/>", "addr:127.0.0.10")
        assert app.journal.set_state("tok-1", "Processing")
        with arrived:
            assert arrived.wait_for(lambda: posted, timeout=30)
        events.source.publish("urn:flush", etree.Element("x"))  # a later event for everybody
        with arrived:
            assert arrived.wait_for(lambda: len(posted) >= 3, timeout=30)
        assert posted[0] == "http://127.0.0.10:1/sink"
        assert posted.count("http://127.0.0.9:1/sink") == 1  # only the broadcast
    finally:
        events.close()
        app.journal.close()


def test_a_device_may_send_its_events_only_to_itself_unless_networks_are_configured(tmp_path):
    """Else any enrolled device could make the server POST to any host it reaches."""
    app = App(tmp_path / "a")
    events = ServerEvents(app)
    try:
        status, body = subscribe(events, "127.0.0.9", "http://127.0.0.10:1/sink")
        assert status.startswith("400") and b"NotifyTo is not an address" in body
        assert subscribe(events, "127.0.0.9", "http://localhost:1/sink")[0].startswith("400")  # 127.0.0.1 (or ::1)
        assert subscribe(events, "127.0.0.9", "http://127.0.0.9:1/sink")[0].startswith("200")
        assert [s.peer for s in events.source.subscriptions] == ["127.0.0.9"]
    finally:
        events.close()
        app.journal.close()
    app = App(tmp_path / "b", event_sink_networks=["127.0.0.8/30"])
    events = ServerEvents(app)
    try:
        assert subscribe(events, "127.0.0.9", "http://127.0.0.10:1/sink")[0].startswith("200")
        assert subscribe(events, "127.0.0.9", "http://127.0.0.12:1/sink")[0].startswith("400")
    finally:
        events.close()
        app.journal.close()
