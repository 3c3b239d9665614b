"""The SANE driver: any SANE backend behind `kiosk.scanner.Scanner`, on python-sane.

The device is found by a stable identity (name, else vendor + model and/or a name pattern) and
kept open between jobs, so the first page starts without SANE's open cost; it is closed and found
again after an error that may mean it went away (USB replug changes its name). Options and
constraints are read once per open (and again when the backend says they changed).

A reader thread starts each page and streams its data into a file (hardware.sane_stream; snap()
where that cannot be used) while the previous page is made durable, so a long ADF batch never
sits in memory. SANE reads run without the GIL, so `cancel()` from another thread reaches
sane_cancel while a read is blocked.
"""

from __future__ import annotations

import array
import ctypes
import functools
import logging
import os
import queue
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from hardware.sane_stream import BackendThreads, PageStreamer, SaneStatus
from kiosk.config import ScannerSettings
from kiosk.durable import LateSync, write_durably
from kiosk.errors import SpoolError
from kiosk.psp.model import ScanTicket
from kiosk.scanner import (
    ADF,
    ADF_DUPLEX,
    MM_PER_INCH,
    PLATEN,
    THOU_PER_INCH,
    AccessDenied,
    Capabilities,
    CoverOpen,
    DeviceBusy,
    DeviceGone,
    FeederEmpty,
    OutOfMemory,
    Page,
    PaperJam,
    Region,
    ScanCancelled,
    ScannerError,
    ScannerIOError,
    ScanSettings,
    next_page_index,
    page_path,
    postprocess,
    resolve_ticket,
    save_page,
)

log = logging.getLogger(__name__)

# SANE constants (sane/sane.h), so that a fake backend in unit tests needs no libsane.
TYPE_BOOL, TYPE_INT, TYPE_FIXED, TYPE_STRING, TYPE_BUTTON, TYPE_GROUP = range(6)
UNIT_NONE, UNIT_PIXEL, UNIT_BIT, UNIT_MM, UNIT_DPI, UNIT_PERCENT, UNIT_MICROSECOND = range(7)
CAP_SOFT_SELECT, CAP_HARD_SELECT, CAP_SOFT_DETECT, CAP_INACTIVE = 1, 2, 4, 32
INFO_RELOAD_OPTIONS = 2

# ---------------------------------------------------------------------------------------------
# Status → error. python-sane raises its `error` with sane_strstatus() text, which is fixed by
# the SANE standard library (both spellings of "cancel(l)ed" occur across versions).

NO_DOCS = "out of documents"
_STATUS_ERRORS: tuple[tuple[str, type[ScannerError]], ...] = (
    ("cancel", ScanCancelled),
    ("device busy", DeviceBusy),
    ("jammed", PaperJam),
    (NO_DOCS, FeederEmpty),
    ("cover is open", CoverOpen),
    ("i/o", ScannerIOError),
    ("out of memory", OutOfMemory),
    ("access to resource has been denied", AccessDenied),
    ("invalid argument", DeviceGone),
    ("is closed", DeviceGone),
)
#: After these the handle may be stale (device unplugged or wedged): close it, find the device again.
_REOPEN_AFTER = (ScannerIOError, AccessDenied, OutOfMemory, DeviceGone)


def map_error(exc: Exception, device: str, doing: str) -> ScannerError:
    text = str(exc)
    low = text.lower()
    for needle, cls in _STATUS_ERRORS:
        if needle in low:
            return cls(f"{device}: {doing}: {text}")
    return ScannerError(f"{device}: {doing}: {text}")


def restore_sigpipe() -> None:
    """Ignore SIGPIPE again, as Python does: SANE's reader threads leave it at the default action,
    which would kill the whole kiosk at the next write to a closed socket (LDAP, HTTPS).
    signal.signal() works only in the main thread; libc's signal() works from any."""
    if signal.getsignal(signal.SIGPIPE) is signal.SIG_IGN:
        _libc().signal(signal.SIGPIPE, ctypes.c_void_p(int(signal.SIG_IGN)))


