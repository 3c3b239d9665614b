"""TLS for the scan-server connection: which CAs to trust, and the optional client certificate."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Sequence

import requests
from requests.adapters import HTTPAdapter

from kiosk.config import ScanServerSettings
from kiosk.dsm.errors import InsecureEndpoint, TlsError

#: Extra trusted roots: PEM strings or DER bytes (as in the directory's cACertificate), or a
#: callable giving them, called when the connection is set up.
ExtraCAs = Sequence[str | bytes] | Callable[[], Sequence[str | bytes]]


class _ContextAdapter(HTTPAdapter):
    def __init__(self, context: ssl.SSLContext, **kw) -> None:
        self._context = context
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["ssl_context"] = self._context
        return super().init_poolmanager(*args, **kwargs)


def check_scheme(url: str, settings: ScanServerSettings) -> None:
    scheme = url.split(":", 1)[0].lower()
    if scheme == "http" and not settings.allow_http:
        raise InsecureEndpoint(f"{url}: plain HTTP to the scan server is refused ([scan_server] allow_http is false)")
    if scheme not in ("http", "https"):
        raise InsecureEndpoint(f"{url}: not an http(s) URL")


def session(settings: ScanServerSettings, extra_cas: ExtraCAs = ()) -> requests.Session:
    """A requests session that verifies the scan server against ca_file (or the system store) plus
    any extra PEM roots, and presents client_cert/client_key when configured."""
    try:
        ctx = ssl.create_default_context(cafile=settings.ca_file or None)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        pems = extra_cas() if callable(extra_cas) else extra_cas
        for pem in pems:
            ctx.load_verify_locations(cadata=pem)
        if settings.client_cert:
            ctx.load_cert_chain(settings.client_cert, settings.client_key or None)
    except (OSError, ssl.SSLError, ValueError) as exc:
        raise TlsError(f"TLS setup for the scan server failed: {exc}") from None
    s = requests.Session()
    # A path makes requests load only that bundle; True would add certifi to the context.
    s.verify = settings.ca_file or True
    adapter = _ContextAdapter(ctx, pool_connections=4, pool_maxsize=4, max_retries=0)
    s.mount("https://", adapter)
    s.mount("http://", HTTPAdapter(max_retries=0))
    return s
