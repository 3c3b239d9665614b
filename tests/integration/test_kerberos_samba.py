"""bind_mode kerberos against Samba's KDC: a ticket from the password in memory, SASL GSSAPI
over LDAPS/StartTLS, and clear errors for what Kerberos refuses."""

from __future__ import annotations

import os
import subprocess
import sys

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


@pytest.mark.parametrize("transport", ["ldaps", "start_tls", "start_tls_auto"])
def test_kerberos_sign_in_reads_the_user_and_their_processes(samba_dc, kerberos_users, tmp_path, transport):
    extra = {
        "ldaps": {},
        "start_tls": {"uris": [samba_dc.ldap_uri], "start_tls": True},
        "start_tls_auto": {"uris": [samba_dc.ldap_uri]},
    }[transport]
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
        open_directory(settings(samba_dc, uris=[samba_dc.ldap_uri], start_tls=False))


def test_locked_out_after_the_lockout_policy(samba_dc):
    account = samba_dc.add_user("kb-locked")
    samba_dc.apply_password_policy(account, lockout_threshold=2)
    directory = open_directory(settings(samba_dc))
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            directory.sign_in(account.login, "not-the-password")
    with pytest.raises(AccountRevoked):
        directory.sign_in(account.login, samba_dc.PASSWORD)


SKEWED_SIGN_IN = """
import sys
from kiosk.config import DirectorySettings
from kiosk.directory import open_directory
uri, ca, realm, kdc, password = sys.argv[1:6]
settings = DirectorySettings(
    backend="ldap", uris=[uri], ca_file=ca, bind_mode="kerberos", kerberos_realm=realm,
    kerberos_kdc=[kdc] if kdc else [],
)
try:
    open_directory(settings).sign_in("kb-skewed", password).close()
    print("signed-in")
except Exception as exc:
    print(type(exc).__name__, exc)
"""


def skewed_sign_in(dc, offset: str, krb5_conf, kdc: str = "") -> str:
    """A sign-in in a subprocess whose clock libfaketime moves by `offset` (the machine's clock
    is not touched); its private krb5.conf comes through KRB5_CONFIG."""
    result = subprocess.run(
        ["faketime", "-f", offset, sys.executable, "-c", SKEWED_SIGN_IN]
        + [dc.ldaps_uri, str(dc.ca), dc.realm, kdc, dc.PASSWORD],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "KRB5_CONFIG": str(krb5_conf)},
    )
    return result.stdout.strip() or result.stderr[-2000:]


@pytest.fixture(scope="module")
def skewed_user(samba_dc):
    return samba_dc.add_user("kb-skewed")


def test_clock_skew_has_its_own_error(samba_dc, skewed_user, tmp_path):
    # MIT krb5 corrects a skew it learns from the KDC (kdc_timesync); a client that may not does fail.
    conf = tmp_path / "krb5.conf"
    conf.write_text(samba_dc.krb5_conf.read_text().replace("[libdefaults]\n", "[libdefaults]\n  kdc_timesync = 0\n"))
    out = skewed_sign_in(samba_dc, "+2h", conf)
    assert out.startswith("KerberosClockSkew"), out
    assert "NTP" in out


def test_a_skew_the_kdc_reports_is_corrected_by_krb5(samba_dc, skewed_user, tmp_path):
    assert skewed_sign_in(samba_dc, "+2h", tmp_path / "absent.conf", kdc=samba_dc.address) == "signed-in"


def test_a_clock_behind_the_certificate_says_to_check_the_clock(samba_dc, skewed_user, tmp_path):
    out = skewed_sign_in(samba_dc, "-2h", tmp_path / "absent.conf", kdc=samba_dc.address)
    assert out.startswith("DirectoryTlsError"), out
    assert "clock" in out
