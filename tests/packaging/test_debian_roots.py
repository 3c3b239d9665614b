"""Proof of the Debian packages on clean Debian 13 (trixie) roots, not on the build machine.

`make deb`'s packages are built, checked with lintian, and installed with apt into roots that
mmdebstrap builds from Debian's own packages (the Depends resolve from the distribution; nothing is
cached between runs): amd64 natively, arm64 (Raspberry Pi) under qemu-user emulation. Inside,
tests/packaging/in_root.py runs the steps and this module asserts on what it recorded.

Part of `make test`; alone: `QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest tests/packaging`.
Needs root (mmdebstrap, binfmt_misc), mmdebstrap, lintian, qemu-user-static, binfmt-support and
network access to Debian's mirror (scripts/bootstrap.sh installs the packages).
"""

from __future__ import annotations

import faulthandler
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SUITE = "trixie"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
VERSION = PROJECT["version"]


def _require(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run scripts/bootstrap.sh (make setup)")


@pytest.fixture(scope="module")
def debs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    _require("dpkg-deb")
    out = tmp_path_factory.mktemp("debs")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build_deb.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    built = sorted(out.glob("*.deb"))
    assert [p.name for p in built] == [f"dsm-kiosk_{VERSION}_all.deb", f"dsm-scan-server_{VERSION}_all.deb"]
    return built


def test_lintian_reports_no_errors(debs):
    _require("lintian")
    proc = subprocess.run(
        ["lintian", "--fail-on", "error", "--tag-display-limit", "0", *map(str, debs)],
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in proc.stdout.splitlines() if line.startswith("E:")]
    assert proc.returncode == 0 and not errors, proc.stdout + proc.stderr


def test_packages_hold_the_version_and_no_bytecode(debs):
    kiosk = subprocess.run(["dpkg-deb", "--contents", str(debs[0])], capture_output=True, text=True, check=True)
    assert "__pycache__" not in kiosk.stdout and ".pyc" not in kiosk.stdout
    version = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(debs[0])], capture_output=True, check=True).stdout
    assert f'VERSION = "{VERSION}"'.encode() in version
    fields = subprocess.run(["dpkg-deb", "--field", str(debs[1])], capture_output=True, text=True, check=True).stdout
    assert f"Depends: dsm-kiosk (= {VERSION})" in fields and "Source: dsm-kiosk" in fields
    conffiles = subprocess.run(["dpkg-deb", "--ctrl-tarfile", str(debs[0])], capture_output=True, check=True).stdout
    assert b"/etc/dsm-kiosk/kiosk.toml" in conffiles


def test_depends_are_pyprojects_dependencies_as_debian_packages(debs):
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import build_deb
    finally:
        sys.path.pop(0)
    fields = {
        deb.name.split("_")[0]: subprocess.run(
            ["dpkg-deb", "--field", str(deb), "Depends"], capture_output=True, text=True, check=True
        ).stdout
        for deb in debs
    }
    for requirement in PROJECT["dependencies"]:
        name = requirement.split(">")[0].split("<")[0].split("=")[0].split("!")[0].strip().lower()
        if name in build_deb.NOT_IN_DEBIAN:
            continue
        package, names = build_deb.DEBIAN_PACKAGES[name]
        for deb_name in names:
            assert f"{deb_name} " in fields[package] or fields[package].rstrip().endswith(deb_name), (name, package)
    assert "python3-pyside6.qtwidgets (>= 6.8)" in fields["dsm-kiosk"]
    assert "python3-python-multipart" in fields["dsm-scan-server"] and "PySide6" not in fields["dsm-kiosk"]


def _enable_arm64_emulation() -> None:
    """binfmt_misc for qemu-aarch64, as on a fresh CI machine (root)."""
    _require("update-binfmts", "qemu-aarch64-static")
    binfmt = Path("/proc/sys/fs/binfmt_misc")
    if not (binfmt / "register").exists():
        subprocess.run(["mount", "-t", "binfmt_misc", "binfmt_misc", str(binfmt)], check=True)
    if not (binfmt / "qemu-aarch64").exists():
        subprocess.run(["update-binfmts", "--enable", "qemu-aarch64"], check=True)
    assert (binfmt / "qemu-aarch64").exists(), "qemu-aarch64 is not registered with binfmt_misc"


#: For emulated roots: no byte-compiling at install (py3compile in every python3-* package's postinst
#: is minutes of emulated Python; .pyc files are the same on every architecture, and the amd64 root
#: compiles them all). The app then compiles what it imports in memory, as any read-only install.
NO_PY3COMPILE = [
    '--essential-hook=chroot "$1" dpkg-divert --quiet --local --rename --add /usr/bin/py3compile',
    "--essential-hook=printf '#!/bin/sh\\nexit 0\\n' > \"$1/usr/bin/py3compile\"",
    '--essential-hook=chmod 755 "$1/usr/bin/py3compile"',
]


