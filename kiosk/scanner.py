"""The device-independent scanner interface: what the job engine and the UI build against.

A `Scanner` exposes its `Capabilities`, turns a ScanTicket into the `ScanSettings` it will
actually use (`resolve`, which refuses a MustHonor element it cannot satisfy before any paper
moves), and scans one feeder load as a stream of `Page`s, each already a durable file.
Ticket units are kept: sizes in 1/1000 inch, resolution in pixels per inch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from kiosk.durable import write_durably
from kiosk.errors import ScannerError
from kiosk.psp.model import ScanRegion, ScanTicket, Setting

# ---------------------------------------------------------------------------------------------
# Errors


class FeederEmpty(ScannerError):
    default_user_message = "The document feeder is empty. Please load your pages and try again."
    code = "scanner.feeder_empty"


class PaperJam(ScannerError):
    default_user_message = "Paper jam. Please open the scanner, remove the paper and try again."
    code = "scanner.jammed"


class CoverOpen(ScannerError):
    default_user_message = "The scanner cover is open. Please close it and try again."
    code = "scanner.cover_open"


class DeviceBusy(ScannerError):
    default_user_message = "The scanner is busy. Please wait a moment and try again."
    code = "scanner.busy"


class ScannerIOError(ScannerError):
    default_user_message = "The scanner stopped responding. Please try again."
    code = "scanner.io_error"


class AccessDenied(ScannerError):
    default_user_message = "The kiosk is not allowed to use the scanner. Please call your administrator."
    code = "scanner.access_denied"


class OutOfMemory(ScannerError):
    default_user_message = "The scanner ran out of memory. Try a lower resolution or fewer pages."
    code = "scanner.no_memory"


class DeviceGone(ScannerError):
    default_user_message = "The scanner is not connected. Please check its cable and power."
    code = "scanner.gone"


class ScanCancelled(ScannerError):
    default_user_message = "The scan was cancelled."
    code = "scanner.cancelled"


class TicketNotSatisfiable(ScannerError):
    """A MustHonor element the device cannot satisfy; raised by `resolve`, before any paper moves."""

    default_user_message = "This scanner cannot scan with the settings this scan process requires."
    code = "scanner.ticket"

    def __init__(self, detail: str, *, problems: tuple[str, ...] = (), user_message: str | None = None) -> None:
        super().__init__(detail, user_message=user_message)
        self.problems = problems


# ---------------------------------------------------------------------------------------------
# Data

#: DSM InputSource values a scanner may offer.
PLATEN, ADF, ADF_DUPLEX = "Platen", "ADF", "ADFDuplex"
#: DSM ColorProcessing values → (Pillow mode of the page file, bits per sample).
COLOR_MODES: dict[str, tuple[str, int]] = {
    "BlackAndWhite1": ("1", 1),
    "Grayscale8": ("L", 8),
    "Grayscale16": ("I;16", 16),
    "RGB24": ("RGB", 8),
}
#: Ticket values we can map to a supported one when MustHonor is false (else: refused).
COLOR_FALLBACKS = {"Grayscale4": "Grayscale8", "RGB48": "RGB24", "RGBa32": "RGB24", "RGBa64": "RGB24"}
ROTATIONS = (0, 90, 180, 270)
THOU_PER_INCH = 1000
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Region:
    """A scan area in 1/1000 inch from the device's top-left corner."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class Capabilities:
    """What the open device offers, in DSM terms (for the UI, validation and resolve)."""

    device: str
    vendor: str = ""
    model: str = ""
    #: DSM InputSource values: Platen, ADF, ADFDuplex.
    sources: tuple[str, ...] = (PLATEN,)
    #: DSM ColorProcessing values.
    color_modes: tuple[str, ...] = ("Grayscale8", "RGB24")
    #: Discrete resolutions (ppi), or empty when `resolution_range` applies.
    resolutions: tuple[int, ...] = ()
    #: (min, max, step) ppi for a continuous range.
    resolution_range: tuple[int, int, int] | None = None
    #: Separate x/y resolutions possible.
    split_resolution: bool = False
    #: The largest area, 1/1000 inch.
    max_width: int = 8500
    max_height: int = 11690
    has_brightness: bool = False
    has_contrast: bool = False
    #: Names of hardware button sensors the device reports.
    buttons: tuple[str, ...] = ()

    def resolution_supported(self, dpi: int) -> bool:
        if self.resolutions:
            return dpi in self.resolutions
        if self.resolution_range:
            low, high, step = self.resolution_range
            return low <= dpi <= high and (dpi - low) % max(step, 1) == 0
        return False

    def nearest_resolution(self, dpi: int) -> int:
        if self.resolutions:
            return min(self.resolutions, key=lambda r: (abs(r - dpi), r))
        assert self.resolution_range is not None
        low, high, step = self.resolution_range
        step = max(step, 1)
        clamped = min(max(dpi, low), high)
        return min(high, low + round((clamped - low) / step) * step)

    def describe_resolutions(self) -> str:
        if self.resolutions:
            return ", ".join(str(r) for r in self.resolutions) + " ppi"
        if self.resolution_range:
            low, high, step = self.resolution_range
            return f"{low}–{high} ppi" + (f" in steps of {step}" if step > 1 else "")
        return "none"


