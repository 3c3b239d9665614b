"""The device's stable identity: its endpoint reference and metadata version, kept in the state
directory so a restart (or a new SD card image with the same state) is the same device."""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from kiosk.durable import write_durably
from kiosk.errors import ConfigError

FILE_NAME = "device-identity.json"


@dataclass(frozen=True)
class Identity:
    #: "urn:uuid:…", the wsa:Address of the device's endpoint reference.
    endpoint: str
    metadata_version: int

    @property
    def uuid(self) -> str:
        return self.endpoint.removeprefix("urn:uuid:")


class IdentityStore:
    """`identity(metadata_digest)`: the endpoint, and a MetadataVersion that goes up whenever the
    digest of the metadata (names, scanner configuration, addresses…) differs from the last one."""

    def __init__(self, state_directory: Path) -> None:
        self.path = Path(state_directory) / FILE_NAME
        self._lock = threading.Lock()

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"{self.path}: unreadable device identity ({exc}); move it away to get a new one"
            ) from None
        if not isinstance(data, dict):
            raise ConfigError(f"{self.path}: not a device identity file")
        return data

    def identity(self, metadata: str = "") -> Identity:
        digest = hashlib.sha256(metadata.encode()).hexdigest()
        with self._lock:
            data = self._read()
            endpoint = data.get("endpoint")
            try:
                endpoint = f"urn:uuid:{uuid.UUID(str(endpoint).removeprefix('urn:uuid:'))}"
            except ValueError:
                endpoint = f"urn:uuid:{uuid.uuid4()}"
            version = data.get("metadata_version")
            version = version if isinstance(version, int) and version >= 1 else 0
            if data.get("endpoint") != endpoint or data.get("metadata_digest") != digest or version == 0:
                version += 1
                new = {"endpoint": endpoint, "metadata_version": version, "metadata_digest": digest}
                self.path.parent.mkdir(parents=True, exist_ok=True)
                write_durably(self.path, lambda fh: fh.write(json.dumps(new, indent=2).encode()))
            return Identity(endpoint, version)
