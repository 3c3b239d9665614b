"""Parse msImaging-PSPString (psp:PostScanProcess) into the typed model of kiosk.psp.model.

The document comes from the directory and is hostile until proven otherwise: no DTD, no entity
declarations, no external references (defusedxml's hardened expat parser), at most
MAX_PSP_STRING characters, and every value checked against the [MS-BDSRR] §6.2 schema. Any
problem is a PspError; nothing else escapes `parse_process`.

psp:PostScanInstructions and each psp:Instructions are kept as the exact text read, with the
namespace declarations in scope added to their start tag, so the scan server receives the
instructions unchanged (extensions included) and each string is a well-formed document.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TypeVar
from xml.etree.ElementTree import ParseError

import defusedxml
from defusedxml.ElementTree import DefusedXMLParser
from lxml import etree

from kiosk.errors import KioskError
from kiosk.psp.model import (
    MAX_PSP_STRING,
    NS_EMLF,
    NS_FSF,
    NS_PSP,
    NS_SPF,
    NS_SPX,
    NS_WSCN,
    STRING255,
    EmailAddress,
    EmailConfig,
    Exposure,
    FileShareConfig,
    Filter,
    InputSize,
    MediaSide,
    PostScanInstructions,
    Resolution,
    Scaling,
    ScanProcess,
    ScanRegion,
    ScanTicket,
    Setting,
    SharePointConfig,
)

T = TypeVar("T")

STRING2048 = 2048
MAX_INT = 2**31 - 1
INPUT_SOURCES = {"Platen", "ADF", "ADFDuplex", "Film"}
FILM_SCAN_MODES = {"NotApplicable", "ColorSlideFilm", "ColorNegativeFilm", "BlackandWhiteNegativeFilm"}
CONTENT_TYPES = {"Auto", "Text", "Photo", "Halftone", "Mixed"}
COLOR_PROCESSING = {
    "BlackAndWhite1",
    "Grayscale4",
    "Grayscale8",
    "Grayscale16",
    "RGB24",
    "RGB48",
    "RGBa32",
    "RGBa64",
}
ROTATIONS = {0, 90, 180, 270}
# WS-Scan lets a vendor extend an enumeration with a namespace-qualified token.
_EXTENSION_TOKEN = re.compile(r"^[A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*$")
_FORMAT_TOKEN = re.compile(r"^[A-Za-z0-9][\w.:-]*$")
_INT = re.compile(r"^[+-]?[0-9]+$")
_START_TAG_NAME = re.compile(rb"<[^\s/>]+")
#: A real process nests about ten deep; a deeper document is an attack on the stack.
MAX_DEPTH = 64


class PspError(KioskError):
    """A psp:PostScanProcess document that cannot be used."""

    default_user_message = "A scan process in the directory is not valid."
    code = "psp"


@dataclass
class _Node:
    tag: str
    attrib: dict[str, str]
    start: int
    #: Declarations made on this element's own start tag.
    declared: dict[str, str]
    #: Declarations in scope where the element starts, before its own.
    inherited: dict[str, str]
    children: list[_Node] = field(default_factory=list)
    text: str = ""
    end: int = -1

    def verbatim(self, data: bytes) -> str:
        """The element's text as read, plus the inherited declarations it does not redeclare."""
        raw = data[self.start : self.end]
        extra = "".join(
            f' xmlns{":" + prefix if prefix else ""}="{_escape_attr(uri)}"'
            for prefix, uri in self.inherited.items()
            if prefix not in self.declared and uri
        )
        if extra:
            match = _START_TAG_NAME.match(raw)
            assert match is not None
            raw = raw[: match.end()] + extra.encode("utf-8") + raw[match.end() :]
        return raw.decode("utf-8")


def _escape_attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


class _OffsetTreeBuilder:
    """ElementTree parser target that records where each element starts and ends in the input."""

    def __init__(self, data: bytes) -> None:
        self.source = data
        self.parser: DefusedXMLParser | None = None
        self.stack: list[_Node] = []
        self.scopes: list[dict[str, str]] = [{}]
        self.pending: dict[str, str] = {}
        self.root: _Node | None = None

    def _index(self) -> int:
        assert self.parser is not None
        return self.parser.parser.CurrentByteIndex

    def start_ns(self, prefix: str, uri: str) -> None:
        self.pending[prefix] = uri

    def end_ns(self, prefix: str) -> None:
        pass

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise PspError(f"msImaging-PSPString nests elements deeper than {MAX_DEPTH}")
        inherited = self.scopes[-1]
        node = _Node(tag, dict(attrib), self._index(), dict(self.pending), inherited)
        self.scopes.append({**inherited, **self.pending})
        self.pending = {}
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, tag: str) -> None:
        node = self.stack.pop()
        self.scopes.pop()
        index = self._index()
        if self.source.startswith(b"</", index):
            node.end = self.source.index(b">", index) + 1
        else:  # an empty-element tag: its own start tag is the whole element
            node.end = -1

    def data(self, text: str) -> None:
        if self.stack:
            self.stack[-1].text += text

    def close(self) -> _Node | None:
        return self.root


