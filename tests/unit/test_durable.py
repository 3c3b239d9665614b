"""kiosk.durable: a file is complete, or absent, never half written."""

from __future__ import annotations

import pytest

from kiosk.durable import write_durably


def test_write_durably_writes_with_mode(tmp_path):
    target = tmp_path / "bundle.pem"
    write_durably(target, lambda fh: fh.write(b"abc"), mode=0o644)
    assert target.read_bytes() == b"abc"
    assert target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["bundle.pem"]


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "page.pnm"
    target.write_bytes(b"old")

    def fail(fh):
        fh.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_durably(target, fail)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.pnm"]
