"""The engine against fakes: pipeline order, loads, cancel, events, retries, failures, spool rules."""

from __future__ import annotations

import logging
import stat
import threading
import time
from pathlib import Path

import pytest

from kiosk.errors import DeliveryError, KioskError, SpoolError
from kiosk.jobs import Engine
from kiosk.jobs import spool as sp
from tests.fixtures.jobs_fakes import FakeEncoder, FakeScanner, FakeServer
from tests.fixtures.jobs_support import User, process, settings


@pytest.fixture
def server():
    return FakeServer()


def make_engine(tmp_path, server, loads, **spool):
    return Engine(settings(tmp_path, **spool), FakeScanner(loads), clients=server.client, encoder_factory=FakeEncoder)


def test_one_load_is_delivered_in_order_and_completed(tmp_path, server):
    engine = make_engine(tmp_path, server, [3])
    seen = []
    engine.subscribe(seen.append)
    job = engine.start(User(), process())
    assert job.scan_load() == 3
    record = job.finish()
    final = job.wait(10)
    engine.close()
    assert final.state == sp.COMPLETED and final.pages == 3 and final.documents == 3 == final.acked
    assert not engine.spool.job_dir(job.job_id).exists()  # keep_completed_hours = 0
    (token,) = server.jobs
    assert sorted(server.jobs[token].images) == [1, 2, 3]
    assert server.calls[0] == "create" and server.calls.count("end") == 1
    assert server.calls.index("end") > max(i for i, c in enumerate(server.calls) if c == "send")
    kinds = [e.kind for e in seen]
    assert kinds.count("page_scanned") == 3 and kinds.count("document_sent") == 3
    assert all(e.data["path"].endswith(".jpg") for e in seen if e.kind == "page_scanned")
    assert seen[-1].state == sp.COMPLETED
    assert record.job_id == final.job_id


def test_sends_while_the_next_page_is_scanned(tmp_path, server):
    engine = make_engine(tmp_path, server, [4])
    sent_before_scan_end = []
    scanner = engine.scanner
    gate = threading.Event()

    def on_page(n):
        if n == 2:  # hold the scanner after page 2 until page 1 has been sent
            gate.wait(5)
            sent_before_scan_end.append(server.calls.count("send"))

    engine.subscribe(lambda e: gate.set() if e.kind == "document_sent" else None)
    scanner.on_page = on_page
    job = engine.start(User(), process())
    job.scan_load()
    job.finish()
    assert job.wait(10).state == sp.COMPLETED
    engine.close()
    assert sent_before_scan_end and sent_before_scan_end[0] >= 1


def test_scan_more_keeps_every_load_in_one_job(tmp_path, server):
    engine = make_engine(tmp_path, server, [2, 3])
    job = engine.start(User(), process())
    assert job.scan_load() == 2
    assert job.scan_load() == 3
    job.finish()
    assert job.wait(10).state == sp.COMPLETED
    engine.close()
    assert len(server.jobs) == 1 and sorted(next(iter(server.jobs.values())).images) == [1, 2, 3, 4, 5]


def test_multi_page_format_sends_one_document_at_finish(tmp_path, server):
    engine = make_engine(tmp_path, server, [3])
    job = engine.start(User(), process(fmt="pdf-a"))
    job.scan_load()
    job.finish()
    final = job.wait(10)
    engine.close()
    assert final.state == sp.COMPLETED and final.pages == 3
    (sjob,) = server.jobs.values()
    assert list(sjob.images) == [1]


def test_cancel_drops_documents_and_cancels_on_the_server(tmp_path, server):
    engine = make_engine(tmp_path, server, [2])
    sent = threading.Event()
    engine.subscribe(lambda e: sent.set() if e.kind == "document_sent" else None)
    job = engine.start(User(), process())
    job.scan_load()
    assert sent.wait(5)  # the server holds part of the job when it is canceled
    job.cancel()
    final = engine.spool.job(job.job_id)
    engine.close()
    assert final.state == sp.CANCELED and not engine.spool.job_dir(job.job_id).exists()
    assert all(j.state == "Canceled" for j in server.jobs.values())


def test_nothing_scanned_is_canceled_not_ended(tmp_path, server):
    engine = make_engine(tmp_path, server, [0])
    job = engine.start(User(), process())
    assert job.scan_load() == 0
    job.finish()
    final = job.wait(10)
    engine.close()
    assert final.state == sp.CANCELED and "end" not in server.calls