@dataclass(frozen=True)
class Adjustment:
    """A ticket element that could not be used exactly (MustHonor false) and what was used."""

    setting: str
    requested: str
    used: str


@dataclass(frozen=True)
class ScanSettings:
    """The values a scan actually uses, resolved from a ticket against the device."""

    source: str = PLATEN
    color_processing: str = "RGB24"
    #: (x, y) ppi.
    resolution: tuple[int, int] = (300, 300)
    region: Region | None = None  # None: the device's whole area
    #: 0: until the feeder is empty. Platen loads always give one page.
    images_to_transfer: int = 0
    #: Ticket scale -1000..1000, None: the device default.
    brightness: int | None = None
    contrast: int | None = None
    #: Clockwise degrees, applied in software.
    rotation: int = 0
    #: (width %, height %), applied in software; None: 100 %.
    scaling: tuple[int, int] | None = None
    adjustments: tuple[Adjustment, ...] = ()

    @property
    def mode(self) -> str:
        return COLOR_MODES[self.color_processing][0]

    @property
    def duplex(self) -> bool:
        return self.source == ADF_DUPLEX


@dataclass(frozen=True)
class Page:
    """One scanned side, already written and fsync'ed to `path` when it is handed out."""

    index: int
    path: Path
    width: int
    height: int
    #: Pillow mode: "1", "L", "I;16" or "RGB".
    mode: str
    #: (x, y) ppi.
    dpi: tuple[int, int]
    side: str = "front"  # or "back"
    #: 1-based sheet number within the load (front and back share it).
    sheet: int = 1


@runtime_checkable
class Scanner(Protocol):
    def capabilities(self) -> Capabilities: ...

    def resolve(self, ticket: ScanTicket) -> ScanSettings: ...

    def scan(self, settings: ScanSettings, folder: Path, first_index: int | None = None) -> Iterator[Page]: ...

    def cancel(self) -> None: ...

    def close(self) -> None: ...


# ---------------------------------------------------------------------------------------------
# Ticket → settings, shared by every driver


