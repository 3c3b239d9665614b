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

from kiosk.badge import BadgeNotRecognised, BadgePattern
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

    def __enter__(self) -> DirectorySession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Directory(abc.ABC):
    #: Set by open_directory from [ui] badge_pattern and [directory] badge_lookup.
    badge_pattern: BadgePattern = BadgePattern("")
    badge_lookup: str = "pattern"

    @abc.abstractmethod
    def sign_in(self, username: str, password: str) -> DirectorySession:
        """Authenticate the user with their own password."""

    def find_badge(self, badge_text: str) -> str | None:
        """The login a badge read stands for, or None for a badge nobody holds."""
        try:
            badge_id = self.badge_pattern.user_for(badge_text)
        except BadgeNotRecognised:
            return None
        if self.badge_lookup == "pattern":
            return badge_id
        return self._badge_owner(badge_id)

    @abc.abstractmethod
    def _badge_owner(self, badge_id: str) -> str | None:
        """badge_lookup attribute: the login of the one user holding this badge id."""

    def sign_in_badge(self, login: str) -> DirectorySession:
        """Sign in with the badge as the only credential, where the directory allows it."""
        from kiosk.directory.errors import BadgeSignInRefused

        raise BadgeSignInRefused(f"{type(self).__name__}: a badge alone cannot sign in {login!r}")


def open_directory(settings: DirectorySettings | Settings, root: Settings | None = None) -> Directory:
    """The configured backend. `root` (the whole Settings) resolves relative paths; passing the
    whole Settings as the first argument does both."""
    from kiosk.config import Settings

    if isinstance(settings, Settings):
        root, settings = settings, settings.directory
    directory: Directory
    if settings.backend == "ldap":
        from kiosk.directory.ldap import LdapDirectory

        directory = LdapDirectory(settings, root)
    else:
        from kiosk.directory.local import LocalDirectory

        directory = LocalDirectory(root.resolve_path(settings.local_file) if root else settings.local_file)
    directory.badge_lookup = settings.badge_lookup
    if root is not None:
        directory.badge_pattern = BadgePattern(root.ui.badge_pattern)
    return directory


def demo_directory_path() -> Path:
    """The embedded demo directory (users demo, anna, ben; passwords as the names), shipped as
    package data. Its processes send to the scan repository `localhost`."""
    return Path(str(resources.files(__name__) / "demo_directory.toml"))


__all__ = ["Directory", "DirectorySession", "User", "demo_directory_path", "open_directory", "ProcessList"]
