"""nTSecurityDescriptor edits: grant takes Authenticated Users' read away, revoke removes the grant."""

from __future__ import annotations

from winacl.dtyp.ace import AceFlags
from winacl.dtyp.security_descriptor import SE_SACL, SECURITY_DESCRIPTOR

from dsm_server.admin import security

FINANCE = "S-1-5-21-1004336348-1177238915-682003330-1201"
ALICE = "S-1-5-21-1004336348-1177238915-682003330-1105"
ADMINS = "S-1-5-21-1004336348-1177238915-682003330-512"


def default_descriptor() -> bytes:
    """Like AD's default for a new PSP: admins full control, Authenticated Users read."""
    raw = security.grant(None, [], everyone=True)
    sd = SECURITY_DESCRIPTOR.from_bytes(raw)
    admins = security._read_ace(ADMINS)
    admins.Mask = 0xF01FF
    sd.Dacl.aces.insert(0, admins)
    return sd.to_bytes()


def test_grant_replaces_authenticated_users_and_keeps_other_aces():
    raw = default_descriptor()
    assert security.readers(raw) == security.Readers(True, (ADMINS,))
    granted = security.grant(raw, [FINANCE, ALICE])
    assert security.readers(granted) == security.Readers(False, (ADMINS, FINANCE, ALICE))
    # Granting twice adds nothing.
    assert security.grant(granted, [FINANCE]) == granted
    revoked = security.revoke(granted, [FINANCE])
    assert security.readers(revoked) == security.Readers(False, (ADMINS, ALICE))
    reopened = security.grant(revoked, [], everyone=True)
    assert security.readers(reopened).everyone


def test_inherited_read_for_everybody_is_cut_by_protecting_the_dacl():
    sd = SECURITY_DESCRIPTOR.from_bytes(default_descriptor())
    for ace in sd.Dacl.aces:
        ace.AceFlags = AceFlags.INHERITED_ACE
    raw = sd.to_bytes()
    granted = security.grant(raw, [FINANCE])
    result = SECURITY_DESCRIPTOR.from_bytes(granted)
    assert result.Control & SE_SACL.SE_DACL_PROTECTED
    assert security.readers(granted) == security.Readers(False, (ADMINS, FINANCE))
    # The administrators' full control survives, now explicit.
    assert any(a.Mask == 0xF01FF and not a.AceFlags & AceFlags.INHERITED_ACE for a in result.Dacl.aces)


def test_revoking_everyone_leaves_only_named_readers():
    raw = security.grant(default_descriptor(), [ALICE], everyone=True)
    assert security.readers(raw).everyone
    closed = security.revoke(raw, [security.AUTHENTICATED_USERS])
    assert security.readers(closed) == security.Readers(False, (ADMINS, ALICE))
