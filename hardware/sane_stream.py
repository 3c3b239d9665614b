"""Page data straight from sane_read into a PNM file, in large chunks.

python-sane's snap() reads one line per sane_read call, gathers the whole page in C memory and
copies it into a bytearray: a 300 ppi A4 colour page is held twice (50 MB) and the per-line calls
cost more than the device's own pace on fast feeders. This reads the open python-sane handle with
libsane's own sane_read (the same loaded library, through ctypes, which releases the GIL during
the call), 256 KiB at a time, and writes whole lines straight from the buffer libsane filled:
SANE's gray, RGB and bilevel lines are already PNM's P5, P6 and P4 rows (16-bit samples only
need big-endian order).
Anything else (three-pass frames, a handle that is not python-sane's) falls back to snap().

The SANE_Handle is read out of python-sane's device object, whose C layout is private: it is
only done for the python-sane releases whose layout was checked (VERIFIED_PYTHON_SANE, also
the range pyproject.toml allows) and when the object's size matches that layout, before the
pointer is ever read or handed to libsane; then once per handle our sane_get_parameters must
agree with python-sane's. Any mismatch means snap(), never a crash.
"""

from __future__ import annotations

import array
import ctypes
import ctypes.util
import functools
import importlib.metadata
import logging
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CHUNK = 256 * 1024
#: What a backend's reader thread can surely write into its pipe unread: Linux's default pipe
#: capacity (64 KiB in 16 pages) less two pages that a partly read page may still hold.
PIPE_ROOM = 64 * 1024 - 2 * 4096
GOOD, EOF = 0, 5
FRAME_GRAY, FRAME_RGB = 0, 1
#: SANE_Status values (sane/sane.h) → the words python-sane would raise, for map_error.
STATUS_TEXT = {
    1: "Operation not supported",
    2: "Operation was cancelled",
    3: "Device busy",
    4: "Invalid argument",
    6: "Document feeder jammed",
    7: "Document feeder out of documents",
    8: "Scanner cover is open",
    9: "Error during device I/O",
    10: "Out of memory",
    11: "Access to resource has been denied",
}
#: Width of the height field in the PNM header, patched when the page has ended.
HEIGHT_FIELD = 10
#: python-sane releases (major.minor) whose SaneDev is {PyObject_HEAD; SANE_Handle h;}.
VERIFIED_PYTHON_SANE = ("2.9",)


@functools.cache
def python_sane_verified() -> bool:
    """True when the installed python-sane is a release whose handle layout was checked."""
    try:
        release = importlib.metadata.version("python-sane")
    except importlib.metadata.PackageNotFoundError:
        release = ""
    ok = ".".join(release.split(".")[:2]) in VERIFIED_PYTHON_SANE
    if not ok:
        log.info("python-sane %s is not a verified release: pages are read with snap()", release or "(unknown)")
    return ok


