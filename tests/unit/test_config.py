from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import config
from kiosk.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    return path


def test_example_file_in_packaging_is_valid():
    settings = config.load(ROOT / "packaging" / "kiosk.toml.example")
    assert settings.directory.backend == "ldap"
    assert settings.directory.uris
    assert settings.source.endswith("kiosk.toml.example")


def test_empty_file_gives_all_defaults(tmp_path):
    settings = config.load(write(tmp_path, ""))
    assert settings.ui.width == 800 and settings.ui.height == 480
    assert settings.ui.idle_timeout_seconds == 60
    assert settings.scan_server.discovery_port == 5362
    assert settings.directory.psp_container == "CN=PSPs,CN=System"


def test_good_file_is_typed(tmp_path):
    path = write(
        tmp_path,
        """
[directory]
backend = "ldap"
uris = ["ldaps://dc1.example.com", "ldaps://dc2.example.com"]
connect_timeout = 3
[scan_server.endpoints]
"scan.example.com" = "https://scan.example.com:5362/ScanServer/x"
[log]
level = "debug"
""",
    )
    settings = config.load(path)
    assert settings.directory.uris == ["ldaps://dc1.example.com", "ldaps://dc2.example.com"]
    assert settings.directory.connect_timeout == 3.0
    assert settings.scan_server.endpoints["scan.example.com"].endswith("/x")
    assert settings.log.level == "DEBUG"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[directory]\nbakend = "ldap"\n', "[directory] bakend: unknown key"),
        ("[scaner]\n", "scaner: unknown key"),
        ('[ui]\nwidth = "800"\n', "[ui] width: Input should be a valid integer"),
        ("[ui]\nkiosk = 1\n", "[ui] kiosk: Input should be a valid boolean"),
        ('[directory]\nbackend = "nis"\n', "[directory] backend: Input should be 'local' or 'ldap'"),
        (
            "[spool]\nmax_parallel_deliveries = 0\n",
            "[spool] max_parallel_deliveries: Input should be greater than or equal to 1",
        ),
        ('[directory]\nuris = "ldap://x"\n', "[directory] uris: Input should be a valid list"),
        ("ui = 3\n", "ui: Input should be a valid dictionary"),
    ],
)
def test_bad_file_names_key_and_file(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        config.load(path)
    message = str(info.value)
    assert expected in message
    assert str(path) in message


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, '[ui]\nwidth = "x"\nheight = "y"\n')
    with pytest.raises(ConfigError) as info:
        config.load(path)
    assert "[ui] width" in str(info.value) and "[ui] height" in str(info.value)


def test_not_toml(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(write(tmp_path, "[ui\n"))


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="no such configuration file"):
        config.load(tmp_path / "nope.toml")


def test_path_from_environment(tmp_path, monkeypatch):
    path = write(tmp_path, "[ui]\nwidth = 1280\n")
    monkeypatch.setenv(config.ENV_VAR, str(path))
    assert config.load().ui.width == 1280


def test_relative_paths_resolve_against_the_file(tmp_path):
    settings = config.load(write(tmp_path, '[directory]\nlocal_file = "dir.toml"\n'))
    assert settings.resolve_path(settings.directory.local_file) == tmp_path / "dir.toml"


def test_cli_exits_non_zero_naming_the_key(tmp_path):
    path = write(tmp_path, "[ui]\nwidht = 3\n")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(path), "config", "check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "[ui] widht: unknown key" in result.stderr
    assert str(path) in result.stderr


def test_cli_accepts_good_file(tmp_path):
    path = write(tmp_path, "")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--json", "--config", str(path), "config", "check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert '"ok": true' in result.stdout
