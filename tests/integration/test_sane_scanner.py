"""SaneScanner through SANE's real `test` backend (private SANE_CONFIG_DIR, one device)."""

from __future__ import annotations

import threading
import time

import pytest
from PIL import Image

from kiosk.psp.model import Exposure, MediaSide, Resolution, ScanRegion, ScanTicket, Setting
from kiosk.scanner import (
    AccessDenied,
    CoverOpen,
    DeviceBusy,
    FeederEmpty,
    OutOfMemory,
    PaperJam,
    Region,
    ScanCancelled,
    ScannerIOError,
    ScanSettings,
    TicketNotSatisfiable,
)

SMALL = Region(0, 0, 2000, 1000)  # 2 x 1 in


def ticket(**kw) -> ScanTicket:
    return ScanTicket(job_name="job", job_originating_user_name="alice", **kw)


def drain_feeder(scanner, folder) -> None:
    """The test backend's feeder counts every start since it last ran empty: empty it first."""
    for _ in scanner.scan(
        ScanSettings(source="ADF", color_processing="Grayscale8", resolution=(10, 10), region=SMALL), folder / "drain"
    ):
        pass


def test_capabilities_of_the_test_device(sane_scanner):
    caps = sane_scanner.capabilities()
    assert caps.device == "test:0"
    assert caps.sources == ("Platen", "ADF")
    assert caps.color_modes == ("BlackAndWhite1", "Grayscale8", "Grayscale16", "RGB24")
    assert caps.resolution_range == (1, 1200, 1)
    assert caps.max_width == caps.max_height == 11811  # 300 mm from the fixture's test.conf


def test_flatbed_a4_colour_page(sane_scanner, tmp_path):
    settings = ScanSettings(
        source="Platen", color_processing="RGB24", resolution=(100, 100), region=Region(0, 0, 8268, 11693)
    )
    pages = list(sane_scanner.scan(settings, tmp_path))
    assert len(pages) == 1
    page = pages[0]
    assert (page.index, page.side, page.dpi) == (1, "front", (100, 100))
    with Image.open(page.path) as im:
        assert im.mode == "RGB" and im.size == (page.width, page.height)
        assert abs(im.width - 827) <= 2 and abs(im.height - 1169) <= 2


def test_adf_batch_until_empty_then_feederempty_is_not_raised(sane_scanner, tmp_path):
    drain_feeder(sane_scanner, tmp_path)
    settings = ScanSettings(source="ADF", color_processing="Grayscale8", resolution=(50, 50), region=SMALL)
    pages = list(sane_scanner.scan(settings, tmp_path))
    assert [p.index for p in pages] == list(range(1, 11))  # the test feeder holds 10 sheets
    assert all(p.path.exists() for p in pages)
    more = list(
        sane_scanner.scan(ScanSettings(source="ADF", images_to_transfer=3, resolution=(50, 50), region=SMALL), tmp_path)
    )
    assert [p.index for p in more] == [11, 12, 13]  # next load continues the numbering


@pytest.mark.parametrize(
    ("color", "mode", "peak"),
    [("BlackAndWhite1", "1", 255), ("Grayscale8", "L", 255), ("Grayscale16", "I", 65535), ("RGB24", "RGB", 255)],
)
def test_each_colour_mode_and_depth(sane_scanner, tmp_path, color, mode, peak):
    (page,) = sane_scanner.scan(
        ScanSettings(source="Platen", color_processing=color, resolution=(75, 75), region=SMALL), tmp_path
    )
    with Image.open(page.path) as im:
        assert im.mode == mode
        assert abs(im.width - 150) <= 2 and abs(im.height - 75) <= 2
        extrema = im.getextrema()
        top = max(e[1] for e in extrema) if mode == "RGB" else extrema[1]
        assert top > peak // 2  # the colour pattern really uses the depth
        if mode == "I":
            assert top > 255


def test_resolution_nearest_and_must_honor(sane_scanner):
    settings = sane_scanner.resolve(ticket(media_front=MediaSide(resolution=Setting(Resolution(2400)))))
    assert settings.resolution == (1200, 1200)
    assert settings.adjustments[0].setting == "Resolution"
    with pytest.raises(TicketNotSatisfiable, match="1–1200 ppi"):
        sane_scanner.resolve(ticket(media_front=MediaSide(resolution=Setting(Resolution(2400), must_honor=True))))


def test_missing_exposure_controls_are_refused_when_must_honor(sane_scanner):
    with pytest.raises(TicketNotSatisfiable, match="Brightness"):
        sane_scanner.resolve(ticket(exposure=Setting(Exposure(brightness=300), must_honor=True)))


def test_region_from_the_ticket(sane_scanner, tmp_path):
    region = ScanRegion(width=Setting(3000), height=Setting(1500), x_offset=Setting(1000), y_offset=Setting(2000))
    settings = sane_scanner.resolve(
        ticket(
            media_front=MediaSide(
                scan_region=region, resolution=Setting(Resolution(100)), color_processing=Setting("Grayscale8")
            )
        )
    )
    assert settings.region == Region(1000, 2000, 3000, 1500)
    (page,) = sane_scanner.scan(settings, tmp_path)
    assert abs(page.width - 300) <= 4 and abs(page.height - 150) <= 4


