"""Progress of jobs as plain events, for the session and the UI (which turns them into Qt
signals in one place). Callbacks run on the engine's threads and must return quickly."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

#: Event kinds. PAGE_SCANNED carries data["path"], the page file (it is gone once encoded).
PAGE_SCANNED = "page_scanned"
DOCUMENT_STORED = "document_stored"
DOCUMENT_SENT = "document_sent"
#: A multi-page document is being sent while it is written: the pages it held when its
#: SendImage started are on the wire (data["bytes"]).
DOCUMENT_STREAMING = "document_streaming"
STATE = "state"
RETRY = "retry"
ERROR = "error"


@dataclass(frozen=True)
class JobEvent:
    kind: str
    job_id: str
    #: The job's local state after the event (see kiosk.jobs.spool).
    state: str
    user_sid: str = ""
    document_id: int | None = None
    pages: int = 0
    documents: int = 0
    documents_sent: int = 0
    job_token: str | None = None
    #: Short text for the panel (never a password); the detail goes to the log.
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    time: float = field(default_factory=time.time)


Callback = Callable[[JobEvent], None]


class EventHub:
    def __init__(self) -> None:
        self._subscribers: list[Callback] = []
        self._lock = threading.Lock()

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        """Returns the function that unsubscribes."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def emit(self, event: JobEvent) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(event)
            except Exception:  # a broken listener must not stop a delivery
                log.exception("job event listener failed on %s", event.kind)
