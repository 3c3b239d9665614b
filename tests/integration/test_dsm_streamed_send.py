"""SendImage of a document while it is being written: chunked MTOM to the reference server,
which keeps only what arrived complete."""

from __future__ import annotations

import hashlib
import os
import threading

import pikepdf
import pytest

from hardware.fake_scanner import FakeScanner
from kiosk.dsm.client import WsdspClient
from kiosk.dsm.protocol import GrowingFile, StreamStopped
from kiosk.imaging import DocumentEncoder, streaming_document
from kiosk.scanner import ScanSettings
from tests.integration.test_dsm_flow import PSP_ID, SID, instructions


class Writer:
    """Appends to a part file in a thread, one piece each time the reader has caught up (so the
    send provably starts before the file is complete), then renames it into place."""

    def __init__(self, folder, pieces, *, give_up=False):
        self.part = folder / ".1.bin.part"
        self.final = folder / "1.bin"
        self.pieces = pieces
        self.give_up = give_up
        self.caught_up = threading.Event()
        self.waits = 0
        self.part.write_bytes(pieces[0])

    def state(self, fd):
        if self.final.exists() and os.stat(self.final).st_ino == os.fstat(fd).st_ino:
            return True
        if not self.part.exists() and not self.final.exists():
            return None
        self.waits += 1
        self.caught_up.set()
        return False

    def run(self):
        for piece in self.pieces[1:]:
            self.caught_up.wait(30)
            self.caught_up.clear()
            with open(self.part, "ab") as fh:
                fh.write(piece)
        self.caught_up.wait(30)
        if self.give_up:
            self.part.unlink()
        else:
            self.part.replace(self.final)


def send_growing(client, token, writer, **kw):
    thread = threading.Thread(target=writer.run)
    thread.start()
    try:
        client.send_image(
            token, 1, "application/octet-stream", None, growing=GrowingFile(writer.part, writer.state, **kw)
        )
    finally:
        thread.join()


def test_a_growing_file_arrives_whole(scan_server, scan_server_settings, tmp_path):
    pieces = [os.urandom(n) for n in (10, 300_000, 1, 70_000)]
    writer = Writer(tmp_path, pieces)
    with WsdspClient(scan_server.endpoint, scan_server_settings) as c:
        token = c.create_post_scan_job(SID, PSP_ID, instructions())
        send_growing(c, token, writer)
        c.end_post_scan_job(token)
    assert writer.waits >= len(pieces)  # the reader was ahead of the writer each time
    record = scan_server.wait_for_state(token)
    (doc,) = record["documents"]
    assert (doc["size"], doc["sha256"]) == (sum(map(len, pieces)), hashlib.sha256(b"".join(pieces)).hexdigest())


@pytest.mark.parametrize("give_up", [True, False], ids=["given-up", "stalled"])
def test_a_stopped_stream_leaves_nothing_on_the_server(scan_server, scan_server_settings, tmp_path, give_up):
    pieces = [b"a" * 1000, b"b" * 1000]
    writer = Writer(tmp_path, pieces, give_up=give_up)
    with WsdspClient(scan_server.endpoint, scan_server_settings) as c:
        token = c.create_post_scan_job(SID, PSP_ID, instructions())
        if give_up:
            with pytest.raises(StreamStopped) as err:
                send_growing(c, token, writer)
        else:  # the writer never finishes: it stops after its pieces
            writer.give_up = None
            with pytest.raises(StreamStopped) as err:
                c.send_image(
                    token,
                    1,
                    "application/octet-stream",
                    None,
                    growing=GrowingFile(writer.part, writer.state, idle_timeout=0.3),
                )
        assert err.value.stalled is not give_up
        status = c.get_post_scan_job_elements(token).status
        assert status.images_received == 0
        # The fallback: the finished file, same DocumentId.
        whole = tmp_path / "whole.bin"
        whole.write_bytes(b"".join(pieces))
        c.send_image(token, 1, "application/octet-stream", whole)
        c.end_post_scan_job(token)
    (doc,) = scan_server.wait_for_state(token)["documents"]
    assert doc["sha256"] == hashlib.sha256(b"".join(pieces)).hexdigest()


def test_pdf_a_sent_while_the_pages_are_encoded(scan_server, scan_server_settings, tmp_path):
    """The encoder writes a PDF/A page by page while SendImage sends it; the server gets the
    finished file byte for byte and accepts it as pdf-a."""
    settings = ScanSettings(source="ADF", color_processing="RGB24", resolution=(100, 100), images_to_transfer=4)
    pages = list(FakeScanner(sheets=4).scan(settings, tmp_path / "pages"))
    work = tmp_path / "work"
    encoder = DocumentEncoder("pdf-a", work, title="Streamed")
    encoder.add(pages[0])
    part = streaming_document(work)
    final = work / "1.pdf"
    caught_up = threading.Event()

    def state(fd):
        if final.exists():
            return os.stat(final).st_ino == os.fstat(fd).st_ino or None
        caught_up.set()
        return False

    def encode_rest():
        for page in pages[1:]:
            caught_up.wait(30)
            caught_up.clear()
            encoder.add(page)
        caught_up.wait(30)
        encoder.finish()

    thread = threading.Thread(target=encode_rest)
    thread.start()
    with WsdspClient(scan_server.endpoint, scan_server_settings) as c:
        token = c.create_post_scan_job(SID, PSP_ID, instructions())
        try:
            c.send_image(token, 1, "pdf-a", None, growing=GrowingFile(part, state))
        finally:
            thread.join()
        c.end_post_scan_job(token)
    (doc,) = scan_server.wait_for_state(token)["documents"]
    assert doc["sha256"] == hashlib.sha256(final.read_bytes()).hexdigest()
    (shared,) = [f for f in scan_server.shared_files() if f.read_bytes() == final.read_bytes()]
    with pikepdf.open(shared) as pdf:
        assert len(pdf.pages) == 4 and pdf.check_pdf_syntax() == []


def test_a_growing_file_arrives_whole_over_https(tmp_path):
    """The same through the server's TLS front, which relays the chunked body as it comes."""
    from kiosk.config import ScanServerSettings
    from tests.fixtures.scan_server import ScanServer, ServerTls
    from tests.fixtures.tls import make_pki

    pki = make_pki(tmp_path / "pki")
    server = ScanServer(tmp_path / "server", tls=ServerTls(pki.server_cert, pki.server_key)).start()
    try:
        pieces = [os.urandom(n) for n in (5000, 400_000, 3)]
        writer = Writer(tmp_path, pieces)
        with WsdspClient(server.endpoint, ScanServerSettings(ca_file=str(pki.ca))) as c:
            token = c.create_post_scan_job(SID, PSP_ID, instructions())
            send_growing(c, token, writer)
            c.end_post_scan_job(token)
        (doc,) = server.wait_for_state(token)["documents"]
        assert doc["sha256"] == hashlib.sha256(b"".join(pieces)).hexdigest()
    finally:
        server.stop()
