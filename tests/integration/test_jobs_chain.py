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
    # The second load numbers on (page-0004…) although the first load's files were gone: the
    # encoder's journal says "done up to page 3", and after a crash recover() drops pages up to 3.
    names = [e.data["path"].rsplit("/", 1)[-1] for e in events if e.kind == "page_scanned"]
    assert names == [f"page-{n:04d}.pnm" for n in range(1, 7)]


def _scan_one_load(settings, sane_scanner, process_name: str, pages: int = 3):
    """demo signs in, scans one feeder load of `pages` with `process_name` and signs out; the
    job's final record."""
    engine = Engine(settings, sane_scanner)
    session = Session(settings, engine)
    session.sign_in("demo", "demo")
    proc = session.process(process_name)
    job = session.start(proc, small_adf_ticket(proc.ticket, pages))
    assert job.scan_load() == pages
    job.finish()
    session.sign_out()
    final = job.wait(60)
    engine.close()
    return final


def _stream_started(caplog) -> bool:
    return any("MTOM, chunked" in r.getMessage() for r in caplog.records)


def _wait_for(predicate, timeout: float = 30.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_pdf_a_is_sent_while_the_feeder_runs(tmp_path, scan_server, sane_scanner, caplog):
    """Two loads of a pdf-a job with the SANE test device: SendImage starts during the first
    load's pages (chunked, from the growing file), the second load's pages join the same
    request, and the server gets one valid 6-page PDF/A, sent once."""
    import logging

    import pikepdf

    caplog.set_level(logging.DEBUG, logger="kiosk.dsm.client")
    settings = chain_settings(tmp_path, scan_server, stream_idle_seconds=60.0)
    engine = Engine(settings, sane_scanner)
    events = []
    engine.subscribe(events.append)
    session = Session(settings, engine)
    session.sign_in("demo", "demo")
    proc = session.process("Scan to PDF")
    job = session.start(proc, small_adf_ticket(proc.ticket, 3))
    assert job.scan_load() == 3
    assert _wait_for(lambda: _stream_started(caplog))  # the request is open before the scan ends
    assert job.scan_load() == 3
    job.finish()
    session.sign_out()
    final = job.wait(60)
    engine.close()
    assert final.state == sp.COMPLETED, final
    (record,) = [r for r in scan_server.records() if r["token"] == final.job_token]
    assert [d["document_id"] for d in record["documents"]] == [1]
    assert any("sent while it was written" in r.getMessage() for r in caplog.records)
    assert sum("SendImage: document" in r.getMessage() for r in caplog.records) == 1
    kinds = [e.kind for e in events if e.job_id == job.job_id]
    assert kinds.index("document_streaming") < kinds.index("document_sent")
    (shared,) = scan_server.shared_files()
    with pikepdf.open(shared) as pdf:
        assert len(pdf.pages) == 6 and pdf.check_pdf_syntax() == []
        assert pdf.open_metadata()["pdfaid:part"] == "2"


def test_a_stream_that_stalls_falls_back_to_the_finished_file(tmp_path, scan_server, sane_scanner, caplog):
    import logging

    caplog.set_level(logging.DEBUG, logger="kiosk")
    settings = chain_settings(tmp_path, scan_server, stream_idle_seconds=0.2)
    engine = Engine(settings, sane_scanner)
    session = Session(settings, engine)
    session.sign_in("demo", "demo")
    proc = session.process("Scan to PDF")
    job = session.start(proc, small_adf_ticket(proc.ticket, 2))
    assert job.scan_load() == 2
    assert _wait_for(lambda: any("sent once it is finished" in r.getMessage() for r in caplog.records))
    assert job.scan_load() == 2  # the user chose "Scan more" after the stream gave up
    job.finish()
    session.sign_out()
    final = job.wait(60)
    engine.close()
    assert final.state == sp.COMPLETED, final
    (record,) = [r for r in scan_server.records() if r["token"] == final.job_token]
    assert [d["document_id"] for d in record["documents"]] == [1]
    assert not any("sent while it was written" in r.getMessage() for r in caplog.records)


def test_with_streaming_off_the_finished_file_is_sent(tmp_path, scan_server, sane_scanner, caplog):
    import logging

    caplog.set_level(logging.DEBUG, logger="kiosk.dsm.client")
    final = _scan_one_load(chain_settings(tmp_path, scan_server, stream_documents=False), sane_scanner, "Scan to PDF")
    assert final.state == sp.COMPLETED, final
    assert not _stream_started(caplog)
    assert any("(pdf-a" in r.getMessage() and "accepted" in r.getMessage() for r in caplog.records)


def test_a_streamed_send_cut_by_the_link_is_followed_by_the_finished_file(tmp_path, scan_server, sane_scanner, caplog):
    """The server drops the connection in the middle of the growing document's SendImage: the
    retry sends the finished file (same DocumentId), not the same pages streamed again."""
    import logging

    caplog.set_level(logging.DEBUG, logger="kiosk")
    scan_server.restart(close_after_bytes=20_000, close_count=1)
    settings = chain_settings(tmp_path, scan_server, stream_idle_seconds=60.0)
    engine = Engine(settings, sane_scanner)
    session = Session(settings, engine)
    session.sign_in("demo", "demo")
    proc = session.process("Scan to PDF")
    job = session.start(proc, small_adf_ticket(proc.ticket, 3))
    assert job.scan_load() == 3
    assert _wait_for(lambda: _stream_started(caplog))
    job.finish()
    session.sign_out()
    final = job.wait(60)
    engine.close()
    scan_server.restart()
    assert final.state == sp.COMPLETED, final
    (record,) = [r for r in scan_server.records() if r["token"] == final.job_token]
    assert [d["document_id"] for d in record["documents"]] == [1]
    assert not any("sent while it was written" in r.getMessage() for r in caplog.records)
    assert sum("MTOM, chunked" in r.getMessage() for r in caplog.records) == 1


def test_page_files_in_their_documents_in_time_are_never_fsynced(tmp_path, scan_server, sane_scanner, monkeypatch):
    """The real chain at the SANE test device's pace: every page is in its fsynced document
    long before page_sync_delay, so no raw page file is fsynced (or left behind) while the
    job's documents are."""
    from kiosk.durable import LateSync
    from tests.fixtures.fsync_watch import watch_fsyncs

    # Far beyond this job even on a busy runner; a LateSync of its own, so that what it still
    # holds after the test never delays another test's late syncs.
    monkeypatch.setattr(sane_scanner, "_page_sync", LateSync(10.0))
    synced = watch_fsyncs(monkeypatch)
    final = _scan_one_load(chain_settings(tmp_path, scan_server), sane_scanner, "Photo to JPEG")
    assert final.state == sp.COMPLETED, final
    mine = [p for p in synced if p.startswith(str(tmp_path / "spool"))]
    assert not [p for p in mine if p.endswith(".pnm") or ".read-" in p], mine
    assert len([p for p in mine if p.endswith(".jpg.part")]) == 3  # each document, in the encoder
    assert not list((tmp_path / "spool").rglob("page-*.pnm"))
