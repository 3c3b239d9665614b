"""The WS-DSP client: CreatePostScanJob, SendImage (MTOM, streamed), EndPostScanJob,
CancelPostScanJob, GetPostScanJobElements.

zeep builds and parses the SOAP 1.2 messages from our WSDL (kiosk/dsm/schemas/dsp.wsdl). Two
things zeep does not do are added around it, without patching zeep: WS-Addressing 2004/08
headers and their checks on the reply (a zeep plugin; zeep's own plugin writes 2005/08), and MTOM
requests (a Transport subclass that swaps the ImageData content for an xop:Include and streams
the file as the binary part).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import zeep
import zeep.exceptions
from lxml import etree
from zeep import xsd
from zeep.plugins import Plugin

from kiosk.config import ScanServerSettings
from kiosk.dsm import protocol as p
from kiosk.dsm.errors import (
    FAULT_CLASSES,
    InvalidArgs,
    ProtocolError,
    ScanServerBusy,
    ScanServerFault,
    ScanServerUnreachable,
    TlsError,
)
from kiosk.dsm.model import JobElements, parse_job_elements
from kiosk.dsm.tls import Deadline, ExtraCAs, check_scheme, session
from kiosk.errors import KioskError, SpoolError
from kiosk.psp.model import NS_PSP

log = logging.getLogger("kiosk.dsm.client")

RETRYABLE_HTTP = {502, 503, 504}


@dataclass
class _Call:
    """What one in-flight call needs across zeep's plugin and transport hooks."""

    operation: str
    message_id: str = ""
    instructions: etree._Element | None = None
    attachment: Path | None = None
    #: SendImage of a document still being written (chunked transfer)
    growing: p.GrowingFile | None = None
    reply: etree._Element | None = None
    sent: bytes = b""
    deadline: float = 0.0


class _Addressing(Plugin):
    """WS-Addressing 2004/08 on the way out; RelatesTo and Action checked on the way back."""

    def __init__(self, client: WsdspClient) -> None:
        self.client = client

    def egress(self, envelope, http_headers, operation, binding_options):
        call = self.client._call()
        header = envelope.find(f"{{{p.SOAP}}}Header")
        if header is None:
            header = etree.Element(f"{{{p.SOAP}}}Header")
            envelope.insert(0, header)
        call.message_id = p.new_message_id()
        for name, value in (
            ("To", self.client.endpoint),
            ("Action", p.action(call.operation)),
            ("MessageID", call.message_id),
        ):
            etree.SubElement(header, p.q(p.WSA, name), nsmap={"wsa": p.WSA}).text = value
        if call.operation != "SendImage":  # as in the published examples
            rt = etree.SubElement(header, p.q(p.WSA, "ReplyTo"), nsmap={"wsa": p.WSA})
            etree.SubElement(rt, p.q(p.WSA, "Address")).text = p.WSA_ANONYMOUS
        for name in envelope.iterfind(f".//{{{p.DSP}}}RequestedElements/{{{p.DSP}}}Name"):
            # QNames in text are invisible to cleanup_namespaces: pin them to the dsp prefix.
            prefix, _, local = (name.text or "").rpartition(":")
            if name.nsmap.get(prefix or None) == p.DSP:
                name.text = f"dsp:{local}"
        etree.cleanup_namespaces(envelope, top_nsmap={"wsa": p.WSA, "dsp": p.DSP})
        if call.instructions is not None:
            request = envelope.find(f"{{{p.SOAP}}}Body/{{{p.DSP}}}CreatePostScanJobRequest")
            # The scan process's own PostScanInstructions children, sent unchanged, prefixes
            # included (added after the namespace cleanup, which cannot see prefixes in text).
            wrapper = etree.SubElement(request, p.q(p.DSP, "PostScanInstructions"), nsmap=dict(call.instructions.nsmap))
            wrapper.text = call.instructions.text
            for child in call.instructions:
                wrapper.append(etree.fromstring(etree.tostring(child)) if isinstance(child.tag, str) else child)
        return envelope, http_headers

    def ingress(self, envelope, http_headers, operation):
        call = self.client._call()
        relates = p.header_text(envelope, "RelatesTo")
        action = p.header_text(envelope, "Action")
        body = envelope.find(f"{{{p.SOAP}}}Body")
        call.reply = body[0] if body is not None and len(body) else None
        if call.reply is not None and call.reply.tag == p.q(p.SOAP, "Fault"):
            # A fault is known by its body; servers differ in its Action and may not relate it.
            if relates is not None and relates != call.message_id:
                raise ProtocolError(
                    f"{call.operation}: fault RelatesTo {relates!r} does not match MessageID {call.message_id}"
                )
            return envelope, http_headers
        if relates != call.message_id:
            raise ProtocolError(
                f"{call.operation}: reply RelatesTo {relates!r} does not match MessageID {call.message_id}"
            )
        if action != p.response_action(call.operation):
            raise ProtocolError(f"{call.operation}: reply Action {action!r} is not {p.response_action(call.operation)}")
        return envelope, http_headers


