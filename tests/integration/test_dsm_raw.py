"""The reference server refuses malformed requests from a raw HTTP client with proper SOAP 1.2 faults."""

from __future__ import annotations

import http.client
import uuid
from urllib.parse import urlsplit

import pytest
from lxml import etree

from kiosk.dsm import protocol as p

CREATE_BODY = """<dsp:CreatePostScanJobRequest xmlns:dsp="{dsp}">
<dsp:UserIdentifier>S-1-5-21-1-2-3-500</dsp:UserIdentifier>
<dsp:PostScanInstructions xmlns:psp="http://schemas.microsoft.com/windows/2008/02/imaging/postscan/psp">
<psp:DocumentRootName>Scan</psp:DocumentRootName></dsp:PostScanInstructions></dsp:CreatePostScanJobRequest>"""


def envelope(to: str, action: str, body: str, message_id: str, soap_ns: str = p.SOAP) -> bytes:
    return (
        f'<s:Envelope xmlns:s="{soap_ns}" xmlns:wsa="{p.WSA}"><s:Header><wsa:To>{to}</wsa:To>'
        f"<wsa:Action>{action}</wsa:Action><wsa:MessageID>{message_id}</wsa:MessageID></s:Header>"
        f"<s:Body>{body}</s:Body></s:Envelope>"
    ).encode()


def post(url: str, body: bytes, content_type: str, method: str = "POST") -> tuple[int, bytes]:
    u = urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    try:
        conn.request(method, u.path, body=body, headers={"Content-Type": content_type})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def fault(raw: bytes) -> dict:
    env = etree.fromstring(raw)
    f = env.find(f"{{{p.SOAP}}}Body/{{{p.SOAP}}}Fault")
    assert f is not None, raw
    sub = f.findtext(f"{{{p.SOAP}}}Code/{{{p.SOAP}}}Subcode/{{{p.SOAP}}}Value") or ""
    prefix, _, local = sub.rpartition(":")
    value = f.find(f"{{{p.SOAP}}}Code/{{{p.SOAP}}}Subcode/{{{p.SOAP}}}Value")
    return {
        "code": f.findtext(f"{{{p.SOAP}}}Code/{{{p.SOAP}}}Value"),
        "subcode": (value.nsmap.get(prefix) if value is not None else None, local),
        "reason": f.findtext(f"{{{p.SOAP}}}Reason/{{{p.SOAP}}}Text"),
        "detail": f.findtext(f"{{{p.SOAP}}}Detail"),
        "action": p.header_text(env, "Action"),
        "relates_to": p.header_text(env, "RelatesTo"),
    }


def test_schema_invalid_request_gets_invalid_args_with_relates_to(scan_server):
    mid = f"urn:uuid:{uuid.uuid4()}"
    body = envelope(scan_server.endpoint, p.action("CreatePostScanJob"), CREATE_BODY.format(dsp=p.DSP), mid)
    status, raw = post(scan_server.endpoint, body, p.soap_content_type(p.action("CreatePostScanJob")))
    f = fault(raw)
    assert status == 400
    assert f["code"] == "soap:Sender" and f["subcode"] == (p.DSP, "InvalidArgs")
    assert f["relates_to"] == mid and f["action"] == p.WSA_FAULT_ACTION
    assert "PSP_Identifier" in f["detail"]
    assert scan_server.records() == []


@pytest.mark.parametrize(
    "case, content_type, body, reason",
    [
        ("not xml", "application/soap+xml", b"<oops", "well-formed"),
        ("no envelope", "application/soap+xml", b"<a/>", "not a SOAP envelope"),
        ("form post", "application/x-www-form-urlencoded", b"a=b", "Content-Type"),
        ("mtom without root", 'multipart/related; type="application/xop+xml"; boundary="b"', b"--b--\r\n", "MTOM"),
    ],
)
def test_garbage_is_refused_with_invalid_args(scan_server, case, content_type, body, reason):
    status, raw = post(scan_server.endpoint, body, content_type)
    f = fault(raw)
    assert status == 400 and f["subcode"] == (p.DSP, "InvalidArgs") and reason in f["reason"]


