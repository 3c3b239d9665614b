"""Where scan processes live: AD/LDAP (msImaging-PostScanProcess objects) or the standalone file.

Both stores answer the same calls, so `dsm-admin` and the console do not care which one a site
uses. Every document is checked with `spec.check_document` before it is written. Names in
`grant`/`revoke` are logins, group names, UPNs or SIDs; the LDAP store turns them into SIDs
in the object's nTSecurityDescriptor, the local store keeps them in the process's `users` and
`groups` (its `everyone` flag plays Authenticated Users).
"""

from __future__ import annotations

import logging
import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ldap3
import tomlkit
from ldap3.core import exceptions as lx
from ldap3.protocol.microsoft import security_descriptor_control
from ldap3.utils.conv import escape_bytes, escape_filter_chars
from ldap3.utils.dn import escape_rdn
from pydantic import ValidationError

from dsm_server.admin import security
from dsm_server.admin.errors import (
    AdminError,
    DuplicateProcess,
    MissingRights,
    NotSupported,
    PrincipalNotFound,
    ProcessNotFound,
    SchemaRefused,
)
from dsm_server.admin.spec import check_document
from kiosk.directory.errors import DirectoryConfigError, DirectoryUnavailable
from kiosk.directory.identifiers import guid_text, guid_to_string, is_sid, sid_to_bytes, sid_to_string
from kiosk.directory.ldap import PSP_ATTRIBUTES, PSP_CLASS, LdapDirectory, bind_error, bind_target, dns_name
from kiosk.directory.local import LocalDirectoryFile, load_file, user_sid
from kiosk.durable import write_durably
from kiosk.errors import KioskError
from kiosk.psp.model import MAX_PSP_STRING

log = logging.getLogger(__name__)

WELL_KNOWN = {security.AUTHENTICATED_USERS: "Authenticated Users", security.EVERYONE: "Everyone"}
#: Names that mean "every signed-in user" in grant/revoke.
EVERYONE_NAMES = {"everyone", "authenticated users", security.AUTHENTICATED_USERS.lower(), security.EVERYONE.lower()}


@dataclass(frozen=True)
class Principal:
    name: str
    sid: str
    kind: str  # "user", "group" or "well-known"
    dn: str = ""


@dataclass
class StoredProcess:
    name: str
    identifier: str
    server_name: str
    xml: str
    #: The LDAP DN, or `<file>#<name>` for the standalone file.
    dn: str
    everyone: bool = False
    readers: list[Principal] = field(default_factory=list)
    #: Why a kiosk would not list the process (empty: it is usable).
    problem: str = ""

    def to_json(self, *, with_xml: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "identifier": self.identifier,
            "server_name": self.server_name,
            "dn": self.dn,
            "everyone": self.everyone,
            "readers": [{"name": p.name, "sid": p.sid, "kind": p.kind} for p in self.readers],
            "problem": self.problem,
        }
        if with_xml:
            data["xml"] = self.xml
        return data


def _problem(name: str, identifier: str, server_name: str, xml: str) -> str:
    try:
        check_document(xml, name=name, identifier=identifier, server_name=server_name or None)
    except AdminError as exc:
        return str(exc)
    return ""


def _is_guid(ref: str) -> bool:
    try:
        uuid.UUID(ref)
    except ValueError:
        return False
    return True


