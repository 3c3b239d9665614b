"""SendImage as MTOM from 0 bytes up: every byte arrives, whatever the content looks like."""

from __future__ import annotations

import hashlib
import os

import pytest

from kiosk.dsm.client import WsdspClient
from kiosk.dsm.errors import InvalidArgs
from kiosk.dsm.protocol import MtomBody
from tests.integration.test_dsm_flow import PSP_ID, SID, instructions

CHUNK = MtomBody.CHUNK
SIZES = [0, 1, 2, 3, 100, CHUNK - 1, CHUNK, CHUNK + 1, 3 * 1024 * 1024 + 7]


def tricky(size: int) -> bytes:
    """Random bytes salted with what a careless multipart parser trips over."""
    traps = b"\r\n--uuid:\r\n--\r\n\r\nContent-ID: <x>\r\n"
    data = bytearray(os.urandom(size))
    for at in range(0, max(size - len(traps), 0), 4096):
        data[at : at + len(traps)] = traps
    return bytes(data)


def test_documents_of_every_size_arrive_intact(scan_server, scan_server_settings, tmp_path):
    with WsdspClient(scan_server.endpoint, scan_server_settings) as c:
        token = c.create_post_scan_job(SID, PSP_ID, instructions())
        sent = {}
        for doc_id, size in enumerate(SIZES, start=1):
            data = tricky(size)
            f = tmp_path / f"{doc_id}.bin"
            f.write_bytes(data)
            c.send_image(token, doc_id, "application/octet-stream", f)
            sent[doc_id] = (size, hashlib.sha256(data).hexdigest())
        c.end_post_scan_job(token)
    record = scan_server.wait_for_state(token)
    assert {d["document_id"]: (d["size"], d["sha256"]) for d in record["documents"]} == sent
    assert sorted(f.stat().st_size for f in scan_server.shared_files()) == sorted(SIZES)


def test_bytes_that_do_not_match_the_format_are_refused(scan_server, scan_server_settings, tmp_path):
    f = tmp_path / "not-a.pdf"
    f.write_bytes(b"\x89PNG\r\n\x1a\n....")
    with WsdspClient(scan_server.endpoint, scan_server_settings) as c:
        token = c.create_post_scan_job(SID, PSP_ID, instructions())
        with pytest.raises(InvalidArgs) as err:
            c.send_image(token, 1, "pdf-a", f)
        assert "not pdf-a" in err.value.reason
        c.send_image(token, 1, "png", f)
        f.write_bytes(b"\x89PNG\r\n\x1a\nother")
        with pytest.raises(InvalidArgs):  # same DocumentId, other content
            c.send_image(token, 1, "png", f)
    assert len(scan_server.record(token)["documents"]) == 1


def test_mtom_body_streams_with_an_exact_length(tmp_path):
    f = tmp_path / "doc"
    f.write_bytes(b"x" * (CHUNK * 2 + 5))
    body = MtomBody(b"<env/>", f, "cid@x", "urn:a")
    chunks = list(body)
    assert sum(map(len, chunks)) == len(body)
    assert max(len(c) for c in chunks[1:-1]) <= CHUNK
    assert (
        'type="application/xop+xml"' in body.content_type and 'start-info="application/soap+xml"' in body.content_type
    )


def test_documents_over_the_size_limit_are_refused(tmp_path):
    from tests.fixtures.scan_server import ScanServer, scan_server_settings

    server = ScanServer(tmp_path / "small", extra={"max_document_mb": 1}).start()
    try:
        f = tmp_path / "big.pdf"
        f.write_bytes(b"%PDF-1.7\n" + b"0" * (1024 * 1024))
        with WsdspClient(server.endpoint, scan_server_settings(server)) as c:
            token = c.create_post_scan_job(SID, PSP_ID, instructions())
            with pytest.raises(InvalidArgs) as err:
                c.send_image(token, 1, "pdf-a", f)
        assert "larger than 1048576 bytes" in str(err.value)
        assert server.record(token)["documents"] == [] and list((server.state_dir / "incoming").iterdir()) == []
    finally:
        server.stop()