def test_unknown_action_is_action_not_supported(scan_server):
    mid = f"urn:uuid:{uuid.uuid4()}"
    action = f"{p.DSP}/GetPostScanJob"
    status, raw = post(
        scan_server.endpoint, envelope(scan_server.endpoint, action, "<x/>", mid), p.soap_content_type(action)
    )
    f = fault(raw)
    assert status == 400 and f["subcode"] == (p.WSA, "ActionNotSupported") and f["detail"] == action
    assert f["relates_to"] == mid


def test_missing_message_id_and_soap11_are_refused(scan_server):
    action = p.action("EndPostScanJob")
    body = f'<dsp:EndPostScanJobRequest xmlns:dsp="{p.DSP}"><dsp:JobToken>x</dsp:JobToken></dsp:EndPostScanJobRequest>'
    no_id = envelope(scan_server.endpoint, action, body, "").replace(b"<wsa:MessageID></wsa:MessageID>", b"")
    f = fault(post(scan_server.endpoint, no_id, p.soap_content_type(action))[1])
    assert f["subcode"] == (p.DSP, "InvalidArgs") and f["detail"] == "wsa:MessageID"
    soap11 = envelope(scan_server.endpoint, action, body, "urn:uuid:1", "http://schemas.xmlsoap.org/soap/envelope/")
    f = fault(post(scan_server.endpoint, soap11, "application/soap+xml")[1])
    assert f["code"] == "soap:VersionMismatch"


def test_action_mismatch_between_content_type_and_header(scan_server):
    mid = f"urn:uuid:{uuid.uuid4()}"
    body = envelope(scan_server.endpoint, p.action("CreatePostScanJob"), CREATE_BODY.format(dsp=p.DSP), mid)
    f = fault(post(scan_server.endpoint, body, p.soap_content_type(p.action("EndPostScanJob")))[1])
    assert f["subcode"] == (p.DSP, "InvalidArgs") and "Content-Type action" in f["reason"]


def mtom(
    endpoint: str, xop_href: str, attachment: bytes, fmt: str = "pdf-a", inline: str | None = None
) -> tuple[bytes, str]:
    image = inline if inline is not None else f'<xop:Include xmlns:xop="{p.XOP}" href="{xop_href}"/>'
    body = (
        f'<dsp:SendImageRequest xmlns:dsp="{p.DSP}"><dsp:JobToken>6a0e6b4e-9a5f-4e0f-8a43-5d2f1f2a0c11</dsp:JobToken>'
        f"<dsp:DocumentDescription><dsp:DocumentId>1</dsp:DocumentId><dsp:Format>{fmt}</dsp:Format></dsp:DocumentDescription>"
        f"<dsp:ImageData>{image}</dsp:ImageData></dsp:SendImageRequest>"
    )
    env = envelope(endpoint, p.action("SendImage"), body, f"urn:uuid:{uuid.uuid4()}")
    raw = (
        b'--B\r\nContent-Type: application/xop+xml; type="application/soap+xml"\r\nContent-ID: <root>\r\n\r\n'
        + env
        + b"\r\n--B\r\nContent-Type: application/octet-stream\r\nContent-ID: <img@x>\r\n\r\n"
        + attachment
        + b"\r\n--B--\r\n"
    )
    ct = (
        'multipart/related; type="application/xop+xml"; boundary="B"; start="<root>"; start-info="application/soap+xml"'
    )
    return raw, ct


def test_mtom_structure_is_checked(scan_server):
    raw, ct = mtom(scan_server.endpoint, "cid:other@x", b"%PDF-")
    f = fault(post(scan_server.endpoint, raw, ct)[1])
    assert f["subcode"] == (p.DSP, "InvalidArgs") and "names no attachment" in f["reason"]
    raw, ct = mtom(scan_server.endpoint, "", b"%PDF-", inline="JVBERi0=")
    f = fault(post(scan_server.endpoint, raw, ct)[1])
    assert "exactly one xop:Include" in f["reason"]


def test_a_get_is_not_a_soap_request(scan_server):
    status, raw = post(scan_server.endpoint, b"", "text/plain", method="GET")
    assert status == 405 and b"WS-DSP" in raw
