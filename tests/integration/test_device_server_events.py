"""PostScanJob events from the reference scan server (a subprocess): a subscriber gets a job's
status events and its end state, schema-valid; the kiosk subscribes with its own sink, and its
worker polls at once when an event comes; a server without events leaves it polling."""

from __future__ import annotations

import requests
from lxml import etree

from kiosk.config import parse
from kiosk.device.host import DeviceHost
from kiosk.device.server_events import ACTIONS
from kiosk.device.status import MonitoredScanner
from kiosk.directory import demo_directory_path
from kiosk.dsm import eventing
from kiosk.dsm import protocol as p
from kiosk.jobs import Engine
from kiosk.session import Session
from tests.fixtures.device_support import EventSink, body_of, device_settings
from tests.integration.test_jobs_chain import small_adf_ticket


def kiosk_settings(tmp_path, scan_server, **device):
    base = device_settings(tmp_path, **device)
    return parse(
        {
            **base.model_dump(exclude={"source"}),
            "directory": {"backend": "local", "local_file": str(demo_directory_path())},
            "scan_server": {"endpoints": {"localhost": scan_server.endpoint}, "allow_http": True},
        }
    )


def run_job(settings, engine, pages: int = 2):
    session = Session(settings, engine)
    session.sign_in("demo", "demo")
    proc = session.process("Photo to JPEG")
    job = session.start(proc, small_adf_ticket(proc.ticket, pages))
    assert job.scan_load() == pages
    job.finish()
    session.sign_out()
    return engine.wait_final(job.job_id, timeout=60)


def test_the_reference_server_sends_postscanjob_events(tmp_path, scan_server, sane_scanner):
    sink = EventSink()
    http = requests.Session()
    sub = eventing.subscribe(http, scan_server.endpoint, sink.url, ACTIONS, expires=600)
    assert sub.identifier and sub.manager.endswith("/subscriptions") and 0 < sub.expires <= 600
    settings = kiosk_settings(tmp_path, scan_server)
    engine = Engine(settings, sane_scanner)
    try:
        record = run_job(settings, engine)
        assert record.state == "Completed"
        (end,) = sink.wait_for("PostScanJobEndStateEvent")
        end_state = body_of(end)
        assert p.validate(etree.ElementTree(etree.fromstring(etree.tostring(end_state)))) is None
        assert end_state.findtext(f".//{{{p.DSP}}}JobToken") == record.job_token
        assert end_state.findtext(f".//{{{p.DSP}}}JobCompletedState") == "Completed"
        statuses = sink.wait_for("PostScanJobStatusEvent", 3)
        for s in statuses:
            assert p.validate(etree.ElementTree(etree.fromstring(etree.tostring(body_of(s))))) is None
        images = [int(body_of(s).findtext(f".//{{{p.DSP}}}ImagesReceived")) for s in statuses]
        assert images == sorted(images) and images[-1] == 2
        states = [body_of(s).findtext(f".//{{{p.DSP}}}JobState") for s in statuses]
        assert states[-1] == "Completed" and "Processing" in states
        renewed = eventing.renew(http, sub, expires=300)
        assert 0 < renewed.expires <= 300
        eventing.unsubscribe(http, sub)
        try:
            eventing.renew(http, sub)
            raise AssertionError("renewing an ended subscription must fail")
        except eventing.NotOffered:
            pass
    finally:
        engine.close()
        sink.close()
        http.close()


def test_the_kiosk_subscribes_and_polls_when_an_event_comes(tmp_path, scan_server, sane_scanner):
    settings = kiosk_settings(tmp_path, scan_server)
    scanner = MonitoredScanner(sane_scanner)
    engine = Engine(settings, scanner)
    host = DeviceHost(settings, scanner, engine).start()
    try:
        record = run_job(settings, engine)
        assert record.state == "Completed"
        assert scan_server.endpoint in host.server_events.subscriptions
        assert host.server_events.received >= 1
    finally:
        host.stop()
        engine.close()


def test_without_events_the_kiosk_keeps_polling(tmp_path, scan_server, sane_scanner):
    settings = kiosk_settings(tmp_path, scan_server)
    engine = Engine(settings, sane_scanner)
    host = DeviceHost(settings, MonitoredScanner(sane_scanner), engine).start()
    not_soap = EventSink(status=404)
    try:
        subscriber = host.server_events
        subscriber._ensure(not_soap.url)  # answers no SOAP at all: no events there
        assert not_soap.url in subscriber.not_offered and not_soap.url not in subscriber.subscriptions
        # the device's own endpoint answers Subscribe with a SOAP fault
        try:
            eventing.subscribe(requests.Session(), host.urls("/device")[0], not_soap.url, ACTIONS)
            raise AssertionError("a fault must be NotOffered")
        except eventing.NotOffered as exc:
            assert "refused" in str(exc)
    finally:
        host.stop()
        engine.close()
        not_soap.close()
    off = kiosk_settings(tmp_path / "off", scan_server, server_events=False)
    engine = Engine(off, sane_scanner)
    host = DeviceHost(off, MonitoredScanner(sane_scanner), engine).start()
    try:
        assert host.server_events is None
        assert run_job(off, engine, pages=1).state == "Completed"  # by polling alone
    finally:
        host.stop()
        engine.close()
