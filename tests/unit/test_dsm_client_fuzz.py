"""Fuzzing the WS-DSP client's answer handling (issue #14 K2): a seeded mutator over recorded
answers of each operation; every failure must be a typed DeliveryError (retryable or not),
never an IndexError, ValueError, AttributeError or a multipart/zeep error escaping."""

from __future__ import annotations

import io
import random
import re

import pytest
from requests.adapters import BaseAdapter, HTTPAdapter
from urllib3 import HTTPResponse

from kiosk.config import ScanServerSettings
from kiosk.dsm.client import WsdspClient
from kiosk.errors import DeliveryError, KioskError
from kiosk.psp.model import NS_FSF, NS_PSP

ENDPOINT = "http://127.0.0.1:9/ScanServer/978e9349-e854-444f-87a6-1946553e14a6"
SID = "S-1-5-21-1004336348-1177238915-682003330-1001"
PSP_ID = "C4F199C7-6876-4549-A86E-A85035952448"
TOKEN = "3f7e2a9c-1111-4222-8333-944455556666"
INSTRUCTIONS = (
    f'<psp:PostScanInstructions xmlns:psp="{NS_PSP}" xmlns:fsf="{NS_FSF}">'
    "<psp:DocumentRootName>Scan</psp:DocumentRootName><psp:ContinueOnError>false</psp:ContinueOnError>"
    f"<psp:FiltersToProcess><psp:Filter><psp:Dialect>{NS_FSF}</psp:Dialect><psp:Instructions>"
    "<fsf:FileShareFilterInstructions><fsf:ShareUNC>\\\\srv\\scans</fsf:ShareUNC>"
    "</fsf:FileShareFilterInstructions></psp:Instructions></psp:Filter></psp:FiltersToProcess>"
    "</psp:PostScanInstructions>"
)

NS = (
    'xmlns:soap="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
    'xmlns:dsp="http://schemas.microsoft.com/windows/2008/12/wdp/distributedscan/processing"'
)
ACTION = "http://schemas.microsoft.com/windows/2008/12/wdp/distributedscan/processing/"


def envelope(action: str, body: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope {NS}><soap:Header>'
        "<wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>"
        f"<wsa:Action>{action}</wsa:Action><wsa:MessageID>urn:uuid:0f0e0d0c-0b0a-0908-0706-050403020100"
        "</wsa:MessageID><wsa:RelatesTo>@RELATES@</wsa:RelatesTo></soap:Header>"
        f"<soap:Body>{body}</soap:Body></soap:Envelope>"
    )


STATUS = (
    "<dsp:GetPostScanJobElementsResponse><dsp:JobElements>"
    '<dsp:ElementData dsp:Name="dsp:JobStatus" dsp:Valid="true"><dsp:JobStatus>'
    f"<dsp:JobToken>{TOKEN}</dsp:JobToken><dsp:JobState>Completed</dsp:JobState>"
    "<dsp:JobStateReasons><dsp:JobStateReason>PostScanJobCompletedSuccessfully</dsp:JobStateReason>"
    "</dsp:JobStateReasons><dsp:FilterStatuses><dsp:FilterStatus><dsp:Dialect>"
    f"{NS_FSF}</dsp:Dialect>"
    "<dsp:FilterState>CompletedSuccessfully</dsp:FilterState></dsp:FilterStatus></dsp:FilterStatuses>"
    "<dsp:ImagesReceived>2</dsp:ImagesReceived><dsp:JobCreatedTime>2026-11-28T03:00:00.000000Z"
    "</dsp:JobCreatedTime><dsp:JobCompletedTime>2026-11-28T03:00:05.000000Z</dsp:JobCompletedTime>"
    "</dsp:JobStatus></dsp:ElementData>"
    '<dsp:ElementData dsp:Name="dsp:JobDescription" dsp:Valid="true"><dsp:JobDescription>'
    "<dsp:PSP_Identifier>C4F199C7-6876-4549-A86E-A85035952448</dsp:PSP_Identifier>"
    "<dsp:PSP_DisplayName>Scan</dsp:PSP_DisplayName><dsp:JobOriginatingUserName>alice"
    "</dsp:JobOriginatingUserName></dsp:JobDescription></dsp:ElementData>"
    "</dsp:JobElements></dsp:GetPostScanJobElementsResponse>"
)
FAULT = (
    "<soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value><soap:Subcode><soap:Value>"
    'dsp:InvalidArgs</soap:Value></soap:Subcode></soap:Code><soap:Reason><soap:Text xml:lang="en">'
    "bad</soap:Text></soap:Reason><soap:Detail>dsp:UserIdentifier</soap:Detail></soap:Fault>"
)

#: Recorded answers: (operation, HTTP status, Content-Type, body).
RECORDED = {
    "create": [
        (
            200,
            envelope(
                ACTION + "CreatePostScanJobResponse",
                f"<dsp:CreatePostScanJobResponse><dsp:JobToken>{TOKEN}</dsp:JobToken></dsp:CreatePostScanJobResponse>",
            ),
        ),
        (400, envelope("http://schemas.xmlsoap.org/ws/2004/08/addressing/fault", FAULT)),
    ],
    "elements": [
        (200, envelope(ACTION + "GetPostScanJobElementsResponse", STATUS)),
        (500, envelope("http://schemas.xmlsoap.org/ws/2004/08/addressing/fault", FAULT.replace("Sender", "Receiver"))),
    ],
    "end": [(200, envelope(ACTION + "EndPostScanJobResponse", "<dsp:EndPostScanJobResponse/>"))],
}

