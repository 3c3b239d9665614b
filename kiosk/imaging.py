"""Scanned pages → documents in the DSM Format the scan ticket asks for.

Single-page formats make one document per page; multi-page formats one document per job. Pages
are encoded as they arrive (`add`), so encoding overlaps scanning, and a multi-page file grows
page by page on disk: a job is never held in memory. Every document appears atomically (temp
file, fsync, rename), with the scan resolution stored in it. Page files are left where they are.

PDF/A-2b: img2pdf embeds each page's JPEG (or CCITT G4 for bilevel pages) without re-encoding
it into a one-page PDF; pikepdf joins those, and adds the XMP identification and an sRGB output
intent (the profile made by LittleCMS through Pillow, so no ICC file needs to be installed).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, TiffImagePlugin

from kiosk.durable import fsync_dir, write_durably
from kiosk.errors import ScannerError
from kiosk.psp.model import ScanTicket
from kiosk.scanner import Page

#: extension, pages per document ("single" or "multi")
FORMATS: dict[str, tuple[str, str]] = {
    "jfif": ("jpg", "single"),
    "png": ("png", "single"),
    "tiff-single-uncompressed": ("tif", "single"),
    "tiff-single-g4": ("tif", "single"),
    "tiff-multi-uncompressed": ("tif", "multi"),
    "tiff-multi-g4": ("tif", "multi"),
    "tiff-multi-jpeg-tn2": ("tif", "multi"),
    "pdf-a": ("pdf", "multi"),
}
SUPPORTED_FORMATS = tuple(FORMATS)
#: When the ticket has no Format element.
DEFAULT_FORMAT = "pdf-a"
#: When the ticket has no CompressionQualityFactor.
DEFAULT_QUALITY = 85
#: Gray level at or above which a pixel is white when a page is made bilevel for G4.
G4_THRESHOLD = 128


class UnsupportedFormat(ScannerError):
    default_user_message = "This scan process asks for a file format the kiosk cannot produce."
    code = "imaging.format"


@dataclass(frozen=True)
class Document:
    """One file for SendImage: DocumentId within the job, its DSM Format, pages, bytes."""

    document_id: int
    path: Path
    format: str
    pages: int
    size: int


def check_format(ticket: ScanTicket) -> str:
    """The ticket's Format, or DEFAULT_FORMAT; UnsupportedFormat before anything is scanned."""
    fmt = ticket.format.value if ticket.format is not None else DEFAULT_FORMAT
    if fmt not in FORMATS:
        raise UnsupportedFormat(
            f"scan ticket {ticket.job_name!r} asks for Format {fmt!r}; supported: {', '.join(SUPPORTED_FORMATS)}",
            user_message=f"This scan process asks for the file format {fmt!r}, which the kiosk cannot produce.",
        )
    return fmt


def quality_of(ticket: ScanTicket) -> int:
    q = ticket.compression_quality_factor
    return DEFAULT_QUALITY if q is None else q.value


# ---------------------------------------------------------------------------------------------
# Mode conversions


def _eight_bit(image: Image.Image) -> Image.Image:
    """Gray or colour at 8 bits per sample (JPEG can hold nothing else)."""
    if image.mode in ("I", "I;16", "I;16B"):
        return image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    if image.mode == "1":
        return image.convert("L")
    if image.mode not in ("L", "RGB"):
        return image.convert("RGB")
    return image


def _bilevel(image: Image.Image) -> Image.Image:
    if image.mode == "1":
        return image
    return _eight_bit(image).convert("L").point(lambda v: 255 if v >= G4_THRESHOLD else 0, "1")


def _lossless(image: Image.Image) -> Image.Image:
    """PNG/TIFF keep bilevel, gray (8 or 16 bit) and RGB as scanned."""
    if image.mode == "I":  # a 16-bit page file opens as 32-bit "I"
        return image.convert("I;16")
    return image


def _jpeg_quality(quality: int) -> int:
    # Pillow's scale ends at 95 for practical purposes; 0 is not a valid JPEG quality.
    return min(max(quality, 1), 95)


# ---------------------------------------------------------------------------------------------


