"""An in-process scanner for unit tests of the parts built on `kiosk.scanner`.

It behaves like the SANE driver at the interface: real page files (PNM, fsync'ed) in the folder,
the same ticket resolution, NO_DOCS at the start → FeederEmpty, faults on a chosen page, duplex
front/back pairs, a cancel that works from any thread. Pages are small synthetic images.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageDraw

from kiosk.psp.model import ScanTicket
from kiosk.scanner import (
    ADF,
    ADF_DUPLEX,
    PLATEN,
    Capabilities,
    DeviceGone,
    FeederEmpty,
    Page,
    ScanCancelled,
    ScannerError,
    ScanSettings,
    next_page_index,
    page_path,
    postprocess,
    resolve_ticket,
    save_page,
)

DEFAULT_CAPABILITIES = Capabilities(
    device="fake:0",
    vendor="dsm-kiosk",
    model="Fake scanner",
    sources=(PLATEN, ADF, ADF_DUPLEX),
    color_modes=("BlackAndWhite1", "Grayscale8", "Grayscale16", "RGB24"),
    resolutions=(75, 100, 150, 200, 300, 600),
    max_width=8500,
    max_height=14000,
    has_brightness=True,
    has_contrast=True,
)


class FakeScanner:
    """`sheets`: sheets in the feeder per load (each duplex sheet gives two pages);
    `faults`: {n: ScannerError instance or class} raised instead of the n-th page (1-based,
    counted over the whole scanner's life) — the fault is consumed, like a cleared jam;
    `page_delay`: seconds each page takes (cancel cuts it short);
    `page_size`: pixels of a page at 100 ppi; pages are scaled to the resolution."""

    def __init__(
        self,
        capabilities: Capabilities = DEFAULT_CAPABILITIES,
        *,
        sheets: int = 3,
        faults: dict[int, ScannerError | type[ScannerError]] | None = None,
        page_delay: float = 0.0,
        page_size: tuple[int, int] = (85, 110),
    ) -> None:
        self._caps = capabilities
        self.sheets = sheets
        self.faults = dict(faults or {})
        self.page_delay = page_delay
        self.page_size = page_size
        self._cancel = threading.Event()
        self._closed = False
        self.pages_scanned = 0
        self.loads = 0

    def capabilities(self) -> Capabilities:
        return self._caps

    def resolve(self, ticket: ScanTicket) -> ScanSettings:
        return resolve_ticket(self._caps, ticket)

    def scan(self, settings: ScanSettings, folder: Path, first_index: int | None = None) -> Iterator[Page]:
        self._cancel.clear()  # as SaneScanner: a cancel from the call on counts
        return self._scan(settings, folder, first_index)

    def _scan(self, settings: ScanSettings, folder: Path, first_index: int | None) -> Iterator[Page]:
        if self._closed:
            raise DeviceGone("fake scanner is closed")
        self.loads += 1
        folder.mkdir(parents=True, exist_ok=True)
        index = first_index if first_index is not None else next_page_index(folder)
        sides = 2 if settings.duplex else 1
        available = 1 if settings.source == PLATEN else self.sheets * sides
        wanted = (
            available
            if settings.images_to_transfer == 0 or settings.source == PLATEN
            else min(available, settings.images_to_transfer)
        )
        if available == 0:
            raise FeederEmpty("fake feeder is empty")
        for n in range(wanted):
            if self._cancel.wait(self.page_delay) or self._cancel.is_set():
                raise ScanCancelled("scan cancelled")
            self.pages_scanned += 1
            fault = self.faults.pop(self.pages_scanned, None)
            if fault is not None:
                raise (
                    fault if isinstance(fault, ScannerError) else fault(f"injected fault on page {self.pages_scanned}")
                )
            side = "back" if settings.duplex and n % 2 else "front"
            image = postprocess(self._render(settings, index, side), settings)
            path = page_path(folder, index)
            save_page(image, path)
            yield Page(index, path, image.width, image.height, image.mode, settings.resolution, side, n // sides + 1)
            index += 1
        if settings.source in (ADF, ADF_DUPLEX):
            self.sheets -= -(-wanted // sides)

    def _render(self, settings: ScanSettings, index: int, side: str) -> Image.Image:
        x_dpi, y_dpi = settings.resolution
        size = (max(8, self.page_size[0] * x_dpi // 100), max(8, self.page_size[1] * y_dpi // 100))
        image = Image.new("RGB", size, "white")
        draw = ImageDraw.Draw(image)
        draw.rectangle((2, 2, size[0] // 2, size[1] // 4), fill=(200, 30, 30) if side == "front" else (30, 30, 200))
        draw.text((4, size[1] // 2), f"{index}{side[0]}", fill="black")
        mode = settings.mode
        if mode == "I;16":
            return image.convert("L").convert("I").point(lambda v: v * 257).convert("I;16")
        return image.convert(mode)

    def load(self, sheets: int) -> None:
        """Put `sheets` sheets into the feeder."""
        self.sheets = sheets

    def cancel(self) -> None:
        self._cancel.set()

    def close(self) -> None:
        self._closed = True
