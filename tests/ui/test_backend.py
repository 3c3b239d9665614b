"""ui.backend: reasons per destination, and thumbnails that survive the encoder dropping a page."""

from __future__ import annotations

import logging

from kiosk.psp.model import NS_EMLF, NS_FSF
from ui.backend import LogTail, reasons


def test_reasons_name_each_destination_and_the_servers_reasons():
    row = {
        "reason": "JobTokenNotFound",
        "job_state_reasons": ["JobTokenNotFound", "FilterFailed"],
        "filter_statuses": [
            {"dialect": NS_FSF, "state": "CompletedSuccessfully", "reasons": []},
            {"dialect": NS_EMLF, "state": "Failed", "reasons": ["MailboxUnavailable"]},
        ],
    }
    assert reasons(row) == ("JobTokenNotFound", "FilterFailed", "email:MailboxUnavailable")
    # the kiosk's own reasons (free text in the spool) become codes too, never shown as they are
    assert reasons({"reason": "scan interrupted; the pages stored before it are delivered"}) == ("kiosk:interrupted",)
    assert reasons({"reason": "PostScanJobProcessingFailed, x:Vendor"}) == ("PostScanJobProcessingFailed", "x:Vendor")
    assert reasons({"reason": "something odd happened"}) == ("kiosk:other",)
    assert reasons({"state": "Completed"}) == ()
    # what the reference server reports for a job that went well
    assert (
        reasons(
            {
                "job_state_reasons": ["PostScanJobCompletedSuccessfully"],
                "filter_statuses": [{"dialect": NS_FSF, "state": "CompletedSuccessfully", "reasons": []}],
            }
        )
        == ()
    )


def test_log_tail_keeps_the_last_lines():
    tail = LogTail()
    logger = logging.getLogger("test.tail")
    logger.addHandler(tail)
    logger.setLevel(logging.INFO)
    try:
        for i in range(250):
            logger.info("line %d", i)
    finally:
        logger.removeHandler(tail)
    assert len(tail.lines) == 200 and tail.lines[-1].endswith("line 249")


def test_a_page_dropped_by_the_encoder_still_gets_its_thumbnail(tmp_path, qtbot):
    from PIL import Image

    from kiosk.jobs import Engine
    from kiosk.jobs.events import JobEvent
    from kiosk.session import Session
    from tests.fixtures.jobs_fakes import FakeEncoder, FakeScanner, FakeServer
    from tests.fixtures.jobs_support import settings
    from ui.backend import PanelBackend

    engine = Engine(settings(tmp_path), FakeScanner([1]), clients=FakeServer().client, encoder_factory=FakeEncoder)
    backend = PanelBackend(Session(engine.settings, engine))
    try:
        seen = []
        backend.subscribe(seen.append)
        page = tmp_path / "page.png"
        Image.new("RGB", (40, 60), "white").save(page)
        engine.hub.emit(JobEvent("page_scanned", "job", "Scanning", data={"path": str(page)}))
        link = seen[0].data["path"]
        assert link != str(page)
        page.unlink()  # the encoder has it: the page file goes
        image = backend.page_thumbnail(link)
        assert not image.isNull() and image.width() > 0
        assert not any(backend.thumbnails.iterdir())  # the link went with the thumbnail
    finally:
        backend.close()
        engine.close()
    assert not backend.thumbnails.exists()


def test_certificate_expiry_for_the_service_screen(tmp_path):
    from datetime import timedelta

    from tests.fixtures.tls import make_ca
    from ui.backend import certificate_expiry

    path, _key, cert = make_ca(tmp_path)
    assert "days left" in certificate_expiry(path) and f"{cert.not_valid_after_utc:%Y-%m-%d}" in certificate_expiry(
        path
    )
    assert "EXPIRED" in certificate_expiry(path, now=cert.not_valid_after_utc + timedelta(days=2))
    (tmp_path / "junk.pem").write_text("not a certificate")
    assert certificate_expiry(tmp_path / "junk.pem").startswith("cannot read")


def test_service_status_rows_and_log_tail(tmp_path):
    from kiosk.jobs import Engine
    from kiosk.session import Session
    from tests.fixtures.jobs_fakes import FakeEncoder, FakeServer
    from tests.fixtures.jobs_support import settings
    from tests.ui.test_panel_session import ScannerWithCapabilities
    from ui.backend import PanelBackend

    engine = Engine(
        settings(tmp_path), ScannerWithCapabilities([]), clients=FakeServer().client, encoder_factory=FakeEncoder
    )
    backend = PanelBackend(Session(engine.settings, engine))
    try:
        logging.getLogger("kiosk.test").warning("something to see on the service screen")
        rows, lines = backend.service_status()
    finally:
        backend.close()
        engine.close()
    names = dict(rows)
    assert names["Scanner"] == "fake" and names["Delivery"] == "this panel" and "0 job(s) waiting" in names["Spool"]
    assert "MISSING" in names["Directory"]  # the default standalone file does not exist here
    assert any("something to see" in line for line in lines)


def test_reachable_checks_a_live_port(slapd):
    from tests.fixtures.slapd import free_port
    from ui.backend import reachable

    assert reachable(slapd.uri, 2.0) == "reachable"
    assert reachable(f"http://127.0.0.1:{free_port()}/x", 2.0).startswith("NOT reachable")