def prove(
    arch: str, debs: list[Path], steps: list[str], tmp: Path, include: tuple[str, ...] = (), hooks: tuple[str, ...] = ()
) -> dict:
    """Build a clean root, install the packages with apt, run in_root.py's steps; their record."""
    _require("mmdebstrap")
    if os.geteuid() != 0:
        pytest.fail("the packaging proof runs as root (mmdebstrap's chroot, binfmt_misc), as CI does")
    results = tmp / f"results-{arch}.json"
    marks = tmp / "marks"
    (tmp / "debs").mkdir()
    local = [Path(shutil.copy(p, tmp / "debs")) for p in debs]
    argv = [
        "mmdebstrap",
        "--quiet",
        "--variant=apt",
        f"--architectures={arch}",
        # The packages go in with mmdebstrap's own install, apt resolving their Depends from the
        # distribution (outside the root: native speed, even for arm64). apt reads the files here,
        # dpkg inside the root: the same path on both sides.
        *[f"--include={p}" for p in local],
        *([f"--include={','.join(include)}"] if include else []),
        # dpkg without fsync while the root is built (it is thrown away afterwards).
        "--hook-dir=/usr/share/mmdebstrap/hooks/eatmydata",
        # Less to unpack (emulated dpkg is slow): no manuals, translations of messages or docs
        # but the copyright files; nothing the proof looks at.
        "--dpkgopt=path-exclude=/usr/share/man/*",
        "--dpkgopt=path-exclude=/usr/share/locale/*",
        "--dpkgopt=path-exclude=/usr/share/doc/*",
        "--dpkgopt=path-include=/usr/share/doc/*/copyright",
        '--aptopt=Acquire::Languages "none"',
        f'--essential-hook=mkdir -p "$1{local[0].parent}"',
        f"--essential-hook=copy-in {' '.join(map(str, local))} {local[0].parent}",
        *hooks,
        f"--essential-hook=date +%s > {marks}-essential",
        f"--customize-hook=date +%s > {marks}-installed",
        '--customize-hook=mkdir -p "$1/tmp/proof"',
        f"--customize-hook=copy-in {HERE / 'in_root.py'} {HERE / 'first_screen.py'} /tmp/proof",
        f'--customize-hook=chroot "$1" python3 /tmp/proof/in_root.py /tmp/proof/results.json {" ".join(steps)}',
        f"--customize-hook=date +%s > {marks}-proven",
        f"--customize-hook=copy-out /tmp/proof/results.json {tmp}",
        SUITE,
        "/dev/null",
    ]
    # Minutes by design (arm64 under emulation): no stack dump at pytest's faulthandler_timeout; the
    # subprocess timeout guards against a hang instead.
    faulthandler.cancel_dump_traceback_later()
    start, wall = time.monotonic(), time.time()
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=3000, check=False)
    seconds = time.monotonic() - start
    print(f"\n{arch} root: built, installed and proven in {seconds:.0f} s (load {os.getloadavg()[0]:.1f})")
    phases = {
        name: int(Path(f"{marks}-{name}").read_text())
        for name in ("essential", "installed", "proven")
        if Path(f"{marks}-{name}").exists()
    }
    if len(phases) == 3:
        print(
            f"  essential packages {phases['essential'] - wall:.0f} s, our packages and their Depends "
            f"{phases['installed'] - phases['essential']} s, proof steps {phases['proven'] - phases['installed']} s"
        )
    assert proc.returncode == 0, f"mmdebstrap for {arch} failed:\n{proc.stderr[-6000:]}"
    (tmp / "results.json").rename(results)
    record = json.loads(results.read_text())
    if os.environ.get("DSM_PROOF_KEEP"):  # a folder to keep each root's record in, for a look after the run
        shutil.copy(results, Path(os.environ["DSM_PROOF_KEEP"]) / results.name)
    for step, result in record.items():
        print(f"  {step}: rc {result.get('rc')}, {result.get('seconds', '-')} s")
    return record


def _ok(record: dict, step: str) -> dict:
    result = record[step]
    assert result["rc"] == 0, f"{step}: {json.dumps(result, indent=1)[-6000:]}"
    return result


def _check_common(record: dict) -> None:
    assert _ok(record, "version")["stdout"].strip() == f"dsm-kiosk {VERSION}"
    assert _ok(record, "config-check")["stdout"].strip() == "/etc/dsm-kiosk/kiosk.toml: OK"
    screen = json.loads(_ok(record, "first-screen")["stdout"].strip().splitlines()[-1])
    assert screen["status"] == 0 and screen["window"] == "NotConfiguredScreen", screen
    assert "This scanner is not configured yet" in screen["texts"]
    assert any("/etc/dsm-kiosk/directory.toml" in text for text in screen["texts"]), screen