class _Fit:
    """What resolving a ticket found so far: MustHonor elements the device cannot satisfy
    (problems) and the others it satisfies only approximately (adjustments)."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.adjustments: list[Adjustment] = []

    def unmet(self, setting: Setting | None, name: str, requested: str, used: str, offers: str) -> None:
        if setting is not None and setting.must_honor:
            self.problems.append(f"{name} {requested} (this scanner offers {offers})")
        else:
            self.adjustments.append(Adjustment(name, requested, used))


def resolve_ticket(caps: Capabilities, ticket: ScanTicket) -> ScanSettings:
    """The settings `caps` can honour for `ticket`. Raises TicketNotSatisfiable naming every
    MustHonor element the device cannot satisfy and what it offers instead."""
    fit = _Fit()
    source = _input_source(caps, ticket, fit)
    _film_scan_mode(ticket, fit)
    color = _color_processing(caps, ticket, fit)
    resolution = _resolution(caps, ticket, fit)
    region = _region(caps, ticket, fit)
    brightness, contrast = _exposure(caps, ticket, fit)
    rotation = _rotation(ticket, fit)
    scaling = _scaling(ticket, fit)
    _media_back(ticket, source, fit)
    images = max(0, ticket.images_to_transfer.value) if ticket.images_to_transfer is not None else 0
    if fit.problems:
        listed = "; ".join(fit.problems)
        raise TicketNotSatisfiable(
            f"scan ticket {ticket.job_name!r} cannot be honoured on {caps.device}: {listed}",
            problems=tuple(fit.problems),
            user_message=f"This scanner cannot do what the scan process requires: {listed}.",
        )
    return ScanSettings(
        source=source,
        color_processing=color,
        resolution=resolution,
        region=region,
        images_to_transfer=images,
        brightness=brightness,
        contrast=contrast,
        rotation=rotation,
        scaling=scaling,
        adjustments=tuple(fit.adjustments),
    )


def _input_source(caps: Capabilities, ticket: ScanTicket, fit: _Fit) -> str:
    source = caps.sources[0]
    if ticket.input_source is not None:
        wanted = ticket.input_source.value
        if wanted in caps.sources:
            return wanted
        if wanted == ADF_DUPLEX and ADF in caps.sources:
            source = ADF
        fit.unmet(ticket.input_source, "InputSource", wanted, source, ", ".join(caps.sources))
    return source


def _film_scan_mode(ticket: ScanTicket, fit: _Fit) -> None:
    """FilmScanMode only means something with a film unit, which no SANE source here is."""
    if ticket.film_scan_mode is not None and ticket.film_scan_mode.value != "NotApplicable":
        fit.unmet(ticket.film_scan_mode, "FilmScanMode", ticket.film_scan_mode.value, "NotApplicable", "no film unit")


def _color_processing(caps: Capabilities, ticket: ScanTicket, fit: _Fit) -> str:
    color = "RGB24" if "RGB24" in caps.color_modes else caps.color_modes[0]
    front = ticket.media_front
    if front is not None and front.color_processing is not None:
        wanted = front.color_processing.value
        if wanted in caps.color_modes:
            return wanted
        fallback = COLOR_FALLBACKS.get(wanted)
        if fallback in caps.color_modes:
            color = fallback
        fit.unmet(front.color_processing, "ColorProcessing", wanted, color, ", ".join(caps.color_modes))
    return color


def _resolution(caps: Capabilities, ticket: ScanTicket, fit: _Fit) -> tuple[int, int]:
    front = ticket.media_front
    if front is None or front.resolution is None:
        default_dpi = caps.nearest_resolution(300)
        return (default_dpi, default_dpi)
    res = front.resolution.value
    want_x, want_y = res.width, res.height or res.width
    x, y = caps.nearest_resolution(want_x), caps.nearest_resolution(want_y)
    if not caps.split_resolution:
        y = x
    if (x, y) != (want_x, want_y):
        offers = caps.describe_resolutions() + ("" if caps.split_resolution else ", the same across and down")
        fit.unmet(front.resolution, "Resolution", f"{want_x}x{want_y} ppi", f"{x}x{y} ppi", offers)
    return (x, y)


def _size_text(caps: Capabilities) -> str:
    return f"{caps.max_width / 1000:g} x {caps.max_height / 1000:g} in"


def _region(caps: Capabilities, ticket: ScanTicket, fit: _Fit) -> Region | None:
    """ScanRegion, else InputSize, else the whole area (None)."""
    scan_region = ticket.media_front.scan_region if ticket.media_front is not None else None
    if scan_region is not None:
        return _scan_region(caps, scan_region, fit)
    if ticket.input_size is not None:
        return _input_size(caps, ticket.input_size, fit)
    return None


def _scan_region(caps: Capabilities, scan_region: ScanRegion, fit: _Fit) -> Region:
    x = scan_region.x_offset.value if scan_region.x_offset else 0
    y = scan_region.y_offset.value if scan_region.y_offset else 0
    width, height = scan_region.width.value, scan_region.height.value
    if x + width > caps.max_width:
        width = max(1, caps.max_width - min(x, caps.max_width - 1))
        x = caps.max_width - width
        must = scan_region.width.must_honor or bool(scan_region.x_offset and scan_region.x_offset.must_honor)
        fit.unmet(Setting(0, must), "ScanRegion", "width and offset", f"{width} thou from {x}", _size_text(caps))
    if y + height > caps.max_height:
        height = max(1, caps.max_height - min(y, caps.max_height - 1))
        y = caps.max_height - height
        must = scan_region.height.must_honor or bool(scan_region.y_offset and scan_region.y_offset.must_honor)
        fit.unmet(Setting(0, must), "ScanRegion", "height and offset", f"{height} thou from {y}", _size_text(caps))
    return Region(x, y, width, height)


def _input_size(caps: Capabilities, input_size: Setting, fit: _Fit) -> Region | None:
    size = input_size.value
    if size.auto_detect:
        fit.unmet(input_size, "InputSize", "DocumentSizeAutoDetect", "the whole area", "no size detection")
        return None
    if not (size.width and size.height):
        return None
    width, height = min(size.width, caps.max_width), min(size.height, caps.max_height)
    if (width, height) != (size.width, size.height):
        requested = f"{size.width} x {size.height} thou"
        fit.unmet(input_size, "InputSize", requested, f"{width} x {height} thou", _size_text(caps))
    return Region(0, 0, width, height)


def _exposure(caps: Capabilities, ticket: ScanTicket, fit: _Fit) -> tuple[int | None, int | None]:
    """(brightness, contrast) the device sets; automatic exposure and sharpness it cannot."""
    if ticket.exposure is None:
        return None, None
    exp, setting = ticket.exposure.value, ticket.exposure
    default = "the device default"
    brightness = contrast = None
    if exp.auto:
        fit.unmet(setting, "Exposure", "AutoExposure", default, "no automatic exposure")
    if exp.brightness is not None:
        if caps.has_brightness:
            brightness = exp.brightness
        else:
            fit.unmet(setting, "Exposure", f"Brightness {exp.brightness}", default, "no brightness control")
    if exp.contrast is not None:
        if caps.has_contrast:
            contrast = exp.contrast
        else:
            fit.unmet(setting, "Exposure", f"Contrast {exp.contrast}", default, "no contrast control")
    if exp.sharpness:
        fit.unmet(setting, "Exposure", f"Sharpness {exp.sharpness}", default, "no sharpness control")
    return brightness, contrast


def _rotation(ticket: ScanTicket, fit: _Fit) -> int:
    """Done in software, so only odd values can fail."""
    if ticket.rotation is None:
        return 0
    if ticket.rotation.value in ROTATIONS:
        return ticket.rotation.value
    fit.unmet(ticket.rotation, "Rotation", str(ticket.rotation.value), "0", "0, 90, 180, 270")
    return 0


def _scaling(ticket: ScanTicket, fit: _Fit) -> tuple[int, int] | None:
    """Done in software; None is 100 % both ways."""
    if ticket.scaling is None:
        return None
    s = ticket.scaling.value
    if not (1 <= s.width_percent <= 1000 and 1 <= s.height_percent <= 1000):
        fit.unmet(ticket.scaling, "Scaling", f"{s.width_percent}% x {s.height_percent}%", "100%", "1–1000 %")
        return None
    return None if (s.width_percent, s.height_percent) == (100, 100) else (s.width_percent, s.height_percent)


def _media_back(ticket: ScanTicket, source: str, fit: _Fit) -> None:
    """SANE scans both sides of a sheet with one set of options: the back side's own settings
    can only be the front's."""
    back, front = ticket.media_back, ticket.media_front
    if back is None or source != ADF_DUPLEX:
        return
    same = "the same settings on both sides"
    for name, label in (("color_processing", "ColorProcessing"), ("resolution", "Resolution")):
        wanted, used = getattr(back, name), getattr(front, name) if front is not None else None
        if wanted is not None and (used is None or wanted.value != used.value):
            fit.unmet(wanted, f"MediaBack {label}", str(wanted.value), "the front side's", same)
    front_region = front.scan_region if front is not None else None
    if back.scan_region is not None and back.scan_region != front_region:
        region = back.scan_region
        parts = (region.width, region.height, region.x_offset, region.y_offset)
        must = Setting(0, any(p is not None and p.must_honor for p in parts))
        fit.unmet(must, "MediaBack ScanRegion", "a region of its own", "the front side's", same)


