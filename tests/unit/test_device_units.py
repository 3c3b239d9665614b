"""Device-side pieces without services: WSDL, Expires, status transitions, ticket checks."""

from __future__ import annotations

import zeep
from lxml import etree

from hardware.fake_scanner import FakeScanner
from kiosk.device import dsd, soap, tickets
from kiosk.device.status import MonitoredScanner
from kiosk.device.wsd import DSD
from kiosk.dsm import protocol as p
from kiosk.dsm.eventing import SoapFault, Subscription, parse_expires
from kiosk.psp.model import MediaSide, Resolution, ScanTicket, Setting
from kiosk.scanner import PaperJam, ScanSettings


def test_the_wsdsd_wsdl_names_every_operation_and_event():
    client = zeep.Client(str(p.schema_dir() / "dsd.wsdl"))
    binding = client.wsdl.bindings[f"{{{DSD}}}DistributedScanDeviceBinding"]
    assert set(binding._operations) == set(dsd.OPERATIONS) | set(dsd.EVENTS)


def test_expires_durations_and_times():
    assert parse_expires("PT1H", 0) == 3600
    assert parse_expires("P1DT30M", 0) == 86400 + 1800
    assert parse_expires("PT0.5S", 0) == 0.5
    assert parse_expires("1970-01-01T01:00:00Z", 0) == 3600
    for bad in ("P", "PT", "tomorrow", "-PT1H"):
        try:
            parse_expires(bad, 0)
            raise AssertionError(bad)
        except SoapFault as fault:
            assert fault.subcode[1] == "InvalidExpirationTime"


def test_action_filter_matches_exact_and_prefix():
    sub = Subscription("x", "http://sink", actions=["http://schemas.microsoft.com/windows/2006/08/wdp/scan"])
    assert sub.wants("http://schemas.microsoft.com/windows/2006/08/wdp/scan/JobStatusEvent")
    only = Subscription("y", "http://sink", actions=["urn:a/JobStatusEvent"])
    assert only.wants("urn:a/JobStatusEvent") and not only.wants("urn:a/JobStatusEventX")
    assert Subscription("z", "http://sink").wants("anything")


def test_status_follows_the_scans_of_a_fake_scanner(tmp_path):
    scanner = MonitoredScanner(FakeScanner(sheets=1, faults={1: PaperJam("jam")}))
    seen = []
    scanner.status.subscribe(seen.append)
    settings = scanner.resolve(ScanTicket(job_name="j", job_originating_user_name="u", input_source=Setting("ADF")))
    try:
        list(scanner.scan(settings, tmp_path / "1"))
        raise AssertionError("the jam must surface")
    except PaperJam:
        pass
    assert scanner.status.state == "Stopped" and scanner.status.reasons == ("MediaJam",)
    list(scanner.scan(settings, tmp_path / "2"))
    assert scanner.status.state == "Idle" and scanner.status.reasons == ("None",)
    kinds = [c.kind for c in seen]
    assert kinds.count("condition") == 1 and kinds.count("cleared") == 1
    assert kinds.index("condition") < kinds.index("cleared")
    assert seen[-1].state == "Idle"


def test_a_corrected_ticket_keeps_must_honor_and_validates():
    caps = FakeScanner().capabilities()
    ticket = ScanTicket(
        job_name="j",
        job_originating_user_name="u",
        format=Setting("xps", True),
        input_source=Setting("Film", True),
        rotation=Setting(90),
        media_front=MediaSide(color_processing=Setting("RGB48"), resolution=Setting(Resolution(4321))),
    )
    result = tickets.validate_ticket(caps, ticket)
    assert not result.valid and len(result.problems) >= 3
    fixed = result.ticket
    assert fixed.format == Setting("pdf-a", True) and fixed.input_source.must_honor
    assert fixed.input_source.value in caps.sources and fixed.rotation == Setting(90)
    assert tickets.validate_ticket(caps, fixed).valid
    assert tickets.parse_ticket(tickets.ticket_element(fixed)) == fixed


def test_image_information_counts_pixels_and_bytes():
    caps = FakeScanner().capabilities()
    s = ScanSettings(color_processing="RGB24", resolution=(100, 100), region=None)
    info = tickets.image_information(s, caps)
    assert info["PixelsPerLine"] == round(caps.max_width / 10) and info["BytesPerLine"] == info["PixelsPerLine"] * 3
    turned = tickets.image_information(
        ScanSettings(color_processing="BlackAndWhite1", resolution=(100, 100), rotation=90), caps
    )
    assert (
        turned["PixelsPerLine"] == info["NumberOfLines"]
        and turned["BytesPerLine"] == (turned["PixelsPerLine"] + 7) // 8
    )


def test_schema_check_reports_what_is_wrong():
    bad = etree.Element(f"{{{DSD}}}GetJobElementsRequest")
    etree.SubElement(bad, f"{{{DSD}}}JobId").text = "0"
    assert "JobId" in soap.check(bad) or "RequestedElements" in soap.check(bad)


def _record(state: str, pages: int = 1, **kw):
    from kiosk.jobs.spool import JobRecord

    values = dict(
        job_id="j1",
        user_sid="S-1-5-21-1-2-3-1001",
        user_login="alice",
        job_name="Invoices",
        process_name="Invoices",
        psp_identifier="x",
        scan_repository="r",
        instructions_xml="<i/>",
        ticket={"ticket": {"job_name": "Invoices", "job_originating_user_name": "alice@example.com"}},
        format="pdf-a",
        state=state,
        scan_done=False,
        pages=pages,
        job_token=None,
        tokens_used=0,
        end_acked=False,
        server_state=None,
        server_reasons=[],
        reason=None,
        last_error=None,
        filter_statuses=[],
        attempts=0,
        next_attempt=0.0,
        created=1000.0,
        updated=1000.0,
        ended=2000.0 if state in ("Completed", "Failed", "Aborted", "Canceled") else None,
    )
    values.update(kw)
    return JobRecord(**values)


def test_device_job_ids_states_and_a_resent_job(tmp_path):
    from kiosk.device.jobs import DeviceJobs

    jobs = DeviceJobs(tmp_path)
    first = jobs.record(_record("Scanning"))
    assert first.wscn_id >= 1 and first.state == "Processing" and first.reasons == ("JobScanning",)
    assert first.user == "alice@example.com"
    assert jobs.record(_record("Scanning")) is None  # nothing new: no event
    more = jobs.record(_record("Scanning", pages=3))
    assert more.scans == 3 and more.wscn_id == first.wscn_id
    failed = jobs.record(_record("Failed", pages=3))
    assert failed.ended and failed.state == "Aborted" and jobs.active() == [] and jobs.history() == [failed]
    again = jobs.record(_record("Queued", pages=3))  # resend: active again, same JobId
    assert again.wscn_id == first.wscn_id and not again.ended and jobs.active() == [again]
    jobs.close()
    reopened = DeviceJobs(tmp_path)
    assert reopened.get(first.wscn_id).state == "Processing"
    reopened.close()
