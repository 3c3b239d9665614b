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


# -- bounds, URLs, regexes, cross-field rules, undecodable files (issue #14, K6) ----------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[scan_server]\nread_timeout = inf\n", "[scan_server] read_timeout"),
        ("[scan_server]\nread_timeout = 1e300\n", "[scan_server] read_timeout"),
        ("[directory]\nconnect_timeout = nan\n", "[directory] connect_timeout"),
        ("[spool]\nretry_max_seconds = inf\n", "[spool] retry_max_seconds"),
        ("[ui]\nidle_timeout_seconds = 99999999999\n", "[ui] idle_timeout_seconds"),
        ("[spool]\nretry_initial_seconds = 600.0\nretry_max_seconds = 60.0\n", "retry_initial_seconds (600)"),
        ('[scanner]\nname_pattern = "fujitsu("\n', "[scanner] name_pattern"),
        ('[ui]\nbadge_pattern = "[0-9"\n', "[ui] badge_pattern"),
        ('[ui]\nbadge_pattern = "^[0-9]+$"\n', "named group"),
        ('[scan_server.endpoints]\nx = "scan.example.com/ScanServer"\n', "[scan_server] endpoints"),
        ('[scan_server.endpoints]\nx = "ftp://scan.example.com/"\n', "not a http:// or https://host URL"),
        ('[scan_server.endpoints]\nx = "https://host:99999/x"\n', "[scan_server] endpoints"),
        ('[directory]\nuris = ["dc1.example.com"]\n', "[directory] uris"),
        ('[scan_server]\nclient_key = "/k.pem"\n', "client_key is set but client_cert is empty"),
    ],
)
def test_values_out_of_reason_are_config_errors(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        config.load(path)
    assert expected in str(info.value)


def test_good_urls_regexes_and_retry_order_pass(tmp_path):
    settings = config.load(
        write(
            tmp_path,
            '[directory]\nuris = ["ldaps://dc1.example.com:636"]\n'
            '[scan_server.endpoints]\nx = "https://[::1]:5362/ScanServer/x"\n'
            '[ui]\nbadge_pattern = "^(?P<user>[a-z]+)$"\n'
            "[spool]\nretry_initial_seconds = 5.0\nretry_max_seconds = 5.0\n",
        )
    )
    assert settings.spool.retry_initial_seconds == settings.spool.retry_max_seconds == 5.0


@pytest.mark.parametrize(
    "content",
    [
        b'[ui]\nlanguage = "\xff\xfe"\n',
        b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n",
        b"a = " + b"{b = " * 3000 + b"1" + b"}" * 3000 + b"\n",
    ],
    ids=["not-utf8", "deep-arrays", "deep-tables"],
)
def test_undecodable_or_deep_file_is_exit_2_without_traceback(tmp_path, content):
    path = tmp_path / "kiosk.toml"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as info:
        config.load(path)
    assert str(path) in str(info.value)
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(path), "config", "check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
