"""The device host over loopback with the real SANE test backend: discovery → Get → WS-DSD,
every answer valid against our dsd.xsd, and WS-Eventing subscriptions."""

from __future__ import annotations

import socket

import pytest
from lxml import etree

from kiosk.device import discovery, soap, wsd
from kiosk.device.dsd import event_action
from kiosk.device.host import DeviceHost
from kiosk.device.status import MonitoredScanner
from kiosk.device.wsd import DSD, WSCN
from kiosk.dsm import protocol as p
from kiosk.dsm.eventing import GET_STATUS, RENEW, SUBSCRIBE, UNSUBSCRIBE, WSE
from kiosk.dsm.protocol import DPWS, MEX, WSA
from kiosk.errors import ConfigError
from tests.fixtures.device_support import EventSink, body_of, call, device_settings, free_tcp_port

ACTION_NS = "http://schemas.microsoft.com/windows/2006/08/wdp/scan"


def dsd(name: str) -> str:
    return f"{{{DSD}}}{name}"


def wscn(name: str) -> str:
    return f"{{{WSCN}}}{name}"


def request(operation: str, *names: str, job_id: int | None = None) -> etree._Element:
    root = etree.Element(dsd(f"{operation}Request"), nsmap={"dsd": DSD, "wscn": WSCN})
    if job_id is not None:
        etree.SubElement(root, dsd("JobId")).text = str(job_id)
    if names:
        req = etree.SubElement(root, dsd("RequestedElements"))
        for n in names:
            etree.SubElement(req, dsd("Name")).text = f"wscn:{n}"
    return root


@pytest.fixture
def host(tmp_path, sane_scanner):
    settings = device_settings(tmp_path)
    h = DeviceHost(settings, MonitoredScanner(sane_scanner)).start()
    yield h
    h.stop()


def dsd_url(host: DeviceHost) -> str:
    return host.urls("/dsd")[0]


def test_probe_then_get_finds_the_wsdsd_service(host):
    (match,) = discovery.probe("127.0.0.1", port=host.config.discovery_port, timeout=1.5)
    assert match.endpoint == host.identity.endpoint and match.metadata_version == host.identity.metadata_version
    xaddr = match.xaddrs[0]
    status, reply = call(xaddr, wsd.GET_ACTION, None)
    assert status == 200 and p.header_text(reply, "Action") == wsd.GET_RESPONSE_ACTION
    meta = body_of(reply)
    assert meta.tag == f"{{{MEX}}}Metadata"
    assert meta.findtext(f".//{{{DPWS}}}FriendlyName") == "Front desk scanner"
    assert meta.findtext(f".//{{{DPWS}}}FirmwareVersion")
    assert meta.findtext(f".//{{{DPWS}}}SerialNumber") == host.identity.uuid
    hosted = meta.find(f".//{{{DPWS}}}Hosted")
    types = wsd.parse_qnames(hosted.find(f"{{{DPWS}}}Types"))
    assert (DSD, "DistributedScanDeviceServiceType") in types
    address = hosted.findtext(f"{{{WSA}}}EndpointReference/{{{WSA}}}Address")
    assert address == dsd_url(host)
    # the kiosk's own directed-probe client (used to find scan servers) finds the device too
    status, reply = call(xaddr, wsd.PROBE_ACTION, wsd.probe().find(p.q(p.SOAP, "Body"))[0])
    assert status == 200 and reply.findtext(f".//{{{WSA}}}Address") == host.identity.endpoint


def test_identity_and_metadata_version_survive_a_restart(tmp_path, sane_scanner):
    port = free_tcp_port()  # the addresses are part of the metadata
    settings = device_settings(tmp_path, http_port=port)
    first = DeviceHost(settings, sane_scanner).start()
    first.stop()
    second = DeviceHost(settings, sane_scanner).start()
    try:
        assert second.identity == first.identity
    finally:
        second.stop()
    renamed = device_settings(tmp_path, http_port=port, friendly_name="Second floor")
    third = DeviceHost(renamed, sane_scanner).start()
    try:
        assert third.identity.endpoint == first.identity.endpoint
        assert third.identity.metadata_version == first.identity.metadata_version + 1
    finally:
        third.stop()


