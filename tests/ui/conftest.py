"""The panel on a fake session, under pytest-qt."""

from __future__ import annotations

import pytest

from kiosk.config import Settings, UiSettings
from tests.ui.fakes import FakeSession
from ui.idle import IdleWatcher
from ui.theme import theme_for
from ui.window import PanelWindow


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake_session(tmp_path):
    return FakeSession(tmp_path)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def make_panel(qtbot, fake_session, clock):
    def make(**ui_keys) -> PanelWindow:
        ui = UiSettings(**{"admin_pin": "2468", **ui_keys})
        idle = IdleWatcher(ui.idle_timeout_seconds, clock=clock)
        window = PanelWindow(
            fake_session, ui, theme_for(ui.width, ui.height, high_contrast=ui.high_contrast), idle=idle
        )
        qtbot.addWidget(window)
        window.resize(ui.width, ui.height)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make


@pytest.fixture
def panel(make_panel):
    return make_panel()


@pytest.fixture
def settings():
    return Settings()
