"""The directory: who the user is, and which scan processes they may use.

`open_directory(settings.directory, settings)` gives a Directory for the configured backend:
`ldap` (Active Directory or any LDAP server, through ldap3) or `local` (the standalone TOML
file). `Directory.sign_in(username, password)` returns a DirectorySession bound as that user;
`.scan_processes()` reads the processes the user may see, and `.close()` signs out. Every failure
is a DirectoryError subclass from kiosk.directory.errors.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.psp.model import ProcessList

if TYPE_CHECKING:
    from kiosk.config import DirectorySettings, Settings


@dataclass(frozen=True)
class User:
    #: `S-1-5-…`: the UserIdentifier sent to the scan server.
    sid: str
    #: The sign-in name as the directory holds it.
    login: str
    display_name: str
    mail: str = ""
    #: Preferred language (e.g. "de"), or "" when the directory has none.
    language: str = ""
    #: Distinguished name (or the standalone directory's user key).
    dn: str = ""


class DirectorySession(abc.ABC):
    """A signed-in user. Holds what the backend needs to read as that user until close()."""

    user: User

    @abc.abstractmethod
    def scan_processes(self) -> ProcessList:
        """The user's scan processes; those that cannot be used are in `skipped`, with a reason."""

    @abc.abstractmethod
    def close(self) -> None:
        """Sign out: unbind and forget the password. Safe to call twice."""

    def __enter__(self) -> "DirectorySession":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Directory(abc.ABC):
    @abc.abstractmethod
    def sign_in(self, username: str, password: str) -> DirectorySession:
        """Authenticate the user with their own password."""


def open_directory(settings: "DirectorySettings | Settings", root: "Settings | None" = None) -> Directory:
    """The configured backend. `root` (the whole Settings) resolves relative paths; passing the
    whole Settings as the first argument does both."""
    from kiosk.config import Settings

    if isinstance(settings, Settings):
        root, settings = settings, settings.directory
    if settings.backend == "ldap":
        from kiosk.directory.ldap import LdapDirectory

        return LdapDirectory(settings, root)
    from kiosk.directory.local import LocalDirectory

    path = root.resolve_path(settings.local_file) if root else settings.local_file
    return LocalDirectory(path)


def demo_directory_path() -> Path:
    """The embedded demo directory (users demo, anna, ben; passwords as the names), shipped as
    package data. Its processes send to the scan repository `localhost`."""
    return Path(str(resources.files(__name__) / "demo_directory.toml"))


__all__ = ["Directory", "DirectorySession", "User", "demo_directory_path", "open_directory", "ProcessList"]
