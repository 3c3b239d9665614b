"""Session against a fake directory: sign-in, processes, jobs on the engine, sign-out."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kiosk.errors import DirectoryError
from kiosk.jobs import Engine
from kiosk.jobs import spool as sp
from kiosk.psp.model import ProcessList
from kiosk.session import NotSignedIn, Session
from tests.fixtures.jobs_fakes import FakeEncoder, FakeScanner, FakeServer
from tests.fixtures.jobs_support import User, process, settings

PASSWORD = "s3cret-Passw0rd"


@dataclass
class FakeDirectorySession:
    user: User
    closed: bool = False

    def scan_processes(self):
        return ProcessList(ok=(process(),))

    def close(self):
        self.closed = True


class FakeDirectory:
    def __init__(self):
        self.sessions = []

    def sign_in(self, username, password):
        if password != PASSWORD:
            raise DirectoryError("invalid credentials", user_message="Wrong user name or password.")
        self.sessions.append(FakeDirectorySession(User(login=username)))
        return self.sessions[-1]


def test_sign_in_scan_sign_out_and_no_password_anywhere(tmp_path, caplog):
    caplog.set_level("DEBUG")
    server = FakeServer()
    engine = Engine(settings(tmp_path), FakeScanner([2]), clients=server.client, encoder_factory=FakeEncoder)
    directory = FakeDirectory()
    session = Session(engine.settings, engine, directory=directory)
    with pytest.raises(NotSignedIn):
        session.processes()
    with pytest.raises(DirectoryError):
        session.sign_in("alice", "wrong")
    assert session.sign_in("alice", PASSWORD).login == "alice"
    with pytest.raises(DirectoryError) as err:
        session.process("Nope")
    assert "Invoices" in str(err.value)
    job = session.start(session.process("Invoices"))
    job.scan_load()
    job.finish()
    session.sign_out()  # delivery goes on without the user
    assert directory.sessions[0].closed and not session.signed_in
    assert job.wait(10).state == sp.COMPLETED
    assert session.engine.history(User().sid)[0]["state"] == "Completed"
    engine.close()
    assert PASSWORD not in vars(session).__repr__() and PASSWORD not in caplog.text
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
