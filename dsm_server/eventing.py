"""WS-Eventing on the reference scan server: PostScanJobStatusEvent and PostScanJobEndStateEvent.

A device subscribes at the WS-DSP service address (Subscribe, with a DPWS Action filter) and
manages its subscription at `<service>/subscriptions`. Job changes are seen where the journal
records them (the journal's on_change after set_state and add_document), so every path that changes a job — a request,
the filters' thread, recovery after a restart — sends its event. Delivery is the shared
`kiosk.dsm.eventing.EventSource`: one bounded queue per sink, so a dead device never slows the
server. The action URIs (dsp namespace + element name) follow the WS-DSP operations' pattern;
the DSM pages do not give them.
"""

from __future__ import annotations

import io
import ipaddress
import logging
from collections.abc import Callable, Iterable
from typing import Any

from lxml import etree

from dsm_server.trust import DSMK, Refused
from kiosk.dsm import protocol as p
from kiosk.dsm.eventing import WSE, EventSource, SoapFault, fault_envelope, same_address

log = logging.getLogger("dsm_server.eventing")

STATUS_EVENT = f"{p.DSP}/PostScanJobStatusEvent"
END_STATE_EVENT = f"{p.DSP}/PostScanJobEndStateEvent"
END_STATES = ("Completed", "Aborted", "Canceled")
#: Small enough that buffering a Subscribe/Renew to look at its action costs nothing.
MAX_EVENTING_BODY = 64 * 1024


class ServerEvents:
    """`handles(environ)` tells the WSGI app whether a request is WS-Eventing; `__call__` answers
    it. Constructed by the app with itself (for the job elements it already knows how to build)."""

    def __init__(self, app: Any, *, max_seconds: int = 3600, queue_size: int = 100, timeout: float = 5.0) -> None:
        self.app = app
        networks = [ipaddress.ip_network(n, strict=False) for n in app.config.devices.event_sink_networks]

        def sink_policy(sink: str, subscriber: str) -> bool:
            # Else any device could make the server POST to any host it reaches.
            if not networks:
                return same_address(sink, subscriber)
            address = ipaddress.ip_address(sink.split("%", 1)[0])
            if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
                address = address.ipv4_mapped
            return any(address.version == n.version and address in n for n in networks)

        self.source = EventSource(
            app.journal.state_dir,
            sink_policy=sink_policy,
            max_seconds=max_seconds,
            queue_size=queue_size,
            timeout=timeout,
            file_name="event-subscriptions.json",
        )
        app.journal.on_change.append(self.job_changed)

    def job_changed(self, token: str) -> None:
        if not self.source.subscriptions:
            return
        try:
            job = self.app.journal.job(token)
            if job is None:
                return
            # Where the journal knows which device made the job, only that device hears of it:
            # a JobToken is a capability, not something to broadcast.
            owner = self.app.journal.device_of(token)
            if owner is None:
                return  # no device recorded (a job from before job_trust): no one's to hear of
            status = etree.Element(p.q(p.DSP, "PostScanJobStatusEvent"), nsmap={"dsp": p.DSP})
            status.append(self.app._job_status(job))
            self.source.publish(STATUS_EVENT, status, owner)
            if job.state in END_STATES:
                self.source.publish(END_STATE_EVENT, self.end_state(job), owner)
        except Exception:  # an event must never fail the request that changed the job
            log.exception("a job's event was not sent")  # no JobToken in the log

    def end_state(self, job: Any) -> etree._Element:
        d = p.DSP
        root = etree.Element(p.q(d, "PostScanJobEndStateEvent"), nsmap={"dsp": d})
        end = etree.SubElement(root, p.q(d, "PostScanJobEndState"))
        etree.SubElement(end, p.q(d, "JobToken")).text = job.token
        description = self.app._job_description(job)
        for name in ("PSP_Identifier", "PSP_DisplayName", "JobOriginatingUserName"):
            etree.SubElement(end, p.q(d, name)).text = description.findtext(p.q(d, name))
        etree.SubElement(end, p.q(d, "JobCompletedState")).text = job.state
        reasons = etree.SubElement(end, p.q(d, "JobCompletedStateReasons"))
        for r in job.reasons or ["None"]:
            etree.SubElement(reasons, p.q(d, "JobStateReason")).text = r
        status = self.app._job_status(job)
        filters = status.find(p.q(d, "FilterStatuses"))
        filters.tag = p.q(d, "FilterCompletedStatuses")
        end.append(filters)
        etree.SubElement(end, p.q(d, "ImagesReceived")).text = str(len(job.documents))
        if job.completed:
            etree.SubElement(end, p.q(d, "JobCompletedTime")).text = job.completed
        return root

    # -- requests ------------------------------------------------------------------------------
    def manager_path(self) -> str:
        return f"{self.app.service_path}/subscriptions"

    def handles(self, environ: dict) -> bool:
        """True for the subscription manager's path, and for WS-Eventing actions at the service
        (the body is then buffered, and put back for the app when it is not WS-Eventing)."""
        path = environ.get("PATH_INFO", "/").rstrip("/")
        if path == self.manager_path():
            return True
        if path != self.app.service_path or not environ.get("CONTENT_TYPE", "").startswith("application/soap+xml"):
            return False
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        if not 0 < length <= MAX_EVENTING_BODY:
            return False
        data = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(data)
        try:
            env = etree.fromstring(data, p.secure_parser())
        except etree.XMLSyntaxError:
            return False
        return (p.header_text(env, "Action") or "").startswith(WSE + "/")

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        data = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        relates_to = None
        try:
            try:
                env = etree.fromstring(data, p.secure_parser())
            except etree.XMLSyntaxError as exc:
                raise SoapFault((p.DSP, "InvalidArgs"), f"not XML: {exc}") from None
            relates_to = p.header_text(env, "MessageID")
            owner = self._check_device(environ)
            host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
            action, body = self.source.handle(
                env, f"{self.app.scheme}://{host}{self.manager_path()}", owner, self.app.client_address(environ)
            )
            out = p.envelope(action, body, to=p.WSA_ANONYMOUS, relates_to=relates_to, extra_ns={"wse": WSE})
            status = "200 OK"
        except SoapFault as fault:
            out = fault_envelope(fault, relates_to, {"dsp": p.DSP})
            action = p.WSA_FAULT_ACTION
            status = "400 Bad Request" if fault.code == "Sender" else "500 Internal Server Error"
        payload = etree.tostring(out, xml_declaration=True, encoding="UTF-8")
        start_response(status, [("Content-Type", p.soap_content_type(action)), ("Content-Length", str(len(payload)))])
        return [payload]

    def _check_device(self, environ: dict) -> str:
        """Subscriptions are for the devices the server admits to WS-DSP: the same check. The
        device's name ("" where the server cannot tell devices apart, in lab mode)."""
        try:
            return self.app.devices.identify(environ, self.app.peer_of)
        except Refused as exc:
            raise SoapFault((DSMK, exc.subcode), exc.reason, code=exc.code) from None

    def close(self) -> None:
        self.source.close()
