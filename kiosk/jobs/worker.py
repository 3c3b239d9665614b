"""The delivery worker: takes spooled jobs to the scan server, a bounded number at a time.

One process delivers a spool at a time (flock on worker.lock): the panel's in-process worker,
or `dsm-kiosk run-worker`. Within a job, documents go strictly in DocumentId order, one
SendImage at a time, so the server's ImagesReceived is exactly the number of documents it holds:
that is what makes recovery exactly-once (ARCHITECTURE.md, "Spool and recovery").
Nothing sleeps in a delivery slot: a job waiting for a retry or a poll is skipped until its
time, which lives in the spool and so survives a restart.
"""

from __future__ import annotations

import fcntl
import logging
import os
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from kiosk import logs
from kiosk.config import SpoolSettings
from kiosk.dsm.errors import JobTokenNotFound, ScanServerUnreachable
from kiosk.errors import DeliveryError, KioskError
from kiosk.jobs import events as ev
from kiosk.jobs import spool as sp
from kiosk.jobs.history import History
from kiosk.jobs.retry import Backoff

log = logging.getLogger(__name__)

#: The server's end states; anything else means "not yet".
SERVER_END_STATES = frozenset({"Completed", "Aborted", "Canceled"})
#: Server states in which the job still takes images (EndPostScanJob not yet received).
SERVER_OPEN_STATES = frozenset({"Creating", "Started"})
#: How often a long-running worker deletes what is past its keeping time.
PURGE_INTERVAL = 600.0
#: A job whose JobToken the server keeps forgetting is failed rather than re-created forever.
MAX_TOKENS = 20
#: Unexpected errors (not a KioskError: a bug, a library surprise) in a row before a job is
#: failed; it stays resendable, and each one waits like a retry.
MAX_UNEXPECTED_ERRORS = 5


class Client(Protocol):
    def create_post_scan_job(self, user_sid: str, psp_identifier: str, instructions_xml: str) -> str: ...
    def send_image(self, job_token: str, document_id: int, fmt: str, path: Any) -> None: ...
    def end_post_scan_job(self, job_token: str) -> None: ...
    def cancel_post_scan_job(self, job_token: str) -> None: ...
    def get_post_scan_job_elements(self, job_token: str) -> Any: ...


ClientFactory = Callable[[str], Client]


def unknown_job(exc: DeliveryError) -> bool:
    """The server says it holds no job with this JobToken (expired, restarted, aborted)."""
    return isinstance(exc, JobTokenNotFound)


def status_facts(elements: Any) -> tuple[str, int, list[str], list[dict[str, Any]]]:
    """(JobState, ImagesReceived, JobStateReasons, FilterStatuses) from a JobElements answer."""
    status = elements.status
    if status is None:  # the server left JobStatus out: nothing is known yet
        return "", 0, [], []
    filters = [{"dialect": f.dialect, "state": f.state, "reasons": list(f.reasons)} for f in status.filters]
    return status.state, status.images_received, list(status.reasons), filters


