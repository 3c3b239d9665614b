"""`dsm-kiosk run-worker`: deliver the spool without a panel (the panel runs the same worker
in-process). Resumes every unfinished job; stops on SIGTERM/SIGINT, or when the spool has
nothing left to do with --exit-when-idle."""

from __future__ import annotations

import argparse
import logging
import signal
import threading

from kiosk.config import Settings
from kiosk.errors import SpoolError
from kiosk.jobs.engine import default_clients
from kiosk.jobs.history import History
from kiosk.jobs.spool import Spool
from kiosk.jobs.worker import Worker

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run-worker", help="deliver spooled jobs (no panel)")
    parser.add_argument("--exit-when-idle", action="store_true", help="exit once every job has reached a final state")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    spool = Spool(settings.resolve_path(settings.spool.directory))
    history = History(settings.resolve_path(settings.spool.state_directory), days=settings.spool.history_days)
    worker = Worker(spool, default_clients(settings), settings.spool, history=history)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    if not worker.start():
        raise SpoolError(f"another process already delivers {spool.root}", user_message="A worker is already running.")
    log.info("delivering %s", spool.root)
    try:
        while not stop.is_set():
            if args.exit_when_idle and worker.idle():
                break
            stop.wait(0.2)
    finally:
        worker.stop()
        spool.close()
        history.close()
    return 0