class ForgettingClients:
    def __init__(self, server):
        self.server = server
        self.forgotten = []

    def __call__(self, repository):
        return self.server.client(repository)

    def forget(self, repository):
        self.forgotten.append(repository)


def test_outage_retries_with_backoff_then_delivers(tmp_path, server):
    server.down = True
    clients = ForgettingClients(server)
    engine = Engine(settings(tmp_path), FakeScanner([2]), clients=clients, encoder_factory=FakeEncoder)
    retries = []
    engine.subscribe(lambda e: retries.append(e) if e.kind == "retry" else None)
    job = engine.start(User(), process())
    job.scan_load()
    job.finish()
    assert job.wait(0.3).state == sp.QUEUED  # pages safe in the spool while the server is down
    server.down = False
    final = job.wait(10)
    engine.close()
    assert final.state == sp.COMPLETED and len(retries) >= 2
    assert clients.forgotten and set(clients.forgotten) == {"scan.example.test"}  # endpoint discovered again
    assert retries[0].data["retry_in"] <= 0.01 and max(r.data["retry_in"] for r in retries) <= 0.05


def test_permanent_failure_keeps_documents_for_resend(tmp_path, server):
    server.fail_next["create"] = DeliveryError("psp unknown", retryable=False, user_message="Unknown scan process.")
    engine = make_engine(tmp_path, server, [2])
    job = engine.start(User(), process())
    job.scan_load()
    job.finish()
    failed = job.wait(10)
    assert failed.state == sp.FAILED and "psp unknown" in failed.reason and failed.documents == 2
    assert engine.history(User().sid)[0]["reason"] == failed.reason
    engine.resend(job.job_id)
    final = job.wait(10)
    engine.close()
    assert final.state == sp.COMPLETED and len(server.completed_documents()) == 2


def test_aborted_by_the_server_is_kept_and_can_be_deleted(tmp_path, server):
    server.end_state = "Aborted"
    engine = make_engine(tmp_path, server, [1])
    job = engine.start(User(), process())
    job.scan_load()
    job.finish()
    assert job.wait(10).state == sp.ABORTED
    assert all(d.path.exists() for d in engine.spool.documents(job.job_id))
    engine.delete(job.job_id)
    with pytest.raises(SpoolError):
        engine.spool.job(job.job_id)
    engine.close()


def test_full_disk_refuses_a_new_scan(tmp_path, server):
    engine = make_engine(tmp_path, server, [1], min_free_mb=10**9)
    with pytest.raises(SpoolError) as err:
        engine.start(User(), process())
    assert "storage is full" in err.value.user_message and not engine.spool.jobs()
    engine.close()


def test_spool_and_files_are_private(tmp_path, server):
    engine = make_engine(tmp_path, server, [2], keep_completed_hours=1.0)
    job = engine.start(User(), process())
    job.scan_load()
    job.finish()
    assert job.wait(10).state == sp.COMPLETED
    assert [d.path.exists() for d in engine.spool.documents(job.job_id)] == [
        True,
        True,
    ]  # kept for keep_completed_hours
    engine.close()
    root = tmp_path / "spool"
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    for path in root.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path


def test_history_per_user_and_purge(tmp_path, server):
    engine = make_engine(tmp_path, server, [2, 1], history_days=1)
    for user in (User(), User(sid="S-1-5-21-9", login="bob")):
        job = engine.start(user, process())
        job.scan_load()
        job.finish()
        job.wait(10)
    rows = engine.history(User().sid)
    assert len(rows) == 1 and rows[0]["state"] == "Completed" and rows[0]["pages"] == 2
    assert rows[0]["documents"] == 2 and rows[0]["process_name"] == "Invoices"
    shared = {
        "job_id",
        "state",
        "pages",
        "documents",
        "documents_sent",
        "reason",
        "job_state_reasons",
        "filter_statuses",
        "created",
        "ended",
    }  # the panel reads history rows and summaries alike
    assert shared <= rows[0].keys() and shared <= engine.spool.jobs()[0].summary().keys()
    import time

    assert engine.history_db.purge(now=time.time() + 2 * 86400) == 2
    engine.close()


