"""The scanner's state and active conditions, as WS-Scan names them, seen from the scans.

`MonitoredScanner` wraps the real scanner (same `Scanner` interface, so the engine and the panel
use it unchanged): a load in progress is Processing; a load that fails with a paper jam, an open
cover or an empty feeder raises that condition and the scanner is Stopped until a later load
delivers a page, which clears every active condition. SANE reports these only when a scan runs,
so that is when the device learns of them (and of their clearing).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.scanner import CoverOpen, FeederEmpty, Page, PaperJam, ScanSettings

log = logging.getLogger("kiosk.device.status")

IDLE, PROCESSING, STOPPED = "Idle", "Processing", "Stopped"

#: Scanner error → (condition Name = ScannerStateReason, Component, Severity).
CONDITIONS: dict[type, tuple[str, str, str]] = {
    PaperJam: ("MediaJam", "ADF", "Critical"),
    CoverOpen: ("CoverOpen", "ADF", "Critical"),
    FeederEmpty: ("InputTrayEmpty", "ADF", "Warning"),
}


@dataclass(frozen=True)
class Condition:
    id: int
    name: str
    component: str
    severity: str
    time: float


@dataclass(frozen=True)
class StatusChange:
    """What listeners get. kind: "state" (state/reasons changed), "condition" (raised),
    "cleared" (condition cleared)."""

    kind: str
    state: str
    reasons: tuple[str, ...]
    condition: Condition | None = None
    time: float = 0.0


Listener = Callable[[StatusChange], None]


class ScannerStatus:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self.state = IDLE
        self.conditions: dict[str, Condition] = {}
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(self.conditions) or ("None",)

    def snapshot(self) -> tuple[str, tuple[str, ...], tuple[Condition, ...]]:
        with self._lock:
            return self.state, self.reasons, tuple(self.conditions.values())

    def _emit(self, changes: list[StatusChange]) -> None:
        # Changes are made and emitted under _lock so listeners see them in the order they happened.
        for change in changes:
            for listener in list(self._listeners):
                try:
                    listener(change)
                except Exception:  # a listener must not break a scan
                    log.exception("scanner status listener failed")

    def _set_state(self, state: str, changes: list[StatusChange], now: float) -> None:
        if state != self.state or changes:
            self.state = state
            changes.append(StatusChange("state", state, self.reasons, time=now))

    def started(self) -> None:
        now = self._clock()
        with self._lock:
            changes: list[StatusChange] = []
            self._set_state(PROCESSING, changes, now)
            self._emit(changes)

    def page_delivered(self) -> None:
        now = self._clock()
        with self._lock:
            if not self.conditions:
                return
            changes = [StatusChange("cleared", PROCESSING, (), c, now) for c in self.conditions.values()]
            self.conditions.clear()
            self._set_state(PROCESSING, changes, now)
            self._emit(changes)

    def failed(self, error: BaseException) -> None:
        now = self._clock()
        found = next((v for k, v in CONDITIONS.items() if isinstance(error, k)), None)
        with self._lock:
            changes: list[StatusChange] = []
            if found is not None and found[0] not in self.conditions:
                condition = Condition(next(self._ids), *found, now)
                self.conditions[condition.name] = condition
                changes.append(StatusChange("condition", STOPPED, self.reasons, condition, now))
            self._set_state(STOPPED if self.conditions else IDLE, changes, now)
            self._emit(changes)

    def ended(self) -> None:
        now = self._clock()
        with self._lock:
            changes: list[StatusChange] = []
            self._set_state(STOPPED if self.conditions else IDLE, changes, now)
            self._emit(changes)


class MonitoredScanner:
    """A `Scanner` that reports what its scans meet to a `ScannerStatus`."""

    def __init__(self, scanner: Any, status: ScannerStatus | None = None) -> None:
        self.inner = scanner
        self.status = status or ScannerStatus()

    def capabilities(self):
        return self.inner.capabilities()

    def resolve(self, ticket):
        return self.inner.resolve(ticket)

    def scan(self, settings: ScanSettings, folder: Path, first_index: int | None = None) -> Iterator[Page]:
        self.status.started()
        try:
            for page in self.inner.scan(settings, folder, first_index):
                self.status.page_delivered()
                yield page
        except Exception as exc:
            self.status.failed(exc)
            raise
        else:
            self.status.ended()
        finally:
            if self.status.state == PROCESSING:  # the caller stopped early (cancel, generator closed)
                self.status.ended()

    def cancel(self) -> None:
        self.inner.cancel()

    def close(self) -> None:
        self.inner.close()

    def __getattr__(self, name: str) -> Any:
        # Driver extras (set_option, read_buttons, device_name…) pass straight through.
        return getattr(self.inner, name)
