"""What goes over the wire: captured envelopes validate against our XSDs and have the structure of
the published CreatePostScanJob and SendImage examples (docs/dsm-protocol.md §2.1–2.3)."""

from __future__ import annotations

from lxml import etree

from kiosk.dsm import protocol as p
from kiosk.dsm.client import WsdspClient
from kiosk.psp.model import NS_FSF, NS_PSP
from tests.integration.test_dsm_flow import PSP_ID, SID, instructions


def shape(el: etree._Element, depth: int) -> tuple:
    """(tag, children's shapes) down to `depth`: element structure without the values."""
    kids = [c for c in el if isinstance(c.tag, str)]
    return (el.tag, tuple(shape(c, depth - 1) for c in kids) if depth > 1 else ())


def q(ns, name, *kids):
    return (f"{{{ns}}}{name}", tuple(kids))


HEADER_WITH_REPLY_TO = q(
    p.SOAP,
    "Header",
    q(p.WSA, "To"),
    q(p.WSA, "Action"),
    q(p.WSA, "MessageID"),
    q(p.WSA, "ReplyTo", q(p.WSA, "Address")),
)
# The published SendImage example leaves out ReplyTo.
HEADER_SEND_IMAGE = q(p.SOAP, "Header", q(p.WSA, "To"), q(p.WSA, "Action"), q(p.WSA, "MessageID"))

CREATE_EXAMPLE = q(
    p.SOAP,
    "Envelope",
    HEADER_WITH_REPLY_TO,
    q(
        p.SOAP,
        "Body",
        q(
            p.DSP,
            "CreatePostScanJobRequest",
            q(p.DSP, "UserIdentifier"),
            q(p.DSP, "PSP_Identifier"),
            q(
                p.DSP,
                "PostScanInstructions",
                q(NS_PSP, "ContinueOnError"),
                q(NS_PSP, "DocumentRootName"),
                q(
                    NS_PSP,
                    "FiltersToProcess",
                    q(
                        NS_PSP,
                        "Filter",
                        q(NS_PSP, "Dialect"),
                        q(
                            NS_PSP,
                            "Instructions",
                            q(NS_FSF, "FileShareConfig", q(NS_FSF, "FileShares", q(NS_FSF, "ShareUNC"))),
                        ),
                    ),
                ),
            ),
        ),
    ),
)

SEND_IMAGE_EXAMPLE = q(
    p.SOAP,
    "Envelope",
    HEADER_SEND_IMAGE,
    q(
        p.SOAP,
        "Body",
        q(
            p.DSP,
            "SendImageRequest",
            q(p.DSP, "JobToken"),
            q(p.DSP, "DocumentDescription", q(p.DSP, "DocumentId"), q(p.DSP, "Format")),
            q(p.DSP, "ImageData", q(p.XOP, "Include")),
        ),
    ),
)


def body_validates(envelope: etree._Element) -> None:
    request = etree.fromstring(etree.tostring(envelope.find(f"{{{p.SOAP}}}Body")[0]))
    data = request.find(f"{{{p.DSP}}}ImageData")
    if data is not None:  # MTOM: the schema sees the reconstructed (base64) infoset
        data.remove(data[0])
    schema = p.dsp_schema()
    assert schema.validate(request), schema.error_log


def test_captured_requests_match_the_examples_and_our_schemas(scan_server, scan_server_settings, tmp_path):
    doc = tmp_path / "doc.jpg"
    doc.write_bytes(b"\xff\xd8\xff\xe0 jfif")
    content_types = []
    with WsdspClient(scan_server.endpoint, scan_server_settings) as c:
        c._zeep.transport.session.hooks["response"].append(
            lambda r, *a, **k: content_types.append(r.request.headers["Content-Type"])
        )
        token = c.create_post_scan_job(SID, PSP_ID, instructions(continue_on_error=True))
        create = etree.fromstring(c.last_request)
        c.send_image(token, 9, "jfif", doc)
        send = etree.fromstring(c.last_request)
        c.get_post_scan_job_elements(token)
        reply = c.last_reply
        get = etree.fromstring(c.last_request)

    # SOAP 1.2 over HTTP: the action is in the Content-Type too; SendImage goes as MTOM.
    assert (
        content_types[0].startswith("application/soap+xml")
        and f'action="{p.DSP}/CreatePostScanJob"' in content_types[0]
    )
    assert content_types[1].startswith("multipart/related") and 'type="application/xop+xml"' in content_types[1]
    assert 'start-info="application/soap+xml"' in content_types[1] and 'start="<' in content_types[1]
    assert shape(create, 12) == CREATE_EXAMPLE
    assert shape(send, 12) == SEND_IMAGE_EXAMPLE
    for env in (create, send, get):
        body_validates(env)
        assert p.header_text(env, "MessageID").startswith("urn:uuid:")
        assert p.header_text(env, "To") == scan_server.endpoint
    assert p.header_text(create, "Action") == f"{p.DSP}/CreatePostScanJob"
    assert send.findtext(f".//{{{p.DSP}}}DocumentId") == "9"
    assert send.find(f".//{{{p.XOP}}}Include").get("href").startswith("cid:")
    # The server's answers validate against the same schemas.
    assert reply.tag == f"{{{p.DSP}}}GetPostScanJobElementsResponse"
    assert p.dsp_schema().validate(etree.fromstring(etree.tostring(reply))), p.dsp_schema().error_log