def test_bounded_parallel_deliveries(tmp_path, server):
    engine = make_engine(tmp_path, server, [1, 1, 1, 1], max_parallel_deliveries=1)
    active, peak = set(), []
    lock = threading.Lock()
    original = server.client

    class Tracking:
        def __init__(self, inner):
            self.inner = inner

        def __getattr__(self, name):
            fn = getattr(self.inner, name)

            def call(token, *a):
                with lock:
                    active.add(token)
                    peak.append(len(active))
                try:
                    return fn(token, *a)
                finally:
                    if name == "get_post_scan_job_elements":
                        with lock:
                            active.discard(token)

            return call if name != "create_post_scan_job" else fn

    engine.worker.clients = lambda repo: Tracking(original(repo))
    jobs = []
    for _ in range(4):
        job = engine.start(User(), process())
        job.scan_load()
        job.finish()
        jobs.append(job)
    assert all(j.wait(10).state == sp.COMPLETED for j in jobs)
    engine.close()
    assert max(peak) == 1


def test_paper_jam_keeps_the_pages_before_it(tmp_path, server):
    from kiosk.errors import ScannerError

    engine = Engine(
        settings(tmp_path), FakeScanner([4, 1], fail_after=2), clients=server.client, encoder_factory=FakeEncoder
    )
    job = engine.start(User(), process())
    with pytest.raises(ScannerError, match="paper jam"):
        job.scan_load()
    assert job.record.pages == 2 and job.record.state == sp.SCANNING
    job.finish()  # the user gives up on the jammed sheet
    final = job.wait(10)
    engine.close()
    assert final.state == sp.COMPLETED and sorted(next(iter(server.jobs.values())).images) == [1, 2]


def test_an_interrupted_scan_of_a_dead_process_is_delivered_by_the_next_worker(tmp_path, server):
    first = Engine(
        settings(tmp_path), FakeScanner([2]), clients=server.client, encoder_factory=FakeEncoder, deliver=False
    )
    job = first.start(User(), process())
    job.scan_load()
    job._close()  # the process dies here: no finish(), the scan lock is released by the kernel
    first.close()
    second = Engine(settings(tmp_path), FakeScanner([]), clients=server.client, encoder_factory=FakeEncoder)
    final = second.wait_final(job.job_id, 10)
    second.close()
    assert final.state == sp.COMPLETED and "interrupted" in final.reason
    assert sorted(next(iter(server.jobs.values())).images) == [1, 2]


def test_with_the_scanner_interfaces_fake_several_loads_and_an_empty_feeder(tmp_path, server):
    from hardware.fake_scanner import FakeScanner as InterfaceFake
    from kiosk.psp.model import Setting
    from kiosk.scanner import FeederEmpty

    scanner = InterfaceFake(sheets=3)
    engine = Engine(settings(tmp_path), scanner, clients=server.client, encoder_factory=FakeEncoder)
    proc = process()
    ticket = type(proc.ticket)(**{**proc.ticket.__dict__, "input_source": Setting("ADF")})
    job = engine.start(User(), proc, ticket)
    assert job.scan_load() == 3
    with pytest.raises(FeederEmpty):
        job.scan_load()  # "Scan more" with nothing loaded: told, nothing lost
    scanner.load(2)
    assert job.scan_load() == 2
    job.finish()
    final = job.wait(10)
    engine.close()
    assert final.state == sp.COMPLETED and final.pages == 5
    (sjob,) = server.jobs.values()
    assert sorted(sjob.images) == [1, 2, 3, 4, 5]
    assert all(img[:2] == b"\xff\xd8" for img in sjob.images.values())
    assert final.ticket["scan_settings"]["source"] == "ADF"


def test_purge_drops_completed_files_after_keep_hours_and_old_rows(tmp_path, server):
    import time

    engine = make_engine(tmp_path, server, [2], keep_completed_hours=1.0, history_days=1)
    job = engine.start(User(), process())
    job.scan_load()
    job.finish()
    assert job.wait(10).state == sp.COMPLETED
    engine.spool.purge(keep_completed_hours=1.0, history_days=1, now=time.time() + 1800)
    assert [d.path.exists() for d in engine.spool.documents(job.job_id)] == [True, True]
    engine.spool.purge(keep_completed_hours=1.0, history_days=1, now=time.time() + 3700)
    assert not engine.spool.job_dir(job.job_id).exists()
    assert engine.spool.job(job.job_id).state == sp.COMPLETED  # still listed
    engine.spool.purge(keep_completed_hours=1.0, history_days=1, now=time.time() + 2 * 86400)
    assert engine.spool.jobs() == []
    engine.close()


