"""The reference scan server as a WSGI application: strict WS-DSP, directed Probe, metadata Get."""

from __future__ import annotations

import logging
import math
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from dsm_server import filters, mtom
from dsm_server.config import ServerConfig
from dsm_server.store import Document, Job, Journal
from dsm_server.trust import DSMK, Devices, Refused, check_recipients, merge, open_directory, ref
from kiosk.dsm import protocol as p
from kiosk.durable import fsync_dir
from kiosk.psp.model import NS_PSP

log = logging.getLogger("dsm_server")

SID = re.compile(r"^S-1-\d+(-\d+)+$")
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
MAX_SOAP_BODY = 4 * 1024 * 1024

# Leading bytes of each DocumentFormat; formats not listed are not checked.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf-a": (b"%PDF-",),
    "jfif": (b"\xff\xd8\xff",),
    "exif": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "xps": (b"PK\x03\x04",),
    "dib": (b"BM", b"\x28\x00\x00\x00"),
    "jpeg2k": (b"\x00\x00\x00\x0cjP  ", b"\xff\x4f\xff\x51"),
}
TIFF = (b"II*\x00", b"MM\x00*")


class Fault(Exception):
    """A SOAP 1.2 fault to send back."""

    def __init__(self, code: str, subcode: tuple[str, str] | None, reason: str, detail: str | None = None) -> None:
        super().__init__(reason)
        self.code, self.subcode, self.reason, self.detail = code, subcode, reason, detail


def invalid(reason: str, detail: str | None = None) -> Fault:
    return Fault("Sender", (p.DSP, "InvalidArgs"), reason, detail)


def signature_ok(fmt: str, head: bytes) -> bool:
    if fmt.startswith("tiff-"):
        return head.startswith(TIFF)
    sigs = SIGNATURES.get(fmt)
    return sigs is None or head.startswith(sigs)


