"""Render every screen of the panel to PNG (offscreen) for the README: docs/screenshots/.

    python scripts/screenshots.py [--out DIR] [--size 800x480]

The panel runs on the screen tests' fake session (tests/ui/fakes.py), so the pictures show
stable, made-up data; failures are the real ones (kiosk error classes, DSM reason codes) and the
panel words them itself, exactly as on a device.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.config import UiSettings  # noqa: E402
from kiosk.directory.errors import DirectoryUnavailable  # noqa: E402
from kiosk.errors import DeliveryError  # noqa: E402
from kiosk.jobs.events import JobEvent  # noqa: E402
from kiosk.scanner import CoverOpen, DeviceBusy, DeviceGone, FeederEmpty, PaperJam  # noqa: E402
from tests.ui.fakes import FakeSession  # noqa: E402
from ui.theme import theme_for  # noqa: E402
from ui.window import PanelWindow  # noqa: E402


def settle(app: QApplication, condition=lambda: True, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        app.processEvents()
        if condition() or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    for _ in range(5):  # posted LanguageChange and layout events
        app.processEvents()


def make_panel(session: FakeSession, width: int, height: int, **ui_keys) -> PanelWindow:
    ui = UiSettings(width=width, height=height, admin_pin="2468", **ui_keys)
    panel = PanelWindow(session, ui, theme_for(width, height, high_contrast=ui.high_contrast))
    panel.resize(width, height)
    panel.show()
    return panel


def shoot(app: QApplication, panel: PanelWindow, out: Path, name: str) -> None:
    settle(app)
    panel.grab().save(str(out / f"{name}.png"))
    print(out / f"{name}.png")


def sign_in(app: QApplication, panel: PanelWindow, user: str, password: str) -> None:
    panel.sign_in(user, password)
    settle(app, lambda: bool(panel.screens["processes"].tiles))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--size", default="800x480")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        session = FakeSession(Path(tmp))
        panel = make_panel(session, width, height)
        signin = panel.screens["signin"]
        signin.username.setFocus()
        signin.keyboard.type_text("carol")
        shoot(app, panel, out, "01-sign-in")
        signin.password.setText("wrong")
        signin.submit()
        settle(app, lambda: signin.sign_in.isEnabled())
        shoot(app, panel, out, "02-sign-in-wrong-password")

        sign_in(app, panel, "carol", "Carol-pass-3")
        shoot(app, panel, out, "03-processes")
        sales = panel.screens["processes"].tiles[1].process
        panel.choose_process(sales)
        settle(app, lambda: panel.current() == "prepare")
        prepare = panel.screens["prepare"]
        prepare.addresses = ["dave@example.com"]
        prepare.retranslate()
        shoot(app, panel, out, "04-before-scanning")
        prepare._open_mail()
        prepare.keyboard.type_text("erin@exa")
        shoot(app, panel, out, "05-add-recipient")
        prepare.pages.setCurrentIndex(0)

        prepare.start()
        scanning = panel.screens["scanning"]
        settle(app, lambda: panel.current() == "scanning" and not scanning.loading and scanning.pages == 3)
        settle(app, lambda: not scanning.strip.item(2).icon().isNull())
        shoot(app, panel, out, "06-scanning-load-done")
        job_id = panel.job.job_id
        panel.finish_scan()
        settle(app, lambda: panel.screens["delivery"].event is not None)
        session.emit(JobEvent("document_sent", job_id, "Queued", pages=3, documents=3, documents_sent=1))
        shoot(app, panel, out, "07-delivery-sending")
        session.emit(JobEvent("state", job_id, "Completed", pages=3, documents=3, documents_sent=3))
        shoot(app, panel, out, "08-delivered-cue")
        panel.cue.hide()
        # what a scan server reports when the share refuses the file (reason codes, as the spool keeps them)
        session.emit(JobEvent("error", job_id, "Failed", pages=3, message="folder:FileShareAccessDenied"))
        settle(app, lambda: bool(panel.screens["delivery"].reasons_list))
        shoot(app, panel, out, "09-delivery-failed")
        panel.cue.hide()
        panel.open_jobs()
        settle(app, lambda: bool(panel.screens["jobs"].jobs))
        panel.screens["jobs"].list.setCurrentRow(0)
        shoot(app, panel, out, "10-my-jobs")

        problems = {
            "jam": PaperJam("SANE_STATUS_JAMMED"),
            "feeder_empty": FeederEmpty("SANE_STATUS_NO_DOCS"),
            "cover_open": CoverOpen("SANE_STATUS_COVER_OPEN"),
            "busy": DeviceBusy("SANE_STATUS_DEVICE_BUSY"),
            "missing": DeviceGone("no device"),
            "server": DeliveryError("refused", retryable=True),
            "directory": DirectoryUnavailable("ldap://dc1 refused"),
        }
        for i, (kind, error) in enumerate(problems.items(), start=11):
            # the window's own path from an error to its problem screen
            panel.show_problem(error, retry=None if kind == "server" else (lambda: None))
            shoot(app, panel, out, f"{i}-problem-{kind.replace('_', '-')}")
            panel.leave_problem()

        panel.open_jobs()
        settle(app, lambda: bool(panel.screens["jobs"].jobs))
        panel._countdown(7)
        shoot(app, panel, out, "18-idle-countdown")
        panel.sign_out()
        panel.open_service()
        for key in "24":
            panel.screens["service"]._pad(key)
        shoot(app, panel, out, "19-service-pin")
        for key in "68✓":
            panel.screens["service"]._pad(key)
        settle(app, lambda: bool(panel.screens["service"].status))
        shoot(app, panel, out, "20-service")
        panel.close_service()
        panel.close()

        german = make_panel(session, width, height, language="de")
        shoot(app, german, out, "21-sign-in-german")
        german.close()
        contrast = make_panel(session, width, height, high_contrast=True)
        sign_in(app, contrast, "carol", "Carol-pass-3")
        shoot(app, contrast, out, "22-processes-high-contrast")
        contrast.close()
        large = make_panel(session, 1280, 800)
        sign_in(app, large, "carol", "Carol-pass-3")
        shoot(app, large, out, "23-processes-1280x800")
        large.close()

        french = make_panel(session, width, height)
        french.choose_language("fr")
        french.screens["signin"].keyboard.set_target(french.screens["signin"].password)
        french.screens["signin"].username.setText("bob")
        shoot(app, french, out, "24-sign-in-french-keyboard")
        sign_in(app, french, "bob", "Bob-pass-2")
        french.choose_process(french.screens["processes"].tiles[0].process)
        settle(app, lambda: french.current() == "prepare")
        french.screens["prepare"].start()
        settle(app, lambda: french.current() == "scanning" and not french.screens["scanning"].loading)
        french.ask_cancel_scan()
        shoot(app, french, out, "25-cancel-question-french")
        french._answer_no()
        french.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
