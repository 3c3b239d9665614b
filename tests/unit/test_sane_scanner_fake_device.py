"""SaneScanner against a fake SANE device: duplex ordering, backend naming, replug, errors."""

from __future__ import annotations

import threading

import pytest
from PIL import Image

from hardware.sane_scanner import SaneScanner, map_error
from kiosk.config import ScannerSettings
from kiosk.scanner import (
    DeviceGone,
    FeederEmpty,
    PaperJam,
    Region,
    ScanCancelled,
    ScannerIOError,
    ScanSettings,
)
from tests.fixtures.fake_sane import FakeBackend, SaneError

DEVICES = [("fakescan:libusb:001:004", "Acme", "DX-1", "sheetfed scanner")]


def make(settings: ScannerSettings | None = None, **handle_args) -> tuple[SaneScanner, FakeBackend]:
    backend = FakeBackend(list(DEVICES), **handle_args)
    return SaneScanner(settings or ScannerSettings(vendor="acme", model="DX-1"), backend=backend), backend


def scan_in_thread(scanner, folder) -> tuple[threading.Thread, list[BaseException]]:
    """An ADF scan running on a thread of its own; the list gets what it raised."""
    outcome: list[BaseException] = []

    def run():
        try:
            list(scanner.scan(ScanSettings(source="ADF"), folder))
        except Exception as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    return worker, outcome


def gray(page) -> int:
    with Image.open(page.path) as im:
        return im.convert("L").getpixel((1, 1))


def test_capabilities_from_backend_names():
    scanner, _ = make()
    caps = scanner.capabilities()
    assert caps.sources == ("Platen", "ADF", "ADFDuplex")
    assert caps.color_modes == ("BlackAndWhite1", "Grayscale8", "RGB24")
    assert caps.resolutions == (100, 200, 300) and caps.split_resolution
    assert caps.has_brightness and not caps.has_contrast
    assert caps.buttons == ("scan",)
    assert caps.max_width == 8500


def test_duplex_front_first(tmp_path):
    scanner, backend = make(sheets=2)
    pages = list(
        scanner.scan(ScanSettings(source="ADFDuplex", color_processing="Grayscale8", resolution=(100, 100)), tmp_path)
    )
    assert [(p.index, p.side, p.sheet) for p in pages] == [
        (1, "front", 1),
        (2, "back", 1),
        (3, "front", 2),
        (4, "back", 2),
    ]
    assert [gray(p) for p in pages] == [10, 20, 30, 40]
    assert backend.handles[0].values["source"] == "ADF Duplex"


def test_duplex_back_first_is_reordered(tmp_path):
    scanner, _ = make(ScannerSettings(device=DEVICES[0][0], duplex_order="back-first"), sheets=2)
    pages = list(
        scanner.scan(ScanSettings(source="ADFDuplex", color_processing="Grayscale8", resolution=(100, 100)), tmp_path)
    )
    assert [(p.index, p.side, p.sheet) for p in pages] == [
        (1, "front", 1),
        (2, "back", 1),
        (3, "front", 2),
        (4, "back", 2),
    ]
    # read order was back (10), front (20), back (30), front (40)
    assert [gray(p) for p in pages] == [20, 10, 40, 30]


def test_duplex_back_rotation(tmp_path):
    scanner, backend = make(ScannerSettings(device=DEVICES[0][0], duplex_back_rotation=180), sheets=1)
    pages = list(scanner.scan(ScanSettings(source="ADFDuplex", color_processing="Grayscale8"), tmp_path))
    assert [p.side for p in pages] == ["front", "back"]
    with Image.open(pages[0].path) as front, Image.open(pages[1].path) as back:
        assert front.getpixel((0, 0)) == 255 and front.getpixel((front.width - 1, front.height - 1)) != 255
        assert back.getpixel((0, 0)) != 255 and back.getpixel((back.width - 1, back.height - 1)) == 255


