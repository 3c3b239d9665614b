"""Multi-page documents written page by page: append-only files, valid PDF/A and TIFF, content
as img2pdf / Pillow make it, parallel encoding in page order, and recovery after a crash."""

from __future__ import annotations

import io
import os
import re

import img2pdf
import pikepdf
import pytest
from PIL import Image, TiffImagePlugin

from hardware.fake_scanner import FakeScanner
from kiosk import imaging
from kiosk.imaging import DocumentEncoder, recover, streaming_document
from kiosk.scanner import ScanSettings


def scan(folder, mode="RGB24", pages=4, resolution=(100, 100)):
    settings = ScanSettings(source="ADF", color_processing=mode, resolution=resolution, images_to_transfer=pages)
    return list(FakeScanner(sheets=pages).scan(settings, folder))


@pytest.fixture
def pages(tmp_path):
    # Colour, bilevel, and gray at unequal resolutions (the page size in points follows each).
    return (
        scan(tmp_path / "pages")
        + scan(tmp_path / "pages", "BlackAndWhite1", 1)
        + scan(tmp_path / "pages", "Grayscale8", 1, (150, 200))
    )


def grow(fmt, pages, folder, **kw):
    """Encode `pages`, keeping a copy of the growing file after each page."""
    encoder = DocumentEncoder(fmt, folder, **kw)
    snapshots = []
    for page in pages:
        assert encoder.add(page) == []
        snapshots.append(streaming_document(folder).read_bytes())
    (doc,) = encoder.finish()
    return doc, snapshots


def check_pdfa(path, pages: int, title: str) -> None:
    """What can be checked of PDF/A-2b without veraPDF (not installable from Debian or PyPI)."""
    data = path.read_bytes()
    assert data.startswith(b"%PDF-1.7\n%") and all(b > 127 for b in data[10:14])  # binary comment
    assert data.endswith(b"%%EOF\n")
    xref_at = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))
    table = data[xref_at:].split(b"trailer")[0].split(b"\n")[2:]
    for number, entry in enumerate(table[1:], start=1):
        if entry:  # every cross-reference entry points at its object
            assert data[int(entry[:10]) :].startswith(f"{number} 0 obj\n".encode())
    assert b"/Encrypt" not in data and b"/JavaScript" not in data
    for m in re.finditer(rb"stream\r?\n", data):  # PDF/A: EOL after "stream" and before "endstream"
        assert data[m.start() - 1 : m.start()] in (b"\n", b"d") or data[m.start() - 3 : m.start()] == b"end"
    with pikepdf.open(path) as pdf:
        assert pdf.check_pdf_syntax() == []  # qpdf's own check: no damage, no xref reconstruction
        assert len(pdf.pages) == pages and pdf.pdf_version == "1.7"
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"], meta["dc:title"]) == ("2", "B", title)
        assert "/Filter" not in pdf.Root.Metadata
        assert str(pdf.docinfo.Title) == title and str(pdf.docinfo.Producer) == meta["pdf:Producer"]
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == pikepdf.Name.GTS_PDFA1 and intent.DestOutputProfile.N == 3
        assert len(pdf.trailer.ID) == 2
        for page in pdf.pages:
            for image in page.Resources.XObject.values():
                assert "/Interpolate" not in image and "/Alternates" not in image


def test_pdf_a_grows_append_only_and_is_valid(pages, tmp_path):
    doc, snapshots = grow("pdf-a", pages, tmp_path / "docs", quality=70, title="Invoices")
    final = doc.path.read_bytes()
    sizes = [len(s) for s in snapshots]
    assert sizes == sorted(set(sizes)) and all(final.startswith(s) for s in snapshots)
    assert (doc.pages, doc.size) == (6, len(final))
    check_pdfa(doc.path, 6, "Invoices")
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["1.pdf"]


def test_pdf_a_pages_are_img2pdf_pages(pages, tmp_path):
    """The same images and content streams as img2pdf makes from the page's JPEG / G4."""
    doc, _ = grow("pdf-a", pages, tmp_path / "docs", quality=70)
    with pikepdf.open(doc.path) as pdf:
        for page, scanned in zip(pdf.pages, pages, strict=True):
            with Image.open(scanned.path) as im:
                encoded = io.BytesIO()
                if im.mode == "1":
                    im.save(encoded, format="TIFF", compression="group4", dpi=scanned.dpi)
                else:
                    im.save(encoded, format="JPEG", quality=70, dpi=scanned.dpi)
            with pikepdf.open(io.BytesIO(img2pdf.convert(encoded.getvalue()))) as ref:
                want = ref.pages[0]
                assert [float(v) for v in page.mediabox] == [float(v) for v in want.mediabox]
                (got_image,) = page.Resources.XObject.values()
                (want_image,) = want.Resources.XObject.values()
                assert got_image.read_raw_bytes() == want_image.read_raw_bytes()
                assert {k: str(v) for k, v in got_image.items() if k != "/Length"} == {
                    k: str(v) for k, v in want_image.items() if k != "/Length"
                }
                assert page.Contents.read_bytes() == want.Contents.read_bytes()