def test_get_scanner_elements_from_the_real_scanner(host):
    names = ("ScannerDescription", "ScannerConfiguration", "ScannerStatus", "DefaultScanTicket", "NoSuchThing")
    status, reply = call(dsd_url(host), f"{ACTION_NS}/GetScannerElements", request("GetScannerElements", *names))
    assert status == 200, etree.tostring(reply)
    assert p.header_text(reply, "Action") == f"{ACTION_NS}/GetScannerElementsResponse"
    body = body_of(reply)
    assert soap.check(body) is None
    data = {e.get("Name"): e for e in body.iter(dsd("ElementData"))}
    assert data["wscn:NoSuchThing"].get("Valid") == "false"
    assert data["wscn:ScannerDescription"].findtext(f".//{wscn('ScannerLocation')}") == "Building 1, ground floor"
    config = data["wscn:ScannerConfiguration"]
    caps = host.scanner.capabilities()
    assert [e.text for e in config.iter(wscn("ColorEntry"))][: len(caps.color_modes)] == list(caps.color_modes)
    assert (config.find(f".//{wscn('ADF')}") is not None) == any(s.startswith("ADF") for s in caps.sources)
    assert config.findtext(f".//{wscn('PlatenMaximumSize')}/{wscn('Width')}") == str(caps.max_width)
    assert data["wscn:ScannerStatus"].findtext(f".//{wscn('ScannerState')}") == "Idle"
    assert data["wscn:DefaultScanTicket"].find(f".//{wscn('Format')}").text == "pdf-a"


def test_requests_are_checked_against_the_schema(host):
    bad = request("GetScannerElements")  # RequestedElements missing
    status, reply = call(dsd_url(host), f"{ACTION_NS}/GetScannerElements", bad)
    assert status == 400
    assert reply.findtext(f".//{{{p.SOAP}}}Subcode/{{{p.SOAP}}}Value") == "wscn:InvalidArgs"
    status, reply = call(dsd_url(host), f"{ACTION_NS}/Nope", request("Nope"))
    assert status == 400 and "ActionNotSupported" in reply.findtext(f".//{{{p.SOAP}}}Subcode/{{{p.SOAP}}}Value")


def test_job_operations_answer_and_unknown_ids_fault(host):
    for op, container in (("GetActiveJobs", "ActiveJobs"), ("GetJobHistory", "JobHistory")):
        status, reply = call(dsd_url(host), f"{ACTION_NS}/{op}", request(op))
        assert status == 200 and soap.check(body_of(reply)) is None
        assert body_of(reply).find(dsd(container)) is not None
    status, reply = call(
        dsd_url(host), f"{ACTION_NS}/GetJobElements", request("GetJobElements", "JobStatus", job_id=4711)
    )
    assert status == 400
    assert reply.findtext(f".//{{{p.SOAP}}}Subcode/{{{p.SOAP}}}Value") == "wscn:ClientErrorJobIdNotFound"


def subscribe(url: str, sink: EventSink, *, actions: tuple[str, ...] = (), expires: str | None = None, end_to=None):
    sub = etree.Element(f"{{{WSE}}}Subscribe", nsmap={"wse": WSE, "wsa": WSA})
    if end_to:
        et = etree.SubElement(sub, f"{{{WSE}}}EndTo")
        etree.SubElement(et, f"{{{WSA}}}Address").text = end_to
    delivery = etree.SubElement(sub, f"{{{WSE}}}Delivery")
    nt = etree.SubElement(delivery, f"{{{WSE}}}NotifyTo")
    etree.SubElement(nt, f"{{{WSA}}}Address").text = sink.url
    etree.SubElement(etree.SubElement(nt, f"{{{WSA}}}ReferenceParameters"), "{urn:test}Cookie").text = "c-42"
    if expires:
        etree.SubElement(sub, f"{{{WSE}}}Expires").text = expires
    if actions:
        f = etree.SubElement(sub, f"{{{WSE}}}Filter")
        f.set("Dialect", f"{DPWS}/Action")
        f.text = " ".join(actions)
    status, reply = call(url, SUBSCRIBE, sub)
    assert status == 200, etree.tostring(reply)
    ident = body_of(reply).findtext(f".//{{{WSE}}}Identifier")
    manager = body_of(reply).findtext(f".//{{{WSA}}}Address")
    return ident, manager, body_of(reply).findtext(f"{{{WSE}}}Expires")


