"""Second reading of the scan server: no JobToken in the log at INFO or above on error paths (review)."""

from __future__ import annotations

import hashlib
import logging
import uuid
from types import SimpleNamespace

import pytest
from lxml import etree

from dsm_server import config as server_config
from dsm_server.app import Fault, ScanServerApp, _unexpected
from dsm_server.store import Document, Journal
from kiosk.dsm import protocol as p

PSP = "6F1C2A4E-1D2B-4C3D-8E9F-0A1B2C3D4E5F"
INSTRUCTIONS = '<psp:PostScanInstructions xmlns:psp="http://schemas.microsoft.com/windows/2006/08/wdp/scan/psp"/>'


def _leaks(caplog, token: str) -> list[str]:
    """Records at INFO or above that name the token, in their message or their traceback."""
    texts = [
        r.getMessage() + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
        for r in caplog.records
        if r.levelno >= logging.INFO
    ]
    return [t for t in texts if token in t]


def test_a_strict_resend_does_not_log_the_job_token(tmp_path, caplog):
    config = server_config.parse({"insecure_lab_mode": True, "faults": {"strict_resends": True}})
    journal = Journal(tmp_path)
    app = ScanServerApp(config, journal)
    try:
        app._device = "addr:10.0.0.9"
        token = str(uuid.uuid4())
        journal.create_bound(token, "S-1-5-21-1-2-3-1001", PSP, INSTRUCTIONS, app._device)
        data = b"%PDF-1.7 x"
        sha = hashlib.sha256(data).hexdigest()
        journal.add_document(token, Document(1, "pdf-a", len(data), sha, str(tmp_path / "1.bin")))
        request = etree.Element(p.q(p.DSP, "SendImageRequest"))
        etree.SubElement(request, p.q(p.DSP, "JobToken")).text = token
        desc = etree.SubElement(request, p.q(p.DSP, "DocumentDescription"))
        etree.SubElement(desc, p.q(p.DSP, "DocumentId")).text = "1"
        etree.SubElement(desc, p.q(p.DSP, "Format")).text = "pdf-a"
        att = SimpleNamespace(size=len(data), sha256=sha, path=tmp_path / "in.bin")
        caplog.set_level(logging.DEBUG, logger="dsm_server")
        with pytest.raises(Fault):
            app._op_SendImage(request, SimpleNamespace(attachments=[att]))
        assert not _leaks(caplog, token)
    finally:
        app.close()


def test_a_storage_failure_does_not_log_the_job_token(tmp_path, caplog):
    token = str(uuid.uuid4())
    target = tmp_path / "documents" / token / "1.bin"
    caplog.set_level(logging.DEBUG, logger="dsm_server")
    fault = _unexpected(OSError(28, "No space left on device", str(tmp_path / "incoming" / "x"), None, str(target)))
    assert fault.subcode[1] == "ServerErrorTemporaryError"
    assert not _leaks(caplog, token)


def test_a_filter_failing_on_an_unreadable_document_does_not_log_the_job_token(tmp_path, caplog):
    from dsm_server import filters
    from dsm_server.store import Job
    from kiosk.psp.parser import parse_process
    from tests.fixtures.psp_samples import psp_xml

    share = r"\\files.example.com\scans"
    config = server_config.parse({"insecure_lab_mode": True, "shares": {share: str(tmp_path / "share")}})
    token = str(uuid.uuid4())
    missing = tmp_path / "documents" / token / "1.bin"
    instructions = parse_process(psp_xml(shares=(share,)), display_name="P", identifier=PSP).instructions.xml
    job = Job(
        token, "S-1-5-21-1-2-3-1001", PSP, instructions, "Processing", [], [], "2026-01-01T00:00:00.000000Z", None
    )
    job.documents.append(Document(1, "pdf-a", 3, "0" * 64, str(missing)))
    caplog.set_level(logging.DEBUG, logger="dsm_server")
    state, _, _ = filters.run(config, job)
    assert state == "Aborted"
    assert not _leaks(caplog, token)


def test_processing_that_fails_on_a_document_does_not_log_the_job_token(tmp_path, caplog, monkeypatch):
    from dsm_server import app as app_module

    config = server_config.parse({"insecure_lab_mode": True})
    journal = Journal(tmp_path)
    app = ScanServerApp(config, journal)
    try:
        token = str(uuid.uuid4())
        journal.create_bound(token, "S-1-5-21-1-2-3-1001", PSP, INSTRUCTIONS, "addr:10.0.0.9")
        journal.set_state(token, "Processing", expect=("Started",))

        def unreadable(*_args, **_kw):
            raise FileNotFoundError(2, "No such file or directory", str(journal.documents_dir / token / "1.bin"))

        monkeypatch.setattr(app_module.filters, "run", unreadable)
        caplog.set_level(logging.DEBUG, logger="dsm_server")
        app._process(token)
        assert journal.job(token).state == "Aborted"
        assert not _leaks(caplog, token)
    finally:
        app.close()


def test_a_job_without_a_recorded_device_is_no_ones(tmp_path):
    """A job from before job_trust (no device recorded) is not open to every device (review)."""
    config = server_config.parse({"insecure_lab_mode": True})
    journal = Journal(tmp_path)
    app = ScanServerApp(config, journal)
    try:
        token = str(uuid.uuid4())
        journal.create(token, "S-1-5-21-1-2-3-1001", PSP, INSTRUCTIONS)  # as before the migration
        app._device = "addr:10.0.0.66"
        request = etree.Element(p.q(p.DSP, "CancelPostScanJobRequest"))
        etree.SubElement(request, p.q(p.DSP, "JobToken")).text = token
        with pytest.raises(Fault) as info:
            app._op_CancelPostScanJob(request, None)
        assert info.value.subcode[1] == "ClientErrorJobTokenNotFound"
        assert journal.job(token).state == "Started"
        published = []
        app.events.source = SimpleNamespace(subscriptions=["a subscriber"], publish=lambda *a: published.append(a))
        journal.set_state(token, "Processing", expect=("Started",))
        assert all(args[2] is not None for args in published)  # never broadcast to every device
    finally:
        app.close()
