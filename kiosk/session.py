"""A signed-in user at the kiosk: the directory session, the user's scan processes, and jobs
started on the engine. Used by the panel and by `dsm-kiosk scan`.

The password is handed to the directory's bind and never kept: not on this object, not in the
spool, not in a log line. Jobs outlive the session: signing out while jobs deliver is fine.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from kiosk.badge import BadgeNotRecognised
from kiosk.config import Settings
from kiosk.errors import DirectoryError, KioskError
from kiosk.jobs import Engine, ScanJob
from kiosk.psp import overrides
from kiosk.psp.model import ProcessList, ScanProcess, ScanTicket

log = logging.getLogger(__name__)


class NotSignedIn(KioskError):
    default_user_message = "Please sign in first."
    code = "not_signed_in"


class Session:
    def __init__(self, settings: Settings, engine: Engine, *, directory: Any = None) -> None:
        self.settings = settings
        self.engine = engine
        self._directory = directory
        self._session: Any = None
        self._processes: ProcessList | None = None
        self._lock = threading.Lock()

    @property
    def directory(self) -> Any:
        if self._directory is None:
            from kiosk.directory import open_directory

            self._directory = open_directory(self.settings.directory, self.settings)
        return self._directory

    @property
    def signed_in(self) -> bool:
        return self._session is not None

    @property
    def user(self) -> Any:
        if self._session is None:
            raise NotSignedIn("no user is signed in")
        return self._session.user

    def sign_in(self, username: str, password: str) -> Any:
        """Bind as the user; any previous user is signed out first. Returns the User."""
        self.sign_out()
        session = self.directory.sign_in(username, password)
        del password
        with self._lock:
            self._session = session
            self._processes = None
        log.info("signed in: %s", session.user.login)
        return session.user

    def find_badge(self, badge_text: str) -> str:
        """The login of the badge's holder; BadgeNotRecognised for a badge nobody holds."""
        login = self.directory.find_badge(badge_text)
        if login is None:
            raise BadgeNotRecognised(f"badge text of {len(badge_text.strip())} characters: no holder in the directory")
        return login

    def sign_in_badge(self, login: str) -> Any:
        """The badge as the only credential, where the directory allows it (BadgeSignInRefused otherwise)."""
        self.sign_out()
        session = self.directory.sign_in_badge(login)
        with self._lock:
            self._session = session
            self._processes = None
        log.info("signed in by badge: %s", session.user.login)
        return session.user

    def processes(self, *, refresh: bool = False) -> ProcessList:
        """The user's scan processes, read bound as the user (cached until refresh or sign-out)."""
        session = self._require()
        with self._lock:
            if self._processes is None or refresh:
                self._processes = session.scan_processes()
            return self._processes

    def process(self, display_name: str) -> ScanProcess:
        listing = self.processes()
        for proc in listing.ok:
            if proc.display_name == display_name:
                return proc
        names = ", ".join(p.display_name for p in listing.ok) or "none"
        raise DirectoryError(
            f"{self.user.login} has no scan process named {display_name!r} (has: {names})",
            user_message="That scan process is not available to you.",
        )

    def start(self, process: ScanProcess, ticket: ScanTicket | None = None, addresses: tuple[str, ...] = ()) -> ScanJob:
        """Start a job with `process` and the ticket after the user's overrides (default: the
        process's own ticket), with e-mail `addresses` added where the process allows it
        (validated: SettingLocked, or a KioskError naming how many are not valid)."""
        if addresses:
            process = overrides.with_addresses(process, addresses)
        return self.engine.start(self.user, process, ticket)

    def history(self) -> list[dict[str, Any]]:
        return self.engine.history(self.user.sid)

    def sign_out(self) -> None:
        """Closes the directory session (the only holder of the user's bind). Jobs keep going."""
        with self._lock:
            session, self._session, self._processes = self._session, None, None
        if session is not None:
            try:
                session.close()
            except Exception as exc:  # an unreachable directory must not keep a user signed in
                log.warning("closing the directory session: %s", exc)
            log.info("signed out: %s", session.user.login)

    def _require(self) -> Any:
        if self._session is None:
            raise NotSignedIn("no user is signed in")
        return self._session