def identifier_header(ident: str) -> etree._Element:
    el = etree.Element(f"{{{WSE}}}Identifier", nsmap={"wse": WSE})
    el.text = ident
    return el


def test_subscription_life_cycle_and_persistence(tmp_path, sane_scanner):
    settings = device_settings(tmp_path, max_subscription_seconds=600, http_port=free_tcp_port())
    host = DeviceHost(settings, MonitoredScanner(sane_scanner)).start()
    sink = EventSink()
    try:
        ident, manager, expires = subscribe(dsd_url(host), sink, expires="PT2H")
        assert expires == "PT600S"  # capped
        status, reply = call(manager, GET_STATUS, etree.Element(f"{{{WSE}}}GetStatus"), [identifier_header(ident)])
        assert status == 200 and body_of(reply).findtext(f"{{{WSE}}}Expires").startswith("PT")
        renew = etree.Element(f"{{{WSE}}}Renew")
        etree.SubElement(renew, f"{{{WSE}}}Expires").text = "PT300S"
        status, reply = call(manager, RENEW, renew, [identifier_header(ident)])
        assert status == 200 and body_of(reply).findtext(f"{{{WSE}}}Expires") == "PT300S"
        bad = etree.Element(f"{{{WSE}}}Renew")
        status, reply = call(manager, RENEW, bad, [identifier_header("urn:uuid:nobody")])
        assert status == 400 and "UnableToRenew" in reply.findtext(f".//{{{p.SOAP}}}Subcode/{{{p.SOAP}}}Value")
        host.stop()  # a restart of the panel keeps the subscription
        host = DeviceHost(settings, MonitoredScanner(sane_scanner)).start()
        assert [s.id for s in host.events.subscriptions] == [ident]
        status, _ = call(
            manager.replace(str(manager.split(":")[2].split("/")[0]), str(host.port)),
            UNSUBSCRIBE,
            etree.Element(f"{{{WSE}}}Unsubscribe"),
            [identifier_header(ident)],
        )
        assert status == 200 and host.events.subscriptions == []
    finally:
        host.stop()
        sink.close()


def test_subscription_end_when_the_device_side_stops(tmp_path, sane_scanner):
    settings = device_settings(tmp_path)
    host = DeviceHost(settings, MonitoredScanner(sane_scanner)).start()
    sink, end_sink = EventSink(), EventSink()
    try:
        subscribe(dsd_url(host), sink, end_to=end_sink.url)
    finally:
        host.stop(end_subscriptions=True)
    (end,) = end_sink.wait_for("SubscriptionEnd")
    assert body_of(end).findtext(f"{{{WSE}}}Status") == "wse:SourceShuttingDown"
    again = DeviceHost(settings, MonitoredScanner(sane_scanner)).start()
    try:
        assert again.events.subscriptions == []
    finally:
        again.stop()
        sink.close()
        end_sink.close()


def test_bad_subscribe_requests_fault(host):
    sink = EventSink()
    try:
        sub = etree.Element(f"{{{WSE}}}Subscribe")
        etree.SubElement(etree.SubElement(sub, f"{{{WSE}}}Delivery"), f"{{{WSE}}}NotifyTo")
        status, reply = call(dsd_url(host), SUBSCRIBE, sub)
        assert status == 400
        with pytest.raises(AssertionError):
            subscribe(dsd_url(host), sink, expires="yesterday")
        assert event_action("JobStatusEvent") == f"{WSCN}/JobStatusEvent"
    finally:
        sink.close()


def test_bad_interface_or_busy_port_is_a_clear_error_and_the_panel_goes_on(tmp_path, sane_scanner):
    from kiosk.device import runtime
    from kiosk.errors import ConfigError

    with pytest.raises(ConfigError, match="no network interface"):
        DeviceHost(device_settings(tmp_path, interfaces=["nosuch0"]), sane_scanner).start()
    busy = socket.create_server(("127.0.0.1", 0))
    try:
        settings = device_settings(tmp_path, http_port=busy.getsockname()[1])
        with pytest.raises(ConfigError, match="cannot listen"):
            DeviceHost(settings, sane_scanner).start()
        off = runtime.start(settings, sane_scanner, None)  # logged; the panel keeps scanning
        assert not isinstance(off, DeviceHost)
        off.stop()
    finally:
        busy.close()


