"""bind_mode kerberos: the user's ticket from their password, in memory, for a SASL GSSAPI bind.

python-gssapi's acquire_cred_with_password asks the KDC for a ticket-granting ticket and keeps it
in a MEMORY credential cache that MIT krb5 makes for this call alone (never a file, never the
process's default cache), so nothing of the user outlives the sign-in object. ldap3 then binds
with those credentials (sasl_credentials' third element) and sends TLS channel bindings, which
DCs enforcing channel binding require. ldap3 cannot sign or seal SASL, so the bind must go over
LDAPS or StartTLS (AD accepts SASL over TLS; Samba needs `ldap server require strong auth =
allow_sasl_over_tls`).

Realm and KDC come from [directory] kerberos_realm / kerberos_kdc; with no KDC configured, MIT
krb5 finds it itself (its own krb5.conf, or DNS `_kerberos._udp.<realm>` SRV records). When
KDCs are given, a private krb5.conf is written and put first in KRB5_CONFIG for this process:
the system's /etc/krb5.conf is never written.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from kiosk.directory.errors import (
    AccountExpired,
    AccountRevoked,
    DirectoryConfigError,
    DirectoryUnavailable,
    InvalidCredentials,
    KerberosClockSkew,
    KerberosServiceUnknown,
    PasswordExpired,
)
from kiosk.errors import DirectoryError

log = logging.getLogger(__name__)

# MIT krb5's com_err table: KDC and AP error n has minor status ERROR_TABLE_BASE_krb5 + n.
_KRB5_BASE = 0x96C73A00
KDC_ERR_NAME_EXP = _KRB5_BASE + 1
KDC_ERR_C_PRINCIPAL_UNKNOWN = _KRB5_BASE + 6
KDC_ERR_S_PRINCIPAL_UNKNOWN = _KRB5_BASE + 7
KDC_ERR_CLIENT_REVOKED = _KRB5_BASE + 18
KDC_ERR_KEY_EXPIRED = _KRB5_BASE + 23
KDC_ERR_PREAUTH_FAILED = _KRB5_BASE + 24
KRB_AP_ERR_BAD_INTEGRITY = _KRB5_BASE + 31
KRB_AP_ERR_SKEW = _KRB5_BASE + 37
KRB5_KDC_UNREACH = _KRB5_BASE + 156
KRB5_REALM_UNKNOWN = _KRB5_BASE + 157
KRB5_REALM_CANT_RESOLVE = _KRB5_BASE + 137


_PRIVATE_PREFIX = "dsm-kiosk-krb5-"


def _minor(exc: BaseException) -> int:
    return int(getattr(exc, "min_code", 0) or 0) & 0xFFFFFFFF


def credential_error(exc: BaseException, principal: str) -> DirectoryError:
    """The error for a refused acquire_cred_with_password (the KDC's AS exchange)."""
    code = _minor(exc)
    detail = f"Kerberos sign-in of {principal!r} refused: {exc}"
    text = str(exc).lower()
    if code in (KDC_ERR_PREAUTH_FAILED, KRB_AP_ERR_BAD_INTEGRITY, KDC_ERR_C_PRINCIPAL_UNKNOWN):
        return InvalidCredentials(detail)
    if code == KDC_ERR_CLIENT_REVOKED:
        return AccountRevoked(f"{detail} [account disabled, expired or locked out]")
    if code == KDC_ERR_NAME_EXP:
        return AccountExpired(f"{detail} [account expired]")
    if code == KDC_ERR_KEY_EXPIRED:
        return PasswordExpired(f"{detail} [password expired or must be changed]")
    if code == KRB_AP_ERR_SKEW or "clock skew" in text:
        return KerberosClockSkew(
            f"{detail} [this device's clock differs from the KDC's by more than the allowed skew (5 minutes in "
            "AD): synchronise it with the domain (NTP)]"
        )
    if code in (KRB5_REALM_UNKNOWN, KRB5_REALM_CANT_RESOLVE) or "realm" in text and "find" in text:
        return DirectoryConfigError(
            f"{detail} [no KDC known for the realm: set [directory] kerberos_realm and kerberos_kdc, or publish "
            "_kerberos._udp SRV records]"
        )
    if code == KRB5_KDC_UNREACH or "cannot contact" in text:
        return DirectoryUnavailable(f"{detail} [no KDC answered]")
    return InvalidCredentials(detail)


def context_error(exc: BaseException, service: str) -> DirectoryError:
    """The error for a failed GSSAPI exchange with the directory server (the TGS and AP steps)."""
    code = _minor(exc)
    detail = f"Kerberos bind to {service} failed: {exc}"
    if code == KDC_ERR_S_PRINCIPAL_UNKNOWN or "server not found" in str(exc).lower():
        return KerberosServiceUnknown(
            f"{detail} [the realm has no service principal {service.replace('@', '/', 1)}: register it on the DC's "
            "account (setspn -S / samba-tool spn add), or connect by a name it has (kerberos_service_host)]"
        )
    if code == KRB_AP_ERR_SKEW or "clock skew" in str(exc).lower():
        return KerberosClockSkew(f"{detail} [this device's clock differs from the directory server's]")
    return DirectoryUnavailable(detail)


def acquire_credentials(principal: str, password: str):
    """The user's Kerberos credentials, held in a MEMORY ccache only."""
    import gssapi
    from gssapi.raw import acquire_cred_with_password

    try:
        name = gssapi.Name(principal, gssapi.NameType.kerberos_principal)
        result = acquire_cred_with_password(
            name, password.encode("utf-8"), usage="initiate", mechs=[gssapi.MechType.kerberos]
        )
    except gssapi.exceptions.GSSError as exc:
        raise credential_error(exc, principal) from None
    return result.creds


def write_config(realm: str, kdcs: list[str], folder: Path | None = None) -> Path:
    """A private krb5.conf naming `kdcs` for `realm`, put first in KRB5_CONFIG (the files after it
    still apply for everything it does not say)."""
    folder = folder or Path(tempfile.mkdtemp(prefix=_PRIVATE_PREFIX))
    path = folder / "krb5.conf"
    kdc_lines = "".join(f"    kdc = {kdc}\n" for kdc in kdcs)
    path.write_text(
        "[libdefaults]\n"
        f"  default_realm = {realm}\n"
        "  dns_lookup_realm = false\n"
        # The SPN is built from the name the administrator configured, not from reverse DNS.
        "  rdns = false\n"
        "  dns_canonicalize_hostname = false\n"
        f"[realms]\n  {realm} = {{\n{kdc_lines}  }}\n"
    )
    # An earlier private file of ours (a directory opened again) gives way to this one.
    others = [
        p
        for p in os.environ.get("KRB5_CONFIG", "/etc/krb5.conf").split(":")
        if p and p != str(path) and _PRIVATE_PREFIX not in p
    ]
    os.environ["KRB5_CONFIG"] = ":".join([str(path), *others])
    log.info("Kerberos: realm %s, KDC %s (private configuration %s)", realm, ", ".join(kdcs), path)
    return path
