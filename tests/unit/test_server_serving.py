"""How the reference server reads from its clients (dsm_server.serve)."""

from __future__ import annotations

import pytest

from dsm_server import serve
from dsm_server.config import parse


def _app(environ, start_response):
    start_response("204 No Content", [])
    return []


@pytest.mark.parametrize(("faults", "recv"), [({}, serve.RECV_BYTES), ({"read_rate": 2_500_000}, 8192)])
def test_documents_are_read_in_large_pieces_unless_a_slow_link_is_imitated(faults, recv):
    """waitress's 8 KiB per recv made ~400 passes of its Python loop per MB of a SendImage;
    the slow-link fault paces each recv, so it keeps them small."""
    server, front = serve.make_server(_app, parse({"host": "127.0.0.1", "port": 0, "faults": faults}))
    try:
        assert front is None
        assert server.adj.recv_bytes == recv
    finally:
        server.close()
