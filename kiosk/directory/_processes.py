"""Building a ProcessList: one bad process is logged and counted, never hides the good ones."""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.errors import KioskError
from kiosk.psp.model import ProcessList, ScanProcess, SkippedProcess

log = logging.getLogger(__name__)


class ProcessCollector:
    def __init__(self, user_login: str) -> None:
        self.user_login = user_login
        self.ok: list[ScanProcess] = []
        self.skipped: list[SkippedProcess] = []

    def add(self, name: str, where: str, make: Callable[[], ScanProcess]) -> None:
        try:
            self.ok.append(make())
        except KioskError as exc:
            self.left_out(name, where, str(exc))

    def left_out(self, name: str, where: str, reason: str) -> None:
        log.warning("scan process %r (%s) left out for %s: %s", name, where, self.user_login, reason)
        self.skipped.append(SkippedProcess(name, reason))

    def result(self) -> ProcessList:
        ordered = sorted(self.ok, key=lambda p: (p.display_name.casefold(), p.identifier))
        return ProcessList(ok=tuple(ordered), skipped=tuple(self.skipped))
