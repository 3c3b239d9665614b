"""Runs inside a clean Debian root, as root, after `apt-get install ./dsm-kiosk_*.deb
./dsm-scan-server_*.deb`: the proof steps of tests/packaging/test_debian_roots.py. Each step's
command, exit status, output and time go to a JSON file the test reads and asserts on.

    python3 in_root.py RESULTS.json STEP...
"""

import json
import os
import pwd
import stat
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
USER = "dsm-kiosk"
RUNTIME = Path("/tmp/xdg-dsm-kiosk")


def as_kiosk(*argv: str) -> list[str]:
    """The command as the service runs it: the unprivileged dsm-kiosk user, no display."""
    return [
        "runuser",
        "-u",
        USER,
        "--",
        "env",
        "QT_QPA_PLATFORM=offscreen",
        f"XDG_RUNTIME_DIR={RUNTIME}",
        "HOME=/var/lib/dsm-kiosk",
        "LANG=C.UTF-8",
        *argv,
    ]


def run(argv: list[str], timeout: float = 600, cwd: str = "/tmp") -> dict:
    start = time.monotonic()
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=cwd)
        rc, out, err = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        rc, out, err = "timeout", str(exc.stdout or ""), str(exc.stderr or "")
    return {
        "argv": argv,
        "rc": rc,
        "stdout": out[-20000:],
        "stderr": err[-20000:],
        "seconds": round(time.monotonic() - start, 1),
    }


def facts() -> dict:
    """Owners and modes of what the maintainer scripts made."""
    out = {}
    for path in (
        "/etc/dsm-kiosk/kiosk.toml",
        "/var/spool/dsm-kiosk",
        "/var/lib/dsm-kiosk",
        "/var/cache/dsm-kiosk",
        "/etc/dsm-scan-server/server.toml",
        "/var/lib/dsm-scan-server",
    ):
        try:
            st = os.stat(path)
            out[path] = {
                "mode": oct(stat.S_IMODE(st.st_mode)),
                "owner": pwd.getpwuid(st.st_uid).pw_name,
                "group": _group(st.st_gid),
            }
        except OSError:
            out[path] = None
    out["groups"] = subprocess.run(["id", "-nG", USER], capture_output=True, text=True).stdout.split()
    out["enabled"] = sorted(p.name for p in Path("/etc/systemd/system").rglob("dsm-*.service"))
    return out


def _group(gid: int) -> str:
    import grp

    return grp.getgrgid(gid).gr_name


def configured_kiosk() -> str:
    """A configured kiosk: the demo's standalone directory shipped in the package, SANE's test
    device through a private SANE_CONFIG_DIR, the installed spool folders."""
    from hardware import sane_test_device
    from kiosk.directory import demo_directory_path

    folder = Path("/tmp/configured")
    folder.mkdir(exist_ok=True)
    sane_dir = sane_test_device.write_config(folder / "sane")
    conf = folder / "kiosk.toml"
    conf.write_text(
        f'[directory]\nbackend = "local"\nlocal_file = "{demo_directory_path()}"\n'
        f'[scanner]\ndevice = "test:0"\nsane_config_dir = "{sane_dir}"\n'
        '[spool]\ndirectory = "/var/spool/dsm-kiosk"\nstate_directory = "/var/lib/dsm-kiosk"\n'
        '[ui]\nkiosk = true\n[log]\ndestination = "journald"\n'
    )
    subprocess.run(["chown", "-R", USER, str(folder)], check=True)
    return str(conf)


