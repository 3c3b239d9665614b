"""An append-only PDF/A-2b writer: one page at a time, never rewriting a byte already written.

A page's objects (image XObject, content stream, page dictionary) are written as soon as the
page is encoded, so a SendImage can send the file while the feeder is still running; the page
tree, the sRGB output intent, the XMP metadata, the catalog and the cross-reference table follow
at `close()`. Object 1 is the catalog and object 2 the page tree: both are reserved at the start
(pages point at their Parent) and written last.

A JPEG page (gray and colour: `JpegImage`) is written directly: the JPEG as it is, in the
image dictionary, page size (pixels at the page's ppi) and content stream img2pdf would give it,
with no copy through a PDF parser. A bilevel page comes from img2pdf (CCITT G4 taken from the
TIFF without re-encoding) and its objects are copied unchanged. Either way a page is the same
as in a file made by img2pdf + pikepdf. The XMP packet and the document information dictionary
are made by pikepdf on an empty document, so they are the ones pikepdf would write.

After every page the writer's `state()` (offsets, next object number, bytes written; a few
hundred bytes) can be journaled: `PdfAWriter.resume(fh, state)` truncates the file to the last
complete page and continues, which is how a crash mid-document loses no page that was written.
Memory: one page's encoded image at a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zlib
from dataclasses import dataclass
from typing import BinaryIO

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"  # the comment of four bytes > 127 that PDF/A asks for
CATALOG, PAGES = 1, 2


class PdfWriteError(ValueError):
    """A page that cannot be copied into the document."""


@dataclass(frozen=True)
class JpegImage:
    """One page as a baseline JPEG (8-bit gray or RGB) and what its image dictionary needs."""

    data: bytes
    width: int
    height: int
    gray: bool
    #: (x, y) pixels per inch; the page is width × height pixels at this resolution.
    dpi: tuple[float, float]


def _number(value: float) -> str:
    # As pikepdf writes a real: no exponent, no trailing zeros.
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _unparse(obj) -> bytes:
    return obj.unparse(resolved=True)


class PdfAWriter:
    """Writes a PDF/A-2b file to `fh` (opened "wb" or "r+b"), page by page."""

    def __init__(self, fh: BinaryIO, *, title: str = "Scanned document", _state: dict | None = None) -> None:
        self.fh = fh
        self.title = title
        if _state is None:
            self.offsets: dict[int, int] = {}
            self.kids: list[int] = []
            self.next_obj = 3
            self.fh.write(HEADER)
            self.size = len(HEADER)
        else:
            self.offsets = {int(k): v for k, v in _state["offsets"].items()}
            self.kids = list(_state["kids"])
            self.next_obj = _state["next_obj"]
            self.size = _state["size"]
            self.title = _state.get("title", title)
            self.fh.seek(self.size)
            self.fh.truncate()

    @classmethod
    def resume(cls, fh: BinaryIO, state: dict) -> PdfAWriter:
        """Continue a document after its last complete page (bytes after it are dropped)."""
        return cls(fh, _state=state)

    @property
    def pages(self) -> int:
        return len(self.kids)

    def state(self) -> dict:
        """What `resume` needs (JSON-serialisable)."""
        return {
            "offsets": {str(k): v for k, v in self.offsets.items()},
            "kids": self.kids,
            "next_obj": self.next_obj,
            "size": self.size,
            "title": self.title,
        }

    # -- writing ---------------------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        self.fh.write(data)
        self.size += len(data)

    def _object(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[number] = self.size
        out = [f"{number} 0 obj\n".encode(), body]
        if stream is not None:
            out += [b"\nstream\n", stream, b"\nendstream"]
        out.append(b"\nendobj\n")
        self._write(b"".join(out))

    def _new(self) -> int:
        number = self.next_obj
        self.next_obj += 1
        return number

    @staticmethod
    def _stream_dict(stream, length: int) -> bytes:
        import pikepdf

        d = pikepdf.Dictionary({k: v for k, v in stream.stream_dict.items() if k != "/Length"})
        d.Length = length
        return _unparse(d)

    def add_page(self, page: bytes | JpegImage) -> None:
        """Append a page: a JPEG, or the page of a one-page PDF (img2pdf's output) whose images
        and content are copied as they are."""
        if isinstance(page, JpegImage):
            self._add_jpeg(page)
        else:
            self._add_pdf_page(page)

    def _add_jpeg(self, page: JpegImage) -> None:
        if page.width <= 0 or page.height <= 0 or not page.data.startswith(b"\xff\xd8"):
            raise PdfWriteError("the page is not a JPEG image")
        # img2pdf's default when a JPEG says nothing of its resolution.
        x_dpi, y_dpi = (d if d > 0 else 96 for d in page.dpi)
        width, height = page.width * 72 / x_dpi, page.height * 72 / y_dpi
        image = self._new()
        self._object(
            image,
            (
                f"<< /Type /XObject /Subtype /Image /Width {page.width} /Height {page.height} "
                f"/ColorSpace /{'DeviceGray' if page.gray else 'DeviceRGB'} /BitsPerComponent 8 "
                f"/Filter /DCTDecode /Length {len(page.data)} >>"
            ).encode(),
            page.data,
        )
        content = zlib.compress(b"q\n%0.4f 0 0 %0.4f 0.0000 0.0000 cm\n/Im0 Do\nQ" % (width, height))
        content_number = self._new()
        self._object(content_number, f"<< /Filter /FlateDecode /Length {len(content)} >>".encode(), content)
        page_number = self._new()
        self._object(
            page_number,
            (
                f"<< /Type /Page /Parent {PAGES} 0 R /MediaBox [ 0 0 {_number(width)} {_number(height)} ] "
                f"/Resources << /XObject << /Im0 {image} 0 R >> >> /Contents {content_number} 0 R >>"
            ).encode(),
        )
        self.kids.append(page_number)

    def _add_pdf_page(self, one_page_pdf: bytes) -> None:
        import pikepdf

        try:
            src = pikepdf.open(io.BytesIO(one_page_pdf))
        except pikepdf.PdfError as exc:
            raise PdfWriteError(f"the page is not a readable PDF: {exc}") from None
        with src:
            if len(src.pages) != 1:
                raise PdfWriteError(f"expected a one-page PDF, got {len(src.pages)} pages")
            page = src.pages[0].obj
            resources = page.get("/Resources", pikepdf.Dictionary())
            xobjects = resources.get("/XObject", pikepdf.Dictionary())
            refs = {}
            for name, image in xobjects.items():
                raw = image.read_raw_bytes()
                number = self._new()
                self._object(number, self._stream_dict(image, len(raw)), raw)
                refs[name] = number
            contents = page.get("/Contents")
            if contents is None or isinstance(contents, pikepdf.Array):
                raise PdfWriteError("the page needs exactly one content stream")
            raw = contents.read_raw_bytes()
            content_number = self._new()
            self._object(content_number, self._stream_dict(contents, len(raw)), raw)
            res = [f"{k} {_unparse(v).decode('latin-1')}" for k, v in resources.items() if k != "/XObject"]
            if refs:
                res.append("/XObject << " + " ".join(f"{k} {n} 0 R" for k, n in refs.items()) + " >>")
            other = [
                f"{k} {_unparse(v).decode('latin-1')}"
                for k, v in page.items()
                if k not in ("/Type", "/Parent", "/Resources", "/Contents")
            ]
            body = (
                f"<< /Type /Page /Parent {PAGES} 0 R {' '.join(other)} /Resources << {' '.join(res)} >> "
                f"/Contents {content_number} 0 R >>"
            )
            page_number = self._new()
            self._object(page_number, body.encode("latin-1"))
            self.kids.append(page_number)

    def close(self) -> None:
        """Page tree, output intent, metadata, catalog, cross-reference table and trailer."""
        if not self.kids:
            raise PdfWriteError("a PDF needs at least one page")
        xmp, info = _metadata(self.title)
        kids = " ".join(f"{k} 0 R" for k in self.kids)
        self._object(PAGES, f"<< /Type /Pages /Kids [ {kids} ] /Count {len(self.kids)} >>".encode())
        icc = zlib.compress(srgb_profile())
        icc_number = self._new()
        self._object(icc_number, f"<< /N 3 /Filter /FlateDecode /Length {len(icc)} >>".encode(), icc)
        meta_number = self._new()
        # PDF/A: the XMP stays uncompressed, readable without a PDF parser.
        self._object(meta_number, f"<< /Type /Metadata /Subtype /XML /Length {len(xmp)} >>".encode(), xmp)
        info_number = self._new()
        self._object(info_number, info)
        intent = (
            "<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) "
            f"/Info (sRGB IEC61966-2.1) /DestOutputProfile {icc_number} 0 R >>"
        )
        self._object(
            CATALOG,
            f"<< /Type /Catalog /Pages {PAGES} 0 R /Metadata {meta_number} 0 R /OutputIntents [ {intent} ] >>".encode(),
        )
        xref_at = self.size
        lines = [f"xref\n0 {self.next_obj}\n".encode(), b"0000000000 65535 f \n"]
        lines += [f"{self.offsets[n]:010d} 00000 n \n".encode() for n in range(1, self.next_obj)]
        doc_id = hashlib.md5(xmp + str(self.offsets).encode(), usedforsecurity=False).hexdigest()
        lines.append(
            f"trailer\n<< /Size {self.next_obj} /Root {CATALOG} 0 R /Info {info_number} 0 R "
            f"/ID [ <{doc_id}> <{doc_id}> ] >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
        )
        self._write(b"".join(lines))


def _metadata(title: str) -> tuple[bytes, bytes]:
    """The XMP packet and the Info dictionary pikepdf makes for a PDF/A-2b scan."""
    import pikepdf

    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    with pikepdf.new() as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdfaid:part"] = "2"
            meta["pdfaid:conformance"] = "B"
            meta["dc:title"] = title
            meta["xmp:CreatorTool"] = "dsm-kiosk"
            meta["xmp:CreateDate"] = now
            meta["xmp:ModifyDate"] = now
            meta["pdf:Producer"] = "dsm-kiosk"
        return pdf.Root.Metadata.read_bytes(), _unparse(pdf.docinfo)


_SRGB_ICC: bytes | None = None


def srgb_profile() -> bytes:
    """An sRGB ICC profile made by LittleCMS through Pillow (no ICC file needs to be installed)."""
    global _SRGB_ICC
    if _SRGB_ICC is None:
        from PIL import ImageCms

        _SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return _SRGB_ICC
