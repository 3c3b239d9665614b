"""Streaming MTOM/XOP request parsing: the envelope part in memory, the attachment to a file."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import BinaryIO

from python_multipart.multipart import MultipartParser

MAX_ROOT_PART = 1024 * 1024


class MtomError(ValueError):
    """The multipart/related body is not a valid MTOM message (reported as dsp:InvalidArgs)."""


def content_type_params(value: str) -> tuple[str, dict[str, str]]:
    msg = Message()
    msg["content-type"] = value
    params = {k.lower(): v for k, v in (msg.get_params() or [])[1:]}
    return msg.get_content_type(), params


@dataclass
class Attachment:
    content_id: str
    content_type: str
    path: Path
    size: int = 0
    sha256: str = ""


@dataclass
class MtomMessage:
    root: bytes
    attachments: list[Attachment] = field(default_factory=list)

    def discard(self) -> None:
        for a in self.attachments:
            a.path.unlink(missing_ok=True)


def parse(stream: BinaryIO, length: int, content_type: str, spool: Path, *, max_size: int) -> MtomMessage:
    """Read `length` bytes of a multipart/related body from `stream`. Attachments go to files in
    `spool` (the caller owns and removes them); only the root (envelope) part is held in memory."""
    mime, params = content_type_params(content_type)
    if mime != "multipart/related":
        raise MtomError(f"Content-Type is {mime}, not multipart/related")
    if params.get("type", "").lower() != "application/xop+xml":
        raise MtomError('multipart/related without type="application/xop+xml"')
    if "start-info" in params and not params["start-info"].lower().startswith("application/soap+xml"):
        raise MtomError(f"start-info is {params['start-info']!r}, not application/soap+xml")
    boundary = params.get("boundary")
    if not boundary:
        raise MtomError("multipart/related without a boundary")
    start = params.get("start", "").strip().strip("<>") or None

    parts: list[dict] = []
    state: dict = {"headers": {}, "field": b"", "value": b""}
    message = MtomMessage(root=b"")
    current: dict = {}

    def on_part_begin() -> None:
        state["headers"] = {}
        current.clear()

    def on_header_field(data: bytes, s: int, e: int) -> None:
        state["field"] += data[s:e]

    def on_header_value(data: bytes, s: int, e: int) -> None:
        state["value"] += data[s:e]

    def on_header_end() -> None:
        state["headers"][state["field"].decode("latin-1").strip().lower()] = state["value"].decode("latin-1").strip()
        state["field"] = state["value"] = b""

    def on_headers_finished() -> None:
        headers = state["headers"]
        cid = headers.get("content-id", "").strip().strip("<>")
        ctype = headers.get("content-type", "")
        enc = headers.get("content-transfer-encoding", "binary").lower()
        if enc not in ("binary", "8bit"):
            raise MtomError(f"part {cid or len(parts) + 1}: Content-Transfer-Encoding {enc} (MTOM parts are binary)")
        is_root = (cid == start) if start else not parts
        current.update(cid=cid, ctype=ctype, root=is_root, size=0)
        if is_root:
            rmime, rparams = content_type_params(ctype)
            if rmime != "application/xop+xml" or not rparams.get("type", "").lower().startswith("application/soap+xml"):
                raise MtomError(
                    f"root part has Content-Type {ctype!r}, not application/xop+xml; type=application/soap+xml"
                )
            current["buf"] = bytearray()
        else:
            if not cid:
                raise MtomError("attachment part without Content-ID")
            fd, name = tempfile.mkstemp(prefix="incoming-", dir=spool)
            current["file"] = os.fdopen(fd, "wb")
            current["hash"] = hashlib.sha256()
            message.attachments.append(Attachment(cid, ctype, Path(name)))
        parts.append(current.copy())

    def on_part_data(data: bytes, s: int, e: int) -> None:
        chunk = data[s:e]
        current["size"] += len(chunk)
        if current["root"]:
            if current["size"] > MAX_ROOT_PART:
                raise MtomError("the envelope part is larger than 1 MiB")
            current["buf"] += chunk
        else:
            if current["size"] > max_size:
                raise MtomError(f"attachment larger than {max_size} bytes")
            current["file"].write(chunk)
            current["hash"].update(chunk)

    def on_part_end() -> None:
        if current.get("root"):
            if message.root:
                raise MtomError("two root parts")
            message.root = bytes(current["buf"])
        elif "file" in current:
            fh = current["file"]
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
            att = message.attachments[-1]
            att.size = current["size"]
            att.sha256 = current["hash"].hexdigest()

    ended = {"done": False}

    def on_end() -> None:
        ended["done"] = True

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_end": on_end,
        },
    )
    try:
        remaining = length
        while remaining > 0:
            chunk = stream.read(min(remaining, 256 * 1024))
            if not chunk:
                raise MtomError(f"body ended {remaining} bytes before its Content-Length")
            remaining -= len(chunk)
            parser.write(chunk)
        parser.finalize()
        if not ended["done"]:
            raise MtomError("multipart body without its closing boundary")
        if not message.root:
            raise MtomError("no root (envelope) part" + (f" with Content-ID <{start}>" if start else ""))
    except MtomError:
        _close(current)
        message.discard()
        raise
    except Exception as exc:  # the parser's own errors: malformed framing
        _close(current)
        message.discard()
        raise MtomError(f"malformed multipart body: {exc}") from None
    return message


def _close(current: dict) -> None:
    fh = current.get("file")
    if fh is not None and not fh.closed:
        fh.close()