class BackendThreads:
    """The threads a SANE backend starts for a page, seen from /proc (Linux).

    Backends built on sanei_thread with pthreads (SANE's test backend and many USB drivers)
    read the device in a thread that writes into a pipe, and their sane_cancel, also called by
    their own sane_read once the last byte has arrived, cancels that thread asynchronously:
    caught inside malloc or free (taking its buffer, freeing it, ending), it dies holding the
    heap lock, and the next page's reader thread waits for that lock forever while sane_read
    waits for its data: the scanner hangs until the process restarts. So the last bytes of a
    page are read, and a page is cancelled, only once the backend's thread has ended or is
    asleep (blocked on its pipe), never while it runs. Bounded waits: a backend whose thread
    does neither costs at most `patience` seconds per page."""

    TASKS = Path("/proc/self/task")

    def __init__(self, patience: float = 0.5) -> None:
        self.patience = patience
        self._before: set[int] = set()
        self.started: set[int] = set()
        self.outlived = 0  # pages in a row whose thread did not end with its data

    def _foreign(self) -> set[int] | None:
        try:
            tasks = {int(name) for name in os.listdir(self.TASKS)}
        except (OSError, ValueError):
            return None
        return tasks - _python_threads()

    def before_start(self) -> None:
        self._before = self._foreign() or set()
        self.started = set()

    def after_start(self) -> None:
        now = self._foreign()
        self.started = now - self._before if now is not None else set()

    def _state(self, tid: int) -> str:
        try:
            stat = (self.TASKS / str(tid) / "stat").read_text()
        except OSError:
            return ""  # ended
        return stat[stat.rfind(")") + 2 :][:1]

    def wait_ended(self) -> None:
        """Until the threads of this page have ended. A backend whose threads outlive their page
        three times in a row is not waited for again."""
        if self.outlived >= 3:
            return
        self._drop_ours()
        deadline = time.monotonic() + self.patience
        while any(self._state(tid) for tid in self.started):
            if time.monotonic() > deadline:
                self.started = set()  # one wait per page: the page's later reads do not wait again
                self.outlived += 1
                if self.outlived == 3:
                    log.info("the SANE backend's threads outlive their pages: their end is no longer waited for")
                return
            time.sleep(0.001)
        self.started = set()
        self.outlived = 0

    def _drop_ours(self) -> None:
        # A Python thread that was starting during sane_start is not the backend's.
        self.started = self.started - _python_threads()

    def wait_parked(self) -> None:
        """Until each thread of this page has ended or sleeps (two looks 5 ms apart)."""
        self._drop_ours()
        deadline = time.monotonic() + self.patience
        calm = 0
        while self.started and calm < 2 and time.monotonic() < deadline:
            running = any(self._state(tid) not in ("", "S", "D", "t", "T", "Z", "X") for tid in self.started)
            calm = 0 if running else calm + 1
            time.sleep(0.005)


def _python_threads() -> set[int]:
    """The kernel ids of this process's Python threads (the ones that are not a backend's)."""
    return {t.native_id for t in threading.enumerate() if t.native_id is not None}


class SaneStatus(Exception):
    """A SANE status other than GOOD/EOF, with python-sane's wording."""


class _Parameters(ctypes.Structure):
    _fields_ = [
        ("format", ctypes.c_int),
        ("last_frame", ctypes.c_int),
        ("bytes_per_line", ctypes.c_int),
        ("pixels_per_line", ctypes.c_int),
        ("lines", ctypes.c_int),
        ("depth", ctypes.c_int),
    ]


