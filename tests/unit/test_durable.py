"""kiosk.durable: a file is complete, or absent, never half written."""

from __future__ import annotations

import os
import threading
import time

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


def _mine(synced, folder):
    # Other tests' late syncs may still run in this process: only this test's files count.
    return [p for p in synced if p.startswith(str(folder))]


def test_late_sync_fsyncs_each_file_and_its_folder_after_the_delay(tmp_path, monkeypatch):
    from kiosk.durable import LateSync
    from tests.fixtures.fsync_watch import watch_fsyncs

    synced = watch_fsyncs(monkeypatch)
    files = [tmp_path / f"page-{n}.pnm" for n in (1, 2)]
    for f in files:
        f.write_bytes(b"P5\n1 1\n255\n\0")
    late = LateSync(1.0)
    start = time.monotonic()
    for f in files:
        late.submit(f)
    submitted = time.monotonic()
    if submitted - start < 0.5:  # (a machine too busy to say: the order below still holds)
        assert _mine(synced, tmp_path) == []  # nothing yet: the caller goes on at once
    assert late.wait(10)
    assert time.monotonic() - start >= 1.0
    assert _mine(synced, tmp_path) == [str(files[0]), str(tmp_path), str(files[1]), str(tmp_path)]


def test_late_sync_leaves_a_file_deleted_before_its_turn(tmp_path, monkeypatch):
    from kiosk.durable import LateSync
    from tests.fixtures.fsync_watch import watch_fsyncs

    synced = watch_fsyncs(monkeypatch)
    gone, kept = tmp_path / "page-1.pnm", tmp_path / "page-2.pnm"
    gone.write_bytes(b"in its document already")
    kept.write_bytes(b"not yet")
    late = LateSync(2.0)
    late.submit(gone)
    late.submit(kept)
    gone.unlink()
    assert late.wait(10)
    assert _mine(synced, tmp_path) == [str(kept), str(tmp_path)]


def test_a_failed_late_fsync_is_logged_and_the_next_files_still_synced(tmp_path, monkeypatch, caplog):
    import errno

    from kiosk.durable import LateSync
    from tests.fixtures.fsync_watch import watch_fsyncs

    bad, good = tmp_path / "page-1.pnm", tmp_path / "page-2.pnm"
    bad.write_bytes(b"x")
    good.write_bytes(b"y")
    synced = watch_fsyncs(monkeypatch)
    watched = os.fsync

    def failing_for_bad(fd):
        if os.readlink(f"/proc/self/fd/{fd}") == str(bad):
            raise OSError(errno.EIO, "Input/output error")
        return watched(fd)

    monkeypatch.setattr(os, "fsync", failing_for_bad)
    late = LateSync(0)
    late.submit(bad)
    late.submit(good)
    assert late.wait(10)
    assert f"{bad} could not be written to storage" in caplog.text
    assert _mine(synced, tmp_path) == [str(good), str(tmp_path)]


def test_late_sync_thread_ends_when_idle_and_starts_again(tmp_path, monkeypatch):
    from kiosk.durable import LateSync

    monkeypatch.setattr(LateSync, "IDLE_SECONDS", 0.1)
    page = tmp_path / "page-1.pnm"
    page.write_bytes(b"x")
    late = LateSync(0, name="late-sync-test")
    late.submit(page)
    assert late.wait(10)
    deadline = time.monotonic() + 10
    while any(t.name == "late-sync-test" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not any(t.name == "late-sync-test" for t in threading.enumerate())
    late.submit(page)
    assert late.wait(10)
