"""Scanned pages → documents in the DSM Format the scan ticket asks for.

Single-page formats make one document per page; multi-page formats one document per job. Pages
are encoded as they arrive (`add`) by a bounded pool of threads sized to the cores, and written
in page order, so encoding overlaps scanning. Pillow releases the GIL while it encodes JPEG or
raw TIFF into a file (never into a BytesIO), so the pool encodes into files (the document
itself, or a memfd); PNG and libtiff's encoders (G4, TIFF-JPEG) hold it either way. A
multi-page file grows page by page on disk and is never rewritten: `kiosk.pdfa.PdfAWriter` and
`kiosk.tiff.TiffWriter` append each page's objects as soon as it is encoded (a SendImage can send
the growing file, see `streaming_document`). Every finished document appears atomically (fsync,
rename), with the scan resolution stored in it.

Crash safety: after each page of a multi-page document the part file is fsynced and the writer's
state journaled (`.<n>.<ext>.state`); `written_pages()` tells the job which page files are now
safe to delete. `recover(folder)` completes an interrupted document from its journal and
re-encodes the page files that never reached it.

Memory bound: the pages being encoded (one image per pool thread, `workers` = the cores, at
most 4; about 35 MB each for an A4 300 ppi colour page, which Pillow holds as 4 bytes a pixel,
kept for the next page while the encoder runs, see _ImageMemory), a 512 KiB read buffer per
thread, and the encoded bytes until they are written; pages waiting for a thread are only
files. Never a whole document.

PDF/A-2b: img2pdf embeds each page's JPEG (or CCITT G4 for bilevel pages) without re-encoding
it; the writer adds the XMP identification and an sRGB output intent (see kiosk/pdfa.py).
"""

from __future__ import annotations

import collections
import contextlib
import errno
import json
import logging
import os
import re
import shutil
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from kiosk.durable import fsync_dir, write_durably
from kiosk.errors import ScannerError
from kiosk.pdfa import JpegImage
from kiosk.psp.model import ScanTicket
from kiosk.scanner import Page

log = logging.getLogger(__name__)

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
#: When the ticket has no CompressionQualityFactor: libjpeg's (and scanimage's) default. A dense
#: A4 office page (40 lines of text, a logo, a photo) at 300 ppi colour is 0.93 MB at 75 and
#: 1.13 MB at 85 (`make bench BENCH_ARGS=encoding`); lighter pages and 200 ppi are smaller.
DEFAULT_QUALITY = 75
#: Gray level at or above which a pixel is white when a page is made bilevel for G4.
G4_THRESHOLD = 128


class UnsupportedFormat(ScannerError):
    default_user_message = "This scan process asks for a file format the kiosk cannot produce."
    code = "imaging.format"


class UnreadablePage(ScannerError):
    """A page file no encoder can read (torn, or not an image): set aside, not tried again."""

    default_user_message = "A scanned page could not be read and was left out. Please check the job."


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

#: The file beside the pages that lets `recover` encode them after a crash.
SETTINGS_FILE = ".encoder.json"
#: The last page durably in a single-page document (pages up to it are not encoded again).
DONE_FILE = ".done.json"
_PAGE_FILE = re.compile(r"page-(\d+)\.pnm$")
_DOCUMENT_FILE = re.compile(r"(\d+)\.(jpg|png|tif|pdf)$")


#: Buffers from this size on get their own mapping, given back to the system when freed.
MMAP_THRESHOLD = 1024 * 1024
_malloc_tuned = False


def keep_page_buffers_unpooled() -> None:
    """Pin glibc's mmap threshold. By default it rises to the size of the largest block freed
    (up to 32 MiB), after which 26 MB page buffers come from the per-thread heaps and stay
    there: the kiosk's RSS then grows with the pages scanned (131 → 191 MiB for 5 → 50 jfif
    pages in `make bench`). A fixed threshold keeps it flat. No-op off glibc."""
    global _malloc_tuned
    if _malloc_tuned:
        return
    _malloc_tuned = True
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, MMAP_THRESHOLD)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


