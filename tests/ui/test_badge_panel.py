"""Badge sign-in on the real panel, Session and directory: slapd (badge + password) and the
standalone file (badge_only)."""

from __future__ import annotations

import textwrap

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.config import parse
from kiosk.directory.passwords import hash_password
from kiosk.jobs import Engine
from kiosk.session import Session
from tests.fixtures import directory_data as data
from tests.fixtures.jobs_fakes import FakeEncoder, FakeServer
from tests.ui.test_panel_session import ScannerWithCapabilities
from ui.backend import PanelBackend
from ui.theme import theme_for
from ui.window import PanelWindow

PATTERN = r";(?P<user>B\d+)\?"


@pytest.fixture
def badge_panel(qtbot, tmp_path):
    made: list = []

    def make(directory: dict) -> PanelWindow:
        settings = parse(
            {
                "spool": {
                    "directory": str(tmp_path / "spool"),
                    "state_directory": str(tmp_path / "state"),
                    "min_free_mb": 0,
                },
                "directory": directory,
                "ui": {"badge_pattern": PATTERN},
            }
        )
        engine = Engine(
            settings, ScannerWithCapabilities([1]), clients=FakeServer().client, encoder_factory=FakeEncoder
        )
        backend = PanelBackend(Session(settings, engine))
        window = PanelWindow(backend, settings.ui, theme_for(800, 480, high_contrast=False))
        qtbot.addWidget(window)
        window.resize(800, 480)
        window.show()
        qtbot.waitExposed(window)
        made.append((engine, backend))
        return window

    yield make
    for engine, backend in made:
        backend.close()
        engine.close()


def swipe(qtbot, panel, text: str) -> None:
    field = panel.screens["signin"].username
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key.Key_Return)


def ldap_directory(slapd) -> dict:
    return {
        "backend": "ldap",
        "uris": [slapd.uri],
        "bind_mode": "search",
        "service_dn": data.ADMIN_DN,
        "service_password": data.ADMIN_PASSWORD,
        "user_attribute": "sAMAccountName",
        "badge_lookup": "attribute",
        "badge_attribute": "employeeNumber",
        "connect_timeout": 2.0,
    }


def test_badge_fills_the_user_name_and_the_password_signs_in_against_slapd(qtbot, badge_panel, slapd):
    panel = badge_panel(ldap_directory(slapd))
    screen = panel.screens["signin"]
    swipe(qtbot, panel, f";{data.USERS['bob'].badge}?")
    qtbot.waitUntil(lambda: screen.username.text() == "bob", timeout=5000)
    assert screen.username.isReadOnly() and screen.password.hasFocus()
    assert panel.current() == "signin"
    # Typed at a person's pace (a QTest burst would read as another badge).
    screen.keyboard.type_text(data.USERS["bob"].password)
    qtbot.mouseClick(screen.sign_in, Qt.MouseButton.LeftButton)
    processes = panel.screens["processes"]
    qtbot.waitUntil(lambda: bool(processes.tiles), timeout=5000)
    assert panel.user.sid == data.USERS["bob"].sid
    assert {t.process.display_name for t in processes.tiles} == data.visible_processes("bob")


def test_unknown_badge_in_slapd_gets_a_clear_message(qtbot, badge_panel, slapd):
    panel = badge_panel(ldap_directory(slapd))
    screen = panel.screens["signin"]
    swipe(qtbot, panel, ";B4242?")
    qtbot.waitUntil(screen.sign_in.isEnabled, timeout=5000)
    assert screen.message.text() == "This badge is not recognised. Please sign in with your user name."
    assert screen.username.text() == "" and not screen.username.isReadOnly() and panel.user is None


def test_standalone_badge_only_signs_in_with_the_badge_alone(qtbot, badge_panel, tmp_path):
    path = tmp_path / "directory.toml"
    path.write_text(
        textwrap.dedent(f"""
        badge_only = true
        [users.ann]
        password = "{hash_password("ann-pw")}"
        display_name = "Ann"
        badges = ["B7"]
    """)
    )
    panel = badge_panel({"backend": "local", "local_file": str(path), "badge_lookup": "attribute"})
    swipe(qtbot, panel, ";B7?")
    qtbot.waitUntil(lambda: panel.current() == "processes", timeout=5000)
    assert panel.user.login == "ann"