def test_a_ticket_the_kiosk_cannot_honour_is_refused_before_paper_moves(tmp_path, server):
    from hardware.fake_scanner import FakeScanner as InterfaceFake
    from kiosk.imaging import UnsupportedFormat
    from kiosk.psp.model import Setting
    from kiosk.scanner import TicketNotSatisfiable

    scanner = InterfaceFake(sheets=3)
    engine = Engine(settings(tmp_path), scanner, clients=server.client, encoder_factory=FakeEncoder)
    with pytest.raises(UnsupportedFormat):
        engine.start(User(), process(fmt="xps"))
    proc = process()
    film = type(proc.ticket)(**{**proc.ticket.__dict__, "input_source": Setting("Film", must_honor=True)})
    with pytest.raises(TicketNotSatisfiable):
        engine.start(User(), proc, film)
    engine.close()
    assert sp.Spool(tmp_path / "spool").jobs() == [] and scanner.pages_scanned == 0 and server.calls == []


def test_cancel_from_another_thread_stops_a_running_load(tmp_path, server):
    from hardware.fake_scanner import FakeScanner as InterfaceFake
    from kiosk.psp.model import Setting
    from kiosk.scanner import ScanCancelled

    scanner = InterfaceFake(sheets=50, page_delay=0.05)
    engine = Engine(settings(tmp_path), scanner, clients=server.client, encoder_factory=FakeEncoder)
    proc = process()
    job = engine.start(User(), proc, type(proc.ticket)(**{**proc.ticket.__dict__, "input_source": Setting("ADF")}))
    scanned = threading.Event()
    engine.subscribe(lambda e: scanned.set() if e.kind == "page_scanned" else None)
    outcome = []

    def load():
        try:
            outcome.append(job.scan_load())
        except ScanCancelled as exc:
            outcome.append(exc)

    runner = threading.Thread(target=load)
    runner.start()
    assert scanned.wait(5)
    job.cancel()
    runner.join(10)
    assert not runner.is_alive() and outcome  # the load came back instead of hanging
    final = engine.spool.job(job.job_id)
    engine.close()
    assert final.state == sp.CANCELED and scanner.pages_scanned < 50


class _HoldingScanner:
    """Real page files (hardware's fake scanner) with a hook after each page is yielded."""

    def __init__(self, sheets: int, after_page) -> None:
        from hardware.fake_scanner import FakeScanner as PageScanner

        self.inner = PageScanner(sheets=sheets)
        self.after_page = after_page

    def resolve(self, ticket):
        from kiosk.scanner import ScanSettings

        return ScanSettings(source="ADF", color_processing="Grayscale8", resolution=(100, 100))

    def scan(self, settings, folder, first_index=None):
        for page in self.inner.scan(settings, folder, first_index):
            yield page
            self.after_page(page.index)

    def cancel(self) -> None:
        self.inner.cancel()

    def close(self) -> None:
        pass


def _real_encoder_engine(tmp_path, server, scanner):
    from kiosk.jobs.engine import default_encoder

    return Engine(settings(tmp_path), scanner, clients=server.client, encoder_factory=default_encoder)


def _one_load_completed(engine, pages: int) -> None:
    job = engine.start(User(), process())
    assert job.scan_load() == pages
    job.finish()
    assert job.wait(30).state == sp.COMPLETED
    engine.close()


def test_an_encoded_page_is_stored_without_waiting_for_the_next_page(tmp_path, server):
    """The scanner holds page 2 until page 1's document is in the spool: the encoder's pool
    tells the job when a page is done (a slow feeder must not hold finished documents)."""
    stored = threading.Event()
    waited = []
    scanner = _HoldingScanner(2, lambda n: waited.append(stored.wait(10)) if n == 1 else None)
    engine = _real_encoder_engine(tmp_path, server, scanner)
    engine.subscribe(lambda e: stored.set() if e.kind == "document_stored" else None)
    _one_load_completed(engine, pages=2)
    assert waited == [True]


