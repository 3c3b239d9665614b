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


def _with_ace(raw: bytes, sid: str, mask: int) -> bytes:
    sd = SECURITY_DESCRIPTOR.from_bytes(raw)
    ace = security._read_ace(sid)
    ace.Mask = mask
    sd.Dacl.aces.append(ace)
    return sd.to_bytes()


def test_readers_are_who_the_scan_server_lets_in():
    """The console's list and the server's check (dsm_server.dacl.may_read) agree: generic read
    and generic all count as read; a descriptor without a DACL lets everybody in."""
    from dsm_server import dacl

    closed = security.grant(default_descriptor(), [])  # administrators only
    generic = _with_ace(closed, FINANCE, dacl.GENERIC_READ)
    full = _with_ace(closed, ALICE, dacl.GENERIC_ALL)
    assert security.readers(generic) == security.Readers(False, (ADMINS, FINANCE))
    assert security.readers(full) == security.Readers(False, (ADMINS, ALICE))
    for raw, reader in ((generic, FINANCE), (full, ALICE)):
        assert dacl.may_read(dacl.from_bytes(raw), dacl.token(reader, []))
    no_dacl = SECURITY_DESCRIPTOR.from_bytes(closed)
    no_dacl.Control = no_dacl.Control & ~SE_SACL.SE_DACL_PRESENT
    no_dacl.Dacl = None
    raw = no_dacl.to_bytes()
    assert security.readers(raw).everyone and dacl.may_read(dacl.from_bytes(raw), dacl.token(ALICE, []))


def test_taking_read_away_takes_generic_read_too_and_refuses_full_control():
    import pytest

    from dsm_server import dacl
    from dsm_server.admin.errors import AdminError

    closed = security.grant(default_descriptor(), [])
    open_generic = _with_ace(closed, security.AUTHENTICATED_USERS, dacl.GENERIC_READ | 0x4)
    assert security.readers(open_generic).everyone
    narrowed = security.grant(open_generic, [FINANCE])
    assert security.readers(narrowed) == security.Readers(False, (ADMINS, FINANCE))
    assert not dacl.may_read(dacl.from_bytes(narrowed), dacl.token(ALICE, []))  # the server agrees
    with pytest.raises(AdminError, match="full control"):
        security.grant(_with_ace(closed, security.AUTHENTICATED_USERS, dacl.GENERIC_ALL), [FINANCE])


def test_a_descriptor_with_an_offset_outside_its_bytes_is_a_clear_error():
    import pytest

    from dsm_server.admin.errors import AdminError

    raw = bytearray(default_descriptor())
    raw[16:20] = (len(raw) + 100).to_bytes(4, "little")  # the DACL's offset
    with pytest.raises(AdminError, match="outside"):
        security.readers(bytes(raw))