class DocumentEncoder:
    """Encodes the pages of one job into documents of `format` in `folder`."""

    def __init__(
        self, format: str, folder: Path, *, quality: int = DEFAULT_QUALITY, first_document_id: int = 1, title: str = ""
    ) -> None:
        if format not in FORMATS:
            raise UnsupportedFormat(f"unsupported document format {format!r}")
        self.format = format
        self.folder = Path(folder)
        self.quality = quality
        self.title = title
        self._ext, self._kind = FORMATS[format]
        self._next_id = first_document_id
        self._pages = 0
        self._part: Path | None = None
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, document_id: int) -> Path:
        return self.folder / f"{document_id}.{self._ext}"

    def _document(self, path: Path, pages: int) -> Document:
        doc = Document(self._next_id, path, self.format, pages, path.stat().st_size)
        self._next_id += 1
        return doc

    def add(self, page: Page) -> list[Document]:
        """Encode one page; returns the documents it completed (single-page formats)."""
        with Image.open(page.path) as image:
            image.load()
            dpi = page.dpi
            if self._kind == "single":
                path = self._path(self._next_id)
                write_durably(path, lambda fh: self._save_single(image, fh, dpi))
                return [self._document(path, 1)]
            if self.format == "pdf-a":
                self._add_pdf_page(image, dpi)
            else:
                self._add_tiff_page(image, dpi)
            self._pages += 1
            return []

    def finish(self) -> list[Document]:
        """Complete the multi-page document (none if no page was added)."""
        if self._kind == "single" or not self._pages:
            return []
        path = self._path(self._next_id)
        if self.format == "pdf-a":
            self._finish_pdf(path)
        else:
            assert self._part is not None
            with open(self._part, "rb") as fh:
                os.fsync(fh.fileno())
            self._part.replace(path)
            fsync_dir(path.parent)
        doc = self._document(path, self._pages)
        self._pages, self._part = 0, None
        return [doc]

    def abort(self) -> None:
        """Drop a multi-page document in progress (the pages themselves stay)."""
        if self._part is not None:
            if self._part.is_dir():
                shutil.rmtree(self._part, ignore_errors=True)
            else:
                self._part.unlink(missing_ok=True)
        self._pages, self._part = 0, None

    # -- single-page ---------------------------------------------------------------------------

    def _save_single(self, image: Image.Image, fh, dpi) -> None:
        if self.format == "jfif":
            _eight_bit(image).save(fh, format="JPEG", quality=_jpeg_quality(self.quality), dpi=dpi, optimize=False)
        elif self.format == "png":
            _lossless(image).save(fh, format="PNG", dpi=dpi, compress_level=6)
        elif self.format == "tiff-single-g4":
            _bilevel(image).save(fh, format="TIFF", compression="group4", dpi=dpi)
        else:
            _lossless(image).save(fh, format="TIFF", compression="raw", dpi=dpi)

    # -- multi-page TIFF -----------------------------------------------------------------------

    def _add_tiff_page(self, image: Image.Image, dpi) -> None:
        options: dict[str, object]
        if self.format == "tiff-multi-g4":
            frame, options = _bilevel(image), {"compression": "group4"}
        elif self.format == "tiff-multi-jpeg-tn2":
            # compression 7 ("new-style" JPEG of TIFF Technical Note 2), via libtiff
            frame, options = _eight_bit(image), {"compression": "tiff_jpeg", "quality": _jpeg_quality(self.quality)}
        else:
            frame, options = _lossless(image), {"compression": "raw"}
        first = self._part is None
        if first:
            self._part = self.folder / f".{self._next_id}.{self._ext}.part"
        with TiffImagePlugin.AppendingTiffWriter(str(self._part), new=first) as tiff:
            frame.save(tiff, format="TIFF", dpi=dpi, **options)
            tiff.newFrame()

    # -- PDF/A ---------------------------------------------------------------------------------

    def _add_pdf_page(self, image: Image.Image, dpi) -> None:
        import img2pdf

        if self._part is None:
            self._part = self.folder / f".{self._next_id}.pdf.parts"
            self._part.mkdir(exist_ok=True)
        encoded = io.BytesIO()
        if image.mode == "1":
            image.save(encoded, format="TIFF", compression="group4", dpi=dpi)
        else:
            _eight_bit(image).save(encoded, format="JPEG", quality=_jpeg_quality(self.quality), dpi=dpi)
        one_page = img2pdf.convert(encoded.getvalue(), rotation=img2pdf.Rotation.ifvalid)
        (self._part / f"{self._pages + 1:05d}.pdf").write_bytes(one_page)

    def _finish_pdf(self, path: Path) -> None:
        import pikepdf

        assert self._part is not None
        parts = sorted(self._part.glob("*.pdf"))
        sources = [pikepdf.open(p) for p in parts]
        try:
            pdf = pikepdf.new()
            for src in sources:
                pdf.pages.extend(src.pages)
            _make_pdfa(pdf, self.title or "Scanned document")
            write_durably(path, lambda fh: pdf.save(fh, min_version="1.7", fix_metadata_version=True))
        finally:
            for src in sources:
                src.close()
        shutil.rmtree(self._part, ignore_errors=True)


_SRGB_ICC: bytes | None = None


def srgb_profile() -> bytes:
    global _SRGB_ICC
    if _SRGB_ICC is None:
        _SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return _SRGB_ICC


def _make_pdfa(pdf, title: str) -> None:
    """PDF/A-2b identification (XMP) and an sRGB output intent, which makes DeviceRGB and
    DeviceGray images conforming."""
    import pikepdf

    icc = pdf.make_stream(srgb_profile())
    icc.N = 3
    pdf.Root.OutputIntents = pikepdf.Array(
        [
            pikepdf.Dictionary(
                Type=pikepdf.Name.OutputIntent,
                S=pikepdf.Name.GTS_PDFA1,
                OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
                Info=pikepdf.String("sRGB IEC61966-2.1"),
                DestOutputProfile=icc,
            )
        ]
    )
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["dc:title"] = title
        meta["xmp:CreatorTool"] = "dsm-kiosk"
        meta["xmp:CreateDate"] = now
        meta["xmp:ModifyDate"] = now
        meta["pdf:Producer"] = "dsm-kiosk"
