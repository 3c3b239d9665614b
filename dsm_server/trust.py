"""Who may do what at the scan server: enrolled devices, entitled users, the server's own copy
of each scan process (issue #14).

- A device is known by the SHA-256 fingerprint of its TLS client certificate (the TLS front
  hands it to the app). Outside insecure_lab_mode only certificates of the device CA get in,
  and with a fingerprint allow-list only those listed. Every job is bound to its device.
- PSP_Identifier is resolved in the server's own directory, and the server executes ITS copy
  of the instructions. The device may only add what the process allows: e-mail recipients
  (emlf:CanAddAddresses), another DocumentRootName (spx:AllowDeviceFileNameChange), a
  subfolder of one of the process's shares (spx:AllowDeviceFilePathChange); all within the
  server's [limits] (recipient count, mail domains).
- The user SID must be a user of that directory who may use the process (standalone file:
  the process's users, groups or everyone).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import ssl
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import ldap3
from ldap3.core.exceptions import LDAPException
from ldap3.protocol.microsoft import security_descriptor_control
from ldap3.utils.conv import escape_bytes
from lxml import etree

from dsm_server import dacl
from dsm_server.config import ServerConfig, normal_fingerprint
from kiosk.directory.identifiers import sid_to_bytes, sid_to_string
from kiosk.directory.local import LocalDirectory, LocalDirectoryFile, user_sid
from kiosk.errors import DirectoryError
from kiosk.psp.model import NS_EMLF, NS_FSF, NS_PSP, EmailConfig, ScanProcess
from kiosk.psp.overrides import valid_address
from kiosk.psp.parser import PspError, parse_process

log = logging.getLogger("dsm_server")

#: Namespace of this server's own fault subcodes (vendors may add their own, [MS-DSP]).
DSMK = "urn:dsm-kiosk:scan-server"


class Refused(Exception):
    """A request this server will not serve; becomes a SOAP fault with a dsmk: subcode."""

    def __init__(self, subcode: str, reason: str, detail: str | None = None, code: str = "Sender") -> None:
        super().__init__(reason)
        self.subcode, self.reason, self.detail, self.code = subcode, reason, detail, code


def ref(token: str) -> str:
    """A job's name in the log: a JobToken is a capability for the job, so it is logged only at DEBUG."""
    return "job#" + hashlib.sha256(token.encode()).hexdigest()[:12]


# -- devices ---------------------------------------------------------------------------------------
class Devices:
    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self._file_stamp: tuple[int, int] | None = None
        self._file_prints: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def allowed(self) -> frozenset[str]:
        """The fingerprint allow-list (config and file); empty: every certificate of the device CA."""
        listed = set(self.config.devices.fingerprints)
        if self.config.devices.fingerprints_file:
            listed |= self._from_file(self.config.path(self.config.devices.fingerprints_file))
        return frozenset(listed)

    def _from_file(self, path: Path) -> frozenset[str]:
        with self._lock:
            try:
                st = path.stat()
                stamp = (st.st_mtime_ns, st.st_size)
                if stamp != self._file_stamp:
                    prints = set()
                    for line in path.read_text(encoding="utf-8").splitlines():
                        value = normal_fingerprint(line.split("#", 1)[0])
                        if re.fullmatch(r"[0-9a-f]{64}", value):
                            prints.add(value)
                    self._file_prints, self._file_stamp = frozenset(prints), stamp
            except (OSError, UnicodeDecodeError) as exc:
                # Fail closed: a listed device may be refused, an unlisted one never admitted.
                log.error("devices.fingerprints_file %s cannot be read: %s", path, exc)
                return frozenset({"(unreadable)"})
            return self._file_prints

    def identify(self, environ: dict, peer_of) -> str:
        """The device a request comes from ("cert:<sha256>", or "addr:<ip>" in lab mode)."""
        lab = self.config.insecure_lab_mode
        fp = ""
        if peer_of is not None:
            try:
                # The front relays from 127.0.0.1; the same port from another loopback address
                # (127.0.0.2, …) is a local process's own connection, not the relayed one.
                relayed = environ.get("REMOTE_ADDR") == "127.0.0.1"
                found = peer_of(int(environ.get("REMOTE_PORT") or 0)) if relayed else None
            except ValueError:
                found = None
            if found is None:
                # Straight to the loopback port behind the TLS front: no certificate was checked.
                raise Refused("DeviceNotEnrolled", "requests must come through the TLS front")
            fp = found
        if fp:
            listed = self.allowed()
            if listed and fp not in listed and not lab:
                log.warning("refused device %s (%s): not enrolled", fp, environ.get("REMOTE_ADDR"))
                raise Refused("DeviceNotEnrolled", "this device is not enrolled at the scan server", fp)
            return f"cert:{fp}"
        if not lab:
            raise Refused("DeviceNotEnrolled", "this device presented no enrolled certificate")
        return f"addr:{environ.get('REMOTE_ADDR', '')}"


