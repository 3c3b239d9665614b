"""The reference scan server's own configuration: one TOML file, validated like kiosk.toml."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kiosk.config import read_toml, resolve_against
from kiosk.dsm.protocol import OPERATIONS
from kiosk.errors import ConfigError


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class TlsConfig(_Section):
    #: Server certificate chain and key (PEM). Both empty: plain HTTP.
    cert: str = ""
    key: str = ""
    #: CA bundle for client certificates (DSM "strong" mode); with require_client_cert, a
    #: connection without a valid client certificate is refused in the handshake.
    client_ca: str = ""
    require_client_cert: bool = False
    #: Certificate revocation list of the device CA (PEM; `dsm-scan-server enroll --revoke`
    #: writes it): a revoked device fails the handshake. Read again when the file changes; no
    #: file yet means no device revoked yet.
    client_crl: str = ""

    @model_validator(mode="after")
    def _pairs(self) -> TlsConfig:
        if bool(self.cert) != bool(self.key):
            raise ValueError("cert and key go together")
        if self.require_client_cert and not self.client_ca:
            raise ValueError("require_client_cert needs client_ca")
        if self.client_crl and not self.client_ca:
            raise ValueError("client_crl needs client_ca")
        return self


class UserEntry(_Section):
    #: Folder name under each share (DSM uses user@domain); empty: the SID.
    name: str = ""
    #: Address for emlf:SendToScanUser.
    email: str = ""
    #: JobOriginatingUserName reported in JobDescription.
    login: str = ""


class SmtpConfig(_Section):
    host: str = ""
    port: int = Field(default=25, ge=1, le=65535)
    sender: str = "scanserver@localhost"
    starttls: bool = False
    username: str = ""
    password: str = ""
    timeout: float = Field(default=30.0, gt=0, le=600)


# -- trust: devices, directory, limits (issue #14) ------------------------------------------------
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


def normal_fingerprint(value: str) -> str:
    """A SHA-256 certificate fingerprint as 64 lower-case hex digits (colons and case ignored)."""
    return value.replace(":", "").strip().lower()


class DeviceConfig(_Section):
    #: SHA-256 fingerprints of enrolled device certificates (`dsm-scan-server enroll` prints
    #: them). Empty: every certificate the device CA ([tls] client_ca) signed is enrolled.
    fingerprints: list[str] = Field(default_factory=list)
    #: File of further fingerprints, one per line, `#` comments (`enroll --add` appends to it).
    fingerprints_file: str = ""
    #: Key of the device CA ([tls] client_ca), for `dsm-scan-server enroll` to sign device CSRs.
    ca_key: str = ""
    #: Networks (CIDR) a device's WS-Eventing sinks (NotifyTo, EndTo) may be in. Empty: a sink
    #: must be at the very address the device subscribed from.
    event_sink_networks: list[str] = Field(default_factory=list)

    @field_validator("event_sink_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for text in value:
            try:
                ipaddress.ip_network(text, strict=False)
            except ValueError:
                raise ValueError(f"not a network (such as 10.1.0.0/16): {text!r}") from None
        return value

    @field_validator("fingerprints")
    @classmethod
    def _fingerprints(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not _FINGERPRINT.match(normal_fingerprint(v))]
        if bad:
            raise ValueError(f"not SHA-256 fingerprints (64 hex digits): {', '.join(map(repr, bad))}")
        return [normal_fingerprint(v) for v in value]


class DirectoryConfig(_Section):
    """Where the server looks up scan processes and users itself (it never trusts the device's copy)."""

    #: "local": the standalone directory file (the kiosk's format); "ldap": Active Directory with a
    #: service account; "none": only in insecure_lab_mode.
    backend: Literal["none", "local", "ldap"] = "none"
    local_file: str = ""
    #: ldap: servers (ldaps:// or ldap:// with start_tls), tried in order.
    uris: list[str] = Field(default_factory=list)
    start_tls: bool = False
    #: CA bundle for the directory's certificate; empty: the system store.
    ca_file: str = ""
    #: The service account (DN or user@domain); it must be able to read every scan process.
    service_dn: str = ""
    service_password: str = ""
    #: Base DN; empty: the RootDSE's defaultNamingContext.
    base_dn: str = ""
    psp_container: str = "CN=PSPs,CN=System"
    guid_layout: Literal["mixed-endian", "big-endian"] = "mixed-endian"
    timeout: float = Field(default=10.0, gt=0, le=300)

    @model_validator(mode="after")
    def _file(self) -> DirectoryConfig:
        if self.backend == "local" and not self.local_file:
            raise ValueError("backend local needs local_file")
        if self.backend == "ldap":
            if not (self.uris and self.service_dn and self.service_password):
                raise ValueError("backend ldap needs uris, service_dn and service_password")
            plain = [u for u in self.uris if not u.lower().startswith(("ldap://", "ldaps://"))]
            if plain:
                raise ValueError(f"not ldap:// or ldaps:// URIs: {', '.join(plain)}")
            if not self.start_tls and any(u.lower().startswith("ldap://") for u in self.uris):
                raise ValueError("ldap:// needs start_tls = true: the service account's password must not go in clear")
        return self


class LimitsConfig(_Section):
    #: Open connections at once, and from one address.
    max_connections: int = Field(default=512, ge=1, le=4000)
    max_connections_per_address: int = Field(default=32, ge=1, le=4000)
    #: Seconds a TLS handshake may take.
    handshake_timeout: float = Field(default=10.0, ge=0.5, le=120)
    #: Seconds a connection may stay silent (waiting for a request or its next bytes).
    idle_timeout: float = Field(default=60.0, ge=1, le=3600)
    #: Largest plain SOAP request (not MTOM), in KiB.
    max_soap_kb: int = Field(default=1024, ge=16, le=65536)
    #: Names one GetPostScanJobElements may ask for.
    max_requested_elements: int = Field(default=16, ge=1, le=1024)
    max_documents_per_job: int = Field(default=1000, ge=1, le=100000)
    #: Sum of a job's document sizes, in MiB.
    max_job_mb: int = Field(default=8192, ge=1, le=1024 * 1024)
    #: A Started job without a request for this long is aborted (its documents purged).
    job_idle_minutes: float = Field(default=60.0, ge=0.01, le=7 * 24 * 60)
    #: Keep received documents this long after a job ended (0: purge at once).
    retention_hours: float = Field(default=0.0, ge=0, le=24 * 366)
    #: Recipients one e-mail may have, the process's own and the device's together.
    max_recipients: int = Field(default=20, ge=1, le=1000)
    #: Domains a device-added address may have (CanAddAddresses); empty: any domain.
    mail_domains: list[str] = Field(default_factory=list)


class FaultConfig(_Section):
    """Fault injection for tests. Everything off by default."""

    #: Answer the first N CreatePostScanJob requests with dsp:ServerErrorTemporaryError.
    fail_creates: int = Field(default=0, ge=0, le=1_000_000)
    #: Answer this fraction of WS-DSP requests with HTTP 503 (deterministic: every 1/f-th).
    http_503_fraction: float = Field(default=0.0, ge=0, le=1)
    #: Close the connection once this many bytes of a SendImage request arrived (0: off).
    close_after_bytes: int = Field(default=0, ge=0)
    #: How many SendImage connections close_after_bytes cuts (0: every one).
    close_count: int = Field(default=1, ge=0)
    #: Delay every WS-DSP response by this many seconds.
    delay_seconds: float = Field(default=0.0, ge=0, le=600)
    #: Read request bodies at most this fast, bytes per second (0: unlimited).
    read_rate: int = Field(default=0, ge=0)
    #: Operation name → dsp fault subcode it is always answered with (after validation).
    fault_on: dict[
        str, Literal["InvalidArgs", "OperationFailed", "ServerErrorTemporaryError", "ServerErrorInternalError"]
    ] = Field(default_factory=dict)
    #: Answer with a wrong wsa:RelatesTo (to test the client's reply checks).
    bad_relates_to: bool = False
    #: Refuse an identical re-send of a document the job already holds (InvalidArgs, as for other
    #: content under that DocumentId) and count it in the journal's jobs.resends, so that a test
    #: sees every document a client sent twice; off, a re-send is acknowledged as a lost reply's.
    strict_resends: bool = False

    @field_validator("fault_on")
    @classmethod
    def _operations(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(OPERATIONS))
        if unknown:
            raise ValueError(f"unknown operation(s) {', '.join(unknown)}; known: {', '.join(OPERATIONS)}")
        return value


class ConsoleConfig(_Section):
    """The web console (dsm_server.console), mounted at `path` on the scan server's port. Off unless enabled."""

    enabled: bool = False
    path: str = "/console"
    #: The kiosk configuration whose [directory] the console signs in against and writes to.
    directory_config: str = "/etc/dsm-kiosk/kiosk.toml"
    #: Only members of this group (name or SID) get in; the standalone file's group names count too.
    admin_group: str = ""
    #: The account the console writes scan processes with (AD/LDAP), bound like dsm-admin's --admin.
    account: str = ""
    password_file: str = ""
    #: Bind without TLS (a test directory on loopback only).
    allow_plain_ldap: bool = False
    #: Signed-in sessions end after this many minutes without a request.
    idle_minutes: int = Field(default=15, ge=1, le=1440)
    #: Failed sign-ins of one user name (within 15 minutes) before the console refuses that name
    #: for sign_in_lock_minutes, without asking the directory.
    sign_in_attempts: int = Field(default=5, ge=1, le=100)
    sign_in_lock_minutes: float = Field(default=5.0, gt=0, le=1440)
    #: Send the session cookie over HTTPS only (turn off only behind a TLS proxy on the same host).
    cookie_secure: bool = True
    #: File with the key that signs session cookies; empty: a new key at every start.
    secret_key_file: str = ""
    #: WS-Discovery: where to probe for kiosks ("multicast" or unicast addresses); empty: none.
    probe: list[str] = Field(default_factory=list)
    probe_timeout: float = Field(default=2.0, gt=0, le=30)

    @model_validator(mode="after")
    def _group(self) -> ConsoleConfig:
        if self.enabled and not self.admin_group:
            raise ValueError("the console needs admin_group")
        if not self.path.startswith("/") or not self.path.strip("/"):
            raise ValueError("path must be an absolute URL path of its own, such as /console")
        return self


class ServerConfig(_Section):
    host: str = "0.0.0.0"
    port: int = Field(default=5362, ge=0, le=65535)
    #: Path of the device host; the WS-DSP service is at <base_path>/<service_id>.
    base_path: str = "ScanServer"
    service_id: str = "978e9349-e854-444f-87a6-1946553e14a6"
    #: Journal (SQLite) and received documents.
    state_dir: str = "/var/lib/dsm-scan-server"
    #: ShareUNC → local directory.
    shares: dict[str, str] = Field(default_factory=dict)
    #: Where a ShareUNC missing from `shares` goes; empty: such a share fails FileShareAccessDenied.
    default_share_root: str = ""
    #: SID → user entry.
    users: dict[str, UserEntry] = Field(default_factory=dict)
    #: Refuse documents whose bytes do not match the declared Format (by their signature).
    check_format: bool = True
    #: Largest document accepted, in MiB.
    max_document_mb: int = Field(default=2048, ge=1, le=1024 * 1024)
    threads: int = Field(default=8, ge=1, le=256)
    tls: TlsConfig = Field(default_factory=TlsConfig)
    smtp: SmtpConfig = Field(default_factory=SmtpConfig)
    #: Plain HTTP, devices without certificates, and (without [directory]) the device's own copy
    #: of the instructions: for a closed lab only, logged as a warning at start and for every job.
    insecure_lab_mode: bool = False
    devices: DeviceConfig = Field(default_factory=DeviceConfig)
    directory: DirectoryConfig = Field(default_factory=DirectoryConfig)
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    faults: FaultConfig = Field(default_factory=FaultConfig)
    console: ConsoleConfig = Field(default_factory=ConsoleConfig)
    #: Where the file came from (relative paths resolve against its folder). Not a TOML key.
    source: str | None = Field(default=None, exclude=True)

    def path(self, value: str) -> Path:
        return resolve_against(value, self.source)


def parse(data: dict[str, Any], source: str | None = None) -> ServerConfig:
    where = source or "server configuration"
    if "source" in data:
        raise ConfigError(f"{where}: source: unknown key")
    try:
        return ServerConfig.model_validate({**data, "source": source})
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            loc = ".".join(str(p) for p in e["loc"]) or "(top level)"
            msg = "unknown key" if e["type"] == "extra_forbidden" else e["msg"]
            problems.append(f"{where}: {loc}: {msg}")
        raise ConfigError("\n".join(problems)) from None


def load(path: str | Path) -> ServerConfig:
    p = Path(path)
    return parse(read_toml(p), str(p))


def check_serving(cfg: ServerConfig) -> None:
    """What `dsm-scan-server` needs before it serves: enrolled devices only and its own directory,
    unless insecure_lab_mode. (Not part of parse(): the admin tools read partial configurations.)"""
    if cfg.insecure_lab_mode:
        return
    where = cfg.source or "server configuration"
    if not (cfg.tls.cert and cfg.tls.client_ca):
        raise ConfigError(
            f"{where}: the server admits enrolled devices only: set [tls] cert, key and client_ca (the device CA), "
            "or insecure_lab_mode = true for a closed lab"
        )
    if cfg.directory.backend == "none":
        raise ConfigError(
            f"{where}: the server resolves scan processes and users itself: set [directory] backend "
            "(local or ldap), or insecure_lab_mode = true for a closed lab"
        )
    if cfg.faults != FaultConfig():
        raise ConfigError(f"{where}: [faults] injects failures for tests: only with insecure_lab_mode = true")
