"""Second reading of the scan server: [limits] max_soap_kb's 413 also holds for a chunked SOAP
body, which has no Content-Length to check when the headers are read (review)."""

from __future__ import annotations

from waitress.adjustments import Adjustments

from dsm_server import config as server_config
from dsm_server.serve import parser_class


def _parse(config, head: bytes, body_chunks: list[bytes]):
    adj = Adjustments(max_request_body_size=100 * 1024 * 1024)
    parser = parser_class(config)(adj)
    data = head
    for chunk in body_chunks:
        data += b"%x\r\n" % len(chunk) + chunk + b"\r\n"
    data += b"0\r\n\r\n"
    while data and not parser.completed:
        data = data[parser.received(data[:65536]) :]
    return parser


def test_a_chunked_soap_body_over_max_soap_kb_is_refused():
    config = server_config.parse({"insecure_lab_mode": True, "limits": {"max_soap_kb": 64}})
    head = b"POST /x HTTP/1.1\r\nHost: h\r\nContent-Type: application/soap+xml\r\nTransfer-Encoding: chunked\r\n\r\n"
    parser = _parse(config, head, [b"x" * 4096] * 64)  # 256 KiB
    assert parser.error is not None and parser.error.code == 413
    small = _parse(config, head, [b"x" * 1024])
    assert small.error is None and small.completed
    # MTOM (multipart) stays bounded by max_request_body_size only.
    mtom = _parse(config, head.replace(b"application/soap+xml", b"multipart/related"), [b"x" * 4096] * 64)
    assert mtom.error is None