def test_duplex_through_a_separate_switch(tmp_path):
    scanner, backend = make(sheets=1, duplex_option=True)
    assert "ADFDuplex" in scanner.capabilities().sources
    pages = list(scanner.scan(ScanSettings(source="ADFDuplex", color_processing="Grayscale8"), tmp_path))
    assert len(pages) == 2
    handle = backend.handles[0]
    assert handle.values["source"] == "ADF Front" and handle.values["duplex"] == 1
    list(scanner.scan(ScanSettings(source="Platen", color_processing="Grayscale8"), tmp_path))
    assert handle.values["duplex"] == 0


def test_options_set_from_settings_pixels_and_split_resolution(tmp_path):
    scanner, backend = make(pixel_units=True)
    settings = ScanSettings(
        source="Platen",
        color_processing="BlackAndWhite1",
        resolution=(300, 200),
        region=Region(1000, 500, 2000, 1000),
        brightness=500,
    )
    (page,) = scanner.scan(settings, tmp_path)
    v = backend.handles[0].values
    assert (v["mode"], v["x-resolution"], v["y-resolution"]) == ("Lineart", 300, 200)
    assert (v["tl-x"], v["tl-y"], v["br-x"], v["br-y"]) == (300.0, 100.0, 900.0, 300.0)  # pixels at 300x200
    assert v["brightness"] in (63, 64)  # 500/1000 of 127
    assert page.mode == "1"


def test_region_in_mm(tmp_path):
    scanner, backend = make()
    list(scanner.scan(ScanSettings(source="Platen", region=Region(1000, 0, 1000, 2000)), tmp_path))
    v = backend.handles[0].values
    assert (v["tl-x"], v["br-x"], v["br-y"]) == pytest.approx((25.4, 50.8, 50.8))


def test_no_docs_at_start_is_feeder_empty_and_device_stays_open(tmp_path):
    scanner, backend = make(sheets=0)
    with pytest.raises(FeederEmpty):
        list(scanner.scan(ScanSettings(source="ADF"), tmp_path))
    assert len(backend.handles) == 1 and not backend.handles[0].closed
    assert backend.handles[0].cancels >= 1


def test_images_to_transfer_stops_the_feeder(tmp_path):
    scanner, backend = make(sheets=5)
    pages = list(scanner.scan(ScanSettings(source="ADF", images_to_transfer=2), tmp_path))
    assert len(pages) == 2 and backend.handles[0].sheets == 3


def test_io_error_reopens_and_finds_the_replugged_device(tmp_path):
    scanner, backend = make(sheets=3)
    scanner.capabilities()
    first = backend.handles[0]
    backend.handles[0].fail_start = "Error during device I/O"
    with pytest.raises(ScannerIOError):
        list(scanner.scan(ScanSettings(source="ADF"), tmp_path))
    assert backend.handles[0].closed
    backend.device_list = [("fakescan:libusb:001:009", "Acme", "DX-1", "sheetfed scanner")]  # replugged
    pages = list(scanner.scan(ScanSettings(source="Platen"), tmp_path))
    assert len(pages) == 1 and scanner.device_name == "fakescan:libusb:001:009"
    assert first.closed and backend.handles[-1] is not first and not backend.handles[-1].closed


def test_unplugged_device_is_device_gone_until_it_returns(tmp_path):
    scanner, backend = make()
    backend.device_list = []
    with pytest.raises(DeviceGone, match="found: none"):
        scanner.capabilities()
    backend.device_list = list(DEVICES)
    assert scanner.capabilities().device == DEVICES[0][0]


def test_jam_keeps_the_handle(tmp_path):
    scanner, backend = make(sheets=3)
    scanner.capabilities()
    backend.handles[0].fail_start = "Document feeder jammed"
    with pytest.raises(PaperJam):
        list(scanner.scan(ScanSettings(source="ADF"), tmp_path))
    assert len(backend.handles) == 1 and not backend.handles[0].closed


def test_cancel_between_pages(tmp_path):
    scanner, _ = make(sheets=3)
    gen = scanner.scan(ScanSettings(source="ADF"), tmp_path)
    next(gen)
    scanner.cancel()
    with pytest.raises(ScanCancelled):
        next(gen)


