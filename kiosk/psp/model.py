"""The typed scan-process model shared by every layer.

Names follow the DSM vocabulary ([MS-BDSRR] §6.2: psp:PostScanProcess, wscn:ScanTicketType,
psp:PostScanInstructionsType). Each ticket element that may carry `wscn:MustHonor` is a
`Setting`, so the scanner can refuse a job it cannot honour and the panel can tell which settings
the user may change. Units are the ticket's: sizes and offsets in 1/1000 inch, resolution in
pixels per inch, exposure values in -1000..1000 (sharpness -100..100), scaling in percent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

NS_PSP = "http://schemas.microsoft.com/windows/2008/02/imaging/postscan/psp"
NS_WSCN = "http://schemas.microsoft.com/windows/2006/08/wdp/scan"
NS_FSF = "http://schemas.microsoft.com/windows/2007/10/imaging/postscan/filter/fileshare"
NS_SPF = "http://schemas.microsoft.com/windows/2007/10/imaging/postscan/filter/sharepoint"
NS_EMLF = "http://schemas.microsoft.com/windows/2007/10/imaging/postscan/filter/email"
NS_SPX = "http://schemas.microsoft.com/windows/2010/09/imaging/postscan/scanprocess/extensions"

#: psp:ScanRepository, DocumentRootName, JobName … are String255.
STRING255 = 255
#: rangeUpper of msImaging-PSPString.
MAX_PSP_STRING = 524288


@dataclass(frozen=True)
class Setting(Generic[T]):
    """A ticket value and its wscn:MustHonor flag (true: the user may not change it, and a device
    that cannot satisfy it exactly must refuse the job)."""

    value: T
    must_honor: bool = False


@dataclass(frozen=True)
class InputSize:
    """Either auto-detect, or a media size in 1/1000 inch."""

    auto_detect: bool | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Exposure:
    """Either AutoExposure, or explicit settings (each optional)."""

    auto: bool | None = None
    contrast: int | None = None
    brightness: int | None = None
    sharpness: int | None = None


@dataclass(frozen=True)
class Scaling:
    width_percent: int
    height_percent: int


@dataclass(frozen=True)
class Resolution:
    width: int
    height: int | None = None  # None: same as width


@dataclass(frozen=True)
class ScanRegion:
    """1/1000 inch; each part carries its own MustHonor."""

    width: Setting[int]
    height: Setting[int]
    x_offset: Setting[int] | None = None
    y_offset: Setting[int] | None = None


@dataclass(frozen=True)
class MediaSide:
    scan_region: ScanRegion | None = None
    #: BlackAndWhite1, Grayscale4, Grayscale8, Grayscale16, RGB24, RGB48, RGBa32, RGBa64
    color_processing: Setting[str] | None = None
    resolution: Setting[Resolution] | None = None


@dataclass(frozen=True)
class ScanTicket:
    job_name: str
    job_originating_user_name: str
    job_information: str | None = None
    #: DSM Format value: jfif, png, tiff-single-g4, tiff-multi-g4, pdf-a, …
    format: Setting[str] | None = None
    compression_quality_factor: Setting[int] | None = None
    #: 0: until the feeder is empty.
    images_to_transfer: Setting[int] | None = None
    #: Platen, ADF, ADFDuplex, Film
    input_source: Setting[str] | None = None
    film_scan_mode: Setting[str] | None = None
    #: Auto, Text, Photo, Halftone, Mixed
    content_type: Setting[str] | None = None
    input_size: Setting[InputSize] | None = None
    exposure: Setting[Exposure] | None = None
    scaling: Setting[Scaling] | None = None
    #: 0, 90, 180, 270
    rotation: Setting[int] | None = None
    media_front: MediaSide | None = None
    media_back: MediaSide | None = None


@dataclass(frozen=True)
class FileShareConfig:
    share_uncs: tuple[str, ...] = ()


@dataclass(frozen=True)
class SharePointConfig:
    save_to_my_site: bool | None = None
    site_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class EmailAddress:
    address: str
    can_add_addresses: bool = False


@dataclass(frozen=True)
class EmailConfig:
    send_to_scan_user: bool | None = None
    addresses: tuple[EmailAddress, ...] = ()

    @property
    def can_add_addresses(self) -> bool:
        return any(a.can_add_addresses for a in self.addresses)


@dataclass(frozen=True)
class Filter:
    """psp:Filter. `config` is None for a dialect we do not model; `instructions_xml` always
    holds the psp:Instructions element verbatim."""

    dialect: str
    config: FileShareConfig | SharePointConfig | EmailConfig | None
    instructions_xml: str


@dataclass(frozen=True)
class PostScanInstructions:
    document_root_name: str
    filters: tuple[Filter, ...]
    #: None: absent, which means the server stops the job at the first filter error.
    continue_on_error: bool | None = None
    #: The psp:PostScanInstructions element exactly as read, sent to the scan server unchanged.
    xml: str = ""
    #: spx:AllowDeviceFileNameChange / spx:AllowDeviceFilePathChange (Windows Server 2012+).
    allow_file_name_change: bool = False
    allow_file_path_change: bool = False


@dataclass(frozen=True)
class ScanProcess:
    """One msImaging-PostScanProcess object."""

    display_name: str
    #: The GUID string sent as PSP_Identifier (lower case, hyphenated).
    identifier: str
    #: psp:ScanRepository: the scan server's FQDN.
    scan_repository: str
    ticket: ScanTicket
    instructions: PostScanInstructions
    #: The object's serverName attribute, when set.
    server_name: str | None = None
    #: Distinguished name of the directory object (or the local directory's key).
    dn: str = ""
    #: msImaging-PSPString as read.
    xml: str = ""


@dataclass(frozen=True)
class SkippedProcess:
    name: str
    reason: str


@dataclass(frozen=True)
class ProcessList:
    """The scan processes a user may use; `skipped` are those that could not be read."""

    ok: tuple[ScanProcess, ...] = ()
    skipped: tuple[SkippedProcess, ...] = field(default_factory=tuple)
