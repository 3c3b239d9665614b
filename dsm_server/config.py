"""The reference scan server's own configuration: one TOML file, validated like kiosk.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kiosk.dsm.protocol import OPERATIONS
from kiosk.errors import ConfigError


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class TlsConfig(_Section):
    #: Server certificate chain and key (PEM). Both empty: plain HTTP.
    cert: str = ""
    key: str = ""
    #: CA bundle for client certificates (DSM "strong" mode); with require_client_cert, a
    #: connection without a valid client certificate is refused in the handshake.
    client_ca: str = ""
    require_client_cert: bool = False

    @model_validator(mode="after")
    def _pairs(self) -> TlsConfig:
        if bool(self.cert) != bool(self.key):
            raise ValueError("cert and key go together")
        if self.require_client_cert and not self.client_ca:
            raise ValueError("require_client_cert needs client_ca")
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
    timeout: float = Field(default=30.0, gt=0)


class FaultConfig(_Section):
    """Fault injection for tests. Everything off by default."""

    #: Answer the first N CreatePostScanJob requests with dsp:ServerErrorTemporaryError.
    fail_creates: int = Field(default=0, ge=0)
    #: Answer this fraction of WS-DSP requests with HTTP 503 (deterministic: every 1/f-th).
    http_503_fraction: float = Field(default=0.0, ge=0, le=1)
    #: Close the connection once this many bytes of a SendImage request arrived (0: off).
    close_after_bytes: int = Field(default=0, ge=0)
    #: How many SendImage connections close_after_bytes cuts (0: every one).
    close_count: int = Field(default=1, ge=0)
    #: Delay every WS-DSP response by this many seconds.
    delay_seconds: float = Field(default=0.0, ge=0)
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
    max_document_mb: int = Field(default=2048, ge=1)
    threads: int = Field(default=8, ge=1, le=256)
    tls: TlsConfig = Field(default_factory=TlsConfig)
    smtp: SmtpConfig = Field(default_factory=SmtpConfig)
    faults: FaultConfig = Field(default_factory=FaultConfig)
    #: Where the file came from (relative paths resolve against its folder). Not a TOML key.
    source: str | None = Field(default=None, exclude=True)

    def path(self, value: str) -> Path:
        p = Path(value).expanduser()
        if not p.is_absolute() and self.source:
            p = Path(self.source).parent / p
        return p


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
    try:
        data = tomllib.loads(p.read_text())
    except FileNotFoundError:
        raise ConfigError(f"{p}: no such configuration file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}") from None
    return parse(data, str(p))
