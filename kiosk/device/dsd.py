"""The WS-DSD operations a DSM device hosts, and the WS-Scan event bodies it sends.

Messages are dsd wrappers with wscn children (as the WS-DSD pages show); every request is
checked against our dsd.xsd before it is acted on, every answer is built to pass it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from lxml import etree

from kiosk.config import DeviceSettings
from kiosk.device import soap, tickets
from kiosk.device.jobs import DeviceJobs, JobView
from kiosk.device.soap import Fault, invalid_args
from kiosk.device.status import Condition, ScannerStatus, StatusChange
from kiosk.device.wsd import DSD, WSCN
from kiosk.errors import KioskError
from kiosk.imaging import SUPPORTED_FORMATS
from kiosk.psp.model import MediaSide, Resolution, ScanTicket, Setting
from kiosk.scanner import ADF, ADF_DUPLEX, PLATEN, ROTATIONS, Capabilities

log = logging.getLogger("kiosk.device.dsd")

OPERATIONS = ("GetScannerElements", "ValidateScanTicket", "GetActiveJobs", "GetJobElements", "GetJobHistory")
SCANNER_ELEMENTS = ("ScannerDescription", "ScannerConfiguration", "ScannerStatus", "DefaultScanTicket")
JOB_ELEMENTS = ("JobStatus", "JobDescription", "ScanTicket", "Documents")
#: Event actions: the WS-Scan URIs, as the WS-DSD event examples use them.
EVENTS = (
    "JobStatusEvent",
    "JobEndStateEvent",
    "ScannerElementsChangeEvent",
    "ScannerStatusSummaryEvent",
    "ScannerStatusConditionEvent",
    "ScannerStatusConditionClearedEvent",
)
NSMAP = {"dsd": DSD, "wscn": WSCN}
#: Resolutions offered from a continuous range (the WS-Scan list is discrete).
COMMON_DPI = (75, 100, 150, 200, 240, 300, 400, 600, 1200)


def event_action(name: str) -> str:
    return f"{WSCN}/{name}"


def d(name: str) -> str:
    return f"{{{DSD}}}{name}"


def w(name: str) -> str:
    return f"{{{WSCN}}}{name}"


def _sub(parent: etree._Element, tag: str, text: Any = None) -> etree._Element:
    el = etree.SubElement(parent, tag)
    if text is not None:
        el.text = str(text).lower() if isinstance(text, bool) else str(text)
    return el


def iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class DsdService:
    """Answers WS-DSD requests from the scanner, its status and the device's view of the jobs."""

    def __init__(
        self,
        settings: DeviceSettings,
        capabilities: Callable[[], Capabilities],
        status: ScannerStatus,
        jobs: DeviceJobs,
        *,
        clock: Callable[[], float] | None = None,
    ) -> None:
        import time

        self.settings = settings
        self.capabilities = capabilities
        self.status = status
        self.jobs = jobs
        self.clock = clock or time.time

    def action(self, operation: str, response: bool = False) -> str:
        return f"{self.settings.dsd_action_namespace.rstrip('/')}/{operation}{'Response' if response else ''}"

    # -- dispatch ------------------------------------------------------------------------------
    def handle(self, request: etree._Element, action: str | None) -> tuple[str, etree._Element]:
        """(response action, response body) for the body element `request`; Fault otherwise."""
        if request.tag.startswith(f"{{{DSD}}}") and request.tag.endswith("Request"):
            operation = request.tag[len(DSD) + 2 : -len("Request")]
        else:
            operation = ""
        if operation not in OPERATIONS:
            raise Fault((soap.p.WSA, "ActionNotSupported"), f"no WS-DSD operation for {etree.QName(request).localname}")
        if action and not action.rstrip().endswith(f"/{operation}"):
            raise Fault((soap.p.WSA, "ActionNotSupported"), f"action {action} does not match {operation}Request")
        problem = soap.check(request)
        if problem:
            raise invalid_args(f"{operation}Request is not valid: {problem}")
        body = getattr(self, f"_{operation}")(request)
        problem = soap.check(body)
        if problem:  # our own answer must pass our own schema; a bug, not the caller's fault
            log.error("WS-DSD %sResponse fails dsd.xsd: %s", operation, problem)
            raise Fault((WSCN, "ServerErrorInternalError"), "the device built an invalid answer", code="Receiver")
        return self.action(operation, response=True), body

    @staticmethod
    def _requested(request: etree._Element) -> list[tuple[str | None, str]]:
        names = []
        for el in request.iterfind(f"{d('RequestedElements')}/{d('Name')}"):
            prefix, _, local = (el.text or "").strip().rpartition(":")
            names.append((el.nsmap.get(prefix or None), local))
        return names

    # -- GetScannerElements ----------------------------------------------------------------------
    def _GetScannerElements(self, request: etree._Element) -> etree._Element:
        root = etree.Element(d("GetScannerElementsResponse"), nsmap=NSMAP)
        elements = _sub(root, d("ScannerElements"))
        for ns, local in self._requested(request):
            self.element_data(elements, ns, local)
        return root

    def element_data(self, parent: etree._Element, ns: str | None, local: str) -> etree._Element:
        # Name echoes the request; an element this device does not have is there, Valid="false".
        data = _sub(parent, d("ElementData"))
        known = ns == WSCN and local in SCANNER_ELEMENTS
        data.set("Name", f"wscn:{local}")
        data.set("Valid", "true" if known else "false")
        if known:
            data.append(getattr(self, f"scanner_{local}")())
        return data

    def scanner_ScannerDescription(self) -> etree._Element:
        s = self.settings
        el = etree.Element(w("ScannerDescription"), nsmap=NSMAP)
        _sub(el, w("ScannerName"), s.scanner_name[:255])
        if s.scanner_info:
            _sub(el, w("ScannerInfo"), s.scanner_info[:255])
        if s.scanner_location:
            _sub(el, w("ScannerLocation"), s.scanner_location[:255])
        return el

    def scanner_ScannerConfiguration(self) -> etree._Element:
        caps = self.capabilities()
        el = etree.Element(w("ScannerConfiguration"), nsmap=NSMAP)
        ds = _sub(el, w("DeviceSettings"))
        formats = _sub(ds, w("FormatsSupported"))
        for fmt in SUPPORTED_FORMATS:
            _sub(formats, w("FormatValue"), fmt)
        _range(_sub(ds, w("CompressionQualityFactorSupported")), 0, 100)
        _sub(_sub(ds, w("ContentTypesSupported")), w("ContentTypeValue"), "Auto")
        _sub(ds, w("DocumentSizeAutoDetectSupported"), False)
        _sub(ds, w("AutoExposureSupported"), False)
        _sub(ds, w("BrightnessSupported"), caps.has_brightness)
        _sub(ds, w("ContrastSupported"), caps.has_contrast)
        scaling = _sub(ds, w("ScalingRangeSupported"))
        _range(_sub(scaling, w("ScalingWidth")), 1, 1000)
        _range(_sub(scaling, w("ScalingHeight")), 1, 1000)
        rotations = _sub(ds, w("RotationsSupported"))
        for r in ROTATIONS:
            _sub(rotations, w("RotationValue"), r)
        if PLATEN in caps.sources:
            platen = _sub(el, w("Platen"))
            _source_side(platen, "Platen", caps)
        if ADF in caps.sources or ADF_DUPLEX in caps.sources:
            adf = _sub(el, w("ADF"))
            _sub(adf, w("ADFSupportsDuplex"), ADF_DUPLEX in caps.sources)
            _source_side(_sub(adf, w("ADFFront")), "", caps)
            if ADF_DUPLEX in caps.sources:
                _source_side(_sub(adf, w("ADFBack")), "", caps)
        return el

    def scanner_ScannerStatus(self) -> etree._Element:
        state, reasons, conditions = self.status.snapshot()
        el = etree.Element(w("ScannerStatus"), nsmap=NSMAP)
        _sub(el, w("ScannerCurrentTime"), iso(self.clock()))
        _sub(el, w("ScannerState"), state)
        rs = _sub(el, w("ScannerStateReasons"))
        for r in reasons:
            _sub(rs, w("ScannerStateReason"), r)
        if conditions:
            active = _sub(el, w("ActiveConditions"))
            for c in conditions:
                _condition(active, w("DeviceCondition"), c)
        return el

    def default_ticket(self) -> ScanTicket:
        caps = self.capabilities()
        dpi = caps.nearest_resolution(300)
        color = "RGB24" if "RGB24" in caps.color_modes else caps.color_modes[0]
        return ScanTicket(
            job_name="Scan",
            job_originating_user_name="",
            format=Setting("pdf-a"),
            images_to_transfer=Setting(0 if caps.sources[0] != PLATEN else 1),
            input_source=Setting(caps.sources[0]),
            content_type=Setting("Auto"),
            media_front=MediaSide(color_processing=Setting(color), resolution=Setting(Resolution(dpi, dpi))),
        )

    def scanner_DefaultScanTicket(self) -> etree._Element:
        return tickets.ticket_element(self.default_ticket(), w("DefaultScanTicket"))

    # -- ValidateScanTicket ----------------------------------------------------------------------
    def _ValidateScanTicket(self, request: etree._Element) -> etree._Element:
        try:
            ticket = tickets.parse_ticket(request.find(w("ScanTicket")))
        except KioskError as exc:
            raise invalid_args(f"the ScanTicket cannot be used: {exc}") from None
        caps = self.capabilities()
        result = tickets.validate_ticket(caps, ticket)
        root = etree.Element(d("ValidateScanTicketResponse"), nsmap=NSMAP)
        info = _sub(root, d("ValidationInfo"))
        _sub(info, w("ValidTicket"), result.valid)
        image = _sub(info, w("ImageInformation"))
        figures = tickets.image_information(result.settings, caps)
        _image_info(_sub(image, w("MediaFrontImageInfo")), figures)
        if result.settings.duplex:
            _image_info(_sub(image, w("MediaBackImageInfo")), figures)
        if not result.valid:
            info.append(tickets.ticket_element(result.ticket, w("ValidScanTicket")))
        return root

    # -- jobs --------------------------------------------------------------------------------------
    def _GetActiveJobs(self, request: etree._Element) -> etree._Element:
        root = etree.Element(d("GetActiveJobsResponse"), nsmap=NSMAP)
        listing = _sub(root, d("ActiveJobs"))
        for view in self.jobs.active():
            job_summary(listing, view)
        return root

    def _GetJobHistory(self, request: etree._Element) -> etree._Element:
        root = etree.Element(d("GetJobHistoryResponse"), nsmap=NSMAP)
        listing = _sub(root, d("JobHistory"))
        for view in self.jobs.history():
            job_summary(listing, view)
        return root

    def _GetJobElements(self, request: etree._Element) -> etree._Element:
        job_id = int(request.findtext(d("JobId")) or 0)
        view = self.jobs.get(job_id)
        if view is None:
            raise Fault((WSCN, "ClientErrorJobIdNotFound"), f"no job {job_id} on this device")
        root = etree.Element(d("GetJobElementsResponse"), nsmap=NSMAP)
        elements = _sub(root, d("JobElements"))
        for ns, local in self._requested(request):
            data = _sub(elements, d("ElementData"))
            known = ns == WSCN and local in JOB_ELEMENTS
            data.set("Name", f"wscn:{local}")
            data.set("Valid", "true" if known else "false")
            if known:
                data.append(self._job_element(local, view))
        return root

    def _job_element(self, local: str, view: JobView) -> etree._Element:
        if local == "JobStatus":
            return job_status(etree.Element(w("JobStatus"), nsmap=NSMAP), view)
        if local == "JobDescription":
            el = etree.Element(w("JobDescription"), nsmap=NSMAP)
            _sub(el, w("JobName"), view.name)
            _sub(el, w("JobOriginatingUserName"), view.user)
            return el
        if local == "ScanTicket":
            return tickets.ticket_element(view.ticket or {"job_name": view.name}, w("ScanTicket"))
        el = etree.Element(w("Documents"), nsmap=NSMAP)
        _sub(_sub(el, w("DocumentFinalParameters")), w("Format"), view.format or "pdf-a")
        for document_id, pages in view.documents:
            desc = _sub(_sub(el, w("Document")), w("DocumentDescription"))
            _sub(desc, w("DocumentId"), document_id)
            _sub(desc, w("DocumentName"), f"{view.name}-{document_id}"[:255])
            _sub(desc, w("Pages"), pages)
        return el

    # -- event bodies ------------------------------------------------------------------------------
    def job_event(self, view: JobView) -> tuple[str, etree._Element]:
        if view.ended:
            root = etree.Element(d("JobEndStateEvent"), nsmap=NSMAP)
            end = _sub(root, d("JobEndState"))
            _sub(end, w("JobId"), view.wscn_id)
            _sub(end, w("JobName"), view.name)
            _sub(end, w("JobOriginatingUserName"), view.user)
            _sub(end, w("JobCompletedState"), view.state)
            reasons = _sub(end, w("JobCompletedStateReasons"))
            for r in view.reasons or ("None",):
                _sub(reasons, w("JobStateReason"), r)
            _sub(end, w("ScansCompleted"), view.scans)
            _sub(end, w("JobCreatedTime"), iso(view.created))
            if view.completed:
                _sub(end, w("JobCompletedTime"), iso(view.completed))
            return event_action("JobEndStateEvent"), root
        root = etree.Element(d("JobStatusEvent"), nsmap=NSMAP)
        job_status(_sub(root, d("JobStatus")), view)
        return event_action("JobStatusEvent"), root

    def status_events(self, change: StatusChange) -> list[tuple[str, etree._Element]]:
        if change.kind == "condition" and change.condition is not None:
            root = etree.Element(d("ScannerStatusConditionEvent"), nsmap=NSMAP)
            _condition(root, d("DeviceCondition"), change.condition)
            return [(event_action("ScannerStatusConditionEvent"), root)]
        if change.kind == "cleared" and change.condition is not None:
            root = etree.Element(d("ScannerStatusConditionClearedEvent"), nsmap=NSMAP)
            cleared = _sub(root, d("DeviceConditionCleared"))
            cleared.set("Id", str(change.condition.id))
            _sub(cleared, w("ConditionClearTime"), iso(change.time))
            return [(event_action("ScannerStatusConditionClearedEvent"), root)]
        root = etree.Element(d("ScannerStatusSummaryEvent"), nsmap=NSMAP)
        summary = _sub(root, d("StatusSummary"))
        _sub(summary, w("ScannerState"), change.state)
        reasons = _sub(summary, w("ScannerStateReasons"))
        for r in change.reasons or ("None",):
            _sub(reasons, w("ScannerStateReason"), r)
        changed = etree.Element(d("ScannerElementsChangeEvent"), nsmap=NSMAP)
        self.element_data(_sub(changed, d("ElementChanges")), WSCN, "ScannerStatus")
        return [
            (event_action("ScannerStatusSummaryEvent"), root),
            (event_action("ScannerElementsChangeEvent"), changed),
        ]