def test_buttons_are_read_when_idle_only(tmp_path):
    scanner, backend = make(sheets=2)
    assert scanner.read_buttons() == {"scan": False}
    backend.handles[0].values["scan"] = 1
    assert scanner.read_buttons() == {"scan": True}
    gen = scanner.scan(ScanSettings(source="ADF"), tmp_path)
    next(gen)
    assert scanner.read_buttons() is None  # the scan owns the handle
    list(gen)
    assert scanner.read_buttons() == {"scan": True}


@pytest.mark.parametrize(
    ("text", "cls"),
    [
        ("Operation was cancelled", ScanCancelled),
        ("Operation was canceled", ScanCancelled),
        ("Document feeder jammed", PaperJam),
        ("Error during device I/O", ScannerIOError),
    ],
)
def test_status_texts(text, cls):
    assert type(map_error(SaneError(text), "d", "x")) is cls


def test_cancel_before_the_first_page_and_capabilities_during_a_scan(tmp_path):
    scanner, backend = make(sheets=3)
    pages = scanner.scan(ScanSettings(source="ADF"), tmp_path)
    scanner.cancel()
    with pytest.raises(ScanCancelled):
        next(pages)
    assert sum(h.reads for h in backend.handles) == 0  # nothing read
    running = scanner.scan(ScanSettings(source="ADF"), tmp_path)
    next(running)
    assert scanner.capabilities().device == DEVICES[0][0]  # answered while the scan holds the handle
    assert len(list(running)) == 2


def test_a_read_that_never_returns_is_cancelled_from_outside(tmp_path, monkeypatch):
    monkeypatch.setattr(SaneScanner, "CANCEL_GRACE", 0.05)
    scanner, backend = make(sheets=3)
    scanner.capabilities()
    backend.handles[0].stall = True
    worker, outcome = scan_in_thread(scanner, tmp_path)
    assert backend.handles[0].stalled.wait(10)
    scanner.cancel()
    worker.join(20)
    assert not worker.is_alive() and isinstance(outcome[0], ScanCancelled)
    assert backend.handles[0].cancels >= 1
    backend.handles[0].stall = False
    assert len(list(scanner.scan(ScanSettings(source="Platen"), tmp_path))) == 1  # usable again


def test_a_device_that_stops_sending_is_an_io_error_not_a_hang(tmp_path, monkeypatch):
    monkeypatch.setattr(SaneScanner, "READ_STALL_SECONDS", 0.2)
    scanner, backend = make(sheets=3)
    scanner.capabilities()
    backend.handles[0].stall = True
    with pytest.raises(ScannerIOError, match="no data"):
        list(scanner.scan(ScanSettings(source="ADF"), tmp_path))
    assert backend.handles[0].closed  # found again for the next job
    assert len(list(scanner.scan(ScanSettings(source="Platen"), tmp_path))) == 1


@pytest.mark.parametrize("cancel_blocks", [False, True])
def test_a_read_stuck_even_after_cancel_is_left_behind_not_waited_for_forever(tmp_path, monkeypatch, cancel_blocks):
    monkeypatch.setattr(SaneScanner, "READ_STALL_SECONDS", 0.2)
    monkeypatch.setattr(SaneScanner, "CANCEL_GRACE", 0.1)
    monkeypatch.setattr(SaneScanner, "ABANDON_SECONDS", 0.3)
    scanner, backend = make(sheets=3)
    scanner.capabilities()
    stuck = backend.handles[0]
    stuck.stall = stuck.stuck = True
    stuck.cancel_blocks = cancel_blocks  # sane_cancel itself never returns either
    worker, outcome = scan_in_thread(scanner, tmp_path)
    worker.join(20)
    assert not worker.is_alive(), "the scan waited for a read that never returns"
    assert isinstance(outcome[0], ScannerIOError) and "no data" in str(outcome[0])
    assert (stuck.cancels >= 1) != cancel_blocks and not stuck.closed  # never closed under the stuck read
    pages = list(scanner.scan(ScanSettings(source="Platen"), tmp_path))  # a new handle
    assert len(pages) == 1 and len(backend.handles) == 2
    stuck.stuck = False
    stuck._released.set()


