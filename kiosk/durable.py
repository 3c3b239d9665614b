"""Files that are complete on disk, or absent: what the spool, the encoder, the scanner driver
and the reference server all need so that a crash or power loss never leaves half a file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` itself durable."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
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
