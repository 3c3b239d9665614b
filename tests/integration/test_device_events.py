"""Events from the real parts: a paper jam raised through the SANE test backend reaches a
subscriber and so does its clearing; a job delivered to the reference scan server sends its
JobStatusEvents and then its JobEndStateEvent, in order."""

from __future__ import annotations

import socket

import pytest

from kiosk.device.dsd import event_action
from kiosk.device.host import DeviceHost
from kiosk.device.status import MonitoredScanner
from kiosk.device.wsd import DSD, WSCN
from kiosk.directory import demo_directory_path
from kiosk.dsm import protocol as p
from kiosk.jobs import Engine
from kiosk.scanner import CoverOpen, FeederEmpty, PaperJam, Region, ScanSettings
from kiosk.session import Session
from tests.fixtures.device_support import EventSink, body_of, device_settings
from tests.integration.test_device_host import subscribe
from tests.integration.test_jobs_chain import small_adf_ticket

SMALL = Region(0, 0, 1000, 1000)


def w(name: str) -> str:
    return f"{{{WSCN}}}{name}"


@pytest.mark.parametrize(
    ("status", "error", "condition_name"),
    [
        ("SANE_STATUS_JAMMED", PaperJam, "MediaJam"),
        ("SANE_STATUS_COVER_OPEN", CoverOpen, "CoverOpen"),
        ("SANE_STATUS_NO_DOCS", FeederEmpty, "InputTrayEmpty"),
    ],
)
def test_a_condition_and_its_clearing_reach_the_subscriber(tmp_path, sane_scanner, status, error, condition_name):
    scanner = MonitoredScanner(sane_scanner)
    host = DeviceHost(device_settings(tmp_path), scanner).start()
    sink = EventSink()
    try:
        wanted = ("ScannerStatusConditionEvent", "ScannerStatusConditionClearedEvent", "ScannerStatusSummaryEvent")
        subscribe(host.urls("/dsd")[0], sink, actions=tuple(event_action(a) for a in wanted))
        settings = ScanSettings(source="ADF", color_processing="Grayscale8", resolution=(50, 50), region=SMALL)
        sane_scanner.set_option("read-return-value", status)
        try:
            with pytest.raises(error):
                list(scanner.scan(settings, tmp_path / "a"))
        finally:
            sane_scanner.set_option("read-return-value", "Default")  # the user cleared the jam
        (raised,) = sink.wait_for("ScannerStatusConditionEvent")
        condition = body_of(raised).find(f"{{{DSD}}}DeviceCondition")
        assert condition.findtext(w("Name")) == condition_name and condition.findtext(w("Severity"))
        assert host.status.state == "Stopped"

        pages = list(scanner.scan(ScanSettings(source="Platen", resolution=(50, 50), region=SMALL), tmp_path / "b"))
        assert len(pages) == 1
        (cleared,) = sink.wait_for("ScannerStatusConditionClearedEvent")
        assert body_of(cleared).find(f"{{{DSD}}}DeviceConditionCleared").get("Id") == condition.get("Id")

        def states() -> list[str]:
            summaries = [e for e in sink.received if p.header_text(e, "Action").endswith("/ScannerStatusSummaryEvent")]
            return [s.findtext(f".//{w('ScannerState')}") for s in summaries]

        sink.wait_until(lambda _: states().count("Idle") >= 1)
        assert states()[0] == "Processing" and states()[1] == "Stopped" and states()[-1] == "Idle"
        summaries = sink.wait_for("ScannerStatusSummaryEvent", len(states()))
        reasons = [r.text for r in body_of(summaries[1]).iter(w("ScannerStateReason"))]
        assert reasons == [condition_name]
        # a filter keeps other events away
        assert not [a for a in sink.actions() if a not in wanted]
    finally:
        host.stop()
        sink.close()


def test_a_dead_sink_does_not_slow_the_scan(tmp_path, sane_scanner):
    """A sink that takes the connection and never answers: the scans go on, its queue stays
    bounded (oldest events dropped) while its delivery thread waits."""
    scanner = MonitoredScanner(sane_scanner)
    host = DeviceHost(device_settings(tmp_path, event_queue=2, event_timeout=120.0), scanner).start()
    hole = socket.create_server(("127.0.0.1", 0))  # accepted by the kernel, never read
    sink = EventSink()
    sink.url = f"http://127.0.0.1:{hole.getsockname()[1]}/sink"
    try:
        sid, _, _ = subscribe(host.urls("/dsd")[0], sink)
        for n in range(3):
            pages = list(
                scanner.scan(ScanSettings(source="Platen", resolution=(50, 50), region=SMALL), tmp_path / f"{n}")
            )
            assert len(pages) == 1
        stats = host.events.sink_stats(sid)
        assert stats["delivered"] == 0 and stats["queued"] == 2 and stats["dropped"] >= 1
    finally:
        hole.close()
        host.stop()
        sink.close()


def test_a_jobs_events_arrive_in_order(tmp_path, sane_scanner, scan_server):
    from kiosk.config import parse

    base = device_settings(tmp_path)
    settings = parse(
        {
            **base.model_dump(exclude={"source"}),
            "directory": {"backend": "local", "local_file": str(demo_directory_path())},
            "scan_server": {"endpoints": {"localhost": scan_server.endpoint}, "allow_http": True},
        }
    )
    scanner = MonitoredScanner(sane_scanner)
    engine = Engine(settings, scanner)
    host = DeviceHost(settings, scanner, engine).start()
    sink = EventSink()
    try:
        subscribe(
            host.urls("/dsd")[0], sink, actions=(event_action("JobStatusEvent"), event_action("JobEndStateEvent"))
        )
        session = Session(settings, engine)
        session.sign_in("demo", "demo")
        proc = session.process("Photo to JPEG")
        job = session.start(proc, small_adf_ticket(proc.ticket, 2))
        assert job.scan_load() == 2
        job.finish()
        session.sign_out()
        record = engine.wait_final(job.job_id, timeout=60)
        assert record.state == "Completed"
        (end,) = sink.wait_for("JobEndStateEvent")
        end_state = body_of(end).find(f"{{{DSD}}}JobEndState")
        assert end_state.findtext(w("JobCompletedState")) == "Completed"
        actions = sink.actions()
        assert actions[-1] == "JobEndStateEvent" and actions.count("JobEndStateEvent") == 1
        statuses = [body_of(e).find(f"{{{DSD}}}JobStatus") for e in sink.received[:-1]]
        assert statuses and all(s.findtext(w("JobId")) == end_state.findtext(w("JobId")) for s in statuses)
        scans = [int(s.findtext(w("ScansCompleted"))) for s in statuses]
        assert scans == sorted(scans)  # never goes back
        assert [s.findtext(w("JobStateReasons") + "/" + w("JobStateReason")) for s in statuses][0] == "JobScanning"
        # and the WS-DSD job operations see it in the history
        view = host.jobs.get(int(end_state.findtext(w("JobId"))))
        assert view is not None and view.ended and view in host.jobs.history()
    finally:
        host.stop()
        engine.close()
        sink.close()
