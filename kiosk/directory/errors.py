"""Directory errors the panel tells apart. `str()` is for the log and never holds a password."""

from __future__ import annotations

from kiosk.errors import DirectoryError


class DirectoryConfigError(DirectoryError):
    """The [directory] settings or the standalone directory file cannot be used."""

    default_user_message = "The directory is not configured correctly. Please call your administrator."
    exit_code = 2
    code = "directory_config"


class DirectoryUnavailable(DirectoryError):
    default_user_message = "No directory server can be reached. Please try again later."
    code = "directory_unavailable"


class DirectoryTlsError(DirectoryError):
    default_user_message = "The directory server's identity could not be verified. Please call your administrator."
    code = "directory_tls"


class DirectoryBindMethodRefused(DirectoryConfigError):
    """The server refuses how we bind (plain simple bind, NTLM, SASL without signing): no password
    fixes it, only [directory] settings or the DC's policy; `str()` says which."""

    default_user_message = "The directory refused this kind of sign-in. Please call your administrator."
    exit_code = 2
    code = "directory_bind_method"


class KerberosClockSkew(DirectoryConfigError):
    default_user_message = (
        "This device's clock is wrong, so the directory refused the sign-in. Please call your administrator."
    )
    code = "kerberos_clock_skew"


class KerberosServiceUnknown(DirectoryConfigError):
    default_user_message = (
        "The directory server is not known to Kerberos by the name this device uses. Please call your administrator."
    )
    code = "kerberos_service_unknown"


class InvalidCredentials(DirectoryError):
    # Same message for an unknown name and a wrong password: the panel must not reveal which.
    default_user_message = "Wrong user name or password."
    code = "invalid_credentials"


class AccountLocked(DirectoryError):
    default_user_message = "Your account is locked. Please call your administrator."
    code = "account_locked"


class AccountDisabled(DirectoryError):
    default_user_message = "Your account is disabled. Please call your administrator."
    code = "account_disabled"


class AccountExpired(DirectoryError):
    default_user_message = "Your account has expired. Please call your administrator."
    code = "account_expired"


class AccountRevoked(DirectoryError):
    """Kerberos' KDC_ERR_CLIENT_REVOKED: AD gives it for a disabled, expired or locked-out account
    alike, and GSSAPI does not pass on the detail that tells them apart."""

    default_user_message = "Your account is disabled, expired or locked. Please call your administrator."
    code = "account_revoked"


class PasswordExpired(DirectoryError):
    default_user_message = "Your password has expired or must be changed. Please change it at a computer first."
    code = "password_expired"


class AccountRestricted(DirectoryError):
    default_user_message = "Your account may not sign in here or at this time."
    code = "account_restricted"


class UserNotFound(DirectoryError):
    default_user_message = "Your account could not be read from the directory. Please call your administrator."
    code = "user_not_found"


class UserHasNoSid(DirectoryError):
    default_user_message = "Your account has no security identifier, so scans cannot be delivered for you."
    code = "user_has_no_sid"


class DirectoryReadError(DirectoryError):
    default_user_message = "Your scan processes could not be read from the directory."
    code = "directory_read"


class BadgeSignInRefused(DirectoryError):
    default_user_message = "A badge alone cannot sign you in here. Please enter your password."
    code = "badge_refused"