class _ImageMemory:
    """Keeps Pillow's freed image memory for the next page while any encoder runs.

    Pillow allocates images in blocks (16 MiB) and frees them when an image goes; with the mmap
    threshold pinned (keep_page_buffers_unpooled) each block is then a fresh mapping that the
    kernel fills page by page, and a 35 MiB colour page loaded in 18 ms instead of 10. While
    encoders run, a page fits in one block and up to `images` freed blocks are kept: the next
    page of the same size takes one as it is. Kept blocks never raise the peak (only blocks of
    finished pages are kept, and the next page takes them); all is given back when the last
    encoder ends."""

    #: Never a block larger than this (an A4 600 ppi colour page, 140 MB, takes a few).
    MAX_BLOCK = 64 * 1024 * 1024
    MAX_BLOCKS = 16

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._blocks = 0
        self._default_block: int | None = None

    def hold(self) -> None:
        with self._lock:
            self._users += 1

    def fit(self, image_bytes: int, images: int) -> None:
        """Room for `images` images of `image_bytes` each (a page being encoded per thread)."""
        core = Image.core
        if not hasattr(core, "set_blocks_max") or not hasattr(core, "set_block_size"):
            return
        with self._lock:
            if not self._users:
                return
            if self._default_block is None:
                self._default_block = core.get_block_size()
            block = core.get_block_size()
            wanted = min(self.MAX_BLOCK, -(-image_bytes // (1 << 20)) << 20)
            if wanted > block:
                core.set_block_size(wanted)
                block = wanted
            blocks = min(self.MAX_BLOCKS, -(-image_bytes // block) * images)
            if blocks > self._blocks:
                self._blocks = blocks
                core.set_blocks_max(blocks)

    def release(self) -> None:
        with self._lock:
            self._users = max(0, self._users - 1)
            if self._users or self._default_block is None:
                return
            Image.core.set_blocks_max(0)  # also frees what was kept
            Image.core.set_block_size(self._default_block)
            self._blocks, self._default_block = 0, None


IMAGE_MEMORY = _ImageMemory()


def _encoded(save) -> bytes:
    """What `save(file)` writes, through an in-memory file with a descriptor (see _encode_page)."""
    fd = os.memfd_create("encoded-page", os.MFD_CLOEXEC)
    with open(fd, "w+b") as fh:
        save(fh)
        fh.flush()
        return os.pread(fd, os.fstat(fd).st_size, 0)


def _set_aside(path: Path, exc: BaseException) -> None:
    """A page file no encoder can read: kept beside the others as `*.unreadable` for the
    administrator (as `recover` does), so that the pages after it go on."""
    log.error("page file %s cannot be encoded (%s): set aside, the job goes on without it", path, exc)
    with contextlib.suppress(OSError):
        os.replace(path, path.with_name(path.name + ".unreadable"))


def no_room(folder: Path, exc: BaseException) -> bool:
    """Whether `exc`, met while encoding the page files of `folder`, is a full disk: by its
    errno, or, as codecs report it without one (libtiff: "encoder error -9"), by too little room
    left to encode the largest page file there twice over."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    try:
        largest = max((p.stat().st_size for p in folder.iterdir() if p.is_file()), default=0)
        return shutil.disk_usage(folder).free < 2 * largest + 16 * 1024 * 1024
    except OSError:
        return False


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


#: Bytes of a colour page file read at a time by _load (whole lines of it).
LOAD_BAND = 512 * 1024


def _load(path: Path) -> Image.Image:
    """A page file as an image. A colour page is read in large bands into one buffer, each
    unpacked as it arrives: Pillow's own loader reads 64 KiB at a time into new bytes objects,
    with the GIL held (17 ms per A4 300 ppi page in the encoder pool against 12 here), and
    mapping the whole file instead would count it in the process's memory (+26 MB a thread)."""
    with Image.open(path) as image:
        tile: Any = image.tile[0] if len(image.tile) == 1 else None
        if image.mode != "RGB" or tile is None or tile[0] != "raw" or not hasattr(Image, "_getdecoder"):
            image.load()
            return image
        rawmode = tile[3] if isinstance(tile[3], str) else tile[3][0]
        stride = image.width * 3
        out = Image.new("RGB", image.size)
        decoder = Image._getdecoder("RGB", "raw", (rawmode, 0, 1))
        decoder.setimage(out.im, (0, 0, *image.size))
        band = bytearray(max(1, LOAD_BAND // stride) * stride)
        try:
            with open(path, "rb", buffering=0) as fh, memoryview(band) as view:
                fh.seek(tile[2])
                left = stride * image.height
                while left > 0:
                    want = min(left, len(band))
                    got = 0
                    while got < want:
                        n = fh.readinto(view[got:want])
                        if not n:
                            raise OSError(f"{path}: the page file ends {left - got} bytes early")
                        got += n
                    decoder.decode(view[:want])
                    left -= want
        finally:
            decoder.cleanup()
        return out


class DocumentEncoder:
    """Encodes the pages of one job into documents of `format` in `folder`."""

    def __init__(
        self,
        format: str,
        folder: Path,
        *,
        quality: int = DEFAULT_QUALITY,
        first_document_id: int = 1,
        title: str = "",
        workers: int | None = None,
        on_encoded: Callable[[], None] | None = None,
    ) -> None:
        if format not in FORMATS:
            raise UnsupportedFormat(f"unsupported document format {format!r}")
        self.format = format
        self.folder = Path(folder)
        self.quality = quality
        self.title = title
        self.workers = workers or default_workers()
        #: Called from a pool thread when a page is encoded, so that the caller writes it
        #: (`collect`) without waiting for the next page; it must not block.
        self.on_encoded = on_encoded
        self._ext, self._kind = FORMATS[format]
        self._next_id = first_document_id
        self._pages = 0
        self._part: Path | None = None
        self._fh: Any = None
        self._writer: Any = None
        self._pool: ThreadPoolExecutor | None = None
        self._memory_held: weakref.finalize | None = None
        self._queue: collections.deque[tuple[Page, Future[Path | bytes | JpegImage]]] = collections.deque()
        self._written: list[Path] = []
        self._unencoded: list[Page] = []
        self._unreturned: list[Document] = []
        #: Why the multi-page document in progress cannot take more pages (a failed write).
        self._broken: BaseException | None = None
        self._settings_written = False
        self.folder.mkdir(parents=True, exist_ok=True)
        keep_page_buffers_unpooled()

    def _path(self, document_id: int) -> Path:
        return self.folder / f"{document_id}.{self._ext}"

    def _document(self, path: Path, pages: int) -> Document:
        doc = Document(self._next_id, path, self.format, pages, path.stat().st_size)
        self._next_id += 1
        return doc

    # -- the pipeline ----------------------------------------------------------------------------

    #: `add` takes `wait`, and `on_encoded` / `collect` write each page once it is encoded.
    pipelined = True

    def add(self, page: Page, *, wait: bool = True) -> list[Document]:
        """Read one page and hand it to the pool; returns the documents completed (single-page
        formats), in page order. `wait`: encode every page handed in before returning;
        otherwise up to `workers` pages stay in the pool (their documents come from the next
        `add`, or from `collect` once `on_encoded` has said a page is done)."""
        try:
            self._check_usable()
            if not self._settings_written:
                settings = {"format": self.format, "quality": self.quality, "title": self.title, "dpi": list(page.dpi)}
                write_durably(self.folder / SETTINGS_FILE, lambda fh: fh.write(json.dumps(settings).encode()))
                self._settings_written = True
        except BaseException:
            self._unencoded.append(page)  # not taken in: the caller may hand it in again
            raise
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="encode")
            IMAGE_MEMORY.hold()
            # Given back when the pool ends, or when an encoder nobody finished is collected.
            self._memory_held = weakref.finalize(self, IMAGE_MEMORY.release)
        IMAGE_MEMORY.fit(page.width * page.height * 4, self.workers + 1)
        # The page is read in the pool too: a page waiting for a thread holds no memory.
        future = self._pool.submit(self._encode_page, Path(page.path), page.index, page.dpi)
        if self.on_encoded is not None:
            notify = self.on_encoded
            future.add_done_callback(lambda _future: notify())
        self._queue.append((page, future))
        return self._drain(0 if wait else self.workers)

    def collect(self) -> list[Document]:
        """The documents of the pages encoded so far, in page order, without waiting for the
        others."""
        self._check_usable()
        return self._drain(len(self._queue))

    def _check_usable(self) -> None:
        if self._broken is not None:
            raise ScannerError(
                f"the document being written in {self.folder} could not take a page ({self._broken}):"
                " it is completed from its journal (recover)",
                user_message="The kiosk cannot store scanned pages (disk full?).",
            )

    def _drain(self, limit: int, on_written: Callable[[list[Document]], None] | None = None) -> list[Document]:
        # Documents written before a failure in an earlier call come first.
        docs, self._unreturned = self._unreturned, []
        if on_written is not None and docs:
            on_written(docs)
            docs = []
        while self._queue and (len(self._queue) > limit or self._queue[0][1].done()):
            page, future = self._queue.popleft()
            encoded = False
            try:
                data = future.result()
                encoded = True
                written = self._write(page, data)
            except Exception as exc:
                if isinstance(exc, UnreadablePage):  # trying again would fail again
                    _set_aside(Path(page.path), exc)
                else:
                    # Encoding it failed (a full disk: codecs often say so without an errno), or
                    # writing it did, and nothing of it counts as done (see _write): it and the
                    # pages behind it go back to the caller. A multi-page document cannot take
                    # the page again in place: it is left to `recover` (truncated to its journal).
                    if encoded and self._kind == "multi":
                        self._broken = exc
                    self._unencoded.append(page)
                self._cancel_queue()
                self._unreturned = docs  # written, but nobody has them yet: the next call's
                raise
            if on_written is None:
                docs += written
            else:
                on_written(written)
        return docs

    def _cancel_queue(self) -> None:
        for page, future in self._queue:
            self._unencoded.append(page)
            # One already running is waited for: it must not write its file after this page is
            # handed in again (same temporary name).
            if not future.cancel() and future.exception() is None:
                encoded = future.result()
                if isinstance(encoded, Path):  # a single-page document nobody will write
                    encoded.unlink(missing_ok=True)
        self._queue.clear()

    def take_unencoded(self) -> list[Page]:
        """The pages handed in that are in no document because encoding failed (the failing
        page first, then those queued behind it), in page order: the caller may hand them in
        again."""
        out, self._unencoded = self._unencoded, []
        return out

    def stop(self) -> None:
        """Stop encoding and leave the folder as a crash would: the pages not yet written stay
        page files, the journal and settings stay, so that `recover` completes the job."""
        self._cancel_queue()
        self._shutdown()
        if self._fh is not None:
            # Closed now, not when this encoder is collected: a buffered write landing then
            # would go into the file recover has taken over.
            with contextlib.suppress(OSError):
                self._fh.close()
            self._fh, self._writer = None, None

    def flush(self, on_written: Callable[[list[Document]], None] | None = None) -> list[Document]:
        """Write every page handed in so far (the end of a feeder load). The pool ends too: the
        page images it keeps for the next page go back while the user decides on "Scan more".
        `on_written`: called with each page's documents (none while a multi-page document
        grows) as soon as that page is written, instead of returning them all at the end: the
        last page's encoding then no longer holds back the documents before it."""
        docs = self._drain(0, on_written)
        self._shutdown()
        return docs

    def written_pages(self) -> list[Path]:
        """Page files whose content is now durable in a document (the job may delete them)."""
        out, self._written = self._written, []
        return out

    def finish(self) -> list[Document]:
        """Encode what is left; completes the multi-page document (none if no page was added)."""
        self._check_usable()
        try:
            docs = self._drain(0)
        finally:
            self._shutdown()  # no pool thread goes on writing after a failure either
        if self._kind == "multi" and self._pages:
            assert self._writer is not None and self._part is not None
            self._writer.close()
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            path = self._path(self._next_id)
            self._part.replace(path)  # from here on `recover` adopts the finished file
            fsync_dir(path.parent)
            self._state_path().unlink(missing_ok=True)
            docs.append(self._document(path, self._pages))
            self._pages, self._part, self._fh, self._writer = 0, None, None, None
        if self._settings_written:
            (self.folder / SETTINGS_FILE).unlink(missing_ok=True)
            (self.folder / DONE_FILE).unlink(missing_ok=True)
            self._settings_written = False
        return docs

    def abort(self) -> None:
        """Drop a multi-page document in progress (the pages themselves stay)."""
        self.stop()
        for encoded in self.folder.glob(".page-*.part"):  # encoded, never written
            encoded.unlink(missing_ok=True)
        if self._part is not None:
            self._part.unlink(missing_ok=True)
            self._state_path().unlink(missing_ok=True)
        (self.folder / SETTINGS_FILE).unlink(missing_ok=True)
        (self.folder / DONE_FILE).unlink(missing_ok=True)
        self._settings_written = False
        self._pages, self._part, self._fh, self._writer = 0, None, None, None

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
            if self._memory_held is not None:
                self._memory_held()

    # -- encoding (pool threads) -----------------------------------------------------------------

    def _encode_page(self, path: Path, index: int, dpi) -> Path | bytes | JpegImage:
        """One page for the writer: a single-page document already on disk (fsynced, under a
        temporary name), a one-page TIFF, or a PDF page (a JPEG, or a one-page PDF for bilevel
        pages). Encoders write to a file descriptor, never to a BytesIO: Pillow releases the GIL
        for JPEG and raw TIFF only when it encodes to a file, so only then do the pool's threads
        encode in parallel."""
        try:
            image = _load(path)
        except (OSError, ValueError, SyntaxError) as exc:
            if isinstance(exc, OSError) and exc.errno is not None:
                raise  # the storage (EIO, EMFILE, ...): tried again
            raise UnreadablePage(f"page file {path.name} cannot be read: {exc}") from exc
        if self._kind == "single":
            tmp = self.folder / f".page-{index}.{self._ext}.part"
            try:
                with open(tmp, "wb") as fh:
                    self._save_single(image, fh, dpi)
                    fh.flush()
                    os.fsync(fh.fileno())
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            return tmp
        if self.format == "pdf-a":
            return self._pdf_page(image, dpi)
        frame, options = self._tiff_frame(image)
        return _encoded(lambda fh: frame.save(fh, format="TIFF", dpi=dpi, **options))

    def _save_single(self, image: Image.Image, fh, dpi) -> None:
        if self.format == "jfif":
            _eight_bit(image).save(fh, format="JPEG", quality=_jpeg_quality(self.quality), dpi=dpi, optimize=False)
        elif self.format == "png":
            _lossless(image).save(fh, format="PNG", dpi=dpi, compress_level=6)
        elif self.format == "tiff-single-g4":
            _bilevel(image).save(fh, format="TIFF", compression="group4", dpi=dpi)
        else:
            _lossless(image).save(fh, format="TIFF", compression="raw", dpi=dpi)

    def _tiff_frame(self, image: Image.Image) -> tuple[Image.Image, dict]:
        if self.format == "tiff-multi-g4":
            return _bilevel(image), {"compression": "group4"}
        if self.format == "tiff-multi-jpeg-tn2":
            # compression 7 ("new-style" JPEG of TIFF Technical Note 2), via libtiff
            return _eight_bit(image), {"compression": "tiff_jpeg", "quality": _jpeg_quality(self.quality)}
        return _lossless(image), {"compression": "raw"}

    def _pdf_page(self, image: Image.Image, dpi) -> bytes | JpegImage:
        if image.mode == "1":
            import img2pdf

            g4 = _encoded(lambda fh: image.save(fh, format="TIFF", compression="group4", dpi=dpi))
            return img2pdf.convert(g4, rotation=img2pdf.Rotation.ifvalid)
        # No PDF in between: the JPEG goes into the document as it is (one copy of it per page).
        image = _eight_bit(image)
        jpeg = _encoded(lambda fh: image.save(fh, format="JPEG", quality=_jpeg_quality(self.quality), dpi=dpi))
        return JpegImage(jpeg, image.width, image.height, image.mode == "L", tuple(dpi))

    # -- writing (caller's thread, page order) ---------------------------------------------------

    def _write(self, page: Page, data: Path | bytes | JpegImage) -> list[Document]:
        if self._kind == "single":
            assert isinstance(data, Path)
            path = self._path(self._next_id)
            # Which pages are in documents: after a crash before the job deleted this page
            # file, `recover` must not make a second document of it. The document is complete
            # under a temporary name before the page is noted done (with the document's name),
            # and renamed into place after: `recover` finds the page either not done (the
            # temporary file is dropped) or done in a complete file (renamed into place there).
            tmp = path.with_name(f".{path.name}.part")
            os.replace(data, tmp)  # written and fsynced by the pool
            done = json.dumps({"last_page": page.index, "document": path.name}).encode()
            write_durably(self.folder / DONE_FILE, lambda fh: fh.write(done))
            os.replace(tmp, path)
            try:
                fsync_dir(path.parent)
            except OSError as exc:  # in place and noted done: recover() would rename it again
                log.warning("%s: the folder's entry is not synced yet: %s", path, exc)
            self._written.append(Path(page.path))
            return [self._document(path, 1)]
        if self._writer is None:
            self._part = self.folder / f".{self._next_id}.{self._ext}.part"
            self._fh = open(self._part, "wb")  # noqa: SIM115 - kept open while the document grows
            self._writer = self._new_writer(self._fh)
        self._writer.add_page(data)
        self._pages += 1
        self._journal(page.index)
        self._written.append(Path(page.path))
        return []

    def _new_writer(self, fh):
        from kiosk.pdfa import PdfAWriter
        from kiosk.tiff import TiffWriter

        if self.format == "pdf-a":
            return PdfAWriter(fh, title=self.title or "Scanned document")
        return TiffWriter(fh)

    def _state_path(self) -> Path:
        assert self._part is not None
        return self._part.with_name(self._part.name[: -len(".part")] + ".state")

    def _journal(self, last_page: int) -> None:
        # The part file first: the journal never points past what is on disk.
        self._fh.flush()
        os.fsync(self._fh.fileno())
        state = {"document_id": self._next_id, "pages": self._pages, "last_page": last_page}
        state["writer"] = self._writer.state()
        write_durably(self._state_path(), lambda fh: fh.write(json.dumps(state).encode()))

    def _resume(self, part: Path, state: dict) -> None:
        from kiosk.pdfa import PdfAWriter
        from kiosk.tiff import TiffWriter

        self._next_id = state["document_id"]
        self._part = part
        self._fh = open(part, "r+b")  # noqa: SIM115
        cls = PdfAWriter if self.format == "pdf-a" else TiffWriter
        self._writer = cls.resume(self._fh, state["writer"])
        self._pages = state["pages"]


def streaming_document(folder: Path) -> Path | None:
    """The multi-page document being written in `folder` (a job's work folder), once it has a
    complete page: a SendImage may send it while it grows. None when there is none."""
    for state in sorted(Path(folder).glob(".*.state")):
        part = state.with_name(state.name[: -len(".state")] + ".part")
        if part.exists():
            return part
    return None


def _page_count(path: Path, fmt: str) -> int:
    if FORMATS[fmt][1] == "single":
        return 1
    try:
        if fmt == "pdf-a":
            import pikepdf

            with pikepdf.open(path) as pdf:
                return len(pdf.pages)
        with Image.open(path) as im:
            return getattr(im, "n_frames", 1)
    except Exception:  # the count is only for the listing
        return 1


def recover(folder: Path, *, format: str | None = None, workers: int | None = None) -> list[Document]:
    """After a crash: the documents of `folder` (a job's work folder) that never reached the
    spool, in order. Finished files are adopted as they are (they were fsynced before their
    name appeared); the document that was being written is finished from its journal; page
    files that never reached a document are encoded. `format` is the job's (for adopted files
    when the encoder's settings are gone). Page files are deleted once they are in a document."""
    folder = Path(folder)
    try:
        settings = json.loads((folder / SETTINGS_FILE).read_text())
    except FileNotFoundError:
        settings = None
    except (OSError, ValueError) as exc:
        raise ScannerError(f"{folder / SETTINGS_FILE} cannot be read: {exc}") from None
    fmt = settings["format"] if settings is not None else format
    done: dict[str, Any] = {}
    if settings is not None:
        try:
            done = json.loads((folder / DONE_FILE).read_text())
        except FileNotFoundError:
            pass
        pending = done.get("document")
        if pending and (folder / f".{pending}.part").exists():
            # Noted done after it was complete: the rename into place is all that is missing.
            os.replace(folder / f".{pending}.part", folder / pending)
            fsync_dir(folder)
    docs: list[Document] = []
    if fmt is not None:
        for path in sorted(folder.iterdir(), key=lambda p: (len(p.name), p.name)):
            m = _DOCUMENT_FILE.match(path.name)
            if m and m.group(2) == FORMATS[fmt][0]:
                docs.append(Document(int(m.group(1)), path, fmt, _page_count(path, fmt), path.stat().st_size))
    if settings is None:
        # Settings go last in finish(): every page left over is in the finished files.
        return docs
    encoder = DocumentEncoder(
        settings["format"],
        folder,
        quality=settings["quality"],
        title=settings["title"],
        workers=workers,
        first_document_id=max((d.document_id for d in docs), default=0) + 1,
    )
    encoder._settings_written = True
    done_up_to = done.get("last_page", 0)
    state_file = next(iter(sorted(folder.glob(".*.state"))), None)
    if state_file is not None:
        state = json.loads(state_file.read_text())
        part = state_file.with_name(state_file.name[: -len(".state")] + ".part")
        if part.exists():
            encoder._resume(part, state)
            done_up_to = max(done_up_to, state["last_page"])
        else:  # renamed into place by finish(): it holds every page handed in
            done_up_to = 1 << 62
            state_file.unlink()
    for leftover in folder.glob(".*.part"):
        if encoder._part is None or leftover != encoder._part:
            leftover.unlink()  # a part without a journal holds no complete page
    pages = []
    for path in folder.iterdir():
        m = _PAGE_FILE.match(path.name)
        if m:
            pages.append((int(m.group(1)), path))
    dpi = tuple(settings["dpi"])
    try:
        for index, path in sorted(pages):
            if index <= done_up_to:
                path.unlink()  # already in a document
                continue
            try:
                image = _load(path)  # read whole here: a torn page must not sink the pages after it
            except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
                # Only a power cut before its late fsync (or with sync_page_files = false) leaves one: kept aside.
                _set_aside(path, exc)
                continue
            page = Page(index, path, image.width, image.height, image.mode, dpi)
            del image
            try:
                docs += encoder.add(page)
            except Exception as exc:
                if encoder._broken is not None or no_room(folder, exc):
                    raise
                # With room on the disk, a page that fails to encode fails every time (a page
                # taller than JPEG allows): it alone is set aside, the pages after it go on.
                encoder.take_unencoded()
                _set_aside(path, exc)
        docs += encoder.finish()
    except BaseException:
        encoder.stop()  # its files closed now, before the next attempt takes them over
        raise
    for path in encoder.written_pages():
        path.unlink(missing_ok=True)
    log.info("recovered %d document(s) in %s", len(docs), folder)
    return docs
