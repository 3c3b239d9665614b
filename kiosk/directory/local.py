"""The standalone directory: users, groups and scan processes in one TOML file.

For shops without Active Directory and for `make demo`. Passwords are KDF hashes
(kiosk.directory.passwords, made with `dsm-kiosk passwd`); SIDs are stable, derived from the
file's `domain` and each login unless set; a process is seen by the users and groups it names,
or by everyone. The file is read again when it changes. Format: README "Standalone directory".
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
import tomllib
import uuid
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.directory import Directory, DirectorySession, User
from kiosk.directory._processes import ProcessCollector
from kiosk.directory.errors import BadgeSignInRefused, DirectoryConfigError, DirectoryReadError, InvalidCredentials
from kiosk.directory.identifiers import guid_text, is_sid
from kiosk.directory.passwords import DUMMY_HASH, HashFormatError, check_hash_format, verify_password
from kiosk.psp.model import MAX_PSP_STRING, ProcessList, ScanProcess
from kiosk.psp.parser import PspError, parse_process

log = logging.getLogger(__name__)

# A PSP file larger than this cannot hold a valid process (4 UTF-8 bytes per character at most).
_MAX_PSP_FILE_BYTES = 4 * MAX_PSP_STRING


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class LocalUser(_Strict):
    password: str
    display_name: str = ""
    mail: str = ""
    language: str = ""
    groups: list[str] = Field(default_factory=list)
    #: Explicit SID; empty: derived from the domain and the login.
    sid: str = ""
    #: Badge ids of this user ([directory] badge_lookup = "attribute").
    badges: list[str] = Field(default_factory=list)


class LocalProcess(_Strict):
    name: str
    identifier: str
    server_name: str = ""
    #: The psp:PostScanProcess document inline, or `file` (relative to the directory file).
    xml: str = ""
    file: str = ""
    users: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    everyone: bool = False


class LocalDirectoryFile(_Strict):
    domain: str = "KIOSK"
    #: Explicit domain SID; empty: derived from `domain`.
    domain_sid: str = ""
    #: The badge alone signs a user in (the badge is the credential).
    badge_only: bool = False
    users: dict[str, LocalUser] = Field(default_factory=dict)
    processes: list[LocalProcess] = Field(default_factory=list)


def _hash_ints(text: str, count: int) -> list[int]:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return [int.from_bytes(digest[4 * i : 4 * i + 4], "big") for i in range(count)]


def domain_sid(data: LocalDirectoryFile) -> str:
    if data.domain_sid:
        return data.domain_sid
    a, b, c = _hash_ints(f"dsm-kiosk domain {data.domain.upper()}", 3)
    return f"S-1-5-21-{a}-{b}-{c}"


def user_sid(data: LocalDirectoryFile, login: str) -> str:
    user = data.users[login]
    if user.sid:
        return user.sid
    # RIDs below 1000 are Windows' well-known accounts.
    (value,) = _hash_ints(f"dsm-kiosk user {login.casefold()}", 1)
    return f"{domain_sid(data)}-{1000 + value % (2**30)}"


def load_file(path: Path) -> LocalDirectoryFile:
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise DirectoryConfigError(f"standalone directory {path}: no such file") from None
    except OSError as exc:
        raise DirectoryConfigError(f"standalone directory {path}: cannot be read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise DirectoryConfigError(f"standalone directory {path}: not valid TOML: {exc}") from None
    try:
        data = LocalDirectoryFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise DirectoryConfigError(f"standalone directory {path}: {problems}") from None
    found: list[str] = []
    if data.domain_sid and not is_sid(data.domain_sid):
        found.append(f"domain_sid {data.domain_sid!r} is not a SID")
    logins = [login.casefold() for login in data.users]
    if len(set(logins)) != len(logins):
        found.append("two users differ only in letter case")
    for login, user in data.users.items():
        for badge in user.badges:
            owners = [other for other, entry in data.users.items() if badge in entry.badges]
            if len(owners) > 1 and owners[0] == login:
                found.append(f"users.{login}.badges: badge {badge!r} is also held by {', '.join(owners[1:])}")
        if user.sid and not is_sid(user.sid):
            found.append(f"users.{login}.sid {user.sid!r} is not a SID")
        try:
            check_hash_format(user.password)
        except HashFormatError as exc:
            # Never echo the value: it may be a password typed in by mistake.
            found.append(f"users.{login}.password is not a hash made by `dsm-kiosk passwd` ({exc})")
    if found:
        raise DirectoryConfigError(f"standalone directory {path}: " + "; ".join(found))
    return data


class LocalDirectory(Directory):
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._data = self.current()

    def current(self) -> LocalDirectoryFile:
        """The file's content, read again when it changed on disk."""
        with self._lock:
            try:
                st = self.path.stat()
                stamp = (st.st_mtime_ns, st.st_size)
            except OSError:
                stamp = None
            if stamp is None or stamp != self._stamp:
                self._data = load_file(self.path)
                self._stamp = stamp
            return self._data

    def sign_in(self, username: str, password: str) -> LocalSession:
        data = self.current()
        wanted = username.strip().casefold()
        login = next((name for name in data.users if name.casefold() == wanted), None)
        stored = data.users[login].password if login else DUMMY_HASH
        ok = verify_password(stored, password) if password else False
        if not (login and ok):
            raise InvalidCredentials(f"standalone directory: sign-in refused for {username!r}")
        return self._session(data, login)

    def _badge_owner(self, badge_id: str) -> str | None:
        data = self.current()
        return next((login for login, user in data.users.items() if badge_id in user.badges), None)

    def sign_in_badge(self, login: str) -> LocalSession:
        data = self.current()
        if not data.badge_only:
            raise BadgeSignInRefused(f"standalone directory {self.path}: badge_only is off, {login!r} needs a password")
        if login not in data.users:
            raise InvalidCredentials(f"standalone directory: badge sign-in for unknown user {login!r}")
        log.info("badge sign-in of %s (badge_only)", login)
        return self._session(data, login)

    def _session(self, data: LocalDirectoryFile, login: str) -> LocalSession:
        user = data.users[login]
        return LocalSession(
            self,
            User(
                sid=user_sid(data, login),
                login=login,
                display_name=user.display_name or login,
                mail=user.mail,
                language=user.language,
                dn=login,
            ),
        )


