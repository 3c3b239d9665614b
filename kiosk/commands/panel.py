"""`dsm-kiosk panel`: the touch panel (PySide6). Qt is imported only here, when the panel runs,
so the headless commands work on machines without it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kiosk.config import Settings

if TYPE_CHECKING:
    from kiosk.session import Session


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("panel", help="run the touch panel")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--kiosk",
        dest="kiosk",
        action="store_true",
        default=None,
        help="full screen, no decorations, no way out without the administrator PIN",
    )
    mode.add_argument(
        "--windowed", dest="kiosk", action="store_false", help="a [ui] width x height window, for development"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.jobs import Engine
    from kiosk.jobs.runtime import open_scanner
    from kiosk.session import Session

    scanner = open_scanner(settings)
    from kiosk.device import runtime as device_runtime  # the DSM device side, when [device] enabled

    scanner = device_runtime.monitored(settings, scanner)
    engine = Engine(settings, scanner)
    device = device_runtime.start(settings, scanner, engine)  # WS-Discovery, WS-DSD, events
    try:
        return serve(Session(settings, engine), settings, kiosk=args.kiosk)
    finally:
        device.stop()
        engine.close()
        scanner.close()


def serve(session: Session, settings: Settings, *, kiosk: bool | None, ready=None) -> int:
    """Run the panel on `session` until it is left (also used by `dsm-kiosk demo`); `ready()` is
    called once the window shows."""
    from ui.app import run as run_panel
    from ui.backend import PanelBackend

    backend = PanelBackend(session)
    try:
        return run_panel(backend, settings, kiosk=kiosk, ready=ready)
    finally:
        session.sign_out()
        backend.close()
