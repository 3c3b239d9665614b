"""`dsm-kiosk scan`: the whole chain headless (sign-in, process lookup, scan, delivery), with the
same engine as the panel. Prints a JSON summary; exit 0 only when the job reached Completed
(with --wait) or was stored in the spool (without)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time

from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.jobs import Engine
from kiosk.jobs import spool as sp
from kiosk.jobs.runtime import Timings, open_scanner
from kiosk.session import Session


class JobNotCompleted(KioskError):
    default_user_message = "The job did not complete."
    exit_code = 7
    code = "job_not_completed"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("scan", help="sign in, scan with a scan process and deliver, headless")
    parser.add_argument("--user", required=True, help="sign-in name")
    parser.add_argument("--process", required=True, metavar="DISPLAY NAME", help="scan process to use")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    parser.add_argument("--wait", action="store_true", help="wait for the scan server's end state")
    parser.add_argument(
        "--loads", type=int, default=1, metavar="N", help="feeder loads in this job (like pressing Scan more N-1 times)"
    )
    parser.add_argument("--timeout", type=float, default=None, help="seconds --wait waits at most")
    parser.add_argument(
        "--add-recipient",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="add an e-mail recipient (repeatable), where the process allows it, as the panel does",
    )
    parser.set_defaults(func=run)


def read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if sys.stdin.isatty():
        return getpass.getpass(f"Password for {args.user}: ")
    raise KioskError(
        "no password: use --password-stdin when stdin is not a terminal", user_message="No password given."
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    summary = scan(
        settings,
        args.user,
        read_password(args),
        args.process,
        wait=args.wait,
        loads=args.loads,
        timeout=args.timeout,
        recipients=tuple(args.add_recipient),
    )
    print(json.dumps(summary, indent=None if args.json else 2))
    if args.wait and summary["state"] != sp.COMPLETED:
        return JobNotCompleted.exit_code
    return 0


def scan(
    settings: Settings,
    user: str,
    password: str,
    process_name: str,
    *,
    wait: bool,
    loads: int = 1,
    timeout: float | None = None,
    recipients: tuple[str, ...] = (),
) -> dict:
    """Run one job end to end and return its JSON summary (also used by demo and benchmarks)."""
    timings = Timings()
    scanner = open_scanner(settings)
    engine = Engine(settings, scanner)
    try:
        engine.subscribe(timings)
        session = Session(settings, engine)
        session.sign_in(user, password)
        del password
        proc = session.process(process_name)
        timings.start = time.monotonic()
        job = session.start(proc, addresses=recipients)
        timings.job_id = job.job_id
        pages = 0
        try:
            for _ in range(max(1, loads)):
                pages += job.scan_load()
        finally:
            job.finish()
        session.sign_out()
        scanned = round(time.monotonic() - timings.start, 3)
        # With another process delivering (run-worker), wait_final follows the spool it writes.
        record = engine.wait_final(job.job_id, timeout) if wait else engine.spool.job(job.job_id)
        out = record.summary()
        out.update(
            {
                "pages_scanned": pages,
                "scan_seconds": scanned,
                "timings": timings.marks,
                "delivered_here": engine.delivering,
                "recipients_added": list(recipients),
                # Ticket settings the scanner could not honour, and what it used instead.
                "ticket_adjustments": [
                    {"setting": a.setting, "requested": a.requested, "used": a.used}
                    for a in getattr(job.scan_settings, "adjustments", ())
                ],
            }
        )
        return out
    finally:
        engine.close()
        try:
            scanner.close()
        except KioskError:
            pass