def test_the_next_page_is_encoded_while_one_still_is(tmp_path, server, monkeypatch):
    """Page 1's encoding waits until page 2's has started: only a pool that takes the next page
    while one is still being encoded gets there (each page reaches the job on its own)."""
    from kiosk import imaging

    second_started = threading.Event()
    overlapped = []
    real = imaging.DocumentEncoder._encode_page

    def encode(self, path, index, dpi):
        if index == 2:
            second_started.set()
        elif index == 1:
            overlapped.append(second_started.wait(10))
        return real(self, path, index, dpi)

    monkeypatch.setattr(imaging.DocumentEncoder, "_encode_page", encode)
    monkeypatch.setattr(imaging, "default_workers", lambda: 2)
    scanner = _HoldingScanner(2, lambda n: time.sleep(0.2) if n == 1 else None)  # page 1 alone first
    _one_load_completed(_real_encoder_engine(tmp_path, server, scanner), pages=2)
    assert overlapped == [True]
    assert [len(server.jobs[t].images) for t in server.jobs] == [2]


def test_a_late_encoded_page_never_reaches_the_encoder_while_the_job_finishes(tmp_path, server):
    """After a failed page the load ends while the pool may still be encoding; the job's finish()
    uses the encoder from the caller's thread. A page finishing meanwhile must not make the
    encoder thread write documents at the same time (it is stopped first)."""
    busy = threading.Lock()
    overlaps = []

    class LateEncoder(FakeEncoder):
        pipelined = True
        on_encoded = None

        def add(self, page, *, wait=True):
            threading.Timer(0.1, self.on_encoded).start()  # a page of the pool, done later
            raise SpoolError("disk full")

        def collect(self):
            overlaps.append(not busy.acquire(blocking=False))
            time.sleep(0.3)
            busy.release()
            return []

        def finish(self):
            overlaps.append(not busy.acquire(blocking=False))
            time.sleep(0.3)
            busy.release()
            return []

    engine = Engine(settings(tmp_path), FakeScanner([1]), clients=server.client, encoder_factory=LateEncoder)
    job = engine.start(User(), process())
    with pytest.raises(SpoolError):
        job.scan_load()
    job.finish()
    time.sleep(0.3)  # the late page's marker has come by now
    engine.close()
    assert overlaps and not any(overlaps)


def _flushing(monkeypatch) -> threading.Event:
    """Set once the job flushes the encoder at a load's end (two pool threads)."""
    from kiosk import imaging

    flushing = threading.Event()
    real = imaging.DocumentEncoder.flush

    def flush(self, *args, **kwargs):
        flushing.set()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(imaging.DocumentEncoder, "flush", flush)
    monkeypatch.setattr(imaging, "default_workers", lambda: 2)
    return flushing


def _encoding(monkeypatch, wait_for: dict) -> None:
    """Each page's encoding first waits for its event in `wait_for` (page index → (event,
    seconds)) and records whether it came."""
    from kiosk import imaging

    real = imaging.DocumentEncoder._encode_page

    def encode(self, path, index, dpi):
        if index in wait_for:
            event, seconds, came = wait_for[index]
            came.append(event.wait(seconds))
        return real(self, path, index, dpi)

    monkeypatch.setattr(imaging.DocumentEncoder, "_encode_page", encode)


def test_the_last_pages_of_a_load_are_stored_one_by_one(tmp_path, server, monkeypatch):
    """When the load ends with two pages in the pool, page 1's document is stored while page 2
    is still being encoded: flushing the pool must not hold it until the last page is done."""
    flushing, stored, waited = _flushing(monkeypatch), threading.Event(), []
    _encoding(monkeypatch, {1: (flushing, 10, []), 2: (stored, 5, waited)})
    engine = _real_encoder_engine(tmp_path, server, _HoldingScanner(2, lambda n: None))
    engine.subscribe(lambda e: stored.set() if e.kind == "document_stored" else None)
    _one_load_completed(engine, pages=2)
    assert waited == [True]


