"""The one place where kiosk/ threads meet Qt.

kiosk/ calls (directory binds, SANE reads, spool queries) run on a small worker pool; their
results, and the engine's JobEvents from whatever thread sends them, come back to the UI thread
as Qt signals. Results are tagged with the session generation they were asked in: after a
sign-out, late answers for the previous user are dropped instead of reaching the next user's
screens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]


class Bridge(QObject):
    #: (callback, value, generation): delivered on the UI thread.
    _deliver = Signal(object, object, int)
    #: A JobEvent from the engine, on the UI thread.
    job_event = Signal(object)
    #: A press of the scanner's own button (hardware.buttons.ButtonEvent), on the UI thread.
    button = Signal(object)

    def __init__(self, workers: int = 3) -> None:
        super().__init__()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kiosk-call")
        self._generation = 0
        self._deliver.connect(self._on_deliver)

    def new_generation(self) -> None:
        """Forget every call still in flight (sign-out): their results will not be delivered."""
        self._generation += 1

    def call(
        self, fn: Callable[..., Any], *args: Any, done: Callback | None = None, failed: Callback | None = None
    ) -> None:
        """Run fn(*args) off the UI thread; done(result) or failed(exception) on the UI thread."""
        generation = self._generation

        def work() -> None:
            try:
                result = fn(*args)
            except Exception as exc:  # every failure reaches the screen that asked
                if failed:
                    log.debug("kiosk call %s failed: %r", getattr(fn, "__name__", fn), exc)
                    self._deliver.emit(failed, exc, generation)
                else:  # nobody shows it: the log is the only trace
                    log.warning("kiosk call %s failed: %r", getattr(fn, "__name__", fn), exc)
                return
            if done:
                self._deliver.emit(done, result, generation)

        self._pool.submit(work)

    def publish(self, event: Any) -> None:
        """Engine subscriber: safe to call from any thread."""
        self.job_event.emit(event)

    def press(self, event: Any) -> None:
        """Button subscriber: safe to call from any thread."""
        self.button.emit(event)

    def shutdown(self) -> None:
        self.new_generation()
        self._pool.shutdown(wait=False, cancel_futures=True)

    @Slot(object, object, int)
    def _on_deliver(self, callback: Callback, value: Any, generation: int) -> None:
        if generation == self._generation:
            callback(value)
