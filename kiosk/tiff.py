"""An append-only multi-page TIFF writer: one page at a time, never rewriting a byte already written.

Layout: the 8-byte header, then per page its image data followed by the IFD of the page *before*
it. A page's IFD has to say where the next IFD is (or that there is none), so it is written once
the next page is encoded (its data's length fixes where the next IFD goes) or at `close()`; the
image data goes out at once. The header is written with the first page, when the first IFD's
place is known. Pillow's AppendingTiffWriter instead goes back and patches the previous IFD,
which a reader of the growing file (a SendImage in progress) would miss.

Each page is encoded by Pillow as a one-page TIFF (so the tags and compressed data are exactly
Pillow's), then its IFD is re-laid at the new offsets. `state()` (a few hundred bytes: the
pending IFD and the length written) lets `TiffWriter.resume` continue after a crash.
Memory: one page's encoded data at a time.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

#: bytes per value of each TIFF field type
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8}
STRIP_OFFSETS, STRIP_BYTE_COUNTS = 273, 279
#: tags holding file offsets that the writer does not know how to move
UNMOVABLE = {288, 324, 330, 34665, 34853, 40965}
LONG = 4
_STRIP_TAGS = (STRIP_OFFSETS, STRIP_BYTE_COUNTS)


class TiffWriteError(ValueError):
    """A page that cannot be copied into the document."""


def read_page(data: bytes) -> tuple[list[tuple[int, int, int, bytes]], bytes, list[int]]:
    """The first IFD of a little-endian classic TIFF: its entries (tag, type, count, value
    bytes), the strips' data concatenated, and each strip's length."""
    if data[:4] != b"II*\x00":
        raise TiffWriteError("expected a little-endian classic TIFF")
    (ifd,) = struct.unpack_from("<I", data, 4)
    (n,) = struct.unpack_from("<H", data, ifd)
    entries = []
    for i in range(n):
        tag, typ, count, inline = struct.unpack_from("<HHI4s", data, ifd + 2 + 12 * i)
        if typ not in TYPE_SIZES:
            raise TiffWriteError(f"tag {tag}: unknown field type {typ}")
        if tag in UNMOVABLE:
            raise TiffWriteError(f"tag {tag} holds an offset the writer cannot move")
        size = TYPE_SIZES[typ] * count
        if size <= 4:
            value = inline[:size]
        else:
            (at,) = struct.unpack("<I", inline)
            value = data[at : at + size]
        entries.append((tag, typ, count, value))
    values = {tag: _numbers(typ, count, value) for tag, typ, count, value in entries if tag in _STRIP_TAGS}
    if STRIP_OFFSETS not in values or STRIP_BYTE_COUNTS not in values:
        raise TiffWriteError("the page has no strips")
    if len(values[STRIP_OFFSETS]) != len(values[STRIP_BYTE_COUNTS]):
        raise TiffWriteError("StripOffsets and StripByteCounts differ in length")
    strips = [data[o : o + c] for o, c in zip(values[STRIP_OFFSETS], values[STRIP_BYTE_COUNTS], strict=True)]
    return entries, b"".join(strips), list(values[STRIP_BYTE_COUNTS])


def _numbers(typ: int, count: int, value: bytes) -> tuple[int, ...]:
    fmt = {3: "H", 4: "I", 16: "Q"}.get(typ)
    if fmt is None:
        raise TiffWriteError(f"strip tags of type {typ}")
    return struct.unpack(f"<{count}{fmt}", value)


class TiffWriter:
    """Writes a multi-page TIFF to `fh` (opened "wb" or "r+b"), page by page."""

    def __init__(self, fh: BinaryIO, *, _state: dict | None = None) -> None:
        self.fh = fh
        if _state is None:
            self.size = 0
            self.pages = 0
            self.pending: dict | None = None
        else:
            self.size = _state["size"]
            self.pages = _state["pages"]
            self.pending = _state["pending"]
            self.fh.seek(self.size)
            self.fh.truncate()

    @classmethod
    def resume(cls, fh: BinaryIO, state: dict) -> TiffWriter:
        return cls(fh, _state=state)

    def state(self) -> dict:
        return {"size": self.size, "pages": self.pages, "pending": self.pending}

    def _write(self, data: bytes) -> None:
        self.fh.write(data)
        self.size += len(data)

    def add_page(self, one_page_tiff: bytes) -> None:
        """Append the page of a one-page TIFF (as Pillow writes it)."""
        entries, data, counts = read_page(one_page_tiff)
        if len(data) % 2:
            data += b"\0"  # the next IFD starts on a word boundary
        if self.pending is None:
            # First page: the header can now say where the first IFD will be.
            self._write(b"II*\x00" + struct.pack("<I", 8 + len(data)))
        else:
            self._write(_ifd(self.pending, self.size, self.size + _ifd_size(self.pending) + len(data)))
        data_at = self.size
        self._write(data)
        self.pending = {
            "entries": [[tag, typ, count, value.hex()] for tag, typ, count, value in entries],
            "data_at": data_at,
            "counts": counts,
        }
        self.pages += 1

    def close(self) -> None:
        if self.pending is None:
            raise TiffWriteError("a TIFF needs at least one page")
        self._write(_ifd(self.pending, self.size, 0))
        self.pending = None


def _entries(pending: dict) -> list[tuple[int, int, int, bytes]]:
    offsets, at = [], pending["data_at"]
    for c in pending["counts"]:
        offsets.append(at)
        at += c
    out = []
    for tag, typ, count, value in pending["entries"]:
        if tag == STRIP_OFFSETS:
            out.append((tag, LONG, len(offsets), struct.pack(f"<{len(offsets)}I", *offsets)))
        else:
            out.append((tag, typ, count, bytes.fromhex(value)))
    return sorted(out)


def _ifd_size(pending: dict) -> int:
    entries = _entries(pending)
    extra = sum(len(v) + len(v) % 2 for _, _, _, v in entries if len(v) > 4)
    return 2 + 12 * len(entries) + 4 + extra


def _ifd(pending: dict, at: int, next_ifd: int) -> bytes:
    """The IFD as written at offset `at`, its values that do not fit inline right after it."""
    entries = _entries(pending)
    head = struct.pack("<H", len(entries))
    extra = b""
    extra_at = at + 2 + 12 * len(entries) + 4
    for tag, typ, count, value in entries:
        if len(value) <= 4:
            head += struct.pack("<HHI", tag, typ, count) + value.ljust(4, b"\0")
        else:
            head += struct.pack("<HHII", tag, typ, count, extra_at + len(extra))
            extra += value + b"\0" * (len(value) % 2)
    return head + struct.pack("<I", next_ifd) + extra
