"""The scan button: the scanner's own button sensors, and a panel or GPIO key, as one event stream.

Scanner buttons are read-only boolean SANE options (`scan`, `email`, `button`, …) that the backend
updates; they are polled on the scanner's open handle while it is idle (a scan owns the handle,
and nobody presses the button mid-scan anyway). A Raspberry Pi panel button is a key on a Linux
input device (the gpio-keys overlay turns GPIO lines into one), read without extra libraries.
A device with neither gives no events and no errors.
"""

from __future__ import annotations

import logging
import os
import select
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ButtonEvent:
    """A press: `name` of the button, `source` "scanner" or "key"."""

    name: str
    source: str


ButtonCallback = Callable[[ButtonEvent], None]


class ButtonSource(Protocol):
    def start(self, callback: ButtonCallback) -> None: ...

    def stop(self) -> None: ...


class _Reader(Protocol):
    def read_buttons(self) -> dict[str, bool] | None: ...


class ScannerButtons:
    """Polls `scanner.read_buttons()` at `hz` and reports each press (released → pressed) once."""

    #: After a failed read (device absent or busy elsewhere), wait this long before trying again.
    RETRY_SECONDS = 5.0

    def __init__(self, scanner: _Reader, hz: float = 5.0) -> None:
        self._scanner = scanner
        self._interval = 1.0 / hz
        self._last: dict[str, bool] = {}
        self._primed = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poll_once(self) -> list[ButtonEvent] | None:
        """One poll; the presses since the last one, or None when the buttons could not be read."""
        state = self._scanner.read_buttons()
        if state is None:
            return None
        # A button already down at the first read is not a press: wait for its release.
        presses = [
            ButtonEvent(name, "scanner")
            for name, down in state.items()
            if down and self._primed and not self._last.get(name, False)
        ]
        self._primed, self._last = True, dict(state)
        return presses

    def start(self, callback: ButtonCallback) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(callback,), name="scanner-buttons", daemon=True)
        self._thread.start()

    def _run(self, callback: ButtonCallback) -> None:
        while not self._stop.is_set():
            presses = self.poll_once()
            for event in presses or ():
                try:
                    callback(event)
                except Exception:
                    log.exception("button callback failed")
            self._stop.wait(self._interval if presses is not None else self.RETRY_SECONDS)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None


# struct input_event: struct timeval (two longs), __u16 type, __u16 code, __s32 value
_EVENT = struct.Struct("llHHi")
EV_KEY = 1
KEY_PRESS = 1


class KeyEventButton:
    """A key on a Linux input device (evdev), e.g. a gpio-keys panel button; `key_code` from
    linux/input-event-codes.h (KEY_SCAN = 217)."""

    def __init__(self, path: str, key_code: int = 217, name: str = "panel") -> None:
        self._path = path
        self._code = key_code
        self._name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        #: Why the button is off (the device cannot be opened or read); None while it works.
        self.problem: str | None = None
        #: Set once the device was opened, or found unusable: the button's state is known.
        self.settled = threading.Event()

    def start(self, callback: ButtonCallback) -> None:
        self._stop.clear()
        self.settled.clear()
        self._thread = threading.Thread(target=self._run, args=(callback,), name="key-button", daemon=True)
        self._thread.start()

    def _run(self, callback: ButtonCallback) -> None:
        try:
            fd = os.open(self._path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError as exc:
            self.problem = f"button device {self._path} cannot be opened: {exc.strerror}"
            log.warning("%s; the panel button is off", self.problem)
            self.settled.set()
            return
        self.settled.set()
        pending = b""
        try:
            while not self._stop.is_set():
                ready, _, _ = select.select([fd], [], [], 0.2)  # wakes up to notice stop()
                if not ready:
                    continue
                try:
                    chunk = os.read(fd, _EVENT.size * 16)
                except BlockingIOError:
                    continue
                except OSError as exc:
                    self.problem = f"button device {self._path}: {exc.strerror}"
                    log.warning("%s; the panel button is off", self.problem)
                    return
                if not chunk:  # the writer went away (a FIFO), or the device was removed
                    self._stop.wait(0.2)
                    continue
                pending += chunk
                while len(pending) >= _EVENT.size:
                    _sec, _usec, kind, code, value = _EVENT.unpack_from(pending)
                    pending = pending[_EVENT.size :]
                    if kind == EV_KEY and code == self._code and value == KEY_PRESS:
                        try:
                            callback(ButtonEvent(self._name, "key"))
                        except Exception:
                            log.exception("button callback failed")
        finally:
            os.close(fd)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None


def key_event(code: int, value: int = KEY_PRESS) -> bytes:
    """One EV_KEY input_event record (what the kernel writes; used to drive a FIFO in tests)."""
    return _EVENT.pack(0, 0, EV_KEY, code, value)


class Buttons:
    """Every configured button source behind one start/stop."""

    def __init__(self, sources: list[ButtonSource]) -> None:
        self.sources = sources

    @classmethod
    def from_settings(cls, settings, scanner: _Reader | None) -> Buttons:
        """`settings`: the [scanner] section."""
        sources: list[ButtonSource] = []
        if scanner is not None:
            sources.append(ScannerButtons(scanner, settings.button_poll_hz))
        if settings.button_event_device:
            sources.append(KeyEventButton(settings.button_event_device, settings.button_key_code))
        return cls(sources)

    def start(self, callback: ButtonCallback) -> None:
        for source in self.sources:
            source.start(callback)

    def stop(self) -> None:
        for source in self.sources:
            source.stop()
