"""The slapd fixture imitates AD's DSM objects and per-user visibility."""

from __future__ import annotations

import ldap3
import pytest

from tests.fixtures import directory_data as data


def names_seen(uri: str, dn: str | None, password: str | None) -> set[str]:
    conn = ldap3.Connection(ldap3.Server(uri), user=dn, password=password, auto_bind=True)
    try:
        conn.search(
            data.PSPS_DN,
            "(objectClass=msImaging-PostScanProcess)",
            search_scope=ldap3.LEVEL,
            attributes=["displayName", "msImaging-PSPIdentifier", "msImaging-PSPString"],
        )
        return {str(e.displayName) for e in conn.entries}
    finally:
        conn.unbind()


def test_two_users_see_different_process_sets(slapd):
    alice = data.USERS["alice"]
    bob = data.USERS["bob"]
    seen_alice = names_seen(slapd.uri, alice.dn, alice.password)
    seen_bob = names_seen(slapd.uri, bob.dn, bob.password)
    assert seen_alice == data.visible_processes("alice") == {"Scan to my folder", "Finance invoices", "Alice private"}
    assert seen_bob == data.visible_processes("bob") == {"Scan to my folder", "Sales contracts"}


def test_anonymous_sees_none(slapd):
    assert names_seen(slapd.uri, None, None) == set()


def test_wrong_password_is_refused(slapd):
    with pytest.raises(ldap3.core.exceptions.LDAPBindError):
        names_seen(slapd.uri, data.USERS["alice"].dn, "wrong")


def test_user_entry_has_ad_attributes(slapd):
    carol = data.USERS["carol"]
    conn = ldap3.Connection(ldap3.Server(slapd.uri), user=carol.dn, password=carol.password, auto_bind=True)
    conn.search(data.DOMAIN, "(sAMAccountName=carol)", attributes=["objectSid", "mail", "preferredLanguage"])
    assert len(conn.entries) == 1
    raw_sid = conn.entries[0].objectSid.raw_values[0]
    assert raw_sid == data.sid_to_bytes(carol.sid)
    assert str(conn.entries[0].mail) == carol.mail
    conn.unbind()


def test_root_dse_names_the_domain(slapd):
    server = ldap3.Server(slapd.uri, get_info=ldap3.DSA)
    conn = ldap3.Connection(server, auto_bind=True)
    conn.search("", "(objectClass=*)", search_scope=ldap3.BASE, attributes=["defaultNamingContext"])
    assert str(conn.entries[0].defaultNamingContext) == data.DOMAIN
    conn.unbind()


def test_psp_identifier_is_stored_mixed_endian(slapd):
    alice = data.USERS["alice"]
    conn = ldap3.Connection(ldap3.Server(slapd.uri), user=alice.dn, password=alice.password, auto_bind=True)
    proc = data.PROCESSES[1]
    conn.search(proc.dn, "(objectClass=*)", search_scope=ldap3.BASE, attributes=["msImaging-PSPIdentifier"])
    assert conn.entries[0]["msImaging-PSPIdentifier"].raw_values[0] == proc.guid.bytes_le
    conn.unbind()


def test_uid_users_and_unusable_processes_are_stored(slapd):
    erin = data.USERS["erin"]
    assert erin.dn == f"uid=erin,{data.PEOPLE_DN}"
    seen = names_seen(slapd.uri, erin.dn, erin.password)
    assert seen == data.visible_processes("erin") == {"Scan to my folder", "Broken process", "Oversized process"}
    dave = data.USERS["dave"]
    assert names_seen(slapd.uri, dave.dn, dave.password) == {"Scan to my folder", "Finance invoices"}
