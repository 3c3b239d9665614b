"""Administration figures: dsm-admin operations against a throwaway slapd, and console pages with
many processes and jobs (Flask test client; no browser).
"""

from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path

from benchmarks import median_seconds
from dsm_server import config as server_config
from dsm_server.admin import spec as specs
from dsm_server.admin.stores import LdapStore, LocalStore
from dsm_server.console import create_app
from dsm_server.store import Document, Journal
from kiosk.config import DirectorySettings
from kiosk.directory.passwords import hash_password
from tests.fixtures import directory_data as data
from tests.fixtures.slapd import Slapd

PROCESSES = 200
JOBS = 5000


def _create_processes(store) -> float:
    """Creates PROCESSES processes in `store`; seconds per process."""
    start = time.perf_counter()
    for i in range(PROCESSES):
        spec, xml, _ = specs.build(
            specs.make_spec({"name": f"Bench {i:04d}", "repository": "s.example", "shares": [r"\\f\s"]})
        )
        store.create(spec.name, spec.identifier, "s.example", xml)
    return (time.perf_counter() - start) / PROCESSES


def bench_spec() -> None:
    spec = specs.make_spec({"name": "Bench", "repository": "scan.example.com", "shares": [r"\\f.example.com\s"]})
    built = median_seconds(lambda: specs.build(spec), 200)
    print(f"build + validate one process (XSD + parser): {built * 1e3:.2f} ms median")


def bench_ldap(folder: Path) -> None:
    slapd = Slapd(folder / "slapd").start()
    try:
        settings = DirectorySettings(backend="ldap", uris=[slapd.uri], start_tls=False)
        with LdapStore(settings, data.ADMIN_DN, data.ADMIN_PASSWORD, allow_plain=True) as store:
            each = _create_processes(store)
            print(f"slapd: create {PROCESSES} processes: {each * 1e3:.1f} ms each (duplicate check incl.)")
            listed = median_seconds(store.processes, 5)
            print(f"slapd: list {len(store.processes())} processes: {listed * 1e3:.0f} ms median")
            granted = median_seconds(lambda: store.grant("Bench 0001", ["Finance"]), 5)
            print(f"slapd: grant to a group: {granted * 1e3:.0f} ms")
    finally:
        slapd.stop()


def bench_console(folder: Path) -> None:
    directory = folder / "directory.toml"
    directory.write_text(f'[users.root]\npassword = "{hash_password("pw")}"\ngroups = ["Admins"]\n')
    kiosk_toml = folder / "kiosk.toml"
    kiosk_toml.write_text(f'[directory]\nbackend = "local"\nlocal_file = "{directory}"\n')
    each = _create_processes(LocalStore(directory))
    print(f"standalone file: create {PROCESSES} processes: {each * 1e3:.1f} ms each (whole file rewritten)")
    state = folder / "state"
    state.mkdir()
    journal = Journal(state)
    for i in range(JOBS):
        token = f"uuid:{uuid.UUID(int=i)}"
        journal.create(token, "S-1-5-21-1-2-3-1000", str(uuid.UUID(int=i % 7)), "<x/>")
        journal.add_document(token, Document(1, "pdf-a", 1000, "0", "/x"))
    journal.close()
    cfg = server_config.parse(
        {
            "state_dir": str(state),
            "console": {"enabled": True, "directory_config": str(kiosk_toml), "admin_group": "Admins"},
        }
    )
    client = create_app(cfg).test_client()
    client.environ_base.update({"wsgi.url_scheme": "https"})
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"username": "root", "password": "pw", "csrf_token": token})
    for path in ("/jobs", "/jobs?page=100", "/processes", "/health"):
        median = median_seconds(lambda p=path: client.get(p), 10)
        print(f"console {path} ({JOBS} jobs, {PROCESSES} processes): {median * 1e3:.0f} ms median")


def main(argv: list[str]) -> None:
    bench_spec()
    with tempfile.TemporaryDirectory() as tmp:
        bench_ldap(Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        bench_console(Path(tmp))