# -- users and processes ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DirectoryUser:
    sid: str
    login: str
    mail: str
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Resolved:
    user: DirectoryUser
    process: ScanProcess


class ServerDirectory:
    """The standalone directory file, read again when it changes (kiosk.directory.local)."""

    def __init__(self, config: ServerConfig) -> None:
        self.path = config.path(config.directory.local_file)
        self._directory = LocalDirectory(self.path)

    def _data(self) -> LocalDirectoryFile:
        try:
            return self._directory.current()
        except DirectoryError as exc:
            raise Refused(
                "DirectoryUnavailable", "the server's directory cannot be read", str(exc), "Receiver"
            ) from None

    def user(self, sid: str) -> DirectoryUser | None:
        data = self._data()
        for login, entry in data.users.items():
            if user_sid(data, login) == sid:
                return DirectoryUser(sid, login, entry.mail, tuple(entry.groups))
        return None

    def resolve(self, sid: str, psp_identifier: str) -> Resolved:
        data = self._data()
        user = self.user(sid)
        if user is None:
            raise Refused("UserNotEntitled", "the user is not known to the scan server's directory", sid)
        try:
            wanted = uuid.UUID(psp_identifier.strip("{}"))
        except ValueError:
            raise Refused("ProcessNotFound", "PSP_Identifier is not a GUID", psp_identifier) from None
        for entry in data.processes:
            try:
                if uuid.UUID(entry.identifier) != wanted:
                    continue
            except ValueError:
                continue
            login = user.login.casefold()
            groups = {g.casefold() for g in user.groups}
            if not (
                entry.everyone
                or login in {u.casefold() for u in entry.users}
                or groups & {g.casefold() for g in entry.groups}
            ):
                raise Refused("UserNotEntitled", "the user may not use this scan process", psp_identifier)
            try:
                xml = entry.xml or (self.path.parent / entry.file).read_text(encoding="utf-8")
                process = parse_process(xml, display_name=entry.name, identifier=str(wanted).upper())
            except (OSError, UnicodeDecodeError, PspError) as exc:
                raise Refused(
                    "ProcessNotFound", "the scan process cannot be read at the server", str(exc), "Receiver"
                ) from None
            return Resolved(user, process)
        raise Refused("ProcessNotFound", "the scan server's directory has no such scan process", psp_identifier)


