"""The kiosk's settings: one TOML file, loaded into typed, validated sections.

Path: `--config`, else `$DSM_KIOSK_CONFIG`, else /etc/dsm-kiosk/kiosk.toml. An unknown key, a
wrong type or a missing required key is a ConfigError naming the key and the file; nothing starts.
Every key has a default, so an empty file (or none, for `--defaults`) is a complete configuration.
README.md carries the reference of every key; keep the two in step.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kiosk.errors import ConfigError

DEFAULT_PATH = Path("/etc/dsm-kiosk/kiosk.toml")
ENV_VAR = "DSM_KIOSK_CONFIG"


class _Section(BaseModel):
    # strict: TOML already has types, so "5" for a number is a mistake worth reporting.
    # allow_inf_nan: `read_timeout = inf` would pass `gt=0` and then wait forever.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


def _check_url(value: str, schemes: tuple[str, ...]) -> str:
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a URL: {exc}") from None
    if parts.scheme.lower() not in schemes or not parts.hostname:
        raise ValueError(f"{value!r} is not a {' or '.join(s + '://' for s in schemes)}host URL")
    if port == 0 or any(c.isspace() for c in value):
        raise ValueError(f"{value!r} is not a valid URL")
    return value


def _check_regex(value: str, group: str | None = None) -> str:
    if not value:
        return value
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None
    if group and group not in compiled.groupindex:
        raise ValueError(f"the regular expression needs a named group (?P<{group}>…)")
    return value


class DirectorySettings(_Section):
    #: "local": the standalone TOML directory; "ldap": Active Directory or any LDAP server.
    backend: Literal["local", "ldap"] = "local"
    #: Standalone directory file (users, groups, scan processes). Relative paths are resolved
    #: against the config file's folder.
    local_file: str = "/etc/dsm-kiosk/directory.toml"
    #: LDAP servers, tried in order.
    uris: list[str] = Field(default_factory=list)
    #: DC locator: with uris empty, the AD domain (DNS name) whose DCs are found through DNS SRV
    #: records (_ldap._tcp[.<site>._sites].dc._msdcs.<domain>).
    domain: str = ""
    #: DC locator: the AD site to prefer (its DCs first, then the domain's).
    site: str = ""
    #: DC locator: DNS servers to ask (address or address:port); empty means the system's.
    dns_servers: list[str] = Field(default_factory=list)
    #: DC locator: how to reach the DCs found: "ldaps" (port 636) or "start_tls" (389 + StartTLS).
    locator_transport: Literal["ldaps", "start_tls"] = "ldaps"
    #: StartTLS on ldap:// URIs: true, false, or "auto" (unless the server refuses the request:
    #: then plain LDAP, with a warning at every sign-in).
    start_tls: bool | Literal["auto"] = "auto"
    #: CA bundle for LDAPS/StartTLS; empty means the system store.
    ca_file: str = ""
    #: Turning this off is logged as a warning at every sign-in.
    tls_verify: bool = True
    connect_timeout: float = Field(default=5.0, gt=0, le=300)
    #: Seconds to wait for each answer once connected.
    read_timeout: float = Field(default=30.0, gt=0, le=3600)
    #: How the user's own bind is made: "ntlm" (DOMAIN\\user, deprecated), "upn" (user@suffix),
    #: "dn_template" (dn_template with {username}), "search" (service account finds the DN),
    #: "kerberos" (SASL GSSAPI with a ticket from the user's password, over LDAPS/StartTLS).
    bind_mode: Literal["ntlm", "upn", "dn_template", "search", "kerberos"] = "upn"
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
    page_size: int = Field(default=500, ge=1, le=100000)
    #: How a badge becomes a login: "pattern" ([ui] badge_pattern's `user` group is the login) or
    #: "attribute" (the group is a badge id, looked up in badge_attribute / the file's `badges`).
    badge_lookup: Literal["pattern", "attribute"] = "pattern"
    #: LDAP attribute holding the badge id (e.g. employeeID, employeeNumber), for badge_lookup attribute.
    badge_attribute: str = ""
    #: bind_mode kerberos: the realm; empty means the upper-cased DNS name of the domain.
    kerberos_realm: str = ""
    #: bind_mode kerberos: KDCs (host or host:port); empty means krb5's own configuration or DNS.
    kerberos_kdc: list[str] = Field(default_factory=list)
    #: bind_mode kerberos: host name of the DC's ldap/<host> service principal; empty means the
    #: host of the URI in use.
    kerberos_service_host: str = ""

    @field_validator("uris")
    @classmethod
    def _uris(cls, value: list[str]) -> list[str]:
        return [_check_url(u, ("ldap", "ldaps")) for u in value]


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
    #: fsync each raw page file (26 MB for A4 300 dpi colour) that is not in its fsynced document
    #: about page_sync_delay seconds after it was scanned. Off, a page is on storage once it is
    #: in its document, and its page file survives a crash of the kiosk but not a power cut.
    sync_page_files: bool = True
    #: How long a page file may wait for its document before it is fsynced on its own: pages
    #: encoded by then are usually never written as page files (SD cards). 0: fsync at once.
    page_sync_delay: float = Field(default=1.0, ge=0, le=60)

    @field_validator("name_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        return _check_regex(value)


class ScanServerSettings(_Section):
    #: Fixed endpoints: ScanRepository name → WS-DSP endpoint URL (skips discovery).
    endpoints: dict[str, str] = Field(default_factory=dict)
    discovery_scheme: Literal["https", "http"] = "https"
    discovery_port: int = Field(default=5362, ge=1, le=65535)
    discovery_cache_seconds: float = Field(default=3600.0, ge=0, le=7 * 86400)
    #: CA bundle for the scan server; empty means the system store.
    ca_file: str = ""
    #: Also trust the enterprise root CAs published in the directory.
    ca_from_directory: bool = False
    #: Client certificate and key for DSM "strong" mode.
    client_cert: str = ""
    client_key: str = ""
    #: Plain HTTP to the scan server is refused unless this is set.
    allow_http: bool = False
    connect_timeout: float = Field(default=10.0, gt=0, le=300)
    read_timeout: float = Field(default=120.0, gt=0, le=3600)
    #: Overall limit of one WS-DSP call, whatever the socket timeouts (SendImage: +1 s per 64 KiB).
    call_deadline_seconds: float = Field(default=900.0, ge=1, le=86400)
    #: Largest answer accepted from the scan server, in KiB (answers are small; a Pi has little memory).
    max_answer_kb: int = Field(default=1024, ge=16, le=65536)

    @field_validator("endpoints")
    @classmethod
    def _endpoints(cls, value: dict[str, str]) -> dict[str, str]:
        return {name: _check_url(url, ("http", "https")) for name, url in value.items()}

    @model_validator(mode="after")
    def _pairs(self) -> ScanServerSettings:
        if self.client_key and not self.client_cert:
            raise ValueError("client_key is set but client_cert is empty")
        return self


class SpoolSettings(_Section):
    directory: str = "/var/spool/dsm-kiosk"
    #: History database and discovery cache.
    state_directory: str = "/var/lib/dsm-kiosk"
    max_parallel_deliveries: int = Field(default=2, ge=1, le=32)
    #: Keep a Completed job's documents this long; 0 deletes them at once.
    keep_completed_hours: float = Field(default=0.0, ge=0, le=24 * 366)
    history_days: int = Field(default=30, ge=0, le=3660)
    #: A new scan is refused when less than this is free in the spool.
    min_free_mb: int = Field(default=200, ge=0, le=10**9)
    retry_initial_seconds: float = Field(default=2.0, ge=0.001, le=3600)
    retry_max_seconds: float = Field(default=300.0, ge=0.001, le=86400)
    #: Send a multi-page document (pdf-a, tiff-multi-*) while it is being written (chunked SendImage).
    stream_documents: bool = True
    #: A streamed SendImage that gets no new page for this long stops; the finished file follows.
    stream_idle_seconds: float = Field(default=20.0, gt=0, le=3600)

    @model_validator(mode="after")
    def _retry_order(self) -> SpoolSettings:
        if self.retry_initial_seconds > self.retry_max_seconds:
            raise ValueError(
                f"retry_initial_seconds ({self.retry_initial_seconds:g}) is larger than "
                f"retry_max_seconds ({self.retry_max_seconds:g})"
            )
        return self


class UiSettings(_Section):
    width: int = Field(default=800, ge=320, le=7680)
    height: int = Field(default=480, ge=240, le=4320)
    kiosk: bool = False
    language: str = "en"
    idle_timeout_seconds: int = Field(default=60, ge=10, le=86400)
    high_contrast: bool = False
    #: PIN for the service screen and for leaving kiosk mode; empty disables both.
    admin_pin: str = ""
    #: The pad locks at this many wrong PINs in a row, for admin_pin_lock_seconds; each further
    #: wrong PIN doubles the lock, up to admin_pin_max_lock_seconds.
    admin_pin_attempts: int = Field(default=3, ge=1, le=100)
    admin_pin_lock_seconds: float = Field(default=30.0, gt=0, le=86400)
    admin_pin_max_lock_seconds: float = Field(default=900.0, gt=0, le=86400)
    #: Regular expression with a named group "user" that maps badge text to a user name.
    badge_pattern: str = ""
    sounds: bool = True

    @field_validator("badge_pattern")
    @classmethod
    def _badge(cls, value: str) -> str:
        return _check_regex(value, "user")


class LogSettings(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    #: "stderr" or "journald" (falls back to stderr where journald is absent).
    destination: Literal["stderr", "journald"] = "stderr"

    @field_validator("level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


class DeviceSettings(_Section):
    """The DSM device side (kiosk/device): WS-Discovery, DPWS metadata, the WS-DSD host, events."""

    #: Off on a standalone kiosk; on where management tools should see the device.
    enabled: bool = False
    #: Network interfaces (e.g. "eth0") whose addresses the device binds to; nothing else.
    interfaces: list[str] = Field(default_factory=list)
    #: Peers (CIDR) the device answers; empty: the subnets of the configured interfaces.
    networks: list[str] = Field(default_factory=list)
    #: WS-Discovery UDP port (3702 on real networks; tests use another).
    discovery_port: int = Field(default=3702, ge=1, le=65535)
    #: Join the WS-Discovery multicast groups (239.255.255.250, ff02::c); off: unicast only.
    multicast: bool = True
    #: HTTP port of the DPWS host (metadata, WS-DSD, event subscriptions); 0: any free port.
    http_port: int = Field(default=5357, ge=0, le=65535)
    #: HTTPS port of the same host; 0: no HTTPS. Needs tls_cert and tls_key.
    https_port: int = Field(default=0, ge=0, le=65535)
    tls_cert: str = ""
    tls_key: str = ""
    friendly_name: str = "DSM kiosk"
    manufacturer: str = "dsm-kiosk"
    model_name: str = "dsm-kiosk"
    presentation_url: str = ""
    #: Empty: the device's stable endpoint UUID.
    serial_number: str = ""
    scanner_name: str = "DSM kiosk scanner"
    scanner_info: str = ""
    scanner_location: str = ""
    #: SOAP-over-UDP APP_MAX_DELAY: the most a multicast answer or a Hello waits, in milliseconds.
    app_max_delay_ms: int = Field(default=500, ge=0, le=5000)
    #: SOAP-over-UDP MULTICAST_UDP_REPEAT and UNICAST_UDP_REPEAT.
    multicast_repeat: int = Field(default=2, ge=0, le=10)
    unicast_repeat: int = Field(default=1, ge=0, le=10)
    #: Namespace of the WS-DSD wsa:Action URIs (action = namespace + "/" + operation). The docs
    #: show WS-Scan actions on the event examples and none for the operations: a guess.
    dsd_action_namespace: str = "http://schemas.microsoft.com/windows/2006/08/wdp/scan"
    #: Longest subscription granted (seconds); longer or missing Expires get this.
    max_subscription_seconds: int = Field(default=3600, ge=10)
    #: Events waiting for one event sink; more are dropped (a dead sink never slows scanning).
    event_queue: int = Field(default=100, ge=1, le=10000)
    #: Seconds to connect and deliver one event to a sink.
    event_timeout: float = Field(default=5.0, gt=0, le=120)
    #: Subscribe to the scan server's PostScanJob events when it offers WS-Eventing (else poll).
    server_events: bool = True


class Settings(_Section):
    directory: DirectorySettings = Field(default_factory=DirectorySettings)
    scanner: ScannerSettings = Field(default_factory=ScannerSettings)
    scan_server: ScanServerSettings = Field(default_factory=ScanServerSettings)
    spool: SpoolSettings = Field(default_factory=SpoolSettings)
    ui: UiSettings = Field(default_factory=UiSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    device: DeviceSettings = Field(default_factory=DeviceSettings)
    #: Where the settings came from (None: embedded defaults). Not a TOML key.
    source: str | None = Field(default=None, exclude=True)

    def resolve_path(self, value: str) -> Path:
        """A path from the file, relative to the file's own folder."""
        return resolve_against(value, self.source)


def resolve_against(value: str, source: str | None) -> Path:
    """A path written in a configuration file: `~` expanded, a relative one taken from the
    file's own folder (the kiosk's and the scan server's files alike)."""
    path = Path(value).expanduser()
    if not path.is_absolute() and source:
        path = Path(source).parent / path
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
    return parse(read_toml(chosen), str(chosen))


def read_toml(path: Path) -> dict[str, Any]:
    """A configuration file's TOML (the kiosk's and the scan server's); every way it can fail
    is a ConfigError naming the file."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except PermissionError:
        raise ConfigError(f"{path}: not readable by this user") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a configuration file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 text (byte {exc.start})") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML: nested too deeply") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None
