"""Keyboard-wedge badge readers: a burst of key presses ending in Enter, faster than any finger.

The panel has no physical keyboard, so key presses come from a reader (or from a developer's
keyboard in windowed mode). A burst is recognised by the gaps between keys; the characters it
typed into a field are reported so the screen can take them back out.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

#: Readers send a key every few milliseconds; people need 80 ms or more between keys.
BURST_GAP_SECONDS = 0.05
MIN_BADGE_LENGTH = 3


class BadgeListener(QObject):
    """Application-wide event filter; emits `badge(text)` for each burst that ends in Enter."""

    badge = Signal(str)

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._clock = clock
        self._buffer: list[str] = []
        self._last = 0.0
        self.enabled = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if not self.enabled or event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.isAutoRepeat() or not _first_receiver(watched):
            return False
        now = self._clock()
        if now - self._last > BURST_GAP_SECONDS:
            self._buffer.clear()
        self._last = now
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            text, self._buffer = "".join(self._buffer), []
            if len(text) >= MIN_BADGE_LENGTH:
                self.badge.emit(text)
                return True  # the Enter belongs to the badge, not to the focused form
            return False
        if event.text() and event.text().isprintable():
            self._buffer.append(event.text())
        return False


def _first_receiver(watched: QObject) -> bool:
    """An application filter sees a key press at the QWindow, the focus widget and each parent it
    propagates to: count it once, at the focus widget (or the window when nothing has focus)."""
    if not isinstance(watched, QWidget):
        return False
    focus = QApplication.focusWidget()
    return watched is focus if focus is not None else watched.isWindow()