def test_amd64_root(debs, tmp_path):
    steps = ["facts", "version", "metadata", "config-check", "doctor", "first-screen", "demo"]
    steps += ["signin-sigterm", "scan-sigterm", "server", "units", "remove-purge"]
    record = prove("amd64", debs, steps, tmp_path, include=("systemd",))
    _check_common(record)

    facts = record["facts"]["facts"]
    assert facts["/etc/dsm-kiosk/kiosk.toml"] == {"mode": "0o640", "owner": "root", "group": "dsm-kiosk"}
    assert facts["/var/spool/dsm-kiosk"] == {"mode": "0o700", "owner": "dsm-kiosk", "group": "dsm-kiosk"}
    assert facts["/var/lib/dsm-kiosk"]["owner"] == "dsm-kiosk"
    assert facts["/var/lib/dsm-scan-server"]["owner"] == "dsm-scan-server"
    assert "scanner" in facts["groups"]
    assert "dsm-kiosk.service" in facts["enabled"] and "dsm-kiosk-worker.service" not in facts["enabled"]

    # The shipped file is not configured yet: doctor says so, with a non-zero exit.
    doctor = record["doctor"]
    assert doctor["rc"] == 1
    checks = {c["name"]: c for c in json.loads(doctor["stdout"])["checks"]}
    assert checks["config"]["verdict"] == "fail" and "directory.toml" in checks["config"]["detail"]
    assert checks["spool"]["verdict"] == "ok" and checks["state"]["verdict"] == "ok"

    demo = json.loads(_ok(record, "demo")["stdout"])
    assert demo["state"] == "Completed" and demo["pages_scanned"] == 10

    # A configured kiosk opens on the sign-in screen, and SIGTERM (systemd's stop) ends it with 0.
    stopped = json.loads(_ok(record, "signin-sigterm")["stdout"].strip().splitlines()[-1])
    assert stopped["screen"] == "signin" and stopped["status"] == 0, stopped
    # The same after a page scanned with the panel's scanner: SANE's test backend resets SIGTERM
    # from its reader thread; the build must put the panel's handler back (hardware.sane_scanner
    # KeptSignals), or systemd's stop kills the panel (143) instead of ending it.
    after_scan = record["scan-sigterm"]
    print(f"  SIGTERM after a scan: exit {after_scan['rc']} (signal actions kept: {after_scan['kept_signals']})")
    if after_scan["kept_signals"]:
        scanned = json.loads(_ok(record, "scan-sigterm")["stdout"].strip().splitlines()[-1])
        assert scanned["pages_scanned"] == 1 and scanned["status"] == 0, scanned

    meta = json.loads(_ok(record, "metadata")["stdout"])
    assert meta == {"version": VERSION, "groups": sorted(PROJECT.get("entry-points", {}))}

    # The shipped server.toml either serves, or (enrolled devices only) refuses with a message that
    # says what to configure, exit 2, which the unit does not restart in a loop; then the same file
    # in lab mode serves. Either way the installed server answers HTTP and ends with 0 on SIGTERM.
    server = record["server"]
    serving = server.get("lab", server["shipped"])
    if "lab" in server:
        assert server["shipped"]["rc"] == 2 and "server.toml" in server["shipped"]["output"], server
    assert serving["http_status"] is not None and serving["rc"] == 0, server

    units = record["units"]
    assert units["verify"]["rc"] == 0, units["verify"]
    assert not units["verify"]["stderr"].strip(), units["verify"]["stderr"]
    for unit, result in units["security"].items():
        score = [line for line in result["stdout"].splitlines() if "Overall exposure level" in line]
        print(f"  {Path(unit).name}: {score[-1].split(':', 1)[-1].strip() if score else result['stderr'][-300:]}")
        assert score, result

    purge = record["remove-purge"]
    assert purge["rc"] == 0, purge
    kept = purge["after_remove"]
    assert kept["/var/spool/dsm-kiosk"] and kept["/var/lib/dsm-kiosk"] and kept["/etc/dsm-kiosk/kiosk.toml"]
    gone = purge["after_purge"]
    assert gone["/var/spool/dsm-kiosk"] is None and gone["/var/lib/dsm-kiosk"] is None
    assert gone["/var/lib/dsm-scan-server"] is None and gone["/etc/dsm-kiosk/kiosk.toml"] is None
    assert gone["user"] is False and gone["etc"] is False


def test_arm64_root(debs, tmp_path):
    _enable_arm64_emulation()
    record = prove("arm64", debs, ["version", "config-check", "first-screen"], tmp_path, hooks=tuple(NO_PY3COMPILE))
    _check_common(record)


def test_packages_hold_every_data_file_of_their_python_packages(debs):
    """What the wheel ships beside the code (pyproject's package-data) is in the .deb too: the
    console's templates and style sheet, the panel's translations, the protocol schemas."""
    server = subprocess.run(["dpkg-deb", "--contents", str(debs[1])], capture_output=True, text=True, check=True).stdout
    kiosk = subprocess.run(["dpkg-deb", "--contents", str(debs[0])], capture_output=True, text=True, check=True).stdout
    for name in ("console/templates/base.html", "console/templates/_jobs_table.html", "console/static/console.css"):
        assert f"dist-packages/dsm_server/{name}" in server, name
    assert ".qm" in kiosk and ".xsd" in kiosk