SNIPPETS = [
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"]]>",
    b"<!--",
    b"\x00",
    b"\xff\xfe",
    b"-1",
    b"99999999999999999999999",
    b"abc",
    b"NaN",
    b"2026-13-45T99:99:99Z",
    b"<dsp:JobState/>",
    b"<dsp:ImagesReceived>x</dsp:ImagesReceived>",
    b'xmlns:dsp="urn:other"',
    b'<!DOCTYPE a [<!ENTITY e "x">]>',
    b"&e;",
    b"</soap:Body>",
    b"<soap:Body>",
    b"<dsp:JobToken></dsp:JobToken>",
    b"<dsp:ElementData/>",
    b'dsp:Valid="maybe"',
    b"<soap:Fault/>",
    b"<soap:Subcode><soap:Value>x:y</soap:Value></soap:Subcode>",
    b"<soap:Code/>",
    b"\r\n--x\r\n",
]
CONTENT_TYPES = [
    "application/soap+xml; charset=utf-8",
    "text/html",
    "multipart/related; boundary=x",
    'multipart/related; type="application/xop+xml"; boundary="b"; start="<root>"',
    "application/soap+xml; charset=ebcdic",
    "",
]


def mutate(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        i = rng.randrange(len(data))
        j = min(len(data), i + rng.randint(1, 40))
        kind = rng.randrange(6)
        if kind == 0:
            data = data[:i] + bytes([rng.randrange(256)]) + data[i + 1 :]
        elif kind == 1:
            data = data[:i]
        elif kind == 2:
            data = data[:i] + data[j:]
        elif kind == 3:
            data = data[:j] + data[i:j] + data[j:]
        elif kind == 4:
            data = data[:i] + rng.choice(SNIPPETS) + data[i:]
        else:
            # Replace an element's text with a snippet.
            texts = [m.span(1) for m in re.finditer(rb">([^<]+)<", data)]
            if texts:
                a, b = rng.choice(texts)
                data = data[:a] + rng.choice(SNIPPETS) + data[b:]
    return data


class Canned(BaseAdapter):
    """Answers each request with the next mutated recorded answer (no network)."""

    def __init__(self) -> None:
        super().__init__()
        self.next: tuple[int, str, bytes] = (200, "", b"")
        self.builder = HTTPAdapter()

    def send(self, request, **kwargs):
        status, ctype, body = self.next
        match = re.search(rb"<wsa:MessageID>([^<]+)</wsa:MessageID>", request.body or b"")
        body = body.replace(b"@RELATES@", match.group(1) if match else b"")
        raw = HTTPResponse(
            body=io.BytesIO(body),
            headers={"Content-Type": ctype, "Content-Length": str(len(body))} if ctype else {},
            status=status,
            preload_content=False,
            decode_content=False,
        )
        return self.builder.build_response(request, raw)

    def close(self) -> None:
        pass


@pytest.fixture
def client():
    with WsdspClient(ENDPOINT, ScanServerSettings(allow_http=True)) as c:
        canned = Canned()
        c._zeep.transport.session.mount("http://", canned)
        yield c, canned


def call(client: WsdspClient, op: str):
    if op == "create":
        return client.create_post_scan_job(SID, PSP_ID, INSTRUCTIONS)
    if op == "elements":
        return client.get_post_scan_job_elements(TOKEN)
    return client.end_post_scan_job(TOKEN)


def test_recorded_answers_are_understood(client):
    c, canned = client
    for op, answers in RECORDED.items():
        status, body = answers[0]
        canned.next = (status, CONTENT_TYPES[0], body.encode())
        result = call(c, op)
        if op == "create":
            assert result == TOKEN
        if op == "elements":
            assert result.status.images_received == 2 and result.status.state == "Completed"


@pytest.mark.parametrize("op", sorted(RECORDED))
def test_mutated_answers_only_raise_typed_delivery_errors(client, op):
    c, canned = client
    rng = random.Random(f"dsm-kiosk fuzz {op}")
    untyped: list[str] = []
    outcomes = {"ok": 0, "retryable": 0, "permanent": 0}
    for n in range(1200):
        status, body = rng.choice(RECORDED[op])
        if rng.random() < 0.1:
            status = rng.choice([200, 202, 400, 404, 500, 502, 503])
        ctype = CONTENT_TYPES[0] if rng.random() < 0.85 else rng.choice(CONTENT_TYPES)
        canned.next = (status, ctype, mutate(rng, body.encode()))
        try:
            call(c, op)
            outcomes["ok"] += 1
        except DeliveryError as exc:
            outcomes["retryable" if exc.retryable else "permanent"] += 1
        except KioskError as exc:
            untyped.append(f"#{n}: {type(exc).__name__} (a KioskError, but not a DeliveryError): {exc}")
        except Exception as exc:  # noqa: BLE001 - collected, then reported
            untyped.append(f"#{n}: {type(exc).__name__}: {exc}")
    assert untyped == [], "\n".join(untyped[:20])
    # The mutator really produced both understood and refused answers.
    assert outcomes["ok"] > 0 and outcomes["permanent"] > 0, outcomes
