"""ValidateScanTicket against the real SANE test backend: every ticket of the directory fixtures
and of the PSP corpus round-trips, and invalid ones come back corrected (and then valid)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from kiosk.device import soap, tickets
from kiosk.device.host import DeviceHost
from kiosk.device.wsd import DSD, WSCN
from kiosk.psp.parser import PspError, parse_process
from tests.fixtures.device_support import body_of, call, device_settings
from tests.fixtures.directory_data import ALL_PROCESSES, PROCESSES

ACTION = "http://schemas.microsoft.com/windows/2006/08/wdp/scan/ValidateScanTicket"
CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "psp_corpus"


def fixture_tickets():
    found = [
        (p.display_name, parse_process(p.xml, display_name=p.display_name, identifier=str(p.guid)).ticket)
        for p in PROCESSES
    ]
    for path in sorted(CORPUS.glob("*.xml")):
        found.append((path.name, parse_process(path.read_text(), display_name=path.stem, identifier="x").ticket))
    return found


@pytest.fixture(scope="module")
def host(tmp_path_factory, sane_module):
    from hardware.sane_scanner import SaneBackend, SaneScanner
    from kiosk.config import ScannerSettings

    scanner = SaneScanner(ScannerSettings(device="test:0"), backend=SaneBackend())
    h = DeviceHost(device_settings(tmp_path_factory.mktemp("device")), scanner).start()
    yield h
    h.stop()
    scanner.close()


def validate(host: DeviceHost, ticket) -> etree._Element:
    req = etree.Element(f"{{{DSD}}}ValidateScanTicketRequest", nsmap={"dsd": DSD, "wscn": WSCN})
    req.append(tickets.ticket_element(ticket))
    status, reply = call(host.urls("/dsd")[0], ACTION, req)
    assert status == 200, etree.tostring(reply)
    body = body_of(reply)
    assert soap.check(body) is None
    return body.find(f"{{{DSD}}}ValidationInfo")


def test_every_fixture_ticket_round_trips_and_validates(host):
    names = set()
    for name, ticket in fixture_tickets():
        names.add(name)
        assert tickets.parse_ticket(tickets.ticket_element(ticket)) == ticket, name
        info = validate(host, ticket)
        valid = info.findtext(f"{{{WSCN}}}ValidTicket") == "true"
        corrected = info.find(f"{{{WSCN}}}ValidScanTicket")
        assert valid == (corrected is None), name
        assert int(info.findtext(f".//{{{WSCN}}}PixelsPerLine")) > 0
        # the scan path agrees: resolve() refuses exactly the MustHonor problems
        if valid:
            assert host.scanner.resolve(ticket).adjustments == ()
        else:
            fixed = tickets.parse_ticket(corrected)
            again = validate(host, fixed)
            assert again.findtext(f"{{{WSCN}}}ValidTicket") == "true", name
    assert len(names) == len(PROCESSES) + len(list(CORPUS.glob("*.xml")))
    # the broken directory entries never get this far: the parser refuses them
    with pytest.raises(PspError):
        parse_process(ALL_PROCESSES[-2].xml, display_name="x", identifier="y")


def test_invalid_tickets_come_back_corrected(host):
    _, base = fixture_tickets()[0]
    caps = host.scanner.capabilities()
    xml = etree.tostring(tickets.ticket_element(base), encoding="unicode")
    bad_xml = (
        xml.replace(">pdf-a<", ">xps<")
        .replace("<wscn:Width>300</wscn:Width>", "<wscn:Width>99999</wscn:Width>")
        .replace(">RGB24<", ">RGB48<")
    )
    bad = tickets.parse_ticket(etree.fromstring(bad_xml))
    assert bad.format.value == "xps" and bad.media_front.resolution.value.width == 99999
    info = validate(host, bad)
    assert info.findtext(f"{{{WSCN}}}ValidTicket") == "false"
    fixed = tickets.parse_ticket(info.find(f"{{{WSCN}}}ValidScanTicket"))
    assert fixed.format.value == "pdf-a"
    assert fixed.media_front.color_processing.value == "RGB24"
    assert fixed.media_front.resolution.value.width == caps.nearest_resolution(99999)
    assert validate(host, fixed).findtext(f"{{{WSCN}}}ValidTicket") == "true"


def test_must_honor_that_cannot_be_met_is_invalid_not_an_error(host):
    _, base = fixture_tickets()[0]
    xml = etree.tostring(tickets.ticket_element(base), encoding="unicode")
    film = xml.replace(">ADF<", ' wscn:MustHonor="true">Film<') if ">ADF<" in xml else xml
    ticket = tickets.parse_ticket(etree.fromstring(film))
    assert ticket.input_source.value == "Film" and ticket.input_source.must_honor
    info = validate(host, ticket)
    assert info.findtext(f"{{{WSCN}}}ValidTicket") == "false"
    fixed = tickets.parse_ticket(info.find(f"{{{WSCN}}}ValidScanTicket"))
    assert fixed.input_source.value in host.scanner.capabilities().sources and fixed.input_source.must_honor


def test_a_ticket_the_psp_rules_refuse_is_invalid_args(host):
    req = etree.Element(f"{{{DSD}}}ValidateScanTicketRequest", nsmap={"dsd": DSD, "wscn": WSCN})
    t = etree.SubElement(req, f"{{{WSCN}}}ScanTicket")
    job = etree.SubElement(t, f"{{{WSCN}}}JobDescription")
    etree.SubElement(job, f"{{{WSCN}}}JobName").text = "x"
    etree.SubElement(job, f"{{{WSCN}}}JobOriginatingUserName").text = "y"
    params = etree.SubElement(t, f"{{{WSCN}}}DocumentParameters")
    etree.SubElement(params, f"{{{WSCN}}}Rotation").text = "45"
    status, reply = call(host.urls("/dsd")[0], ACTION, req)
    assert status == 400 and "Rotation" in etree.tostring(reply, encoding="unicode")
