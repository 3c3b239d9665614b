"""Ticket resolution against capabilities, and the FakeScanner other parts test against."""

from __future__ import annotations

import threading

import pytest
from PIL import Image

from hardware.fake_scanner import DEFAULT_CAPABILITIES, FakeScanner
from kiosk.psp.model import (
    Exposure,
    InputSize,
    MediaSide,
    Resolution,
    Scaling,
    ScanRegion,
    ScanTicket,
    Setting,
)
from kiosk.scanner import (
    Capabilities,
    FeederEmpty,
    PaperJam,
    Region,
    ScanCancelled,
    Scanner,
    ScanSettings,
    TicketNotSatisfiable,
    next_page_index,
    resolve_ticket,
)

CAPS = Capabilities(
    device="t:0",
    sources=("Platen", "ADF"),
    color_modes=("BlackAndWhite1", "Grayscale8", "RGB24"),
    resolution_range=(50, 600, 50),
    max_width=8500,
    max_height=11000,
    has_brightness=True,
)


def ticket(**kw) -> ScanTicket:
    return ScanTicket(job_name="job", job_originating_user_name="alice", **kw)


def front(**kw) -> MediaSide:
    return MediaSide(**kw)


def test_defaults_without_elements():
    s = resolve_ticket(CAPS, ticket())
    assert (s.source, s.color_processing, s.resolution, s.region, s.adjustments) == (
        "Platen",
        "RGB24",
        (300, 300),
        None,
        (),
    )


def test_nearest_resolution_is_used_and_recorded():
    s = resolve_ticket(CAPS, ticket(media_front=front(resolution=Setting(Resolution(280)))))
    assert s.resolution == (300, 300)
    assert [(a.setting, a.used) for a in s.adjustments] == [("Resolution", "300x300 ppi")]


def test_must_honor_resolution_is_refused_naming_what_the_device_offers():
    with pytest.raises(TicketNotSatisfiable) as info:
        resolve_ticket(CAPS, ticket(media_front=front(resolution=Setting(Resolution(1200), must_honor=True))))
    assert "Resolution 1200x1200 ppi" in info.value.user_message
    assert "50–600 ppi in steps of 50" in info.value.user_message


def test_split_resolution_needs_split_capability():
    s = resolve_ticket(CAPS, ticket(media_front=front(resolution=Setting(Resolution(300, 150)))))
    assert s.resolution == (300, 300)
    with pytest.raises(TicketNotSatisfiable):
        resolve_ticket(CAPS, ticket(media_front=front(resolution=Setting(Resolution(300, 150), True))))


def test_list_resolutions_pick_nearest():
    caps = Capabilities(device="d", resolutions=(100, 200, 300, 600))
    assert caps.nearest_resolution(420) == 300 and caps.nearest_resolution(460) == 600
    assert caps.resolution_supported(200) and not caps.resolution_supported(250)


def test_duplex_falls_back_to_adf_or_is_refused():
    s = resolve_ticket(CAPS, ticket(input_source=Setting("ADFDuplex")))
    assert s.source == "ADF" and s.adjustments[0].setting == "InputSource"
    with pytest.raises(TicketNotSatisfiable, match="InputSource ADFDuplex"):
        resolve_ticket(CAPS, ticket(input_source=Setting("ADFDuplex", True)))


def test_color_fallbacks():
    s = resolve_ticket(CAPS, ticket(media_front=front(color_processing=Setting("Grayscale4"))))
    assert s.color_processing == "Grayscale8" and s.mode == "L"
    with pytest.raises(TicketNotSatisfiable, match="ColorProcessing RGB48"):
        resolve_ticket(CAPS, ticket(media_front=front(color_processing=Setting("RGB48", True))))


def test_region_inside_and_clipped():
    region = ScanRegion(width=Setting(4000), height=Setting(5000), x_offset=Setting(1000), y_offset=Setting(500))
    assert resolve_ticket(CAPS, ticket(media_front=front(scan_region=region))).region == Region(1000, 500, 4000, 5000)
    wide = ScanRegion(width=Setting(9000), height=Setting(5000))
    assert resolve_ticket(CAPS, ticket(media_front=front(scan_region=wide))).region == Region(0, 0, 8500, 5000)
    with pytest.raises(TicketNotSatisfiable, match="ScanRegion"):
        resolve_ticket(
            CAPS, ticket(media_front=front(scan_region=ScanRegion(width=Setting(9000, True), height=Setting(5000))))
        )


def test_input_size_maps_to_a_region():
    s = resolve_ticket(CAPS, ticket(input_size=Setting(InputSize(width=8268, height=11693))))
    assert s.region == Region(0, 0, 8268, 11000)
    with pytest.raises(TicketNotSatisfiable, match="InputSize DocumentSizeAutoDetect"):
        resolve_ticket(CAPS, ticket(input_size=Setting(InputSize(auto_detect=True), True)))


