"""`dsm-kiosk passwd`: make a password hash for the standalone directory file."""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from kiosk.config import Settings
from kiosk.directory.passwords import hash_password
from kiosk.errors import KioskError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("passwd", help="print a password hash for the standalone directory's users")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    parser.add_argument(
        "--kdf", choices=["scrypt", "pbkdf2-sha256"], default="scrypt", help="key derivation (default: scrypt)"
    )
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")
    parser.set_defaults(func=run, needs_config=False)


def read_password(from_stdin: bool, *, confirm: bool) -> str:
    """The password from stdin's first line, or typed twice at a terminal."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if confirm and getpass.getpass("Again: ") != password:
            raise KioskError("the two passwords differ", user_message="The two passwords differ.")
    if not password:
        raise KioskError("empty password", user_message="The password is empty.")
    return password


def run(args: argparse.Namespace, settings: Settings) -> int:
    stored = hash_password(read_password(args.password_stdin, confirm=True), args.kdf)
    print(json.dumps({"password": stored}) if args.json else stored)
    return 0