class LocalSession(DirectorySession):
    def __init__(self, directory: LocalDirectory, user: User) -> None:
        self.directory = directory
        self.user = user
        self._open = True

    def _visible(self, data: LocalDirectoryFile, process: LocalProcess) -> bool:
        login = self.user.login.casefold()
        entry = data.users.get(self.user.login)
        groups = {g.casefold() for g in entry.groups} if entry else set()
        return (
            process.everyone
            or login in {u.casefold() for u in process.users}
            or bool(groups & {g.casefold() for g in process.groups})
        )

    def _read_xml(self, process: LocalProcess) -> str:
        if bool(process.xml) == bool(process.file):
            raise PspError("the process needs exactly one of `xml` and `file`")
        if process.xml:
            return process.xml
        path = Path(process.file)
        if not path.is_absolute():
            path = self.directory.path.parent / path
        try:
            if path.stat().st_size > _MAX_PSP_FILE_BYTES:
                raise PspError(f"{path} is larger than any valid scan process")
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PspError(f"{path} cannot be read: {exc}") from None

    def _build(self, process: LocalProcess) -> ScanProcess:
        try:
            identifier = guid_text(uuid.UUID(process.identifier))
        except ValueError:
            raise PspError(f"identifier {process.identifier!r} is not a GUID") from None
        return parse_process(
            self._read_xml(process),
            display_name=process.name,
            identifier=identifier,
            server_name=process.server_name or None,
            dn=f"{self.directory.path}#{process.name}",
        )

    def scan_processes(self) -> ProcessList:
        if not self._open:
            raise DirectoryReadError("standalone directory: the session is closed")
        data = self.directory.current()
        collector = ProcessCollector(self.user.login)
        for process in data.processes:
            if self._visible(data, process):
                collector.add(process.name, str(self.directory.path), functools.partial(self._build, process))
        return collector.result()

    def close(self) -> None:
        self._open = False
