"""Namespaces, actions, envelopes and MTOM framing shared by the WS-DSP client and server."""

from __future__ import annotations

import functools
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

from lxml import etree

from kiosk.errors import DeliveryError

SOAP = "http://www.w3.org/2003/05/soap-envelope"
# The 2004/08 member-submission namespace, not W3C 2005/08: DSM uses the DPWS one.
WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
WSA_ANONYMOUS = f"{WSA}/role/anonymous"
WSA_FAULT_ACTION = f"{WSA}/fault"
DSP = "http://schemas.microsoft.com/windows/2008/12/wdp/distributedscan/processing"
XOP = "http://www.w3.org/2004/08/xop/include"
WSD = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
WSD_TO = "urn:schemas-xmlsoap-org:ws:2005:04:discovery"
WXF = "http://schemas.xmlsoap.org/ws/2004/09/transfer"
MEX = "http://schemas.xmlsoap.org/ws/2004/09/mex"
DPWS = "http://schemas.xmlsoap.org/ws/2006/02/devprof"

OPERATIONS = ("CreatePostScanJob", "SendImage", "EndPostScanJob", "CancelPostScanJob", "GetPostScanJobElements")
PROBE_ACTION = f"{WSD}/Probe"
PROBE_MATCHES_ACTION = f"{WSD}/ProbeMatches"
GET_ACTION = f"{WXF}/Get"
GET_RESPONSE_ACTION = f"{WXF}/GetResponse"
#: Hosted-service type the reference server announces; clients match any QName in the dsp namespace.
DSP_SERVICE_TYPE = "DistributedScanProcessingServiceType"

NSMAP = {"soap": SOAP, "wsa": WSA, "dsp": DSP, "xop": XOP}


def action(operation: str) -> str:
    return f"{DSP}/{operation}"


def response_action(operation: str) -> str:
    return f"{DSP}/{operation}Response"


def q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def new_message_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def schema_dir() -> Path:
    return Path(str(resources.files("kiosk.dsm") / "schemas"))


def wsdl_path() -> Path:
    return schema_dir() / "dsp.wsdl"


_schema_lock = threading.Lock()


@functools.cache
def _dsp_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schema_dir() / "dsp.xsd")))


def dsp_schema() -> etree.XMLSchema:
    """dsp.xsd with everything it imports (psp, wscn, fsf, spf, emlf).

    Built once under a lock: two server threads building it at once made libxml2 fail with
    XMLSchemaParseError now and then.
    """
    with _schema_lock:
        return _dsp_schema()


def validate(document: etree._ElementTree) -> etree._LogEntry | None:
    """None if `document` is valid against dsp.xsd, else the last error. One validation at a
    time: the schema's error log is shared by its users."""
    schema = dsp_schema()
    with _schema_lock:
        return None if schema.validate(document) else schema.error_log.last_error


def secure_parser() -> etree.XMLParser:
    # Requests come from the network: no entities, no DTD, no network access.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=False
    )


def envelope(
    action_uri: str,
    body: etree._Element | None,
    *,
    to: str,
    message_id: str | None = None,
    relates_to: str | None = None,
    reply_to: bool = False,
    extra_ns: dict[str, str] | None = None,
) -> etree._Element:
    """A SOAP 1.2 envelope with WS-Addressing 2004/08 headers."""
    env = etree.Element(q(SOAP, "Envelope"), nsmap={"soap": SOAP, "wsa": WSA, **(extra_ns or {})})
    header = etree.SubElement(env, q(SOAP, "Header"))
    etree.SubElement(header, q(WSA, "To")).text = to
    etree.SubElement(header, q(WSA, "Action")).text = action_uri
    etree.SubElement(header, q(WSA, "MessageID")).text = message_id or new_message_id()
    if relates_to:
        etree.SubElement(header, q(WSA, "RelatesTo")).text = relates_to
    if reply_to:
        rt = etree.SubElement(header, q(WSA, "ReplyTo"))
        etree.SubElement(rt, q(WSA, "Address")).text = WSA_ANONYMOUS
    b = etree.SubElement(env, q(SOAP, "Body"))
    if body is not None:
        b.append(body)
    return env


def header_text(env: etree._Element, name: str) -> str | None:
    el = env.find(f"{{{SOAP}}}Header/{{{WSA}}}{name}")
    return el.text.strip() if el is not None and el.text else None


def soap_content_type(action_uri: str) -> str:
    return f'application/soap+xml; charset=utf-8; action="{action_uri}"'


