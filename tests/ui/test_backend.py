"""ui.backend: reasons per destination, and thumbnails that survive the encoder dropping a page."""

from __future__ import annotations

import logging

from kiosk.psp.model import NS_EMLF, NS_FSF
from ui.backend import LogTail, reasons


def test_reasons_name_each_destination_and_the_servers_reasons():
    row = {"reason": "JobTokenNotFound", "job_state_reasons": ["JobTokenNotFound", "FilterFailed"],
           "filter_statuses": [{"dialect": NS_FSF, "state": "Completed", "reasons": []},
                               {"dialect": NS_EMLF, "state": "Failed", "reasons": ["MailboxUnavailable"]}]}
    assert reasons(row) == ("JobTokenNotFound", "FilterFailed", "E-mail: MailboxUnavailable")
    assert reasons({"state": "Completed"}) == ()


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