def main() -> int:
    results_path, steps = Path(sys.argv[1]), sys.argv[2:]
    RUNTIME.mkdir(mode=0o700, exist_ok=True)
    subprocess.run(["chown", USER, str(RUNTIME)], check=True)
    results: dict = {}
    first_screen = str(HERE / "first_screen.py")
    for step in steps:
        if step == "version":
            results[step] = run(as_kiosk("dsm-kiosk", "--version"))
        elif step == "config-check":
            results[step] = run(as_kiosk("dsm-kiosk", "config", "check"))
        elif step == "facts":
            results[step] = {"rc": 0, "facts": facts()}
        elif step == "metadata":
            code = (
                "import importlib.metadata as m, json; print(json.dumps({'version': m.version('dsm-kiosk'), "
                "'groups': sorted({e.group for e in m.entry_points() if e.group.startswith('dsm_kiosk')})}))"
            )
            results[step] = run(as_kiosk("python3", "-c", code))
        elif step == "doctor":
            results[step] = run(as_kiosk("dsm-kiosk", "--json", "doctor", "--no-scanner"))
        elif step == "demo":
            results[step] = run(as_kiosk("dsm-kiosk", "--json", "demo", "--headless", "--state-dir", "/tmp/demo"))
        elif step == "first-screen":
            results[step] = run(as_kiosk("python3", first_screen, "report"), timeout=900)
        elif step in ("signin-sigterm", "scan-sigterm"):
            conf = configured_kiosk()
            mode = "sigterm" if step == "signin-sigterm" else "scan-sigterm"
            results[step] = run(as_kiosk("python3", first_screen, mode, "--config", conf))
            # Whether this build puts back the signal actions SANE replaces (issue #10, engine).
            code = "import hardware.sane_scanner as s; print(hasattr(s, 'KeptSignals'))"
            results[step]["kept_signals"] = run(["python3", "-c", code])["stdout"].strip() == "True"
        elif step == "server":
            shipped = serve_once("/etc/dsm-scan-server/server.toml")
            results[step] = {"rc": shipped["rc"], "shipped": shipped}
            if shipped["rc"] == 2 and "insecure_lab_mode" in shipped["output"]:
                # A server that admits enrolled devices only refuses to start until it has TLS and
                # the device CA; the lab switch shows the installed server itself runs.
                lab = Path("/etc/dsm-scan-server/lab.toml")
                lab.write_text("insecure_lab_mode = true\n" + Path("/etc/dsm-scan-server/server.toml").read_text())
                subprocess.run(["chgrp", "dsm-scan-server", str(lab)], check=True)
                lab.chmod(0o640)
                results[step] = {"rc": 0, "shipped": shipped, "lab": serve_once(str(lab))}
                lab.unlink()
        elif step == "units":
            units = sorted(str(p) for p in Path("/usr/lib/systemd/system").glob("dsm-*.service"))
            verify = run(["systemd-analyze", "verify", *units])
            security = {u: run(["systemd-analyze", "security", "--offline=true", u]) for u in units}
            results[step] = {"rc": verify["rc"], "verify": verify, "security": security}
        elif step == "remove-purge":
            removed = run(["apt-get", "remove", "-y", "dsm-scan-server", "dsm-kiosk"])
            after_remove = facts()
            purged = run(["apt-get", "purge", "-y", "dsm-scan-server", "dsm-kiosk"])
            results[step] = {
                "rc": removed["rc"] or purged["rc"],
                "remove": removed,
                "after_remove": after_remove,
                "purge": purged,
                "after_purge": facts() | {"user": _exists_user(USER), "etc": os.path.exists("/etc/dsm-kiosk")},
            }
        else:
            raise SystemExit(f"unknown step {step}")
        results_path.write_text(json.dumps(results, indent=1))
    return 0


def serve_once(config: str) -> dict:
    """dsm-scan-server on the shipped conffile, as its user (the service's ExecStart, on loopback and
    a free port instead of 0.0.0.0:5362): it answers HTTP, and SIGTERM ends it with 0."""
    import signal
    import socket
    import urllib.error
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    argv = ["setpriv", "--reuid=dsm-scan-server", "--regid=dsm-scan-server", "--init-groups", "--"]
    argv += ["dsm-scan-server", "--config", config, "--host", "127.0.0.1"]
    argv += ["--port", str(port)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd="/")
    status = None
    deadline = time.monotonic() + 120
    while status is None and time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as reply:
                status = reply.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = "timeout"
    return {"rc": rc, "http_status": status, "output": proc.stdout.read()[-5000:]}


def _exists_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


if __name__ == "__main__":
    sys.exit(main())
