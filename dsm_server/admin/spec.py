"""A scan process as an administrator describes it, and the psp:PostScanProcess document made from it.

`ProcessSpec` holds what the Scan Management console let an administrator choose (destination,
scan ticket, which ticket settings are locked with wscn:MustHonor, document name). `to_xml`
writes the document; `check_document` validates any document (ours or imported) against our
schemas (kiosk/dsm/schemas) and parses it with kiosk.psp.parser — the one PSP parser — before
anything is written to a directory. `from_process` goes back from a parsed process to a spec,
and `unmodelled` names what a spec cannot carry, so an edit never drops it silently.
"""

from __future__ import annotations

import uuid
from typing import Literal

from lxml import etree
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from dsm_server.admin.errors import InvalidProcess
from kiosk.directory.identifiers import guid_text
from kiosk.dsm import protocol
from kiosk.psp.model import (
    MAX_PSP_STRING,
    NS_EMLF,
    NS_FSF,
    NS_PSP,
    NS_SPF,
    NS_WSCN,
    STRING255,
    EmailConfig,
    FileShareConfig,
    ScanProcess,
    SharePointConfig,
)
from kiosk.psp.parser import COLOR_PROCESSING, CONTENT_TYPES, PspError, parse_process

#: Media sizes in 1/1000 inch (the ticket's unit).
MEDIA_SIZES = {
    "A3": (11693, 16535),
    "A4": (8268, 11693),
    "A5": (5827, 8268),
    "Letter": (8500, 11000),
    "Legal": (8500, 14000),
}
SOURCES = ("Platen", "ADF", "ADFDuplex")
#: The formats the kiosk can write (kiosk.imaging); other tokens pass the schema but no kiosk scans them.
FORMATS = (
    "pdf-a",
    "tiff-multi-g4",
    "tiff-single-g4",
    "tiff-multi-uncompressed",
    "tiff-single-uncompressed",
    "tiff-multi-jpeg-tn2",
    "jfif",
    "png",
)


