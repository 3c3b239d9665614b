"""Active Directory or any LDAP server, through ldap3.

The user binds with their own password (NTLM `DOMAIN\\user`, a UPN, a DN from a template, or a
DN a service account finds first), so the directory's access rules decide which scan processes
the search returns ([MS-BDSRR]/WDD: one-level search under CN=PSPs,CN=System,<base>). Servers
are tried in order; TLS (LDAPS or StartTLS) always verifies the certificate unless tls_verify is
explicitly off. The user name is escaped wherever it goes into a filter or a DN.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import ssl
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import ldap3
from ldap3.core import exceptions as lx
from ldap3.core.tls import check_hostname
from ldap3.operation.search import parse_filter
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn, parse_dn

from kiosk.directory import Directory, DirectorySession, User, kerberos
from kiosk.directory._processes import ProcessCollector
from kiosk.directory.errors import (
    AccountDisabled,
    AccountExpired,
    AccountLocked,
    AccountRestricted,
    DirectoryBindMethodRefused,
    DirectoryConfigError,
    DirectoryReadError,
    DirectoryTlsError,
    DirectoryUnavailable,
    InvalidCredentials,
    PasswordExpired,
    UserHasNoSid,
    UserNotFound,
)
from kiosk.directory.identifiers import guid_to_string, sid_to_string
from kiosk.directory.locator import DomainController, locate, resolver
from kiosk.enterprise_roots import bundle_path, usable_certificates, write_bundle
from kiosk.errors import DirectoryError
from kiosk.psp.model import ProcessList, ScanProcess
from kiosk.psp.parser import PspError, parse_process

if TYPE_CHECKING:
    from kiosk.config import DirectorySettings, Settings

log = logging.getLogger(__name__)

PSP_CLASS = "msImaging-PostScanProcess"
PSP_ATTRIBUTES = ["displayName", "msImaging-PSPIdentifier", "msImaging-PSPString", "serverName"]
USER_ATTRIBUTES = ["objectSid", "displayName", "cn", "mail", "preferredLanguage"]
PAGED_RESULTS_OID = "1.2.840.113556.1.4.319"
CERTIFICATION_AUTHORITIES = "CN=Certification Authorities,CN=Public Key Services,CN=Services"
MAX_USERNAME = 256
# A server that keeps returning cookies must not keep the kiosk in a loop for ever.
MAX_PAGES = 10_000

#: AD's "data" codes in the diagnostic message of a failed bind (invalidCredentials, code 49).
AD_BIND_DATA_CODES: dict[str, tuple[type[DirectoryError], str]] = {
    "525": (InvalidCredentials, "user not found"),
    "52e": (InvalidCredentials, "wrong password"),
    "530": (AccountRestricted, "not permitted to sign in at this time"),
    "531": (AccountRestricted, "not permitted to sign in at this workstation"),
    "532": (PasswordExpired, "password expired"),
    "533": (AccountDisabled, "account disabled"),
    "701": (AccountExpired, "account expired"),
    "773": (PasswordExpired, "password must be changed"),
    "775": (AccountLocked, "account locked out"),
}
_DATA_CODE = re.compile(r"\bdata ([0-9a-fA-F]{3,8})\b")
_TLS_HINTS = ("ssl", "tls", "certificate")


#: Bind results that no password can fix: the server wants another bind method or TLS.
SETUP_BIND_RESULTS = {
    7: "the server does not support this bind method: DCs without NTLM (and Samba) refuse bind_mode ntlm; "
    "use bind_mode upn over ldaps:// or start_tls, or bind_mode kerberos",
    8: "the server requires a stronger bind: a simple bind needs ldaps:// or start_tls = true (AD refuses it "
    "on plain LDAP when LDAP signing is required), and a Kerberos bind needs TLS too, since this kiosk does "
    "not sign SASL (the DC must accept SASL over TLS)",
    13: "the server requires TLS: use ldaps:// or start_tls = true",
    34: "the server does not take this bind name (bind_mode, dn_template)",
}
#: Of those, the ones about the method (or transport) rather than the bind name.
METHOD_BIND_RESULTS = {7, 8, 13}


def bind_error(result: dict[str, Any], who: str) -> DirectoryError:
    """The error for a refused bind: AD's data code when there is one, a refused method or a setup
    problem when no password can help, else wrong credentials."""
    message = str(result.get("message") or "")
    detail = f"bind as {who!r} refused: {result.get('description')} ({result.get('result')}) {message}".strip()
    if result.get("result") in METHOD_BIND_RESULTS:
        return DirectoryBindMethodRefused(f"{detail} [{SETUP_BIND_RESULTS[result['result']]}]")
    if result.get("result") in SETUP_BIND_RESULTS:
        return DirectoryConfigError(f"{detail} [{SETUP_BIND_RESULTS[result['result']]}]")
    match = _DATA_CODE.search(message)
    if result.get("result") == 49 and match:
        code = match.group(1).lower()
        if code in AD_BIND_DATA_CODES:
            kind, meaning = AD_BIND_DATA_CODES[code]
            return kind(f"{detail} [AD data {code}: {meaning}]")
    return InvalidCredentials(detail)


def dns_name(base_dn: str) -> str:
    """`DC=example,DC=com` → `example.com` (the default UPN suffix)."""
    return ".".join(value for attr, value, _ in parse_dn(base_dn) if attr.lower() == "dc")


def check_username(username: str, bind_mode: str) -> str:
    """The name as typed, refused (as wrong credentials) when it cannot be anybody's."""
    name = unicodedata.normalize("NFC", username.strip())
    if not name or len(name) > MAX_USERNAME:
        raise InvalidCredentials("sign-in name is empty or too long")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        raise InvalidCredentials("sign-in name holds control characters")
    # In these modes the name is glued to a domain; a second domain part would pick another account.
    if bind_mode in ("ntlm", "upn", "kerberos") and ("\\" in name or "@" in name):
        raise InvalidCredentials(f"sign-in name {name!r} holds a domain part")
    return name


