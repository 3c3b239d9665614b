"""The whole chain with real parts: the embedded demo directory (standalone backend), the SANE
test device through SaneScanner, the spool, and the reference scan server subprocess."""

from __future__ import annotations

import dataclasses

from kiosk.config import parse
from kiosk.directory import demo_directory_path
from kiosk.jobs import Engine
from kiosk.jobs import spool as sp
from kiosk.psp.model import Resolution, Setting
from kiosk.session import Session


def chain_settings(tmp_path, scan_server, **spool):
    return parse(
        {
            "directory": {"backend": "local", "local_file": str(demo_directory_path())},
            "scanner": {"device": "test:0"},
            "scan_server": {"endpoints": {"localhost": scan_server.endpoint}, "allow_http": True},
            "spool": {
                "directory": str(tmp_path / "spool"),
                "state_directory": str(tmp_path / "state"),
                "min_free_mb": 0,
                "retry_initial_seconds": 0.05,
                **spool,
            },
        }
    )


def small_adf_ticket(ticket, pages: int):
    front = dataclasses.replace(ticket.media_front, resolution=Setting(Resolution(75, 75)))
    return dataclasses.replace(
        ticket, input_source=Setting("ADF"), images_to_transfer=Setting(pages), media_front=front
    )


def test_scan_two_loads_with_the_sane_test_device_into_one_completed_job(tmp_path, scan_server, sane_scanner):
    settings = chain_settings(tmp_path, scan_server)
    engine = Engine(settings, sane_scanner)
    events = []
    engine.subscribe(events.append)
    session = Session(settings, engine)
    user = session.sign_in("demo", "demo")
    proc = session.process("Photo to JPEG")
    job = session.start(proc, small_adf_ticket(proc.ticket, 3))
    assert job.scan_load() == 3
    assert job.scan_load() == 3  # "Scan more"
    job.finish()
    session.sign_out()
    final = job.wait(60)
    history = engine.history(user.sid)
    engine.close()
    assert final.state == sp.COMPLETED, final
    (record,) = [r for r in scan_server.records() if r["token"] == final.job_token]
    assert record["state"] == "Completed" and record["user_sid"] == user.sid
    assert [d["document_id"] for d in record["documents"]] == [1, 2, 3, 4, 5, 6]
    assert record["psp_identifier"].lower() == proc.identifier.lower()
    assert len(scan_server.shared_files()) == 6
    kinds = [e.kind for e in events if e.job_id == job.job_id]
    assert kinds.count("page_scanned") == 6 and kinds.count("document_sent") == 6
    assert history[0]["state"] == "Completed" and history[0]["pages"] == 6