class Worker:
    def __init__(
        self,
        spool: sp.Spool,
        clients: ClientFactory,
        settings: SpoolSettings,
        *,
        hub: ev.EventHub | None = None,
        history: History | None = None,
        crash: Callable[[str, str], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.spool = spool
        self.clients = clients
        self.settings = settings
        self.hub = hub or ev.EventHub()
        self.history = history
        self._crash = crash or (lambda point, job_id: None)
        self._rng = rng or random.Random()
        self.backoff = Backoff(settings.retry_initial_seconds, settings.retry_max_seconds)
        # Polling an ended job starts fast: the filters of a small job take a second or two.
        self.poll_backoff = Backoff(min(0.25, settings.retry_initial_seconds), min(30.0, settings.retry_max_seconds))
        self._live: set[str] = set()  # jobs being scanned in this process (guarded by _cond)
        self._unstreamed: set[str] = set()  # a streamed SendImage stopped: send finished files
        self._surprises: dict[str, int] = {}  # job -> unexpected errors in a row
        self._held: dict[str, float] = {}  # job -> monotonic time before which it is not run again
        self._recovery_tries: dict[str, int] = {}  # job -> interrupted scans the spool refused
        self._verified: set[str] = set()  # jobs whose server state was checked since (re)start
        self._active: set[str] = set()
        self._cond = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._lock_fd: int | None = None

    # -- life cycle ----------------------------------------------------------------------------

    def acquire(self) -> bool:
        """Take the spool's delivery lock; False when another process delivers."""
        fd = os.open(self.spool.root / "worker.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._lock_fd = fd
        return True

    def start(self) -> bool:
        if not self.acquire():
            log.info("another process delivers this spool; this one only scans into it")
            return False
        self._pool = ThreadPoolExecutor(self.settings.max_parallel_deliveries, thread_name_prefix="deliver")
        self._thread = threading.Thread(target=self._dispatch, name="delivery-dispatch", daemon=True)
        self._thread.start()
        return True

    @property
    def running(self) -> bool:
        return self._thread is not None

    def stop(self, timeout: float = 10.0) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread:
            self._thread.join(timeout)
            self._thread = None
        if self._pool:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def scanning(self, job_id: str) -> None:
        """The job is being scanned in this process: delivery follows its documents as they come."""
        with self._cond:
            self._live.add(job_id)
            self._cond.notify_all()

    def scan_ended(self, job_id: str) -> None:
        with self._cond:
            self._live.discard(job_id)
            self._unstreamed.discard(job_id)
            self._cond.notify_all()

    def is_scanning(self, job_id: str) -> bool:
        with self._cond:
            return job_id in self._live

    def idle(self) -> bool:
        return not self.spool.jobs(sp.ACTIVE_STATES)

    def wait_idle(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.idle():
            if time.monotonic() > deadline:
                return False
            with self._cond:
                self._cond.wait(0.2)
        return True

    # -- dispatch ------------------------------------------------------------------------------

    def purge(self) -> None:
        """The one retention rule (Spool.purge): what leaves the spool leaves the history."""
        expired = self.spool.purge(
            keep_completed_hours=self.settings.keep_completed_hours, history_days=self.settings.history_days
        )
        if self.history is not None:
            for job_id in expired:
                self.history.forget(job_id)
            self.history.purge()

    def _dispatch(self) -> None:
        next_purge = 0.0
        while True:
            with self._cond:
                if self._stopping:
                    return
            wait = 1.0
            try:
                if time.monotonic() >= next_purge:
                    self.purge()
                    next_purge = time.monotonic() + PURGE_INTERVAL
                wait = self._dispatch_once()
            except Exception:
                log.exception("delivery dispatcher")
            with self._cond:
                if not self._stopping:
                    self._cond.wait(wait)

    def _dispatch_once(self) -> float:
        """Start every due job a slot is free for; return how long to wait before looking again
        (at most 1 s, which also picks up jobs other processes spool)."""
        now = time.time()
        wait = 1.0
        for job in self.spool.jobs(sp.ACTIVE_STATES):
            with self._cond:
                if job.job_id in self._active:
                    continue
                if len(self._active) >= self.settings.max_parallel_deliveries:
                    break
                held = self._held.get(job.job_id, 0.0) - time.monotonic()
            if held > 0:
                wait = min(wait, held)
                continue
            if job.next_attempt > now:
                wait = min(wait, job.next_attempt - now)
                continue
            if job.state == sp.SCANNING and not self.is_scanning(job.job_id) and not self._scan_abandoned(job.job_id):
                continue  # another process is scanning it; delivered once it is finished there
            with self._cond:
                self._active.add(job.job_id)
            assert self._pool is not None
            self._pool.submit(self._run_job, job.job_id)
        return max(0.01, wait)

    def _scan_abandoned(self, job_id: str) -> bool:
        """A Scanning job whose scanning process is gone (its scan.lock is free) keeps what was
        stored and is delivered as it is."""
        path = self.spool.job_dir(job_id) / "scan.lock"
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        finally:
            os.close(fd)
        try:
            self.spool.adopt_orphans(job_id)
            self.spool.finish_scan(job_id, reason="scan interrupted; the pages stored before it are delivered")
        except (KioskError, OSError) as exc:
            # The spool still refuses documents (a full disk): tried again with backoff, its
            # pages kept, instead of a traceback every pass.
            with self._cond:
                tries = self._recovery_tries[job_id] = self._recovery_tries.get(job_id, 0) + 1
                self._held[job_id] = time.monotonic() + self.backoff.delay(tries)
            log.warning("job %s: its scan's pages cannot be stored yet (attempt %d): %s", job_id, tries, exc)
            return False
        with self._cond:
            self._recovery_tries.pop(job_id, None)
        self.changed(job_id, ev.STATE, message="Scan interrupted; the stored pages are being sent.")
        return True

    def _run_job(self, job_id: str) -> None:
        try:
            self.deliver(job_id)
        except Exception:
            # Even recording the failure failed (the spool itself?): hold the job in memory so
            # that the dispatcher does not spin on it.
            log.exception("delivery of job %s", job_id)
            with self._cond:
                self._held[job_id] = time.monotonic() + self.settings.retry_initial_seconds
        else:
            with self._cond:
                self._held.pop(job_id, None)
        finally:
            with self._cond:
                self._active.discard(job_id)
                self._cond.notify_all()

    # -- one job ---------------------------------------------------------------------------------

    def deliver(self, job_id: str) -> None:
        """Take one job as far as it can go now; failures are recorded in the spool."""
        job = self.spool.job(job_id)
        with logs.job_context(job_id, job.job_token):
            self._deliver(job_id, job)

    def _deliver(self, job_id: str, job: sp.JobRecord) -> None:
        try:
            self._advance(job)
        except DeliveryError as exc:
            self._verified.discard(job_id)
            if exc.retryable:
                self._retry(job_id, exc)
            elif unknown_job(exc):
                self._new_token(job_id, f"the scan server no longer knows the job: {exc}")
            else:
                self._fail(job_id, exc)
        except (OSError, TimeoutError) as exc:  # transport trouble below the client's own mapping
            self._verified.discard(job_id)
            self._retry(job_id, DeliveryError(str(exc), retryable=True))
        except sp.DocumentMissing as exc:
            self._verified.discard(job_id)
            self._fail(job_id, exc)
        except KioskError as exc:
            self._verified.discard(job_id)
            self._retry(job_id, exc)
        except Exception as exc:  # a bug or a library surprise: backed off, shown, and bounded
            self._verified.discard(job_id)
            self._unexpected(job_id, exc)
        else:
            self._surprises.pop(job_id, None)

    def _advance(self, job: sp.JobRecord) -> None:
        """Run the steps of ARCHITECTURE's crash-point table until one has to wait."""
        if job.final:
            return
        client = self.clients(job.scan_repository)
        while self._step(job, client):
            if self._stopping:  # stop() between steps: the spool says where to go on from
                return
            job = self.spool.job(job.job_id)
            if job.final:
                return

    def _step(self, job: sp.JobRecord, client: Client) -> bool:
        """One step for the job's recorded state; True when the next step may follow at once."""
        if job.state == sp.PROCESSING:
            self._poll(job, client)
            return False
        if job.job_token is None:
            if job.scan_done and job.documents == 0:
                self._nothing_scanned(job.job_id, None, client)
                return False
            self._create(job, client)
            return True
        if job.job_id not in self._verified:
            return self._verify(job, client)
        if job.acked < job.documents:
            self._send_next(job, client)
            return True
        if not job.scan_done:
            if self._stream_next(job, client):
                return True
            return self._wait_for_scan(job.job_id)
        if job.documents == 0:
            self._nothing_scanned(job.job_id, job.job_token, client)
            return False
        if not job.end_acked:
            self._end(job, client)
            return True
        self._poll(job, client)
        return False

    def _create(self, job: sp.JobRecord, client: Client) -> None:
        """No JobToken recorded: CreatePostScanJob (a lost answer leaves an empty server job)."""
        self._crash("before_create", job.job_id)
        token = client.create_post_scan_job(job.user_sid, job.psp_identifier, job.instructions_xml)
        self._crash("after_create", job.job_id)
        self.spool.set_token(job.job_id, token)
        self._verified.add(job.job_id)
        self.changed(job.job_id, ev.STATE, message="Sending")

    def _verify(self, job: sp.JobRecord, client: Client) -> bool:
        """A JobToken from before this (re)start: the server's facts decide what happens."""
        if not self._reconcile(job, client):
            return False
        self._verified.add(job.job_id)
        return True

    def _send_next(self, job: sp.JobRecord, client: Client) -> None:
        """SendImage for the first unacknowledged document (documents go in DocumentId order)."""
        assert job.job_token is not None
        doc = next(d for d in self.spool.documents(job.job_id) if not d.acked)
        if not doc.path.is_file():  # removed by hand: no retry can bring it back
            raise sp.DocumentMissing(f"document {doc.document_id} of job {job.job_id} is missing: {doc.path}")
        self._crash("before_send", job.job_id)
        try:
            client.send_image(job.job_token, doc.document_id, doc.format, doc.path)
        except DeliveryError as exc:
            if exc.retryable or unknown_job(exc) or not self._server_has(client, job.job_token, doc.document_id):
                raise
            # Refused because it is already there: a SendImage still in flight when this
            # process last died landed after our ImagesReceived check.
        self._crash("after_send", job.job_id)
        self.spool.ack_documents(job.job_id, doc.document_id)
        self._surprises.pop(job.job_id, None)  # progress: unexpected errors count again from 0
        self.changed(job.job_id, ev.DOCUMENT_SENT, document_id=doc.document_id)

    def _stream_next(self, job: sp.JobRecord, client: Client) -> bool:
        """Everything stored is sent and a multi-page document is being written in this
        process: SendImage it while it grows (chunked), under the DocumentId the spool will give
        it. If it stops growing (the feeder is waiting for "Scan more") or the link breaks, the
        request is cut off unfinished and the stored file goes the usual way. False: nothing
        streamed."""
        from kiosk.dsm.protocol import GrowingFile, StreamStopped
        from kiosk.imaging import streaming_document

        job_id = job.job_id
        if not self.settings.stream_documents or not getattr(client, "streams_growing_documents", False):
            return False
        with self._cond:
            if job_id not in self._live or job_id in self._unstreamed:
                return False
        part = streaming_document(self.spool.work_dir(job_id))
        if part is None:
            return False
        assert job.job_token is not None
        document_id = max((d.document_id for d in self.spool.documents(job_id)), default=0) + 1
        final = self.spool.job_dir(job_id) / f"{document_id}{sp._extension(job.format, part)}"

        def complete(fd: int) -> bool | None:
            if final.exists():  # renamed into place as document `document_id`: is it this file?
                return os.stat(final).st_ino == os.fstat(fd).st_ino or None
            return None if os.fstat(fd).st_nlink == 0 else False  # unlinked: the scan was dropped

        first_pages = part.stat().st_size
        announced: list[int] = []

        def progress(sent: int) -> None:
            if sent >= first_pages and not announced:
                announced.append(sent)
                self.changed(job_id, ev.DOCUMENT_STREAMING, document_id=document_id, data={"bytes": sent})

        growing = GrowingFile(part, complete, idle_timeout=self.settings.stream_idle_seconds, progress=progress)
        self._crash("before_send", job_id)
        try:
            client.send_image(job.job_token, document_id, job.format, None, growing=growing)  # type: ignore[call-arg]
        except StreamStopped as exc:
            log.info("job %s: document %d is sent once it is finished: %s", job_id, document_id, exc)
            with self._cond:
                self._unstreamed.add(job_id)
            return False
        except Exception:
            # Whatever went wrong (link, server, a call deadline shorter than the scan), the retry
            # sends the finished file rather than streaming the same pages again.
            with self._cond:
                self._unstreamed.add(job_id)
            raise
        self._crash("after_send", job_id)
        # The encoder renamed it into place just before the spool writes its row.
        deadline = time.monotonic() + 30
        while not any(d.document_id == document_id for d in self.spool.documents(job_id)):
            if time.monotonic() > deadline:
                return False  # the row comes with adopt_orphans; ImagesReceived settles the ack
            time.sleep(0.02)
        self.spool.ack_documents(job_id, document_id)
        self.changed(job_id, ev.DOCUMENT_SENT, document_id=document_id)
        return True

    def _wait_for_scan(self, job_id: str) -> bool:
        """Everything stored is sent and the scan goes on: wait briefly for its next document.
        A scan running in another process is picked up again by the dispatcher."""
        with self._cond:
            if self._stopping or job_id not in self._live:
                return False
            self._cond.wait(0.5)
        return True

    def _end(self, job: sp.JobRecord, client: Client) -> None:
        """Every document acknowledged: EndPostScanJob, then the job is Processing."""
        assert job.job_token is not None
        self.spool.mark_ending(job.job_id)
        self._crash("before_end", job.job_id)
        client.end_post_scan_job(job.job_token)
        self._crash("after_end", job.job_id)
        self.spool.mark_end_acked(job.job_id)
        self.changed(job.job_id, ev.STATE, message="Processing on the scan server")

    def _reconcile(self, job: sp.JobRecord, client: Client) -> bool:
        """The rule for a job that already has a JobToken when its delivery (re)starts: ask the
        server what it holds. True: continue under this token; False: handled here."""
        assert job.job_token is not None
        try:
            elements = client.get_post_scan_job_elements(job.job_token)
        except DeliveryError as exc:
            if exc.retryable or not unknown_job(exc):
                raise
            self._new_token(job.job_id, "the scan server no longer knows the job's JobToken")
            return False
        state, received, reasons, filters = status_facts(elements)
        if state in SERVER_END_STATES:
            if job.end_acked or state == "Completed":
                self._finish(job.job_id, state, reasons, filters)
            else:
                # Ended before we ended it (timed out during an outage, canceled by an admin):
                # none of its documents reached a Completed job, so the whole job goes again.
                self._new_token(job.job_id, f"the scan server ended the job early ({state}: {', '.join(reasons)})")
            return False
        if received < job.acked or received > job.documents:
            self._abandon_token(
                job, client, f"the scan server holds {received} documents, the spool says {job.acked} were acknowledged"
            )
            return False
        if received > job.acked:
            # The answer to the last SendImage was lost: the server has it, so it is not sent again.
            self.spool.ack_documents(job.job_id, received)
            self.changed(job.job_id, ev.DOCUMENT_SENT, document_id=received)
        if not job.end_acked and state not in SERVER_OPEN_STATES and state:
            # The server left the receiving states: our EndPostScanJob reached it.
            self.spool.mark_end_acked(job.job_id)
        return True

    def _server_has(self, client: Client, token: str, document_id: int) -> bool:
        try:
            _state, received, _r, _f = status_facts(client.get_post_scan_job_elements(token))
        except DeliveryError:
            return False
        return received >= document_id

    def _abandon_token(self, job: sp.JobRecord, client: Client, why: str) -> None:
        assert job.job_token is not None
        try:
            client.cancel_post_scan_job(job.job_token)
        except (DeliveryError, OSError) as exc:
            log.info("job %s: could not cancel its abandoned JobToken: %s", job.job_id, exc)
        self._new_token(job.job_id, why)

    def _new_token(self, job_id: str, why: str) -> None:
        job = self.spool.job(job_id)
        log.warning("job %s: %s; delivering it again under a new JobToken", job_id, why)
        if job.tokens_used >= MAX_TOKENS:
            self._fail(job_id, DeliveryError(f"{why}; gave up after {job.tokens_used} JobTokens", retryable=False))
            return
        self.spool.forget_token(job_id, why)
        self._verified.discard(job_id)
        self.changed(job_id, ev.STATE, message="Sending again")

    def _nothing_scanned(self, job_id: str, token: str | None, client: Client) -> None:
        if token:
            try:
                client.cancel_post_scan_job(token)
            except (DeliveryError, OSError) as exc:
                log.info("job %s: cancel of the empty job on the scan server: %s", job_id, exc)
        self.spool.set_final(job_id, sp.CANCELED, "nothing was scanned")
        self.changed(job_id, ev.STATE, message="Nothing was scanned")

    def _poll(self, job: sp.JobRecord, client: Client) -> None:
        assert job.job_token is not None
        state, _received, reasons, filters = status_facts(client.get_post_scan_job_elements(job.job_token))
        if state in SERVER_END_STATES:
            self._finish(job.job_id, state, reasons, filters)
            return
        self.spool.set_server_status(job.job_id, state, reasons, filters)
        attempts = job.attempts + 1
        self.spool.schedule(
            job.job_id, attempts=attempts, at=time.time() + self.poll_backoff.delay(attempts, self._rng)
        )

    def _finish(self, job_id: str, state: str, reasons: list[str], filters: list[dict[str, Any]]) -> None:
        self.spool.set_server_status(job_id, state, reasons, filters)
        if state == sp.COMPLETED and self.settings.keep_completed_hours == 0:
            # Before the final state is recorded, so a Completed job never shows its files
            # (a crash here polls once more and gets Completed again).
            self.spool.drop_documents(job_id)
        self.spool.set_final(job_id, state, None if state == sp.COMPLETED else ", ".join(reasons) or state)
        self.changed(job_id, ev.STATE, message=state)

    def _retry(self, job_id: str, exc: KioskError) -> None:
        job = self.spool.job(job_id)
        forget = getattr(self.clients, "forget", None)
        if forget is not None and isinstance(exc, ScanServerUnreachable):
            forget(job.scan_repository)
        attempts = job.attempts + 1
        delay = self.backoff.delay(attempts, self._rng)
        log.warning("job %s: %s; attempt %d again in %.1f s", job_id, exc, attempts + 1, delay)
        self.spool.schedule(job_id, attempts=attempts, at=time.time() + delay, error=str(exc))
        self.changed(job_id, ev.RETRY, message=exc.user_message, data={"retry_in": delay, "attempts": attempts})

    def _unexpected(self, job_id: str, exc: Exception) -> None:
        log.error("job %s: unexpected error in delivery", job_id, exc_info=exc)
        count = self._surprises.get(job_id, 0) + 1
        error = DeliveryError(
            f"unexpected error ({type(exc).__name__}: {exc})",
            retryable=True,
            user_message="The kiosk hit an unexpected problem sending this job.",
        )
        if count >= MAX_UNEXPECTED_ERRORS:
            self._surprises.pop(job_id, None)
            self.spool.schedule(job_id, attempts=self.spool.job(job_id).attempts, at=0, error=str(error))
            self._fail(
                job_id,
                DeliveryError(
                    f"{error}; gave up after {count} in a row", retryable=False, user_message=error.user_message
                ),
            )
            return
        self._surprises[job_id] = count
        self._retry(job_id, error)

    def _fail(self, job_id: str, exc: KioskError) -> None:
        if self.spool.set_final(job_id, sp.FAILED, str(exc)):
            log.error("job %s failed: %s", job_id, exc)
            self.changed(job_id, ev.ERROR, message=exc.user_message)

    def changed(self, job_id: str, kind: str, **extra: Any) -> None:
        job = self.spool.job(job_id)
        # Not per page: the scanning thread emits those, and the history needs states and counts.
        if self.history is not None and kind not in (ev.PAGE_SCANNED, ev.DOCUMENT_STORED):
            self.history.record(job)
        self.hub.emit(
            ev.JobEvent(
                kind=kind,
                job_id=job_id,
                state=job.state,
                user_sid=job.user_sid,
                pages=job.pages,
                documents=job.documents,
                documents_sent=job.acked,
                job_token=job.job_token,
                **extra,
            )
        )
        with self._cond:
            self._cond.notify_all()
