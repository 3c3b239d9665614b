"""`dsm-kiosk panel`: the touch panel (PySide6). Qt is imported only here, when the panel runs,
so the headless commands work on machines without it."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from kiosk import config as config_mod
from kiosk.config import Settings
from kiosk.errors import ConfigError

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
    # The panel loads the file itself: a missing or broken one gets the "not configured" screen.
    parser.set_defaults(func=run, needs_config=False)


def run(args: argparse.Namespace, settings: Settings) -> int:
    settings, problems = _load(args.config)
    if problems:
        from ui.screens.not_configured import run as not_configured

        return not_configured(problems, settings, _config_path(args.config), kiosk=args.kiosk)
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


def _config_path(path: str | None) -> str:
    return str(path or os.environ.get(config_mod.ENV_VAR) or config_mod.DEFAULT_PATH)


def _load(path: str | None) -> tuple[Settings, list[str]]:
    """The settings, and why they cannot serve users yet (kiosk.commands.doctor)."""
    from kiosk import logs
    from kiosk.commands.doctor import configuration_problems

    try:
        settings = config_mod.load(path)
    except ConfigError as exc:
        return Settings(), [str(exc)]
    logs.setup(settings.log)
    return settings, configuration_problems(settings)


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
