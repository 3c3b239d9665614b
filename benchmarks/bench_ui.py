"""Panel figures: start-up to the sign-in screen, and the longest event-loop stall while a
10-page job is scanned, thumbnailed and delivered through the real parts (SANE test device, the
embedded demo directory, the reference scan server on loopback).

    python -m benchmarks ui [--runs N]

Start-up runs in a fresh interpreter (imports included), measured from the parent. The stall is
the longest gap between ticks of a 5 ms timer on the UI thread, minus 5 ms, from the Scan touch
to the job's Completed event; the goal is under 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STARTUP_SNIPPET = """
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from kiosk.config import Settings
from ui.app import application, build_window

class Idle:
    def subscribe(self, callback): pass
    def watch_buttons(self, callback): pass

app = application([sys.argv[0]])
window = build_window(Idle(), Settings())
window.show()
app.processEvents()
assert window.current() == "signin" and window.isVisible()
print("ready", flush=True)
"""


def startup_seconds(runs: int) -> list[float]:
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", STARTUP_SNIPPET], capture_output=True, text=True, env=env, cwd=root, timeout=60
        )
        if "ready" not in out.stdout:
            raise RuntimeError(f"start-up run failed: {out.stderr[-2000:]}")
        times.append(time.perf_counter() - start)
    return times


def longest_stall() -> dict[str, float]:
    from PySide6.QtCore import QElapsedTimer, QTimer

    from hardware import sane_test_device
    from kiosk.config import UiSettings, parse
    from kiosk.directory import demo_directory_path
    from kiosk.jobs import Engine
    from kiosk.jobs.runtime import open_scanner
    from kiosk.session import Session
    from tests.fixtures.scan_server import ScanServer
    from ui.app import application
    from ui.backend import PanelBackend
    from ui.theme import theme_for
    from ui.window import PanelWindow

    app = application()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sane_dir = sane_test_device.write_config(folder / "sane")
        server = ScanServer(folder / "server", shares={"\\\\localhost\\scans": str(folder / "scans")}).start()
        settings = parse(
            {
                "spool": {
                    "directory": str(folder / "spool"),
                    "state_directory": str(folder / "state"),
                    "min_free_mb": 0,
                },
                "directory": {"backend": "local", "local_file": str(demo_directory_path())},
                "scanner": {"device": "test:0", "sane_config_dir": str(sane_dir)},
                "scan_server": {"endpoints": {"localhost": server.endpoint}, "allow_http": True},
            }
        )
        scanner = open_scanner(settings)
        engine = Engine(settings, scanner)
        backend = PanelBackend(Session(settings, engine))
        ui = UiSettings()
        panel = PanelWindow(backend, ui, theme_for(ui.width, ui.height, high_contrast=False))
        panel.resize(ui.width, ui.height)
        panel.show()

        def wait(condition, timeout=60.0):
            deadline = time.monotonic() + timeout
            while not condition():
                if time.monotonic() > deadline:
                    raise TimeoutError("the panel did not get there in time")
                app.processEvents()
                time.sleep(0.001)

        panel.sign_in("demo", "demo")
        wait(lambda: bool(panel.screens["processes"].tiles))
        panel.choose_process(
            next(t.process for t in panel.screens["processes"].tiles if t.process.display_name == "Scan to PDF")
        )  # ADF: ten sheets
        wait(lambda: panel.current() == "prepare")

        gaps: list[float] = []
        clock = QElapsedTimer()
        ticker = QTimer()
        ticker.setInterval(5)

        def tick():
            gaps.append(clock.restart() / 1000.0)

        ticker.timeout.connect(tick)
        clock.start()
        ticker.start()
        started = time.monotonic()
        panel.screens["prepare"].start()
        scanning = panel.screens["scanning"]
        wait(lambda: panel.current() == "scanning" and not scanning.loading and scanning.pages > 0)
        wait(lambda: all(not scanning.strip.item(i).icon().isNull() for i in range(scanning.pages)))
        scanned = time.monotonic() - started
        panel.finish_scan()
        delivery = panel.screens["delivery"]
        wait(lambda: delivery.event is not None and delivery.event.state == "Completed")
        ticker.stop()
        total = time.monotonic() - started
        pages = scanning.pages
        panel.sign_out()
        panel.bridge.shutdown()
        backend.close()
        engine.close()
        scanner.close()
        server.stop()
    stalls = [max(0.0, g - 0.005) for g in gaps[1:]]
    return {
        "longest_stall_ms": max(stalls) * 1000,
        "median_tick_gap_ms": statistics.median(gaps) * 1000,
        "p99_stall_ms": sorted(stalls)[int(len(stalls) * 0.99)] * 1000,
        "ticks": len(gaps),
        "scan_and_thumbnails_s": scanned,
        "scan_to_completed_s": total,
        "pages": pages,
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_ui")
    parser.add_argument("--runs", type=int, default=5, help="start-up runs")
    args = parser.parse_args(argv)
    times = startup_seconds(args.runs)
    print(
        f"start-up to sign-in screen (fresh interpreter, {args.runs} runs): median {statistics.median(times):.3f} s,"
        f" best {min(times):.3f} s, worst {max(times):.3f} s (goal < 1 s)"
    )
    stall = longest_stall()
    print(
        f"{stall['pages']}-page job (SANE test device, ADF, A4 300 dpi colour, PDF/A, reference scan server, "
        f"thumbnails on): longest event-loop stall {stall['longest_stall_ms']:.1f} ms (goal < 50 ms), "
        f"p99 {stall['p99_stall_ms']:.1f} ms, median tick gap {stall['median_tick_gap_ms']:.1f} ms over "
        f"{stall['ticks']} ticks"
    )
    print(
        f"  scan + thumbnails {stall['scan_and_thumbnails_s']:.2f} s, Scan touch to Completed "
        f"{stall['scan_to_completed_s']:.2f} s"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
