"""The enterprise root CAs read from the directory at sign-in, kept for the delivery worker.

The worker runs without the user's credentials, so it cannot read them itself: the directory
backend writes them as a PEM bundle in [spool] state_directory, and the worker's scan-server
connections trust that bundle when [scan_server] ca_from_directory is set.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.durable import write_durably

if TYPE_CHECKING:
    from kiosk.config import Settings

log = logging.getLogger(__name__)

BUNDLE_NAME = "enterprise-roots.pem"


def bundle_path(settings: Settings) -> Path:
    return settings.resolve_path(settings.spool.state_directory) / BUNDLE_NAME


def usable_certificates(values: Sequence[bytes], where: str) -> list[bytes]:
    """The values that are DER certificates; one that is not would make every TLS setup fail."""
    usable = []
    for der in values:
        try:
            ssl.create_default_context(purpose=ssl.Purpose.SERVER_AUTH).load_verify_locations(cadata=der)
        except (ssl.SSLError, ValueError) as exc:
            log.warning("a cACertificate under %s is not a certificate (%s); left out", where, exc)
            continue
        usable.append(der)
    return usable


def write_bundle(path: Path, certificates: Sequence[bytes]) -> None:
    """Replace the bundle atomically (temp file, fsync, rename) with these DER certificates."""
    pem = "".join(ssl.DER_cert_to_PEM_cert(der) for der in certificates)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Public certificates; the worker may run as another user.
    write_durably(path, lambda fh: fh.write(pem.encode("ascii")), mode=0o644)


def bundle_reader(settings: Settings) -> Callable[[], list[str]]:
    """extra_cas for WsdspClient/EndpointResolver: the kept bundle, or nothing before any sign-in."""
    path = bundle_path(settings)

    def read() -> list[str]:
        try:
            pem = path.read_text(encoding="ascii")
        except FileNotFoundError:
            log.info("no enterprise root CAs kept yet (%s); only ca_file/system roots are trusted", path)
            return []
        return [pem] if pem.strip() else []

    return read