def _range(parent: etree._Element, low: int, high: int) -> None:
    _sub(parent, w("MinValue"), low)
    _sub(parent, w("MaxValue"), high)


def _size(parent: etree._Element, width: int, height: int) -> None:
    _sub(parent, w("Width"), width)
    _sub(parent, w("Height"), height)


def resolutions(caps: Capabilities) -> tuple[int, ...]:
    if caps.resolutions:
        return tuple(sorted(caps.resolutions))
    listed = tuple(r for r in COMMON_DPI if caps.resolution_supported(r))
    return listed or (caps.nearest_resolution(300),)


def _source_side(parent: etree._Element, prefix: str, caps: Capabilities) -> None:
    colors = _sub(parent, w(f"{prefix}Color" if prefix else "ADFColor"))
    for c in caps.color_modes:
        _sub(colors, w("ColorEntry"), c)
    name = prefix or "ADF"
    dpis = resolutions(caps)
    _size(_sub(parent, w(f"{name}MinimumSize")), 1, 1)
    _size(_sub(parent, w(f"{name}MaximumSize")), caps.max_width, caps.max_height)
    _size(_sub(parent, w(f"{name}OpticalResolution")), max(dpis), max(dpis))
    res = _sub(parent, w(f"{name}Resolutions"))
    widths, heights = _sub(res, w("Widths")), _sub(res, w("Heights"))
    for r in dpis:
        _sub(widths, w("Width"), r)
        _sub(heights, w("Height"), r)


