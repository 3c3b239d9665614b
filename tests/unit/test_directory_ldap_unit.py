"""ldap backend pieces that slapd cannot show: AD bind data codes, NTLM and UPN binds, identifiers."""

from __future__ import annotations

import uuid

import ldap3
import pytest

from kiosk.config import DirectorySettings
from kiosk.directory import errors as e
from kiosk.directory.identifiers import guid_to_string, sid_to_bytes, sid_to_string
from kiosk.directory.ldap import bind_error, bind_target, check_username, dns_name, user_filter
from kiosk.errors import DirectoryError


def ad_result(code: str) -> dict:
    return {
        "result": 49,
        "description": "invalidCredentials",
        "message": f"80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data {code}, v3839\x00",
    }


@pytest.mark.parametrize(
    "code, kind",
    [
        ("525", e.InvalidCredentials),
        ("52e", e.InvalidCredentials),
        ("52E", e.InvalidCredentials),
        ("530", e.AccountRestricted),
        ("531", e.AccountRestricted),
        ("532", e.PasswordExpired),
        ("533", e.AccountDisabled),
        ("701", e.AccountExpired),
        ("773", e.PasswordExpired),
        ("775", e.AccountLocked),
        ("999", e.InvalidCredentials),
    ],
)
def test_ad_data_codes(code, kind):
    error = bind_error(ad_result(code), "EXAMPLE\\alice")
    assert type(error) is kind
    assert f"data {code}" in str(error)
    assert error.user_message == kind.default_user_message


def test_the_user_messages_are_distinct():
    kinds = [
        e.InvalidCredentials,
        e.AccountLocked,
        e.AccountDisabled,
        e.AccountExpired,
        e.PasswordExpired,
        e.AccountRestricted,
        e.DirectoryUnavailable,
        e.DirectoryTlsError,
        e.UserHasNoSid,
        e.UserNotFound,
    ]
    assert len({k.default_user_message for k in kinds}) == len(kinds)
    assert len({k.code for k in kinds}) == len(kinds)
    assert all(issubclass(k, DirectoryError) for k in kinds)


def test_openldap_refusal_without_a_data_code_is_wrong_credentials():
    error = bind_error({"result": 49, "description": "invalidCredentials", "message": ""}, "uid=x")
    assert isinstance(error, e.InvalidCredentials)


@pytest.mark.parametrize("code", [7, 8, 13, 34])
def test_a_refused_bind_method_is_a_setup_problem_not_a_wrong_password(code):
    error = bind_error({"result": code, "description": "x", "message": ""}, "EXAMPLE\\alice")
    assert isinstance(error, e.DirectoryConfigError)


def test_ntlm_bind_is_domain_backslash_user():
    s = DirectorySettings(backend="ldap", uris=["ldap://dc"], bind_mode="ntlm", ntlm_domain="EXAMPLE")
    target = bind_target(s, "alice", "DC=example,DC=com")
    assert (target.user, target.authentication) == ("EXAMPLE\\alice", ldap3.NTLM)
    # ldap3 accepts exactly this form for NTLM (it refuses a user without a domain part).
    conn = ldap3.Connection(
        ldap3.Server("127.0.0.1", port=1), user=target.user, password="x", authentication=target.authentication
    )
    assert conn.authentication == ldap3.NTLM and conn.user == "EXAMPLE\\alice"


def test_ntlm_response_can_be_computed_here():
    """OpenSSL 3 has no MD4; without pycryptodome every NTLM sign-in would fail at bind time."""
    from ldap3.utils.ntlm import NtlmClient

    # [MS-NLMP] 4.2.4.1.1: NTOWFv2 of user "User", domain "Domain", password "Password".
    assert NtlmClient("Domain", "User", "Password").ntowf_v2().hex() == "0c868a403bfd7a93a3001ef22ef02e3f"


def test_upn_bind_takes_the_suffix_or_the_base_dn():
    s = DirectorySettings(backend="ldap", uris=["ldap://dc"], bind_mode="upn")
    assert bind_target(s, "alice", "DC=corp,DC=example,DC=com").user == "alice@corp.example.com"
    s = DirectorySettings(backend="ldap", uris=["ldap://dc"], bind_mode="upn", upn_suffix="example.org")
    target = bind_target(s, "alice", "DC=corp,DC=example,DC=com")
    assert (target.user, target.authentication) == ("alice@example.org", ldap3.SIMPLE)


def test_dn_template_escapes_the_name():
    s = DirectorySettings(
        backend="ldap", uris=["ldap://x"], bind_mode="dn_template", dn_template="uid={username},ou=people,dc=x"
    )
    assert bind_target(s, "a,b=c+d", "").user == "uid=a\\,b\\=c\\+d,ou=people,dc=x"


def test_dns_name():
    assert dns_name("DC=example,DC=com") == "example.com"
    assert dns_name("OU=x,DC=corp,DC=example,DC=com") == "corp.example.com"


@pytest.mark.parametrize("name", ["*)(objectClass=*", "admin)(|(a=*", "a\\b", "a\x00"])
def test_filter_escaping(name):
    flt = user_filter("sAMAccountName", name)
    inner = flt[len("(&(objectClass=*)(sAMAccountName=") : -2]
    assert not set(inner) & {"*", "(", ")", "\x00"}


@pytest.mark.parametrize("name", ["EXAMPLE\\bob", "bob@evil.example", "", "   ", "a" * 257, "bob\nx", "bob\u200b"])
def test_names_that_cannot_be_anybody_are_refused_before_the_network(name):
    with pytest.raises(e.InvalidCredentials):
        check_username(name, "ntlm")


def test_a_plain_name_is_kept():
    assert check_username("  Zoë ", "upn") == "Zoë"


def test_sid_round_trip_and_malformed():
    sid = "S-1-5-21-1004336348-1177238915-682003330-1105"
    assert sid_to_string(sid_to_bytes(sid)) == sid
    assert sid_to_string(bytes([1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0])) == "S-1-5-18"
    for bad in (b"", b"\x01\x05" + b"\x00" * 6, b"\x02\x01" + b"\x00" * 10, sid_to_bytes(sid) + b"\x00"):
        with pytest.raises(DirectoryError):
            sid_to_string(bad)


def test_guid_layouts():
    guid = uuid.UUID("6f1c2a4e-1d2b-4c3d-8e9f-0a1b2c3d4e5f")
    # Upper case, as the directory's tools write PSP_Identifier (issue #14).
    assert guid_to_string(guid.bytes_le) == str(guid).upper()
    assert guid_to_string(guid.bytes, "big-endian") == str(guid).upper()
    assert guid_to_string(guid.bytes_le, "big-endian") != str(guid).upper()
    with pytest.raises(DirectoryError):
        guid_to_string(b"\x00" * 15)
