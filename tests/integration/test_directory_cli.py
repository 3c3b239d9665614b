"""`dsm-kiosk passwd` and `dsm-kiosk processes`, run as the real command."""

from __future__ import annotations

import json
import subprocess

from kiosk.directory import demo_directory_path
from kiosk.directory.passwords import verify_password
from tests.fixtures import directory_data as data


def kiosk(python, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([python, "-m", "kiosk", *args], input=stdin, capture_output=True, text=True, timeout=60)


def config(tmp_path, body: str) -> str:
    path = tmp_path / "kiosk.toml"
    path.write_text(body)
    return str(path)


def test_passwd_makes_a_hash_the_directory_accepts(python, tmp_path):
    done = kiosk(python, "passwd", "--password-stdin", stdin="Tr0ub4dor&3\n")
    assert done.returncode == 0, done.stderr
    stored = done.stdout.strip()
    assert stored.startswith("scrypt$") and verify_password(stored, "Tr0ub4dor&3")
    assert "Tr0ub4dor" not in done.stdout + done.stderr
    as_json = json.loads(
        kiosk(python, "passwd", "--password-stdin", "--kdf", "pbkdf2-sha256", "--json", stdin="x\n").stdout
    )
    assert as_json["password"].startswith("pbkdf2-sha256$") and verify_password(as_json["password"], "x")
    empty = kiosk(python, "--json", "passwd", "--password-stdin", stdin="\n")
    assert empty.returncode == 1 and json.loads(empty.stdout)["message"] == "The password is empty."


def test_processes_from_the_demo_directory(python, tmp_path):
    cfg = config(tmp_path, f'[directory]\nbackend = "local"\nlocal_file = "{demo_directory_path()}"\n')
    text = kiosk(python, "--config", cfg, "processes", "--user", "anna", "--password-stdin", stdin="anna\n")
    assert text.returncode == 0, text.stderr
    assert "Anna Accounts (anna, S-1-5-21-" in text.stdout
    assert "Invoices (TIFF G4)  [C2D4E6F8-0A1B-4C3D-9E5F-6A7B8C9D0E1F]" in text.stdout  # upper case, #14
    assert "tiff-multi-g4, ADF, BlackAndWhite1, 300 dpi" in text.stdout
    assert "Photo to JPEG" not in text.stdout
    wrong = kiosk(python, "--config", cfg, "processes", "--user", "anna", "--password-stdin", "--json", stdin="nope\n")
    assert wrong.returncode == 3
    assert json.loads(wrong.stdout)["error"] == "invalid_credentials" and "nope" not in wrong.stdout


def test_processes_from_slapd_as_json_with_the_skipped_ones(python, tmp_path, slapd):
    cfg = config(
        tmp_path,
        (
            f'[directory]\nbackend = "ldap"\nuris = ["{slapd.uri}"]\nbind_mode = "dn_template"\n'
            f'dn_template = "uid={{username}},{data.PEOPLE_DN}"\nuser_attribute = "uid"\n'
        ),
    )
    done = kiosk(
        python,
        "--config",
        cfg,
        "processes",
        "--user",
        "erin",
        "--password-stdin",
        "--json",
        stdin=data.USERS["erin"].password + "\n",
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["user"]["sid"] == data.USERS["erin"].sid
    assert [p["name"] for p in out["processes"]] == ["Scan to my folder"]
    assert out["processes"][0]["identifier"] == str(data.PROCESSES[0].guid).upper()
    assert out["processes"][0]["format"] == "pdf-a"
    assert sorted(s["name"] for s in out["skipped"]) == ["Broken process", "Oversized process"]
    assert data.USERS["erin"].password not in done.stdout + done.stderr
