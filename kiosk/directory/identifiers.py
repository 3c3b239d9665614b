"""Binary directory identifiers as the strings DSM sends: objectSid and msImaging-PSPIdentifier."""

from __future__ import annotations

import re
import struct
import uuid
from typing import Literal

from kiosk.errors import DirectoryError

GuidLayout = Literal["mixed-endian", "big-endian"]
_SID_TEXT = re.compile(r"^S-1-[0-9]+(-[0-9]+){1,15}$")


def sid_to_string(raw: bytes) -> str:
    """objectSid (revision, sub-authority count, 48-bit big-endian authority, little-endian
    32-bit sub-authorities) as `S-1-5-21-…`."""
    if len(raw) < 8:
        raise DirectoryError(f"objectSid has {len(raw)} bytes; at least 8 are needed")
    revision, count = raw[0], raw[1]
    if revision != 1 or len(raw) != 8 + 4 * count or count > 15:
        raise DirectoryError(f"objectSid is malformed (revision {revision}, {count} sub-authorities, {len(raw)} bytes)")
    authority = int.from_bytes(raw[2:8], "big")
    subs = struct.unpack(f"<{count}I", raw[8:])
    return "-".join(["S", str(revision), str(authority), *map(str, subs)])


def sid_to_bytes(sid: str) -> bytes:
    if not _SID_TEXT.match(sid):
        raise ValueError(f"not a SID: {sid!r}")
    parts = sid.split("-")
    authority, subs = int(parts[2]), [int(p) for p in parts[3:]]
    if authority >= 1 << 48 or any(s >= 1 << 32 for s in subs):
        raise ValueError(f"not a SID: {sid!r}")
    return bytes([1, len(subs)]) + authority.to_bytes(6, "big") + struct.pack(f"<{len(subs)}I", *subs)


def is_sid(text: str) -> bool:
    try:
        sid_to_bytes(text)
    except ValueError:
        return False
    return True


def guid_text(value: uuid.UUID) -> str:
    """A PSP_Identifier as DSM sends it: upper-case and hyphenated, the form the directory's own
    tools write (and Microsoft's examples show)."""
    return str(value).upper()


def guid_to_string(raw: bytes, layout: GuidLayout = "mixed-endian") -> str:
    """16 bytes as an upper-case hyphenated GUID. AD's objectGUID layout stores the first three
    fields little-endian ("mixed-endian"); "big-endian" is RFC 4122 byte order."""
    if len(raw) != 16:
        raise DirectoryError(f"msImaging-PSPIdentifier has {len(raw)} bytes, not 16")
    value = uuid.UUID(bytes_le=raw) if layout == "mixed-endian" else uuid.UUID(bytes=raw)
    return guid_text(value)