class _Transport(zeep.Transport):
    """(connect, read) timeouts, and MTOM for SendImage streamed from the document's file. (The
    session, tls.GuardedSession, reads every answer: no redirects, a size cap, bounded inflating.)"""

    def __init__(self, client: WsdspClient, sess: requests.Session, settings: ScanServerSettings) -> None:
        super().__init__(session=sess)
        self.client = client
        self.timeouts = (settings.connect_timeout, settings.read_timeout)

    def post(self, address, message, headers):
        if log.isEnabledFor(logging.DEBUG) and isinstance(message, bytes):
            log.debug("POST %s\n%s", address, message.decode("utf-8", "replace"))
        return self.session.post(address, data=message, headers=headers, timeout=self.timeouts)

    def post_xml(self, address, envelope, headers):
        call = self.client._call()
        if call.attachment is None:
            call.sent = etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
            return self.post(address, call.sent, headers)
        data = envelope.find(f"{{{p.SOAP}}}Body/{{{p.DSP}}}SendImageRequest/{{{p.DSP}}}ImageData")
        cid = f"{p.new_message_id()[9:]}@dsm-kiosk"
        data.text = None
        etree.SubElement(data, p.q(p.XOP, "Include"), nsmap={"xop": p.XOP}, href=f"cid:{cid}")
        call.sent = etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
        body: Any
        if call.growing is not None:
            # No length: requests sends an iterator with chunked transfer coding.
            ctype, body = p.mtom_chunks(call.sent, call.growing, cid, p.action("SendImage"))
            headers = {**headers, "Content-Type": ctype}
            log.debug("POST %s (MTOM, chunked, growing %s)\n%s", address, call.growing.path, call.sent.decode())
        else:
            body = p.MtomBody(call.sent, call.attachment, cid, p.action("SendImage"))
            headers = {**headers, "Content-Type": body.content_type}
            log.debug("POST %s (MTOM, %d-byte document)\n%s", address, body.size, call.sent.decode())
        return self.session.post(address, data=body, headers=headers, timeout=self.timeouts)


