"""Typed WS-DSP job status (GetPostScanJobElements), tolerant of the documented spelling variants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from kiosk.dsm.protocol import DSP

#: JobState values after which nothing changes any more.
END_STATES = frozenset({"Aborted", "Canceled", "Completed"})

# Published sources spell some values two ways; the kiosk sees one.
_CANONICAL = {
    "sendimangefailed": "SendImageFailed",
    "sharepointaccessdenied": "SharePointAccessDenied",
    "sharepointoutofdiskspace": "SharePointOutOfDiskSpace",
}


def canonical(value: str) -> str:
    """Known misspellings → the canonical spelling; vendor values (`x:Foo`) unchanged."""
    return _CANONICAL.get(value.lower(), value)


@dataclass(frozen=True)
class FilterStatus:
    dialect: str
    state: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class JobStatus:
    job_token: str
    state: str
    reasons: tuple[str, ...]
    filters: tuple[FilterStatus, ...]
    images_received: int
    created: datetime | None = None
    completed: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.state in END_STATES


@dataclass(frozen=True)
class JobDescription:
    psp_identifier: str
    psp_display_name: str
    originating_user_name: str


@dataclass(frozen=True)
class JobElements:
    status: JobStatus | None
    description: JobDescription | None


def _t(el: etree._Element, name: str) -> str | None:
    child = el.find(f"{{{DSP}}}{name}")
    return child.text.strip() if child is not None and child.text is not None else None


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def parse_job_status(el: etree._Element) -> JobStatus:
    filters = []
    for fs in el.iterfind(f"{{{DSP}}}FilterStatuses/{{{DSP}}}FilterStatus"):
        filters.append(
            FilterStatus(
                dialect=_t(fs, "Dialect") or "",
                state=canonical(_t(fs, "FilterState") or ""),
                reasons=tuple(
                    canonical((r.text or "").strip())
                    for r in fs.iterfind(f"{{{DSP}}}FilterStateReasons/{{{DSP}}}FilterStateReason")
                ),
            )
        )
    return JobStatus(
        job_token=_t(el, "JobToken") or "",
        state=canonical(_t(el, "JobState") or ""),
        reasons=tuple(
            canonical((r.text or "").strip()) for r in el.iterfind(f"{{{DSP}}}JobStateReasons/{{{DSP}}}JobStateReason")
        ),
        filters=tuple(filters),
        images_received=int(_t(el, "ImagesReceived") or 0),
        created=_time(_t(el, "JobCreatedTime")),
        completed=_time(_t(el, "JobCompletedTime")),
    )


def parse_job_elements(response: etree._Element) -> JobElements:
    """From a dsp:GetPostScanJobElementsResponse element."""
    status = description = None
    for data in response.iterfind(f"{{{DSP}}}JobElements/{{{DSP}}}ElementData"):
        if data.get(f"{{{DSP}}}Valid", data.get("Valid", "true")).strip() not in ("true", "1"):
            continue
        js = data.find(f"{{{DSP}}}JobStatus")
        if js is not None:
            status = parse_job_status(js)
        jd = data.find(f"{{{DSP}}}JobDescription")
        if jd is not None:
            description = JobDescription(
                psp_identifier=_t(jd, "PSP_Identifier") or "",
                psp_display_name=_t(jd, "PSP_DisplayName") or "",
                originating_user_name=_t(jd, "JobOriginatingUserName") or "",
            )
    return JobElements(status=status, description=description)
