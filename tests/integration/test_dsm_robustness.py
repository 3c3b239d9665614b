"""The reference server under stress: SIGKILL mid-upload, restart during processing, parallel jobs."""

from __future__ import annotations

import os
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from kiosk.dsm.client import WsdspClient
from kiosk.dsm.errors import ScanServerUnreachable
from tests.integration.test_dsm_flow import PSP_ID, SID, instructions


def test_sigkill_during_send_image_then_resend(scan_server, scan_server_settings, tmp_path):
    scan_server.restart(read_rate=500_000)
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(b"%PDF-1.7\n" + os.urandom(3_000_000))
    with WsdspClient(scan_server.endpoint, scan_server_settings) as c:
        token = c.create_post_scan_job(SID, PSP_ID, instructions())
        failure: list[BaseException] = []

        def upload() -> None:
            try:
                c.send_image(token, 1, "pdf-a", doc)
            except BaseException as exc:  # noqa: BLE001 - handed to the test thread
                failure.append(exc)

        t = threading.Thread(target=upload)
        t.start()
        incoming = scan_server.state_dir / "incoming"
        # At 500 kB/s the 3 MB body takes 6 s: after 1 s the upload is surely mid-body.
        t.join(1.0)
        assert t.is_alive()
        scan_server.kill()
        t.join(10)
        assert failure and isinstance(failure[0], ScanServerUnreachable) and failure[0].retryable
        assert scan_server.record(token)["documents"] == []  # nothing half-received was recorded
        scan_server.start()
        assert list(incoming.iterdir()) == []  # leftovers of the killed upload are gone
        c.send_image(token, 1, "pdf-a", doc)
        c.end_post_scan_job(token)
    rec = scan_server.wait_for_state(token)
    assert rec["state"] == "Completed" and [d["size"] for d in rec["documents"]] == [doc.stat().st_size]


def test_processing_resumes_after_a_restart(scan_server, scan_server_settings, tmp_path):
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(b"%PDF-1.7 resumed")
    with WsdspClient(scan_server.endpoint, scan_server_settings) as c:
        token = c.create_post_scan_job(SID, PSP_ID, instructions())
        c.send_image(token, 1, "pdf-a", doc)
    scan_server.kill()
    # As if the server died right after accepting EndPostScanJob, before its filters ran.
    db = sqlite3.connect(scan_server.state_dir / "journal.sqlite3")
    with db:
        db.execute("UPDATE jobs SET state='Processing' WHERE token=?", (token,))
    db.close()
    scan_server.start()
    assert scan_server.wait_for_state(token)["state"] == "Completed"
    assert [f.read_bytes() for f in scan_server.shared_files()] == [b"%PDF-1.7 resumed"]


@pytest.mark.parametrize("workers", [4])
def test_parallel_jobs_through_one_client(scan_server, scan_server_settings, tmp_path, workers):
    def job(n: int) -> str:
        token = c.create_post_scan_job(SID, PSP_ID, instructions(root_name=f"Job{n}"))
        for doc_id in (1, 2, 3):
            f = tmp_path / f"{n}-{doc_id}.pdf"
            f.write_bytes(b"%PDF-1.7 " + f"{n}/{doc_id}".encode() + os.urandom(50_000))
            c.send_image(token, doc_id, "pdf-a", f)
        c.end_post_scan_job(token)
        return token

    with WsdspClient(scan_server.endpoint, scan_server_settings) as c, ThreadPoolExecutor(workers) as pool:
        tokens = list(pool.map(job, range(8)))
    assert len(set(tokens)) == 8
    for token in tokens:
        rec = scan_server.wait_for_state(token)
        assert rec["state"] == "Completed" and [d["document_id"] for d in rec["documents"]] == [1, 2, 3]
    assert len(scan_server.shared_files()) == 24
