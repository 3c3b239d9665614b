"""The kiosk's settings: one TOML file, loaded into typed, validated sections.

Path: `--config`, else `$DSM_KIOSK_CONFIG`, else /etc/dsm-kiosk/kiosk.toml. An unknown key, a
wrong type or a missing required key is a ConfigError naming the key and the file; nothing starts.
Every key has a default, so an empty file (or none, for `--defaults`) is a complete configuration.
README.md carries the reference of every key; keep the two in step.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kiosk.errors import ConfigError

DEFAULT_PATH = Path("/etc/dsm-kiosk/kiosk.toml")
ENV_VAR = "DSM_KIOSK_CONFIG"


class _Section(BaseModel):
    # strict: TOML already has types, so "5" for a number is a mistake worth reporting.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class DirectorySettings(_Section):
    #: "local": the standalone TOML directory; "ldap": Active Directory or any LDAP server.
    backend: Literal["local", "ldap"] = "local"
    #: Standalone directory file (users, groups, scan processes). Relative paths are resolved
    #: against the config file's folder.
    local_file: str = "/etc/dsm-kiosk/directory.toml"
    #: LDAP servers, tried in order.
    uris: list[str] = Field(default_factory=list)
    start_tls: bool = False
    #: CA bundle for LDAPS/StartTLS; empty means the system store.
    ca_file: str = ""
    #: Turning this off is logged as a warning at every sign-in.
    tls_verify: bool = True
    connect_timeout: float = Field(default=5.0, gt=0)
    #: Seconds to wait for each answer once connected.
    read_timeout: float = Field(default=30.0, gt=0)
    #: How the user's own bind is made: "ntlm" (DOMAIN\\user), "upn" (user@suffix),
    #: "dn_template" (dn_template with {username}), "search" (service account finds the DN).
    bind_mode: Literal["ntlm", "upn", "dn_template", "search"] = "upn"
    ntlm_domain: str = ""
    upn_suffix: str = ""
    dn_template: str = ""
    service_dn: str = ""
    service_password: str = ""
    #: Base DN; empty means the RootDSE's defaultNamingContext.
    base_dn: str = ""
    #: Attribute that holds the sign-in name.
    user_attribute: str = "sAMAccountName"
    #: Container of the scan processes, relative to the base DN.
    psp_container: str = "CN=PSPs,CN=System"
    #: Byte layout of msImaging-PSPIdentifier: AD stores GUIDs like objectGUID ("mixed-endian").
    guid_layout: Literal["mixed-endian", "big-endian"] = "mixed-endian"
    #: Optional extra LDAP filter ANDed to the scan-process search.
    process_filter: str = ""
    page_size: int = Field(default=500, ge=1)
    #: How a badge becomes a login: "pattern" ([ui] badge_pattern's `user` group is the login) or
    #: "attribute" (the group is a badge id, looked up in badge_attribute / the file's `badges`).
    badge_lookup: Literal["pattern", "attribute"] = "pattern"
    #: LDAP attribute holding the badge id (e.g. employeeID, employeeNumber), for badge_lookup attribute.
    badge_attribute: str = ""


class ScannerSettings(_Section):
    #: Scanner driver, by its entry-point name (kiosk/drivers.py); "sane" is the SANE driver.
    driver: str = "sane"
    #: SANE device name (e.g. "test:0" or "fujitsu:fi-7160:12345"); empty: match by vendor/model,
    #: or the first device found.
    device: str = ""
    vendor: str = ""
    model: str = ""
    #: Regular expression the SANE device name must match (when device is empty).
    name_pattern: str = ""
    #: SANE_CONFIG_DIR for this process; empty keeps SANE's own.
    sane_config_dir: str = ""
    #: How often the scanner's own buttons are polled while idle.
    button_poll_hz: float = Field(default=5.0, gt=0, le=50)
    #: Order in which a duplex backend delivers the two sides of a sheet.
    duplex_order: Literal["front-first", "back-first"] = "front-first"
    #: Feeders that turn the sheet deliver its back upside down: 180 turns it upright.
    duplex_back_rotation: Literal[0, 180] = 0
    #: Linux input device of a panel or GPIO button (gpio-keys); empty: none.
    button_event_device: str = ""
    #: Key code that device sends for the button (KEY_SCAN = 217; see linux/input-event-codes.h).
    button_key_code: int = Field(default=217, ge=0, le=767)


class ScanServerSettings(_Section):
    #: Fixed endpoints: ScanRepository name → WS-DSP endpoint URL (skips discovery).
    endpoints: dict[str, str] = Field(default_factory=dict)
    discovery_scheme: Literal["https", "http"] = "https"
    discovery_port: int = Field(default=5362, ge=1, le=65535)
    discovery_cache_seconds: float = Field(default=3600.0, ge=0)
    #: CA bundle for the scan server; empty means the system store.
    ca_file: str = ""
    #: Also trust the enterprise root CAs published in the directory.
    ca_from_directory: bool = False
    #: Client certificate and key for DSM "strong" mode.
    client_cert: str = ""
    client_key: str = ""
    #: Plain HTTP to the scan server is refused unless this is set.
    allow_http: bool = False
    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=120.0, gt=0)


class SpoolSettings(_Section):
    directory: str = "/var/spool/dsm-kiosk"
    #: History database and discovery cache.
    state_directory: str = "/var/lib/dsm-kiosk"
    max_parallel_deliveries: int = Field(default=2, ge=1, le=32)
    #: Keep a Completed job's documents this long; 0 deletes them at once.
    keep_completed_hours: float = Field(default=0.0, ge=0)
    history_days: int = Field(default=30, ge=0)
    #: A new scan is refused when less than this is free in the spool.
    min_free_mb: int = Field(default=200, ge=0)
    retry_initial_seconds: float = Field(default=2.0, gt=0)
    retry_max_seconds: float = Field(default=300.0, gt=0)


class UiSettings(_Section):
    width: int = Field(default=800, ge=320)
    height: int = Field(default=480, ge=240)
    kiosk: bool = False
    language: str = "en"
    idle_timeout_seconds: int = Field(default=60, ge=10)
    high_contrast: bool = False
    #: PIN for the service screen and for leaving kiosk mode; empty disables both.
    admin_pin: str = ""
    #: Regular expression with a named group "user" that maps badge text to a user name.
    badge_pattern: str = ""
    sounds: bool = True


class LogSettings(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    #: "stderr" or "journald" (falls back to stderr where journald is absent).
    destination: Literal["stderr", "journald"] = "stderr"

    @field_validator("level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


class Settings(_Section):
    directory: DirectorySettings = Field(default_factory=DirectorySettings)
    scanner: ScannerSettings = Field(default_factory=ScannerSettings)
    scan_server: ScanServerSettings = Field(default_factory=ScanServerSettings)
    spool: SpoolSettings = Field(default_factory=SpoolSettings)
    ui: UiSettings = Field(default_factory=UiSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    #: Where the settings came from (None: embedded defaults). Not a TOML key.
    source: str | None = Field(default=None, exclude=True)

    def resolve_path(self, value: str) -> Path:
        """A path from the file, relative to the file's own folder."""
        path = Path(value).expanduser()
        if not path.is_absolute() and self.source:
            path = Path(self.source).parent / path
        return path