# ---------------------------------------------------------------------------------------------
# Helpers shared by the drivers

_PAGE_NAME = re.compile(r"^page-(\d+)\.pnm$")


def page_path(folder: Path, index: int) -> Path:
    return folder / f"page-{index:04d}.pnm"


def next_page_index(folder: Path) -> int:
    """The first index after every page file already in `folder` (pages of earlier loads)."""
    used = [int(m.group(1)) for p in folder.iterdir() if (m := _PAGE_NAME.match(p.name))] if folder.exists() else []
    return max(used, default=0) + 1


def postprocess(image, settings: ScanSettings):
    """Rotation (clockwise) and scaling the device cannot do, in Pillow."""
    from PIL import Image

    if settings.scaling:
        sx, sy = settings.scaling
        size = (max(1, round(image.width * sx / 100)), max(1, round(image.height * sy / 100)))
        if image.mode == "1":  # resample in gray, then back to bilevel
            image = image.convert("L").resize(size, Image.Resampling.LANCZOS).convert("1")
        else:
            image = image.resize(size, Image.Resampling.NEAREST if image.mode == "I;16" else Image.Resampling.LANCZOS)
    if settings.rotation:
        turn = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
        image = image.transpose(turn[settings.rotation])
    return image


def save_page(image, path: Path, *, sync: bool = True) -> None:
    """A page as PNM: raw samples, so writing costs no compression time while the feeder runs.
    `sync`: fsynced before it is renamed into place (the SANE driver passes False and fsyncs
    page files later, see kiosk.durable.LateSync)."""
    write_durably(path, lambda fh: image.save(fh, format="PPM"), sync=sync)


__all__ = [
    "ADF",
    "ADF_DUPLEX",
    "PLATEN",
    "AccessDenied",
    "Adjustment",
    "Capabilities",
    "CoverOpen",
    "DeviceBusy",
    "DeviceGone",
    "FeederEmpty",
    "OutOfMemory",
    "Page",
    "PaperJam",
    "Region",
    "ScanCancelled",
    "ScanSettings",
    "Scanner",
    "ScannerError",
    "ScannerIOError",
    "TicketNotSatisfiable",
    "resolve_ticket",
]