class ScanServerApp:
    def __init__(self, config: ServerConfig, journal: Journal) -> None:
        self.config = config
        self.journal = journal
        self.incoming = journal.state_dir / "incoming"
        self.incoming.mkdir(exist_ok=True)
        for stale in self.incoming.iterdir():
            stale.unlink(missing_ok=True)
        from dsm_server.eventing import ServerEvents  # PostScanJob events for subscribed devices

        self.events = ServerEvents(self)  # observes the journal: before anything can change a job
        base = "/" + config.base_path.strip("/")
        self.device_path = base
        self.service_path = f"{base}/{config.service_id}"
        self.device_id = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, config.service_id)}"
        self.scheme = "https" if config.tls.cert else "http"
        self._lock = threading.Lock()
        self._local = threading.local()
        # -- trust (issue #14) --
        #: Set by serve.make_server behind the TLS front: inner port → device fingerprint, and
        #: inner port → the client's own address.
        self.peer_of = None
        self.client_of = None
        self.devices = Devices(config)
        self.directory = open_directory(config)
        if config.insecure_lab_mode:
            log.warning(
                "INSECURE LAB MODE: devices are not authenticated%s",
                "" if self.directory else ", and jobs run the instructions the device sends",
            )
        self._stop = threading.Event()
        #: JobToken → time of its last request, in memory (a write per request would cost an fsync);
        #: after a restart a job counts from the restart.
        self._last_request: dict[str, float] = {}
        self._started_at = time.time()
        self._janitor = threading.Thread(target=self._housekeeping, name="janitor", daemon=True)
        self._janitor.start()
        self._creates_failed = 0
        self._requests = 0
        self._processing: dict[str, threading.Thread] = {}
        for token in journal.tokens_in("Processing"):
            log.info("%s: resuming processing after a restart", ref(token))
            self._start_processing(token)

    @property
    def _device(self) -> str:
        return getattr(self._local, "device", "")

    @_device.setter
    def _device(self, value: str) -> None:
        self._local.device = value

    # -- WSGI -------------------------------------------------------------------------------
    def client_address(self, environ: dict) -> str:
        """The requester's own address: behind the TLS front, the one the front accepted."""
        if self.client_of is not None:
            return self.client_of(int(environ.get("REMOTE_PORT") or 0)) or ""
        return environ.get("REMOTE_ADDR", "")

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/").rstrip("/") or "/"
        if environ["REQUEST_METHOD"] != "POST":
            return self._plain(
                start_response, "405 Method Not Allowed", "This is a WS-DSP scan server: POST SOAP 1.2 messages.\n"
            )
        if self.events.handles(environ):
            return self.events(environ, start_response)
        if path == self.service_path:
            return self._wsdsp(environ, start_response)
        if path in ("/", self.device_path):
            return self._soap(environ, start_response, self._discovery)
        return self._plain(start_response, "404 Not Found", f"no service at {path}\n")

    def _plain(self, start_response: Callable, status: str, text: str, headers: list | None = None) -> list[bytes]:
        body = text.encode()
        start_response(
            status,
            [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))] + (headers or []),
        )
        return [body]

    def base_url(self, environ: dict) -> str:
        host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
        return f"{self.scheme}://{host}"

    # -- fault injection --------------------------------------------------------------------
    def _inject_503(self) -> bool:
        f = self.config.faults.http_503_fraction
        if not f:
            return False
        with self._lock:
            self._requests += 1
            n = self._requests
        return math.floor(n * f) > math.floor((n - 1) * f)

    # -- SOAP plumbing ----------------------------------------------------------------------
    def _wsdsp(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if self._inject_503():
            log.info("fault injection: HTTP 503")
            return self._plain(start_response, "503 Service Unavailable", "busy (injected)\n", [("Retry-After", "1")])
        try:
            return self._soap(environ, start_response, self._operation)
        finally:
            if self.config.faults.delay_seconds:
                time.sleep(self.config.faults.delay_seconds)

    def _soap(self, environ: dict, start_response: Callable, handler: Callable) -> Iterable[bytes]:
        message_id = None
        attachments: mtom.MtomMessage | None = None
        try:
            env, attachments, ct_action = self._read(environ)
            message_id = p.header_text(env, "MessageID")
            action_uri, reply, reply_action = handler(environ, env, attachments, ct_action)
            if self.config.faults.bad_relates_to:
                message_id = p.new_message_id()
            out = p.envelope(reply_action, reply, to=p.WSA_ANONYMOUS, relates_to=message_id, extra_ns=_ns_for(reply))
            status = "200 OK"
        except Exception as exc:  # noqa: BLE001 - every failure still gets a SOAP answer
            if isinstance(exc, Refused):
                fault = Fault(exc.code, (DSMK, exc.subcode), exc.reason, exc.detail)
            else:
                fault = exc if isinstance(exc, Fault) else _unexpected(exc)
            if fault.code == "Receiver":
                log.warning("fault %s: %s", fault.subcode and fault.subcode[1], fault.reason)
            else:
                log.info("refused request: %s", fault.reason)
                log.debug("refused request detail: %s", fault.detail)
            out = self._fault_envelope(fault, message_id)
            reply_action = p.WSA_FAULT_ACTION
            status = "400 Bad Request" if fault.code in ("Sender", "VersionMismatch") else "500 Internal Server Error"
        finally:
            if attachments is not None:
                attachments.discard()
        body = etree.tostring(out, xml_declaration=True, encoding="UTF-8")
        start_response(
            status, [("Content-Type", p.soap_content_type(reply_action)), ("Content-Length", str(len(body)))]
        )
        return [body]

    def _fault_envelope(self, fault: Fault, relates_to: str | None) -> etree._Element:
        f = etree.Element(p.q(p.SOAP, "Fault"))
        code = etree.SubElement(f, p.q(p.SOAP, "Code"))
        etree.SubElement(code, p.q(p.SOAP, "Value")).text = f"soap:{fault.code}"
        nsmap = {}
        if fault.subcode:
            ns, local = fault.subcode
            prefix = {p.WSA: "wsa", DSMK: "dsmk"}.get(ns, "dsp")
            nsmap[prefix] = ns
            sub = etree.SubElement(code, p.q(p.SOAP, "Subcode"))
            etree.SubElement(sub, p.q(p.SOAP, "Value")).text = f"{prefix}:{local}"
        reason = etree.SubElement(f, p.q(p.SOAP, "Reason"))
        text = etree.SubElement(reason, p.q(p.SOAP, "Text"))
        text.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
        text.text = fault.reason
        if fault.detail:
            etree.SubElement(f, p.q(p.SOAP, "Detail")).text = fault.detail
        return p.envelope(
            p.WSA_FAULT_ACTION, f, to=p.WSA_ANONYMOUS, relates_to=relates_to, extra_ns={"dsp": p.DSP, **nsmap}
        )

    def _read(self, environ: dict) -> tuple[etree._Element, mtom.MtomMessage | None, str | None]:
        ctype = environ.get("CONTENT_TYPE", "")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise invalid("bad Content-Length") from None
        mime, params = mtom.content_type_params(ctype) if ctype else ("", {})
        stream = environ["wsgi.input"]
        attachments = None
        if mime == "application/soap+xml":
            limit = min(MAX_SOAP_BODY, self.config.limits.max_soap_kb * 1024)
            if length > limit:
                raise invalid(f"SOAP message larger than {limit} bytes")
            raw = stream.read(length)
        elif mime == "multipart/related":
            try:
                attachments = mtom.parse(
                    stream, length, ctype, self.incoming, max_size=self.config.max_document_mb * 1024 * 1024
                )
            except mtom.MtomError as exc:
                raise invalid("malformed MTOM message", str(exc)) from None
            raw = attachments.root
        else:
            raise invalid(
                f"unsupported Content-Type {mime or '(none)'!r}",
                "expected application/soap+xml (SOAP 1.2) or multipart/related (MTOM)",
            )
        try:
            env = etree.fromstring(raw, p.secure_parser())
        except etree.XMLSyntaxError as exc:
            if attachments:
                attachments.discard()
            raise invalid("the message is not well-formed XML", str(exc)) from None
        if env.tag != p.q(p.SOAP, "Envelope"):
            if attachments:
                attachments.discard()
            if env.tag.endswith("}Envelope"):
                raise Fault("VersionMismatch", None, "only SOAP 1.2 envelopes are accepted", env.tag)
            raise invalid("the message is not a SOAP envelope", env.tag)
        return env, attachments, params.get("action")

    def _addressing(self, env: etree._Element, ct_action: str | None) -> str:
        for name in ("Action", "MessageID", "To"):
            if not p.header_text(env, name):
                raise invalid(f"missing WS-Addressing header wsa:{name}", f"wsa:{name}")
        action_uri = p.header_text(env, "Action") or ""  # checked present above
        if ct_action and ct_action != action_uri:
            raise invalid("the Content-Type action differs from wsa:Action", f"{ct_action} != {action_uri}")
        reply_to = env.find(f"{{{p.SOAP}}}Header/{{{p.WSA}}}ReplyTo/{{{p.WSA}}}Address")
        if reply_to is not None and (reply_to.text or "").strip() != p.WSA_ANONYMOUS:
            raise invalid("only anonymous ReplyTo is supported", (reply_to.text or "").strip())
        return action_uri

    def _body_child(self, env: etree._Element, expected: str) -> etree._Element:
        body = env.find(f"{{{p.SOAP}}}Body")
        children = [c for c in body if isinstance(c.tag, str)] if body is not None else []
        if len(children) != 1:
            raise invalid(f"the SOAP Body must hold exactly one element ({expected})", f"{len(children)} elements")
        if children[0].tag != expected:
            raise invalid(f"expected {expected} in the Body", children[0].tag)
        return children[0]

    # -- WS-DSP ----------------------------------------------------------------------------
    def _operation(self, environ, env, attachments, ct_action):
        self._device = self.devices.identify(environ, self.peer_of)
        action_uri = self._addressing(env, ct_action)
        to = p.header_text(env, "To") or ""
        if not to.rstrip("/").endswith(self.service_path):
            raise invalid("wsa:To does not name this service", to)
        ops = {p.action(op): op for op in p.OPERATIONS}
        op = ops.get(action_uri)
        if op is None:
            raise Fault("Sender", (p.WSA, "ActionNotSupported"), f"action {action_uri} is not supported", action_uri)
        request = self._body_child(env, p.q(p.DSP, f"{op}Request"))
        if op == "SendImage":
            check = self._resolve_xop(request, attachments)
        else:
            if attachments is not None:
                raise invalid(f"{op} takes no attachments")
            check = request
        self._validate(check)
        injected = self.config.faults.fault_on.get(op)
        if injected:
            code = "Sender" if injected == "InvalidArgs" else "Receiver"
            raise Fault(code, (p.DSP, injected), f"{op} failed ({injected}, injected)")
        reply = getattr(self, f"_op_{op}")(request, attachments)
        return action_uri, reply, p.response_action(op)

    def _validate(self, element: etree._Element) -> None:
        doc = etree.ElementTree(etree.fromstring(etree.tostring(element)))
        err = p.validate(doc)
        if err is not None:
            raise invalid("the request does not match the WS-DSP schema", f"line {err.line}: {err.message}")

    def _resolve_xop(self, request: etree._Element, attachments: mtom.MtomMessage | None) -> etree._Element:
        """Check the MTOM structure and return the request as its reconstructed infoset (for the schema)."""
        if attachments is None:
            raise invalid("SendImage must be an MTOM/XOP message", "Content-Type multipart/related expected")
        data = request.find(f"{{{p.DSP}}}ImageData")
        if data is None:
            raise invalid("missing dsp:ImageData", "dsp:ImageData")
        includes = [c for c in data if isinstance(c.tag, str)]
        if len(includes) != 1 or includes[0].tag != p.q(p.XOP, "Include") or (data.text or "").strip():
            raise invalid("dsp:ImageData must hold exactly one xop:Include", "dsp:ImageData")
        href = includes[0].get("href", "")
        if not href.startswith("cid:"):
            raise invalid("xop:Include href must be a cid: URL", href)
        cid = unquote(href[4:])
        found = [a for a in attachments.attachments if a.content_id == cid]
        if not found:
            raise invalid("xop:Include names no attachment of this message", href)
        if len(attachments.attachments) != 1:
            raise invalid("SendImage carries exactly one attachment", f"{len(attachments.attachments)} attachments")
        copy = etree.fromstring(etree.tostring(request))
        image = copy.find(f"{{{p.DSP}}}ImageData")
        for child in list(image):
            image.remove(child)
        image.text = ""
        return copy

    def _job(self, request: etree._Element) -> Job:
        token = (request.findtext(f"{{{p.DSP}}}JobToken") or "").strip()
        job = self.journal.job(token) if GUID.match(token) else None
        owner = self.journal.device_of(token) if job is not None else None
        if job is not None and owner != self._device:
            # Another device's job (or one with no device recorded, from before job_trust):
            # answered as unknown, so a JobToken alone is no capability.
            log.warning("%s: request from %s, not from its device", ref(token), self._device)
            job = None
        if job is None:
            raise Fault("Sender", (p.DSP, "ClientErrorJobTokenNotFound"), "no job with this JobToken", token)
        self._last_request[token] = time.time()
        return job

    def _op_CreatePostScanJob(self, request, _):
        faults = self.config.faults
        if faults.fail_creates:
            with self._lock:
                fail = self._creates_failed < faults.fail_creates
                self._creates_failed += fail
            if fail:
                raise Fault(
                    "Receiver", (p.DSP, "ServerErrorTemporaryError"), "the server is busy (injected); try again later"
                )
        sid = request.findtext(f"{{{p.DSP}}}UserIdentifier").strip()
        psp_id = request.findtext(f"{{{p.DSP}}}PSP_Identifier").strip()
        if not SID.match(sid):
            raise invalid("UserIdentifier is not a SID string", "dsp:UserIdentifier")
        if not GUID.match(psp_id.strip("{}")):
            raise invalid("PSP_Identifier is not a GUID", "dsp:PSP_Identifier")
        ins = request.find(f"{{{p.DSP}}}PostScanInstructions")
        # Kept as a psp:PostScanInstructions element, the way the scan process stores it.
        stored = etree.Element(p.q(NS_PSP, "PostScanInstructions"), nsmap={"psp": NS_PSP})
        stored.text = ins.text
        for child in ins:
            stored.append(etree.fromstring(etree.tostring(child)) if isinstance(child.tag, str) else child)
        if self.directory is not None:
            # The server's own copy of the process, for a user entitled to it; the device's copy
            # only says what it added.
            resolved = self.directory.resolve(sid, psp_id)
            stored = merge(resolved.process, stored, self.config)
        else:
            check_recipients(stored, self.config.limits.max_recipients)
            log.warning("insecure lab mode: running the instructions the device sent (no [directory])")
        token = str(uuid.uuid4())
        self.journal.create_bound(token, sid, psp_id, etree.tostring(stored, encoding="unicode"), self._device)
        filters_ = [(d.text or "").strip() for d in stored.iterfind(f".//{{{NS_PSP}}}Dialect")]
        log.info("%s: created for user %s, process %s, filters %s", ref(token), sid, psp_id, ", ".join(filters_))
        log.debug("%s is JobToken %s", ref(token), token)
        resp = etree.Element(p.q(p.DSP, "CreatePostScanJobResponse"), nsmap={"dsp": p.DSP})
        etree.SubElement(resp, p.q(p.DSP, "JobToken")).text = token
        return resp

    def _op_SendImage(self, request, attachments):
        job = self._job(request)
        desc = request.find(f"{{{p.DSP}}}DocumentDescription")
        doc_id = int(desc.findtext(f"{{{p.DSP}}}DocumentId"))
        fmt = desc.findtext(f"{{{p.DSP}}}Format").strip()
        att = attachments.attachments[0]
        if job.state != "Started":
            raise Fault("Receiver", (p.DSP, "OperationFailed"), f"the job is {job.state}; it takes no more documents")
        limits = self.config.limits
        is_new = all(known.document_id != doc_id for known in job.documents)
        if is_new and len(job.documents) >= limits.max_documents_per_job:
            raise Refused("JobTooLarge", f"a job holds at most {limits.max_documents_per_job} documents")
        if is_new and sum(d.size for d in job.documents) + att.size > limits.max_job_mb * 1024 * 1024:
            raise Refused("JobTooLarge", f"a job holds at most {limits.max_job_mb} MiB")
        for known in job.documents:
            if known.document_id == doc_id:
                if known.sha256 == att.sha256 and known.format == fmt and self.config.faults.strict_resends:
                    self.journal.count_resend(job.token)
                    log.warning("%s: document %d received again (identical), refused (strict)", ref(job.token), doc_id)
                    raise invalid(f"DocumentId {doc_id} was already received in this job", "dsp:DocumentId")
                if known.sha256 == att.sha256 and known.format == fmt:
                    # A retry of a SendImage whose reply was lost: same bytes, same answer.
                    log.info("%s: document %d received again (identical), acknowledged", ref(job.token), doc_id)
                    return etree.Element(p.q(p.DSP, "SendImageResponse"), nsmap={"dsp": p.DSP})
                raise invalid(f"DocumentId {doc_id} was already sent in this job with other content", "dsp:DocumentId")
        if self.config.check_format:
            with att.path.open("rb") as fh:
                head = fh.read(16)
            if att.size and not signature_ok(fmt, head):
                raise invalid(f"the document's bytes are not {fmt}", "dsp:Format")
        target = self.journal.documents_dir / job.token / f"{doc_id}.bin"
        target.parent.mkdir(exist_ok=True)
        os.replace(att.path, target)
        fsync_dir(target.parent)
        if not self.journal.add_document(job.token, Document(doc_id, fmt, att.size, att.sha256, str(target))):
            raise invalid(f"DocumentId {doc_id} was already sent in this job", "dsp:DocumentId")
        log.info("%s: document %d received: %s, %d bytes, sha256 %s", ref(job.token), doc_id, fmt, att.size, att.sha256)
        return etree.Element(p.q(p.DSP, "SendImageResponse"), nsmap={"dsp": p.DSP})

    def _op_EndPostScanJob(self, request, _):
        job = self._job(request)
        if job.state == "Started":
            pending = [{"dialect": d, "state": "Pending", "reasons": []} for d in _dialects(job)]
            if self.journal.set_state(job.token, "Processing", filters=pending, expect=("Started",)):
                log.info(
                    "%s: ended by the device: %d document(s), %d bytes",
                    ref(job.token),
                    len(job.documents),
                    sum(d.size for d in job.documents),
                )
                self._start_processing(job.token)
        elif job.state == "Canceled":
            raise Fault("Receiver", (p.DSP, "OperationFailed"), "the job was canceled")
        # Processing/Completed/Aborted: a repeated EndPostScanJob (lost reply) is answered again.
        return etree.Element(p.q(p.DSP, "EndPostScanJobResponse"), nsmap={"dsp": p.DSP})

    def _op_CancelPostScanJob(self, request, _):
        job = self._job(request)
        if job.state in ("Completed", "Aborted"):
            raise Fault("Receiver", (p.DSP, "OperationFailed"), f"the job has already ended ({job.state})")
        if self.journal.set_state(
            job.token, "Canceled", ["PostScanJobCanceled"], completed=True, expect=("Started", "Processing")
        ):
            log.info(
                "%s: canceled by the device (user %s, %d document(s))", ref(job.token), job.user_sid, len(job.documents)
            )
            if job.state == "Started" and self.config.limits.retention_hours == 0:
                self._purge(job.token)
        return etree.Element(p.q(p.DSP, "CancelPostScanJobResponse"), nsmap={"dsp": p.DSP})

    def _op_GetPostScanJobElements(self, request, _):
        job = self._job(request)
        resp = etree.Element(p.q(p.DSP, "GetPostScanJobElementsResponse"), nsmap={"dsp": p.DSP})
        elements = etree.SubElement(resp, p.q(p.DSP, "JobElements"))
        names = request.findall(f"{{{p.DSP}}}RequestedElements/{{{p.DSP}}}Name")
        cap = self.config.limits.max_requested_elements
        if len(names) > cap:
            raise invalid(f"at most {cap} element names per request", f"{len(names)} dsp:Name elements")
        for name in names:
            prefix, _, local = (name.text or "").strip().rpartition(":")
            ns = name.nsmap.get(prefix or None)
            if ns == p.DSP and local in ("JobStatus", "JobDescription"):
                data = etree.SubElement(elements, p.q(p.DSP, "ElementData"))
                data.set(p.q(p.DSP, "Name"), f"dsp:{local}")
                data.set(p.q(p.DSP, "Valid"), "true")
                data.append(self._job_status(job) if local == "JobStatus" else self._job_description(job))
            else:
                # Unknown element: answered as not valid, its QName kept resolvable.
                data = etree.SubElement(elements, p.q(p.DSP, "ElementData"), nsmap={"req": ns} if ns else None)
                data.set(p.q(p.DSP, "Name"), f"req:{local}" if ns else local)
                data.set(p.q(p.DSP, "Valid"), "false")
        return resp

    def _job_status(self, job: Job) -> etree._Element:
        d = p.DSP
        st = etree.Element(p.q(d, "JobStatus"))
        etree.SubElement(st, p.q(d, "JobToken")).text = job.token
        etree.SubElement(st, p.q(d, "JobState")).text = job.state
        reasons = etree.SubElement(st, p.q(d, "JobStateReasons"))
        for r in job.reasons or ["None"]:
            etree.SubElement(reasons, p.q(d, "JobStateReason")).text = r
        fss = etree.SubElement(st, p.q(d, "FilterStatuses"))
        statuses = job.filters or [{"dialect": x, "state": "Pending", "reasons": []} for x in _dialects(job)]
        for f in statuses:
            fs = etree.SubElement(fss, p.q(d, "FilterStatus"))
            etree.SubElement(fs, p.q(d, "Dialect")).text = f["dialect"]
            etree.SubElement(fs, p.q(d, "FilterState")).text = f["state"]
            if f["reasons"]:
                frs = etree.SubElement(fs, p.q(d, "FilterStateReasons"))
                for r in f["reasons"]:
                    etree.SubElement(frs, p.q(d, "FilterStateReason")).text = r
        etree.SubElement(st, p.q(d, "ImagesReceived")).text = str(len(job.documents))
        etree.SubElement(st, p.q(d, "JobCreatedTime")).text = job.created
        if job.completed:
            etree.SubElement(st, p.q(d, "JobCompletedTime")).text = job.completed
        return st

    def _job_description(self, job: Job) -> etree._Element:
        d = p.DSP
        user = self.config.users.get(job.user_sid)
        root = (
            etree.fromstring(job.instructions.encode()).findtext(f"{{{NS_PSP}}}DocumentRootName") or job.psp_identifier
        )
        jd = etree.Element(p.q(d, "JobDescription"))
        etree.SubElement(jd, p.q(d, "PSP_Identifier")).text = job.psp_identifier
        etree.SubElement(jd, p.q(d, "PSP_DisplayName")).text = root.strip()
        etree.SubElement(jd, p.q(d, "JobOriginatingUserName")).text = (
            user.login if user and user.login else job.user_sid
        )
        return jd

    # -- processing ------------------------------------------------------------------------
    def _start_processing(self, token: str) -> None:
        t = threading.Thread(target=self._process, args=(token,), name=f"job-{token[:8]}", daemon=True)
        self._processing[token] = t
        t.start()

    def _process(self, token: str) -> None:
        try:
            job = self.journal.job(token)
            if job is None or job.state != "Processing":
                return
            user = self.directory.user(job.user_sid) if self.directory else None
            state, reasons, statuses = filters.run(self.config, job, user)
            if self.journal.set_state(token, state, reasons, statuses, completed=True, expect=("Processing",)):
                log.info(
                    "%s: %s (%s): user %s, process %s, %d document(s), %d bytes",
                    ref(token),
                    state,
                    ", ".join(reasons),
                    job.user_sid,
                    job.psp_identifier,
                    len(job.documents),
                    sum(d.size for d in job.documents),
                )
        except Exception as exc:
            # A received document's path holds the JobToken: the traceback only at DEBUG.
            shown = str(exc).replace(token, ref(token))
            log.error("%s: processing failed: %s: %s", ref(token), type(exc).__name__, shown)
            log.debug("%s: processing failed", ref(token), exc_info=True)
            self.journal.set_state(
                token, "Aborted", ["PostScanJobProcessingFailed"], completed=True, expect=("Processing",)
            )
        finally:
            self._processing.pop(token, None)
        if self.config.limits.retention_hours == 0:
            self._purge(token)

    def wait_idle(self, timeout: float) -> None:
        for t in list(self._processing.values()):
            t.join(timeout)

    # -- trust: idle jobs expire, received data is purged (issue #14) ------------------------------
    def close(self) -> None:
        self._stop.set()

    def _housekeeping(self) -> None:
        limits = self.config.limits
        period = max(0.2, min(60.0, limits.job_idle_minutes * 60 / 4))
        while not self._stop.wait(period):
            try:
                self.housekeeping()
            except Exception:  # noqa: BLE001 - the janitor must keep running
                log.exception("housekeeping failed")

    def housekeeping(self) -> None:
        limits = self.config.limits
        cutoff = time.time() - limits.job_idle_minutes * 60
        started = self.journal.started_since()
        for token in list(self._last_request):
            if token not in started:
                self._last_request.pop(token, None)
        for token, created in started.items():
            if max(created, self._last_request.get(token, 0.0), self._started_at) >= cutoff:
                continue
            if self.journal.set_state(token, "Aborted", ["dsmk:JobIdleTimeout"], completed=True, expect=("Started",)):
                log.warning("%s: no request for %g minutes; aborted", ref(token), limits.job_idle_minutes)
        for token in self.journal.ended_unpurged(limits.retention_hours * 3600):
            self._purge(token)

    def _purge(self, token: str) -> None:
        job = self.journal.job(token)
        if job is None or job.state not in ("Completed", "Aborted", "Canceled"):
            return
        folder = self.journal.documents_dir / token
        for doc in job.documents:
            Path(doc.path).unlink(missing_ok=True)
        if folder.is_dir():
            for leftover in folder.iterdir():
                leftover.unlink(missing_ok=True)
            folder.rmdir()
        self.journal.mark_purged(token)
        log.info("%s: received documents purged", ref(token))

    # -- discovery -------------------------------------------------------------------------
    def _discovery(self, environ, env, attachments, ct_action):
        if attachments is not None:
            raise invalid("discovery messages take no attachments")
        action_uri = self._addressing(env, ct_action)
        base = self.base_url(environ)
        if action_uri == p.PROBE_ACTION:
            self._body_child(env, p.q(p.WSD, "Probe"))
            return action_uri, self._probe_matches(base), p.PROBE_MATCHES_ACTION
        if action_uri == p.GET_ACTION:
            return action_uri, self._metadata(base), p.GET_RESPONSE_ACTION
        raise Fault("Sender", (p.WSA, "ActionNotSupported"), f"action {action_uri} is not supported here", action_uri)

    def _probe_matches(self, base: str) -> etree._Element:
        pm = etree.Element(p.q(p.WSD, "ProbeMatches"), nsmap={"wsd": p.WSD, "wsdp": p.DPWS, "wsa": p.WSA})
        m = etree.SubElement(pm, p.q(p.WSD, "ProbeMatch"))
        epr = etree.SubElement(m, p.q(p.WSA, "EndpointReference"))
        etree.SubElement(epr, p.q(p.WSA, "Address")).text = self.device_id
        etree.SubElement(m, p.q(p.WSD, "Types")).text = "wsdp:Device"
        etree.SubElement(m, p.q(p.WSD, "XAddrs")).text = base + self.device_path
        etree.SubElement(m, p.q(p.WSD, "MetadataVersion")).text = "1"
        return pm

    def _metadata(self, base: str) -> etree._Element:
        md = etree.Element(p.q(p.MEX, "Metadata"), nsmap={"mex": p.MEX, "wsdp": p.DPWS, "wsa": p.WSA, "dsp": p.DSP})
        sec = etree.SubElement(md, p.q(p.MEX, "MetadataSection"), Dialect=f"{p.DPWS}/ThisDevice")
        this = etree.SubElement(sec, p.q(p.DPWS, "ThisDevice"))
        etree.SubElement(this, p.q(p.DPWS, "FriendlyName")).text = "dsm-kiosk reference scan server"
        sec = etree.SubElement(md, p.q(p.MEX, "MetadataSection"), Dialect=f"{p.DPWS}/Relationship")
        rel = etree.SubElement(sec, p.q(p.DPWS, "Relationship"), Type=f"{p.DPWS}/host")
        host = etree.SubElement(rel, p.q(p.DPWS, "Host"))
        epr = etree.SubElement(host, p.q(p.WSA, "EndpointReference"))
        etree.SubElement(epr, p.q(p.WSA, "Address")).text = self.device_id
        hosted = etree.SubElement(rel, p.q(p.DPWS, "Hosted"))
        epr = etree.SubElement(hosted, p.q(p.WSA, "EndpointReference"))
        etree.SubElement(epr, p.q(p.WSA, "Address")).text = base + self.service_path
        etree.SubElement(hosted, p.q(p.DPWS, "Types")).text = f"dsp:{p.DSP_SERVICE_TYPE}"
        etree.SubElement(hosted, p.q(p.DPWS, "ServiceId")).text = f"urn:uuid:{self.config.service_id}"
        return md


def _unexpected(exc: Exception) -> Fault:
    if isinstance(exc, OSError):
        # Disk full, I/O error: the same request may well succeed later.
        # Its file names may hold a JobToken (documents/<token>/…): those only at DEBUG.
        log.error("storage failure: %s", exc.strerror or type(exc).__name__)
        log.debug("storage failure detail: %s", exc)
        return Fault(
            "Receiver",
            (p.DSP, "ServerErrorTemporaryError"),
            f"the server could not store the request: {exc.strerror or exc}",
        )
    log.exception("unexpected failure")
    return Fault("Receiver", (p.DSP, "ServerErrorInternalError"), f"internal error: {type(exc).__name__}")


def _dialects(job: Job) -> list[str]:
    ins = etree.fromstring(job.instructions.encode())
    return [
        (d.text or "").strip()
        for d in ins.iterfind(f"{{{NS_PSP}}}FiltersToProcess/{{{NS_PSP}}}Filter/{{{NS_PSP}}}Dialect")
    ]


def _ns_for(reply: etree._Element | None) -> dict[str, str]:
    return {"dsp": p.DSP} if reply is not None and reply.tag.startswith(f"{{{p.DSP}}}") else {}
