"""Panel figures: start-up to the sign-in screen, and the longest event-loop stall while a
10-page job is scanned, thumbnailed and delivered.

    python -m benchmarks ui [--pages N] [--dpi D]

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
        out = subprocess.run([sys.executable, "-c", STARTUP_SNIPPET], capture_output=True, text=True, env=env,
                             cwd=root, timeout=60)
        if "ready" not in out.stdout:
            raise RuntimeError(f"start-up run failed: {out.stderr[-2000:]}")
        times.append(time.perf_counter() - start)
    return times


class PageScanner:
    """Yields `pages` real PNG pages (A4 at `dpi`) per load, like a scanner writing files."""

    def __init__(self, folder: Path, pages: int, dpi: int) -> None:
        from PIL import Image, ImageDraw

        width, height = round(8.27 * dpi), round(11.69 * dpi)
        image = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(image)
        for i in range(40):
            draw.rectangle((dpi // 2, dpi + i * dpi // 4, width - dpi // 2 - (i * 37) % (width // 3), dpi + i * dpi // 4 + dpi // 12),
                           fill=(60, 60, 60))
        self.template = folder / "template.png"
        image.save(self.template)
        self.pages = pages

    def capabilities(self):
        from hardware.scanner import Capabilities

        return Capabilities(device="bench", sources=("ADF",), color_modes=("RGB24",), resolutions=(300,))

    def resolve(self, ticket):
        return {"source": "ADF"}

    def scan(self, settings, folder):
        import shutil
        from dataclasses import dataclass

        @dataclass(frozen=True)
        class Page:
            path: Path
            number: int

        for n in range(1, self.pages + 1):
            target = Path(folder) / f"page-{n}.png"
            shutil.copyfile(self.template, target)
            time.sleep(0.05)  # a fast feeder: 20 pages a minute would be 3 s each
            yield Page(target, n)

    def cancel(self):
        pass

    def read_buttons(self):
        return None

    def close(self):
        pass


def longest_stall(pages: int, dpi: int) -> dict[str, float]:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.config import UiSettings, parse
    from kiosk.directory import demo_directory_path
    from kiosk.jobs import Engine
    from kiosk.session import Session
    from tests.fixtures.jobs_fakes import FakeEncoder, FakeServer
    from ui.backend import PanelBackend
    from ui.theme import theme_for
    from ui.window import PanelWindow

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = parse({"spool": {"directory": str(folder / "spool"), "state_directory": str(folder / "state"),
                                    "min_free_mb": 0},
                          "directory": {"backend": "local", "local_file": str(demo_directory_path())}})
        server = FakeServer()
        engine = Engine(settings, PageScanner(folder, pages, dpi), clients=server.client, encoder_factory=FakeEncoder)
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
        panel.choose_process(panel.screens["processes"].tiles[0].process)
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
        wait(lambda: panel.current() == "scanning" and not scanning.loading and scanning.pages == pages)
        wait(lambda: all(not scanning.strip.item(i).icon().isNull() for i in range(pages)))
        scanned = time.monotonic() - started
        panel.finish_scan()
        delivery = panel.screens["delivery"]
        wait(lambda: delivery.event is not None and delivery.event.state == "Completed")
        ticker.stop()
        total = time.monotonic() - started
        panel.sign_out()
        panel.bridge.shutdown()
        backend.close()
        engine.close()
    stalls = [max(0.0, g - 0.005) for g in gaps[1:]]
    return {"longest_stall_ms": max(stalls) * 1000, "median_tick_gap_ms": statistics.median(gaps) * 1000,
            "p99_stall_ms": sorted(stalls)[int(len(stalls) * 0.99)] * 1000, "ticks": len(gaps),
            "scan_and_thumbnails_s": scanned, "scan_to_completed_s": total}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_ui")
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5, help="start-up runs")
    args = parser.parse_args(argv)
    times = startup_seconds(args.runs)
    print(f"start-up to sign-in screen (fresh interpreter, {args.runs} runs): median {statistics.median(times):.3f} s,"
          f" best {min(times):.3f} s, worst {max(times):.3f} s (goal < 1 s)")
    stall = longest_stall(args.pages, args.dpi)
    print(f"{args.pages}-page job, A4 {args.dpi} dpi PNG pages, thumbnails on: longest event-loop stall "
          f"{stall['longest_stall_ms']:.1f} ms (goal < 50 ms), p99 {stall['p99_stall_ms']:.1f} ms, "
          f"median tick gap {stall['median_tick_gap_ms']:.1f} ms over {stall['ticks']} ticks")
    print(f"  scan + thumbnails {stall['scan_and_thumbnails_s']:.2f} s, Scan touch to Completed "
          f"{stall['scan_to_completed_s']:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
