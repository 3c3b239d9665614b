"""Runs inside a target root with the installed package: starts `dsm-kiosk panel` on Qt's
offscreen platform, waits for its first screen and prints it as JSON.

    python3 first_screen.py report|sigterm|scan-sigterm [dsm-kiosk options...]

`sigterm`: the panel is then stopped the way systemd stops it (SIGTERM to the process) and its
exit status is reported. `scan-sigterm`: the same after one page scanned on a worker thread with
the panel's own scanner (SANE has started and read a page), the moment the issue names.
"""

import json
import os
import signal
import sys
import tempfile
import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

import kiosk.jobs.runtime as runtime
from kiosk.cli import main
from ui.app import application

mode, options = sys.argv[1], sys.argv[2:]
app = application()
seen = {}
opened = []
open_scanner = runtime.open_scanner


def capture(settings):
    scanner = open_scanner(settings)
    opened.append(scanner)
    return scanner


runtime.open_scanner = capture


def scan_one_page() -> None:
    from kiosk.psp.model import MediaSide, Resolution, ScanTicket, Setting

    scanner = opened[0]
    ticket = ScanTicket(
        job_name="proof",
        job_originating_user_name="dsm-kiosk",
        format=Setting("jfif", False),
        input_source=Setting("Platen", False),
        media_front=MediaSide(color_processing=Setting("RGB24", False), resolution=Setting(Resolution(100), False)),
    )
    try:
        pages = list(scanner.scan(scanner.resolve(ticket), tempfile.mkdtemp()))
        seen["pages_scanned"] = len(pages)
    except Exception as exc:  # reported, not raised: the SIGTERM check still runs
        seen["scan_error"] = repr(exc)
    os.kill(os.getpid(), signal.SIGTERM)


def poll() -> None:
    for window in app.topLevelWidgets():
        if not window.isVisible():
            continue
        current = window.current() if hasattr(window, "current") else window.objectName()
        if not current:
            continue
        seen["window"] = type(window).__name__
        seen["screen"] = current
        seen["texts"] = [w.text() for w in window.findChildren(QLabel) if w.isVisible() and w.text()]
        timer.stop()
        if mode == "sigterm":
            # Give the panel's workers time to open the scanner (SANE) first, as in real use.
            QTimer.singleShot(2000, lambda: os.kill(os.getpid(), signal.SIGTERM))
        elif mode == "scan-sigterm":
            QTimer.singleShot(2000, lambda: threading.Thread(target=scan_one_page, daemon=True).start())
        else:
            app.exit(0)
        return


timer = QTimer()
timer.timeout.connect(poll)
timer.start(100)
status = main([*options, "panel"])
print(json.dumps({"status": status, **seen}))
sys.exit(0)