class ProcessStore:
    """What both backends offer. `ref` is a display name or a GUID."""

    kind = ""

    def processes(self, *, validate: bool = True) -> list[StoredProcess]:
        """Every process; `validate` fills `problem` (our schemas and the kiosk's parser, per process)."""
        raise NotImplementedError

    def get(self, ref: str) -> StoredProcess:
        wanted = guid_text(uuid.UUID(ref)) if _is_guid(ref) else ref.casefold()
        for p in self.processes(validate=False):
            if p.identifier.upper() == wanted or p.name.casefold() == wanted:
                p.problem = _problem(p.name, p.identifier, p.server_name, p.xml)
                return p
        raise ProcessNotFound(f"no scan process {ref!r} in {self.where}")

    @property
    def where(self) -> str:
        raise NotImplementedError

    def _check_new(self, name: str, identifier: str) -> None:
        for p in self.processes(validate=False):
            if p.name.casefold() == name.casefold():
                raise DuplicateProcess(f"a scan process named {p.name!r} already exists ({p.dn})")
            if p.identifier.upper() == identifier.upper():
                raise DuplicateProcess(f"the identifier {identifier} is already used by {p.name!r} ({p.dn})")

    def create(self, name: str, identifier: str, server_name: str, xml: str) -> StoredProcess:
        raise NotImplementedError

    def update(self, ref: str, xml: str, *, server_name: str | None = None, new_name: str | None = None):
        raise NotImplementedError

    def delete(self, ref: str) -> StoredProcess:
        raise NotImplementedError

    def grant(self, ref: str, names: list[str]) -> StoredProcess:
        raise NotImplementedError

    def revoke(self, ref: str, names: list[str]) -> StoredProcess:
        raise NotImplementedError

    def find_principals(self, text: str, limit: int = 20) -> list[Principal]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _validated(name: str, identifier: str, server_name: str, xml: str) -> None:
    check_document(xml, name=name, identifier=identifier, server_name=server_name or None)


# ---------------------------------------------------------------------------- standalone file


