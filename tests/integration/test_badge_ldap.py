"""Badge lookup in the real slapd: the service account finds the holder of employeeNumber."""

from __future__ import annotations

import pytest

from kiosk.config import parse
from kiosk.directory import open_directory
from kiosk.directory.errors import BadgeSignInRefused
from tests.fixtures import directory_data as data


def badge_directory(uri: str, pattern: str = ""):
    return open_directory(
        parse(
            {
                "directory": {
                    "backend": "ldap",
                    "uris": [uri],
                    "bind_mode": "search",
                    "service_dn": data.ADMIN_DN,
                    "service_password": data.ADMIN_PASSWORD,
                    "user_attribute": "sAMAccountName",
                    "badge_lookup": "attribute",
                    "badge_attribute": "employeeNumber",
                    "connect_timeout": 2.0,
                },
                "ui": {"badge_pattern": pattern},
            }
        )
    )


def test_attribute_lookup_finds_the_right_login_and_the_password_signs_in(slapd):
    directory = badge_directory(slapd.uri, pattern=r"%(?P<user>B\d+)\?")
    for user in data.USERS.values():
        assert directory.find_badge(f"%{user.badge}?") == user.login
    login = directory.find_badge(f"%{data.USERS['dave'].badge}?")
    with directory.sign_in(login, data.USERS["dave"].password) as session:
        assert session.user.sid == data.USERS["dave"].sid
    with pytest.raises(BadgeSignInRefused):
        directory.sign_in_badge(login)


@pytest.mark.parametrize("text", ["B9999", "*", "B11*", "B1105)(uid=*", "*)(|(employeeNumber=*", "B1105\\00"])
def test_unknown_or_injected_badge_text_finds_nobody(slapd, text):
    assert badge_directory(slapd.uri).find_badge(text) is None
