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
