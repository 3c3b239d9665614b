"""Badge readers that type like a keyboard ("keyboard wedge"): map what they type to a user name.

The reader's text (a card number, often with a site prefix) is matched against the configured
regular expression `[ui] badge_pattern`, whose named group `user` is the sign-in name. With no
pattern, the whole text is the name.
"""

from __future__ import annotations

import re

from kiosk.errors import ConfigError, KioskError


class BadgeNotRecognised(KioskError):
    default_user_message = "This badge is not recognised. Please sign in with your user name."
    code = "badge"


class BadgePattern:
    def __init__(self, pattern: str) -> None:
        try:
            self._regex = re.compile(pattern) if pattern else None
        except re.error as exc:
            raise ConfigError(f"[ui] badge_pattern: not a valid regular expression: {exc}") from None
        if self._regex is not None and "user" not in self._regex.groupindex:
            raise ConfigError("[ui] badge_pattern: needs a named group (?P<user>…)")

    def user_for(self, text: str) -> str:
        """The user name a badge stands for; BadgeNotRecognised if it does not match."""
        text = text.strip()
        if self._regex is None:
            user = text
        else:
            match = self._regex.fullmatch(text)
            user = match.group("user") if match else ""
        if not user:
            # The badge text is an identifier, not a secret, but keep the log short.
            raise BadgeNotRecognised(f"badge text of {len(text)} characters does not match [ui] badge_pattern")
        return user
