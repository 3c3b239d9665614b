"""The Samba AD DC fixture: real AD schema, per-process access control and account states."""

from __future__ import annotations

import ssl

import ldap3
import pytest

from tests.fixtures.psp_samples import psp_xml


def bind(dc, upn: str, password: str) -> ldap3.Connection:
    conn = ldap3.Connection(dc.server(), upn, password, raise_exceptions=False)
    conn.open()
    conn.bind()
    return conn


def visible(dc, upn: str) -> set[str]:
    conn = bind(dc, upn, dc.PASSWORD)
    assert conn.bound, conn.result
    try:
        conn.search(dc.psps_dn, "(objectClass=msImaging-PostScanProcess)", ldap3.LEVEL, attributes=["displayName"])
        return {str(e.displayName) for e in conn.entries}
    finally:
        conn.unbind()


def test_real_schema_holds_scan_processes(samba_dc):
    dc = samba_dc
    entry = dc.add_scan_process("Fixture everyone", psp_xml(), server_name="scan.fabrikam.test")
    conn = dc.admin()
    try:
        conn.search(entry.dn, "(objectClass=*)", ldap3.BASE, attributes=["msImaging-PSPIdentifier", "objectClass"])
        raw = conn.response[0]["raw_attributes"]
        assert raw["msImaging-PSPIdentifier"][0] == entry.identifier.bytes_le
        assert b"msImaging-PostScanProcess" in raw["objectClass"]
    finally:
        conn.unbind()


def test_dacl_decides_who_reads_a_process(samba_dc):
    dc = samba_dc
    reader = dc.add_user("fx-reader")
    member = dc.add_user("fx-member")
    other = dc.add_user("fx-other")
    group = dc.add_group("fx-scanners", [member])
    dc.add_scan_process("Fixture open", psp_xml())
    dc.add_scan_process("Fixture reader only", psp_xml(), readers=[reader])
    dc.add_scan_process("Fixture group only", psp_xml(), readers=[group])
    assert {"Fixture open", "Fixture reader only"} <= visible(dc, reader.upn)
    assert "Fixture group only" not in visible(dc, reader.upn)
    assert {"Fixture open", "Fixture group only"} <= visible(dc, member.upn)
    seen_by_other = visible(dc, other.upn)
    assert "Fixture open" in seen_by_other
    assert not {"Fixture reader only", "Fixture group only"} & seen_by_other


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"disabled": True}, "533"),
        ({"expired": True}, "701"),
        ({"must_change_password": True}, "773"),
    ],
)
def test_account_states_carry_ad_data_codes(samba_dc, options, code):
    account = samba_dc.add_user(f"fx-state-{code}", **options)
    conn = bind(samba_dc, account.upn, samba_dc.PASSWORD)
    assert not conn.bound
    assert conn.result["result"] == 49
    assert f"data {code}" in conn.result["message"]


def test_wrong_password_then_lockout(samba_dc):
    account = samba_dc.add_user("fx-lockout")
    samba_dc.apply_password_policy(account, lockout_threshold=2)
    for _ in range(2):
        conn = bind(samba_dc, account.upn, "not-the-password")
        assert "data 52e" in conn.result["message"]
    conn = bind(samba_dc, account.upn, samba_dc.PASSWORD)
    assert not conn.bound
    assert "data 775" in conn.result["message"]


def test_plain_ldap_simple_bind_needs_tls(samba_dc):
    account = samba_dc.add_user("fx-plain")
    conn = ldap3.Connection(ldap3.Server(samba_dc.address, port=389), account.upn, samba_dc.PASSWORD)
    conn.open()
    assert not conn.bind()
    assert conn.result["description"] == "strongerAuthRequired"


def test_ldaps_certificate_is_ours_and_verified(samba_dc):
    conn = ldap3.Connection(samba_dc.server(), raise_exceptions=False)
    conn.open()
    conn.search("", "(objectClass=*)", ldap3.BASE, attributes=["defaultNamingContext"])
    assert conn.response[0]["attributes"]["defaultNamingContext"] == [samba_dc.base_dn]
    conn.unbind()
    # Without our CA the same server is not trusted: verification is really on.
    untrusted = ldap3.Server(samba_dc.address, port=636, use_ssl=True, tls=ldap3.Tls(validate=ssl.CERT_REQUIRED))
    with pytest.raises(ldap3.core.exceptions.LDAPSocketOpenError):
        ldap3.Connection(untrusted, raise_exceptions=True).open()
