"""Every DSM document format from pages scanned through the SANE test backend, opened again."""

from __future__ import annotations

import pikepdf
import pytest
from PIL import Image

from kiosk.imaging import SUPPORTED_FORMATS, DocumentEncoder
from kiosk.scanner import Region, ScanSettings

DPI = 100
REGION = Region(0, 0, 3000, 2000)  # 300 x 200 px at 100 ppi


@pytest.fixture
def pages(sane_scanner, tmp_path):
    """Two colour pages from the feeder and one bilevel page from the flatbed."""
    folder = tmp_path / "pages"
    colour = list(
        sane_scanner.scan(
            ScanSettings(
                source="ADF", images_to_transfer=2, color_processing="RGB24", resolution=(DPI, DPI), region=REGION
            ),
            folder,
        )
    )
    bilevel = list(
        sane_scanner.scan(
            ScanSettings(source="Platen", color_processing="BlackAndWhite1", resolution=(DPI, DPI), region=REGION),
            folder,
        )
    )
    return colour + bilevel


EXPECTED_MODES = {
    "jfif": ["RGB", "RGB", "L"],
    "png": ["RGB", "RGB", "1"],
    "tiff-single-uncompressed": ["RGB", "RGB", "1"],
    "tiff-single-g4": ["1", "1", "1"],
    "tiff-multi-uncompressed": ["RGB", "RGB", "1"],
    "tiff-multi-g4": ["1", "1", "1"],
    "tiff-multi-jpeg-tn2": ["RGB", "RGB", "L"],
}
COMPRESSION = {
    "tiff-single-uncompressed": "raw",
    "tiff-single-g4": "group4",
    "tiff-multi-uncompressed": "raw",
    "tiff-multi-g4": "group4",
    "tiff-multi-jpeg-tn2": "jpeg",
}


@pytest.mark.parametrize("fmt", [f for f in SUPPORTED_FORMATS if f != "pdf-a"])
def test_image_formats(pages, tmp_path, fmt):
    encoder = DocumentEncoder(fmt, tmp_path / "docs", quality=80, first_document_id=5)
    docs = [d for p in pages for d in encoder.add(p)] + encoder.finish()
    frames = []
    if "multi" in fmt:
        assert [(d.document_id, d.pages) for d in docs] == [(5, 3)]
    else:
        assert [(d.document_id, d.pages) for d in docs] == [(5, 1), (6, 1), (7, 1)]
    for doc in docs:
        assert (
            doc.format == fmt
            and doc.size == doc.path.stat().st_size
            and doc.path.name == f"{doc.document_id}.{doc.path.suffix[1:]}"
        )
        with Image.open(doc.path) as im:
            for n in range(getattr(im, "n_frames", 1)):
                im.seek(n)
                frames.append((im.mode, im.size, tuple(round(v) for v in im.info["dpi"]), im.info.get("compression")))
    sizes = {f[1] for f in frames}
    assert len(sizes) == 1 and all(abs(a - b) <= 2 for a, b in zip(sizes.pop(), (300, 200), strict=True))
    assert [f[0] for f in frames] == EXPECTED_MODES[fmt]
    assert {f[2] for f in frames} == {(DPI, DPI)}
    if fmt in COMPRESSION:
        assert {f[3] for f in frames} == {COMPRESSION[fmt]}
    assert not list((tmp_path / "docs").glob(".*"))  # no temp files left


def test_pdf_a(pages, tmp_path):
    encoder = DocumentEncoder("pdf-a", tmp_path / "docs", quality=80, title="Invoices")
    assert [d for p in pages for d in encoder.add(p)] == []
    (doc,) = encoder.finish()
    assert (doc.document_id, doc.pages, doc.format) == (1, 3, "pdf-a")
    with pikepdf.open(doc.path) as pdf:
        assert len(pdf.pages) == 3
        for page, scanned in zip(pdf.pages, pages, strict=True):
            box = [float(v) for v in page.mediabox]
            assert box[2] == pytest.approx(scanned.width / DPI * 72, abs=0.01)
            assert box[3] == pytest.approx(scanned.height / DPI * 72, abs=0.01)
            (image,) = page.Resources.XObject.values()
            assert (image.Width, image.Height) == (scanned.width, scanned.height)
        (first,) = pdf.pages[0].Resources.XObject.values()
        assert first.Filter == pikepdf.Name.DCTDecode and first.read_raw_bytes()[:2] == b"\xff\xd8"  # JPEG as is
        (last,) = pdf.pages[2].Resources.XObject.values()
        assert list(last.Filter) == [pikepdf.Name.CCITTFaxDecode] and last.BitsPerComponent == 1
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"], meta["dc:title"]) == ("2", "B", "Invoices")
        assert "/Filter" not in pdf.Root.Metadata  # PDF/A: the XMP stays readable
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == pikepdf.Name.GTS_PDFA1 and intent.DestOutputProfile.N == 3
        assert len(pdf.trailer.ID) == 2
        assert pdf.pdf_version >= "1.7"
    assert [p.name for p in (tmp_path / "docs").iterdir()] == ["1.pdf"]
