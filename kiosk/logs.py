"""Logging set-up. Logs go to stderr or journald; never a password, never image bytes."""

from __future__ import annotations

import logging
import sys

from kiosk.config import LogSettings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup(settings: LogSettings) -> None:
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    handler: logging.Handler | None = None
    if settings.destination == "journald":
        try:  # python-systemd is optional: it exists on the device image, not in every venv
            from systemd.journal import JournalHandler  # type: ignore[import-not-found]

            handler = JournalHandler(SYSLOG_IDENTIFIER="dsm-kiosk")
            handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        except ImportError:
            handler = None
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(settings.level)
