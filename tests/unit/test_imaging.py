"""DocumentEncoder details that need no scanner: format checks, numbering, 16-bit, abort."""

from __future__ import annotations

import pytest
from PIL import Image

from hardware.fake_scanner import FakeScanner
from kiosk.imaging import DEFAULT_FORMAT, DocumentEncoder, UnsupportedFormat, check_format, quality_of
from kiosk.psp.model import ScanTicket, Setting
from kiosk.scanner import ScanSettings


def ticket(**kw) -> ScanTicket:
    return ScanTicket(job_name="j", job_originating_user_name="u", **kw)


def test_check_format():
    assert check_format(ticket()) == DEFAULT_FORMAT
    assert check_format(ticket(format=Setting("tiff-multi-g4"))) == "tiff-multi-g4"
    with pytest.raises(UnsupportedFormat) as info:
        check_format(ticket(format=Setting("xps")))
    assert "xps" in info.value.user_message and "pdf-a" in str(info.value)
    with pytest.raises(UnsupportedFormat):
        DocumentEncoder("jbig", "/nonexistent")


def test_quality():
    assert quality_of(ticket(compression_quality_factor=Setting(40))) == 40
    assert quality_of(ticket()) == 75  # an office page stays under 1 MB (README)


@pytest.fixture
def gray16_pages(tmp_path):
    return list(
        FakeScanner().scan(
            ScanSettings(source="ADF", color_processing="Grayscale16", resolution=(100, 100)), tmp_path / "p"
        )
    )


def test_sixteen_bit_kept_where_the_format_can(gray16_pages, tmp_path):
    (png,) = DocumentEncoder("png", tmp_path / "a").add(gray16_pages[0])
    with Image.open(png.path) as im:
        assert im.mode == "I;16" and im.getextrema()[1] > 255
    (jpg,) = DocumentEncoder("jfif", tmp_path / "b").add(gray16_pages[0])
    with Image.open(jpg.path) as im:
        assert im.mode == "L" and im.getextrema()[1] > 200  # scaled down, not clipped


def test_quality_changes_jpeg_size(gray16_pages, tmp_path):
    low = DocumentEncoder("jfif", tmp_path / "lo", quality=10).add(gray16_pages[0])[0]
    high = DocumentEncoder("jfif", tmp_path / "hi", quality=95).add(gray16_pages[0])[0]
    assert low.size < high.size


def test_finish_without_pages_and_abort(gray16_pages, tmp_path):
    assert DocumentEncoder("pdf-a", tmp_path / "e").finish() == []
    enc = DocumentEncoder("tiff-multi-uncompressed", tmp_path / "f")
    enc.add(gray16_pages[0])
    enc.abort()
    assert list((tmp_path / "f").iterdir()) == []
    assert all(p.path.exists() for p in gray16_pages)  # pages are never removed by the encoder


def test_multi_documents_continue_numbering(gray16_pages, tmp_path):
    enc = DocumentEncoder("tiff-multi-g4", tmp_path / "g", first_document_id=3)
    enc.add(gray16_pages[0])
    (first,) = enc.finish()
    enc.add(gray16_pages[1])
    (second,) = enc.finish()
    assert (first.document_id, second.document_id) == (3, 4) and first.path != second.path


@pytest.fixture
def colour_pages(tmp_path):
    return list(
        FakeScanner().scan(ScanSettings(source="ADF", color_processing="RGB24", resolution=(100, 100)), tmp_path / "c")
    )


@pytest.mark.parametrize(
    "fmt,save",
    [
        ("jfif", dict(format="JPEG", quality=75, optimize=False)),
        ("png", dict(format="PNG", compress_level=6)),
        ("tiff-single-uncompressed", dict(format="TIFF", compression="raw")),
    ],
)
def test_a_single_page_document_is_what_pillow_writes_to_memory(colour_pages, tmp_path, fmt, save):
    """The pool encodes into the document's file (Pillow releases the GIL only for a file), with
    the same bytes as an encoding into memory."""
    import io

    (doc,) = DocumentEncoder(fmt, tmp_path / fmt).add(colour_pages[0])
    expected = io.BytesIO()
    with Image.open(colour_pages[0].path) as im:
        im.save(expected, dpi=colour_pages[0].dpi, **save)
    assert doc.path.read_bytes() == expected.getvalue()
    assert not list((tmp_path / fmt).glob(".*.part"))


@pytest.mark.parametrize("options", [dict(compression="tiff_jpeg", quality=75), dict(compression="group4")])
def test_an_encoding_through_a_descriptor_is_the_encoding_into_memory(colour_pages, options):
    """libtiff seeks while it writes: the in-memory file with a descriptor must give it all."""
    import io

    from kiosk.imaging import _encoded

    with Image.open(colour_pages[0].path) as im:
        image = im.convert("1") if options["compression"] == "group4" else im.copy()
    expected = io.BytesIO()
    image.save(expected, format="TIFF", dpi=(100, 100), **options)
    assert _encoded(lambda fh: image.save(fh, format="TIFF", dpi=(100, 100), **options)) == expected.getvalue()


def test_pillow_keeps_freed_image_memory_only_while_an_encoder_runs(colour_pages, tmp_path):
    """Reused blocks spare each page's page faults; they are given back when the encoders end."""
    import gc

    core = Image.core
    gc.collect()  # encoders of earlier tests nobody finished give theirs back when collected
    assert core.get_blocks_max() == 0
    first = DocumentEncoder("jfif", tmp_path / "a")
    second = DocumentEncoder("pdf-a", tmp_path / "b")
    first.add(colour_pages[0])
    second.add(colour_pages[0])
    assert core.get_blocks_max() > 0
    first.finish()
    assert core.get_blocks_max() > 0  # the other encoder still runs
    second.abort()
    assert core.get_blocks_max() == 0


def test_a_colour_page_file_loads_band_by_band_as_pillow_loads_it(colour_pages, tmp_path, monkeypatch):
    from kiosk import imaging

    monkeypatch.setattr(imaging, "LOAD_BAND", 1000)  # many bands, none a whole number of lines
    path = colour_pages[0].path
    with Image.open(path) as expected:
        expected.load()
        assert imaging._load(path).tobytes() == expected.tobytes()
    cut = tmp_path / "cut.pnm"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(OSError, match="ends"):
        imaging._load(cut)