def test_rotation_and_scaling_in_software(sane_scanner, tmp_path):
    settings = ScanSettings(
        source="Platen",
        color_processing="Grayscale8",
        resolution=(100, 100),
        region=SMALL,
        rotation=90,
        scaling=(50, 50),
    )
    (page,) = sane_scanner.scan(settings, tmp_path)
    assert abs(page.width - 50) <= 2 and abs(page.height - 100) <= 2


@pytest.mark.parametrize(
    ("status", "error"),
    [
        ("SANE_STATUS_JAMMED", PaperJam),
        ("SANE_STATUS_NO_DOCS", FeederEmpty),
        ("SANE_STATUS_COVER_OPEN", CoverOpen),
        ("SANE_STATUS_DEVICE_BUSY", DeviceBusy),
        ("SANE_STATUS_IO_ERROR", ScannerIOError),
        ("SANE_STATUS_ACCESS_DENIED", AccessDenied),
        ("SANE_STATUS_NO_MEM", OutOfMemory),
    ],
)
def test_every_fault_then_the_device_works(sane_scanner, tmp_path, status, error):
    sane_scanner.set_option("read-return-value", status)
    settings = ScanSettings(source="ADF", color_processing="Grayscale8", resolution=(50, 50), region=SMALL)
    try:
        with pytest.raises(error) as info:
            list(sane_scanner.scan(settings, tmp_path))
        assert info.value.user_message and info.value.user_message != "The scanner reported a problem."
    finally:
        sane_scanner.set_option("read-return-value", "Default")  # the user cleared the jam
    pages = list(sane_scanner.scan(ScanSettings(source="Platen", resolution=(50, 50), region=SMALL), tmp_path))
    assert len(pages) == 1 and pages[0].path.exists()


def test_cancel_from_another_thread_during_a_page(sane_scanner, tmp_path):
    sane_scanner.set_option("read-delay", True)
    sane_scanner.set_option("read-delay-duration", 200000)  # 0.2 s per read: a page takes minutes
    outcome: list[object] = []
    started = threading.Event()

    def run() -> None:
        try:
            started.set()
            outcome.extend(sane_scanner.scan(ScanSettings(source="Platen", resolution=(300, 300)), tmp_path))
        except Exception as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    try:
        worker.start()
        started.wait(5)
        deadline = time.monotonic() + 30
        while not any(p.stat().st_size > 64 for p in tmp_path.glob(".read-*.part")):  # page data arriving
            assert time.monotonic() < deadline, "the page never started"
            threading.Event().wait(0.01)
        sane_scanner.cancel()
        worker.join(30)
        assert not worker.is_alive(), "cancel did not stop the read"
        assert len(outcome) == 1 and isinstance(outcome[0], ScanCancelled)
    finally:
        worker.join(120)
        sane_scanner.set_option("read-delay", False)
    assert not list(tmp_path.glob("page-*.pnm"))  # nothing half-written is left as a page
    (page,) = sane_scanner.scan(ScanSettings(source="Platen", resolution=(50, 50), region=SMALL), tmp_path)
    assert page.path.exists()


def test_sigpipe_stays_ignored_after_a_scan(sane_scanner, tmp_path):
    """SANE's reader thread resets SIGPIPE; a later write to a closed socket must not kill us."""
    import ctypes
    import socket
    import struct

    list(sane_scanner.scan(ScanSettings(source="Platen", resolution=(50, 50), region=SMALL), tmp_path))
    action = ctypes.create_string_buffer(256)
    assert ctypes.CDLL(None).sigaction(13, None, action) == 0
    assert struct.unpack("P", action.raw[:8])[0] == 1  # SIG_IGN in the kernel, not only in Python
    left, right = socket.socketpair()
    right.close()
    with pytest.raises(OSError):  # EPIPE as an exception, not a dead process
        for _ in range(3):
            left.send(b"x" * 65536)
    left.close()


@pytest.mark.parametrize("dpi", [50, 300])  # a page that fits in the backend's pipe, and one that does not
def test_the_backends_reader_thread_has_ended_before_a_pages_last_read(sane_scanner, tmp_path, monkeypatch, dpi):
    """The test backend cancels its reader pthread asynchronously once the last byte is read;
    caught in free() on its way out it dies holding the heap lock and the next page hangs. The
    last read waits for that thread to end (hardware.sane_stream.BackendThreads)."""
    from hardware.sane_stream import BackendThreads

    looks: list[tuple[set[int], set[int]]] = []
    real = BackendThreads.wait_ended

    def watched(self):
        started = set(self.started)
        real(self)
        looks.append((started, {tid for tid in started if self._state(tid)}))

    monkeypatch.setattr(BackendThreads, "wait_ended", watched)
    pages = list(sane_scanner.scan(ScanSettings(source="Platen", resolution=(dpi, dpi), region=SMALL), tmp_path))
    assert len(pages) == 1
    assert all(not still_running for _started, still_running in looks)
    if dpi == 300:  # its thread waits on the full pipe: it is seen, and waited for
        assert looks, "the last read was not preceded by a wait for the backend's thread"
        assert len(looks[0][0]) == 1  # the test backend's reader thread, told apart from Python's
    # (a page that fits in the pipe may be written, and its thread gone, before sane_start returns)


