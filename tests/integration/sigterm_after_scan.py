"""Run by test_sigterm_after_scan.py in a process of its own: one real scan (SANE test backend)
into a spool, then wait for SIGTERM the way the panel (`panel`) or a headless command with its
own handler (`plain`) does. Prints "scanned <job id>" when the scan is stored."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

from kiosk.config import parse
from kiosk.jobs import Engine
from kiosk.jobs.runtime import open_scanner
from kiosk.psp.model import Setting
from tests.fixtures.jobs_support import User, process


def scan_one(engine: Engine) -> None:
    proc = process(repository="localhost")
    xml = '<psp:PostScanInstructions xmlns:psp="http://schemas.microsoft.com/windows/2008/02/imaging/postscan/psp"/>'
    proc = type(proc)(**{**proc.__dict__, "instructions": type(proc.instructions)("inv", (), xml=xml)})
    ticket = type(proc.ticket)(**{**proc.ticket.__dict__, "input_source": Setting("Platen")})
    job = engine.start(User(), proc, ticket)
    job.scan_load()
    job.finish()
    print("scanned", job.job_id, flush=True)


def main(mode: str, state: Path, sane_dir: str, port: int) -> int:
    settings = parse(
        {
            "scanner": {"device": "test:0", "sane_config_dir": sane_dir},
            "scan_server": {"endpoints": {"localhost": f"http://127.0.0.1:{port}/none"}, "allow_http": True},
            "spool": {
                "directory": str(state / "spool"),
                "state_directory": str(state / "state"),
                "min_free_mb": 0,
                "retry_initial_seconds": 0.2,
                "retry_max_seconds": 1.0,
            },
        }
    )
    scanner = open_scanner(settings)
    engine = Engine(settings, scanner)
    try:
        if mode == "panel":
            from kiosk.commands.panel import serve
            from kiosk.session import Session

            ready = lambda: threading.Thread(target=scan_one, args=(engine,), daemon=True).start()  # noqa: E731
            return serve(Session(settings, engine), settings, kiosk=False, ready=ready)
        stop = threading.Event()
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: stop.set())
        scan_one(engine)
        while not stop.wait(0.2):
            pass
        return 0
    finally:
        engine.close()
        scanner.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])))