class LocalStore(ProcessStore):
    """The standalone directory file (kiosk/directory/local.py's format), edited with tomlkit so
    the administrator's comments and layout survive; written durably, and only after the whole
    new file passed the kiosk's own validation."""

    kind = "local"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @property
    def where(self) -> str:
        return str(self.path)

    def _data(self) -> LocalDirectoryFile:
        return load_file(self.path)

    def _doc(self) -> tomlkit.TOMLDocument:
        return tomlkit.parse(self.path.read_text(encoding="utf-8"))

    def _groups(self, data: LocalDirectoryFile) -> set[str]:
        return {g for u in data.users.values() for g in u.groups}

    def _xml(self, entry) -> str:
        if entry.xml:
            return entry.xml
        path = Path(entry.file)
        path = path if path.is_absolute() else self.path.parent / path
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return f"<!-- {path} cannot be read: {exc} -->"

    def processes(self, *, validate: bool = True) -> list[StoredProcess]:
        data = self._data()
        groups = self._groups(data)
        out = []
        for entry in data.processes:
            xml = self._xml(entry)
            identifier = guid_text(uuid.UUID(entry.identifier)) if _is_guid(entry.identifier) else entry.identifier
            readers = [Principal(u, user_sid(data, u) if u in data.users else "", "user") for u in entry.users]
            readers += [Principal(g, "", "group" if g in groups else "unknown group") for g in entry.groups]
            out.append(
                StoredProcess(
                    entry.name,
                    identifier,
                    entry.server_name,
                    xml,
                    f"{self.path}#{entry.name}",
                    everyone=entry.everyone,
                    readers=readers,
                    problem=_problem(entry.name, identifier, entry.server_name, xml) if validate else "",
                )
            )
        return out

    def _write(self, doc: tomlkit.TOMLDocument) -> None:
        text = tomlkit.dumps(doc)
        try:
            LocalDirectoryFile.model_validate(tomllib.loads(text))
        except (tomllib.TOMLDecodeError, ValidationError) as exc:
            raise AdminError(f"{self.path}: the changed file would not be valid: {exc}") from None
        try:
            write_durably(self.path, lambda fh: fh.write(text.encode("utf-8")), mode=self.path.stat().st_mode & 0o777)
        except PermissionError as exc:
            raise MissingRights(f"{self.path}: {exc.strerror}") from None
        except OSError as exc:
            raise AdminError(f"{self.path}: cannot be written: {exc.strerror}") from None

    def _index(self, doc: tomlkit.TOMLDocument, ref: str) -> int:
        target = self.get(ref)
        for i, entry in enumerate(doc.get("processes", [])):
            if entry.get("name") == target.name:
                return i
        raise ProcessNotFound(f"no scan process {ref!r} in {self.path}")

    def create(self, name: str, identifier: str, server_name: str, xml: str) -> StoredProcess:
        _validated(name, identifier, server_name, xml)
        self._check_new(name, identifier)
        doc = self._doc()
        if "processes" not in doc:
            doc["processes"] = tomlkit.aot()
        table = tomlkit.table()
        table["name"] = name
        table["identifier"] = identifier
        if server_name:
            table["server_name"] = server_name
        table["everyone"] = True
        table["xml"] = tomlkit.string(xml, multiline=True)
        doc["processes"].append(table)
        self._write(doc)
        return self.get(identifier)

    def update(self, ref: str, xml: str, *, server_name: str | None = None, new_name: str | None = None):
        current = self.get(ref)
        name = new_name or current.name
        _validated(name, current.identifier, current.server_name if server_name is None else server_name, xml)
        if new_name and new_name.casefold() != current.name.casefold():
            if any(p.name.casefold() == new_name.casefold() for p in self.processes(validate=False)):
                raise DuplicateProcess(f"a scan process named {new_name!r} already exists")
        doc = self._doc()
        entry = doc["processes"][self._index(doc, ref)]
        if entry.get("file"):
            path = Path(entry["file"])
            path = path if path.is_absolute() else self.path.parent / path
            write_durably(path, lambda fh: fh.write(xml.encode("utf-8")))
        else:
            entry["xml"] = tomlkit.string(xml, multiline=True)
        if server_name is not None:
            entry["server_name"] = server_name
        entry["name"] = name
        self._write(doc)
        return self.get(current.identifier)

    def delete(self, ref: str) -> StoredProcess:
        current = self.get(ref)
        doc = self._doc()
        del doc["processes"][self._index(doc, ref)]
        self._write(doc)
        return current

    def _principal(self, data: LocalDirectoryFile, name: str) -> tuple[str, str]:
        """("users" | "groups" | "everyone", the name as the file spells it)."""
        if name.casefold() in EVERYONE_NAMES:
            return "everyone", name
        login = next((u for u in data.users if u.casefold() == name.casefold()), None)
        if login:
            return "users", login
        group = next((g for g in self._groups(data) if g.casefold() == name.casefold()), None)
        if group:
            return "groups", group
        raise PrincipalNotFound(f"{self.path}: no user or group {name!r}")

    def _edit_access(self, ref: str, names: list[str], add: bool) -> StoredProcess:
        data = self._data()
        resolved = [self._principal(data, n) for n in names]
        doc = self._doc()
        entry = doc["processes"][self._index(doc, ref)]
        for kind, name in resolved:
            if kind == "everyone":
                entry["everyone"] = add
                continue
            values = [v for v in entry.get(kind, []) if v.casefold() != name.casefold()]
            if add:
                values.append(name)
            entry[kind] = values
        if add and not any(kind == "everyone" for kind, _ in resolved):
            # As the console did: a process given to someone is no longer everybody's.
            entry["everyone"] = False
        self._write(doc)
        return self.get(ref)

    def grant(self, ref: str, names: list[str]) -> StoredProcess:
        return self._edit_access(ref, names, True)

    def revoke(self, ref: str, names: list[str]) -> StoredProcess:
        return self._edit_access(ref, names, False)

    def find_principals(self, text: str, limit: int = 20) -> list[Principal]:
        data = self._data()
        needle = text.casefold()
        found = [
            Principal(login, user_sid(data, login), "user")
            for login, u in data.users.items()
            if needle in login.casefold() or needle in u.display_name.casefold()
        ]
        found += [Principal(g, "", "group") for g in sorted(self._groups(data)) if needle in g.casefold()]
        return found[:limit]


# ---------------------------------------------------------------------------- AD / LDAP


#: LDAP result codes and what they mean to an administrator.
_SCHEMA_RESULTS = {17, 18, 19, 21, 65, 67, 69, 11}
_RIGHTS_RESULTS = {50}
_DUPLICATE_RESULTS = {68}
_SD_FLAGS_DACL = 0x04


class _WritableDirectory(LdapDirectory):
    """The kiosk's LDAP connection code (servers in order, TLS as configured) with writes allowed."""

    def _connection(self, server, user=None, password=None, authentication=ldap3.ANONYMOUS):
        conn = super()._connection(server, user, password, authentication)
        conn.read_only = False
        return conn


