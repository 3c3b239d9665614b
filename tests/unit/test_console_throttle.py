"""The console's count of failed sign-ins (dsm_server.console.throttle)."""

from __future__ import annotations

from dsm_server.console import throttle as throttle_module
from dsm_server.console.throttle import SignInThrottle


def test_only_failures_within_the_window_count_and_success_clears_them():
    now = [0.0]
    t = SignInThrottle(3, 60, window=100, clock=lambda: now[0])
    t.failed("anna")
    t.failed("anna")
    now[0] = 150  # both are older than the window
    t.failed("Anna")
    assert t.wait("anna") == 0
    t.failed("anna ")
    t.failed("ANNA")
    assert t.wait("anna") == 60
    now[0] = 170
    assert t.wait("anna") == 40 and t.wait("ben") == 0
    now[0] = 211
    assert t.wait("anna") == 0
    t.failed("ben")
    t.failed("ben")
    t.succeeded("Ben")
    t.failed("ben")
    assert t.wait("ben") == 0


def test_a_flood_of_names_stays_bounded(monkeypatch):
    monkeypatch.setattr(throttle_module, "MAX_NAMES", 50)
    t = SignInThrottle(2, 60, clock=lambda: 0.0)
    for n in range(500):
        t.failed(f"user{n}")
    assert len(t._failures) == 50
