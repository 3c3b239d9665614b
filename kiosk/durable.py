"""Files that are complete on disk, or absent: what the spool, the encoder, the scanner driver
and the reference server all need so that a crash or power loss never leaves half a file."""

from __future__ import annotations

import collections
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` itself durable."""
    _fsync(folder, os.O_DIRECTORY)


def _fsync(path: Path, flags: int = 0) -> None:
    fd = os.open(path, os.O_RDONLY | flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(
    path: Path, write: Callable[[BinaryIO], object], *, mode: int | None = None, sync: bool = True
) -> None:
    """Write a file through `write(fh)` so that it is complete on disk, or absent, when this
    returns: temp file, fsync, (chmod), rename, fsync of the folder. `sync=False` leaves out the
    fsyncs: complete or absent after a crash of this process, but not after a power cut."""
    tmp = path.with_name(f".{path.name}.part")
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync:
        fsync_dir(path.parent)


class LateSync:
    """fsyncs files on a thread of its own, each about `delay` seconds after it was handed in
    (later while earlier ones are still being written) and in that order: the file's data, then
    its folder (for its name). A file gone by then is left alone: whoever deleted it had its
    content on storage elsewhere. For raw page files, which the job deletes once their document
    is fsynced: the scan never waits for an fsync, and pages encoded within `delay` are usually
    never written to storage as page files at all (unless the kernel's writeback gets there
    first).

    A failed fsync is logged, not raised: the page is still in memory and goes into its
    document, whose own write fails loudly if the storage is gone; the next files are still
    tried."""

    #: An idle thread ends after this long; the next `submit` starts another.
    IDLE_SECONDS = 30.0

    def __init__(self, delay: float = 0.0, *, name: str = "late-sync") -> None:
        self.delay = delay
        self._name = name
        self._cond = threading.Condition()
        self._todo: collections.deque[tuple[float, Path]] = collections.deque()
        self._busy = False
        self._thread: threading.Thread | None = None

    def submit(self, path: Path) -> None:
        with self._cond:
            self._todo.append((time.monotonic() + self.delay, path))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """True once every file handed in so far is synced, or was gone at its turn."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._todo and not self._busy, timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._busy = False
                self._cond.notify_all()
                while not self._todo or self._todo[0][0] > time.monotonic():
                    left = self._todo[0][0] - time.monotonic() if self._todo else self.IDLE_SECONDS
                    if not self._cond.wait(max(left, 0.0)) and not self._todo:
                        self._thread = None
                        return
                _, path = self._todo.popleft()
                self._busy = True
            try:
                _fsync(path)
                fsync_dir(path.parent)
            except FileNotFoundError:
                pass  # gone, or its folder with it
            except Exception as exc:  # never the end of this thread: the files after it still count
                log.error("%s could not be written to storage: %s", path, exc)
