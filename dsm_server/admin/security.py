"""Who may use a scan process: the object's nTSecurityDescriptor, edited as the Scan Management
console did (take Authenticated Users' read away, give read to chosen users and groups by SID).

The binary descriptor is parsed and written by winacl, a small pure-Python library for
MS-DTYP security descriptors and ACEs, instead of hand-encoding ACEs. (impacket's ldaptypes
would do as well, but impacket is a whole network-attack toolkit with many dependencies; Samba's
own bindings are not installable into a virtual environment.)

Only the DACL is read and written (LDAP_SERVER_SD_FLAGS_OID with DACL_SECURITY_INFORMATION), so
neither owner nor SACL rights are needed. Explicit ACEs stay in canonical order: explicit deny,
explicit allow, then inherited ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from winacl.dtyp.ace import ACCESS_ALLOWED_ACE, AceFlags, ACEType
from winacl.dtyp.acl import ACL
from winacl.dtyp.security_descriptor import SE_SACL, SECURITY_DESCRIPTOR
from winacl.dtyp.sid import SID

from dsm_server import dacl
from dsm_server.admin.errors import AdminError

AUTHENTICATED_USERS = "S-1-5-11"
EVERYONE = "S-1-1-0"
BROAD = {AUTHENTICATED_USERS, EVERYONE}
#: ADS_RIGHT_DS_READ_PROPERTY | ADS_RIGHT_ACTRL_DS_LIST | ADS_RIGHT_DS_LIST_OBJECT | READ_CONTROL
#: ("RPLCLORC"): what the console granted, enough to find and read the object.
READ = 0x10 | 0x4 | 0x80 | 0x20000
#: The bit without which the PSP's attributes cannot be read, so the kiosk does not see it.
READ_PROPERTY = 0x10
#: What taking read away removes from an ACE: the console's grant and generic read, which the
#: scan server counts as READ PROPERTY too.
REMOVED_WITH_READ = READ | dacl.GENERIC_READ
ACL_REVISION_DS = 4
_ALLOWED = (ACEType.ACCESS_ALLOWED_ACE_TYPE, ACEType.ACCESS_ALLOWED_OBJECT_ACE_TYPE)
_DENIED = (ACEType.ACCESS_DENIED_ACE_TYPE, ACEType.ACCESS_DENIED_OBJECT_ACE_TYPE)


@dataclass(frozen=True)
class Readers:
    """Who can read the object: everybody signed in, and/or these SIDs."""

    everyone: bool
    sids: tuple[str, ...]


def parse(raw: bytes | None) -> SECURITY_DESCRIPTOR:
    """The descriptor to edit, with a DACL (an empty one where it had none). Read as the scan
    server reads it (dsm_server.dacl.from_bytes, bounds checked first)."""
    if not raw:
        sd = SECURITY_DESCRIPTOR()
        sd.Control = SE_SACL.SE_SELF_RELATIVE | SE_SACL.SE_DACL_PRESENT
        sd.Dacl = _empty_acl()
        return sd
    sd = _descriptor(raw)
    if sd.Dacl is None:
        sd.Dacl = _empty_acl()
        sd.Control = (sd.Control or SE_SACL.SE_SELF_RELATIVE) | SE_SACL.SE_DACL_PRESENT
    return sd


def _descriptor(raw: bytes) -> SECURITY_DESCRIPTOR:
    try:
        return dacl.from_bytes(raw)
    except dacl.DescriptorError as exc:
        raise AdminError(str(exc)) from None


def _empty_acl() -> ACL:
    acl = ACL()
    acl.AclRevision = ACL_REVISION_DS
    acl.aces = []
    return acl


def _inherited(ace) -> bool:
    return bool(ace.AceFlags & AceFlags.INHERITED_ACE)


def _applies(ace) -> bool:
    """An ACE that controls this object (not only its children)."""
    return not (ace.AceFlags & AceFlags.INHERIT_ONLY_ACE)


def _sid(ace) -> str:
    return ace.Sid.to_sddl() if hasattr(ace.Sid, "to_sddl") else str(ace.Sid)


def _reads(ace) -> bool:
    """An ACE that grants READ PROPERTY on the whole object, as the scan server counts it
    (dsm_server.dacl: generic read and generic all included; not an object ACE for one
    property set)."""
    if ace.AceType not in _ALLOWED or not _applies(ace) or not dacl.rights(ace.Mask) & READ_PROPERTY:
        return False
    return not dacl.has_object_type(ace)


def readers(raw: bytes | None) -> Readers:
    if not raw:
        return _readers_of(parse(raw))
    sd = _descriptor(raw)  # read once
    if not dacl.dacl_present(sd):
        return Readers(True, ())  # no DACL at all: nothing restricts the object
    return _readers_of(sd)


def _readers_of(sd: SECURITY_DESCRIPTOR) -> Readers:
    sids: list[str] = []
    everyone = False
    for ace in sd.Dacl.aces:
        if _reads(ace):
            sid = _sid(ace)
            if sid in BROAD:
                everyone = True
            elif sid not in sids:
                sids.append(sid)
    return Readers(everyone, tuple(sids))


def _read_ace(sid: str) -> ACCESS_ALLOWED_ACE:
    ace = ACCESS_ALLOWED_ACE()
    ace.AceFlags = AceFlags(0)
    ace.Mask = READ
    ace.Sid = SID.from_string(sid)
    return ace


def _without_broad_read(sd: SECURITY_DESCRIPTOR) -> None:
    """Take read away from Authenticated Users and Everyone. An inherited grant cannot be
    removed on the object itself: the DACL is then protected and the other inherited ACEs are
    kept as explicit ones (what Windows' "convert inherited permissions" does)."""
    aces = sd.Dacl.aces
    if any(_inherited(a) and _sid(a) in BROAD and _reads(a) for a in aces):
        sd.Control = sd.Control | SE_SACL.SE_DACL_PROTECTED
        for ace in aces:
            if _inherited(ace):
                ace.AceFlags = AceFlags(ace.AceFlags & ~AceFlags.INHERITED_ACE)
    kept = []
    for ace in aces:
        if ace.AceType in _ALLOWED and _sid(ace) in BROAD and not _inherited(ace):
            _take_read(ace)
            if not ace.Mask:
                continue
        kept.append(ace)
    sd.Dacl.aces = kept


def _take_read(ace) -> None:
    if ace.Mask & dacl.GENERIC_ALL:
        # Full control cannot lose just its read: the administrator decides in AD's own tools.
        raise AdminError(
            f"{_sid(ace)} has full control (GENERIC_ALL) of this scan process; "
            "change that in Active Directory Users and Computers first"
        )
    ace.Mask = ace.Mask & ~REMOVED_WITH_READ


def _insert_allow(sd: SECURITY_DESCRIPTOR, ace) -> None:
    """After the explicit ACEs (deny first, then allow), before the inherited ones."""
    aces = sd.Dacl.aces
    position = next((i for i, a in enumerate(aces) if _inherited(a)), len(aces))
    aces.insert(position, ace)


def grant(raw: bytes | None, sids: list[str], *, everyone: bool = False) -> bytes:
    """The descriptor with read for `sids`; Authenticated Users lose read unless `everyone`."""
    sd = parse(raw)
    if everyone:
        if not _readers_of(sd).everyone:
            _insert_allow(sd, _read_ace(AUTHENTICATED_USERS))
    else:
        _without_broad_read(sd)
    present = {_sid(a) for a in sd.Dacl.aces if _reads(a) and not _inherited(a) and a.Mask & READ == READ}
    for sid in sids:
        if sid not in present:
            _insert_allow(sd, _read_ace(sid))
            present.add(sid)
    return sd.to_bytes()


def revoke(raw: bytes | None, sids: list[str]) -> bytes:
    """The descriptor without the explicit read grants of `sids` (Authenticated Users or
    Everyone among them: the process is no longer open to everybody)."""
    sd = parse(raw)
    if BROAD & set(sids):
        _without_broad_read(sd)
    kept = []
    for ace in sd.Dacl.aces:
        if ace.AceType in _ALLOWED and not _inherited(ace) and _sid(ace) in sids:
            _take_read(ace)
            if not ace.Mask:
                continue
        kept.append(ace)
    sd.Dacl.aces = kept
    return sd.to_bytes()


def denies(raw: bytes | None) -> list[str]:
    """SIDs whose read is denied explicitly (a deny ACE wins over our grants)."""
    sd = parse(raw)
    return [
        _sid(a) for a in sd.Dacl.aces if a.AceType in _DENIED and dacl.rights(a.Mask) & READ_PROPERTY and _applies(a)
    ]


def to_sddl(raw: bytes | None) -> str:
    sd = parse(raw)
    try:
        return sd.to_sddl()
    except Exception:  # winacl's SDDL writer does not know every object ACE
        return "(not printable as SDDL)"
