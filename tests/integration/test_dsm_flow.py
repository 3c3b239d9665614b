"""The WS-DSP client against the reference scan server (a subprocess) over real HTTP."""

from __future__ import annotations

import hashlib

import pytest
from lxml import etree

from kiosk.dsm.client import WsdspClient
from kiosk.dsm.errors import JobTokenNotFound, OperationFailed
from kiosk.psp.model import NS_PSP
from tests.fixtures.psp_samples import psp_xml

SID = "S-1-5-21-1004336348-1177238915-682003330-1001"
PSP_ID = "C4F199C7-6876-4549-A86E-A85035952448"
DSP = "http://schemas.microsoft.com/windows/2008/12/wdp/distributedscan/processing"


def instructions(**kw) -> str:
    root = etree.fromstring(psp_xml(**kw).encode())
    return etree.tostring(root.find(f"{{{NS_PSP}}}PostScanInstructions"), encoding="unicode")


@pytest.fixture
def client(scan_server, scan_server_settings):
    with WsdspClient(scan_server.endpoint, scan_server_settings) as c:
        yield c


def test_whole_job_lands_on_the_share(scan_server, client, tmp_path):
    token = client.create_post_scan_job(SID, PSP_ID, instructions(root_name="Invoice"))
    docs = {1: ("pdf-a", b"%PDF-1.7\n" + bytes(range(256)) * 40), 2: ("png", b"\x89PNG\r\n\x1a\n" + b"x" * 1000)}
    for doc_id, (fmt, data) in docs.items():
        f = tmp_path / f"{doc_id}.bin"
        f.write_bytes(data)
        client.send_image(token, doc_id, fmt, f)
    status = client.get_post_scan_job_elements(token).status
    assert status.state == "Started" and status.images_received == 2
    client.end_post_scan_job(token)
    record = scan_server.wait_for_state(token)
    assert record["state"] == "Completed" and record["user_sid"] == SID and record["psp_identifier"] == PSP_ID
    assert [(d["document_id"], d["format"], d["size"], d["sha256"]) for d in record["documents"]] == [
        (i, fmt, len(data), hashlib.sha256(data).hexdigest()) for i, (fmt, data) in docs.items()
    ]
    files = scan_server.shared_files()
    assert [f.parent.name for f in files] == [SID, SID]
    assert [f.name.split("_")[0] for f in files] == ["Invoice", "Invoice"]
    assert sorted(f.suffix for f in files) == [".pdf", ".png"]
    assert {f.read_bytes() for f in files} == {d for _, d in docs.values()}
    elements = client.get_post_scan_job_elements(token)
    assert elements.status.state == "Completed"
    assert elements.status.reasons == ("PostScanJobCompletedSuccessfully",)
    assert elements.status.filters[0].state == "CompletedSuccessfully"
    assert elements.description.psp_identifier == PSP_ID


def test_jobs_survive_a_server_kill(scan_server, client, tmp_path):
    token = client.create_post_scan_job(SID, PSP_ID, instructions())
    f = tmp_path / "1.pdf"
    f.write_bytes(b"%PDF-1.4 one")
    client.send_image(token, 1, "pdf-a", f)
    scan_server.kill()
    scan_server.start()
    assert client.get_post_scan_job_elements(token).status.images_received == 1
    f.write_bytes(b"%PDF-1.4 two")
    client.send_image(token, 2, "pdf-a", f)
    client.end_post_scan_job(token)
    assert [d["document_id"] for d in scan_server.wait_for_state(token)["documents"]] == [1, 2]


def test_unknown_token_and_wrong_state(client, tmp_path):
    with pytest.raises(JobTokenNotFound) as err:
        client.end_post_scan_job("6a0e6b4e-9a5f-4e0f-8a43-5d2f1f2a0c11")
    # A JobToken is a capability: it stays out of messages that reach the log (issue #14).
    assert not err.value.retryable and "6a0e6b4e" not in str(err.value)
    token = client.create_post_scan_job(SID, PSP_ID, instructions())
    client.cancel_post_scan_job(token)
    f = tmp_path / "1.pdf"
    f.write_bytes(b"%PDF-1.4")
    with pytest.raises(OperationFailed):
        client.send_image(token, 1, "pdf-a", f)
    assert client.get_post_scan_job_elements(token).status.state == "Canceled"


@pytest.mark.parametrize("name", ["all_filters.xml", "auto_settings.xml", "full_ticket.xml"])
def test_parsed_scan_processes_are_accepted_unchanged(scan_server, client, name):
    """The PSP parser's PostScanInstructions go through the client and pass the server's schemas."""
    from pathlib import Path

    from kiosk.psp.parser import parse_process

    xml = (Path(__file__).parents[1] / "fixtures" / "psp_corpus" / name).read_text()
    process = parse_process(xml, display_name=name, identifier=PSP_ID)
    token = client.create_post_scan_job(SID, process.identifier, process.instructions.xml)
    sent = etree.fromstring(client.last_request).find(f".//{{{DSP}}}PostScanInstructions")
    original = etree.fromstring(process.instructions.xml.encode())

    def c14n(el: etree._Element) -> list[bytes]:
        return [etree.tostring(c, method="c14n", exclusive=True) for c in el]

    assert c14n(sent) == c14n(original)
    assert scan_server.record(token)["state"] == "Started"
