"""May a user use a scan process in Active Directory? The process object's DACL evaluated against
the user's token (issue #14).

The rule (what the Scan Management console sets up, docs/dsm-protocol.md §4.2): a user may use
a msImaging-PostScanProcess when its nTSecurityDescriptor lets the user READ PROPERTY on the
object. The user's token is the user's SID, the SIDs of `tokenGroups` (every group, nested and
primary, as AD computes them), Everyone (S-1-1-0) and Authenticated Users (S-1-5-11). The ACEs
are read in order, as Windows' access check does:

- inherit-only ACEs and ACEs for SIDs outside the token are skipped;
- a deny ACE (plain or object) that denies READ PROPERTY before it was granted refuses: an
  object deny for one property set is taken as a deny of the whole process (we cannot read
  the process without its properties, and refusing is the safe side);
- an allow ACE grants its rights (GENERIC_READ and GENERIC_ALL count as READ PROPERTY); an
  object allow for one property or property set does not grant the whole object;
- READ PROPERTY granted: allowed. End of the DACL: refused.

No DACL at all (SE_DACL_PRESENT unset) allows everybody; an empty DACL allows nobody.
Descriptors are parsed by winacl (binary, as LDAP returns them; SDDL for the tests and logs).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable

from winacl.dtyp.ace import ACE_OBJECT_PRESENCE, AceFlags, ACEType, well_known_accessmasks
from winacl.dtyp.security_descriptor import SE_SACL, SECURITY_DESCRIPTOR

EVERYONE = "S-1-1-0"
AUTHENTICATED_USERS = "S-1-5-11"
READ_PROPERTY = 0x10
GENERIC_READ = 0x80000000
GENERIC_ALL = 0x10000000
_ALLOW = {ACEType.ACCESS_ALLOWED_ACE_TYPE, ACEType.ACCESS_ALLOWED_OBJECT_ACE_TYPE}
_DENY = {ACEType.ACCESS_DENIED_ACE_TYPE, ACEType.ACCESS_DENIED_OBJECT_ACE_TYPE}
_OBJECT = {ACEType.ACCESS_ALLOWED_OBJECT_ACE_TYPE, ACEType.ACCESS_DENIED_OBJECT_ACE_TYPE}


class DescriptorError(ValueError):
    """The security descriptor cannot be read."""


def from_bytes(raw: bytes) -> SECURITY_DESCRIPTOR:
    # winacl reads leniently: the self-relative layout is checked first ([MS-DTYP] 2.4.6).
    if len(raw) < 20 or raw[0] != 1:
        raise DescriptorError(f"nTSecurityDescriptor is not a self-relative descriptor ({len(raw)} bytes)")
    control, *offsets = struct.unpack_from("<HIIII", raw, 2)
    if any(o and not 20 <= o <= len(raw) - 8 for o in offsets):
        raise DescriptorError("nTSecurityDescriptor has an offset outside its bytes")
    dacl_at = offsets[3]
    if control & SE_SACL.SE_DACL_PRESENT and dacl_at:
        (size,) = struct.unpack_from("<H", raw, dacl_at + 2)
        if size < 8 or dacl_at + size > len(raw):
            raise DescriptorError("nTSecurityDescriptor's DACL runs past its end")
    try:
        return SECURITY_DESCRIPTOR.from_bytes(raw)
    except Exception as exc:  # winacl raises whatever its struct reading hits
        raise DescriptorError(f"nTSecurityDescriptor cannot be read ({len(raw)} bytes): {exc}") from None


def from_sddl(sddl: str, domain_sid: str) -> SECURITY_DESCRIPTOR:
    """SDDL as Windows writes it: rights like "RPLCLORC" (winacl reads one code or hex only, so
    the codes are summed here first)."""

    def rights(match: re.Match) -> str:
        text = match.group(3)
        if text and not text.lower().startswith("0x") and text not in well_known_accessmasks:
            codes = [text[i : i + 2] for i in range(0, len(text), 2)]
            if any(c not in well_known_accessmasks for c in codes):
                raise DescriptorError(f"unknown access right in {text!r}")
            text = hex(sum(well_known_accessmasks[c] for c in set(codes)))
        return f"({match.group(1)};{match.group(2)};{text};"

    normalised = re.sub(r"\(([A-Z]+);([A-Z]*);([A-Za-z0-9]*);", rights, sddl)
    try:
        return SECURITY_DESCRIPTOR.from_sddl(normalised, domain_sid=domain_sid)
    except Exception as exc:  # noqa: BLE001 - as in from_bytes
        raise DescriptorError(f"SDDL cannot be read: {exc}") from None


def _sid(ace) -> str:
    return ace.Sid.to_sddl() if hasattr(ace.Sid, "to_sddl") else str(ace.Sid)


def rights(mask: int) -> int:
    """An ACE's mask with the generic rights that include READ PROPERTY counted as it."""
    if mask & (GENERIC_READ | GENERIC_ALL):
        mask |= READ_PROPERTY
    return mask


def has_object_type(ace) -> bool:
    """An object ACE for one property or property set (not the whole object)."""
    return ace.AceType in _OBJECT and bool((ace.Flags or 0) & ACE_OBJECT_PRESENCE.ACE_OBJECT_TYPE_PRESENT)


def dacl_present(sd: SECURITY_DESCRIPTOR) -> bool:
    """False: the descriptor has no DACL, which lets everybody in."""
    return bool((sd.Control or 0) & SE_SACL.SE_DACL_PRESENT) and sd.Dacl is not None


def token(user_sid: str, group_sids: Iterable[str]) -> frozenset[str]:
    return frozenset({user_sid, *group_sids, EVERYONE, AUTHENTICATED_USERS})


def may_read(sd: SECURITY_DESCRIPTOR, token_sids: frozenset[str]) -> bool:
    """The rule in the module's docstring."""
    if not dacl_present(sd):
        return True
    granted = 0
    for ace in sd.Dacl.aces:
        if ace.AceType not in _ALLOW | _DENY or ace.AceFlags & AceFlags.INHERIT_ONLY_ACE:
            continue
        if _sid(ace) not in token_sids:
            continue
        mask = rights(ace.Mask)
        if ace.AceType in _DENY:
            if mask & READ_PROPERTY and not granted & READ_PROPERTY:
                return False
            continue
        if has_object_type(ace):
            continue  # one property (set) only
        granted |= mask
        if granted & READ_PROPERTY:
            return True
    return False