@functools.cache
def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None)
    libc.signal.restype = ctypes.c_void_p
    libc.signal.argtypes = (ctypes.c_int, ctypes.c_void_p)
    libc.sigaction.restype = ctypes.c_int
    libc.sigaction.argtypes = (ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
    return libc


#: Room for libc's struct sigaction (152 bytes on glibc's 64-bit ABIs), zero-filled.
_SIGACTION_BYTES = 256


def _action(number: int) -> bytes:
    buffer = ctypes.create_string_buffer(_SIGACTION_BYTES)
    _libc().sigaction(number, None, buffer)
    return buffer.raw


class KeptSignals:
    """The process's signal actions as they were before SANE ran, put back after its calls.

    Backends built on sanei_thread run their reader as a thread of this process, and some (SANE's
    test backend among them) reset SIGTERM there: process-wide, and unseen by Python's
    signal.getsignal(). The next SIGTERM (systemd stop) would then kill the kiosk instead of
    reaching the panel's or run-worker's handler, which ends the job and the spool tidily.
    Through libc's sigaction, because signal.signal() works only in the main thread."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGPIPE)

    def __init__(self) -> None:
        self._saved: dict[int, bytes] = {}
        self._lock = threading.Lock()

    def save(self) -> None:
        with self._lock:
            for number in self.SIGNALS:
                current = _action(number)
                handler = ctypes.c_void_p.from_buffer_copy(current[: ctypes.sizeof(ctypes.c_void_p)]).value or 0
                if callable(signal.getsignal(number)) and handler in (0, 1) and int(number) in self._saved:
                    continue  # Python has a handler but libc says default/ignore: already clobbered
                self._saved[int(number)] = current

    def restore(self) -> None:
        with self._lock:
            for number, saved in self._saved.items():
                if _action(number) != saved:
                    _libc().sigaction(number, ctypes.create_string_buffer(saved, _SIGACTION_BYTES), None)
                    log.debug("signal %d: the action SANE replaced is restored", number)
        restore_sigpipe()


# ---------------------------------------------------------------------------------------------
# The python-sane module behind a small seam (a fake one stands in for it in unit tests)


class SaneBackend:
    """python-sane, initialised at most once per process: SANE cannot be initialised twice, so
    everything (the test fixtures too) goes through here."""

    _lock = threading.Lock()
    _initialised = False

    def __init__(self, config_dir: str = "") -> None:
        import sane

        self._sane = sane
        with SaneBackend._lock:
            if not SaneBackend._initialised:
                if config_dir:
                    os.environ["SANE_CONFIG_DIR"] = config_dir  # read by sane_init only
                kept = KeptSignals()
                kept.save()
                sane.init()
                kept.restore()
                SaneBackend._initialised = True

    def devices(self) -> list[tuple[str, str, str, str]]:
        return [tuple(d) for d in self._sane.get_devices()]

    def open(self, name: str) -> Any:
        """The low-level handle: get_options, get_option, set_option, start, snap, cancel, close."""
        import _sane

        return _sane._open(name)


@dataclass(frozen=True)
class Option:
    index: int
    name: str
    type: int
    unit: int
    size: int
    cap: int
    constraint: Any

    @property
    def active(self) -> bool:
        return not self.cap & CAP_INACTIVE

    @property
    def settable(self) -> bool:
        return bool(self.cap & CAP_SOFT_SELECT) and self.active

    @property
    def is_sensor(self) -> bool:
        """A read-only boolean the device sets itself: a hardware button or switch."""
        return (
            self.type == TYPE_BOOL
            and self.active
            and not self.cap & CAP_SOFT_SELECT
            and bool(self.cap & CAP_SOFT_DETECT)
        )


# Backend naming differences, matched case-insensitively.
_DUPLEX = re.compile(r"duplex", re.I)
_FEEDER = re.compile(r"adf|feeder|automatic", re.I)
_FLATBED = re.compile(r"flatbed|platen|normal", re.I)
_LINEART = re.compile(r"lineart|binary|black\s*&?\s*white|^bw$|halftone|thresholded", re.I)
_GRAY = re.compile(r"gr[ae]y", re.I)
_COLOR = re.compile(r"colou?r|rgb", re.I)


def _first(values, pattern: re.Pattern, exclude: re.Pattern | None = None) -> str | None:
    for value in values:
        if pattern.search(value) and not (exclude and exclude.search(value)):
            return value
    return None


class SaneScanner:
    """`Scanner` for one SANE device, configured by the [scanner] settings."""

    #: Seconds a read may go on after cancel() before sane_cancel is called from outside it.
    CANCEL_GRACE = 2.0
    #: Seconds without any data before a read is given up as a ScannerIOError (a hung device).
    READ_STALL_SECONDS = 60.0
    #: Seconds after the forced sane_cancel before a read that still does not return is left
    #: behind with its handle (see _abandon).
    ABANDON_SECONDS = 10.0
    #: Pause before sane_cancel of a page still being read; then the backend's own threads must
    #: be asleep too (hardware.sane_stream.BackendThreads: a pthread reader cancelled while it
    #: runs can die holding the heap lock, and the scanner hangs until the process restarts).
    CANCEL_SETTLE = 0.1

    def __init__(self, settings: ScannerSettings, *, backend: SaneBackend | None = None) -> None:
        self._settings = settings
        self._backend = backend or SaneBackend(settings.sane_config_dir)
        # Serialises every use of the handle: a scan holds it for the whole load, the button
        # poller only takes it when free.
        self._lock = threading.RLock()
        self._handle: Any = None
        self._name = ""
        self._vendor = self._model = ""
        self._options: dict[str, Option] = {}
        self._caps: Capabilities | None = None
        self._cancel = threading.Event()
        self._scanning = threading.Event()
        self._scan_token: object | None = None  # identifies the scan in progress
        # Held while the token changes and while a late sane_cancel is sent, so that the cancel
        # meant for one scan never reaches the next.
        self._token_lock = threading.Lock()
        self._signals = KeptSignals()  # saved as each scan starts, put back after SANE's calls
        self._mid_page = False  # sane_start done, the page not read to its end (see CANCEL_SETTLE)
        self._streamer = PageStreamer.load() if isinstance(self._backend, SaneBackend) else None
        self._threads = BackendThreads()
        self._page_sync = LateSync(settings.page_sync_delay, name="page-sync")
        self._abandoned: list[threading.Thread] = []  # reader threads stuck in a handle left behind
        self._scans = 0  # numbers each scan's page parts

    # -- device ---------------------------------------------------------------------------------

    @property
    def device_name(self) -> str:
        return self._name

    def _find(self) -> tuple[str, str, str]:
        s = self._settings
        try:
            devices = self._backend.devices()
        except Exception as exc:
            raise map_error(exc, "SANE", "listing devices") from None
        pattern = re.compile(s.name_pattern) if s.name_pattern else None
        for name, vendor, model, _kind in devices:
            if s.device and name != s.device:
                continue
            if s.vendor and vendor.lower() != s.vendor.lower():
                continue
            if s.model and model.lower() != s.model.lower():
                continue
            if pattern and not pattern.search(name):
                continue
            return name, vendor, model
        wanted = (
            s.device or " ".join(filter(None, [s.vendor, s.model, s.name_pattern and f"/{s.name_pattern}/"])) or "any"
        )
        found = ", ".join(d[0] for d in devices) or "none"
        raise DeviceGone(f"no SANE device matches {wanted} (found: {found})")

    def _ensure_open(self) -> Any:
        if self._handle is not None:
            return self._handle
        name, vendor, model = self._find()
        try:
            handle = self._backend.open(name)
        except Exception as exc:
            raise map_error(exc, name, "opening") from None
        self._handle, self._name, self._vendor, self._model = handle, name, vendor, model
        try:
            self._read_options()
        except Exception:
            self._drop()
            raise
        log.info("scanner %s (%s %s) open", name, vendor, model)
        return handle

    def _drop(self) -> None:
        handle, self._handle, self._caps = self._handle, None, None
        if handle is not None:
            try:
                handle.close()
            except Exception as exc:  # a gone device may refuse even this
                log.debug("closing %s: %s", self._name, exc)

    def _read_options(self) -> None:
        options = {}
        for raw in self._handle.get_options():
            index, name, _title, _desc, kind, unit, size, cap, constraint = raw
            if name:
                options[name] = Option(index, name, kind, unit, size, cap, constraint)
        self._options = options
        self._caps = self._build_capabilities()

    def _opt(self, *names: str) -> Option | None:
        for name in names:
            opt = self._options.get(name)
            if opt is not None and opt.active:
                return opt
        return None

    def _get(self, opt: Option) -> Any:
        return self._handle.get_option(opt.index)

    def _set(self, name: str, value: Any) -> None:
        opt = self._options.get(name)
        if opt is None or not opt.settable:
            return
        if opt.type == TYPE_FIXED:
            value = float(value)
        elif opt.type in (TYPE_INT, TYPE_BOOL):
            value = int(round(value))
        try:
            info = self._handle.set_option(opt.index, value)
        except Exception as exc:
            raise map_error(exc, self._name, f"setting {name}={value!r}") from None
        if info & INFO_RELOAD_OPTIONS:
            self._read_options()

    def set_option(self, name: str, value: Any) -> None:
        """Set a backend-specific option by its SANE name (diagnostics, fault injection)."""
        with self._lock:
            self._ensure_open()
            if name not in self._options:
                raise ScannerError(f"{self._name}: no option {name!r}")
            self._set(name, value)

    # -- capabilities ---------------------------------------------------------------------------

    def _sources(self) -> dict[str, tuple[str, Any]]:
        """DSM InputSource → how to select it: (option, value)."""
        found: dict[str, tuple[str, Any]] = {}
        source = self._opt("source", "scan-source", "doc-source")
        values = list(source.constraint) if source and isinstance(source.constraint, list) else []
        flatbed = _first(values, _FLATBED)
        feeder = _first(values, _FEEDER, _DUPLEX)
        duplex = _first(values, _DUPLEX)
        name = source.name if source else ""  # values is empty without a source option
        if flatbed or not values:
            found[PLATEN] = (name, flatbed) if flatbed else ("", None)
        if feeder:
            found[ADF] = (name, feeder)
        if duplex:
            found[ADF_DUPLEX] = (name, duplex)
        elif feeder and self._opt("duplex"):
            found[ADF_DUPLEX] = ("duplex", True)  # a separate switch next to the ADF source
        elif feeder and (mode := self._opt("adf-mode")) and isinstance(mode.constraint, list):
            if value := _first(mode.constraint, _DUPLEX):
                found[ADF_DUPLEX] = ("adf-mode", value)
        if not found and values:
            found[PLATEN] = (name, values[0])
        return found

    def _color_map(self) -> dict[str, tuple[str | None, int | None]]:
        """DSM ColorProcessing → (mode value, depth)."""
        mode = self._opt("mode")
        values = list(mode.constraint) if mode and isinstance(mode.constraint, list) else []
        depth = self._opt("depth")
        depths = [int(d) for d in depth.constraint] if depth and isinstance(depth.constraint, list) else []
        lineart, gray, color = _first(values, _LINEART), _first(values, _GRAY), _first(values, _COLOR)
        found: dict[str, tuple[str | None, int | None]] = {}
        if lineart:
            found["BlackAndWhite1"] = (lineart, None)
        elif gray and 1 in depths:
            found["BlackAndWhite1"] = (gray, 1)
        if gray:
            found["Grayscale8"] = (gray, 8 if depths else None)
            if 16 in depths:
                found["Grayscale16"] = (gray, 16)
        if color:
            found["RGB24"] = (color, 8 if depths else None)
        if not values:
            found["Grayscale8"] = (None, None)
        return found

    def _build_capabilities(self) -> Capabilities:
        res = self._opt("resolution", "x-resolution")
        resolutions: tuple[int, ...] = ()
        res_range = None
        if res and isinstance(res.constraint, tuple):
            low, high, step = res.constraint
            res_range = (int(round(low)), int(high), max(1, int(round(step))))
        elif res and isinstance(res.constraint, list):
            resolutions = tuple(sorted({int(r) for r in res.constraint}))
        else:
            resolutions = (int(self._get(res)),) if res else (300,)
        split = bool(self._opt("x-resolution") and self._opt("y-resolution"))
        width = self._max_thou("br-x")
        height = self._max_thou("br-y")
        return Capabilities(
            device=self._name,
            vendor=self._vendor,
            model=self._model,
            sources=tuple(self._sources()),
            color_modes=tuple(self._color_map()),
            resolutions=resolutions,
            resolution_range=res_range,
            split_resolution=split,
            max_width=width or 8500,
            max_height=height or 11690,
            has_brightness=self._exposure_opt("brightness") is not None,
            has_contrast=self._exposure_opt("contrast") is not None,
            buttons=tuple(o.name for o in self._options.values() if o.is_sensor),
        )

    def _max_thou(self, name: str) -> int | None:
        opt = self._opt(name)
        if not opt or not isinstance(opt.constraint, tuple):
            return None
        return int(self._to_thou(opt, opt.constraint[1]))

    def _current_dpi(self, axis: str) -> float:
        opt = self._opt(f"{axis}-resolution", "resolution")
        return float(self._get(opt)) if opt else 300.0

    def _to_thou(self, opt: Option, value: float) -> float:
        if opt.unit == UNIT_PIXEL:
            return value * THOU_PER_INCH / self._current_dpi("x" if opt.name.endswith("x") else "y")
        return value * THOU_PER_INCH / MM_PER_INCH

    def _from_thou(self, opt: Option, thou: float) -> float:
        if opt.unit == UNIT_PIXEL:
            return thou * self._current_dpi("x" if opt.name.endswith("x") else "y") / THOU_PER_INCH
        return thou * MM_PER_INCH / THOU_PER_INCH

    def capabilities(self) -> Capabilities:
        caps = self._caps
        if caps is not None:  # known while open: no waiting for a scan to release the handle
            return caps
        with self._lock:
            self._ensure_open()
            assert self._caps is not None
            return self._caps

    def resolve(self, ticket: ScanTicket) -> ScanSettings:
        return resolve_ticket(self.capabilities(), ticket)

    # -- settings → options ---------------------------------------------------------------------

    def _apply(self, settings: ScanSettings) -> None:
        sources = self._sources()
        if settings.source not in sources:
            raise ScannerError(f"{self._name}: source {settings.source} not offered ({', '.join(sources)})")
        if settings.duplex and ADF in sources and sources[ADF_DUPLEX][0] != sources[ADF][0]:
            self._set(*sources[ADF])  # the switch kind: feeder source first, then duplex on
        elif "duplex" in self._options and not settings.duplex:
            self._set("duplex", False)
        option, value = sources[settings.source]
        if option:
            self._set(option, value)
        mode, depth = self._color_map()[settings.color_processing]
        if mode is not None:
            self._set("mode", mode)
        if depth is not None:
            self._set("depth", depth)
        x_dpi, y_dpi = settings.resolution
        if self._opt("x-resolution") and self._opt("y-resolution"):
            self._set("x-resolution", x_dpi)
            self._set("y-resolution", y_dpi)
        else:
            self._set("resolution", x_dpi)
        self._apply_region(settings.region)
        for name, value in (("brightness", settings.brightness), ("contrast", settings.contrast)):
            opt = self._exposure_opt(name)
            if value is not None and opt is not None:
                self._set(name, _scale_exposure(value, opt.constraint))

    def _exposure_opt(self, name: str) -> Option | None:
        """Brightness or contrast as a range this driver can scale the ticket's value into; any
        other kind of option counts as absent, so resolve_ticket reports it as not honoured
        instead of the value being dropped here."""
        opt = self._opt(name)
        return opt if opt is not None and opt.settable and isinstance(opt.constraint, tuple) else None

    def _apply_region(self, region: Region | None) -> None:
        tl_x, tl_y, br_x, br_y = (self._opt(n) for n in ("tl-x", "tl-y", "br-x", "br-y"))
        if tl_x is None or tl_y is None or br_x is None or br_y is None:
            return
        if region is None:
            wanted = {"tl-x": 0.0, "tl-y": 0.0, "br-x": None, "br-y": None}
        else:
            wanted = {
                "tl-x": self._from_thou(tl_x, region.x),
                "tl-y": self._from_thou(tl_y, region.y),
                "br-x": self._from_thou(br_x, region.x + region.width),
                "br-y": self._from_thou(br_y, region.y + region.height),
            }
        # Bottom-right to the maximum first, so a new top-left is never beyond the old corner.
        for opt in (br_x, br_y):
            self._set(opt.name, _clamp(opt, None))
        for opt in (tl_x, tl_y, br_x, br_y):
            self._set(opt.name, _clamp(opt, wanted[opt.name]))

    # -- scanning -------------------------------------------------------------------------------

    def scan(self, settings: ScanSettings, folder: Path, first_index: int | None = None) -> Iterator[Page]:
        """One load: Platen gives one page; the feeder runs until ImagesToTransfer pages (0: until
        empty). NO_DOCS before the first page is FeederEmpty; later it ends the batch.
        A cancel() from the call on (even before the first page is asked for) stops it."""
        self._cancel.clear()
        return self._scan(settings, Path(folder), first_index)

    def _scan(self, settings: ScanSettings, folder: Path, first_index: int | None) -> Iterator[Page]:
        with self._lock:
            self._scanning.set()
            self._signals.save()
            with self._token_lock:
                self._scan_token = object()
            try:
                if self._cancel.is_set():
                    raise ScanCancelled(f"{self._name}: scan cancelled before it started")
                yield from self._scan_locked(settings, folder, first_index)
            finally:
                self._end_scan_token()
                self._signals.restore()
                self._scanning.clear()

    def _end_scan_token(self) -> None:
        with self._token_lock:
            self._scan_token = None

    def _scan_locked(self, settings: ScanSettings, folder: Path, first_index: int | None) -> Iterator[Page]:
        handle = self._ensure_open()
        pages: queue.Queue = queue.Queue(maxsize=1)
        stop = threading.Event()
        reader: threading.Thread | None = None
        canceller: threading.Thread | None = None  # a forced sane_cancel (it may block too)
        reopen = False
        self._scans += 1
        scan = self._scans
        try:
            self._apply(settings)
            folder.mkdir(parents=True, exist_ok=True)
            index = first_index if first_index is not None else next_page_index(folder)
            back_first = settings.duplex and self._settings.duplex_order == "back-first"
            # The next page is read while this one is renamed (or transformed) and handed out;
            # page files are fsynced later, on a thread of their own (_sync_later).
            halt = _Either(self._cancel, stop)
            stalled = 0.0  # when the read was found stalled
            reader = threading.Thread(
                target=self._read_pages,
                args=(handle, settings, pages, halt, folder, scan),
                name="sane-reader",
                daemon=True,
            )
            reader.start()
            read = 0
            held: Page | None = None  # a back side read before its front (back-first backends)
            while True:
                try:
                    kind, item = pages.get(timeout=1.0)
                except queue.Empty:
                    if stalled and (not reader.is_alive() or time.monotonic() > stalled + self.CANCEL_GRACE):
                        raise ScannerIOError(f"{self._name}: no data for {self.READ_STALL_SECONDS:.0f} s") from None
                    if not stalled and time.monotonic() - halt.beat > self.READ_STALL_SECONDS:
                        # A device that stopped sending: stop the read rather than wait forever.
                        stalled = time.monotonic()
                        stop.set()
                        canceller = self._cancel_soon(handle)
                    continue
                if kind == "end":
                    break
                if kind == "error":
                    if stalled:
                        raise ScannerIOError(f"{self._name}: no data for {self.READ_STALL_SECONDS:.0f} s") from item
                    raise item
                item = (kind, item)
                if self._cancel.is_set():
                    raise ScanCancelled(f"{self._name}: scan cancelled")
                first_of_sheet = not settings.duplex or read % 2 == 0
                side = "front" if first_of_sheet != back_first else "back"
                # Numbered so that each sheet's front comes before its back, whatever the order read.
                number = index + 1 if back_first and side == "back" else index
                path = page_path(folder, number)
                try:
                    width, height, mode = self._write_page(item, settings, side, path)
                except OSError as exc:
                    raise SpoolError(f"cannot write page {path}: {exc}") from exc
                self._sync_later(path)
                del item
                page = Page(
                    number,
                    path,
                    width,
                    height,
                    mode,
                    settings.resolution,
                    side,
                    read // (2 if settings.duplex else 1) + 1,
                )
                read += 1
                if held is None and back_first and side == "back":
                    held = page
                    continue
                yield page
                index += 1
                if held is not None:
                    yield held
                    held, index = None, index + 1
            if held is not None:  # the batch ended on a lone back side: close the numbering gap
                os.replace(held.path, page_path(folder, index))
                self._sync_later(page_path(folder, index))
                yield Page(
                    index, page_path(folder, index), held.width, held.height, held.mode, held.dpi, held.side, held.sheet
                )
        except ScannerError as error:
            log.warning("%s", error)
            reopen = isinstance(error, _REOPEN_AFTER)
            raise
        finally:
            # From here on this scan cancels its own reads: a late cancel() must not touch the
            # handle while it is cancelled, dropped or reused below.
            self._end_scan_token()
            if reader is not None:
                stop.set()  # the reader ends after its current sane_read
                forced_at = time.monotonic() + self.CANCEL_GRACE
                given_up_at = forced_at + self.ABANDON_SECONDS
                while reader.is_alive() or (canceller is not None and canceller.is_alive()):
                    try:
                        pages.get(timeout=0.1)  # unblock a reader waiting to hand over a page
                    except queue.Empty:
                        pass
                    if forced_at and canceller is None and time.monotonic() > forced_at:
                        canceller = self._cancel_soon(handle)  # a read that does not return
                        forced_at = 0
                    if time.monotonic() > given_up_at:
                        self._abandon(reader)
                        break
                else:
                    reader.join()
                for stale in folder.glob(f".read-{scan}-*.part"):  # read, never handed out: the load failed
                    stale.unlink(missing_ok=True)
            if self._handle is not None:
                self._cancel_handle(handle)  # ends the batch; the device is ready for the next job
            if reopen:
                self._drop()

    def _abandon(self, reader: threading.Thread) -> None:
        """A sane_read that returns neither data nor after sane_cancel: the backend is stuck
        inside (a hung device, or a backend thread that died holding a lock). Its handle is left
        to the stuck thread, never touched again (closing it under a running read may crash);
        the next scan opens the device anew, and tells the user if that fails."""
        log.error(
            "%s: a read (or sane_cancel) did not return %.0f s after the cancel; the device handle is abandoned "
            "(if the scanner stays unusable, restart the kiosk)",
            self._name,
            self.ABANDON_SECONDS,
        )
        self._abandoned.append(reader)
        self._handle, self._caps = None, None

    def _cancel_soon(self, handle: Any) -> threading.Thread:
        """sane_cancel from a thread of its own, so that one that never returns cannot keep the
        scan waiting (the scan gives the handle up ABANDON_SECONDS later)."""
        canceller = threading.Thread(target=self._cancel_handle, args=(handle,), name="sane-cancel", daemon=True)
        canceller.start()
        return canceller

    def _settle(self) -> None:
        """Before sane_cancel of a page still being read (see CANCEL_SETTLE)."""
        time.sleep(self.CANCEL_SETTLE)
        self._threads.wait_parked()

    def _cancel_handle(self, handle: Any) -> None:
        if self._mid_page:
            self._settle()
        try:
            handle.cancel()
            self._mid_page = False
        except Exception as exc:
            log.warning("%s: cancel: %s", self._name, exc)
            self._drop()
        finally:
            self._signals.restore()

    def _read_pages(
        self, handle: Any, settings: ScanSettings, pages: queue.Queue, halt: _Either, folder: Path, scan: int
    ) -> None:
        """Reader thread: start + snap per page until the load is done; hands over raw pages."""
        limit = 1 if settings.source == PLATEN else settings.images_to_transfer
        feeder = settings.source != PLATEN
        sixteen = settings.color_processing == "Grayscale16"

        def progress(_line: int, _lines: int) -> None:
            if halt.is_set():
                raise ScanCancelled(f"{self._name}: scan cancelled during a page")

        stop = halt.events[1]

        def hand_over(message: tuple) -> bool:
            while not stop.is_set():
                try:
                    pages.put(message, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        read = 0
        try:
            while not limit or read < limit:
                if halt.is_set():
                    raise ScanCancelled(f"{self._name}: scan cancelled")
                try:
                    self._threads.before_start()
                    handle.start()
                    self._threads.after_start()
                except Exception as exc:
                    error = map_error(exc, self._name, "starting a page")
                    if isinstance(error, FeederEmpty) and read:
                        break
                    raise error from None
                self._mid_page = True
                # Named for this scan: a reader left behind by an earlier scan (see _abandon)
                # never touches this one's files.
                part = folder / f".read-{scan}-{read + 1}.part"
                try:
                    item = self._read_one(handle, part, feeder, sixteen, progress, halt)
                    if self._is_abandoned():
                        part.unlink(missing_ok=True)
                        return  # the scanner is another scan's now: touch nothing of it
                    self._mid_page = False
                except FeederEmpty:
                    part.unlink(missing_ok=True)
                    if read:
                        break  # the feeder ran out mid-start: the load is complete
                    raise
                except BaseException:
                    part.unlink(missing_ok=True)
                    raise
                finally:
                    if not self._is_abandoned():
                        self._signals.restore()
                if halt.is_set():  # a partial page (also: some backends end a cancelled read with EOF)
                    part.unlink(missing_ok=True)
                    raise ScanCancelled(f"{self._name}: scan cancelled during a page")
                read += 1
                if not hand_over(item):
                    part.unlink(missing_ok=True)
                    return
                del item
            hand_over(("end", None))
        except BaseException as exc:  # handed to the consumer's thread, which raises it
            if not self._is_abandoned():
                hand_over(("error", exc))

    def _is_abandoned(self) -> bool:
        return threading.current_thread() in self._abandoned

    def _read_one(self, handle: Any, part: Path, feeder: bool, sixteen: bool, progress, halt) -> tuple[str, tuple]:
        """One started page: streamed into `part` ("file", (part, width, height, mode)), or
        where that is not possible read whole by snap() ("page", raw)."""
        streamer = self._streamer
        pointer = streamer.handle_of(handle) if streamer else None
        if streamer is not None and pointer is not None:
            try:
                shape = streamer.read_page(pointer, part, halt, self._threads)
            except SaneStatus as exc:
                raise map_error(exc, self._name, "reading a page") from None
            if shape is not None:
                return "file", (part, *shape)
        try:
            return "page", handle.snap(feeder, sixteen, progress)
        except ScanCancelled:
            raise
        except Exception as exc:
            raise map_error(exc, self._name, "reading a page") from None

    def _write_page(self, item: tuple, settings: ScanSettings, side: str, path: Path) -> tuple[int, int, str]:
        """The page file, not yet fsynced (the caller has it synced later, _sync_later); (width,
        height, Pillow mode) of what was written."""
        kind, content = item
        rotate_back = side == "back" and self._settings.duplex_back_rotation
        if kind == "file":
            part, width, height, mode = content
            if settings.rotation or settings.scaling or rotate_back or mode != settings.mode:
                with Image.open(part) as opened:
                    opened.load()
                    image: Image.Image = opened
                    if settings.mode == "1" and image.mode != "1":
                        image = image.convert("1", dither=Image.Dither.NONE)
                    if rotate_back:
                        image = image.transpose(Image.Transpose.ROTATE_180)
                    image = postprocess(image, settings)
                save_page(image, path, sync=False)
                part.unlink()
                return image.width, image.height, image.mode
            os.replace(part, path)
            return width, height, mode
        data, width, height, samples, sample_size = content
        if not (settings.rotation or settings.scaling or rotate_back) and settings.mode in ("L", "RGB", "I;16"):
            # The samples are already PNM's: skip building an image only to write the same bytes.
            if sample_size == 2:
                swapped = array.array("H", bytes(data))
                if sys.byteorder == "little":
                    swapped.byteswap()  # PNM is big-endian
                data = swapped
            header = b"P6" if samples == 3 else b"P5"
            maxval = 65535 if sample_size == 2 else 255
            write_durably(
                path,
                lambda fh: (fh.write(b"%s\n%d %d\n%d\n" % (header, width, height, maxval)), fh.write(data)),
                sync=False,
            )
            return width, height, settings.mode
        if samples == 3:
            image = Image.frombuffer("RGB", (width, height), data, "raw", "RGB", 0, 1)
        elif sample_size == 2:
            image = Image.frombuffer("I;16", (width, height), bytes(data), "raw", "I;16", 0, 1)
        else:
            image = Image.frombuffer("L", (width, height), data, "raw", "L", 0, 1)
        if settings.mode == "1":
            image = image.convert("1", dither=Image.Dither.NONE)
        if rotate_back:
            image = image.transpose(Image.Transpose.ROTATE_180)
        image = postprocess(image, settings)
        save_page(image, path, sync=False)
        return image.width, image.height, image.mode

    def _sync_later(self, path: Path) -> None:
        """A page file reaches storage page_sync_delay after it was scanned, unless its document
        has it by then (the job deletes it): the scan goes on meanwhile."""
        if self._settings.sync_page_files:
            self._page_sync.submit(path)

    def cancel(self) -> None:
        """Stop the scan in progress promptly; safe from any thread. The flag stays set until the
        next scan() call, so a cancel just before the first page is not lost.

        The reader thread sees the flag after each sane_read and cancels on its own thread.
        Some backends (the test backend among them) are not safe against a sane_cancel from
        another thread during a read, so that is only done if a read is still blocked after
        CANCEL_GRACE seconds."""
        self._cancel.set()
        scan = self._scan_token
        if scan is not None:
            timer = threading.Timer(self.CANCEL_GRACE, self._force_cancel, args=(scan,))
            timer.daemon = True
            timer.start()

    def _force_cancel(self, scan: object) -> None:
        if self._scan_token is not scan:
            return  # that scan ended on its own
        self._settle()
        # Checked again under the token lock after the pause: the scan may have ended meanwhile,
        # and the next one must not be cancelled by this timer.
        with self._token_lock:
            handle = self._handle
            if handle is None or self._scan_token is not scan:
                return
            log.warning(
                "%s: a read did not end %.0f s after cancel: sane_cancel from another thread",
                self._name,
                self.CANCEL_GRACE,
            )
            try:
                handle.cancel()
            except Exception as exc:
                log.debug("%s: cancel: %s", self._name, exc)

    # -- buttons --------------------------------------------------------------------------------

    def read_buttons(self) -> dict[str, bool] | None:
        """The device's button sensors, or None while a scan (or another caller) has the handle."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            if self._scanning.is_set():
                return None
            self._ensure_open()
            sensors = [o for o in self._options.values() if o.is_sensor]
            return {o.name: bool(self._get(o)) for o in sensors}
        except ScannerError:
            return None
        except Exception as exc:
            log.debug("%s: reading buttons: %s", self._name, exc)
            return None
        finally:
            self._lock.release()

    def close(self) -> None:
        self.cancel()
        with self._lock:
            self._drop()


class _Either:
    """Set when either event is: the user's cancel, or the consumer leaving the load. The reader
    asks after every read, so the time of the last question (`beat`) shows it is alive."""

    def __init__(self, *events: threading.Event) -> None:
        self.events = events
        self.beat = time.monotonic()

    def is_set(self) -> bool:
        self.beat = time.monotonic()
        return any(e.is_set() for e in self.events)


def _clamp(opt: Option, value: float | None) -> float:
    """`value` inside the option's range (None: the maximum)."""
    low, high, _quant = opt.constraint if isinstance(opt.constraint, tuple) else (0.0, value or 0.0, 0)
    if value is None:
        return high
    return min(max(value, low), high)


def _scale_exposure(value: int, constraint: tuple) -> float:
    """Ticket -1000..1000 onto the option's range, 0 at the range's centre (or its 0)."""
    low, high, quant = constraint
    if low < 0 < high:
        scaled = value / 1000 * (high if value > 0 else -low)
    else:
        scaled = low + (value + 1000) / 2000 * (high - low)
    if quant:
        scaled = low + round((scaled - low) / quant) * quant
    return min(max(scaled, low), high)