def _describe(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if len(parts) >= 2:
        return f"[{parts[0]}] {'.'.join(parts[1:])}"
    return parts[0] if parts else "(top level)"


def _message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    got = error.get("input")
    return f"{error['msg']} (got {got!r})" if not isinstance(got, dict) else error["msg"]


def parse(data: dict[str, Any], source: str | None = None) -> Settings:
    """Validate already-parsed TOML data. Raises ConfigError listing every problem."""
    where = source or "configuration"
    if "source" in data:
        raise ConfigError(f"{where}: source: unknown key")
    try:
        return Settings.model_validate({**data, "source": source})
    except ValidationError as exc:
        problems = [f"{where}: {_describe(e['loc'])}: {_message(e)}" for e in exc.errors()]
        raise ConfigError("\n".join(problems)) from None


def load(path: str | os.PathLike[str] | None = None) -> Settings:
    """Load settings from `path`, `$DSM_KIOSK_CONFIG` or /etc/dsm-kiosk/kiosk.toml."""
    chosen = Path(path or os.environ.get(ENV_VAR) or DEFAULT_PATH)
    try:
        with chosen.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{chosen}: no such configuration file") from None
    except PermissionError:
        raise ConfigError(f"{chosen}: not readable by this user") from None
    except IsADirectoryError:
        raise ConfigError(f"{chosen}: is a directory, not a configuration file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{chosen}: not valid TOML: {exc}") from None
    return parse(data, str(chosen))