def test_a_refused_document_at_a_loads_end_stops_storing_and_the_pool(tmp_path, server, monkeypatch):
    """The spool refuses page 1's document while the load's last pages are flushed: the refusal
    reaches scan_load, and page 2, still being encoded then, is not stored behind the user's
    back afterwards (the pool is drained and shut down before scan_load returns)."""
    flushing, reported = _flushing(monkeypatch), threading.Event()
    _encoding(monkeypatch, {1: (flushing, 10, []), 2: (reported, 1, [])})
    engine = _real_encoder_engine(tmp_path, server, _HoldingScanner(2, lambda n: None))
    stored = []
    engine.subscribe(lambda e: stored.append(e.document_id) if e.kind == "document_stored" else None)

    real_add, calls = engine.spool.add_document, []

    def refuse_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise SpoolError("disk full")
        return real_add(*args, **kwargs)

    engine.spool.add_document = refuse_once
    job = engine.start(User(), process())
    with pytest.raises(SpoolError):
        job.scan_load()
    reported.set()  # page 2 may finish now; its document must not be stored any more
    time.sleep(0.5)
    pool = job._encoder._pool
    job.cancel()
    engine.close()
    assert stored == [] and pool is None


def _one_load_refused_then_finished(engine, server) -> tuple[sp.JobRecord, dict]:
    """A load the spool's refusal ends, then Finish: the job's end and the server's images."""
    job = engine.start(User(), process())
    with pytest.raises(SpoolError):
        job.scan_load()
    job.finish()
    final = job.wait(30)
    engine.close()
    return final, next(iter(server.jobs.values())).images


def test_a_document_the_spool_refused_once_is_stored_later_in_page_order(tmp_path, server):
    """The spool refuses page 2's document once (a full disk that the user then clears): the
    refusal reaches scan_load, and finish() still delivers every page, in page order."""
    engine = _real_encoder_engine(tmp_path, server, _HoldingScanner(3, lambda n: None))
    real_add, calls, stored = engine.spool.add_document, [], []
    engine.subscribe(lambda e: stored.append(e.document_id) if e.kind == "document_stored" else None)

    def refuse_second(job_id, source, **kwargs):
        calls.append(Path(source).name)
        if len(calls) == 2:
            raise SpoolError("disk full")
        return real_add(job_id, source, **kwargs)

    engine.spool.add_document = refuse_second
    final, images = _one_load_refused_then_finished(engine, server)
    pages = list(range(1, final.pages + 1))  # the scan stops at the refusal: 2 or 3 pages
    assert final.state == sp.COMPLETED and len(pages) >= 2 and sorted(images) == pages and stored == pages
    # Stored in the order the encoder wrote them: page 2's document was tried again first.
    assert [c for c in calls[2:]][:1] == [calls[1]]


def test_documents_the_spool_still_refuses_at_finish_are_delivered_once_it_takes_them(tmp_path, server, caplog):
    """The spool refuses every document until the disk is cleared, also in finish(): the job is
    not finished without them (nor Completed with pages missing) but left as an interrupted
    scan, which the worker tries again with a warning (no traceback every pass) and delivers
    with every page once the spool takes documents again."""
    caplog.set_level(logging.WARNING)
    engine = _real_encoder_engine(tmp_path, server, _HoldingScanner(3, lambda n: None))
    real_add, full = engine.spool.add_document, threading.Event()
    full.set()

    def refuse_while_full(*args, **kwargs):
        if full.is_set():
            raise SpoolError("disk full")
        return real_add(*args, **kwargs)

    engine.spool.add_document = refuse_while_full
    job = engine.start(User(), process())
    with pytest.raises(SpoolError):
        job.scan_load()
    with pytest.raises(SpoolError):
        job.finish()
    time.sleep(1.5)  # the worker tries meanwhile: still refused
    still = engine.spool.job(job.job_id)
    full.clear()
    final = job.wait(30)
    engine.close()
    images = next(iter(server.jobs.values())).images
    assert still.state == sp.SCANNING and still.documents == 0
    messages = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert any("cannot be stored yet" in m for _, m in messages)
    assert not any(level >= logging.ERROR and "dispatcher" in m for level, m in messages)
    assert final.state == sp.COMPLETED and final.pages >= 1 and sorted(images) == list(range(1, final.pages + 1))


def test_a_document_refused_after_its_rename_keeps_its_place(tmp_path, server):
    """The spool's row for page 1's document cannot be written (its file was already renamed
    into place): the file goes back, is stored again first, and the server gets the documents
    in page order."""
    engine = _real_encoder_engine(tmp_path, server, _HoldingScanner(3, lambda n: None))
    real_write, inserts = engine.spool._write, []

    def write(sql, args=()):
        if sql.startswith("INSERT INTO documents"):
            inserts.append(1)
            if len(inserts) == 1:
                raise SpoolError("spool database write failed: database or disk is full")
        return real_write(sql, args)

    engine.spool._write = write
    final, images = _one_load_refused_then_finished(engine, server)
    assert final.state == sp.COMPLETED and final.pages >= 1
    assert list(images) == list(range(1, final.pages + 1))  # in the order they arrived


