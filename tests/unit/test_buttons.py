"""Button events from scanner sensors (fake device) and from a Linux input-event stream (a FIFO)."""

from __future__ import annotations

import os
import queue
import threading

from hardware.buttons import ButtonEvent, Buttons, KeyEventButton, ScannerButtons, key_event
from hardware.sane_scanner import SaneScanner
from kiosk.config import ScannerSettings
from tests.fixtures.fake_sane import FakeBackend

DEVICES = [("fakescan:0", "Acme", "DX-1", "sheetfed scanner")]


class Sensors:
    def __init__(self) -> None:
        self.state: dict[str, bool] | None = {"scan": False, "email": False}

    def read_buttons(self):
        return None if self.state is None else dict(self.state)


def test_edges_only():
    sensors = Sensors()
    buttons = ScannerButtons(sensors)
    assert buttons.poll_once() == []
    sensors.state["scan"] = True
    assert buttons.poll_once() == [ButtonEvent("scan", "scanner")]
    assert buttons.poll_once() == []  # held down: one press
    sensors.state = None
    assert buttons.poll_once() is None  # busy: no events, no error
    sensors.state = {"scan": False, "email": True}
    assert buttons.poll_once() == [ButtonEvent("email", "scanner")]


def test_held_at_start_is_not_a_press():
    sensors = Sensors()
    sensors.state["scan"] = True
    buttons = ScannerButtons(sensors)
    assert buttons.poll_once() == [] and buttons.poll_once() == []


def test_polling_thread_on_a_sane_device_with_a_scan_button():
    backend = FakeBackend(list(DEVICES))
    scanner = SaneScanner(ScannerSettings(device="fakescan:0"), backend=backend)
    events: queue.Queue[ButtonEvent] = queue.Queue()
    # Press only after the poller's first read: a button already down then is (rightly) no press.
    primed = threading.Event()
    read_buttons = scanner.read_buttons

    def read_and_note():
        state = read_buttons()
        if state is not None:
            primed.set()
        return state

    scanner.read_buttons = read_and_note
    buttons = ScannerButtons(scanner, hz=50)
    buttons.start(events.put)
    try:
        assert primed.wait(timeout=10)
        assert events.empty()
        backend.handles[0].values["scan"] = 1
        assert events.get(timeout=5) == ButtonEvent("scan", "scanner")
    finally:
        buttons.stop()


def test_device_without_buttons_is_quiet():
    assert ScannerButtons(type("NoButtons", (), {"read_buttons": lambda self: {}})()).poll_once() == []


def test_key_event_device(tmp_path):
    fifo = tmp_path / "event0"
    os.mkfifo(fifo)
    events: queue.Queue[ButtonEvent] = queue.Queue()
    button = KeyEventButton(str(fifo), key_code=217)
    button.start(events.put)
    try:
        with open(fifo, "wb") as writer:
            writer.write(key_event(30) + key_event(217, 0) + key_event(217))  # other key, release, press
            writer.flush()
            assert events.get(timeout=5) == ButtonEvent("panel", "key")
        assert events.empty()
    finally:
        button.stop()


def test_missing_key_device_breaks_nothing(tmp_path, caplog):
    button = KeyEventButton(str(tmp_path / "absent"))
    button.start(lambda e: None)
    assert button.settled.wait(10)
    assert button.problem is not None and "absent" in button.problem and "No such file" in button.problem
    assert "the panel button is off" in caplog.text
    button.stop()  # returns: the reader thread is gone, nothing raised


def test_from_settings():
    settings = ScannerSettings(button_event_device="/dev/input/event7", button_key_code=28)
    hub = Buttons.from_settings(settings, Sensors())
    assert [type(s).__name__ for s in hub.sources] == ["ScannerButtons", "KeyEventButton"]
    assert [type(s).__name__ for s in Buttons.from_settings(ScannerSettings(), None).sources] == []
