"""What the panel asks of kiosk/, in the shape its screens use: a thin adapter over
kiosk.session.Session and its Engine. Every method here runs on a Bridge worker, never on the
UI thread; nothing here decides anything the session or the engine does not."""

from __future__ import annotations

import collections
import logging
import os
import re
import shutil
import socket
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from PySide6.QtGui import QImage

from hardware.buttons import Buttons
from kiosk import __version__
from kiosk.directory.errors import BadgeSignInRefused
from kiosk.errors import KioskError
from kiosk.imaging import SUPPORTED_FORMATS
from kiosk.psp.model import NS_EMLF, NS_FSF, NS_SPF, ScanProcess, ScanTicket
from ui.thumbnails import read_thumbnail

if TYPE_CHECKING:  # kiosk.jobs pulls in the whole engine, which the panel's start-up does not need
    from kiosk.jobs.events import JobEvent

#: Destination kinds of the filter dialects, for the per-destination reasons (ui.words).
_DIALECTS = {NS_FSF: "folder", NS_SPF: "sharepoint", NS_EMLF: "email"}
#: Resolutions offered when the device gives a range rather than a list.
COMMON_RESOLUTIONS = (100, 150, 200, 300, 400, 600)
#: SANE sensor names that say whether paper is in the feeder (not buttons a user presses).
PAPER_SENSORS = ("page-loaded", "document-loaded", "paper-loaded", "adf-loaded", "hopper")
#: Lines of log the service screen shows.
LOG_LINES = 200


@dataclass(frozen=True)
class BadgeRead:
    """A recognised badge: its holder's login, and the User when the badge alone signed them in."""

    login: str
    user: Any = None


@dataclass(frozen=True)
class ScannerState:
    """What the scanner offers, in ticket values, for the settings screen."""

    sources: tuple[str, ...]
    color_modes: tuple[str, ...]
    resolutions: tuple[int, ...]
    formats: tuple[str, ...]
    #: None when the device cannot tell.
    feeder_loaded: bool | None


@dataclass(frozen=True)
class JobSummary:
    job_id: str
    name: str
    state: str
    pages: int
    created: datetime
    documents: int = 0
    documents_sent: int = 0
    #: Reason codes (ui.words.reason_text) of a failed or troubled job.
    reasons: tuple[str, ...] = ()
    #: Not final and the last attempt failed: waiting for the scan server to retry.
    waiting: bool = False


def scanner_state(caps: Any, feeder_loaded: bool | None = None) -> ScannerState:
    """The settings screen's view of a scanner's Capabilities (kiosk.scanner)."""
    resolutions = caps.resolutions or tuple(r for r in COMMON_RESOLUTIONS if caps.resolution_supported(r))
    return ScannerState(
        sources=caps.sources,
        color_modes=caps.color_modes,
        resolutions=tuple(resolutions),
        formats=SUPPORTED_FORMATS,  # the one list: what kiosk.imaging writes
        feeder_loaded=feeder_loaded,
    )


# DSM FilterState values that are no problem to report (a finished filter says
# "CompletedSuccessfully"; there is no bare "Completed" filter state).
_GOOD_FILTER_STATES = frozenset({"", "Pending", "Processing", "CompletedSuccessfully"})
_GOOD_JOB_REASONS = frozenset({"None", "PostScanJobCompletedSuccessfully"})


#: Kiosk-side reasons (free text in the spool) by how they begin, as reason codes for ui.words.
_KIOSK_REASONS = {"scan interrupted": "kiosk:interrupted", "the scan server ended the job early": "kiosk:restarted"}
_TOKEN = re.compile(r"^[A-Za-z]\w*(?::[\w.\-]+)?$")


