"""The job engine: scan → encode → spool → deliver, overlapped.

`ScanJob.scan_load()` runs in the caller's thread (the UI calls it from a worker thread) and
drives the scanner; a per-job encoder thread turns pages into documents and stores each in the
spool as soon as it is complete; the delivery worker sends it with SendImage while the scanner
is already on the next page. CreatePostScanJob goes out when the job starts.
"""

from __future__ import annotations

import dataclasses
import fcntl
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, cast

from kiosk import logs
from kiosk.config import Settings
from kiosk.errors import KioskError, ScannerError, SpoolError
from kiosk.jobs import events as ev
from kiosk.jobs import spool as sp
from kiosk.jobs.history import History
from kiosk.jobs.worker import ClientFactory, Worker
from kiosk.psp.model import ScanProcess, ScanTicket

log = logging.getLogger(__name__)


class Encoder(Protocol):
    def add(self, page: Any) -> list[Any]: ...
    def finish(self) -> list[Any]: ...


class PipelinedEncoder(Encoder, Protocol):
    """An encoder with a pool of threads (kiosk.imaging.DocumentEncoder): `add(wait=False)`
    leaves pages in the pool, `on_encoded` says when one is done, `collect` writes those done,
    `flush` the rest at a load's end, each page's documents to `on_written` as it comes."""

    pipelined: bool
    on_encoded: Callable[[], None] | None

    def add(self, page: Any, *, wait: bool = True) -> list[Any]: ...
    def collect(self) -> list[Any]: ...
    def flush(self, on_written: Callable[[list[Any]], None] | None = None) -> list[Any]: ...


EncoderFactory = Callable[[str, Path, ScanTicket, Any], Encoder]


def default_encoder(fmt: str, folder: Path, ticket: ScanTicket, scan_settings: Any) -> Encoder:
    from kiosk.imaging import DocumentEncoder, quality_of

    return DocumentEncoder(fmt, folder, quality=quality_of(ticket), title=ticket.job_name)


class ClientPool:
    """One WsdspClient per endpoint (thread-safe, keeps its connections warm), found through the
    EndpointResolver. `forget` drops a discovered endpoint after the server could not be
    reached, so the next attempt discovers it again (it may have moved)."""

    def __init__(self, settings: Settings) -> None:
        from kiosk.dsm.discovery import EndpointResolver
        from kiosk.enterprise_roots import bundle_reader

        self.settings = settings
        # The worker has no user credentials: it trusts the roots kept at the last sign-in.
        self.extra_cas = bundle_reader(settings) if settings.scan_server.ca_from_directory else ()
        self.resolver = EndpointResolver(settings.scan_server, extra_cas=self.extra_cas)
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __call__(self, scan_repository: str) -> Any:
        from kiosk.dsm.client import WsdspClient

        endpoint = self.resolver.resolve(scan_repository)
        with self._lock:
            if endpoint not in self._clients:
                self._clients[endpoint] = WsdspClient(endpoint, self.settings.scan_server, extra_cas=self.extra_cas)
            return self._clients[endpoint]

    def forget(self, scan_repository: str) -> None:
        self.resolver.forget(scan_repository)


def default_clients(settings: Settings) -> ClientFactory:
    return ClientPool(settings)


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return repr(value)


_LOAD_END = object()
#: Put by the encoder's pool when a page is encoded: its document is written at once, not when
#: the next page arrives.
_ENCODED = object()


