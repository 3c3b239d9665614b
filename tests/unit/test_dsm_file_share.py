"""The reference server's file-share filter never replaces another job's file."""

from __future__ import annotations

from dsm_server.filters import place_document


def test_same_name_from_another_job_gets_a_suffix(tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    first.write_bytes(b"%PDF-first")
    second.write_bytes(b"%PDF-second")
    target = tmp_path / "share" / "user" / "Scan_20261125-071500_1.pdf"
    assert place_document(first, target) == target
    placed = place_document(second, target)
    assert placed == target.with_name("Scan_20261125-071500_1-2.pdf")
    assert target.read_bytes() == b"%PDF-first"
    assert placed.read_bytes() == b"%PDF-second"


def test_a_rerun_of_the_same_document_keeps_one_copy(tmp_path):
    doc = tmp_path / "a.pdf"
    doc.write_bytes(b"%PDF-same")
    target = tmp_path / "share" / "Scan_1.pdf"
    assert place_document(doc, target) == target
    assert place_document(doc, target) == target
    assert sorted(p.name for p in target.parent.iterdir()) == ["Scan_1.pdf"]
