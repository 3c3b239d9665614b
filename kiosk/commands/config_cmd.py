"""`dsm-kiosk config check|show`: validate the configuration file, or print it with defaults."""

from __future__ import annotations

import argparse
import json

from kiosk.config import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("config", help="check the configuration file or show it with defaults")
    parser.add_argument("action", choices=["check", "show"])
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "check":
        print(json.dumps({"ok": True, "source": settings.source}) if args.json else f"{settings.source}: OK")
    else:
        print(json.dumps(settings.model_dump(), indent=2))
    return 0