def _image_info(parent: etree._Element, figures: dict[str, int]) -> None:
    for key in ("PixelsPerLine", "NumberOfLines", "BytesPerLine"):
        _sub(parent, w(key), figures[key])


def _condition(parent: etree._Element, tag: str, c: Condition) -> None:
    el = _sub(parent, tag)
    el.set("Id", str(c.id))
    _sub(el, w("Time"), iso(c.time))
    _sub(el, w("Name"), c.name)
    _sub(el, w("Component"), c.component)
    _sub(el, w("Severity"), c.severity)


def job_status(el: etree._Element, view: JobView) -> etree._Element:
    _sub(el, w("JobId"), view.wscn_id)
    _sub(el, w("JobState"), view.state)
    if view.reasons:
        reasons = _sub(el, w("JobStateReasons"))
        for r in view.reasons:
            _sub(reasons, w("JobStateReason"), r)
    _sub(el, w("ScansCompleted"), view.scans)
    _sub(el, w("JobCreatedTime"), iso(view.created))
    if view.completed:
        _sub(el, w("JobCompletedTime"), iso(view.completed))
    return el


def job_summary(parent: etree._Element, view: JobView) -> None:
    el = _sub(parent, w("JobSummary"))
    _sub(el, w("JobId"), view.wscn_id)
    _sub(el, w("JobName"), view.name)
    _sub(el, w("JobOriginatingUserName"), view.user)
    _sub(el, w("JobState"), view.state)
    if view.reasons:
        reasons = _sub(el, w("JobStateReasons"))
        for r in view.reasons:
            _sub(reasons, w("JobStateReason"), r)
    _sub(el, w("ScansCompleted"), view.scans)


__all__ = ["EVENTS", "DsdService", "event_action"]