class MtomBody:
    """A multipart/related MTOM/XOP request body: the envelope, then the file's raw bytes.

    Iterating reads the file in chunks, so the document is never held in memory; `len()` gives
    requests the exact Content-Length (no chunked encoding, which some servers refuse).
    """

    CHUNK = 256 * 1024

    def __init__(self, envelope_xml: bytes, path: Path | None, content_id: str, action_uri: str) -> None:
        self.boundary = f"uuid:{uuid.uuid4()}"
        self.start = f"<root.message@{uuid.uuid4().hex}>"
        self.path = path
        self.size = path.stat().st_size if path is not None else -1
        self.head = (
            (
                f"--{self.boundary}\r\n"
                'Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\n'
                "Content-Transfer-Encoding: binary\r\n"
                f"Content-ID: {self.start}\r\n\r\n"
            ).encode()
            + envelope_xml
            + (
                f"\r\n--{self.boundary}\r\n"
                "Content-Type: application/octet-stream\r\n"
                "Content-Transfer-Encoding: binary\r\n"
                f"Content-ID: <{content_id}>\r\n\r\n"
            ).encode()
        )
        self.tail = f"\r\n--{self.boundary}--\r\n".encode()
        self.content_type = (
            f'multipart/related; type="application/xop+xml"; boundary="{self.boundary}"; '
            f'start="{self.start}"; start-info="application/soap+xml"; action="{action_uri}"'
        )

    def __len__(self) -> int:
        return len(self.head) + self.size + len(self.tail)

    def __iter__(self) -> Iterator[bytes]:
        assert self.path is not None
        yield self.head
        sent = 0
        with self.path.open("rb") as fh:
            while chunk := fh.read(self.CHUNK):
                sent += len(chunk)
                yield chunk
        if sent != self.size:
            raise OSError(f"{self.path} changed size while it was being sent ({self.size} → {sent} bytes)")
        yield self.tail


class StreamStopped(DeliveryError):
    """A document being sent while it is written stopped growing (`stalled`) or was given up by
    its writer: the request is cut off before its closing boundary, so the server keeps nothing.
    A KioskError, so the client's error mapping passes it through unchanged; retryable (the
    finished file can follow)."""

    code = "delivery.stream_stopped"

    def __init__(self, message: str, *, stalled: bool) -> None:
        super().__init__(message, retryable=True)
        self.stalled = stalled


class GrowingFile:
    """A file that is still being appended to (a multi-page document while the feeder runs).

    `state(fd)` is asked whenever the reader has caught up with the writer: True when the file
    is complete (the reader then reads to its end), False while it may still grow, None when
    its writer gave it up. With no new byte for `idle_timeout` seconds the send stops
    (StreamStopped, stalled): a scan waiting for a user's "Scan more" must not hold a request
    open for minutes, and the finished file is sent instead.
    """

    def __init__(
        self,
        path: Path,
        state: Callable[[int], bool | None],
        *,
        idle_timeout: float = 20.0,
        poll: float = 0.01,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.state = state
        #: called with the bytes handed to the connection so far (the consumer asked for more)
        self.progress = progress
        self.idle_timeout = idle_timeout
        self.poll = poll
        self.sent = 0

    def chunks(self, size: int) -> Iterator[bytes]:
        fd = os.open(self.path, os.O_RDONLY)
        try:
            last = time.monotonic()
            complete = False
            while True:
                chunk = os.read(fd, size)
                if chunk:
                    self.sent += len(chunk)
                    last = time.monotonic()
                    yield chunk
                    if self.progress is not None:
                        self.progress(self.sent)
                    continue
                if complete:
                    return
                state = self.state(fd)
                if state is None:
                    raise StreamStopped(f"{self.path}: its writer gave the document up", stalled=False)
                if state:
                    complete = True  # read what was appended since the last read, then stop
                    continue
                if time.monotonic() - last > self.idle_timeout:
                    raise StreamStopped(
                        f"{self.path}: no new page for {self.idle_timeout:.0f} s; the finished file is sent instead",
                        stalled=True,
                    )
                time.sleep(self.poll)
        finally:
            os.close(fd)


def mtom_chunks(
    envelope_xml: bytes, source: GrowingFile, content_id: str, action_uri: str
) -> tuple[str, Iterator[bytes]]:
    """The Content-Type and the chunks of an MTOM body whose attachment is a growing file. It
    has no length: HTTP sends it with chunked transfer coding."""
    body = MtomBody(envelope_xml, None, content_id, action_uri)

    def chunks() -> Iterator[bytes]:
        yield body.head
        yield from source.chunks(MtomBody.CHUNK)
        yield body.tail

    return body.content_type, chunks()