def _parse_xml(text: str) -> tuple[_Node, bytes]:
    if not isinstance(text, str):
        raise PspError(f"msImaging-PSPString is {type(text).__name__}, not text")
    if len(text) > MAX_PSP_STRING:
        raise PspError(f"msImaging-PSPString has {len(text)} characters; the limit is {MAX_PSP_STRING}")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates
        raise PspError(f"msImaging-PSPString is not valid Unicode: {exc.reason}") from None
    builder = _OffsetTreeBuilder(data)
    # The value is already Unicode: any encoding declaration in it describes a form it no longer has.
    parser = DefusedXMLParser(target=builder, encoding="utf-8", forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except (ParseError, xml.parsers.expat.ExpatError) as exc:
        raise PspError(f"msImaging-PSPString is not well-formed XML: {exc}") from None
    except defusedxml.DefusedXmlException as exc:
        raise PspError(f"msImaging-PSPString uses a forbidden XML feature: {exc!r}") from None
    except (ValueError, RecursionError) as exc:
        raise PspError(f"msImaging-PSPString cannot be parsed: {exc}") from None
    if root is None:
        raise PspError("msImaging-PSPString holds no element")
    return root, data


# --- value checks -----------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _where(node: _Node) -> str:
    return _local(node.tag)


def _leaf_text(node: _Node) -> str:
    if node.children:
        raise PspError(f"{_where(node)} must hold text, not elements")
    return node.text.strip()


def _string(node: _Node, limit: int = STRING255, *, required: bool = True) -> str:
    value = _leaf_text(node)
    if required and not value:
        raise PspError(f"{_where(node)} is empty")
    if len(value) > limit:
        raise PspError(f"{_where(node)} is longer than {limit} characters")
    return value


def _bool_value(value: str, where: str) -> bool:
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise PspError(f"{where} must be true or false, not {value[:40]!r}")


def _bool(node: _Node) -> bool:
    return _bool_value(_leaf_text(node), _where(node))


def _int(node: _Node, low: int, high: int = MAX_INT) -> int:
    value = _leaf_text(node)
    # The length bound also keeps int() below Python's limit on digits.
    if not _INT.match(value) or len(value) > 24:
        raise PspError(f"{_where(node)} must be a whole number between {low} and {high}, not {value[:40]!r}")
    number = int(value)
    if not low <= number <= high:
        raise PspError(f"{_where(node)} must be between {low} and {high}, not {number}")
    return number


def _token(node: _Node, allowed: set[str]) -> str:
    value = _leaf_text(node)
    if value not in allowed and not _EXTENSION_TOKEN.match(value):
        raise PspError(f"{_where(node)} has the unknown value {value[:40]!r}")
    return value


def _must_honor(node: _Node) -> bool:
    raw = node.attrib.get(f"{{{NS_WSCN}}}MustHonor")
    return False if raw is None else _bool_value(raw.strip(), f"{_where(node)}/@MustHonor")


def _setting(node: _Node, read: Callable[[_Node], T]) -> Setting[T]:
    return Setting(read(node), _must_honor(node))


def _children(
    node: _Node, namespace: str, known: AbstractSet[str], required: AbstractSet[str] = frozenset()
) -> dict[str, _Node]:
    """The children in `namespace` by local name. Others are extensions (xs:any ##other) and are
    skipped; an unknown or repeated name of the element's own namespace is an error."""
    found: dict[str, _Node] = {}
    if node.text.strip():
        raise PspError(f"{_where(node)} holds text where only elements belong")
    for child in node.children:
        ns, _, local = child.tag[1:].partition("}") if child.tag.startswith("{") else ("", "", child.tag)
        if ns != namespace:
            if ns == "":
                raise PspError(f"{_where(node)} holds {local}, which has no namespace")
            continue
        if local not in known:
            raise PspError(f"{_where(node)} holds the unknown element {local}")
        if local in found:
            raise PspError(f"{_where(node)} holds {local} more than once")
        found[local] = child
    missing = sorted(required - found.keys())
    if missing:
        raise PspError(f"{_where(node)} lacks {', '.join(missing)}")
    return found


# --- ScanTicket -------------------------------------------------------------------------------


def _input_size(node: _Node) -> InputSize:
    parts = _children(node, NS_WSCN, {"DocumentSizeAutoDetect", "InputMediaSize"})
    if len(parts) != 1:
        raise PspError("InputSize must hold either DocumentSizeAutoDetect or InputMediaSize")
    if "DocumentSizeAutoDetect" in parts:
        return InputSize(auto_detect=_bool(parts["DocumentSizeAutoDetect"]))
    size = _children(parts["InputMediaSize"], NS_WSCN, {"Width", "Height"}, {"Width", "Height"})
    return InputSize(width=_int(size["Width"], 1), height=_int(size["Height"], 1))


def _exposure(node: _Node) -> Exposure:
    parts = _children(node, NS_WSCN, {"AutoExposure", "ExposureSettings"})
    if len(parts) != 1:
        raise PspError("Exposure must hold either AutoExposure or ExposureSettings")
    if "AutoExposure" in parts:
        return Exposure(auto=_bool(parts["AutoExposure"]))
    values = _children(parts["ExposureSettings"], NS_WSCN, {"Contrast", "Brightness", "Sharpness"})
    return Exposure(
        contrast=_int(values["Contrast"], -1000, 1000) if "Contrast" in values else None,
        brightness=_int(values["Brightness"], -1000, 1000) if "Brightness" in values else None,
        sharpness=_int(values["Sharpness"], -100, 100) if "Sharpness" in values else None,
    )


def _scaling(node: _Node) -> Scaling:
    parts = _children(node, NS_WSCN, {"ScalingWidth", "ScalingHeight"}, {"ScalingWidth", "ScalingHeight"})
    return Scaling(_int(parts["ScalingWidth"], 1, 1000), _int(parts["ScalingHeight"], 1, 1000))


def _resolution(node: _Node) -> Resolution:
    parts = _children(node, NS_WSCN, {"Width", "Height"}, {"Width"})
    height = _int(parts["Height"], 1) if "Height" in parts else None
    return Resolution(_int(parts["Width"], 1), height)


def _scan_region(node: _Node) -> ScanRegion:
    names = {"ScanRegionXOffset", "ScanRegionYOffset", "ScanRegionWidth", "ScanRegionHeight"}
    parts = _children(node, NS_WSCN, names, {"ScanRegionWidth", "ScanRegionHeight"})

    def offset(name: str) -> Setting[int] | None:
        return _setting(parts[name], lambda n: _int(n, 0)) if name in parts else None

    return ScanRegion(
        width=_setting(parts["ScanRegionWidth"], lambda n: _int(n, 1)),
        height=_setting(parts["ScanRegionHeight"], lambda n: _int(n, 1)),
        x_offset=offset("ScanRegionXOffset"),
        y_offset=offset("ScanRegionYOffset"),
    )


def _media_side(node: _Node) -> MediaSide:
    parts = _children(node, NS_WSCN, {"ScanRegion", "ColorProcessing", "Resolution"})
    return MediaSide(
        scan_region=_scan_region(parts["ScanRegion"]) if "ScanRegion" in parts else None,
        color_processing=(
            _setting(parts["ColorProcessing"], lambda n: _token(n, COLOR_PROCESSING))
            if "ColorProcessing" in parts
            else None
        ),
        resolution=_setting(parts["Resolution"], _resolution) if "Resolution" in parts else None,
    )


def _format(node: _Node) -> str:
    value = _string(node)
    if not _FORMAT_TOKEN.match(value):
        raise PspError(f"Format has the invalid value {value[:40]!r}")
    return value


def _rotation(node: _Node) -> int:
    value = _int(node, 0, 270)
    if value not in ROTATIONS:
        raise PspError(f"Rotation must be 0, 90, 180 or 270, not {value}")
    return value


_DOCUMENT_PARAMETERS: dict[str, Callable[[_Node], object]] = {
    "Format": _format,
    "CompressionQualityFactor": lambda n: _int(n, 0, 100),
    "ImagesToTransfer": lambda n: _int(n, 0),
    "InputSource": lambda n: _token(n, INPUT_SOURCES),
    "FilmScanMode": lambda n: _token(n, FILM_SCAN_MODES),
    "ContentType": lambda n: _token(n, CONTENT_TYPES),
    "InputSize": _input_size,
    "Exposure": _exposure,
    "Scaling": _scaling,
    "Rotation": _rotation,
}
_FIELD_NAMES = {
    "Format": "format",
    "CompressionQualityFactor": "compression_quality_factor",
    "ImagesToTransfer": "images_to_transfer",
    "InputSource": "input_source",
    "FilmScanMode": "film_scan_mode",
    "ContentType": "content_type",
    "InputSize": "input_size",
    "Exposure": "exposure",
    "Scaling": "scaling",
    "Rotation": "rotation",
}


def _scan_ticket(node: _Node) -> ScanTicket:
    parts = _children(node, NS_WSCN, {"JobDescription", "DocumentParameters"}, {"JobDescription"})
    job = _children(
        parts["JobDescription"],
        NS_WSCN,
        {"JobName", "JobOriginatingUserName", "JobInformation"},
        {"JobName", "JobOriginatingUserName"},
    )
    values: dict[str, object] = {}
    if "DocumentParameters" in parts:
        params = _children(parts["DocumentParameters"], NS_WSCN, set(_DOCUMENT_PARAMETERS) | {"MediaSides"})
        for name, read in _DOCUMENT_PARAMETERS.items():
            if name in params:
                values[_FIELD_NAMES[name]] = _setting(params[name], read)
        if "MediaSides" in params:
            sides = _children(params["MediaSides"], NS_WSCN, {"MediaFront", "MediaBack"}, {"MediaFront"})
            values["media_front"] = _media_side(sides["MediaFront"])
            if "MediaBack" in sides:
                values["media_back"] = _media_side(sides["MediaBack"])
    return ScanTicket(
        job_name=_string(job["JobName"]),
        job_originating_user_name=_string(job["JobOriginatingUserName"], required=False),
        job_information=_string(job["JobInformation"], required=False) if "JobInformation" in job else None,
        **values,  # type: ignore[arg-type]
    )


# --- PostScanInstructions ---------------------------------------------------------------------


def _repeated(parent: _Node, namespace: str, name: str, read: Callable[[_Node], T]) -> list[T]:
    if parent.text.strip():
        raise PspError(f"{_where(parent)} holds text where only elements belong")
    values: list[T] = []
    for child in parent.children:
        if child.tag == f"{{{namespace}}}{name}":
            values.append(read(child))
        elif child.tag.startswith(f"{{{namespace}}}") or not child.tag.startswith("{"):
            raise PspError(f"{_where(parent)} holds the unknown element {_local(child.tag)}")
    if not values:
        raise PspError(f"{_where(parent)} holds no {name}")
    return values


def _file_share_config(config: _Node) -> FileShareConfig:
    parts = _children(config, NS_FSF, {"FileShares"})
    if "FileShares" not in parts:
        return FileShareConfig()
    return FileShareConfig(tuple(_repeated(parts["FileShares"], NS_FSF, "ShareUNC", _string)))


def _sharepoint_config(config: _Node) -> SharePointConfig:
    parts = _children(config, NS_SPF, {"SaveToMySite", "SaveToSharePointSites"})
    sites: list[str] = []
    if "SaveToSharePointSites" in parts:
        sites = _repeated(
            parts["SaveToSharePointSites"], NS_SPF, "SaveToSharePointSiteURL", lambda n: _string(n, STRING2048)
        )
    return SharePointConfig(
        save_to_my_site=_bool(parts["SaveToMySite"]) if "SaveToMySite" in parts else None,
        site_urls=tuple(sites),
    )


def _email_address(node: _Node) -> EmailAddress:
    raw = node.attrib.get(f"{{{NS_EMLF}}}CanAddAddresses")
    can_add = False if raw is None else _bool_value(raw.strip(), "EmailAddress/@CanAddAddresses")
    return EmailAddress(_string(node), can_add)


def _email_config(config: _Node) -> EmailConfig:
    parts = _children(config, NS_EMLF, {"SendToScanUser", "SendToAddresses"})
    addresses: list[EmailAddress] = []
    if "SendToAddresses" in parts:
        addresses = _repeated(parts["SendToAddresses"], NS_EMLF, "EmailAddress", _email_address)
    return EmailConfig(
        send_to_scan_user=_bool(parts["SendToScanUser"]) if "SendToScanUser" in parts else None,
        addresses=tuple(addresses),
    )


_DIALECTS: dict[str, tuple[str, Callable[[_Node], object]]] = {
    NS_FSF: ("FileShareConfig", _file_share_config),
    NS_SPF: ("SharePointConfig", _sharepoint_config),
    NS_EMLF: ("EmailConfig", _email_config),
}


def _filter(node: _Node, data: bytes) -> Filter:
    parts = _children(node, NS_PSP, {"Dialect", "Instructions"}, {"Dialect", "Instructions"})
    dialect = _string(parts["Dialect"], STRING2048)
    instructions = parts["Instructions"]
    if instructions.end < 0 or instructions.text.strip():
        raise PspError("Instructions must hold the filter's configuration element")
    elements = instructions.children
    if len(elements) != 1 or not elements[0].tag.startswith("{") or elements[0].tag.startswith(f"{{{NS_PSP}}}"):
        raise PspError("Instructions must hold exactly one element of the filter's own namespace")
    config = None
    if dialect in _DIALECTS:
        root_name, read = _DIALECTS[dialect]
        if elements[0].tag != f"{{{dialect}}}{root_name}":
            raise PspError(f"the {root_name} filter's Instructions hold {_local(elements[0].tag)}")
        config = read(elements[0])
    return Filter(dialect, config, instructions.verbatim(data))  # type: ignore[arg-type]


def _spx_flag(nodes: list[_Node], name: str) -> bool:
    """spx extension flags. Where they sit is not documented, so any ##other slot counts."""
    tag = f"{{{NS_SPX}}}{name}"
    return any(_bool(n) for n in nodes if n.tag == tag)


def _instructions(node: _Node, data: bytes) -> PostScanInstructions:
    parts = _children(
        node,
        NS_PSP,
        {"ContinueOnError", "DocumentRootName", "FiltersToProcess"},
        {"DocumentRootName", "FiltersToProcess"},
    )
    filters = _repeated(parts["FiltersToProcess"], NS_PSP, "Filter", lambda n: _filter(n, data))
    descendants = list(_walk(node))
    return PostScanInstructions(
        document_root_name=_string(parts["DocumentRootName"]),
        filters=tuple(filters),
        continue_on_error=_bool(parts["ContinueOnError"]) if "ContinueOnError" in parts else None,
        xml=node.verbatim(data),
        allow_file_name_change=_spx_flag(descendants, "AllowDeviceFileNameChange"),
        allow_file_path_change=_spx_flag(descendants, "AllowDeviceFilePathChange"),
    )


def _walk(node: _Node) -> Iterator[_Node]:
    pending = list(node.children)
    while pending:
        child = pending.pop()
        yield child
        pending.extend(child.children)


# --- entry points -----------------------------------------------------------------------------


def parse_process(
    xml: str,
    *,
    display_name: str,
    identifier: str,
    server_name: str | None = None,
    dn: str = "",
) -> ScanProcess:
    """A ScanProcess from msImaging-PSPString and the directory object's other attributes.

    Raises PspError, and nothing else, for any input it cannot use.
    """
    root, data = _parse_xml(xml)
    if root.tag != f"{{{NS_PSP}}}PostScanProcess":
        raise PspError(f"the document is {_local(root.tag)!r}, not psp:PostScanProcess")
    process = _typed_process(root, data, display_name, identifier, server_name, dn, xml)
    _check_schema(data)
    return process


def _check_schema(data: bytes) -> None:
    """The shipped XSD (the scan server's own) as well: a process it rejects would be listed and
    scanned, then refused by the server. Parsed again by lxml only after the hardened parse passed."""
    from kiosk.dsm import protocol  # the schema set lives with the WS-DSP schemas

    # As in _parse_xml: the text is UTF-8 now, whatever its declaration says.
    data = re.sub(rb"^\s*<\?xml[^>]*\?>", b"", data, count=1)
    try:
        doc = etree.ElementTree(etree.fromstring(data, protocol.secure_parser()))
    except etree.XMLSyntaxError as exc:
        raise PspError(f"not well-formed XML: {exc}") from None
    error = protocol.validate(doc)
    if error is not None:
        raise PspError(f"the process does not match the schema: line {error.line}: {error.message}")


def _typed_process(root, data, display_name, identifier, server_name, dn, xml) -> ScanProcess:
    parts = _children(
        root,
        NS_PSP,
        {"ScanRepository", "ScanTicket", "PostScanInstructions"},
        {"ScanRepository", "ScanTicket", "PostScanInstructions"},
    )
    return ScanProcess(
        display_name=display_name,
        identifier=identifier,
        scan_repository=_string(parts["ScanRepository"]),
        ticket=_scan_ticket(parts["ScanTicket"]),
        instructions=_instructions(parts["PostScanInstructions"], data),
        server_name=server_name,
        dn=dn,
        xml=xml,
    )