def test_a_late_forced_cancel_never_reaches_the_next_scan(tmp_path, monkeypatch):
    monkeypatch.setattr(SaneScanner, "CANCEL_SETTLE", 0.2)
    scanner, backend = make(sheets=3)
    scanner.capabilities()
    first = object()
    scanner._scan_token = first  # a scan whose read did not end after cancel()
    timer = threading.Thread(target=scanner._force_cancel, args=(first,))
    timer.start()
    scanner._scan_token = object()  # meanwhile that scan ended and the next one began
    timer.join(10)
    assert backend.handles[0].cancels == 0
    scanner._scan_token = None
    assert len(list(scanner.scan(ScanSettings(source="ADF"), tmp_path))) == 3


def test_python_sane_outside_the_verified_releases_is_not_streamed(monkeypatch):
    import importlib.metadata

    from hardware import sane_stream

    sane_stream.python_sane_verified.cache_clear()
    monkeypatch.setattr(importlib.metadata, "version", lambda _name: "3.0.0")
    try:
        assert not sane_stream.python_sane_verified()
    finally:
        sane_stream.python_sane_verified.cache_clear()
    monkeypatch.setattr(importlib.metadata, "version", lambda _name: "2.9.1")
    try:
        assert sane_stream.python_sane_verified()
    finally:
        sane_stream.python_sane_verified.cache_clear()


def test_a_brightness_option_that_is_no_range_is_reported_not_silently_dropped():
    from kiosk.psp.model import Exposure, ScanTicket, Setting

    scanner, backend = make()
    scanner.capabilities()
    handle = backend.handles[0]
    handle.specs = [s[:8] + ([-1, 0, 1],) if s[1] == "brightness" else s for s in handle.specs]  # a word list
    scanner._read_options()
    assert not scanner.capabilities().has_brightness
    ticket = ScanTicket(job_name="j", job_originating_user_name="a", exposure=Setting(Exposure(brightness=300)))
    settings = scanner.resolve(ticket)
    assert settings.brightness is None
    assert [(a.setting, a.requested) for a in settings.adjustments] == [("Exposure", "Brightness 300")]


@pytest.mark.parametrize("sync", [True, False])
def test_page_files_are_fsynced_unless_told_not_to(tmp_path, monkeypatch, sync):
    from tests.fixtures.fsync_watch import watch_fsyncs

    synced = watch_fsyncs(monkeypatch)
    settings = ScannerSettings(vendor="acme", model="DX-1", sync_page_files=sync, page_sync_delay=0)
    scanner, _ = make(settings, sheets=2)
    pages = list(scanner.scan(ScanSettings(source="ADF", color_processing="Grayscale8"), tmp_path))
    assert len(pages) == 2 and all(p.path.exists() for p in pages)
    assert scanner._page_sync.wait(10)
    page_syncs = [p for p in synced if p.startswith(str(tmp_path / "page-"))]
    assert page_syncs == ([str(p.path) for p in pages] if sync else [])


def test_page_files_in_their_documents_before_the_delay_are_never_fsynced(tmp_path, monkeypatch):
    """The job deletes a page file once its document is fsynced: within page_sync_delay, the
    page file is never written to storage; the others are, in scan order."""
    from tests.fixtures.fsync_watch import watch_fsyncs

    synced = watch_fsyncs(monkeypatch)
    settings = ScannerSettings(vendor="acme", model="DX-1", page_sync_delay=1.5)
    scanner, _ = make(settings, sheets=3)
    pages = []
    for page in scanner.scan(ScanSettings(source="ADF", color_processing="Grayscale8"), tmp_path):
        pages.append(page)
        if page.index != 2:
            page.path.unlink()  # encoded into a document already
    assert scanner._page_sync.wait(10)
    assert [p for p in synced if p.startswith(str(tmp_path / "page-"))] == [str(pages[1].path)]