class LdapStore(ProcessStore):
    """msImaging-PostScanProcess objects under CN=PSPs,CN=System,<domain>, bound as an
    administrator. The administrator's name is bound the way the kiosk binds users
    ([directory] bind_mode: a UPN by default); a name with '@' or '=' is used as given (UPN or DN)."""

    kind = "ldap"

    def __init__(self, settings, admin: str, password: str, *, root=None, allow_plain: bool = False) -> None:
        self.settings = settings
        self._principal_cache: dict[str, Principal] = {}
        self.directory = _WritableDirectory(settings, root)
        if not password:
            raise DirectoryConfigError("the administrator's password is empty")
        server, conn = self.directory._open()
        # What the connection is, not what the settings ask: start_tls "auto" may fall back to plain.
        if not allow_plain and not (server.ssl or conn.tls_started):
            try:
                conn.unbind()
            except (lx.LDAPException, OSError):
                pass
            raise DirectoryConfigError(
                f"{server.name} is not using TLS, so the administrator's password would cross the network in "
                "clear: use ldaps:// or start_tls (or --allow-plain-ldap for a test directory on loopback)"
            )
        base = self.directory._base(conn)
        if settings.bind_mode == "kerberos" and "@" not in admin and "=" not in admin:
            self._kerberos(conn, server, admin, password, base)
            self.conn, self.base, self.container = conn, base, f"{settings.psp_container},{base}"
            return
        if "@" in admin or "=" in admin:
            target_user, auth = admin, ldap3.SIMPLE
        else:
            try:
                target = bind_target(settings, admin, base)
                target_user, auth = target.user, target.authentication
            except ValueError:
                # Modes without a fixed target (search): the administrator signs in by UPN.
                target_user, auth = f"{admin}@{settings.upn_suffix or dns_name(base)}", ldap3.SIMPLE
        try:
            ok = conn.rebind(user=target_user, password=password, authentication=auth)
        except lx.LDAPBindError:
            ok = False
        except lx.LDAPException as exc:
            raise DirectoryUnavailable(f"bind as {target_user!r} failed: {exc}") from None
        if not ok:
            raise bind_error(conn.result, target_user)
        self.conn = conn
        self.base = base
        self.container = f"{settings.psp_container},{base}"

    def _kerberos(self, conn, server, admin: str, password: str, base: str) -> None:
        """bind_mode kerberos: the kiosk's own SASL GSSAPI bind (a ticket kept in memory)."""
        try:
            bound = self.directory._kerberos_bind(conn, server, admin, password, base)
        except lx.LDAPException as exc:
            raise DirectoryUnavailable(f"Kerberos bind as {admin!r} failed: {exc}") from None
        if not bound:
            raise bind_error(conn.result, admin)

    @property
    def where(self) -> str:
        return self.container

    def close(self) -> None:
        try:
            self.conn.unbind()
        except (lx.LDAPException, OSError):
            pass

    # -- reading

    def _search(self, base: str, flt: str, attributes: list[str], scope=ldap3.LEVEL, controls=None) -> list[dict]:
        try:
            self.conn.search(base, flt, scope, attributes=attributes, controls=controls)
        except lx.LDAPException as exc:
            raise DirectoryUnavailable(f"search under {base} failed: {exc}") from None
        result = self.conn.result.get("result")
        if result == 32:
            raise AdminError(f"{base} does not exist (is this an AD domain with the DSM schema?)")
        if result not in (0, 4):
            raise AdminError(f"search under {base} refused: {self.conn.result.get('description')}")
        return [e for e in self.conn.response or [] if e.get("type") == "searchResEntry"]

    def _entries(self, flt: str = "") -> Iterator[dict]:
        full = f"(&(objectClass={PSP_CLASS}){flt})"
        yield from self._search(
            self.container,
            full,
            [*PSP_ATTRIBUTES, "nTSecurityDescriptor"],
            controls=security_descriptor_control(criticality=False, sdflags=_SD_FLAGS_DACL),
        )

    def _stored(self, entry: dict, validate: bool = True) -> StoredProcess:
        raw = entry["raw_attributes"]

        def text(name: str) -> str:
            values = raw.get(name) or []
            return values[0].decode("utf-8", "replace") if values else ""

        ids = raw.get("msImaging-PSPIdentifier") or []
        try:
            identifier = guid_to_string(ids[0], self.settings.guid_layout) if ids else ""
        except KioskError:
            identifier = ""
        sd = (raw.get("nTSecurityDescriptor") or [None])[0]
        who = security.readers(sd) if sd else None
        name, xml, server_name = text("displayName"), text("msImaging-PSPString"), text("serverName")
        return StoredProcess(
            name,
            identifier,
            server_name,
            xml,
            entry["dn"],
            # No descriptor readable: the directory's own rules decide (slapd, or no rights to read it).
            everyone=who.everyone if who else False,
            readers=[self._principal_for_sid(s) for s in who.sids] if who else [],
            problem=(_problem(name, identifier, server_name, xml) if validate else "")
            if identifier
            else "no usable msImaging-PSPIdentifier",
        )

    def processes(self, *, validate: bool = True) -> list[StoredProcess]:
        return sorted((self._stored(e, validate) for e in self._entries()), key=lambda p: p.name.casefold())

    def get(self, ref: str) -> StoredProcess:
        if _is_guid(ref):
            value = uuid.UUID(ref)
            raw = value.bytes_le if self.settings.guid_layout == "mixed-endian" else value.bytes
            flt = f"(msImaging-PSPIdentifier={escape_bytes(raw)})"
        else:
            flt = f"(displayName={escape_filter_chars(ref)})"
        found = [self._stored(e) for e in self._entries(flt)]
        if not found:
            raise ProcessNotFound(f"no scan process {ref!r} under {self.container}")
        return found[0]

    def _principal_for_sid(self, sid: str) -> Principal:
        if sid in WELL_KNOWN:
            return Principal(WELL_KNOWN[sid], sid, "well-known")
        # Many processes name the same groups: one search per SID and connection.
        if sid not in self._principal_cache:
            self._principal_cache[sid] = self._lookup_sid(sid)
        return self._principal_cache[sid]

    def _lookup_sid(self, sid: str) -> Principal:
        found = self._search(
            self.base,
            f"(objectSid={escape_bytes(sid_to_bytes(sid))})",
            ["sAMAccountName", "objectClass", "objectSid"],
            ldap3.SUBTREE,
        )
        if not found:
            return Principal(sid, sid, "unknown")
        return self._principal(found[0])

    @staticmethod
    def _principal(entry: dict) -> Principal:
        raw = entry["raw_attributes"]
        classes = {c.decode().lower() for c in raw.get("objectClass", [])}
        name = (raw.get("sAMAccountName") or [entry["dn"].encode()])[0].decode("utf-8", "replace")
        sid = sid_to_string(raw["objectSid"][0]) if raw.get("objectSid") else ""
        kind = "group" if classes & {"group", "groupofnames"} else "user"
        return Principal(name, sid, kind, entry["dn"])

    def resolve(self, name: str) -> Principal:
        """A user or group by SID, sAMAccountName, UPN or cn."""
        if name.casefold() in EVERYONE_NAMES:
            return Principal("Authenticated Users", security.AUTHENTICATED_USERS, "well-known")
        if is_sid(name):
            flt = f"(objectSid={escape_bytes(sid_to_bytes(name))})"
        else:
            v = escape_filter_chars(name)
            flt = f"(&(objectSid=*)(|(sAMAccountName={v})(userPrincipalName={v})(cn={v})))"
        found = self._search(self.base, flt, ["sAMAccountName", "objectSid", "objectClass"], ldap3.SUBTREE)
        if len(found) != 1:
            raise PrincipalNotFound(
                f"{len(found)} users or groups match {name!r} under {self.base}",
                user_message=f"No single user or group is called {name}.",
            )
        return self._principal(found[0])

    def find_principals(self, text: str, limit: int = 20) -> list[Principal]:
        v = escape_filter_chars(text)
        flt = f"(&(objectSid=*)(|(sAMAccountName=*{v}*)(cn=*{v}*)(displayName=*{v}*)))"
        found = self._search(self.base, flt, ["sAMAccountName", "objectSid", "objectClass"], ldap3.SUBTREE)
        return [self._principal(e) for e in found[:limit]]

    # -- writing

    def _raise_for(self, action: str, dn: str) -> None:
        result = self.conn.result
        code = result.get("result")
        if code == 0:
            return
        detail = f"{action} {dn}: {result.get('description')} ({code}) {result.get('message') or ''}".strip()
        if code in _RIGHTS_RESULTS:
            raise MissingRights(detail, user_message="The administrator account may not change this scan process.")
        if code in _DUPLICATE_RESULTS:
            raise DuplicateProcess(detail)
        if code in _SCHEMA_RESULTS:
            raise SchemaRefused(detail)
        if code == 32:
            raise AdminError(f"{detail} (does {self.container} exist?)")
        raise AdminError(detail)

    def _call(self, action: str, dn: str, method, *args, **kwargs) -> None:
        try:
            method(*args, **kwargs)
        except lx.LDAPException as exc:
            raise DirectoryUnavailable(f"{action} {dn}: {exc}") from None
        self._raise_for(action, dn)

    def _guid_bytes(self, identifier: str) -> bytes:
        value = uuid.UUID(identifier)
        return value.bytes_le if self.settings.guid_layout == "mixed-endian" else value.bytes

    def _check_new(self, name: str, identifier: str) -> None:
        flt = (
            f"(|(displayName={escape_filter_chars(name)})"
            f"(msImaging-PSPIdentifier={escape_bytes(self._guid_bytes(identifier))}))"
        )
        for entry in self._search(self.container, f"(&(objectClass={PSP_CLASS}){flt})", PSP_ATTRIBUTES):
            p = self._stored({**entry, "raw_attributes": {**entry["raw_attributes"], "nTSecurityDescriptor": []}})
            if p.name.casefold() == name.casefold():
                raise DuplicateProcess(f"a scan process named {p.name!r} already exists ({p.dn})")
            raise DuplicateProcess(f"the identifier {identifier} is already used by {p.name!r} ({p.dn})")

    @staticmethod
    def _check_size(xml: str) -> None:
        if len(xml) > MAX_PSP_STRING:
            raise SchemaRefused(
                f"msImaging-PSPString holds at most {MAX_PSP_STRING} characters (rangeUpper); {len(xml)}"
            )

    def create(self, name: str, identifier: str, server_name: str, xml: str) -> StoredProcess:
        self._check_size(xml)
        _validated(name, identifier, server_name, xml)
        self._check_new(name, identifier)
        dn = f"CN={escape_rdn(name)},{self.container}"
        attributes: dict[str, Any] = {
            "cn": name,
            "displayName": name,
            "msImaging-PSPIdentifier": self._guid_bytes(identifier),
            "msImaging-PSPString": xml,
        }
        if server_name:
            attributes["serverName"] = server_name
        self._call("create", dn, self.conn.add, dn, [PSP_CLASS], attributes)
        return self.get(identifier)

    def update(self, ref: str, xml: str, *, server_name: str | None = None, new_name: str | None = None):
        self._check_size(xml)
        current = self.get(ref)
        name = new_name or current.name
        _validated(name, current.identifier, current.server_name if server_name is None else server_name, xml)
        changes: dict[str, Any] = {"msImaging-PSPString": [(ldap3.MODIFY_REPLACE, [xml])]}
        if server_name is not None:
            changes["serverName"] = [(ldap3.MODIFY_REPLACE, [server_name] if server_name else [])]
        dn = current.dn
        if new_name and new_name != current.name:
            if new_name.casefold() != current.name.casefold() and any(
                p.name.casefold() == new_name.casefold() for p in self.processes(validate=False)
            ):
                raise DuplicateProcess(f"a scan process named {new_name!r} already exists")
            changes["displayName"] = [(ldap3.MODIFY_REPLACE, [new_name])]
        self._call("change", dn, self.conn.modify, dn, changes)
        if new_name and new_name != current.name:
            self._call("rename", dn, self.conn.modify_dn, dn, f"CN={escape_rdn(new_name)}")
        return self.get(current.identifier)

    def delete(self, ref: str) -> StoredProcess:
        current = self.get(ref)
        self._call("delete", current.dn, self.conn.delete, current.dn)
        return current

    def _descriptor(self, dn: str) -> bytes | None:
        found = self._search(
            dn,
            "(objectClass=*)",
            ["nTSecurityDescriptor"],
            ldap3.BASE,
            controls=security_descriptor_control(criticality=False, sdflags=_SD_FLAGS_DACL),
        )
        values = found[0]["raw_attributes"].get("nTSecurityDescriptor") if found else None
        return values[0] if values else None

    def _edit_access(self, ref: str, names: list[str], add: bool) -> StoredProcess:
        current = self.get(ref)
        principals = [self.resolve(n) for n in names]
        sids = [p.sid for p in principals if p.sid not in security.BROAD]
        everyone = any(p.sid in security.BROAD for p in principals)
        raw = self._descriptor(current.dn)
        if add:
            new = security.grant(raw, sids, everyone=everyone)
        else:
            new = security.revoke(raw, sids + ([security.AUTHENTICATED_USERS] if everyone else []))
        changes = {"nTSecurityDescriptor": [(ldap3.MODIFY_REPLACE, [new])]}
        controls = security_descriptor_control(criticality=False, sdflags=_SD_FLAGS_DACL)
        try:
            self.conn.modify(current.dn, changes, controls=controls)
        except lx.LDAPException as exc:
            raise DirectoryUnavailable(f"access of {current.dn}: {exc}") from None
        if self.conn.result.get("result") == 17:
            raise NotSupported(
                f"{self.conn.server.name} has no nTSecurityDescriptor: it is not Active Directory or Samba AD; "
                "give access with the server's own access rules"
            )
        self._raise_for("access of", current.dn)
        denied = set(security.denies(new)) & set(sids)
        if denied:
            log.warning("%s: a deny ACE still refuses read to %s", current.dn, ", ".join(sorted(denied)))
        return self.get(current.identifier)

    def grant(self, ref: str, names: list[str]) -> StoredProcess:
        return self._edit_access(ref, names, True)

    def revoke(self, ref: str, names: list[str]) -> StoredProcess:
        return self._edit_access(ref, names, False)