class WsdspClient:
    """One WS-DSP endpoint. Thread-safe: each thread's call keeps its own state."""

    #: send_image takes `growing=` (the worker checks this before streaming a document).
    streams_growing_documents = True

    def __init__(self, endpoint: str, settings: ScanServerSettings, *, extra_cas: ExtraCAs = ()) -> None:
        check_scheme(endpoint, settings)
        self.endpoint = endpoint
        self.settings = settings
        self._local = threading.local()
        self._zeep = zeep.Client(
            str(p.wsdl_path()),
            transport=_Transport(self, session(settings, extra_cas), settings),
            plugins=[_Addressing(self)],
            settings=zeep.Settings(strict=True, xml_huge_tree=False),
        )
        self._service = self._zeep.create_service(f"{{{p.DSP}}}DistributedScanProcessingBinding", endpoint)

    def close(self) -> None:
        self._zeep.transport.session.close()

    def __enter__(self) -> WsdspClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- operations ------------------------------------------------------------------------
    def create_post_scan_job(self, user_sid: str, psp_identifier: str, instructions_xml: str) -> str:
        """Returns the JobToken. `instructions_xml` is the scan process's psp:PostScanInstructions."""
        try:
            ins = etree.fromstring(instructions_xml.encode() if isinstance(instructions_xml, str) else instructions_xml)
        except etree.XMLSyntaxError as exc:
            raise InvalidArgs(
                f"PostScanInstructions is not well-formed XML: {exc}", subcode="InvalidArgs", reason=str(exc)
            ) from None
        if ins.tag != p.q(NS_PSP, "PostScanInstructions"):
            raise InvalidArgs(
                f"expected psp:PostScanInstructions, got {ins.tag}",
                subcode="InvalidArgs",
                reason="not psp:PostScanInstructions",
            )
        reply = self._invoke(
            "CreatePostScanJob",
            dict(UserIdentifier=user_sid, PSP_Identifier=psp_identifier, PostScanInstructions=xsd.SkipValue),
            instructions=ins,
        )
        token = reply.findtext(f"{{{p.DSP}}}JobToken") if reply is not None else None
        if not token or not token.strip():
            raise ProtocolError("CreatePostScanJobResponse without a JobToken")
        # A JobToken is a capability for the job: only at DEBUG.
        log.info("CreatePostScanJob: job created (user %s, process %s)", user_sid, psp_identifier)
        log.debug("CreatePostScanJob: JobToken %s", token.strip())
        return token.strip()

    def send_image(
        self, job_token: str, document_id: int, fmt: str, path: str | Path, *, growing: p.GrowingFile | None = None
    ) -> None:
        """SendImage with the file as its MTOM attachment, streamed from disk. With `growing` (a
        document still being written, `path` is then ignored) the body goes out with chunked
        transfer coding as the file grows; it raises `protocol.StreamStopped` when the file
        stops growing or is given up, and the request is cut off unfinished."""
        path = Path(growing.path if growing is not None else path)
        if growing is not None and not path.is_file():
            # Renamed into place (or dropped) since the worker found it: the finished file follows.
            raise p.StreamStopped(f"{path}: no longer being written", stalled=False)
        if not path.is_file():
            # A JobToken is a capability for the job: not in a message that is logged.
            raise SpoolError(f"document {document_id}: {path} is missing")
        self._invoke(
            "SendImage",
            dict(JobToken=job_token, DocumentDescription={"DocumentId": document_id, "Format": fmt}, ImageData=b""),
            attachment=path,
            growing=growing,
        )
        size = growing.sent if growing is not None else path.stat().st_size
        streamed = ", sent while it was written" if growing is not None else ""
        log.info("SendImage: document %d (%s, %d bytes%s) accepted", document_id, fmt, size, streamed)

    def end_post_scan_job(self, job_token: str) -> None:
        self._invoke("EndPostScanJob", dict(JobToken=job_token))

    def cancel_post_scan_job(self, job_token: str) -> None:
        self._invoke("CancelPostScanJob", dict(JobToken=job_token))

    def get_post_scan_job_elements(self, job_token: str) -> JobElements:
        names = [etree.QName(p.DSP, "JobStatus"), etree.QName(p.DSP, "JobDescription")]
        reply = self._invoke("GetPostScanJobElements", dict(JobToken=job_token, RequestedElements={"Name": names}))
        if reply is None or reply.tag != p.q(p.DSP, "GetPostScanJobElementsResponse"):
            raise ProtocolError("GetPostScanJobElements: no GetPostScanJobElementsResponse in the reply")
        try:
            return parse_job_elements(reply)
        except (ValueError, TypeError, AttributeError, IndexError) as exc:
            raise ProtocolError(f"GetPostScanJobElements: malformed JobStatus: {type(exc).__name__}: {exc}") from None

    @property
    def last_request(self) -> bytes:
        """The envelope of this thread's last request (for tests and debugging)."""
        return self._call().sent

    @property
    def last_reply(self) -> etree._Element | None:
        """The Body element of this thread's last reply."""
        return self._call().reply

    # -- plumbing --------------------------------------------------------------------------
    def _call(self) -> _Call:
        call = getattr(self._local, "call", None)
        return call if call is not None else _Call("")

    def _invoke(self, operation: str, args: dict, **extra) -> etree._Element | None:
        seconds = self.settings.call_deadline_seconds
        attachment = extra.get("attachment")
        if attachment is not None:
            # A large document on a slow link may take long: one more second per 64 KiB of it.
            try:
                seconds += Path(attachment).stat().st_size / 65536
            except OSError:
                pass
        self._local.call = call = _Call(operation, deadline=time.monotonic() + seconds, **extra)
        with Deadline(seconds) as deadline:
            try:
                self._invoke_zeep(operation, args)
            except ScanServerUnreachable as exc:
                if deadline.expired:
                    raise ScanServerUnreachable(
                        f"{operation}: {self.endpoint}: no complete answer within {seconds:.0f} s"
                    ) from None
                raise exc from None
            except (SpoolError, ProtocolError) as exc:
                if deadline.expired:
                    raise ScanServerUnreachable(
                        f"{operation}: {self.endpoint}: no complete answer within {seconds:.0f} s"
                    ) from None
                if isinstance(exc, ProtocolError) and not str(exc).startswith(operation):
                    raise ProtocolError(f"{operation}: {exc}", retryable=exc.retryable) from None
                raise exc from None
        return call.reply

    def _invoke_zeep(self, operation: str, args: dict) -> None:
        try:
            getattr(self._service, operation)(**args)
        except KioskError:
            raise
        except zeep.exceptions.Fault as fault:
            raise _fault_error(operation, fault) from None
        except zeep.exceptions.TransportError as exc:
            if exc.status_code in RETRYABLE_HTTP:
                raise ScanServerBusy(f"{operation}: HTTP {exc.status_code} from {self.endpoint}") from None
            raise ProtocolError(f"{operation}: HTTP {exc.status_code} from {self.endpoint}: {str(exc)[:200]}") from None
        except requests.exceptions.SSLError as exc:
            raise TlsError(f"{operation}: TLS with {self.endpoint} failed: {exc}") from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            raise ScanServerUnreachable(f"{operation}: {self.endpoint}: {exc}") from None
        except requests.exceptions.ChunkedEncodingError as exc:
            raise ScanServerUnreachable(f"{operation}: {self.endpoint}: connection broken: {exc}") from None
        except (zeep.exceptions.XMLSyntaxError, zeep.exceptions.ValidationError, zeep.exceptions.Error) as exc:
            raise ProtocolError(f"{operation}: {exc}") from None
        except requests.exceptions.RequestException as exc:
            raise ScanServerUnreachable(f"{operation}: {self.endpoint}: {type(exc).__name__}: {exc}") from None
        except OSError as exc:
            # The document could not be read while streaming it.
            raise SpoolError(f"{operation}: reading the document failed: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - a malformed answer must never escape untyped
            raise ProtocolError(f"{operation}: malformed answer ({type(exc).__name__}: {str(exc)[:200]})") from None


def _fault_error(operation: str, fault: zeep.exceptions.Fault) -> Exception:
    sub = fault.subcodes[0] if fault.subcodes else None
    local = sub.localname if sub is not None else ""
    detail = ""
    if isinstance(fault.detail, etree._Element):
        detail = " ".join(t.strip() for t in fault.detail.itertext() if t.strip())
    elif fault.detail:
        detail = str(fault.detail)[:200]
    if local == "ClientErrorJobTokenNotFound":
        detail = ""  # servers put the JobToken there; it is logged only at DEBUG
    reason = fault.message or ""
    text = f"{operation}: SOAP fault {fault.code} / {sub.text if sub is not None else '-'}: {reason}" + (
        f" [{detail}]" if detail else ""
    )
    if local == "ServerErrorTemporaryError":
        return ScanServerBusy(text, reason=reason)
    cls = FAULT_CLASSES.get(local, ScanServerFault)
    return cls(text, subcode=local or (fault.code or ""), reason=reason)
