"""Kerberos refusals map to their own errors; the private krb5.conf never touches the system's."""

from __future__ import annotations

import os
import shutil

import gssapi
import pytest

from kiosk.directory import errors as e
from kiosk.directory import kerberos as k

GSS_S_FAILURE = 0xD0000


def gss_error(minor: int) -> gssapi.exceptions.GSSError:
    return gssapi.exceptions.GSSError(GSS_S_FAILURE, minor)


@pytest.mark.parametrize(
    ("minor", "kind"),
    [
        (k.KDC_ERR_PREAUTH_FAILED, e.InvalidCredentials),
        (k.KDC_ERR_C_PRINCIPAL_UNKNOWN, e.InvalidCredentials),
        (k.KDC_ERR_CLIENT_REVOKED, e.AccountRevoked),
        (k.KDC_ERR_NAME_EXP, e.AccountExpired),
        (k.KDC_ERR_KEY_EXPIRED, e.PasswordExpired),
        (k.KRB_AP_ERR_SKEW, e.KerberosClockSkew),
        (k.KRB5_KDC_UNREACH, e.DirectoryUnavailable),
        (k.KRB5_REALM_UNKNOWN, e.DirectoryConfigError),
    ],
)
def test_credential_errors(minor, kind):
    error = k.credential_error(gss_error(minor), "anna@FABRIKAM.TEST")
    assert type(error) is kind
    assert "anna@FABRIKAM.TEST" in str(error)


def test_clock_skew_says_what_to_fix():
    error = k.credential_error(gss_error(k.KRB_AP_ERR_SKEW), "anna@FABRIKAM.TEST")
    assert "clock" in str(error) and "NTP" in str(error)
    assert error.user_message != e.InvalidCredentials.default_user_message


def test_missing_service_principal_names_it():
    error = k.context_error(gss_error(k.KDC_ERR_S_PRINCIPAL_UNKNOWN), "ldap@dc1.fabrikam.test")
    assert isinstance(error, e.KerberosServiceUnknown)
    assert "ldap/dc1.fabrikam.test" in str(error)
    assert isinstance(k.context_error(gss_error(k.KRB_AP_ERR_SKEW), "ldap@dc1"), e.KerberosClockSkew)


def test_private_config_goes_first_and_keeps_the_others(monkeypatch, tmp_path):
    monkeypatch.setenv("KRB5_CONFIG", "/etc/krb5.conf")
    path = k.write_config("FABRIKAM.TEST", ["127.0.0.9", "dc2.fabrikam.test:88"], tmp_path)
    assert os.environ["KRB5_CONFIG"] == f"{path}:/etc/krb5.conf"
    text = path.read_text()
    assert "kdc = 127.0.0.9" in text and "kdc = dc2.fabrikam.test:88" in text
    assert "default_realm = FABRIKAM.TEST" in text
    k.write_config("FABRIKAM.TEST", ["127.0.0.9"], tmp_path)
    assert os.environ["KRB5_CONFIG"] == f"{path}:/etc/krb5.conf"


def test_a_second_private_config_replaces_the_first(monkeypatch):
    monkeypatch.setenv("KRB5_CONFIG", "/etc/krb5.conf")
    first = k.write_config("A.TEST", ["127.0.0.9"])
    second = k.write_config("B.TEST", ["127.0.0.10"])
    try:
        assert os.environ["KRB5_CONFIG"] == f"{second}:/etc/krb5.conf"
        assert first != second
    finally:
        for path in (first, second):
            shutil.rmtree(path.parent)
