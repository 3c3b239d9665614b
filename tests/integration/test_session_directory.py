"""Session against the real slapd: sign-in bound as the user, the user's processes, a job on the
engine, sign-out closing the user's bind."""

from __future__ import annotations

import pytest

from kiosk.config import parse
from kiosk.directory.errors import InvalidCredentials
from kiosk.jobs import Engine
from kiosk.jobs import spool as sp
from kiosk.session import Session
from tests.fixtures import directory_data as data
from tests.fixtures.jobs_fakes import FakeEncoder, FakeScanner, FakeServer


def test_session_with_slapd(slapd, tmp_path):
    settings = parse(
        {
            "directory": {
                "backend": "ldap",
                "uris": [slapd.uri],
                "bind_mode": "search",
                "service_dn": data.ADMIN_DN,
                "service_password": data.ADMIN_PASSWORD,
                "connect_timeout": 2.0,
            },
            "spool": {
                "directory": str(tmp_path / "spool"),
                "state_directory": str(tmp_path / "state"),
                "min_free_mb": 0,
            },
        }
    )
    server = FakeServer()
    engine = Engine(settings, FakeScanner([2]), clients=server.client, encoder_factory=FakeEncoder)
    session = Session(settings, engine)
    alice = data.USERS["alice"]
    with pytest.raises(InvalidCredentials):
        session.sign_in("alice", "wrong")
    user = session.sign_in("alice", alice.password)
    assert user.sid == alice.sid
    assert {"Scan to my folder", "Finance invoices", "Alice private"} <= {
        p.display_name for p in session.processes().ok
    }
    assert "Sales contracts" not in {p.display_name for p in session.processes().ok}
    job = session.start(session.process("Finance invoices"))
    job.scan_load()
    job.finish()
    session.sign_out()
    final = job.wait(10)
    engine.close()
    assert final.state == sp.COMPLETED and final.user_sid == alice.sid
    (sjob,) = server.jobs.values()
    assert sjob.user_sid == alice.sid and sjob.psp == str(data.PROCESSES[1].guid).upper()