def reasons(row: dict[str, Any]) -> tuple[str, ...]:
    """Reason codes (ui.words turns them into sentences): the job's DSM JobStateReasons, each
    failed destination's "<kind>:<FilterStateReason>", and "kiosk:<what>" for the kiosk's own."""
    found: list[str] = []

    def add(code: str) -> None:
        if code and code not in found and code not in _GOOD_JOB_REASONS:
            found.append(code)

    reason = (row.get("reason") or "").strip()
    if reason:
        kiosk = next((code for start, code in _KIOSK_REASONS.items() if reason.startswith(start)), None)
        parts = [p.strip() for p in reason.split(",")]
        if kiosk:
            add(kiosk)
        elif all(_TOKEN.match(p) for p in parts):
            for part in parts:
                add(part)
        else:
            add("kiosk:other")
    for code in row.get("job_state_reasons") or ():
        add(code)
    for status in row.get("filter_statuses") or ():
        if status.get("state") not in _GOOD_FILTER_STATES or status.get("reasons"):
            kind = _DIALECTS.get(status.get("dialect", ""), "other")
            for code in status.get("reasons") or [status.get("state", "")]:
                add(f"{kind}:{code}")
    return tuple(found)


def reachable(url: str, timeout: float) -> str:
    """Whether a TCP connection to the URL's host and port opens (a live check for the service screen)."""
    parts = urlsplit(url)
    default = {"ldap": 389, "ldaps": 636, "http": 80, "https": 443}.get(parts.scheme, 0)
    try:
        with socket.create_connection((parts.hostname or "", parts.port or default), timeout=min(timeout, 3.0)):
            return "reachable"
    except OSError as exc:
        return f"NOT reachable ({exc.strerror or exc})"


def certificate_expiry(path: Path, now: datetime | None = None) -> str:
    """When the first certificate in a PEM file expires, and in how many days."""
    from cryptography import x509  # only the service screen needs it: not at start-up

    try:
        cert = x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError) as exc:
        return f"cannot read {path}: {exc}"
    ends = cert.not_valid_after_utc
    days = (ends - (now or datetime.now(UTC))).days
    return f"{path.name}: expires {ends:%Y-%m-%d} ({'EXPIRED' if days < 0 else f'{days} days left'})"