def _refuse_until_cleared(engine) -> tuple[threading.Event, threading.Event]:
    """(full, refused): add_document refuses while `full` is set; `refused` is set at the first."""
    real_add, full, refused = engine.spool.add_document, threading.Event(), threading.Event()
    full.set()

    def add(*args, **kwargs):
        if full.is_set():
            refused.set()
            raise SpoolError("disk full")
        return real_add(*args, **kwargs)

    engine.spool.add_document = add
    return full, refused


def test_finish_encodes_every_page_before_the_spool_refuses_them(tmp_path, server):
    """Page 2 comes after the refusal that ends the load; finish() still cannot store: every
    page is in a finished document in the work folder by then (the encoder's settings are gone,
    so the worker only adopts files and never has to encode on a full disk), and all arrive."""
    from kiosk import imaging

    holder: dict = {}

    def after(n):
        if n == 1:  # page 2 is scanned only once page 1's refusal has ended the load
            assert refused.wait(10)
            deadline = time.monotonic() + 10
            while not holder["job"]._is("_error") and time.monotonic() < deadline:
                time.sleep(0.01)

    engine = _real_encoder_engine(tmp_path, server, _HoldingScanner(3, after))
    full, refused = _refuse_until_cleared(engine)
    job = holder["job"] = engine.start(User(), process())
    with pytest.raises(SpoolError):
        job.scan_load()
    with pytest.raises(SpoolError):
        job.finish()
    work = engine.spool.work_dir(job.job_id)
    documents = sorted(p.name for p in work.iterdir() if p.name[0].isdigit())
    settings_left = (work / imaging.SETTINGS_FILE).exists()
    full.clear()
    final = job.wait(30)
    engine.close()
    assert not settings_left and documents == ["1.jpg", "2.jpg"]
    assert final.state == sp.COMPLETED and final.pages == 2
    assert list(next(iter(server.jobs.values())).images) == [1, 2]


@pytest.mark.parametrize("step", ["encoding", "codec", "settings", "done", "rename"])
def test_a_page_whose_encoding_or_writing_fails_once_is_done_again(tmp_path, server, monkeypatch, step):
    """One step of page 2 fails once with a full disk — its encoding in the pool (with an errno,
    or as Pillow's codecs say it, without one), the encoder's settings (written with the first
    page: page 1 then), the note of which pages are done, or the rename into place: that page
    and those behind it are not dropped but handed in again, and every page ends up in its own
    document, in page order, each once."""
    import errno
    import os

    from kiosk import imaging

    failed, written = [], []
    full = OSError(errno.ENOSPC, "No space left on device")
    real_encode, real_write, real_durably = (
        imaging.DocumentEncoder._encode_page,
        imaging.DocumentEncoder._write,
        imaging.write_durably,
    )

    def encode(self, path, index, dpi):
        if step in ("encoding", "codec") and index == 2 and not failed:
            failed.append(index)
            raise full if step == "encoding" else OSError("encoder error -9 when writing image file")
        return real_encode(self, path, index, dpi)

    def durably(path, fill, **kwargs):
        name = {"settings": imaging.SETTINGS_FILE, "done": imaging.DONE_FILE}.get(step)
        if path.name == name and not failed and (step == "settings" or b'"last_page": 2' in _filled(fill)):
            failed.append(path.name)
            raise full
        return real_durably(path, fill, **kwargs)

    def write(self, page, data):
        if step == "rename" and page.index == 2 and not failed:
            failed.append(page.index)
            real_replace = os.replace

            def replace(src, dst):  # the second replace of _write: the document into place
                if str(dst).endswith(".jpg") and not str(dst).endswith(".part"):
                    monkeypatch.setattr(imaging.os, "replace", real_replace)
                    raise full
                return real_replace(src, dst)

            monkeypatch.setattr(imaging.os, "replace", replace)
        docs = real_write(self, page, data)
        written.extend(page.index for _ in docs)
        return docs

    monkeypatch.setattr(imaging.DocumentEncoder, "_encode_page", encode)
    monkeypatch.setattr(imaging.DocumentEncoder, "_write", write)
    monkeypatch.setattr(imaging, "write_durably", durably)
    engine = _real_encoder_engine(tmp_path, server, _HoldingScanner(4, lambda n: None))
    job = engine.start(User(), process())
    try:
        job.scan_load()
    except (OSError, SpoolError):
        pass  # the load ends at the failure, or after it if the pool was still busy
    job.finish()
    final = job.wait(30)
    engine.close()
    pages = list(range(1, final.pages + 1))
    assert failed and final.state == sp.COMPLETED and final.pages >= 2
    assert written == pages and list(next(iter(server.jobs.values())).images) == pages


