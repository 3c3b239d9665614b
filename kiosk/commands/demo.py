"""`dsm-kiosk demo`: the whole headless chain on embedded defaults, with no set-up beyond
`make demo`.

Everything lives under ./.demo (or --state-dir): a kiosk.toml written for the demo, a private
SANE configuration that enables the SANE `test` device, the spool, and the reference scan server
(started here on 127.0.0.1, its file share `\\\\localhost\\scans` mapped to .demo/scans). The demo
signs in as the embedded directory's demo user, scans one job with "Scan to PDF", delivers it,
prints where the files landed, stops the server and exits 0 when the job reached Completed.

With a display (X11, Wayland, or a framebuffer platform), or with --panel, it opens the touch
panel on the same parts instead, windowed: sign in as a demo user, scan, and the files land in
.demo/scans; closing the window ends the demo.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from kiosk import config as config_mod
from kiosk.config import Settings
from kiosk.drivers import demo_device
from kiosk.errors import DeliveryError

DEMO_USER = "demo"
DEMO_PASSWORD = "demo"  # the embedded demo directory's published demo password
DEMO_PROCESS = "Scan to PDF"
SHARE = "\\\\localhost\\scans"
SERVICE_ID = "978e9349-e854-444f-87a6-1946553e14a6"
#: The demo panel's service-screen PIN (printed when the panel opens; demo only).
DEMO_PIN = "1234"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="run the kiosk on embedded demo defaults")
    parser.add_argument("--state-dir", default=".demo", help="where the demo keeps its files (default: .demo)")
    parser.add_argument("--process", default=DEMO_PROCESS, help=f"demo scan process (default: {DEMO_PROCESS!r})")
    parser.add_argument("--high-contrast", action="store_true", help="show the panel's high-contrast theme")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--panel",
        dest="panel",
        action="store_true",
        default=None,
        help="open the touch panel (default when a display is present)",
    )
    mode.add_argument(
        "--headless",
        dest="panel",
        action="store_false",
        help="scan one job without the panel (default without a display)",
    )
    parser.set_defaults(func=run, needs_config=False)


def display_present(env: dict[str, str]) -> bool:
    """Whether Qt can show a window here: a framebuffer platform, or X11/Wayland not overridden
    by an off-screen platform (the tests set QT_QPA_PLATFORM=offscreen)."""
    platform = env.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform in ("eglfs", "linuxfb", "vnc"):
        return True
    if platform in ("offscreen", "minimal"):
        return False
    return bool(env.get("WAYLAND_DISPLAY") or env.get("DISPLAY"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _toml_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


class DemoScanServer:
    """The reference scan server as a child process on loopback."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.scans = state / "scans"
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}/ScanServer/{SERVICE_ID}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 20.0) -> DemoScanServer:
        from kiosk.directory import demo_directory_path

        self.scans.mkdir(parents=True, exist_ok=True)
        conf = self.state / "scan-server.toml"
        conf.write_text(
            f'host = "127.0.0.1"\nport = {self.port}\nstate_dir = {_toml_str(str(self.state / "scan-server"))}\n'
            # Plain HTTP on loopback; the processes and users still come from the demo directory.
            "insecure_lab_mode = true\n"
            f'[directory]\nbackend = "local"\nlocal_file = {_toml_str(str(demo_directory_path()))}\n'
            f"[shares]\n{_toml_str(SHARE)} = {_toml_str(str(self.scans))}\n"
        )
        log = (self.state / "scan-server.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dsm_server", "--config", str(conf)], stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise DeliveryError(
                    f"the demo scan server exited with {self.process.returncode}; see {self.state / 'scan-server.log'}",
                    retryable=False,
                )
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise DeliveryError(f"the demo scan server did not listen within {timeout:.0f} s", retryable=False)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def write_config(state: Path, endpoint: str, *, high_contrast: bool = False) -> Path:
    from kiosk.directory import demo_directory_path

    sane_dir = demo_device("sane-test")(state / "sane")
    path = state / "kiosk.toml"
    path.write_text(
        "# Written by `dsm-kiosk demo`; rewritten at every run.\n"
        f'[directory]\nbackend = "local"\nlocal_file = {_toml_str(str(demo_directory_path()))}\n\n'
        f'[scanner]\ndevice = "test:0"\nsane_config_dir = {_toml_str(str(sane_dir))}\n\n'
        f"[scan_server]\nallow_http = true\n[scan_server.endpoints]\nlocalhost = {_toml_str(endpoint)}\n\n"
        f"[spool]\ndirectory = {_toml_str(str(state / 'spool'))}\nstate_directory = {_toml_str(str(state / 'state'))}\n"
        "min_free_mb = 50\nretry_initial_seconds = 0.5\nretry_max_seconds = 5.0\n\n"
        f"[ui]\nadmin_pin = {_toml_str(DEMO_PIN)}\nhigh_contrast = {'true' if high_contrast else 'false'}\n"
    )
    return path


def run(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.commands.scan import scan

    state = Path(args.state_dir).resolve()
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o700)
    panel = args.panel if args.panel is not None else display_present(dict(os.environ))
    if panel:
        # Until the panel's own handler is in place, SIGTERM still stops the scan server below.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    server = DemoScanServer(state).start()
    try:
        demo_settings = config_mod.load(
            write_config(state, server.endpoint, high_contrast=bool(getattr(args, "high_contrast", False)))
        )
        if panel:
            return run_panel(demo_settings, server)
        before = {p for p in server.scans.rglob("*") if p.is_file()}
        summary = scan(demo_settings, DEMO_USER, DEMO_PASSWORD, args.process, wait=True, timeout=300)
        landed = sorted(str(p) for p in server.scans.rglob("*") if p.is_file() and p not in before)
    finally:
        server.stop()
    summary["files"] = landed
    if args.json:
        print(json.dumps(summary))
    else:
        print(
            f"demo: {summary['pages_scanned']} pages scanned as {DEMO_USER!r} with {args.process!r}; "
            f"job {summary['job_token']} {summary['state']} on the scan server"
        )
        for path in landed:
            print(f"  {path}")
    return 0 if summary["state"] == "Completed" else 7


def run_panel(settings: Settings, server: DemoScanServer) -> int:
    """The touch panel on the demo's parts, until its window is closed (or SIGTERM/Ctrl+C)."""
    from kiosk.commands.panel import serve
    from kiosk.jobs import Engine
    from kiosk.jobs.runtime import open_scanner
    from kiosk.session import Session

    scanner = open_scanner(settings)
    engine = Engine(settings, scanner)

    def ready() -> None:
        print(
            f"demo: the panel is open. Sign in as demo/demo (also anna/anna, ben/ben); the scanned "
            f"files land in {server.scans}. Service screen PIN: {DEMO_PIN}. High contrast: "
            f"make demo DEMO_ARGS=--high-contrast",
            flush=True,
        )

    try:
        status = serve(Session(settings, engine), settings, kiosk=False, ready=ready)
    finally:
        engine.close()
        scanner.close()
    landed = sorted(str(p) for p in server.scans.rglob("*") if p.is_file())
    print(f"demo: {len(landed)} file(s) in {server.scans}")
    return status