@pytest.mark.parametrize("sync", [True, False])
def test_streamed_page_files_are_fsynced_unless_told_not_to(sane_scanner, tmp_path, monkeypatch, sync):
    from tests.fixtures.fsync_watch import watch_fsyncs

    synced = watch_fsyncs(monkeypatch)
    monkeypatch.setattr(sane_scanner, "_settings", sane_scanner._settings.model_copy(update={"sync_page_files": sync}))
    (page,) = sane_scanner.scan(ScanSettings(source="Platen", resolution=(50, 50), region=SMALL), tmp_path)
    assert page.path.exists()
    assert sane_scanner._page_sync.wait(10)
    assert [p for p in synced if p.startswith(str(tmp_path)) and p != str(tmp_path)] == (
        [str(page.path)] if sync else []
    )


def _scan_one(scanner, folder, color="RGB24"):
    (page,) = scanner.scan(
        ScanSettings(source="Platen", color_processing=color, resolution=(100, 100), region=Region(0, 0, 3000, 2000)),
        folder,
    )
    with Image.open(page.path) as im:
        return im.copy()


@pytest.mark.parametrize("color", ["RGB24", "Grayscale16", "BlackAndWhite1"])
def test_small_reads_give_the_same_page(sane_scanner, tmp_path, color):
    """Pages stream to the file in chunks: a backend that returns a few bytes per read (the test
    backend's read-limit) gives the same image."""
    normal = _scan_one(sane_scanner, tmp_path / "a", color)
    sane_scanner.set_option("read-limit", True)
    sane_scanner.set_option("read-limit-size", 997)  # not a multiple of any line length
    try:
        limited = _scan_one(sane_scanner, tmp_path / "b", color)
    finally:
        sane_scanner.set_option("read-limit", False)
    assert limited.size == normal.size and limited.tobytes() == normal.tobytes()


@pytest.mark.parametrize("color", ["RGB24", "Grayscale16"])  # 16-bit: stripped and byte-swapped
def test_line_padding_is_dropped(sane_scanner, tmp_path, color):
    """A backend may send more bytes per line than pixels (the test backend's ppl-loss)."""
    normal = _scan_one(sane_scanner, tmp_path / "a", color)
    sane_scanner.set_option("ppl-loss", 7)
    try:
        short = _scan_one(sane_scanner, tmp_path / "b", color)
    finally:
        sane_scanner.set_option("ppl-loss", 0)
    assert short.size == (normal.width - 7, normal.height)
    assert short.tobytes() == normal.crop((0, 0, normal.width - 7, normal.height)).tobytes()


def test_found_by_vendor_model_and_pattern_not_by_position(sane_module, tmp_path):
    from hardware.sane_scanner import SaneBackend, SaneScanner
    from kiosk.config import ScannerSettings
    from kiosk.scanner import DeviceGone

    by_model = SaneScanner(
        ScannerSettings(vendor="noname", model="FRONTEND-TESTER", name_pattern=r"^test:\d+$"), backend=SaneBackend()
    )
    try:
        assert by_model.capabilities().device == "test:0"
        assert len(list(by_model.scan(ScanSettings(source="Platen", resolution=(50, 50), region=SMALL), tmp_path))) == 1
    finally:
        by_model.close()
    wrong = SaneScanner(ScannerSettings(vendor="Acme", model="DX-1"), backend=SaneBackend())
    with pytest.raises(DeviceGone, match=r"no SANE device matches Acme DX-1 \(found: test:0\)") as info:
        wrong.capabilities()
    assert "not connected" in info.value.user_message


def test_streamed_only_with_a_verified_python_sane_and_the_same_page_without(sane_scanner, tmp_path, monkeypatch):
    """The handle is read out of python-sane's object only for a release whose layout was
    checked; any other release gets the same page through snap(), and libsane is never handed
    a pointer read from an unverified layout."""
    from hardware import sane_stream

    streamer = sane_scanner._streamer
    assert streamer is not None and sane_stream.python_sane_verified()
    streamed_pages = []
    real_read = streamer.read_page
    monkeypatch.setattr(streamer, "read_page", lambda *a: streamed_pages.append(a) or real_read(*a))
    streamed = _scan_one(sane_scanner, tmp_path / "a", "Grayscale8")
    assert len(streamed_pages) == 1

    monkeypatch.setattr(sane_stream, "python_sane_verified", lambda: False)
    monkeypatch.setattr(streamer, "parameters", lambda _p: pytest.fail("libsane called with an unverified handle"))
    fallback = _scan_one(sane_scanner, tmp_path / "b", "Grayscale8")
    assert len(streamed_pages) == 1  # snap() read this one
    assert fallback.size == streamed.size and fallback.tobytes() == streamed.tobytes()
