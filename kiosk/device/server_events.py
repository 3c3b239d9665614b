"""The kiosk as a subscriber of its scan servers' PostScanJob events.

When a job has a JobToken, the kiosk subscribes once per WS-DSP endpoint (Filter: the
PostScanJobStatusEvent and PostScanJobEndStateEvent actions) with its own event sink, the device
host's `/dsp-events`, and renews before the subscription runs out. A server that answers
Subscribe with a fault offers no events: it is left alone for an hour and the worker's polling
of GetPostScanJobElements carries on as before. An event never sets a job's state itself: it
makes the worker ask GetPostScanJobElements at once (over the authenticated channel), so the
panel sees the change without waiting for the next poll, and a forged event costs one poll.
"""

from __future__ import annotations

import ipaddress
import logging
import queue
import socket
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import requests
from lxml import etree

from kiosk.dsm import eventing
from kiosk.dsm import protocol as p
from kiosk.jobs import spool as sp
from kiosk.jobs.events import JobEvent

log = logging.getLogger("kiosk.device.server_events")

ACTIONS = (f"{p.DSP}/PostScanJobStatusEvent", f"{p.DSP}/PostScanJobEndStateEvent")
SINK_PATH = "/dsp-events"
#: After a server refused Subscribe, ask again only after this long.
NOT_OFFERED_SECONDS = 3600.0
SUBSCRIPTION_SECONDS = 3600


class ServerEventSubscriber:
    def __init__(self, settings: Any, engine: Any, sink_urls: Any) -> None:
        """`sink_urls(server_host) -> str`: our sink's URL on the address that reaches the server."""
        from kiosk.dsm.tls import session

        self.settings = settings
        self.engine = engine
        self.sink_urls = sink_urls
        extra_cas = getattr(getattr(engine.worker, "clients", None), "extra_cas", ())
        self.http: requests.Session = session(settings.scan_server, extra_cas)
        self.subscriptions: dict[str, eventing.Subscribed] = {}
        self.not_offered: dict[str, float] = {}
        self.received = 0
        self._renew_at: dict[str, float] = {}
        self._todo: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dsp-events", daemon=True)
        self._thread.start()
        self._unsubscribe = engine.subscribe(self.on_job_event)

    # -- subscribing (on our own thread: never on the engine's) ---------------------------------
    def on_job_event(self, event: JobEvent) -> None:
        if event.job_token and event.state in sp.ACTIVE_STATES:
            self._todo.put(event.job_id)

    def _endpoint(self, job_id: str) -> str | None:
        try:
            job = self.engine.spool.job(job_id)
            return self.engine.worker.clients(job.scan_repository).endpoint
        except Exception as exc:  # the worker will meet the same problem and report it
            log.debug("job %s: no endpoint for events: %s", job_id, exc)
            return None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                job_id = self._todo.get(timeout=30)
            except queue.Empty:
                job_id = None
            if self._stop.is_set():
                return
            if job_id is not None:
                endpoint = self._endpoint(job_id)
                if endpoint:
                    self._ensure(endpoint)
            self._renew_due()

    def _ensure(self, endpoint: str) -> None:
        with self._lock:
            if endpoint in self.subscriptions or self.not_offered.get(endpoint, 0) > time.monotonic():
                return
        notify_to = self.sink_urls(urlsplit(endpoint).hostname or "")
        try:
            sub = eventing.subscribe(
                self.http,
                endpoint,
                notify_to,
                ACTIONS,
                expires=SUBSCRIPTION_SECONDS,
                timeout=self.settings.scan_server.connect_timeout,
            )
        except (eventing.NotOffered, requests.RequestException) as exc:
            log.info("%s: no PostScanJob events (%s); polling", endpoint, exc)
            with self._lock:
                self.not_offered[endpoint] = time.monotonic() + NOT_OFFERED_SECONDS
            return
        log.info("%s: subscribed to PostScanJob events at %s", endpoint, notify_to)
        with self._lock:
            self.subscriptions[endpoint] = sub
            self._renew_at[endpoint] = time.monotonic() + sub.expires * 2 / 3

    def _renew_due(self) -> None:
        now = time.monotonic()
        for endpoint, at in list(self._renew_at.items()):
            if at > now:
                continue
            sub = self.subscriptions.get(endpoint)
            if sub is None:
                continue
            try:
                renewed = eventing.renew(self.http, sub, expires=SUBSCRIPTION_SECONDS)
                self.subscriptions[endpoint] = renewed
                self._renew_at[endpoint] = now + renewed.expires * 2 / 3
            except (eventing.NotOffered, requests.RequestException) as exc:
                log.info("%s: renewing the event subscription failed (%s); subscribing again", endpoint, exc)
                self.subscriptions.pop(endpoint, None)
                self._renew_at.pop(endpoint, None)

    # -- receiving --------------------------------------------------------------------------------
    def on_event(self, env: etree._Element) -> None:
        """An event at the sink: the job it names is polled now."""
        token = None
        for path in (
            "PostScanJobStatusEvent/{d}JobStatus/{d}JobToken",
            "PostScanJobEndStateEvent/{d}PostScanJobEndState/{d}JobToken",
        ):
            token = env.findtext(f"{{{p.SOAP}}}Body/{{{p.DSP}}}" + path.format(d=f"{{{p.DSP}}}"))
            if token:
                break
        if not token:
            return
        self.received += 1
        token = token.strip()
        # Only a job waiting for the server's end state is polled; one still sending documents
        # learns nothing new from the server's status.
        for job in self.engine.spool.jobs([sp.PROCESSING]):
            if job.job_token == token:
                self.engine.spool.schedule(job.job_id, attempts=job.attempts, at=0)
                self.engine.worker.wake()
                log.debug("job %s: event from the scan server; polling now", job.job_id)

    def close(self) -> None:
        self._unsubscribe()
        self._stop.set()
        self._todo.put(None)
        self._thread.join(timeout=5)
        for sub in list(self.subscriptions.values()):
            try:
                eventing.unsubscribe(self.http, sub, timeout=2.0)
            except (eventing.NotOffered, requests.RequestException):
                pass
        self.http.close()


def local_address_towards(host: str, candidates: list[Any]) -> Any:
    """The candidate address (InterfaceAddress) the kernel would use to reach `host`."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        info = socket.getaddrinfo(host, 9, family, socket.SOCK_DGRAM)[0]
        with socket.socket(info[0], socket.SOCK_DGRAM) as s:
            s.connect(info[4])
            local = ipaddress.ip_address(s.getsockname()[0].split("%")[0])
        for c in candidates:
            if c.address == local:
                return c
    except (OSError, IndexError, ValueError):
        pass
    return candidates[0]