def test_https_serves_the_same_operations(tmp_path, sane_scanner):
    import requests

    from tests.fixtures.device_support import free_tcp_port
    from tests.fixtures.tls import make_server_tls

    tls = make_server_tls(tmp_path / "tls")
    settings = device_settings(tmp_path, https_port=free_tcp_port(), tls_cert=str(tls.cert), tls_key=str(tls.key))
    host = DeviceHost(settings, MonitoredScanner(sane_scanner)).start()
    try:
        (match,) = discovery.probe("127.0.0.1", port=host.config.discovery_port, timeout=1.5)
        https = [x for x in match.xaddrs if x.startswith("https://127.0.0.1")]
        assert https and any(x.startswith("http://") for x in match.xaddrs)
        url = https[0].replace("/device", "/dsd")
        env = p.envelope(f"{ACTION_NS}/GetScannerElements", request("GetScannerElements", "ScannerStatus"), to=url)
        resp = requests.post(
            url,
            data=etree.tostring(env),
            headers={"Content-Type": p.soap_content_type(f"{ACTION_NS}/GetScannerElements")},
            verify=str(tls.ca),
            timeout=30,
        )
        assert resp.status_code == 200
        assert soap.check(body_of(etree.fromstring(resp.content))) is None
        with pytest.raises(requests.exceptions.SSLError):
            requests.post(url, data=b"", verify=True, timeout=30)  # not a publicly trusted certificate
    finally:
        host.stop()
    missing = device_settings(tmp_path, https_port=free_tcp_port())
    with pytest.raises(ConfigError, match="tls_cert"):
        DeviceHost(missing, sane_scanner).start()


def test_switching_the_device_side_off_ends_kept_subscriptions(tmp_path, sane_scanner):
    from kiosk.device import runtime
    from kiosk.dsm.eventing import FILE_NAME

    settings = device_settings(tmp_path)
    host = DeviceHost(settings, MonitoredScanner(sane_scanner)).start()
    sink, end_sink = EventSink(), EventSink()
    try:
        subscribe(dsd_url(host), sink, end_to=end_sink.url)
    finally:
        host.stop()  # a restart would keep it
    off = device_settings(tmp_path, enabled=False)
    thread = runtime._end_old_subscriptions(off)
    assert thread is not None
    thread.join(30)
    (end,) = end_sink.wait_for("SubscriptionEnd")
    assert body_of(end).findtext(f"{{{WSE}}}Status") == "wse:SourceShuttingDown"
    assert (tmp_path / "state" / FILE_NAME).read_text().strip() == "[]"
    assert runtime.start(off, sane_scanner, None) is not None
    sink.close()
    end_sink.close()


def test_events_go_only_to_sinks_inside_the_device_networks(tmp_path, sane_scanner):
    """Whoever subscribes picks where the device POSTs: never outside [device] networks."""
    host = DeviceHost(device_settings(tmp_path), MonitoredScanner(sane_scanner)).start()
    sink = EventSink()
    try:
        url = host.urls("/dsd")[0]
        for notify_to, end_to in (
            ("http://192.0.2.10:5357/sink", None),  # outside 127.0.0.0/8 and ::1
            (sink.url, "http://192.0.2.10/end"),
            ("http://no-such-host.invalid/sink", None),
            ("file:///etc/passwd", None),
        ):
            sub = etree.Element(f"{{{WSE}}}Subscribe", nsmap={"wse": WSE, "wsa": WSA})
            if end_to:
                etree.SubElement(etree.SubElement(sub, f"{{{WSE}}}EndTo"), f"{{{WSA}}}Address").text = end_to
            nt = etree.SubElement(etree.SubElement(sub, f"{{{WSE}}}Delivery"), f"{{{WSE}}}NotifyTo")
            etree.SubElement(nt, f"{{{WSA}}}Address").text = notify_to
            status, reply = call(url, SUBSCRIBE, sub)
            assert status == 400, (notify_to, end_to)
            assert b"InvalidMessage" in etree.tostring(reply)
        assert host.events.subscriptions == []
        subscribe(url, sink)  # a sink inside the networks is taken
        assert [s.peer for s in host.events.subscriptions] == ["127.0.0.1"]
    finally:
        host.stop()
        sink.close()