def open_store(settings, *, admin: str = "", password: str = "", allow_plain: bool = False) -> ProcessStore:
    """The store of the kiosk's [directory] settings (a kiosk.config.Settings)."""
    directory = settings.directory
    if directory.backend == "local":
        return LocalStore(settings.resolve_path(directory.local_file))
    if not admin:
        raise DirectoryConfigError("the ldap backend needs the administrator's name (--admin or DSM_ADMIN_USER)")
    return LdapStore(directory, admin, password, root=settings, allow_plain=allow_plain)


def _local_is_member(store: LocalStore, login: str, sid: str, group: str) -> bool:
    data = store._data()
    user = next((u for name, u in data.users.items() if name.casefold() == login.casefold()), None)
    if user is None:
        return False
    return group == sid or group.casefold() in {g.casefold() for g in user.groups}


def _ldap_is_member(store: LdapStore, dn: str, sid: str, group: str) -> bool:
    try:
        group_sid = group if is_sid(group) else store.resolve(group).sid
    except PrincipalNotFound:
        log.warning("console admin_group %r is not in the directory", group)
        return False
    if group_sid == sid:
        return True
    # AD computes tokenGroups (nested groups included) on a base search of the user.
    found = store._search(dn, "(objectClass=*)", ["tokenGroups"], ldap3.BASE)
    values = found[0]["raw_attributes"].get("tokenGroups") if found else None
    if values:
        return group_sid in {sid_to_string(v) for v in values}
    # Plain LDAP: direct membership only.
    flt = f"(&(objectSid={escape_bytes(sid_to_bytes(group_sid))})(member={escape_filter_chars(dn)}))"
    return bool(store._search(store.base, flt, ["1.1"], ldap3.SUBTREE))


def is_member(store: ProcessStore, *, login: str, dn: str, sid: str, group: str) -> bool:
    """Whether the signed-in user belongs to `group` (a name or a SID)."""
    if isinstance(store, LocalStore):
        return _local_is_member(store, login, sid, group)
    if isinstance(store, LdapStore):
        return _ldap_is_member(store, dn, sid, group)
    return False