def _filled(fill) -> bytes:
    import io

    buf = io.BytesIO()
    fill(buf)
    return buf.getvalue()


def test_a_pdf_that_cannot_take_a_page_is_completed_from_its_journal(tmp_path, server, monkeypatch):
    """Appending page 2 to the growing PDF/A fails half-way (a full disk): the document is not
    finished from the broken file; the job is completed from the journal (the PDF truncated to
    page 1, the later pages encoded from their page files) into one valid PDF of every page."""
    import errno

    import pikepdf

    from kiosk import pdfa

    real_add, failed = pdfa.PdfAWriter.add_page, []

    def add_page(self, data):
        if self.pages == 1 and not failed:
            failed.append(1)
            self.fh.write(b"half a page")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_add(self, data)

    monkeypatch.setattr(pdfa.PdfAWriter, "add_page", add_page)
    engine = _real_encoder_engine(tmp_path, server, _HoldingScanner(3, lambda n: None))
    job = engine.start(User(), process("pdf-a"))
    with pytest.raises((OSError, KioskError)):
        job.scan_load()
    with pytest.raises(KioskError):
        job.finish()
    final = job.wait(30)
    engine.close()
    (image,) = next(iter(server.jobs.values())).images.values()
    path = tmp_path / "delivered.pdf"
    path.write_bytes(image)
    with pikepdf.open(path) as pdf:
        count, warnings = len(pdf.pages), pdf.get_warnings()  # a damaged file opens with warnings
    assert failed and final.state == sp.COMPLETED and count == final.pages >= 2 and not warnings


def test_a_failing_finish_scan_still_ends_the_live_scan(tmp_path, server):
    """finish_scan itself fails (the database is full): the job is not left "being scanned" in
    this process, so its delivery slot is not held for the life of the process."""
    engine = Engine(settings(tmp_path), FakeScanner([1]), clients=server.client, encoder_factory=FakeEncoder)
    real_finish_scan = engine.spool.finish_scan

    def finish_scan(*args, **kwargs):
        engine.spool.finish_scan = real_finish_scan
        raise SpoolError("spool database write failed: database or disk is full")

    engine.spool.finish_scan = finish_scan
    job = engine.start(User(), process())
    job.scan_load()
    with pytest.raises(SpoolError):
        job.finish()
    scanning = engine.worker.is_scanning(job.job_id)
    engine.close()
    assert not scanning


def test_a_page_that_cannot_be_encoded_is_set_aside_and_the_others_go_on(tmp_path, server, monkeypatch):
    """Page 2's file cannot be read as an image (torn, not a storage error): it is not tried
    again at every load but set aside as *.unreadable, kept with the job for the administrator
    once its scan is over; the load's error says so, and every other page is delivered."""
    from kiosk import imaging

    real = imaging._load
    attempts = []

    def load(path):
        if path.name == "page-0002.pnm":
            attempts.append(2)
            raise OSError("image file is truncated")  # Pillow's words
        return real(path)

    monkeypatch.setattr(imaging, "_load", load)
    engine = _real_encoder_engine(tmp_path, server, _HoldingScanner(4, lambda n: None))
    job = engine.start(User(), process())
    with pytest.raises(imaging.UnreadablePage):
        job.scan_load()
    work = engine.spool.work_dir(job.job_id)
    aside = sorted(p.name for p in work.glob("*.unreadable"))
    job.finish()
    kept = sorted(p.name for p in (engine.spool.job_dir(job.job_id) / "unreadable").iterdir())
    final = job.wait(30)
    engine.close()
    delivered = len(next(iter(server.jobs.values())).images)
    assert attempts == [2] and aside == kept == ["page-0002.pnm.unreadable"]
    assert final.state == sp.COMPLETED and delivered == final.pages - 1
