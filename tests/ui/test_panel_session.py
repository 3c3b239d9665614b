"""The panel on the real kiosk.session.Session and jobs Engine, signing in against the real slapd.

Scanner, encoder and scan server are the jobs engine's own fakes here; the full chain with SANE
and the reference server is in test_full_flow.py.
"""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

from hardware.buttons import key_event
from kiosk.config import DirectorySettings, UiSettings, parse
from kiosk.directory import open_directory
from kiosk.jobs import Engine
from kiosk.session import Session
from tests.fixtures import directory_data as data
from tests.fixtures.jobs_fakes import FakeEncoder, FakeScanner, FakeServer
from tests.fixtures.slapd import free_port
from ui.backend import PanelBackend
from ui.theme import theme_for
from ui.window import PanelWindow


class ScannerWithCapabilities(FakeScanner):
    def read_buttons(self):
        return None  # no button sensors

    def capabilities(self):
        from kiosk.scanner import Capabilities

        return Capabilities(
            device="fake", sources=("ADF", "Platen"), color_modes=("RGB24", "Grayscale8"), resolution_range=(75, 600, 1)
        )


def directory_settings(uri: str) -> DirectorySettings:
    return DirectorySettings(
        backend="ldap",
        uris=[uri],
        bind_mode="dn_template",
        user_attribute="uid",
        dn_template=f"uid={{username}},{data.PEOPLE_DN}",
        connect_timeout=2.0,
    )


@pytest.fixture
def real_panel(qtbot, tmp_path, slapd):
    def make(uri: str | None = None, **scanner) -> PanelWindow:
        settings = parse(
            {
                "spool": {
                    "directory": str(tmp_path / "spool"),
                    "state_directory": str(tmp_path / "state"),
                    "min_free_mb": 0,
                    "retry_initial_seconds": 0.01,
                    "retry_max_seconds": 0.05,
                },
                "scanner": scanner,
            }
        )
        server = FakeServer()
        engine = Engine(settings, ScannerWithCapabilities([2, 2]), clients=server.client, encoder_factory=FakeEncoder)
        directory = open_directory(directory_settings(uri or slapd.uri))
        backend = PanelBackend(Session(settings, engine, directory=directory))
        ui = UiSettings()
        window = PanelWindow(backend, ui, theme_for(ui.width, ui.height, high_contrast=False))
        qtbot.addWidget(window)
        window.resize(ui.width, ui.height)
        window.show()
        made.append((engine, backend))
        return window

    made: list = []
    yield make
    for engine, backend in made:
        backend.close()
        engine.close()


def type_sign_in(qtbot, panel, user: str, password: str) -> None:
    screen = panel.screens["signin"]
    screen.username.setText(user)
    screen.password.setText(password)
    qtbot.mouseClick(screen.sign_in, Qt.MouseButton.LeftButton)


def test_wrong_password_from_the_real_directory(qtbot, real_panel):
    panel = real_panel()
    type_sign_in(qtbot, panel, "dave", "not-daves-password")
    screen = panel.screens["signin"]
    qtbot.waitUntil(screen.sign_in.isEnabled, timeout=5000)
    assert panel.current() == "signin" and screen.message.text() == "Wrong user name or password."


def test_directory_down_gets_its_problem_screen(qtbot, real_panel):
    panel = real_panel(f"ldap://127.0.0.1:{free_port()}")
    type_sign_in(qtbot, panel, "dave", data.USERS["dave"].password)
    qtbot.waitUntil(lambda: panel.current() == "problem", timeout=8000)
    assert panel.screens["problem"].kind == "directory"


def test_sign_in_scan_deliver_and_see_it_in_my_jobs(qtbot, real_panel):
    panel = real_panel()
    type_sign_in(qtbot, panel, "dave", data.USERS["dave"].password)
    processes = panel.screens["processes"]
    qtbot.waitUntil(lambda: bool(processes.tiles), timeout=5000)
    assert {t.process.display_name for t in processes.tiles} == data.visible_processes("dave")
    tile = next(t for t in processes.tiles if t.process.display_name == "Scan to my folder")
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "prepare")
    qtbot.mouseClick(panel.screens["prepare"].scan, Qt.MouseButton.LeftButton)
    scanning = panel.screens["scanning"]
    qtbot.waitUntil(
        lambda: panel.current() == "scanning" and not scanning.loading and scanning.pages == 2, timeout=5000
    )
    qtbot.mouseClick(scanning.more, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not scanning.loading and scanning.pages == 4, timeout=5000)
    qtbot.mouseClick(scanning.finish, Qt.MouseButton.LeftButton)
    delivery = panel.screens["delivery"]
    qtbot.waitUntil(lambda: delivery.event is not None and delivery.event.state == "Completed", timeout=10000)
    assert panel.cue.isVisible() and panel.cue.objectName() == "cue_ok"
    qtbot.mouseClick(delivery.my_jobs, Qt.MouseButton.LeftButton)
    jobs = panel.screens["jobs"]
    qtbot.waitUntil(lambda: len(jobs.jobs) == 1)
    assert jobs.jobs[0].state == "Completed" and jobs.jobs[0].pages == 4


def test_the_panel_key_starts_the_scan_and_scans_more(qtbot, real_panel, tmp_path):
    fifo = tmp_path / "event0"
    os.mkfifo(fifo)
    panel = real_panel(button_event_device=str(fifo))
    type_sign_in(qtbot, panel, "dave", data.USERS["dave"].password)
    processes = panel.screens["processes"]
    qtbot.waitUntil(lambda: bool(processes.tiles), timeout=5000)
    qtbot.mouseClick(processes.tiles[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "prepare")
    scanning = panel.screens["scanning"]
    with open(fifo, "wb") as key:
        key.write(key_event(217))  # KEY_SCAN, as a gpio-keys panel button sends it
        key.flush()
        qtbot.waitUntil(
            lambda: panel.current() == "scanning" and scanning.pages == 2 and not scanning.loading, timeout=5000
        )
        key.write(key_event(217, 0) + key_event(217))
        key.flush()
        qtbot.waitUntil(lambda: scanning.pages == 4 and not scanning.loading, timeout=5000)


def test_paper_sensor_tells_the_feeder_state_and_is_no_scan_button(qtbot, real_panel):
    from hardware.buttons import ButtonEvent

    panel = real_panel()
    scanner = panel.session.engine.scanner
    scanner.read_buttons = lambda: {"page-loaded": True, "scan": False}
    type_sign_in(qtbot, panel, "dave", data.USERS["dave"].password)
    processes = panel.screens["processes"]
    qtbot.waitUntil(lambda: bool(processes.tiles), timeout=5000)
    qtbot.mouseClick(processes.tiles[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "prepare")
    prepare = panel.screens["prepare"]
    assert prepare.state.feeder_loaded is True and prepare.feeder.text() == "The feeder has paper."
    panel.bridge.press(ButtonEvent("page-loaded", "scanner"))
    qtbot.wait(50)
    assert panel.current() == "prepare"  # paper going in does not start a scan