class LogTail(logging.Handler):
    """Keeps the last lines of the kiosk's log for the service screen."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: collections.deque[str] = collections.deque(maxlen=LOG_LINES)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class PanelBackend:
    def __init__(self, session: Any) -> None:
        self.session = session
        self.engine = session.engine
        self.log_tail = LogTail()
        logging.getLogger().addHandler(self.log_tail)
        self.buttons: Buttons | None = None
        # Beside the spool's jobs (same file system, for hard links), private like them.
        self.thumbnails = self.engine.spool.root / "panel-thumbnails"
        shutil.rmtree(self.thumbnails, ignore_errors=True)
        self.thumbnails.mkdir(mode=0o700)

    def close(self) -> None:
        if self.buttons is not None:
            self.buttons.stop()
        shutil.rmtree(self.thumbnails, ignore_errors=True)
        logging.getLogger().removeHandler(self.log_tail)

    def watch_buttons(self, callback: Any) -> None:
        """The scanner's own button and a panel/GPIO key ([scanner] button_*) call `callback`."""
        if self.buttons is not None:  # a second window on this backend: one watcher, not two
            self.buttons.stop()
        self.buttons = Buttons.from_settings(self.session.settings.scanner, self.engine.scanner)
        self.buttons.start(callback)

    # -- people ---------------------------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> Any:
        return self.session.sign_in(username, password)

    def read_badge(self, text: str) -> BadgeRead:
        login = self.session.find_badge(text)
        try:
            return BadgeRead(login, self.session.sign_in_badge(login))
        except BadgeSignInRefused:
            return BadgeRead(login)

    def sign_out(self) -> None:
        self.session.sign_out()

    def scan_processes(self) -> Any:
        return self.session.processes()

    # -- scanning -------------------------------------------------------------------------------
    def scanner_state(self) -> ScannerState:
        return scanner_state(self.engine.scanner.capabilities(), self._feeder_loaded())

    def _feeder_loaded(self) -> bool | None:
        """From a paper sensor (SANE `page-loaded`, `document-loaded`, …) when the device has one."""
        sensors = self.engine.scanner.read_buttons() or {}
        found = [down for name, down in sensors.items() if name in PAPER_SENSORS]
        return any(found) if found else None

    def start(self, process: ScanProcess, ticket: ScanTicket, addresses: tuple[str, ...]) -> Any:
        return self.session.start(process, ticket, addresses)

    # -- jobs -----------------------------------------------------------------------------------
    def subscribe(self, callback: Any) -> Any:
        def forward(event: JobEvent) -> None:
            if event.kind == "page_scanned" and event.data.get("path"):
                event = replace(event, data={**event.data, "path": self._keep_for_thumbnail(event.data["path"])})
            callback(event)

        return self.engine.subscribe(forward)

    def _keep_for_thumbnail(self, path: str) -> str:
        """A hard link to the page (microseconds, on the engine's thread), so the encoder may drop
        the page file before the panel has drawn its thumbnail."""
        link = self.thumbnails / f"{uuid.uuid4().hex}{Path(path).suffix}"
        try:
            os.link(path, link)
        except OSError:
            return path  # another file system: the thumbnail may miss the page
        return str(link)

    def page_thumbnail(self, path: str) -> QImage:
        image = read_thumbnail(path)
        if Path(path).parent == self.thumbnails:
            Path(path).unlink(missing_ok=True)
        return image

    def _waiting(self, row: dict[str, Any]) -> bool:
        """A queued job whose last attempt to reach the scan server failed (it will retry)."""
        if row.get("state") in ("Completed", "Failed", "Aborted", "Canceled"):
            return False
        try:
            job = self.engine.spool.job(row["job_id"])
        except KioskError:
            return False
        return bool(job.last_error)

    def history(self) -> list[JobSummary]:
        return [
            JobSummary(
                row["job_id"],
                row.get("process_name") or row.get("job_name", ""),
                row["state"],
                row.get("pages", 0),
                datetime.fromtimestamp(row["created"], UTC),
                row.get("documents", 0),
                row.get("documents_sent", 0),
                reasons(row),
                self._waiting(row),
            )
            for row in self.session.history()
        ]

    def job_reasons(self, job_id: str) -> tuple[str, ...]:
        return reasons(self.engine.spool.job(job_id).summary())

    def resend(self, job_id: str) -> None:
        self.engine.resend(job_id)

    def delete(self, job_id: str) -> None:
        self.engine.delete(job_id)

    # -- service --------------------------------------------------------------------------------
    def service_status(self) -> tuple[list[tuple[str, str]], list[str]]:
        rows = [("Version", __version__)]
        try:
            caps = self.engine.scanner.capabilities()
            rows.append(("Scanner", str(getattr(caps, "name", None) or getattr(caps, "device", None) or "OK")))
        except KioskError as exc:
            rows.append(("Scanner", f"problem: {exc}"))
        settings = self.session.settings
        directory = settings.directory
        if directory.backend == "ldap":
            for uri in directory.uris:
                rows.append(("Directory", f"{uri}: {reachable(uri, directory.connect_timeout)}"))
        else:
            path = settings.resolve_path(directory.local_file)
            rows.append(("Directory", f"local file {path}: {'present' if path.is_file() else 'MISSING'}"))
        for name, url in settings.scan_server.endpoints.items():
            rows.append(("Scan server", f"{name} → {url}: {reachable(url, settings.scan_server.connect_timeout)}"))
        rows.append(("Delivery", "this panel" if self.engine.delivering else "another process (run-worker)"))
        jobs = self.engine.jobs()
        waiting = sum(1 for job in jobs if not job.final)
        usage = shutil.disk_usage(self.engine.spool.root)
        rows.append(("Spool", f"{waiting} job(s) waiting, {usage.free // 2**20} MB free of {usage.total // 2**20} MB"))
        for name, value in (
            ("Directory CA", directory.ca_file),
            ("Scan server CA", settings.scan_server.ca_file),
            ("Client certificate", settings.scan_server.client_cert),
        ):
            if value:
                rows.append((name, certificate_expiry(settings.resolve_path(value))))
        return rows, list(self.log_tail.lines)
