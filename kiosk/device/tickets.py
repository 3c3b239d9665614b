"""ScanTickets on the WS-DSD wire: read one (with the PSP parser's rules), write one, and check
one against the scanner with the very code a scan uses (`kiosk.scanner.resolve_ticket`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from lxml import etree

from kiosk.imaging import DEFAULT_FORMAT, SUPPORTED_FORMATS
from kiosk.psp import parser as psp_parser
from kiosk.psp.model import NS_WSCN, InputSize, MediaSide, Resolution, ScanRegion, ScanTicket, Setting
from kiosk.scanner import COLOR_MODES, Capabilities, ScanSettings, TicketNotSatisfiable, resolve_ticket

W = NS_WSCN


def q(name: str) -> str:
    return f"{{{W}}}{name}"


def parse_ticket(element: etree._Element) -> ScanTicket:
    """A wscn:ScanTicket element as the model; PspError for anything the PSP parser refuses."""
    # The PSP parser's private reader is the one place the ticket rules live; reuse it whole.
    node, _ = psp_parser._parse_xml(etree.tostring(element, encoding="unicode"))
    return psp_parser._scan_ticket(node)


# --- writing ----------------------------------------------------------------------------------


def _honor(el: etree._Element, setting: dict[str, Any] | Setting) -> None:
    must = setting.must_honor if isinstance(setting, Setting) else setting.get("must_honor")
    if must:
        el.set(q("MustHonor"), "true")


def _value(setting: Any) -> Any:
    return setting.value if isinstance(setting, Setting) else setting["value"]


def _leaf(parent: etree._Element, name: str, setting: Any, text: Any = None) -> None:
    el = etree.SubElement(parent, q(name))
    el.text = str(_value(setting) if text is None else text)
    _honor(el, setting)


def _as_dict(ticket: ScanTicket | dict[str, Any]) -> dict[str, Any]:
    return dataclasses.asdict(ticket) if isinstance(ticket, ScanTicket) else ticket


def ticket_element(ticket: ScanTicket | dict[str, Any], tag: str = q("ScanTicket")) -> etree._Element:
    """wscn:ScanTicketType from the model (or its `dataclasses.asdict`, as the spool keeps it)."""
    t = _as_dict(ticket)
    root = etree.Element(tag, nsmap={"wscn": W})
    job = etree.SubElement(root, q("JobDescription"))
    etree.SubElement(job, q("JobName")).text = t.get("job_name") or ""
    etree.SubElement(job, q("JobOriginatingUserName")).text = t.get("job_originating_user_name") or ""
    if t.get("job_information") is not None:
        etree.SubElement(job, q("JobInformation")).text = t["job_information"]
    params = etree.SubElement(root, q("DocumentParameters"))
    for key, name in (
        ("format", "Format"),
        ("compression_quality_factor", "CompressionQualityFactor"),
        ("images_to_transfer", "ImagesToTransfer"),
        ("input_source", "InputSource"),
        ("film_scan_mode", "FilmScanMode"),
        ("content_type", "ContentType"),
    ):
        if t.get(key) is not None:
            _leaf(params, name, t[key])
    if (size := t.get("input_size")) is not None:
        el = etree.SubElement(params, q("InputSize"))
        _honor(el, size)
        v = size["value"]
        if v.get("auto_detect") is not None:
            etree.SubElement(el, q("DocumentSizeAutoDetect")).text = str(bool(v["auto_detect"])).lower()
        else:
            media = etree.SubElement(el, q("InputMediaSize"))
            etree.SubElement(media, q("Width")).text = str(v["width"])
            etree.SubElement(media, q("Height")).text = str(v["height"])
    if (exp := t.get("exposure")) is not None:
        el = etree.SubElement(params, q("Exposure"))
        _honor(el, exp)
        v = exp["value"]
        if v.get("auto") is not None:
            etree.SubElement(el, q("AutoExposure")).text = str(bool(v["auto"])).lower()
        else:
            es = etree.SubElement(el, q("ExposureSettings"))
            for key, name in (("contrast", "Contrast"), ("brightness", "Brightness"), ("sharpness", "Sharpness")):
                if v.get(key) is not None:
                    etree.SubElement(es, q(name)).text = str(v[key])
    if (sc := t.get("scaling")) is not None:
        el = etree.SubElement(params, q("Scaling"))
        _honor(el, sc)
        for key, name in (("width_percent", "ScalingWidth"), ("height_percent", "ScalingHeight")):
            etree.SubElement(el, q(name)).text = str(sc["value"][key])
    if t.get("rotation") is not None:
        _leaf(params, "Rotation", t["rotation"])
    if t.get("media_front") is not None:
        sides = etree.SubElement(params, q("MediaSides"))
        _side(sides, "MediaFront", t["media_front"])
        if t.get("media_back") is not None:
            _side(sides, "MediaBack", t["media_back"])
    return root


def _side(parent: etree._Element, name: str, side: dict[str, Any]) -> None:
    el = etree.SubElement(parent, q(name))
    if (region := side.get("scan_region")) is not None:
        r = etree.SubElement(el, q("ScanRegion"))
        for key, tag in (
            ("x_offset", "ScanRegionXOffset"),
            ("y_offset", "ScanRegionYOffset"),
            ("width", "ScanRegionWidth"),
            ("height", "ScanRegionHeight"),
        ):
            if region.get(key) is not None:
                _leaf(r, tag, region[key])
    if side.get("color_processing") is not None:
        _leaf(el, "ColorProcessing", side["color_processing"])
    if (res := side.get("resolution")) is not None:
        r = etree.SubElement(el, q("Resolution"))
        _honor(r, res)
        etree.SubElement(r, q("Width")).text = str(res["value"]["width"])
        if res["value"].get("height") is not None:
            etree.SubElement(r, q("Height")).text = str(res["value"]["height"])


# --- validation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Validation:
    valid: bool
    #: The ticket the device would scan with (the request's own when valid).
    ticket: ScanTicket
    settings: ScanSettings
    problems: tuple[str, ...] = ()


def _loose(setting: Setting | None) -> Setting | None:
    return None if setting is None else Setting(setting.value, False)


def _without_must_honor(t: ScanTicket) -> ScanTicket:
    def side(s: MediaSide | None) -> MediaSide | None:
        if s is None:
            return None
        region = s.scan_region
        if region is not None:
            region = ScanRegion(
                Setting(region.width.value),
                Setting(region.height.value),
                _loose(region.x_offset),
                _loose(region.y_offset),
            )
        return MediaSide(region, _loose(s.color_processing), _loose(s.resolution))

    return dataclasses.replace(
        t,
        input_source=_loose(t.input_source),
        film_scan_mode=_loose(t.film_scan_mode),
        input_size=_loose(t.input_size),
        exposure=_loose(t.exposure),
        scaling=_loose(t.scaling),
        rotation=_loose(t.rotation),
        media_front=side(t.media_front),
        media_back=side(t.media_back),
    )


def _keep(old: Setting | None, value: Any) -> Setting:
    return Setting(value, old.must_honor if old is not None else False)


def validate_ticket(caps: Capabilities, ticket: ScanTicket) -> Validation:
    """ValidTicket is true when the scan would use exactly what the ticket asks; otherwise the
    corrected ticket carries the values the device would use (MustHonor flags kept)."""
    problems: list[str] = []
    fmt = ticket.format.value if ticket.format is not None else DEFAULT_FORMAT
    if fmt not in SUPPORTED_FORMATS:
        problems.append(f"Format {fmt} (supported: {', '.join(SUPPORTED_FORMATS)})")
    try:
        settings = resolve_ticket(caps, ticket)
        problems.extend(f"{a.setting} {a.requested} → {a.used}" for a in settings.adjustments)
    except TicketNotSatisfiable as exc:
        problems.extend(exc.problems)
        settings = resolve_ticket(caps, _without_must_honor(ticket))
        # The other elements that were only adjusted are wrong in the ticket too.
        problems.extend(
            f"{a.setting} {a.requested} → {a.used}"
            for a in settings.adjustments
            if not any(p.startswith(f"{a.setting} ") for p in exc.problems)
        )
    if not problems:
        return Validation(True, ticket, settings)
    return Validation(False, _corrected(ticket, settings, fmt), settings, tuple(problems))


def _corrected(t: ScanTicket, s: ScanSettings, fmt: str) -> ScanTicket:
    changes: dict[str, Any] = {}
    if fmt not in SUPPORTED_FORMATS:
        changes["format"] = _keep(t.format, DEFAULT_FORMAT)
    if t.input_source is not None:
        changes["input_source"] = _keep(t.input_source, s.source)
    if t.film_scan_mode is not None:
        changes["film_scan_mode"] = _keep(t.film_scan_mode, "NotApplicable")
    front = t.media_front
    if front is not None:
        region = front.scan_region
        if region is not None and s.region is not None:
            region = ScanRegion(
                _keep(region.width, s.region.width),
                _keep(region.height, s.region.height),
                _keep(region.x_offset, s.region.x),
                _keep(region.y_offset, s.region.y),
            )
        x, y = s.resolution
        front = MediaSide(
            region,
            _keep(front.color_processing, s.color_processing) if front.color_processing is not None else None,
            _keep(front.resolution, Resolution(x, y)) if front.resolution is not None else None,
        )
        changes["media_front"] = front
    if t.media_back is not None:
        # One set of options for both sides: the back side is what the front uses.
        changes["media_back"] = MediaSide(None, front.color_processing, front.resolution) if front is not None else None
    if t.input_size is not None and t.media_front is not None and t.media_front.scan_region is not None:
        pass  # ScanRegion wins over InputSize in resolve_ticket; InputSize stays as asked
    elif t.input_size is not None:
        if s.region is not None:
            changes["input_size"] = _keep(t.input_size, InputSize(width=s.region.width, height=s.region.height))
        else:
            changes["input_size"] = None  # auto-detect the device cannot do: the whole area
    if t.exposure is not None:
        e = t.exposure.value
        if (
            e.auto
            or e.sharpness
            or (e.brightness is not None and s.brightness is None)
            or (e.contrast is not None and s.contrast is None)
        ):
            changes["exposure"] = (
                None
                if s.brightness is None and s.contrast is None
                else _keep(
                    t.exposure,
                    dataclasses.replace(e, auto=None, sharpness=None, brightness=s.brightness, contrast=s.contrast),
                )
            )
    if t.rotation is not None:
        changes["rotation"] = _keep(t.rotation, s.rotation)
    if t.scaling is not None and s.scaling is None:
        changes["scaling"] = None
    return dataclasses.replace(t, **changes)


def image_information(s: ScanSettings, caps: Capabilities) -> dict[str, int]:
    """PixelsPerLine, NumberOfLines and BytesPerLine of one side scanned with `s`."""
    width = s.region.width if s.region is not None else caps.max_width
    height = s.region.height if s.region is not None else caps.max_height
    x_dpi, y_dpi = s.resolution
    pixels = max(1, round(width * x_dpi / 1000))
    lines = max(1, round(height * y_dpi / 1000))
    if s.scaling:
        pixels = max(1, round(pixels * s.scaling[0] / 100))
        lines = max(1, round(lines * s.scaling[1] / 100))
    if s.rotation in (90, 270):
        pixels, lines = lines, pixels
    mode, bits = COLOR_MODES[s.color_processing]
    channels = 3 if mode == "RGB" else 1
    return {"PixelsPerLine": pixels, "NumberOfLines": lines, "BytesPerLine": (pixels * bits * channels + 7) // 8}
