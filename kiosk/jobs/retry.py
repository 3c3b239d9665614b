"""When to try again after a retryable delivery failure.

Our own few lines rather than tenacity: the attempt count and the next attempt time live in the
spool (a retry schedule survives a restart), and the worker never sleeps in a delivery slot; it
skips a job until its time comes. tenacity's model is a blocking loop around one call.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    initial: float
    cap: float
    factor: float = 2.0

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Delay before attempt `attempt + 1` (attempt >= 1): exponential, capped, with jitter in
        [half, full] so that many kiosks do not hammer a recovering server in step."""
        base = min(self.cap, self.initial * self.factor ** max(0, attempt - 1))
        return base * (0.5 + 0.5 * (rng or random).random())