class PageStreamer:
    def __init__(self, lib: ctypes.CDLL) -> None:
        self._lib = lib
        lib.sane_read.argtypes = (ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int))
        lib.sane_read.restype = ctypes.c_int
        lib.sane_get_parameters.argtypes = (ctypes.c_void_p, ctypes.POINTER(_Parameters))
        lib.sane_get_parameters.restype = ctypes.c_int
        self._verified: set[int] = set()
        self._lock = threading.Lock()

    @classmethod
    def load(cls) -> PageStreamer | None:
        name = ctypes.util.find_library("sane") or "libsane.so.1"
        try:
            return cls(ctypes.CDLL(name))
        except OSError as exc:
            log.info("libsane not loadable through ctypes (%s): pages are read with snap()", exc)
            return None

    def handle_of(self, dev: Any) -> int | None:
        """The SANE_Handle inside a python-sane device object ({PyObject_HEAD; SANE_Handle h;}),
        checked once against python-sane's own get_parameters()."""
        kind = type(dev)
        if kind.__name__ != "SaneDev" or kind.__module__ not in ("_sane", "builtins"):
            return None
        if not python_sane_verified() or kind.__basicsize__ != object.__basicsize__ + ctypes.sizeof(ctypes.c_void_p):
            return None
        pointer = ctypes.c_void_p.from_address(id(dev) + kind.__basicsize__ - ctypes.sizeof(ctypes.c_void_p)).value
        if not pointer:
            return None
        with self._lock:
            if pointer not in self._verified:
                params = self.parameters(pointer)
                if params is None:
                    return None
                fmt, _last, (ppl, _lines), depth, bpl = dev.get_parameters()
                if (params.pixels_per_line, params.depth, params.bytes_per_line) != (ppl, depth, bpl):
                    log.warning("python-sane's handle layout is not as expected: pages are read with snap()")
                    return None
                self._verified.add(pointer)
        return pointer

    def parameters(self, pointer: int) -> _Parameters | None:
        params = _Parameters()
        return params if self._lib.sane_get_parameters(pointer, ctypes.byref(params)) == GOOD else None

    def read_page(
        self, pointer: int, path: Path, cancelled: Any, threads: BackendThreads | None = None
    ) -> tuple[int, int, str] | None:
        """Stream the started page into `path` as PNM; (width, height, Pillow mode), or None when
        the frame is of a kind this does not handle (nothing has been read then). `cancelled.is_set()`
        is checked after every read. `threads`: the backend's threads for this page, ended before
        the read that may bring the page's last bytes (see BackendThreads)."""
        params = self.parameters(pointer)
        if params is None or not params.last_frame or params.format not in (FRAME_GRAY, FRAME_RGB):
            return None
        depth, ppl, bpl = params.depth, params.pixels_per_line, params.bytes_per_line
        rgb = params.format == FRAME_RGB
        if depth not in (1, 8, 16) or (depth == 1 and rgb) or ppl <= 0 or bpl <= 0:
            return None
        row = (ppl * (3 if rgb else 1) * depth + 7) // 8  # bytes of pixels; the rest is padding
        if row > bpl:
            return None
        magic, maxval, mode = {
            1: (b"P4", b"", "1"),
            8: (b"P6" if rgb else b"P5", b"255\n", "RGB" if rgb else "L"),
            16: (b"P5", b"65535\n", "I;16"),
        }[depth]
        if depth == 16 and rgb:
            return None
        prefix = magic + b"\n%d " % ppl
        swap = depth == 16 and sys.byteorder == "little"
        # sane_read fills the buffer behind the part of a line left over from the last read;
        # whole lines are written from it as they are (no copy in Python, which would hold the
        # GIL for every byte of the page while the encoder threads wait for it).
        buffer = bytearray(CHUNK + bpl)
        view = memoryview(buffer)
        base = ctypes.addressof(ctypes.c_char.from_buffer(buffer))
        got = ctypes.c_int()
        have = 0
        lines = 0
        try:
            with open(path, "wb") as fh:
                fh.write(prefix + b"%*d\n" % (HEIGHT_FIELD, max(params.lines, 0)) + maxval)
                expected = params.lines * bpl if params.lines > 0 else -1
                received = 0
                while True:
                    if threads is not None and threads.started and 0 <= expected - received <= PIPE_ROOM:
                        threads.wait_ended()  # the rest fits in its pipe: its thread can finish
                    status = self._lib.sane_read(pointer, base + have, CHUNK, ctypes.byref(got))
                    if cancelled.is_set() or status == EOF:
                        break
                    if status != GOOD:
                        raise SaneStatus(STATUS_TEXT.get(status, f"SANE status {status}"))
                    have += got.value
                    received += got.value
                    whole = have // bpl
                    if not whole:
                        continue
                    size = whole * bpl
                    block: Any = view[:size]
                    if row != bpl:  # padded lines: the pixels of each
                        block = b"".join(view[i * bpl : i * bpl + row] for i in range(whole))
                    if swap:
                        samples = array.array("H")
                        samples.frombytes(block)
                        samples.byteswap()
                        block = samples
                    fh.write(block)
                    buffer[: have - size] = view[size:have]
                    have -= size
                    lines += whole
                fh.seek(len(prefix))
                fh.write(b"%*d" % (HEIGHT_FIELD, lines))
        finally:
            view.release()
        return ppl, lines, mode