class ScanJob:
    """One PostScan job from the device's side: one or more feeder loads, then finish."""

    def __init__(
        self, engine: Engine, job_id: str, process: ScanProcess, ticket: ScanTicket, scan_settings: Any, fmt: str
    ) -> None:
        self.engine = engine
        self.job_id = job_id
        self.process = process
        self.ticket = ticket
        self.scan_settings = scan_settings
        self.format = fmt
        self._encoder: Encoder | None = None
        self._pool: PipelinedEncoder | None = None  # the same encoder, when it is pipelined
        # Documents the encoder wrote that the spool has not taken yet (it refused one: a full
        # disk), in the encoder's order; each _store tries them first. Encoder thread, or
        # finish() once that thread has ended.
        self._unstored: list[Any] = []
        self._refused = False
        # Pages scanned after an error (before the load stopped), not yet given to the encoder.
        self._held: list[Any] = []
        self._next_page = 1  # index of the next page scanned in this job
        self._pages: queue.Queue[Any] = queue.Queue(maxsize=8)
        self._drained = threading.Event()
        # The caller's thread (scan_load, finish), the encoder thread and a cancel from the UI
        # share these flags: read and written under _flags only.
        self._flags = threading.Lock()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._canceled = False
        self._done = False
        self._scan_lock = os.open(engine.spool.job_dir(job_id) / "scan.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._scan_lock, fcntl.LOCK_EX)  # tells other processes this scan is alive

    @property
    def record(self) -> sp.JobRecord:
        return self.engine.spool.job(self.job_id)

    def scan_load(self) -> int:
        """Scan until the feeder is empty (one load). Returns the pages scanned in this load.
        Call again for "Scan more"; then finish()."""
        with logs.job_context(self.job_id):
            return self._scan_load()

    def _scan_load(self) -> int:
        if self._is("_done"):
            raise ScannerError(f"job {self.job_id} is already finished", user_message="This job is already finished.")
        self.engine.check_free_space()
        work = self.engine.spool.work_dir(self.job_id)
        if self._thread is None:
            self._encoder = self.engine.encoder_factory(self.format, work, self.ticket, self.scan_settings)
            if getattr(self._encoder, "pipelined", False):
                self._pool = cast(PipelinedEncoder, self._encoder)
                self._pool.on_encoded = self._page_encoded
            self._thread = threading.Thread(target=self._encode_loop, name=f"encode-{self.job_id[:8]}", daemon=True)
            self._thread.start()
        self._drained.clear()
        pages = 0
        try:
            # Numbered on from the pages of earlier loads even once their files are gone: the
            # encoder's journal says "done up to page n", and recover() drops pages up to n.
            for page in self.engine.scanner.scan(self.scan_settings, work, first_index=self._next_page):
                self._next_page = max(self._next_page, page.index + 1)
                if self._is("_canceled"):
                    break
                pages += 1
                self.engine.spool.add_pages(self.job_id, 1)
                # Before the encoder sees the page: a listener may link the file for a thumbnail.
                self._emit(ev.PAGE_SCANNED, data={"path": str(page.path)})
                self._pages.put(page)
                if self._is("_error"):
                    break
        finally:
            if not self._is("_done"):  # after a cancel the encoder is gone; _close() set _drained
                self._pages.put(_LOAD_END)
            self._drained.wait()
        with self._flags:
            error, self._error = self._error, None
        if error is not None:
            raise error
        return pages

    def _is(self, flag: str) -> bool:
        with self._flags:
            return bool(getattr(self, flag))

    def _encode_loop(self) -> None:
        with logs.job_context(self.job_id):
            self._encode_pages()

    def _encode_pages(self) -> None:
        assert self._encoder is not None
        while True:
            page = self._pages.get()
            if page is _LOAD_END:
                self._flush_encoder()
                self._drained.set()
                continue
            if page is None:
                return
            with self._flags:
                canceled, failed = self._canceled, self._error is not None
            if canceled:
                continue
            if failed:
                # Scanned after the error that ends this load: kept for the next load or finish().
                if page is not _ENCODED:
                    self._held.append(page)
                continue
            try:
                if page is _ENCODED:
                    assert self._pool is not None
                    self._store(self._pool.collect())
                    self._drop_written_pages()
                else:
                    self._hand_over(page)
                # A multi-page document has grown: a worker waiting for this job may send it now.
                self.engine.worker.wake()
            except BaseException as exc:  # handed to scan_load's thread
                self._held = [*self._take_unencoded(), *self._held]
                with self._flags:
                    self._error = exc

    def _hand_over(self, page: Any = None, *, store: bool = True) -> None:
        """The pages held after an error, then `page`, to the encoder in scan order, and what they
        complete to the spool (`store`; else only to the documents waiting for it). Pages after
        one that fails, and those the encoder could not encode, are held again."""
        assert self._encoder is not None
        pages, self._held = [*self._held, *([page] if page is not None else [])], []
        for n, item in enumerate(pages):
            try:
                if self._pool is not None:
                    # Up to a page per pool thread in flight; each is written once encoded.
                    documents = self._pool.add(item, wait=False)
                else:
                    documents = self._encoder.add(item)
                if store:
                    self._store(documents)
                else:
                    self._unstored += documents
            except BaseException:
                self._held = [*self._take_unencoded(), *pages[n + 1 :]]
                raise
            if store:
                self._drop_written_pages(item)

    def _take_unencoded(self) -> list[Any]:
        """Pages the encoder gave up on after a failed encoding (the failing one first): held,
        so that they are tried again instead of dropped."""
        take = getattr(self._encoder, "take_unencoded", None)
        return take() if take is not None else []

    def _page_encoded(self) -> None:
        # From a pool thread, which must not block: with the queue full, a page waits there,
        # and handing it to the encoder writes what is encoded by then.
        try:
            self._pages.put_nowait(_ENCODED)
        except queue.Full:
            pass

    def _flush_encoder(self) -> None:
        """The load is over: the pages still in the encoder's pool go into their documents now
        (the user may take minutes to choose "Scan more")."""
        flush = getattr(self._encoder, "flush", None)
        with self._flags:
            skip = self._error is not None or self._canceled
        if flush is None or skip:
            return
        try:
            if self._held:
                self._hand_over()
            if self._pool is not None:
                self._flush_pool(self._pool)
            else:
                self._store(flush())
            self._drop_written_pages()
        except BaseException as exc:  # handed to scan_load's thread
            self._held = [*self._take_unencoded(), *self._held]
            with self._flags:
                self._error = exc

    def _flush_pool(self, pool: PipelinedEncoder) -> None:
        """Each page's documents are stored as soon as that page is written (none waits for the
        last page). After a refusal the pool is still drained, so that nothing runs on between
        loads, but nothing more is stored; the refusal goes to scan_load."""
        refused: list[BaseException] = []

        def written(documents: list[Any]) -> None:
            if refused:
                self._unstored += documents  # in order, for the next attempt (finish())
                return
            try:
                self._store(documents)
            except BaseException as exc:
                refused.append(exc)
                return
            self._drop_written_pages()
            self.engine.worker.wake()  # a multi-page document has grown

        pool.flush(on_written=written)
        if refused:
            raise refused[0]

    def _drop_written_pages(self, page: Any = None) -> None:
        # A page file goes once the encoder has it durably in a document (multi-page files grow
        # page by page): a raw A4 page is ~26 MB, and 50 of them would fill a small SD card.
        written = getattr(self._encoder, "written_pages", None)
        for path in written() if written is not None else [page.path] if page is not None else []:
            Path(path).unlink(missing_ok=True)

    def _store(self, documents: list[Any]) -> None:
        """Into the spool, in the order the encoder wrote them. When the spool refuses one, it
        and those after it wait for the next call (a later page, finish()): none is skipped."""
        self._unstored += documents
        while self._unstored:
            doc = self._unstored[0]
            if not Path(doc.path).exists():
                # A refused attempt got as far as renaming it into place: adopt_orphans, in
                # finish(), gives it its row under its number.
                log.warning("job %s: document %s is in place without its spool row", self.job_id, doc.path)
                del self._unstored[0]
                continue
            try:
                rec = self.engine.spool.add_document(
                    self.job_id, Path(doc.path), format=doc.format, pages=getattr(doc, "pages", 1)
                )
            except BaseException:
                self._refused = True
                raise
            del self._unstored[0]
            self.engine.worker.wake()
            self._emit(ev.DOCUMENT_STORED, document_id=rec.document_id)

    def finish(self) -> sp.JobRecord:
        """No more loads: the last documents are stored and EndPostScanJob follows the last
        acknowledged SendImage."""
        if self._is("_done"):
            return self.record
        stored = False
        try:
            self._stop_encoding()
            encoder = self._encoder
            if encoder is not None and not self._is("_canceled"):
                try:
                    # Every page into its document before any is stored: if the spool refuses
                    # them, the work folder then holds only finished documents to adopt.
                    if self._held:
                        self._hand_over(store=False)
                    self._unstored += encoder.finish()
                except BaseException:
                    stop = getattr(encoder, "stop", None)
                    if stop is not None:
                        stop()  # no pool thread writes on in the folder the worker recovers
                    raise
                self._store([])
                self._drop_written_pages()
            if self._refused:
                self.engine.spool.adopt_orphans(self.job_id)
            stored = True
        finally:
            try:
                self._close()
                if stored:
                    self.engine.spool.finish_scan(self.job_id)
                # Otherwise a page could not be encoded, or the spool still refuses documents:
                # the job stays an interrupted scan (its scan.lock is free now), which the
                # worker completes from the work folder (Worker._scan_abandoned, recover()).
            finally:
                self.engine.worker.scan_ended(self.job_id)
                self.engine.worker.wake()
                try:
                    self._emit(ev.STATE)
                except Exception as exc:  # must not replace the error that says why (a full disk)
                    log.warning("job %s: its state could not be announced: %s", self.job_id, exc)
        return self.record

    def cancel(self) -> None:
        """Stop the scan and drop the job: its documents are deleted and the server's job canceled."""
        with self._flags:
            self._canceled = True
        try:
            self.engine.scanner.cancel()
        except KioskError as exc:
            log.warning("scanner cancel: %s", exc)
        self._close()
        abort = getattr(self._encoder, "abort", None)
        if abort is not None:
            abort()
        self.engine.cancel_job(self.job_id)

    def wait(self, timeout: float | None = None) -> sp.JobRecord:
        return self.engine.wait_final(self.job_id, timeout)

    def _close(self) -> None:
        """Stop the encoder and release the scan lock, once, whichever thread comes first."""
        with self._flags:
            if self._done:
                return
            self._done = True
        self._stop_encoding()
        self._drained.set()  # a scan_load still running in another thread returns
        os.close(self._scan_lock)

    def _stop_encoding(self) -> None:
        # The encoder thread ends before another thread uses the encoder: a page's _ENCODED may
        # still be on its way to it (after an error even with pages left in the pool), and two
        # threads must never write documents at once.
        if self._thread is not None and self._thread.is_alive():
            self._pages.put(None)
            self._thread.join()

    def _emit(self, kind: str, **extra: Any) -> None:
        self.engine.emit(self.job_id, kind, **extra)


class Engine:
    def __init__(
        self,
        settings: Settings,
        scanner: Any,
        *,
        clients: ClientFactory | None = None,
        encoder_factory: EncoderFactory | None = None,
        deliver: bool = True,
        crash: Callable[[str, str], None] | None = None,
    ) -> None:
        self.settings = settings
        self.scanner = scanner
        self.encoder_factory = encoder_factory or default_encoder
        spool_dir = settings.resolve_path(settings.spool.directory)
        state_dir = settings.resolve_path(settings.spool.state_directory)
        self.spool = sp.Spool(spool_dir)
        self.history_db = History(state_dir, days=settings.spool.history_days)
        self.hub = ev.EventHub()
        self.worker = Worker(
            self.spool,
            clients or default_clients(settings),
            settings.spool,
            hub=self.hub,
            history=self.history_db,
            crash=crash,
        )
        #: False when another process (run-worker) holds the delivery lock: jobs are only spooled.
        self.delivering = self.worker.start() if deliver else False

    # -- jobs ------------------------------------------------------------------------------------

    def start(self, user: Any, process: ScanProcess, ticket: ScanTicket | None = None) -> ScanJob:
        """A new job for `user` with `process` (and the ticket after the user's overrides).
        Refused before paper moves when the ticket cannot be honoured or the spool is full."""
        from kiosk.imaging import check_format

        ticket = ticket or process.ticket
        self.check_free_space()
        fmt = check_format(ticket)
        scan_settings = self.scanner.resolve(ticket)
        adjustments = getattr(scan_settings, "adjustments", ())
        if adjustments:  # the spool's ticket_json keeps them too; the log says so at once
            log.warning(
                "process %r: the scanner cannot honour %s",
                process.display_name,
                "; ".join(f"{a.setting} {a.requested} (uses {a.used})" for a in adjustments),
            )
        job_id = self.spool.create_job(
            user_sid=user.sid,
            user_login=user.login,
            job_name=ticket.job_name or process.display_name,
            process_name=process.display_name,
            psp_identifier=process.identifier,
            scan_repository=process.scan_repository,
            instructions_xml=process.instructions.xml,
            ticket={"ticket": _jsonable(ticket), "scan_settings": _jsonable(scan_settings)},
            format=fmt,
        )
        self.worker.scanning(job_id)
        job = ScanJob(self, job_id, process, ticket, scan_settings, fmt)
        self.emit(job_id, ev.STATE, message="Scanning")
        self.worker.wake()  # CreatePostScanJob goes out now, before the first page
        return job

    def check_free_space(self) -> None:
        free = self.spool.free_mb()
        if free < self.settings.spool.min_free_mb:
            raise SpoolError(
                f"only {free:.0f} MB free in {self.spool.root}; min_free_mb is {self.settings.spool.min_free_mb}",
                user_message="The kiosk's storage is full. Scanning is paused until queued jobs are sent.",
            )

    def cancel_job(self, job_id: str) -> None:
        job = self.spool.job(job_id)
        self.worker.scan_ended(job_id)
        if job.final:
            return
        self.spool.set_final(job_id, sp.CANCELED, "canceled at the device")
        self.spool.drop_documents(job_id)
        if job.job_token and self.delivering:
            try:
                self.worker.clients(job.scan_repository).cancel_post_scan_job(job.job_token)
            except (KioskError, OSError) as exc:
                log.info("job %s: cancel on the scan server: %s", job_id, exc)
        self.emit(job_id, ev.STATE, message="Canceled")

    def resend(self, job_id: str) -> sp.JobRecord:
        job = self.spool.resend(job_id)
        self.emit(job_id, ev.STATE, message="Queued again")
        self.worker.wake()
        return job

    def delete(self, job_id: str) -> None:
        job = self.spool.job(job_id)
        if self.worker.is_scanning(job.job_id):
            raise SpoolError(
                f"job {job_id} is still scanning", user_message="A job cannot be deleted while it is scanning."
            )
        self.spool.delete(job_id)
        self.history_db.forget(job_id)  # gone from My jobs too

    def jobs(self) -> list[sp.JobRecord]:
        return self.spool.jobs()

    def history(self, user_sid: str) -> list[dict[str, Any]]:
        return self.history_db.for_user(user_sid)

    # -- events ----------------------------------------------------------------------------------

    def subscribe(self, callback: ev.Callback) -> Callable[[], None]:
        return self.hub.subscribe(callback)

    def emit(self, job_id: str, kind: str, **extra: Any) -> None:
        self.worker.changed(job_id, kind, **extra)

    def wait_final(self, job_id: str, timeout: float | None = None) -> sp.JobRecord:
        """Block until the job reaches a final state (or the timeout); returns its record."""
        done = threading.Event()
        unsubscribe = self.subscribe(
            lambda e: done.set() if e.job_id == job_id and e.state in sp.FINAL_STATES else None
        )
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while True:
                job = self.spool.job(job_id)
                if job.final:
                    return job
                left = 1.0 if deadline is None else min(1.0, deadline - time.monotonic())
                if left <= 0:
                    return job
                done.wait(left)  # the 1 s cap also sees a job another process delivers
        finally:
            unsubscribe()

    def close(self) -> None:
        self.worker.stop()
        self.spool.close()
        self.history_db.close()
