"""Runs inside a target root with the installed package: starts `dsm-kiosk panel` on Qt's
offscreen platform, waits for its first screen and prints it as JSON. With `sigterm`, the panel is
then stopped the way systemd stops it (SIGTERM to the process) and its exit status is reported.

    python3 first_screen.py report|sigterm [dsm-kiosk options...]
"""

import json
import os
import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from kiosk.cli import main
from ui.app import application

mode, options = sys.argv[1], sys.argv[2:]
app = application()
seen = {}


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
        else:
            app.exit(0)
        return


timer = QTimer()
timer.timeout.connect(poll)
timer.start(100)
status = main([*options, "panel"])
print(json.dumps({"status": status, **seen}))
sys.exit(0)