class ProcessSpec(BaseModel):
    """Everything `dsm-admin create` and the console's form can set."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=STRING255)
    #: msImaging-PSPIdentifier; empty: a new random GUID.
    identifier: str = ""
    #: psp:ScanRepository: the scan server's host name.
    repository: str = Field(min_length=1, max_length=STRING255)
    #: The object's serverName; empty: the repository.
    server_name: str = ""
    #: wscn:JobName; empty: the process name.
    job_name: str = ""
    #: wscn:JobOriginatingUserName; the device sends the signed-in user's name with each job.
    originating_user: str = Field(default="Scan user", min_length=1, max_length=STRING255)
    #: psp:DocumentRootName: the scan server names documents after it.
    document_name: str = Field(default="Scan", min_length=1, max_length=STRING255)
    format: str = "pdf-a"
    format_locked: bool = False
    source: Literal["Platen", "ADF", "ADFDuplex", ""] = "ADF"
    source_locked: bool = False
    color: str = "RGB24"
    color_locked: bool = False
    resolution: int = Field(default=300, ge=0, le=9600)
    resolution_locked: bool = False
    #: "", "auto", a name from MEDIA_SIZES or "<width>x<height>" in 1/1000 inch.
    input_size: str = ""
    content_type: str = ""
    #: 0: the whole feeder.
    images_to_transfer: int = Field(default=0, ge=0, le=2**31 - 1)
    shares: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    #: emlf:CanAddAddresses: the user may add recipients at the device.
    can_add_addresses: bool = False
    send_to_scan_user: bool = False
    sharepoint_sites: list[str] = Field(default_factory=list)
    continue_on_error: bool | None = None

    @field_validator("identifier")
    @classmethod
    def _guid(cls, value: str) -> str:
        if not value:
            return value
        try:
            return guid_text(uuid.UUID(value))
        except ValueError:
            raise ValueError(f"{value!r} is not a GUID") from None

    @field_validator("color")
    @classmethod
    def _color(cls, value: str) -> str:
        if value and value not in COLOR_PROCESSING:
            raise ValueError(f"{value!r} is not one of {', '.join(sorted(COLOR_PROCESSING))}")
        return value

    @field_validator("content_type")
    @classmethod
    def _content(cls, value: str) -> str:
        if value and value not in CONTENT_TYPES:
            raise ValueError(f"{value!r} is not one of {', '.join(sorted(CONTENT_TYPES))}")
        return value

    @field_validator("input_size")
    @classmethod
    def _size(cls, value: str) -> str:
        if value:
            media_size(value)
        return value

    @field_validator("shares")
    @classmethod
    def _shares(cls, value: list[str]) -> list[str]:
        for unc in value:
            if not unc.startswith("\\\\") or len(unc.strip("\\").split("\\")) < 2:
                raise ValueError(f"{unc!r} is not a UNC path like \\\\server\\share\\folder")
        return value

    @field_validator("emails")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        for address in value:
            local, _, domain = address.partition("@")
            if not local or "." not in domain or any(c.isspace() for c in address) or len(address) > STRING255:
                raise ValueError(f"{address!r} is not an e-mail address")
        return value

    @field_validator("sharepoint_sites")
    @classmethod
    def _sites(cls, value: list[str]) -> list[str]:
        for url in value:
            if not url.startswith(("https://", "http://")):
                raise ValueError(f"{url!r} is not an http(s) URL")
        return value

    @model_validator(mode="after")
    def _destination(self) -> ProcessSpec:
        if not (self.shares or self.emails or self.send_to_scan_user or self.sharepoint_sites):
            raise ValueError("a scan process needs a destination: a file share, e-mail or SharePoint")
        if self.can_add_addresses and not self.emails:
            raise ValueError("can_add_addresses needs at least one e-mail address")
        return self


def templates() -> dict[str, dict]:
    """The built-in templates (dsm_server/admin/templates/*.toml): name → settings."""
    import tomllib
    from importlib import resources

    found = {}
    for entry in sorted(resources.files("dsm_server.admin").joinpath("templates").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            found[entry.name.removesuffix(".toml")] = tomllib.loads(entry.read_text(encoding="utf-8"))
    return found


def template(name: str) -> dict:
    """A built-in template's settings, without its description."""
    known = templates()
    if name not in known:
        raise InvalidProcess(f"no template {name!r}; built in: {', '.join(known)}")
    return {k: v for k, v in known[name].items() if k != "description"}


def make_spec(data: dict) -> ProcessSpec:
    """A ProcessSpec from flags, a template or a form; every problem in one InvalidProcess."""
    try:
        return ProcessSpec.model_validate(data)
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e["loc"])
            msg = e["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {msg}" if where else msg)
        raise InvalidProcess("; ".join(problems), user_message="; ".join(problems)) from None


def media_size(value: str) -> tuple[int, int] | None:
    """None for "auto", else (width, height) in 1/1000 inch."""
    if value == "auto":
        return None
    if value in MEDIA_SIZES:
        return MEDIA_SIZES[value]
    width, sep, height = value.partition("x")
    if sep and width.isdigit() and height.isdigit() and 0 < int(width) <= 100000 and 0 < int(height) <= 100000:
        return int(width), int(height)
    raise ValueError(f"{value!r} is not auto, {', '.join(MEDIA_SIZES)} or WIDTHxHEIGHT in 1/1000 inch")


def _sub(parent: etree._Element, ns: str, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{name}", {k: v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _honor(locked: bool) -> dict[str, str]:
    return {f"{{{NS_WSCN}}}MustHonor": "true"} if locked else {}


def to_xml(spec: ProcessSpec) -> str:
    """The psp:PostScanProcess document for `spec` (not yet validated: see check_document)."""
    nsmap = {"psp": NS_PSP, "wscn": NS_WSCN}
    root = etree.Element(f"{{{NS_PSP}}}PostScanProcess", nsmap=nsmap)
    _sub(root, NS_PSP, "ScanRepository", spec.repository)
    ticket = _sub(root, NS_PSP, "ScanTicket")
    description = _sub(ticket, NS_WSCN, "JobDescription")
    _sub(description, NS_WSCN, "JobName", spec.job_name or spec.name)
    _sub(description, NS_WSCN, "JobOriginatingUserName", spec.originating_user)
    params = _sub(ticket, NS_WSCN, "DocumentParameters")
    if spec.format:
        params.append(_with_attrs(NS_WSCN, "Format", spec.format, _honor(spec.format_locked)))
    params.append(_with_attrs(NS_WSCN, "ImagesToTransfer", str(spec.images_to_transfer), {}))
    if spec.source:
        params.append(_with_attrs(NS_WSCN, "InputSource", spec.source, _honor(spec.source_locked)))
    if spec.content_type:
        _sub(params, NS_WSCN, "ContentType", spec.content_type)
    if spec.input_size:
        size_element = _sub(params, NS_WSCN, "InputSize")
        size = media_size(spec.input_size)
        if size is None:
            _sub(size_element, NS_WSCN, "DocumentSizeAutoDetect", "true")
        else:
            media = _sub(size_element, NS_WSCN, "InputMediaSize")
            _sub(media, NS_WSCN, "Width", str(size[0]))
            _sub(media, NS_WSCN, "Height", str(size[1]))
    if spec.color or spec.resolution:
        front = _sub(_sub(params, NS_WSCN, "MediaSides"), NS_WSCN, "MediaFront")
        if spec.color:
            front.append(_with_attrs(NS_WSCN, "ColorProcessing", spec.color, _honor(spec.color_locked)))
        if spec.resolution:
            resolution = _sub(front, NS_WSCN, "Resolution", **_honor(spec.resolution_locked))
            _sub(resolution, NS_WSCN, "Width", str(spec.resolution))
            _sub(resolution, NS_WSCN, "Height", str(spec.resolution))
    instructions = _sub(root, NS_PSP, "PostScanInstructions")
    if spec.continue_on_error is not None:
        _sub(instructions, NS_PSP, "ContinueOnError", str(spec.continue_on_error).lower())
    _sub(instructions, NS_PSP, "DocumentRootName", spec.document_name)
    filters = _sub(instructions, NS_PSP, "FiltersToProcess")
    if spec.shares:
        config = _filter(filters, NS_FSF, "fsf", "FileShareConfig")
        shares = _sub(config, NS_FSF, "FileShares")
        for unc in spec.shares:
            _sub(shares, NS_FSF, "ShareUNC", unc)
    if spec.emails or spec.send_to_scan_user:
        config = _filter(filters, NS_EMLF, "emlf", "EmailConfig")
        _sub(config, NS_EMLF, "SendToScanUser", str(spec.send_to_scan_user).lower())
        if spec.emails:
            addresses = _sub(config, NS_EMLF, "SendToAddresses")
            for address in spec.emails:
                attrs = {f"{{{NS_EMLF}}}CanAddAddresses": "true"} if spec.can_add_addresses else {}
                addresses.append(_with_attrs(NS_EMLF, "EmailAddress", address, attrs))
    if spec.sharepoint_sites:
        config = _filter(filters, NS_SPF, "spf", "SharePointConfig")
        sites = _sub(config, NS_SPF, "SaveToSharePointSites")
        for url in spec.sharepoint_sites:
            _sub(sites, NS_SPF, "SaveToSharePointSiteURL", url)
    return etree.tostring(root, encoding="unicode")


def _with_attrs(ns: str, name: str, text: str, attrs: dict[str, str]) -> etree._Element:
    element = etree.Element(f"{{{ns}}}{name}", attrs)
    element.text = text
    return element


def _filter(filters: etree._Element, ns: str, prefix: str, config: str) -> etree._Element:
    element = _sub(filters, NS_PSP, "Filter")
    _sub(element, NS_PSP, "Dialect", ns)
    holder = _sub(element, NS_PSP, "Instructions")
    # The filter's own prefix on its config element, as the Scan Management console wrote it.
    return etree.SubElement(holder, f"{{{ns}}}{config}", nsmap={prefix: ns})


def check_document(xml: str, *, name: str, identifier: str, server_name: str | None = None) -> ScanProcess:
    """The parsed process, or InvalidProcess naming the first problem. Checks, in order: the
    size msImaging-PSPString can hold, our XSDs, and the kiosk's own parser (what a kiosk will
    accept)."""
    if len(xml) > MAX_PSP_STRING:
        raise InvalidProcess(
            f"the document has {len(xml)} characters; msImaging-PSPString holds at most {MAX_PSP_STRING}"
        )
    try:
        document = etree.ElementTree(etree.fromstring(xml.encode("utf-8"), protocol.secure_parser()))
    except etree.XMLSyntaxError as exc:
        raise InvalidProcess(f"the document is not well-formed XML: {exc}") from None
    if document.getroot().tag != f"{{{NS_PSP}}}PostScanProcess":
        raise InvalidProcess(f"the document's root is {document.getroot().tag}, not psp:PostScanProcess")
    problem = protocol.validate(document)
    if problem is not None:
        raise InvalidProcess(f"the document does not match the schema: line {problem.line}: {problem.message}")
    try:
        return parse_process(xml, display_name=name, identifier=identifier, server_name=server_name)
    except PspError as exc:
        raise InvalidProcess(f"a kiosk would refuse the document: {exc}") from None


def build(spec: ProcessSpec) -> tuple[ProcessSpec, str, ScanProcess]:
    """The spec with its identifier settled, its document, and the document as a kiosk parses it."""
    if not spec.identifier:
        spec = spec.model_copy(update={"identifier": guid_text(uuid.uuid4())})
    xml = to_xml(spec)
    process = check_document(xml, name=spec.name, identifier=spec.identifier, server_name=spec.server_name or None)
    return spec, xml, process


def from_process(process: ScanProcess) -> ProcessSpec:
    """The spec of a parsed process (what the form shows and `edit` starts from)."""
    t = process.ticket
    side = t.media_front
    data: dict = {
        "name": process.display_name,
        "identifier": process.identifier,
        "repository": process.scan_repository,
        "server_name": process.server_name or "",
        "job_name": t.job_name if t.job_name != process.display_name else "",
        "originating_user": t.job_originating_user_name or "Scan user",
        "document_name": process.instructions.document_root_name,
        "format": t.format.value if t.format else "",
        "format_locked": bool(t.format and t.format.must_honor),
        "source": t.input_source.value if t.input_source and t.input_source.value in SOURCES else "",
        "source_locked": bool(t.input_source and t.input_source.must_honor),
        "color": side.color_processing.value if side and side.color_processing else "",
        "color_locked": bool(side and side.color_processing and side.color_processing.must_honor),
        "resolution": side.resolution.value.width if side and side.resolution else 0,
        "resolution_locked": bool(side and side.resolution and side.resolution.must_honor),
        "content_type": t.content_type.value if t.content_type else "",
        "images_to_transfer": t.images_to_transfer.value if t.images_to_transfer else 0,
        "continue_on_error": process.instructions.continue_on_error,
    }
    if t.input_size:
        size = t.input_size.value
        if size.auto_detect:
            data["input_size"] = "auto"
        elif size.width and size.height:
            named = [k for k, v in MEDIA_SIZES.items() if v == (size.width, size.height)]
            data["input_size"] = named[0] if named else f"{size.width}x{size.height}"
    for f in process.instructions.filters:
        if isinstance(f.config, FileShareConfig):
            data.setdefault("shares", []).extend(f.config.share_uncs)
        elif isinstance(f.config, EmailConfig):
            data.setdefault("emails", []).extend(a.address for a in f.config.addresses)
            data["can_add_addresses"] = data.get("can_add_addresses", False) or f.config.can_add_addresses
            data["send_to_scan_user"] = bool(f.config.send_to_scan_user)
        elif isinstance(f.config, SharePointConfig):
            data.setdefault("sharepoint_sites", []).extend(f.config.site_urls)
    return make_spec(data)


def unmodelled(process: ScanProcess) -> list[str]:
    """What the process holds that a ProcessSpec cannot carry (lost if the spec is written back)."""
    t = process.ticket
    lost = []
    for attr, label in [
        ("compression_quality_factor", "CompressionQualityFactor"),
        ("film_scan_mode", "FilmScanMode"),
        ("exposure", "Exposure"),
        ("scaling", "Scaling"),
        ("rotation", "Rotation"),
        ("media_back", "MediaBack"),
        ("job_information", "JobInformation"),
    ]:
        if getattr(t, attr) is not None:
            lost.append(label)
    if t.input_source and t.input_source.value not in SOURCES:
        lost.append(f"InputSource {t.input_source.value}")
    for setting, label in [(t.content_type, "ContentType"), (t.input_size, "InputSize")]:
        if setting is not None and setting.must_honor:
            lost.append(f"{label} MustHonor")
    side = t.media_front
    if side and side.scan_region:
        lost.append("ScanRegion")
    if side and side.resolution and side.resolution.value.height not in (None, side.resolution.value.width):
        lost.append("a resolution with different width and height")
    for f in process.instructions.filters:
        if f.config is None:
            lost.append(f"filter {f.dialect}")
        if isinstance(f.config, SharePointConfig) and f.config.save_to_my_site is not None:
            lost.append("SaveToMySite")
    emails = [f.config for f in process.instructions.filters if isinstance(f.config, EmailConfig)]
    if emails and len({a.can_add_addresses for c in emails for a in c.addresses}) > 1:
        lost.append("CanAddAddresses set on some addresses only")
    if process.instructions.allow_file_name_change or process.instructions.allow_file_path_change:
        lost.append("spx extensions")
    return lost
