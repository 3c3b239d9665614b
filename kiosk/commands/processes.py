"""`dsm-kiosk processes --user NAME`: sign in as the user and list their scan processes."""

from __future__ import annotations

import argparse
import json
from typing import Any

from kiosk.commands.passwd import read_password
from kiosk.config import Settings
from kiosk.directory import open_directory
from kiosk.psp.model import EmailConfig, FileShareConfig, ScanProcess, SharePointConfig


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("processes", help="sign in as a user and list the user's scan processes")
    parser.add_argument("--user", required=True, metavar="NAME", help="sign-in name")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")
    parser.set_defaults(func=run)


def _value(setting: Any) -> Any:
    return None if setting is None else setting.value


def summary(process: ScanProcess) -> dict[str, Any]:
    t = process.ticket
    front = t.media_front
    resolution = _value(front.resolution) if front else None
    destinations: list[str] = []
    for f in process.instructions.filters:
        if isinstance(f.config, FileShareConfig):
            destinations += list(f.config.share_uncs)
        elif isinstance(f.config, EmailConfig):
            destinations += [a.address for a in f.config.addresses]
        elif isinstance(f.config, SharePointConfig):
            destinations += list(f.config.site_urls) + (["MySite"] if f.config.save_to_my_site else [])
        else:
            destinations.append(f.dialect)
    return {
        "name": process.display_name,
        "identifier": process.identifier,
        "scan_repository": process.scan_repository,
        "server_name": process.server_name,
        "format": _value(t.format),
        "input_source": _value(t.input_source),
        "color_processing": _value(front.color_processing) if front else None,
        "resolution": resolution.width if resolution else None,
        "document_root_name": process.instructions.document_root_name,
        "destinations": destinations,
        "fixed": sorted(
            name
            for name in ("format", "input_source", "content_type", "rotation")
            if getattr(t, name) is not None and getattr(t, name).must_honor
        ),
    }


def run(args: argparse.Namespace, settings: Settings) -> int:
    password = read_password(args.password_stdin, confirm=False)
    with open_directory(settings.directory, settings).sign_in(args.user, password) as session:
        result = session.scan_processes()
        user = session.user
    rows = [summary(p) for p in result.ok]
    if getattr(args, "json", False):
        print(
            json.dumps(
                {
                    "user": {
                        "login": user.login,
                        "sid": user.sid,
                        "display_name": user.display_name,
                        "mail": user.mail,
                        "language": user.language,
                        "dn": user.dn,
                    },
                    "processes": rows,
                    "skipped": [{"name": s.name, "reason": s.reason} for s in result.skipped],
                },
                indent=2,
            )
        )
        return 0
    print(f"{user.display_name} ({user.login}, {user.sid}): {len(rows)} scan process(es)")
    for row in rows:
        dpi = f"{row['resolution']} dpi" if row["resolution"] else "default dpi"
        settings_text = ", ".join(str(v) for v in (row["format"], row["input_source"], row["color_processing"]) if v)
        print(f"  {row['name']}  [{row['identifier']}]")
        print(f"    server {row['scan_repository']}; {settings_text or 'scanner defaults'}, {dpi}")
        print(f"    to {', '.join(row['destinations'])} as {row['document_root_name']}")
    if result.skipped:
        print(f"{len(result.skipped)} scan process(es) left out:")
        for skipped in result.skipped:
            print(f"  {skipped.name}: {skipped.reason}")
    return 0