def test_exposure_uses_what_the_device_has():
    s = resolve_ticket(CAPS, ticket(exposure=Setting(Exposure(brightness=200, contrast=100))))
    assert (s.brightness, s.contrast) == (200, None)
    with pytest.raises(TicketNotSatisfiable, match="Contrast 100"):
        resolve_ticket(CAPS, ticket(exposure=Setting(Exposure(contrast=100), True)))


def test_rotation_scaling_and_images():
    s = resolve_ticket(
        CAPS, ticket(rotation=Setting(90, True), scaling=Setting(Scaling(50, 50), True), images_to_transfer=Setting(4))
    )
    assert (s.rotation, s.scaling, s.images_to_transfer) == (90, (50, 50), 4)
    with pytest.raises(TicketNotSatisfiable, match="Rotation 45"):
        resolve_ticket(CAPS, ticket(rotation=Setting(45, True)))


def test_several_problems_are_all_named():
    with pytest.raises(TicketNotSatisfiable) as info:
        resolve_ticket(CAPS, ticket(input_source=Setting("Film", True), rotation=Setting(45, True)))
    assert len(info.value.problems) == 2


# FakeScanner ------------------------------------------------------------------------------


def test_fake_is_a_scanner():
    assert isinstance(FakeScanner(), Scanner)


def test_fake_duplex_pairs_and_files(tmp_path):
    scanner = FakeScanner(sheets=2)
    pages = list(scanner.scan(ScanSettings(source="ADFDuplex", resolution=(100, 100)), tmp_path))
    assert [(p.index, p.side, p.sheet) for p in pages] == [
        (1, "front", 1),
        (2, "back", 1),
        (3, "front", 2),
        (4, "back", 2),
    ]
    for p in pages:
        with Image.open(p.path) as im:
            assert im.size == (p.width, p.height) and im.mode == "RGB"
    with pytest.raises(FeederEmpty):
        list(scanner.scan(ScanSettings(source="ADF"), tmp_path))
    scanner.load(1)
    assert [p.index for p in scanner.scan(ScanSettings(source="ADF"), tmp_path)] == [5]
    assert next_page_index(tmp_path) == 6


def test_fake_images_to_transfer_and_platen(tmp_path):
    scanner = FakeScanner(sheets=5)
    assert len(list(scanner.scan(ScanSettings(source="ADF", images_to_transfer=2), tmp_path))) == 2
    assert scanner.sheets == 3
    assert len(list(scanner.scan(ScanSettings(source="Platen", images_to_transfer=0), tmp_path))) == 1


def test_fake_fault_then_usable(tmp_path):
    scanner = FakeScanner(sheets=3, faults={2: PaperJam})
    got = []
    with pytest.raises(PaperJam):
        for page in scanner.scan(ScanSettings(source="ADF"), tmp_path):
            got.append(page)
    assert len(got) == 1 and got[0].path.exists()
    assert len(list(scanner.scan(ScanSettings(source="ADF"), tmp_path))) >= 1


def test_fake_cancel_from_another_thread(tmp_path):
    scanner = FakeScanner(sheets=3, page_delay=5.0)
    threading.Timer(0.05, scanner.cancel).start()
    with pytest.raises(ScanCancelled):
        list(scanner.scan(ScanSettings(source="ADF"), tmp_path))


def test_fake_resolves_like_the_real_driver():
    s = FakeScanner().resolve(ticket(media_front=front(resolution=Setting(Resolution(250)))))
    assert s.resolution == (200, 200)  # a tie goes to the lower resolution
    assert DEFAULT_CAPABILITIES.resolution_supported(s.resolution[0])


def test_media_back_must_match_the_front_in_duplex():
    caps = DEFAULT_CAPABILITIES
    same = ticket(
        input_source=Setting("ADFDuplex"),
        media_front=front(color_processing=Setting("Grayscale8")),
        media_back=front(color_processing=Setting("Grayscale8", True)),
    )
    assert resolve_ticket(caps, same).adjustments == ()
    other = ticket(
        input_source=Setting("ADFDuplex"),
        media_front=front(color_processing=Setting("Grayscale8")),
        media_back=front(color_processing=Setting("RGB24")),
    )
    assert [a.setting for a in resolve_ticket(caps, other).adjustments] == ["MediaBack ColorProcessing"]
    strict = ticket(input_source=Setting("ADFDuplex"), media_back=front(resolution=Setting(Resolution(600), True)))
    with pytest.raises(TicketNotSatisfiable, match="MediaBack Resolution"):
        resolve_ticket(caps, strict)
    simplex = ticket(input_source=Setting("ADF"), media_back=front(resolution=Setting(Resolution(600), True)))
    assert resolve_ticket(caps, simplex).source == "ADF"  # no back side scanned: nothing to honour


def test_fake_cancel_before_the_first_page_is_not_lost(tmp_path):
    scanner = FakeScanner(sheets=3)
    pages = scanner.scan(ScanSettings(source="ADF"), tmp_path)
    scanner.cancel()
    with pytest.raises(ScanCancelled):
        next(pages)
    assert len(list(scanner.scan(ScanSettings(source="ADF"), tmp_path))) == 3  # the next load is not cancelled
