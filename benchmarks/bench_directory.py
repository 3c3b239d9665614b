"""Directory figures: PSP parse time and memory, LDAP sign-in and paged listing, local sign-in.

Runs a throwaway slapd (tests/fixtures/slapd.py) on 127.0.0.1 with extra scan processes.
"""

from __future__ import annotations

import base64
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

from benchmarks import median_seconds
from kiosk.config import DirectorySettings, Settings
from kiosk.directory import demo_directory_path, open_directory
from kiosk.psp.model import MAX_PSP_STRING
from kiosk.psp.parser import PspError, parse_process
from tests.fixtures import directory_data as data
from tests.fixtures.psp_samples import psp_xml

# slapd's default size limit (500 entries per search, paged or not) bounds this.
EXTRA_PROCESSES = 450


def _parse(text: str):
    return parse_process(text, display_name="b", identifier=str(uuid.UUID(int=0)))


def bench_parser() -> None:
    typical = psp_xml(emails=("a@example.com",), sharepoint_sites=("https://sp.example.com",))
    parsed = median_seconds(lambda: _parse(typical), 500)
    print(f"parse typical process ({len(typical)} chars): {parsed * 1e6:.0f} µs median")
    many_shares = tuple(f"\\\\files{i}.example.com\\scans" for i in range(20000))
    biggest = psp_xml(shares=many_shares)
    biggest = (
        biggest[: biggest.rindex("<fsf:ShareUNC>", 0, MAX_PSP_STRING - 200)]
        + biggest[biggest.index("</fsf:FileShares>") :]
    )
    tracemalloc.start()
    start = time.perf_counter()
    process = _parse(biggest)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    shares = len(process.instructions.filters[0].config.share_uncs)
    print(
        f"parse largest allowed process ({len(biggest)} chars, {shares} shares):"
        f" {elapsed * 1e3:.0f} ms, peak {peak / 2**20:.1f} MiB"
    )
    bomb = '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>'

    def refuse():
        try:
            _parse(bomb)
        except PspError:
            pass

    print(f"refuse entity expansion: {median_seconds(refuse, 200) * 1e6:.0f} µs median")


def bench_ldap() -> None:
    from tests.fixtures.slapd import Slapd

    entries = [data.ldif()]
    for i in range(EXTRA_PROCESSES):
        name = f"Bulk process {i:04d}"
        entries.append(
            f"dn: CN={name},{data.PSPS_DN}\nobjectClass: msImaging-PostScanProcess\ncn: {name}\n"
            f"displayName: {name}\nmsImaging-PSPIdentifier:: {base64.b64encode(uuid.uuid4().bytes_le).decode()}\n"
            f"msImaging-PSPString:: {base64.b64encode(psp_xml(job_name=name).encode()).decode()}\n"
        )
    with tempfile.TemporaryDirectory() as folder:
        server = Slapd(Path(folder)).start("\n".join(entries))
        try:
            dave = data.USERS["dave"]
            for page_size in (100, 500):
                directory = open_directory(
                    DirectorySettings(
                        backend="ldap",
                        uris=[server.uri],
                        bind_mode="dn_template",
                        dn_template=f"uid={{username}},{data.PEOPLE_DN}",
                        user_attribute="uid",
                        page_size=page_size,
                    )
                )
                sign_in = median_seconds(lambda d=directory: d.sign_in("dave", dave.password).close(), 20)
                session = directory.sign_in("dave", dave.password)
                start = time.perf_counter()
                result = session.scan_processes()
                listing = time.perf_counter() - start
                session.close()
                print(f"ldap sign-in (bind + RootDSE + user entry): {sign_in * 1e3:.1f} ms median")
                print(
                    f"ldap list {len(result.ok)} processes (page size {page_size}): {listing * 1e3:.0f} ms, "
                    f"{listing / max(1, len(result.ok)) * 1e6:.0f} µs per process"
                )
        finally:
            server.stop()


def bench_local() -> None:
    directory = open_directory(Settings(directory={"backend": "local", "local_file": str(demo_directory_path())}))
    print(
        "local sign-in (scrypt n=2^14):"
        f" {median_seconds(lambda: directory.sign_in('demo', 'demo').close(), 10) * 1e3:.0f} ms median"
    )
    session = directory.sign_in("demo", "demo")
    print(f"local list demo processes: {median_seconds(session.scan_processes, 50) * 1e3:.2f} ms median")


def main(argv: list[str]) -> None:
    bench_parser()
    bench_local()
    bench_ldap()
