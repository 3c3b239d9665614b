"""`dsm-kiosk`: the kiosk and its sub-commands.

One module per sub-command under kiosk/commands/, each with `register(subparsers)` that adds its
parser and sets `func=run`, where `run(args, settings) -> int`. Errors derived from KioskError
become an exit status and, with --json, a JSON error on stdout.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys

from kiosk import __version__, logs
from kiosk import config as config_mod
from kiosk.errors import KioskError

log = logging.getLogger(__name__)

#: Sub-command modules, in the order `--help` lists them.
COMMANDS = [
    "kiosk.commands.demo",
    "kiosk.commands.config_cmd",
    "kiosk.commands.scan",
    "kiosk.commands.queue",
    "kiosk.commands.run_worker",
    "kiosk.commands.passwd",
    "kiosk.commands.processes",
    "kiosk.commands.scan_server",
    "kiosk.commands.enroll",
    "kiosk.commands.scanner_cmd",
    "kiosk.commands.device",
    "kiosk.commands.panel",
    "kiosk.commands.doctor",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dsm-kiosk", description="Open DSM scanner front panel.")
    parser.add_argument("--version", action="version", version=f"dsm-kiosk {__version__}")
    parser.add_argument(
        "--config",
        metavar="PATH",
        help=f"configuration file (default: ${config_mod.ENV_VAR} or {config_mod.DEFAULT_PATH})",
    )
    parser.add_argument("--json", action="store_true", help="print results and errors as JSON")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        # Commands that bring their own settings (demo) say so with needs_config=False.
        if getattr(args, "needs_config", True):
            settings = config_mod.load(args.config)
        else:
            settings = config_mod.Settings()
        logs.setup(settings.log)
        return int(args.func(args, settings) or 0)
    except KioskError as exc:
        if args.json:
            print(json.dumps(exc.to_json()))
        else:
            print(f"dsm-kiosk: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