class LdapServerDirectory:
    """Active Directory through a service account: the user by objectSid, the user's
    tokenGroups, the process by msImaging-PSPIdentifier with its DACL (dsm_server.dacl)."""

    def __init__(self, config: ServerConfig) -> None:
        self.settings = d = config.directory
        tls = ldap3.Tls(
            validate=ssl.CERT_REQUIRED,
            ca_certs_file=str(config.path(d.ca_file)) if d.ca_file else None,
        )
        self.servers = [ldap3.Server(u, tls=tls, connect_timeout=d.timeout, get_info=ldap3.NONE) for u in d.uris]
        self._base = d.base_dn

    def _connect(self) -> ldap3.Connection:
        d = self.settings
        problems = []
        for server in self.servers:
            conn = ldap3.Connection(
                server,
                d.service_dn,
                d.service_password,
                receive_timeout=math.ceil(d.timeout),  # ldap3 packs it as an integer socket option
                raise_exceptions=False,
            )
            try:
                conn.open()
                if d.start_tls and not server.ssl and not conn.start_tls():
                    raise LDAPException(f"StartTLS refused: {conn.result}")
                if conn.bind():
                    return conn
                problems.append(f"{server.name}: bind refused ({conn.result.get('description')})")
            except LDAPException as exc:
                problems.append(f"{server.name}: {exc}")
            conn.unbind()
        raise Refused(
            "DirectoryUnavailable", "the server's directory cannot be reached", "; ".join(problems), "Receiver"
        )

    def _base_dn(self, conn: ldap3.Connection) -> str:
        if not self._base:
            conn.search("", "(objectClass=*)", ldap3.BASE, attributes=["defaultNamingContext"])
            values = conn.response[0]["attributes"].get("defaultNamingContext") if conn.response else None
            if not values:
                raise Refused("DirectoryUnavailable", "the directory names no defaultNamingContext", None, "Receiver")
            self._base = values[0] if isinstance(values, list) else values
        return self._base

    def _user(self, conn: ldap3.Connection, sid: str) -> tuple[str, DirectoryUser] | None:
        try:
            raw = sid_to_bytes(sid)
        except ValueError:
            return None
        conn.search(
            self._base_dn(conn),
            f"(&(objectClass=user)(objectSid={escape_bytes(raw)}))",
            ldap3.SUBTREE,
            attributes=["sAMAccountName", "mail", "userAccountControl", "accountExpires"],
        )
        found = [e for e in conn.response if e.get("type") == "searchResEntry"]
        if not found:
            return None
        raw = found[0]["raw_attributes"]
        if int(_first(raw, "userAccountControl") or 0) & 0x2:  # ACCOUNTDISABLE
            return None
        if account_expired(_first(raw, "accountExpires")):
            return None
        conn.search(found[0]["dn"], "(objectClass=*)", ldap3.BASE, attributes=["tokenGroups"])
        raw_groups = conn.response[0]["raw_attributes"].get("tokenGroups", []) if conn.response else []
        groups = tuple(sid_to_string(g) for g in raw_groups)
        user = DirectoryUser(sid, _first(raw, "sAMAccountName"), _first(raw, "mail"), groups)
        return found[0]["dn"], user

    def user(self, sid: str) -> DirectoryUser | None:
        conn = self._connect()
        try:
            found = self._user(conn, sid)
            return found[1] if found else None
        finally:
            conn.unbind()

    def resolve(self, sid: str, psp_identifier: str) -> Resolved:
        try:
            wanted = uuid.UUID(psp_identifier.strip("{}"))
        except ValueError:
            raise Refused("ProcessNotFound", "PSP_Identifier is not a GUID", psp_identifier) from None
        conn = self._connect()
        try:
            found = self._user(conn, sid)
            if found is None:
                raise Refused("UserNotEntitled", "the user is not an enabled account of the directory", sid)
            user = found[1]
            if not user.groups:
                # tokenGroups always holds the primary group: none means the service account
                # cannot read them, and a deny for one of the user's groups would go unseen.
                raise Refused("DirectoryUnavailable", "the user's groups (tokenGroups) cannot be read", sid, "Receiver")
            raw_id = wanted.bytes_le if self.settings.guid_layout == "mixed-endian" else wanted.bytes
            conn.search(
                f"{self.settings.psp_container},{self._base_dn(conn)}",
                f"(&(objectClass=msImaging-PostScanProcess)(msImaging-PSPIdentifier={escape_bytes(raw_id)}))",
                ldap3.LEVEL,
                attributes=["displayName", "msImaging-PSPString", "nTSecurityDescriptor"],
                controls=security_descriptor_control(sdflags=0x04),  # the DACL only
            )
            entries = [e for e in conn.response if e.get("type") == "searchResEntry"]
        except LDAPException as exc:
            raise Refused("DirectoryUnavailable", "the directory search failed", str(exc), "Receiver") from None
        finally:
            conn.unbind()
        if not entries:
            raise Refused("ProcessNotFound", "the scan server's directory has no such scan process", psp_identifier)
        raw = entries[0]["raw_attributes"]
        descriptor = (raw.get("nTSecurityDescriptor") or [b""])[0]
        try:
            allowed = dacl.may_read(dacl.from_bytes(descriptor), dacl.token(sid, user.groups))
        except dacl.DescriptorError as exc:
            raise Refused(
                "ProcessNotFound", "the scan process's permissions cannot be read", str(exc), "Receiver"
            ) from None
        if not allowed:
            raise Refused("UserNotEntitled", "the user may not use this scan process", psp_identifier)
        try:
            xml = (raw.get("msImaging-PSPString") or [b""])[0].decode("utf-8")
            name = (raw.get("displayName") or [b""])[0].decode("utf-8")
            process = parse_process(xml, display_name=name, identifier=str(wanted).upper(), dn=entries[0]["dn"])
        except (UnicodeDecodeError, PspError) as exc:
            raise Refused(
                "ProcessNotFound", "the scan process cannot be read at the server", str(exc), "Receiver"
            ) from None
        return Resolved(user, process)


#: accountExpires values that mean "never" (AD writes either).
_NEVER_EXPIRES = (0, 0x7FFFFFFFFFFFFFFF)


def account_expired(value: str, now: float | None = None) -> bool:
    """Whether an AD accountExpires (a FILETIME: 100 ns since 1601, as decimal text) lies in
    the past; an empty or unreadable value is no expiry (directories other than AD lack it)."""
    try:
        expires = int(value)
    except ValueError:
        return False
    if expires in _NEVER_EXPIRES:
        return False
    filetime_now = int(((time.time() if now is None else now) + 11_644_473_600) * 10_000_000)
    return expires <= filetime_now


def _first(raw: dict, name: str) -> str:
    values = raw.get(name) or []
    return values[0].decode("utf-8", "replace") if values else ""


