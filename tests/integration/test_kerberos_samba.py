"""bind_mode kerberos against Samba's KDC: a ticket from the password in memory, SASL GSSAPI
over LDAPS/StartTLS, and clear errors for what Kerberos refuses."""

from __future__ import annotations

import os

import pytest

from kiosk.config import DirectorySettings
from kiosk.directory import open_directory
from kiosk.directory.errors import (
    AccountRevoked,
    DirectoryConfigError,
    InvalidCredentials,
    KerberosServiceUnknown,
    PasswordExpired,
)
from tests.fixtures.psp_samples import psp_xml


@pytest.fixture(autouse=True)
def private_krb5(monkeypatch, tmp_path):
    """The kiosk writes its own krb5.conf and points KRB5_CONFIG at it; restore it afterwards.
    A file ccache where one would be written, to prove none is."""
    monkeypatch.setenv("KRB5_CONFIG", str(tmp_path / "absent-krb5.conf"))
    monkeypatch.setenv("KRB5CCNAME", f"FILE:{tmp_path / 'ccache'}")


@pytest.fixture(scope="module")
def kerberos_users(samba_dc):
    dc = samba_dc
    users = {
        "anna": dc.add_user("kb-anna", display_name="Anna Kerberos"),
        "ben": dc.add_user("kb-ben"),
    }
    dc.add_scan_process("KB anna only", psp_xml(), readers=[users["anna"]])
    return users


def settings(dc, **overrides) -> DirectorySettings:
    values = dict(
        backend="ldap",
        uris=[dc.ldaps_uri],
        ca_file=str(dc.ca),
        bind_mode="kerberos",
        kerberos_realm=dc.realm,
        kerberos_kdc=[dc.address],
        process_filter="(displayName=KB *)",
    )
    values.update(overrides)
    return DirectorySettings(**values)


@pytest.mark.parametrize("transport", ["ldaps", "start_tls"])
def test_kerberos_sign_in_reads_the_user_and_their_processes(samba_dc, kerberos_users, tmp_path, transport):
    extra = {"uris": [samba_dc.ldap_uri], "start_tls": True} if transport == "start_tls" else {}
    directory = open_directory(settings(samba_dc, **extra))
    with directory.sign_in("kb-anna", samba_dc.PASSWORD) as anna:
        assert anna.user.sid == kerberos_users["anna"].sid
        assert anna.user.display_name == "Anna Kerberos"
        assert {p.display_name for p in anna.scan_processes().ok} == {"KB anna only"}
    with directory.sign_in("kb-ben", samba_dc.PASSWORD) as ben:
        assert ben.user.sid == kerberos_users["ben"].sid
        assert not ben.scan_processes().ok
    # The tickets lived in memory only.
    assert not (tmp_path / "ccache").exists()
    assert os.environ["KRB5_CONFIG"].split(":")[0].endswith("krb5.conf")


def test_wrong_password_and_unknown_user(samba_dc, kerberos_users):
    directory = open_directory(settings(samba_dc))
    with pytest.raises(InvalidCredentials):
        directory.sign_in("kb-ben", "not-his-password")
    with pytest.raises(InvalidCredentials):
        directory.sign_in("kb-nobody", samba_dc.PASSWORD)


@pytest.mark.parametrize(
    ("options", "error"),
    [
        # The KDC says "revoked" for both (the NTSTATUS that tells them apart stays in the KDC's e-data).
        ({"disabled": True}, AccountRevoked),
        ({"expired": True}, AccountRevoked),
        ({"must_change_password": True}, PasswordExpired),
    ],
)
def test_account_states_from_the_kdc(samba_dc, options, error):
    account = samba_dc.add_user(f"kb-state-{next(iter(options))}", **options)
    with pytest.raises(error):
        open_directory(settings(samba_dc)).sign_in(account.login, samba_dc.PASSWORD)


def test_a_missing_service_principal_has_its_own_error(samba_dc, kerberos_users):
    directory = open_directory(settings(samba_dc, kerberos_service_host="dc9.fabrikam.test"))
    with pytest.raises(KerberosServiceUnknown) as missing:
        directory.sign_in("kb-ben", samba_dc.PASSWORD)
    assert "ldap/dc9.fabrikam.test" in str(missing.value)


def test_kerberos_over_plain_ldap_is_refused_up_front(samba_dc):
    with pytest.raises(DirectoryConfigError, match="ldaps:// or start_tls"):
        open_directory(settings(samba_dc, uris=[samba_dc.ldap_uri]))


def test_locked_out_after_the_lockout_policy(samba_dc):
    account = samba_dc.add_user("kb-locked")
    samba_dc.apply_password_policy(account, lockout_threshold=2)
    directory = open_directory(settings(samba_dc))
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            directory.sign_in(account.login, "not-the-password")
    with pytest.raises(AccountRevoked):
        directory.sign_in(account.login, samba_dc.PASSWORD)