@pytest.mark.parametrize("fmt", ["tiff-multi-uncompressed", "tiff-multi-g4", "tiff-multi-jpeg-tn2"])
def test_multi_page_tiff_grows_append_only_with_pillows_frames(pages, tmp_path, fmt):
    doc, snapshots = grow(fmt, pages, tmp_path / "docs", quality=70)
    final = doc.path.read_bytes()
    assert all(final.startswith(s) for s in snapshots) and doc.pages == len(pages) == 6
    # What the encoder made before: Pillow's AppendingTiffWriter, frame by frame.
    ref_path = tmp_path / "ref.tif"
    encoder = DocumentEncoder(fmt, tmp_path / "unused", quality=70)
    for n, page in enumerate(pages):
        with Image.open(page.path) as im:
            frame, options = encoder._tiff_frame(im)
            with TiffImagePlugin.AppendingTiffWriter(str(ref_path), new=n == 0) as tiff:
                frame.save(tiff, format="TIFF", dpi=page.dpi, **options)
                tiff.newFrame()
    with Image.open(doc.path) as got, Image.open(ref_path) as want:
        assert got.n_frames == want.n_frames == 6
        for n in range(6):  # Pillow reads every frame, and each is the same as before
            got.seek(n)
            want.seek(n)
            assert (got.mode, got.size, got.info.get("compression"), got.info.get("dpi")) == (
                want.mode,
                want.size,
                want.info.get("compression"),
                want.info.get("dpi"),
            )
            assert got.tobytes() == want.tobytes()
            assert dict(got.tag_v2).keys() == dict(want.tag_v2).keys()


def test_parallel_encoding_keeps_page_order(tmp_path):
    pages = scan(tmp_path / "pages", pages=7)
    encoder = DocumentEncoder("png", tmp_path / "docs", workers=3)
    docs = []
    for page in pages:
        docs += encoder.add(page, wait=False)
        assert len(encoder._queue) <= 3  # the memory bound: at most `workers` pages in the pool
    docs += encoder.finish()
    assert [d.document_id for d in docs] == list(range(1, 8))
    for doc, page in zip(docs, pages, strict=True):
        with Image.open(doc.path) as got, Image.open(page.path) as want:
            assert got.tobytes() == want.tobytes()
    assert encoder.written_pages() == [p.path for p in pages]
    assert encoder.written_pages() == []


@pytest.mark.parametrize("fmt", ["pdf-a", "tiff-multi-g4"])
def test_recover_completes_the_document_and_encodes_the_pages_left(tmp_path, fmt):
    """Killed after 3 of 5 pages were written (the engine deleted those page files) and one
    more scanned but not encoded: the document comes back with all 4 pages."""
    work = tmp_path / "work"
    pages = scan(work, pages=4)
    encoder = DocumentEncoder(fmt, work, title="Contracts")
    for page in pages[:3]:
        encoder.add(page)
    for path in encoder.written_pages()[:2]:  # the third page's deletion never happened
        path.unlink()
    encoder._fh.write(b"half of the next page")  # the crash mid-write
    encoder._fh.close()
    encoder._shutdown()
    (doc,) = recover(work)
    assert doc.pages == 4 and doc.path == work / f"1.{doc.path.suffix[1:]}"
    assert sorted(p.name for p in work.iterdir()) == [doc.path.name]
    if fmt == "pdf-a":
        check_pdfa(doc.path, 4, "Contracts")
    else:
        with Image.open(doc.path) as im:
            assert im.n_frames == 4
            for n in range(4):
                im.seek(n)
                im.load()


def test_recover_single_page_format_encodes_leftover_pages(tmp_path):
    work = tmp_path / "work"
    pages = scan(work, pages=3)
    encoder = DocumentEncoder("jfif", work, quality=60)
    (first,) = encoder.add(pages[0])
    first.path.unlink()  # stored by the job: it moved to the job's folder
    pages[0].path.unlink()
    docs = recover(work)
    assert [d.pages for d in docs] == [1, 1] and all(d.path.read_bytes()[:2] == b"\xff\xd8" for d in docs)
    assert not [p for p in work.iterdir() if p.name.startswith("page-")]