def open_directory(config: ServerConfig) -> ServerDirectory | LdapServerDirectory | None:
    backend = config.directory.backend
    if backend == "local":
        return ServerDirectory(config)
    if backend == "ldap":
        return LdapServerDirectory(config)
    return None


# -- the instructions executed ----------------------------------------------------------------------
def _texts(root: etree._Element, path: str) -> list[str]:
    return [(e.text or "").strip() for e in root.iterfind(path)]


def _domain_ok(address: str, domains: list[str]) -> bool:
    domain = address.rpartition("@")[2].lower()
    return not domains or any(domain == d.lower() or domain.endswith("." + d.lower()) for d in domains)


def merge(process: ScanProcess, client: etree._Element, config: ServerConfig) -> etree._Element:
    """The psp:PostScanInstructions to execute: the server's copy, plus what the device added
    where the process allows it. Anything else the device changed is refused."""
    ins = process.instructions
    own = etree.fromstring(ins.xml.encode())
    limits = config.limits
    # DocumentRootName
    theirs = (client.findtext(f"{{{NS_PSP}}}DocumentRootName") or "").strip()
    mine = (own.findtext(f"{{{NS_PSP}}}DocumentRootName") or "").strip()
    if theirs and theirs != mine:
        if not ins.allow_file_name_change:
            raise Refused("NotPermitted", "the scan process does not allow another file name", "DocumentRootName")
        own.find(f"{{{NS_PSP}}}DocumentRootName").text = theirs
    # Filters: the same dialects, in the same order.
    dialects = _texts(own, f"{{{NS_PSP}}}FiltersToProcess/{{{NS_PSP}}}Filter/{{{NS_PSP}}}Dialect")
    if _texts(client, f"{{{NS_PSP}}}FiltersToProcess/{{{NS_PSP}}}Filter/{{{NS_PSP}}}Dialect") != dialects:
        raise Refused("NotPermitted", "the filters differ from the scan process's", "FiltersToProcess")
    # File shares: the process's own, or (AllowDeviceFilePathChange) a subfolder of one of them.
    own_uncs = _texts(own, f".//{{{NS_FSF}}}ShareUNC")
    their_uncs = _texts(client, f".//{{{NS_FSF}}}ShareUNC")
    if their_uncs != own_uncs:
        if not ins.allow_file_path_change or len(their_uncs) != len(own_uncs):
            raise Refused("NotPermitted", "the scan process does not allow another folder", "ShareUNC")
        for base, wanted in zip(own_uncs, their_uncs, strict=True):
            if wanted == base:
                continue
            rest = wanted[len(base) :] if wanted.lower().startswith(base.lower() + "\\") else None
            parts = rest.strip("\\").split("\\") if rest else []
            if not parts or any(p in ("", ".", "..") or re.search(r"[/:*?\"<>|\x00-\x1f]", p) for p in parts):
                raise Refused("NotPermitted", "a changed folder must lie inside the process's share", wanted)
        for element, wanted in zip(own.iterfind(f".//{{{NS_FSF}}}ShareUNC"), their_uncs, strict=True):
            element.text = wanted
    # E-mail: the device may append addresses where the process says CanAddAddresses.
    own_addresses = _texts(own, f".//{{{NS_EMLF}}}EmailAddress")
    their_addresses = _texts(client, f".//{{{NS_EMLF}}}EmailAddress")
    added = [a for a in their_addresses if a not in own_addresses]
    if added:
        email = next((f.config for f in ins.filters if f.dialect == NS_EMLF), None)
        if not isinstance(email, EmailConfig) or not email.can_add_addresses:
            raise Refused("NotPermitted", "the scan process does not allow added e-mail addresses", added[0])
        for address in added:
            if not valid_address(address):
                raise Refused("NotPermitted", "an added e-mail address is not valid", address)
            if not _domain_ok(address, limits.mail_domains):
                raise Refused("NotPermitted", "an added e-mail address is outside the allowed domains", address)
        target = own.find(f".//{{{NS_EMLF}}}SendToAddresses")
        if target is None:
            config_el = own.find(f".//{{{NS_EMLF}}}EmailConfig")
            target = etree.SubElement(config_el, f"{{{NS_EMLF}}}SendToAddresses")
        for address in added:
            etree.SubElement(target, f"{{{NS_EMLF}}}EmailAddress").text = address
    check_recipients(own, limits.max_recipients)
    return own


def check_recipients(instructions: etree._Element, limit: int) -> None:
    count = len([a for a in _texts(instructions, f".//{{{NS_EMLF}}}EmailAddress") if a])
    if count > limit:
        raise Refused("NotPermitted", f"more than {limit} e-mail recipients", str(count))
