"""The addresses of the configured interfaces, and which peers the device answers.

Read with `ip -j addr` (iproute2): both families, with prefix lengths and interface indexes,
and no extra Python dependency for something every Debian system has.
"""

from __future__ import annotations

import ipaddress
import json
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.errors import ConfigError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class InterfaceAddress:
    interface: str
    index: int
    address: Address
    prefixlen: int

    @property
    def network(self) -> Network:
        return ipaddress.ip_network(f"{self.address}/{self.prefixlen}", strict=False)

    @property
    def link_local(self) -> bool:
        return self.address.is_link_local

    def url_host(self) -> str:
        if self.address.version == 6:
            scope = f"%25{self.index}" if self.link_local else ""
            return f"[{self.address}{scope}]"
        return str(self.address)


def interface_addresses(names: Iterable[str]) -> list[InterfaceAddress]:
    """Every address of the named interfaces. ConfigError for an interface that does not exist."""
    wanted = list(names)
    if not wanted:
        return []
    ip = shutil.which("ip") or "/usr/sbin/ip"
    found: list[InterfaceAddress] = []
    for name in wanted:
        try:
            out = subprocess.run([ip, "-j", "addr", "show", "dev", name], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ConfigError(f"[device] interfaces: cannot read the addresses of {name}: {exc}") from None
        if out.returncode != 0:
            raise ConfigError(f"[device] interfaces: no network interface {name!r} ({out.stderr.strip()})")
        for link in json.loads(out.stdout or "[]"):
            for info in link.get("addr_info", []):
                if info.get("family") not in ("inet", "inet6"):
                    continue
                found.append(
                    InterfaceAddress(
                        link["ifname"],
                        int(link["ifindex"]),
                        ipaddress.ip_address(info["local"]),
                        int(info["prefixlen"]),
                    )
                )
    return found


def parse_networks(values: Iterable[str]) -> list[Network]:
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ConfigError(f"[device] networks: {value!r} is not a network (e.g. 192.168.1.0/24)") from None
    return networks


class PeerFilter:
    """Whether a peer's address is inside the configured networks (or, when none are given, the
    subnets of the configured interfaces)."""

    def __init__(self, networks: list[Network]) -> None:
        self.networks = networks

    @classmethod
    def from_settings(cls, networks: Iterable[str], addresses: list[InterfaceAddress]) -> PeerFilter:
        parsed = parse_networks(networks)
        return cls(parsed or [a.network for a in addresses])

    def allows(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer.split("%", 1)[0])
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return any(address.version == n.version and address in n for n in self.networks)
