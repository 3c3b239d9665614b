"""A small in-memory stand-in for kiosk.session.Session, for screen-level tests.

It speaks the same surface the panel uses (see ui.window) and records what it was asked; the
real Session is exercised by the integration flow test.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from kiosk.badge import BadgeNotRecognised, BadgePattern
from kiosk.directory import User
from kiosk.directory.errors import InvalidCredentials
from kiosk.errors import KioskError
from kiosk.jobs.events import JobEvent
from kiosk.psp.model import (
    EmailAddress,
    EmailConfig,
    FileShareConfig,
    Filter,
    MediaSide,
    PostScanInstructions,
    ProcessList,
    Resolution,
    ScanProcess,
    ScanTicket,
    Setting,
    SkippedProcess,
)
from ui.backend import BadgeRead, JobSummary, ScannerState


def process(
    name: str,
    *,
    fmt: str = "pdf-a",
    must_honor_format: bool = False,
    emails: tuple[str, ...] = (),
    can_add: bool = False,
    source: str = "ADF",
) -> ScanProcess:
    filters = [Filter("fsf", FileShareConfig((r"\\files.example.com\scans",)), "<i/>")]
    if emails:
        filters.append(Filter("emlf", EmailConfig(True, tuple(EmailAddress(a, can_add) for a in emails)), "<i/>"))
    ticket = ScanTicket(
        job_name=name,
        job_originating_user_name="alice",
        format=Setting(fmt, must_honor_format),
        input_source=Setting(source),
        media_front=MediaSide(color_processing=Setting("RGB24"), resolution=Setting(Resolution(300, 300))),
    )
    return ScanProcess(
        name, f"id-{name}", "scanserver.example.com", ticket, PostScanInstructions("Scan", tuple(filters))
    )


ALICE = User("S-1-5-21-1-1105", "alice", "Alice Archer", "alice@example.com", "de")
BOB = User("S-1-5-21-1-1106", "bob", "Bob Baker", "bob@example.com", "fr")
CAROL = User("S-1-5-21-1-1107", "carol", "Carol Cooper", "carol@example.com", "en")
USERS = {"alice": ("Alice-pass-1", ALICE), "bob": ("Bob-pass-2", BOB), "carol": ("Carol-pass-3", CAROL)}


def page_image(number: int) -> Image.Image:
    """A small page that looks like text, so thumbnails show something."""
    image = Image.new("RGB", (170, 220), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((14, 14, 110, 26), fill=(40, 40, 40))
    for i in range(12):
        draw.rectangle((14, 40 + i * 13, 156 - (i * 7 + number * 11) % 50, 46 + i * 13), fill=(120, 120, 120))
    return image


class FakeJob:
    """Like kiosk.jobs.ScanJob: scan_load() blocks and returns the pages of one load; each page is
    announced with a page_scanned event carrying its file."""

    def __init__(self, session: FakeSession, job_id: str, name: str) -> None:
        self.session, self.job_id, self.name = session, job_id, name
        self.cancelled = threading.Event()
        self.pages = 0

    def scan_load(self) -> int:
        count = 0
        for _ in range(self.session.pages_per_load):
            if self.cancelled.is_set():
                break
            if self.session.fail_scan is not None:
                error, self.session.fail_scan = self.session.fail_scan, None
                raise error
            self.pages += 1
            count += 1
            path = self.session.folder / f"{self.job_id}-{self.pages}.png"
            page_image(self.pages).save(path)
            self.session.emit(
                JobEvent("page_scanned", self.job_id, "Scanning", pages=self.pages, data={"path": str(path)})
            )
        return count

    def finish(self) -> None:
        self.session.emit(JobEvent("state", self.job_id, "Queued", pages=self.pages, documents=1))

    def cancel(self) -> None:
        self.cancelled.set()
        self.session.emit(JobEvent("state", self.job_id, "Canceled", pages=self.pages))


class FakeSession:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.user: User | None = None
        self.subscribers: list[Any] = []
        self.calls: list[str] = []
        self.badge_only: set[str] = set()
        self.processes = ProcessList(
            ok=(
                process("Scan to my folder"),
                process("Sales contracts", fmt="jfif", emails=("c@example.com",), can_add=True),
                process("Finance invoices", fmt="tiff-multi-g4", must_honor_format=True),
            ),
            skipped=(SkippedProcess("Broken", "not valid XML"),),
        )
        self.state = ScannerState(
            sources=("Platen", "ADF"),
            color_modes=("BlackAndWhite1", "Grayscale8", "RGB24"),
            resolutions=(150, 200, 300, 600),
            formats=("pdf-a", "tiff-multi-g4", "jfif", "png"),
            feeder_loaded=True,
        )
        self.pages_per_load = 3
        self.fail_scan: KioskError | None = None
        self.fail_sign_in: KioskError | None = None
        self.jobs: dict[str, list[JobSummary]] = {}
        self.started: list[tuple[ScanProcess, ScanTicket, tuple[str, ...]]] = []
        self.block = threading.Event()
        self.block.set()

    def subscribe(self, callback) -> None:
        self.subscribers.append(callback)

    def page_thumbnail(self, path: str):
        from ui.thumbnails import read_thumbnail

        return read_thumbnail(path)

    def watch_buttons(self, callback) -> None:
        self.press_button = callback

    def emit(self, event: JobEvent) -> None:
        # Like the engine: the record changes first, then the event goes out.
        for records in self.jobs.values():
            for i, record in enumerate(records):
                if record.job_id == event.job_id:
                    records[i] = replace(
                        record, state=event.state, pages=event.pages, reasons=(event.message,) if event.message else ()
                    )
        for callback in self.subscribers:
            callback(event)

    def sign_in(self, username: str, password: str) -> User:
        self.calls.append(f"sign_in:{username}")
        self.block.wait(10)
        if self.fail_sign_in is not None:
            raise self.fail_sign_in
        expected = USERS.get(username)
        if expected is None or expected[0] != password:
            raise InvalidCredentials(f"bind as {username} refused")
        self.user = expected[1]
        return self.user

    def read_badge(self, text: str) -> BadgeRead:
        """Badges `04<login>99`; the badge alone signs in the logins in `badge_only`."""
        login = BadgePattern(r"04(?P<user>[a-z]+)99").user_for(text)
        if login not in USERS:
            raise BadgeNotRecognised(f"no holder of badge {text!r}")
        self.calls.append(f"badge:{login}")
        if login not in self.badge_only:
            return BadgeRead(login)
        self.user = USERS[login][1]
        return BadgeRead(login, self.user)

    def sign_out(self) -> None:
        self.calls.append("sign_out")
        self.user = None

    def scan_processes(self) -> ProcessList:
        return self.processes

    def scanner_state(self) -> ScannerState:
        return self.state

    def start(self, process: ScanProcess, ticket: ScanTicket, addresses: tuple[str, ...]) -> FakeJob:
        self.started.append((process, ticket, addresses))
        job = FakeJob(self, f"job-{len(self.started)}", process.display_name)
        self.jobs.setdefault(self.user.sid, []).append(
            JobSummary(job.job_id, process.display_name, "Scanning", 0, datetime.now(UTC))
        )
        return job

    def history(self) -> list[JobSummary]:
        return list(self.jobs.get(self.user.sid, [])) if self.user else []

    def job_reasons(self, job_id: str) -> tuple[str, ...]:
        return next(r.reasons for rs in self.jobs.values() for r in rs if r.job_id == job_id)

    def resend(self, job_id: str) -> None:
        self.calls.append(f"resend:{job_id}")
        self.emit(JobEvent("state", job_id, "Queued"))

    def delete(self, job_id: str) -> None:
        self.calls.append(f"delete:{job_id}")
        for records in self.jobs.values():
            records[:] = [r for r in records if r.job_id != job_id]

    def service_status(self):
        return [("Scanner", "test:0 OK"), ("Directory", "OK"), ("Spool", "3 MB used")], ["line one", "line two"]