def test_recover_without_anything_to_do(tmp_path):
    assert recover(tmp_path) == []
    (tmp_path / imaging.SETTINGS_FILE).write_text("{not json")
    with pytest.raises(imaging.ScannerError):
        recover(tmp_path)


@pytest.mark.parametrize("fmt", ["pdf-a", "tiff-multi-g4"])
def test_a_killed_multi_page_scan_delivers_the_pages_it_had(tmp_path, fmt):
    """The scanning process dies with 2 pages in the growing document and a third scanned but
    not encoded: the next worker completes the document from the journal and delivers all 3
    (before, the job ended Canceled, "nothing was scanned")."""
    from hardware.fake_scanner import FakeScanner as InterfaceFake
    from kiosk.jobs import Engine
    from kiosk.jobs import spool as sp
    from kiosk.psp.model import Setting
    from tests.fixtures.jobs_fakes import FakeServer
    from tests.fixtures.jobs_support import User, process, settings

    server = FakeServer()
    first = Engine(settings(tmp_path), InterfaceFake(sheets=2), clients=server.client, deliver=False)
    proc = process(fmt)
    ticket = type(proc.ticket)(**{**proc.ticket.__dict__, "input_source": Setting("ADF")})
    job = first.start(User(), proc, ticket)
    assert job.scan_load() == 2
    work = first.spool.work_dir(job.job_id)
    assert streaming_document(work) is not None and not list(work.glob("page-*"))
    (third,) = scan(tmp_path / "later", pages=1)
    third.path.replace(work / "page-0003.pnm")  # scanned, then the process died
    job._encoder._fh.write(b"half a page")
    job._encoder._fh.close()
    job._close()  # no finish(): the scan lock is released as the kernel would
    first.close()
    second = Engine(settings(tmp_path), InterfaceFake(sheets=0), clients=server.client)
    final = second.wait_final(job.job_id, 20)
    second.close()
    assert final.state == sp.COMPLETED and "interrupted" in final.reason
    (sjob,) = server.jobs.values()
    (data,) = sjob.images.values()
    path = tmp_path / f"delivered.{'pdf' if fmt == 'pdf-a' else 'tif'}"
    path.write_bytes(data)
    if fmt == "pdf-a":
        check_pdfa(path, 3, "Invoices")
    else:
        with Image.open(path) as im:
            assert im.n_frames == 3


def test_recover_never_makes_a_page_twice(tmp_path):
    """Single-page format: page 1's document was stored but its page file not yet deleted; page
    2's document was written but not stored; page 3 was never encoded."""
    work = tmp_path / "work"
    pages = scan(work, pages=3)
    encoder = DocumentEncoder("png", work)
    (first,) = encoder.add(pages[0])
    first.path.rename(tmp_path / "stored-1.png")  # the job stored it; the crash came before the unlink
    (second,) = encoder.add(pages[1])
    docs = recover(work, format="png")
    assert [d.path.name for d in docs] == ["2.png", "3.png"] and docs[0].path == second.path
    with Image.open(docs[1].path) as got, Image.open(tmp_path / "stored-1.png") as other:
        assert got.tobytes() != other.tobytes()  # page 3, not page 1 again
    assert not list(work.glob("page-*"))


def test_recover_adopts_a_finished_document_the_job_never_stored(tmp_path):
    work = tmp_path / "work"
    pages = scan(work, pages=2)
    encoder = DocumentEncoder("pdf-a", work)
    for page in pages:
        encoder.add(page)
    (doc,) = encoder.finish()  # the crash comes before the job stores it and drops the pages
    assert recover(work, format="pdf-a") == [doc]
    check_pdfa(doc.path, 2, "Scanned document")


def test_recover_never_makes_a_page_twice_after_a_crash_between_document_and_journal(tmp_path, monkeypatch):
    """Single-page format: page 2's document is on disk, the process dies before the encoder
    notes page 2 as done (review): recover must not encode page 2 a second time."""
    work = tmp_path / "work"
    pages = scan(work, pages=3)
    encoder = DocumentEncoder("png", work)
    encoder.add(pages[0])
    real = imaging.write_durably

    def crash_at_done(path, write, **kw):
        if path.name == imaging.DONE_FILE and encoder._next_id == 2:
            raise SystemExit("killed")
        return real(path, write, **kw)

    monkeypatch.setattr(imaging, "write_durably", crash_at_done)
    with pytest.raises(SystemExit):
        encoder.add(pages[1])
    monkeypatch.setattr(imaging, "write_durably", real)
    encoder._shutdown()
    docs = recover(work, format="png")
    assert [d.path.name for d in docs] == ["1.png", "2.png", "3.png"]
    images = []
    for doc in docs:
        with Image.open(doc.path) as im:
            images.append(im.tobytes())
    assert len(set(images)) == 3  # three different pages, none twice
    assert not list(work.glob("page-*")) and not list(work.glob(".*.part"))


