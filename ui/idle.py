"""Idle sign-out: any touch or key resets the clock; the last seconds are counted down on screen."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

#: The countdown is shown for this many seconds before sign-out.
COUNTDOWN_SECONDS = 10

_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class IdleWatcher(QObject):
    """Watches the whole application while armed (a user is signed in)."""

    #: Seconds left, emitted each tick during the last COUNTDOWN_SECONDS; -1 when activity hides it.
    countdown = Signal(int)
    expired = Signal()

    def __init__(
        self, timeout_seconds: float, *, clock: Callable[[], float] = time.monotonic, tick_ms: int = 250
    ) -> None:
        super().__init__()
        self.timeout = timeout_seconds
        self._clock = clock
        self._last = clock()
        self._shown = False
        self.armed = False
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.tick)

    def arm(self) -> None:
        self.armed = True
        self.touch()
        self._timer.start()

    def disarm(self) -> None:
        self.armed = False
        self._timer.stop()
        self._hide()

    def touch(self) -> None:
        self._last = self._clock()
        self._hide()

    def remaining(self) -> float:
        return self.timeout - (self._clock() - self._last)

    def tick(self) -> None:
        if not self.armed:
            return
        left = self.remaining()
        if left <= 0:
            self.disarm()
            self.expired.emit()
        elif left <= COUNTDOWN_SECONDS:
            self._shown = True
            self.countdown.emit(int(left + 0.999))

    def _hide(self) -> None:
        if self._shown:
            self._shown = False
            self.countdown.emit(-1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if self.armed and event.type() in _ACTIVITY:
            self.touch()
        return False