@dataclass(frozen=True)
class BindTarget:
    user: str
    authentication: str


def bind_target(settings: DirectorySettings, username: str, base_dn: str) -> BindTarget:
    """What the user's own bind sends, for the ntlm, upn and dn_template modes."""
    if settings.bind_mode == "ntlm":
        return BindTarget(f"{settings.ntlm_domain}\\{username}", ldap3.NTLM)
    if settings.bind_mode == "upn":
        suffix = settings.upn_suffix or dns_name(base_dn)
        return BindTarget(f"{username}@{suffix}", ldap3.SIMPLE)
    if settings.bind_mode == "dn_template":
        return BindTarget(settings.dn_template.replace("{username}", escape_rdn(username)), ldap3.SIMPLE)
    if settings.bind_mode == "kerberos":
        return BindTarget(username, ldap3.SASL)
    raise ValueError(f"bind_mode {settings.bind_mode!r} has no fixed bind target")


def user_filter(attribute: str, username: str) -> str:
    return f"(&(objectClass=*)({attribute}={escape_filter_chars(username)}))"


def _first(values: dict[str, list[bytes]], name: str) -> bytes | None:
    for key, value in values.items():
        if key.lower() == name.lower() and value:
            return value[0]
    return None


def _text(values: dict[str, list[bytes]], name: str) -> str:
    raw = _first(values, name)
    return raw.decode("utf-8", errors="replace") if raw is not None else ""


def _data_context(values: dict[str, list[bytes]]) -> str:
    """Without AD's defaultNamingContext (OpenLDAP and others): the first naming context that
    holds data, not the server's configuration, schema or monitor."""
    for key, contexts in values.items():
        if key.lower() != "namingcontexts":
            continue
        for raw in contexts:
            dn = raw.decode("utf-8", errors="replace")
            if dn and dn.split("=", 1)[0].strip().lower() != "cn":
                return dn
    return ""


@dataclass(frozen=True)
class ServerProbe:
    """What LdapDirectory.probe_servers found of one directory server."""

    name: str
    #: "ldaps", "start_tls" or "plain" (the server refused StartTLS with start_tls "auto");
    #: empty when it could not be used (`error`).
    transport: str
    #: The server's certificate as ssl.getpeercert() gives it (verified), or None.
    certificate: dict | None
    #: RootDSE currentTime (AD's GeneralizedTime), or None.
    current_time: bytes | None
    error: BaseException | None = None
    tls_failed: bool = False


