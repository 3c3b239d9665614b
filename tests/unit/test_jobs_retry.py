"""The retry policy: exponential, capped, jittered between half and full."""

from __future__ import annotations

import random

from kiosk.jobs.retry import Backoff


def test_grows_exponentially_within_jitter_and_stops_at_the_cap():
    policy = Backoff(initial=2.0, cap=300.0)
    rng = random.Random(7)
    for attempt, full in [(1, 2.0), (2, 4.0), (3, 8.0), (8, 256.0), (9, 300.0), (50, 300.0)]:
        delays = [policy.delay(attempt, rng) for _ in range(200)]
        assert full / 2 <= min(delays) and max(delays) <= full
        assert max(delays) - min(delays) > full / 10  # really jittered, not in step
