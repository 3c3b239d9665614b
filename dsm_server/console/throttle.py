"""Failed console sign-ins, counted per user name.

Behind the scan server's TLS front every browser arrives from loopback, so the client address
says nothing; the user name is what a guesser must repeat. After `attempts` failures within
`window` seconds a name is refused for `lock` seconds without asking the directory: the console
cannot be used to guess a password, nor to lock an AD account out by running its bad-password
count up. A correct password during the lock is refused as well (else guessing only has to go
on), and a success ends the name's count.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

#: Names tracked at most; the oldest are forgotten first (a flood of made-up names stays bounded).
MAX_NAMES = 10_000


class SignInThrottle:
    def __init__(
        self, attempts: int, lock: float, *, window: float = 900.0, clock: Callable[[], float] | None = None
    ) -> None:
        self.attempts = attempts
        self.lock = lock
        self.window = window
        self.clock = clock or (lambda: time.monotonic())
        self._failures: OrderedDict[str, list[float]] = OrderedDict()
        self._locked_until: dict[str, float] = {}
        self._mutex = threading.Lock()

    @staticmethod
    def _key(name: str) -> str:
        # Directories match names without regard to case (AD, and our standalone file).
        return name.strip().casefold()

    def wait(self, name: str) -> float:
        """Seconds until `name` may try again; 0 when it may now."""
        key = self._key(name)
        with self._mutex:
            left = self._locked_until.get(key, 0.0) - self.clock()
            if left <= 0:
                self._locked_until.pop(key, None)
                return 0.0
            return left

    def failed(self, name: str) -> None:
        key = self._key(name)
        now = self.clock()
        with self._mutex:
            recent = [t for t in self._failures.pop(key, []) if now - t < self.window] + [now]
            if len(recent) >= self.attempts:
                self._locked_until[key] = now + self.lock
                recent = []
            else:
                self._failures[key] = recent
            while len(self._failures) > MAX_NAMES:
                self._failures.popitem(last=False)
            if len(self._locked_until) > MAX_NAMES:
                self._locked_until = {k: t for k, t in self._locked_until.items() if t > now}

    def succeeded(self, name: str) -> None:
        with self._mutex:
            self._failures.pop(self._key(name), None)
