"""Badge → login: the pattern and attribute lookups, badge_only, filter escaping (no services)."""

from __future__ import annotations

import textwrap

import pytest

from kiosk.config import DirectorySettings, parse
from kiosk.directory import open_directory
from kiosk.directory.errors import (
    BadgeSignInRefused,
    DirectoryConfigError,
    InvalidCredentials,
)
from kiosk.directory.ldap import LdapDirectory, user_filter
from kiosk.directory.passwords import hash_password

PW = hash_password("ann-pw")


def directory(tmp_path, *, lookup: str = "pattern", pattern: str = "", badge_only: str = "", users: str = ""):
    path = tmp_path / "directory.toml"
    path.write_text(
        textwrap.dedent(f"""
        {badge_only}
        [users.ann]
        password = "{PW}"
        badges = ["0042", "0099"]
        [users.bo]
        password = "{PW}"
        {users}
    """)
    )
    return open_directory(
        parse(
            {
                "directory": {"backend": "local", "local_file": str(path), "badge_lookup": lookup},
                "ui": {"badge_pattern": pattern},
            }
        )
    )


def test_pattern_mode_the_user_group_is_the_login(tmp_path):
    d = directory(tmp_path, pattern=r"SITE1-(?P<user>\w+)")
    assert d.find_badge("SITE1-bo\n") == "bo"
    assert d.find_badge("OTHER-bo") is None


def test_pattern_mode_without_pattern_the_whole_text_is_the_login(tmp_path):
    assert directory(tmp_path).find_badge(" ann ") == "ann"
    assert directory(tmp_path).find_badge("   ") is None


def test_attribute_mode_finds_the_badge_holder(tmp_path):
    d = directory(tmp_path, lookup="attribute", pattern=r"(?:;)?(?P<user>\d+)\??")
    assert d.find_badge(";0099?") == "ann"
    assert d.find_badge("0042") == "ann"
    assert d.find_badge("0043") is None
    assert d.find_badge("ann") is None  # a login is not a badge id


def test_a_badge_held_by_two_users_is_a_config_error(tmp_path):
    with pytest.raises(DirectoryConfigError, match="0042"):
        directory(tmp_path, lookup="attribute", users='badges = ["0042"]')


def test_badge_only_signs_in_without_a_password(tmp_path):
    d = directory(tmp_path, badge_only="badge_only = true")
    with d.sign_in_badge("ann") as session:
        assert session.user.login == "ann"
    with pytest.raises(InvalidCredentials):
        d.sign_in_badge("nobody")


def test_badge_only_is_off_by_default(tmp_path):
    with pytest.raises(BadgeSignInRefused) as info:
        directory(tmp_path).sign_in_badge("ann")
    assert "password" in info.value.user_message


def test_ldap_refuses_badge_only_and_needs_a_badge_attribute():
    base = {"backend": "ldap", "uris": ["ldap://127.0.0.1:1"], "bind_mode": "upn", "upn_suffix": "example.com"}
    d = LdapDirectory(DirectorySettings(**base))
    with pytest.raises(BadgeSignInRefused):
        d.sign_in_badge("alice")
    with pytest.raises(DirectoryConfigError, match="badge_attribute"):
        LdapDirectory(DirectorySettings(**base, badge_lookup="attribute"))


def test_the_badge_id_is_escaped_in_the_filter():
    assert user_filter("employeeNumber", "*)(uid=*") == r"(&(objectClass=*)(employeeNumber=\2a\29\28uid=\2a))"