def _is_tls_failure(exc: BaseException) -> bool:
    if isinstance(exc, (lx.LDAPCertificateError, lx.LDAPStartTLSError, ssl.SSLError)):
        return True
    return any(hint in str(exc).lower() for hint in _TLS_HINTS)


def _unbind(conn: ldap3.Connection) -> None:
    """Unbind and drop the password; a connection that already broke is only closed."""
    conn.password = None
    try:
        conn.unbind()
    except (lx.LDAPException, OSError) as exc:
        log.debug("unbind from %s: %s", conn.server.name, exc)


class _DcNameTls(ldap3.Tls):
    """TLS to a located DC: the certificate must name the DC's DNS name, not merely the address
    the connection went to (which ldap3 alone would accept)."""

    def __init__(self, dc_name: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dc_name = dc_name

    def wrap_socket(self, connection: ldap3.Connection, do_handshake: bool = False) -> None:
        super().wrap_socket(connection, do_handshake)
        if do_handshake and self.validate != ssl.CERT_NONE:
            check_hostname(connection.socket, self.dc_name, None)


class LdapDirectory(Directory):
    def __init__(self, settings: DirectorySettings, root: Settings | None = None) -> None:
        self.settings = settings
        self._check(settings)
        ca_file = ""
        if settings.ca_file:
            path = root.resolve_path(settings.ca_file) if root else Path(settings.ca_file)
            if not path.is_file():
                raise DirectoryConfigError(f"[directory] ca_file {path}: no such file")
            ca_file = str(path)
        self._tls = ldap3.Tls(
            validate=ssl.CERT_REQUIRED if settings.tls_verify else ssl.CERT_NONE,
            ca_certs_file=ca_file or None,
            version=None,
        )
        self._ca_file = ca_file
        self._servers = [self._server(uri) for uri in settings.uris]
        self._base_dn = settings.base_dn
        self._base_lock = threading.Lock()
        self._roots_bundle = bundle_path(root) if root and root.scan_server.ca_from_directory else None
        self._configuration_dn = ""
        self._krb5_conf: Path | None = None

    @staticmethod
    def _check(s: DirectorySettings) -> None:
        problems = []
        if not s.uris and not s.domain:
            problems.append("uris is empty (or set domain to find the DCs through DNS)")
        for uri in s.uris:
            parts = urlsplit(uri)
            if parts.scheme not in ("ldap", "ldaps") or not parts.hostname:
                problems.append(f"uris: {uri!r} is not an ldap:// or ldaps:// URI")
        if s.bind_mode == "kerberos":
            plain = [u for u in s.uris if urlsplit(u).scheme == "ldap"] if s.start_tls is False else []
            if plain:
                problems.append(
                    f"bind_mode kerberos needs ldaps:// or start_tls (this kiosk cannot sign or seal SASL): {plain}"
                )
        if s.dns_servers:
            try:
                resolver(s.dns_servers)
            except DirectoryConfigError as exc:
                problems.append(str(exc).removeprefix("[directory] "))
        if s.bind_mode == "ntlm" and not s.ntlm_domain:
            problems.append("bind_mode ntlm needs ntlm_domain")
        if s.bind_mode == "dn_template" and "{username}" not in s.dn_template:
            problems.append("bind_mode dn_template needs dn_template with {username}")
        if s.bind_mode == "search" and not (s.service_dn and s.service_password):
            problems.append("bind_mode search needs service_dn and service_password")
        if s.badge_lookup == "attribute" and not (s.badge_attribute and s.service_dn and s.service_password):
            problems.append("badge_lookup attribute needs badge_attribute, service_dn and service_password")
        if s.process_filter:
            try:
                parse_filter(s.process_filter, None, False, False, None, False)
            except (lx.LDAPException, IndexError, ValueError) as exc:
                problems.append(f"process_filter {s.process_filter!r} is not an LDAP filter: {exc}")
        if problems:
            raise DirectoryConfigError("[directory] " + "; ".join(problems))

    def _server(self, uri: str) -> ldap3.Server:
        parts = urlsplit(uri)
        secure = parts.scheme == "ldaps"
        return ldap3.Server(
            parts.hostname,
            port=parts.port or (636 if secure else 389),
            use_ssl=secure,
            tls=self._tls,
            get_info=ldap3.NONE,
            connect_timeout=self.settings.connect_timeout,
        )

    def _connection(
        self,
        server: ldap3.Server,
        user: str | None = None,
        password: str | None = None,
        authentication: str = ldap3.ANONYMOUS,
    ) -> ldap3.Connection:
        return ldap3.Connection(
            server,
            user=user,
            password=password,
            authentication=authentication,
            read_only=True,
            raise_exceptions=False,
            auto_referrals=False,
            # ldap3 packs it into SO_RCVTIMEO as whole seconds.
            receive_timeout=math.ceil(self.settings.read_timeout),
            check_names=False,
        )

    def _located_server(self, dc: DomainController) -> ldap3.Server:
        """A DC from the locator: reached at its address, verified and named by its DNS name."""
        s = self.settings
        ldaps = s.locator_transport == "ldaps"
        tls = _DcNameTls(
            dc.hostname,
            validate=ssl.CERT_REQUIRED if s.tls_verify else ssl.CERT_NONE,
            ca_certs_file=self._ca_file or None,
            version=None,
            sni=dc.hostname,
        )
        server = ldap3.Server(
            dc.address,
            port=636 if ldaps else dc.port,
            use_ssl=ldaps,
            tls=tls,
            get_info=ldap3.NONE,
            connect_timeout=s.connect_timeout,
        )
        server.dsm_dc_name = dc.hostname
        return server

    def _candidates(self) -> list[ldap3.Server]:
        if self._servers:
            return self._servers
        s = self.settings
        located = locate(s.domain, s.site, s.dns_servers, s.connect_timeout)
        if s.bind_mode == "kerberos" and s.dns_servers and not s.kerberos_kdc:
            # Every AD DC is a KDC; the system's krb5 may not resolve them (a private DNS server).
            with self._base_lock:
                if self._krb5_conf is None:
                    realm = (s.kerberos_realm or s.domain).upper()
                    self._krb5_conf = kerberos.write_config(realm, list(dict.fromkeys(dc.address for dc in located)))
        return [self._located_server(dc) for dc in located]

    def _start_tls_wanted(self, server: ldap3.Server) -> bool | str:
        if server.ssl:
            return False
        if getattr(server, "dsm_dc_name", None):
            return self.settings.locator_transport == "start_tls"
        return self.settings.start_tls

    def _secure(self, conn: ldap3.Connection, server: ldap3.Server) -> None:
        """StartTLS on an ldap:// connection when configured, or with start_tls "auto" unless the
        server refuses the request (then plain LDAP, with a warning). TLS that fails after the
        server agreed is never skipped: that is a certificate or handshake error."""
        wanted = self._start_tls_wanted(server)
        if not wanted:
            return
        # Not every server lists StartTLS in its RootDSE (Samba does not), so "auto" asks.
        try:
            if conn.start_tls():
                return
        except lx.LDAPStartTLSError:
            if conn.tls_started:
                raise  # the server agreed; the handshake or certificate failed
        result = conn.result or {}
        refused = result.get("type") == "extendedResp" and result.get("result") not in (None, 0)
        if wanted == "auto" and refused:
            if self.settings.bind_mode == "kerberos":
                raise DirectoryBindMethodRefused(
                    f"{server.name} refuses StartTLS ({result.get('description')}) and bind_mode kerberos needs TLS: "
                    "use ldaps://"
                )
            log.warning(
                "directory server %s refuses StartTLS (%s): the password goes over plain LDAP "
                "(use ldaps:// or give the server a certificate; start_tls = false silences this)",
                server.name,
                result.get("description"),
            )
            return
        raise lx.LDAPStartTLSError(f"StartTLS refused: {result.get('description')} {result.get('message')}")

    def _open(self) -> tuple[ldap3.Server, ldap3.Connection]:
        """An open connection (TLS started when configured) to the first server that answers."""
        failures: list[str] = []
        tls_failed = False
        for server in self._candidates():
            conn = self._connection(server)
            try:
                conn.open()
                self._secure(conn, server)
                return server, conn
            except (lx.LDAPException, OSError) as exc:
                _unbind(conn)
                is_tls = _is_tls_failure(exc)
                tls_failed |= is_tls
                failures.append(f"{server.name}: {'TLS ' if is_tls else ''}{exc}")
                log.warning("directory server %s failed: %s", server.name, exc)
        detail = "no directory server could be used: " + "; ".join(failures)
        if tls_failed:
            if any(hint in detail for hint in ("not yet valid", "has expired")):
                detail += " [a certificate outside its validity: check this device's clock (NTP) first]"
            raise DirectoryTlsError(detail)
        raise DirectoryUnavailable(detail)

    def probe_servers(self) -> list[ServerProbe]:
        """Each server a sign-in would try (the configured uris, or the DCs the locator finds),
        reached exactly as a sign-in reaches it (TLS settings, StartTLS and its "auto" fallback,
        the DC's name for its certificate), and asked for its RootDSE currentTime: for
        `dsm-kiosk doctor`. DirectoryUnavailable when the locator finds no DC."""
        probes = []
        for server in self._candidates():
            dc_name = getattr(server, "dsm_dc_name", None)
            scheme = "ldaps" if server.ssl else "ldap"
            name = f"{scheme}://{dc_name}:{server.port} ({server.host})" if dc_name else self._uri_of(server)
            conn = self._connection(server)
            try:
                conn.open()
                self._secure(conn, server)
                transport = "ldaps" if server.ssl else "start_tls" if conn.tls_started else "plain"
                cert = conn.socket.getpeercert() if transport != "plain" and self.settings.tls_verify else None
                conn.search("", "(objectClass=*)", ldap3.BASE, attributes=["currentTime"])
                entries = [r for r in conn.response or [] if r.get("type") == "searchResEntry"]
                raw = entries[0].get("raw_attributes", {}).get("currentTime") if entries else None
                probes.append(ServerProbe(name, transport, cert, raw[0] if raw else None))
            except (lx.LDAPException, OSError) as exc:
                probes.append(ServerProbe(name, "", None, None, exc, _is_tls_failure(exc)))
            finally:
                _unbind(conn)
        return probes

    def _uri_of(self, server: ldap3.Server) -> str:
        for uri, configured in zip(self.settings.uris, self._servers, strict=False):
            if configured is server:
                return uri
        return server.name

    def _base(self, conn: ldap3.Connection) -> str:
        with self._base_lock:
            if self._base_dn:
                return self._base_dn
            conn.search("", "(objectClass=*)", ldap3.BASE, attributes=["defaultNamingContext", "namingContexts"])
            entries = [r for r in conn.response or [] if r.get("type") == "searchResEntry"]
            values = entries[0]["raw_attributes"] if entries else {}
            value = _text(values, "defaultNamingContext") or _data_context(values)
            if not value:
                raise DirectoryConfigError(
                    f"[directory] base_dn is empty and the RootDSE of {conn.server.name} names no "
                    "defaultNamingContext and no data naming context: set base_dn"
                )
            if not _text(values, "defaultNamingContext"):
                log.info("not AD (no defaultNamingContext): base DN %s from namingContexts", value)
            self._base_dn = value
            return value

    def _find_dn(self, server: ldap3.Server, base: str, username: str) -> str:
        """search mode: the service account finds the user's DN."""
        found = self._service_search(server, base, user_filter(self.settings.user_attribute, username), "1.1")
        if len(found) != 1:
            raise InvalidCredentials(f"search mode: {len(found)} entries match {username!r}")
        return found[0]["dn"]

    def _badge_owner(self, badge_id: str) -> str | None:
        s = self.settings
        server, conn = self._open()
        try:
            base = self._base(conn)
        finally:
            _unbind(conn)
        found = self._service_search(server, base, user_filter(s.badge_attribute, badge_id), s.user_attribute)
        logins = [_text(r["raw_attributes"], s.user_attribute) for r in found]
        if len(logins) != 1 or not logins[0]:
            log.warning("badge lookup: %d entries hold the badge in %s", len(logins), s.badge_attribute)
            return None
        return logins[0]

    def _service_search(self, server: ldap3.Server, base: str, search: str, attribute: str) -> list[dict[str, Any]]:
        """Up to two entries found by the service account (two are enough to tell "not unique")."""
        s = self.settings
        conn = self._connection(server, s.service_dn, s.service_password, ldap3.SIMPLE)
        try:
            conn.open()
            try:
                self._secure(conn, server)
            except lx.LDAPStartTLSError as exc:
                raise DirectoryTlsError(f"StartTLS for the service account on {server.name}: {exc}") from None
            if not conn.bind():
                raise DirectoryConfigError(
                    f"[directory] service_dn {s.service_dn!r} cannot bind: {conn.result.get('description')} "
                    f"{conn.result.get('message')}"
                )
            conn.search(base, search, ldap3.SUBTREE, attributes=[attribute], size_limit=2)
            return [r for r in conn.response or [] if r.get("type") == "searchResEntry"]
        except lx.LDAPException as exc:
            raise DirectoryUnavailable(f"user search on {server.name} failed: {exc}") from None
        finally:
            _unbind(conn)

    def sign_in(self, username: str, password: str) -> LdapSession:
        s = self.settings
        if not s.tls_verify:
            log.warning("directory TLS certificates are NOT verified ([directory] tls_verify = false)")
        name = check_username(username, s.bind_mode)
        if not password:
            # An empty password would be an unauthenticated bind, which most servers accept.
            raise InvalidCredentials(f"empty password for {name!r}")
        server, conn = self._open()
        try:
            base = self._base(conn)
            if s.bind_mode == "search":
                target = BindTarget(self._find_dn(server, base, name), ldap3.SIMPLE)
            else:
                target = bind_target(s, name, base)
            if s.bind_mode == "kerberos":
                bound, who = self._kerberos_bind(conn, server, name, password, base), name
            else:
                conn.user, conn.password, conn.authentication = target.user, password, target.authentication
                bound, who = self._bind(conn, target), target.user
            # Nothing after the bind needs the password again.
            conn.password = None
            if not bound:
                raise bind_error(conn.result, who)
            known_dn = target.user if s.bind_mode in ("dn_template", "search") else None
            user = self._read_user(conn, base, name, known_dn)
            if self._roots_bundle is not None:
                self._keep_enterprise_roots(conn, base, self._roots_bundle)
        except lx.LDAPException as exc:
            _unbind(conn)
            if _is_tls_failure(exc):
                raise DirectoryTlsError(f"sign-in on {server.name} failed: {exc}") from None
            raise DirectoryUnavailable(f"sign-in on {server.name} failed: {exc}") from None
        except BaseException:
            _unbind(conn)
            raise
        log.info("signed in %s (%s) on %s", user.login, user.sid, server.name)
        return LdapSession(self, conn, user, base)

    def _bind(self, conn: ldap3.Connection, target: BindTarget) -> bool:
        try:
            return conn.bind()
        except (lx.LDAPSessionTerminatedByServerError, lx.LDAPSocketReceiveError) as exc:
            if target.authentication != ldap3.NTLM:
                raise
            # A DC that does not take ldap3's NTLM (Sicily) bind drops the connection instead of answering.
            raise DirectoryBindMethodRefused(
                f"NTLM bind as {target.user!r} on {conn.server.name}: {exc} [the server does not take this NTLM bind "
                "(Samba never does, AD not where NTLM is restricted): use bind_mode upn over ldaps:// or start_tls, "
                "or bind_mode kerberos]"
            ) from None

    def kerberos_realm(self, base: str) -> str:
        s = self.settings
        return (s.kerberos_realm or s.upn_suffix or s.domain or dns_name(base)).upper()

    def _kerberos_bind(self, conn: ldap3.Connection, server: ldap3.Server, name: str, password: str, base: str) -> bool:
        """SASL GSSAPI with a ticket from the user's password (kept in memory only)."""
        import gssapi

        s = self.settings
        realm = self.kerberos_realm(base)
        with self._base_lock:
            if s.kerberos_kdc and self._krb5_conf is None:
                self._krb5_conf = kerberos.write_config(realm, s.kerberos_kdc)
        credentials = kerberos.acquire_credentials(f"{name}@{realm}", password)
        service_host = s.kerberos_service_host or getattr(server, "dsm_dc_name", None) or server.host
        conn.user, conn.password = None, None
        conn.authentication, conn.sasl_mechanism = ldap3.SASL, ldap3.KERBEROS
        conn.sasl_credentials = (service_host, None, credentials)
        try:
            return conn.bind()
        except gssapi.exceptions.GSSError as exc:
            raise kerberos.context_error(exc, f"ldap@{service_host}") from None
        finally:
            conn.sasl_credentials = None

    def _configuration(self, conn: ldap3.Connection, base: str) -> str:
        """The forest's configuration partition: the RootDSE's configurationNamingContext, else
        CN=Configuration under the base DN."""
        with self._base_lock:
            if not self._configuration_dn:
                conn.search("", "(objectClass=*)", ldap3.BASE, attributes=["configurationNamingContext"])
                entries = [r for r in conn.response or [] if r.get("type") == "searchResEntry"]
                found = _text(entries[0]["raw_attributes"], "configurationNamingContext") if entries else ""
                self._configuration_dn = found or f"CN=Configuration,{base}"
            return self._configuration_dn

    def _keep_enterprise_roots(self, conn: ldap3.Connection, base: str, bundle: Path) -> None:
        """Read the enterprise root CAs as the user and keep them for the delivery worker. A
        failure only costs the worker these roots, so it never fails the sign-in."""
        where = f"{CERTIFICATION_AUTHORITIES},<configuration of {base}>"
        try:
            where = f"{CERTIFICATION_AUTHORITIES},{self._configuration(conn, base)}"
            conn.search(where, "(objectClass=certificationAuthority)", ldap3.LEVEL, attributes=["cACertificate"])
            if conn.result.get("result") != 0:
                log.warning(
                    "cannot read the enterprise root CAs under %s: %s %s",
                    where,
                    conn.result.get("description"),
                    conn.result.get("message"),
                )
                return
            found = [
                value
                for entry in conn.response or []
                if entry.get("type") == "searchResEntry"
                # OpenLDAP names it cACertificate;binary, AD plain cACertificate.
                for key, values in entry["raw_attributes"].items()
                if key.split(";")[0].lower() == "cacertificate"
                for value in values
            ]
            certificates = usable_certificates(found, where)
            if not certificates:
                log.warning("no usable enterprise root CA under %s; keeping %s as it is", where, bundle)
                return
            write_bundle(bundle, certificates)
        except (lx.LDAPException, OSError) as exc:
            log.warning("cannot keep the enterprise root CAs from %s in %s: %s", where, bundle, exc)
            return
        log.info("kept %d enterprise root CA(s) from %s in %s", len(certificates), where, bundle)

    def _read_user(self, conn: ldap3.Connection, base: str, name: str, known_dn: str | None) -> User:
        attribute = self.settings.user_attribute
        attributes = [*USER_ATTRIBUTES, attribute]
        if known_dn:
            conn.search(known_dn, "(objectClass=*)", ldap3.BASE, attributes=attributes)
        else:
            conn.search(base, user_filter(attribute, name), ldap3.SUBTREE, attributes=attributes, size_limit=2)
        entries = [r for r in conn.response or [] if r.get("type") == "searchResEntry"]
        if len(entries) != 1:
            where = known_dn or f"{attribute}={name} under {base}"
            raise UserNotFound(f"bound, but {len(entries)} entries found for {where}: {conn.result.get('description')}")
        entry = entries[0]
        values = entry["raw_attributes"]
        raw_sid = _first(values, "objectSid")
        if raw_sid is None:
            raise UserHasNoSid(f"{entry['dn']} has no objectSid")
        try:
            sid = sid_to_string(raw_sid)
        except DirectoryError as exc:
            raise UserHasNoSid(f"{entry['dn']}: {exc}") from None
        login = _text(values, attribute) or name
        return User(
            sid=sid,
            login=login,
            display_name=_text(values, "displayName") or _text(values, "cn") or login,
            mail=_text(values, "mail"),
            language=_text(values, "preferredLanguage"),
            dn=entry["dn"],
        )


class LdapSession(DirectorySession):
    def __init__(self, directory: LdapDirectory, conn: ldap3.Connection, user: User, base: str) -> None:
        self.directory = directory
        self.user = user
        self._conn: ldap3.Connection | None = conn
        self._base = base
        # ldap3's synchronous strategy is not safe for two threads on one connection.
        self._lock = threading.Lock()

    @property
    def psp_base(self) -> str:
        container = self.directory.settings.psp_container
        return f"{container},{self._base}" if container else self._base

    def _filter(self) -> str:
        extra = self.directory.settings.process_filter
        return f"(&(objectClass={PSP_CLASS}){extra})"

    def _entries(self, conn: ldap3.Connection, limits: list[str]) -> Iterator[dict[str, Any]]:
        """Every entry, page by page. A size limit the server enforces on the whole search ends it
        early; `limits` then says so, and the entries already sent are still used."""
        cookie: bytes | None = None
        for _ in range(MAX_PAGES):
            conn.search(
                self.psp_base,
                self._filter(),
                ldap3.LEVEL,
                attributes=PSP_ATTRIBUTES,
                paged_size=self.directory.settings.page_size,
                paged_cookie=cookie,
            )
            result = conn.result
            code = result.get("result")
            if code == 32:  # noSuchObject: no container, or none the user may see
                log.info("no scan-process container %s visible to %s", self.psp_base, self.user.login)
                return
            if code not in (0, 4):
                raise DirectoryReadError(
                    f"scan-process search under {self.psp_base} failed:"
                    f" {result.get('description')} {result.get('message')}"
                )
            for response in conn.response or []:
                if response.get("type") == "searchResEntry":
                    yield response
            if code == 4:
                limits.append(
                    f"the directory's size limit ended the search early: {result.get('message') or 'sizeLimitExceeded'}"
                )
                return
            controls = result.get("controls") or {}
            cookie = controls.get(PAGED_RESULTS_OID, {}).get("value", {}).get("cookie") or None
            if not cookie:
                return
        raise DirectoryReadError(f"scan-process search under {self.psp_base} returned more than {MAX_PAGES} pages")

    def _build(self, entry: dict[str, Any]) -> ScanProcess:
        values = entry["raw_attributes"]
        raw_id = _first(values, "msImaging-PSPIdentifier")
        if raw_id is None:
            raise PspError("msImaging-PSPIdentifier is missing")
        raw_xml = _first(values, "msImaging-PSPString")
        if raw_xml is None:
            raise PspError("msImaging-PSPString is missing")
        try:
            xml = raw_xml.decode("utf-8")
        except UnicodeDecodeError:
            raise PspError("msImaging-PSPString is not UTF-8") from None
        return parse_process(
            xml,
            display_name=_text(values, "displayName"),
            identifier=guid_to_string(raw_id, self.directory.settings.guid_layout),
            server_name=_text(values, "serverName") or None,
            dn=entry["dn"],
        )

    def scan_processes(self) -> ProcessList:
        with self._lock:
            conn = self._conn
            if conn is None:
                raise DirectoryReadError(f"the directory session of {self.user.login} is closed")
            collector = ProcessCollector(self.user.login)
            limits: list[str] = []
            try:
                for entry in self._entries(conn, limits):
                    name = _text(entry["raw_attributes"], "displayName") or entry["dn"]
                    collector.add(name, entry["dn"], functools.partial(self._build, entry))
            except lx.LDAPException as exc:
                raise DirectoryReadError(f"scan-process search under {self.psp_base} failed: {exc}") from None
            for reason in limits:
                # Counted with the unusable ones, so the panel says that some are missing.
                collector.left_out("(further scan processes)", self.psp_base, reason)
            return collector.result()

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            _unbind(conn)