def test_recover_keeps_a_page_noted_done_before_its_document_was_renamed_into_place(tmp_path, monkeypatch):
    work = tmp_path / "work"
    pages = scan(work, pages=3)
    encoder = DocumentEncoder("png", work)
    encoder.add(pages[0])
    real = os.replace

    def crash_at_rename(src, dst):
        if str(src).endswith(".2.png.part"):
            raise SystemExit("killed")
        return real(src, dst)

    monkeypatch.setattr(imaging.os, "replace", crash_at_rename)
    with pytest.raises(SystemExit):
        encoder.add(pages[1])
    monkeypatch.setattr(imaging.os, "replace", real)
    encoder._shutdown()
    docs = recover(work, format="png")
    assert [d.path.name for d in docs] == ["1.png", "2.png", "3.png"]
    images = []
    for doc in docs:
        with Image.open(doc.path) as im:
            images.append(im.tobytes())
    assert len(set(images)) == 3


def test_a_page_that_is_no_jpeg_is_refused_clearly(tmp_path):
    from kiosk.pdfa import JpegImage, PdfAWriter, PdfWriteError

    with open(tmp_path / "x.pdf", "wb") as fh:
        writer = PdfAWriter(fh)
        with pytest.raises(PdfWriteError, match="not a JPEG"):
            writer.add_page(JpegImage(b"GIF89a", 10, 10, False, (300, 300)))
        assert writer.pages == 0


def test_recover_sets_a_torn_page_file_aside_and_keeps_the_others(tmp_path):
    """A power cut with [scanner] sync_page_files = false can leave a page file cut short: the
    document is finished with the other pages instead of the whole work folder being given up."""
    work = tmp_path / "work"
    pages = scan(work, pages=4)
    encoder = DocumentEncoder("pdf-a", work, title="Torn")
    encoder.add(pages[0])  # page 1 is in the journaled document; then the power went
    encoder._shutdown()
    torn = pages[2].path
    torn.write_bytes(torn.read_bytes()[:1000])
    (doc,) = recover(work, format="pdf-a")
    check_pdfa(doc.path, 3, "Torn")
    assert (work / (torn.name + ".unreadable")).exists()
    assert not list(work.glob("page-*.pnm"))


def test_stop_closes_the_growing_document_and_leaves_it_to_recover(tmp_path):
    """stop() leaves the folder as a crash would, with the growing file closed at once: a write
    still buffered must not land later, in the file recover() has taken over."""
    work = tmp_path / "work"
    pages = scan(work, pages=2)
    encoder = DocumentEncoder("pdf-a", work)
    encoder.add(pages[0])
    fh = encoder._fh
    encoder.stop()
    assert fh is not None and fh.closed and (work / imaging.SETTINGS_FILE).exists()
    (doc,) = recover(work, format="pdf-a")
    check_pdfa(doc.path, 2, "Scanned document")


@pytest.mark.parametrize(("room", "kept"), [(True, "aside"), (False, "waits")])
def test_recover_sets_aside_a_page_that_never_encodes_only_with_room_on_the_disk(tmp_path, monkeypatch, room, kept):
    """Recovering, page 2 fails to encode without an errno (as a JPEG taller than the format
    allows does, every time). With room on the disk it alone is set aside and the others are
    delivered; with none it is a full disk (codecs say so without an errno): nothing is set
    aside, recover fails, to be tried again."""
    import shutil

    work = tmp_path / "work"
    pages = scan(work, pages=3)
    encoder = DocumentEncoder("jfif", work, quality=60)
    (first,) = encoder.add(pages[0])
    first.path.unlink()  # stored by the job
    pages[0].path.unlink()
    real = DocumentEncoder._encode_page

    def encode(self, path, index, dpi):
        if index == 2:
            raise OSError("broken data stream when writing image file")
        return real(self, path, index, dpi)

    monkeypatch.setattr(DocumentEncoder, "_encode_page", encode)
    usage = shutil.disk_usage(work)
    monkeypatch.setattr(imaging.shutil, "disk_usage", lambda path: usage._replace(free=1 << 40 if room else 1024))
    if kept == "aside":
        docs = recover(work)
        assert len(docs) == 1 and (work / "page-0002.pnm.unreadable").exists()
    else:
        with pytest.raises(OSError):
            recover(work)
        assert (work / "page-0002.pnm").exists() and (work / "page-0003.pnm").exists()
