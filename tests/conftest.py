"""Shared fixtures: the real parts (slapd, Samba AD DC, the SANE test backend, Qt offscreen).

Tests are marked by folder: tests/unit (no services), tests/integration (real slapd, SANE test
backend, WS-DSP server), tests/ui (pytest-qt, offscreen).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Qt must know before any QApplication exists; without a display it would abort the run.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
# Sub-processes the tests start (dsm-kiosk, dsm-scan-server) import this checkout, too.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for kind in ("unit", "integration", "ui"):
            if f"{os.sep}tests{os.sep}{kind}{os.sep}" in str(item.fspath):
                item.add_marker(getattr(pytest.mark, kind))


@pytest.fixture(scope="session")
def slapd(tmp_path_factory: pytest.TempPathFactory):
    """One throwaway slapd for the session, loaded with tests/fixtures/directory_data."""
    from tests.fixtures.slapd import Slapd

    server = Slapd(tmp_path_factory.mktemp("slapd")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sane_config_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private SANE_CONFIG_DIR enabling only the `test` backend (one device, 300 mm geometry).

    Set for the whole test process: SANE reads it once, at sane.init().
    """
    from hardware import sane_test_device

    folder = sane_test_device.write_config(tmp_path_factory.mktemp("sane"))
    os.environ["SANE_CONFIG_DIR"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def sane_module(sane_config_dir: Path):
    """python-sane, initialised once against the private configuration."""
    import sane

    from hardware.sane_scanner import SaneBackend

    SaneBackend()  # the one gate to sane.init(): SANE may be initialised only once per process
    yield sane
    sane.exit()


@pytest.fixture
def python() -> str:
    return sys.executable


@pytest.fixture
def scan_server(tmp_path_factory: pytest.TempPathFactory):
    """The reference WS-DSP server as a subprocess on 127.0.0.1 (HTTP), with a temp file-share
    root. `.stop()`/`.kill()`/`.start(**faults)` keep the port and the journal; see
    tests/fixtures/scan_server.py."""
    from tests.fixtures.scan_server import ScanServer

    server = ScanServer(tmp_path_factory.mktemp("scan-server")).start()
    yield server
    server.stop()


@pytest.fixture
def scan_server_settings(scan_server):
    """ScanServerSettings with endpoints={"localhost": scan_server.endpoint}, allow_http=True."""
    from tests.fixtures.scan_server import scan_server_settings as make

    return make(scan_server)


@pytest.fixture(scope="session")
def tls_slapd(tmp_path_factory: pytest.TempPathFactory):
    """A second slapd with LDAPS and StartTLS, its certificate signed by a CA made for the run."""
    from tests.fixtures.slapd import Slapd
    from tests.fixtures.tls import make_server_tls

    folder = tmp_path_factory.mktemp("tls-slapd")
    server = Slapd(folder / "slapd", tls=make_server_tls(folder / "pki")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def samba_dc(tmp_path_factory: pytest.TempPathFactory):
    """One throwaway Samba AD DC for the session (real AD schema, ACLs, account states, KDC), on a
    loopback address of its own; API in tests/fixtures/samba.py. Tests add their own users,
    groups and scan processes with their own names."""
    from tests.fixtures.samba import SambaDC

    dc = SambaDC(tmp_path_factory.mktemp("samba")).start()
    yield dc
    dc.stop()


@pytest.fixture
def sane_scanner(sane_module):
    """hardware.sane_scanner.SaneScanner on the test backend's device; closed after the test,
    because the test backend lets only one handle open the device."""
    from hardware.sane_scanner import SaneBackend, SaneScanner
    from kiosk.config import ScannerSettings

    scanner = SaneScanner(ScannerSettings(device="test:0"), backend=SaneBackend())
    scanner.READ_STALL_SECONDS = 10.0  # a rare test-backend read that never returns fails fast
    yield scanner
    scanner.close()


@pytest.fixture(autouse=True)
def _sigpipe_ignored_after_sane():
    """A test that drives python-sane directly leaves SIGPIPE at SANE's default action, which would
    kill the test process at a later test's write to a closed socket."""
    yield
    from hardware import sane_scanner

    if sane_scanner.SaneBackend._initialised:
        sane_scanner.restore_sigpipe()
