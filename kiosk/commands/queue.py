"""`dsm-kiosk queue [list|resend JOB|delete JOB]`: the spooled jobs and their states."""

from __future__ import annotations

import argparse
import json
import time

from kiosk.config import Settings
from kiosk.jobs.spool import Spool


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("queue", help="list spooled jobs, resend or delete one")
    parser.add_argument("action", nargs="?", choices=["list", "resend", "delete"], default="list")
    parser.add_argument("job", nargs="?", help="job id (resend, delete); a unique prefix is enough")
    parser.set_defaults(func=run)


def _find(spool: Spool, prefix: str) -> str:
    from kiosk.errors import SpoolError

    matches = [j.job_id for j in spool.jobs() if j.job_id.startswith(prefix)]
    if len(matches) != 1:
        raise SpoolError(f"{len(matches)} jobs match {prefix!r}", user_message="Name exactly one job.")
    return matches[0]


def run(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.errors import KioskError

    spool = Spool(settings.resolve_path(settings.spool.directory))
    try:
        if args.action == "list":
            jobs = [j.summary() for j in spool.jobs()]
            if args.json:
                print(json.dumps(jobs))
            else:
                for j in jobs:
                    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(j["created"]))
                    print(
                        f"{j['job_id']}  {when}  {j['state']:<10} {j['user']:<12} {j['process']}  "
                        f"{j['documents_sent']}/{j['documents']} sent  {j['reason'] or ''}".rstrip()
                    )
            return 0
        if not args.job:
            raise KioskError(f"queue {args.action} needs a job id", user_message="Name a job.")
        job_id = _find(spool, args.job)
        if args.action == "resend":
            spool.resend(job_id)  # the delivering process picks it up within a second
        else:
            spool.delete(job_id)
            _forget_history(settings, job_id)
        print(json.dumps({"job_id": job_id, "action": args.action}) if args.json else f"{args.action}: {job_id}")
        return 0
    finally:
        spool.close()


def _forget_history(settings: Settings, job_id: str) -> None:
    """A deleted job leaves My jobs too (the one retention rule)."""
    from kiosk.jobs.history import History

    history = History(settings.resolve_path(settings.spool.state_directory), days=settings.spool.history_days)
    try:
        history.forget(job_id)
    finally:
        history.close()
