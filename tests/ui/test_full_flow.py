"""The whole flow through the panel against the real parts: slapd, SANE's test backend, the
reference scan server; and the problem screens driven by real faults."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.config import UiSettings, parse
from kiosk.directory import open_directory
from kiosk.jobs import Engine
from kiosk.session import Session
from tests.fixtures import directory_data as data
from tests.ui.test_panel_session import directory_settings
from ui.backend import PanelBackend
from ui.theme import theme_for
from ui.window import PanelWindow

REPOSITORY = "scanserver.example.com"  # psp:ScanRepository of the test directory's processes


@pytest.fixture
def chain(qtbot, tmp_path, slapd, sane_scanner, scan_server):
    yield from make_chain(qtbot, tmp_path, slapd, sane_scanner, scan_server)


def make_chain(qtbot, tmp_path, slapd, scanner, scan_server):
    settings = parse(
        {
            "scan_server": {
                "endpoints": {REPOSITORY: scan_server.endpoint},
                "allow_http": True,
                "connect_timeout": 2.0,
                "read_timeout": 20.0,
            },
            "spool": {
                "directory": str(tmp_path / "spool"),
                "state_directory": str(tmp_path / "state"),
                "min_free_mb": 0,
                "retry_initial_seconds": 0.1,
                "retry_max_seconds": 0.3,
            },
        }
    )
    engine = Engine(settings, scanner)
    backend = PanelBackend(Session(settings, engine, directory=open_directory(directory_settings(slapd.uri))))
    ui = UiSettings()
    panel = PanelWindow(backend, ui, theme_for(ui.width, ui.height, high_contrast=False))
    qtbot.addWidget(panel)
    panel.resize(ui.width, ui.height)
    panel.show()
    yield panel
    panel.sign_out()
    panel.bridge.shutdown()
    backend.close()
    engine.close()


def sign_in(qtbot, panel):
    """Sign in as dave; the processes screen once its tiles are there."""
    screen = panel.screens["signin"]
    screen.username.setText("dave")
    screen.password.setText(data.USERS["dave"].password)
    qtbot.mouseClick(screen.sign_in, Qt.MouseButton.LeftButton)
    processes = panel.screens["processes"]
    qtbot.waitUntil(lambda: bool(processes.tiles), timeout=10000)
    return processes


def sign_in_and_prepare(qtbot, panel, process_name: str) -> None:
    processes = sign_in(qtbot, panel)
    tile = next(t for t in processes.tiles if t.process.display_name == process_name)
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "prepare", timeout=10000)
    prepare = panel.screens["prepare"]
    low = prepare.options["resolution"].index(100)  # quick pages; the test backend offers 1-1200 dpi
    qtbot.mouseClick(prepare.groups["resolution"].button(low), Qt.MouseButton.LeftButton)


def test_sign_in_scan_a_feeder_load_and_deliver(qtbot, chain, scan_server):
    panel = chain
    sign_in_and_prepare(qtbot, panel, "Scan to my folder")
    qtbot.mouseClick(panel.screens["prepare"].scan, Qt.MouseButton.LeftButton)
    scanning = panel.screens["scanning"]
    qtbot.waitUntil(
        lambda: panel.current() == "scanning" and scanning.pages > 0 and not scanning.loading, timeout=60000
    )
    assert scanning.pages == 10  # the test backend's feeder holds ten sheets
    qtbot.waitUntil(lambda: not scanning.strip.item(0).icon().isNull(), timeout=5000)
    qtbot.mouseClick(scanning.finish, Qt.MouseButton.LeftButton)
    delivery = panel.screens["delivery"]
    qtbot.waitUntil(lambda: delivery.event is not None and delivery.event.state == "Completed", timeout=60000)
    assert panel.cue.isVisible() and panel.cue.objectName() == "cue_ok"
    (record,) = [r for r in scan_server.records() if r["state"] == "Completed"]
    assert record["user_sid"] == data.USERS["dave"].sid and [d["format"] for d in record["documents"]] == ["pdf-a"]
    pdfs = [p for p in scan_server.shared_files() if p.suffix == ".pdf"]
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    qtbot.mouseClick(delivery.my_jobs, Qt.MouseButton.LeftButton)
    jobs = panel.screens["jobs"]
    qtbot.waitUntil(lambda: len(jobs.jobs) == 1)
    assert jobs.jobs[0].state == "Completed" and jobs.jobs[0].pages == 10


@pytest.mark.parametrize(
    "status, kind",
    [
        ("SANE_STATUS_JAMMED", "jam"),
        ("SANE_STATUS_COVER_OPEN", "cover_open"),
        ("SANE_STATUS_DEVICE_BUSY", "busy"),
        ("SANE_STATUS_NO_DOCS", "feeder_empty"),
    ],
)
def test_scanner_faults_show_their_problem_screen_and_try_again_scans(qtbot, chain, sane_scanner, status, kind):
    panel = chain
    sign_in_and_prepare(qtbot, panel, "Scan to my folder")
    sane_scanner.set_option("read-return-value", status)
    qtbot.mouseClick(panel.screens["prepare"].scan, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "problem", timeout=20000)
    problem = panel.screens["problem"]
    assert problem.kind == kind and problem.retry.isVisible()
    sane_scanner.set_option("read-return-value", "Default")  # the user cleared it
    qtbot.mouseClick(problem.retry, Qt.MouseButton.LeftButton)
    scanning = panel.screens["scanning"]
    qtbot.waitUntil(
        lambda: panel.current() == "scanning" and scanning.pages > 0 and not scanning.loading, timeout=60000
    )
    qtbot.mouseClick(scanning.cancel, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.question_yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "processes", timeout=10000)


def test_server_stopped_job_kept_and_retried_until_delivered(qtbot, chain, scan_server):
    panel = chain
    sign_in_and_prepare(qtbot, panel, "Scan to my folder")
    scan_server.stop()
    qtbot.mouseClick(panel.screens["prepare"].scan, Qt.MouseButton.LeftButton)
    scanning = panel.screens["scanning"]
    qtbot.waitUntil(
        lambda: panel.current() == "scanning" and scanning.pages > 0 and not scanning.loading, timeout=60000
    )
    qtbot.mouseClick(scanning.finish, Qt.MouseButton.LeftButton)
    delivery = panel.screens["delivery"]
    qtbot.waitUntil(lambda: delivery.event is not None and delivery.event.kind == "retry", timeout=20000)
    assert "retry" in delivery.state.text() and "kept" in delivery.note.text()
    # My jobs says the job waits for the server (not "Sending 1 of 1"), and lets its owner delete it
    qtbot.mouseClick(delivery.my_jobs, Qt.MouseButton.LeftButton)
    jobs = panel.screens["jobs"]
    qtbot.waitUntil(lambda: bool(jobs.jobs) and jobs.jobs[0].waiting, timeout=20000)
    assert "Waiting for the scan server" in jobs.list.item(0).text()
    jobs.list.setCurrentRow(0)
    assert jobs.delete.isEnabled()
    scan_server.start()
    qtbot.waitUntil(lambda: delivery.event.state == "Completed", timeout=60000)
    assert panel.cue.objectName() == "cue_ok"


def test_a_missing_scanner_gets_its_problem_screen(qtbot, tmp_path, slapd, sane_module, scan_server):
    from hardware.sane_scanner import SaneBackend, SaneScanner
    from kiosk.config import ScannerSettings

    absent = SaneScanner(ScannerSettings(device="test:7"), backend=SaneBackend())
    for panel in make_chain(qtbot, tmp_path, slapd, absent, scan_server):
        processes = sign_in(qtbot, panel)
        qtbot.mouseClick(processes.tiles[0], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda p=panel: p.current() == "problem", timeout=10000)
        assert panel.screens["problem"].kind == "missing"
        problem = panel.screens["problem"]
        # the title and the advice say it; the detail does not repeat them
        assert "switched on" in problem.advice.text() and not problem.detail.isVisible()
        assert problem.retry.isVisible()
