"""dsm_server.dacl: who may use a scan process in AD, from the process's DACL and the user's
tokenGroups, on real SDDL (as the schema and the Scan Management console write it) and on
binary descriptors (as LDAP returns nTSecurityDescriptor)."""

from __future__ import annotations

import struct

import pytest

from dsm_server.dacl import DescriptorError, from_bytes, from_sddl, may_read, token
from kiosk.directory.identifiers import sid_to_bytes

DOMAIN = "S-1-5-21-1004336348-1177238915-682003330"
ALICE = f"{DOMAIN}-1105"
BOB = f"{DOMAIN}-1106"
CAROL = f"{DOMAIN}-1107"
SCANNERS = f"{DOMAIN}-2201"  # a group
ADMINS = "RPWPCRCCDCLCLORCWOWDSDDTSW"
#: The schema's defaultSecurityDescriptor of msImaging-PostScanProcess: Authenticated Users read.
DEFAULT = f"D:(A;;{ADMINS};;;DA)(A;;{ADMINS};;;SY)(A;;RPLCLORC;;;AU)"
#: What the console leaves after "allow Alice and the Scanners group": AU's read taken away.
CONSOLE = f"D:P(A;;{ADMINS};;;DA)(A;;{ADMINS};;;SY)(A;;RPLCLORC;;;{ALICE})(A;;RPLCLORC;;;{SCANNERS})"


def user(sid: str, *groups: str) -> frozenset[str]:
    return token(sid, [f"{DOMAIN}-513", *groups])  # Domain Users, as tokenGroups always holds


def test_the_schema_default_lets_every_signed_in_user_read():
    sd = from_sddl(DEFAULT, DOMAIN)
    assert may_read(sd, user(BOB))


def test_console_grants_a_user_and_a_group():
    sd = from_sddl(CONSOLE, DOMAIN)
    assert may_read(sd, user(ALICE))
    assert may_read(sd, user(CAROL, SCANNERS))  # through tokenGroups
    assert not may_read(sd, user(BOB))


def test_an_explicit_deny_wins_over_a_later_group_grant():
    sd = from_sddl(f"D:P(D;;RP;;;{CAROL})(A;;RPLCLORC;;;{SCANNERS})", DOMAIN)
    assert not may_read(sd, user(CAROL, SCANNERS))
    assert may_read(sd, user(ALICE, SCANNERS))


def test_a_grant_before_a_deny_stands():
    sd = from_sddl(f"D:P(A;;RPLCLORC;;;{ALICE})(D;;RP;;;{SCANNERS})", DOMAIN)
    assert may_read(sd, user(ALICE, SCANNERS))


def test_inherit_only_and_property_specific_aces_do_not_grant_the_object():
    prop = "bf9679a8-0de6-11d0-a285-00aa003049e2"
    assert not may_read(from_sddl(f"D:P(A;CIIO;RPLCLORC;;;{ALICE})", DOMAIN), user(ALICE))
    assert not may_read(from_sddl(f"D:P(OA;;RP;{prop};;{ALICE})", DOMAIN), user(ALICE))
    # An object deny refuses (the safe side), even with a plain grant after it.
    assert not may_read(from_sddl(f"D:P(OD;;RP;{prop};;{ALICE})(A;;RPLCLORC;;;AU)", DOMAIN), user(ALICE))


def test_generic_read_counts_as_read_property():
    assert may_read(from_sddl(f"D:P(A;;GR;;;{ALICE})", DOMAIN), user(ALICE))
    assert may_read(from_sddl(f"D:P(A;;GA;;;{SCANNERS})", DOMAIN), user(BOB, SCANNERS))
    assert not may_read(from_sddl(f"D:P(A;;WP;;;{ALICE})", DOMAIN), user(ALICE))


def test_empty_dacl_refuses_everybody():
    assert not may_read(from_bytes(raw_descriptor()), user(ALICE))


def raw_descriptor(*aces: tuple[int, int, int, str], dacl: bool = True) -> bytes:
    """A self-relative SECURITY_DESCRIPTOR ([MS-DTYP] 2.4.6) built byte by byte, independently of winacl."""
    body = b""
    for ace_type, flags, mask, sid in aces:
        sid_raw = sid_to_bytes(sid)
        body += struct.pack("<BBHI", ace_type, flags, 8 + len(sid_raw), mask) + sid_raw
    acl = struct.pack("<BBHHH", 4, 0, 8 + len(body), len(aces), 0) + body
    control = 0x8000 | (0x0004 if dacl else 0)  # SE_SELF_RELATIVE | SE_DACL_PRESENT
    header = struct.pack("<BBHIIII", 1, 0, control, 0, 0, 0, 20 if dacl else 0)
    return header + (acl if dacl else b"")


def test_binary_descriptors_as_ldap_returns_them():
    read = 0x10 | 0x4 | 0x80 | 0x20000  # RPLCLORC
    console = raw_descriptor((0, 0, read, ALICE), (0, 0, read, SCANNERS))
    assert may_read(from_bytes(console), user(ALICE))
    assert may_read(from_bytes(console), user(CAROL, SCANNERS))
    assert not may_read(from_bytes(console), user(BOB))
    denied = raw_descriptor((1, 0, 0x10, CAROL), (0, 0, read, "S-1-5-11"))
    assert not may_read(from_bytes(denied), user(CAROL))
    assert may_read(from_bytes(denied), user(BOB))
    inherit_only = raw_descriptor((0, 0x02 | 0x08, read, ALICE))  # CONTAINER_INHERIT | INHERIT_ONLY
    assert not may_read(from_bytes(inherit_only), user(ALICE))


def test_no_dacl_at_all_allows_everybody():
    assert may_read(from_bytes(raw_descriptor(dacl=False)), user(BOB))


def test_sddl_and_binary_agree():
    sd = from_sddl(CONSOLE, DOMAIN)
    again = from_bytes(sd.to_bytes())
    for who in (user(ALICE), user(BOB), user(CAROL, SCANNERS)):
        assert may_read(again, who) == may_read(sd, who)


@pytest.mark.parametrize(
    "raw",
    [b"", b"\x01\x00", b"\x01\x00\x04\x80" + b"\xff" * 16, raw_descriptor((0, 0, 0x10, ALICE))[:-6]],
)
def test_unreadable_descriptors_are_typed_errors(raw):
    with pytest.raises(DescriptorError):
        may_read(from_bytes(raw), user(ALICE))


def test_unknown_rights_in_sddl_are_typed_errors():
    with pytest.raises(DescriptorError):
        from_sddl(f"D:P(A;;QQ;;;{ALICE})", DOMAIN)
