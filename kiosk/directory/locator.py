"""The domain controller locator: AD's DCs from DNS SRV records, as Windows clients find them.

With [directory] uris empty and `domain` set, the DCs are `_ldap._tcp.<site>._sites.dc._msdcs.
<domain>` (when a site is set: that site's DCs first) followed by `_ldap._tcp.dc._msdcs.<domain>`
(every DC of the domain, for failover), each list in RFC 2782 order: lowest priority first,
weighted random within a priority (dnspython's processing_order). A DC listed twice is tried once.

With `dns_servers` set, those servers are asked (address or address:port) and the DCs' addresses
come from them too, so a DC name need not resolve in the system's DNS; the connection then goes
to the address while TLS still verifies the DC's name and Kerberos uses its ldap/<name> SPN.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass

import dns.exception
import dns.nameserver
import dns.resolver
from dns.rdtypes.IN.SRV import SRV

from kiosk.directory.errors import DirectoryConfigError, DirectoryUnavailable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DomainController:
    #: The DC's DNS name, as the SRV record names it (what its certificate and SPN carry).
    hostname: str
    #: The SRV record's port (389 for AD's _ldap records).
    port: int
    #: Where to connect: an address from the configured DNS servers, or the hostname itself.
    address: str
    priority: int = 0
    weight: int = 0


def srv_names(domain: str, site: str = "") -> list[str]:
    domain = domain.strip().strip(".").lower()
    names = [f"_ldap._tcp.{site}._sites.dc._msdcs.{domain}"] if site else []
    return [*names, f"_ldap._tcp.dc._msdcs.{domain}"]


def _nameserver(text: str) -> dns.nameserver.Nameserver:
    host, port = text, 53
    if text.startswith("["):  # [::1]:5353
        host, _, rest = text[1:].partition("]")
        port = int(rest[1:]) if rest.startswith(":") else 53
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        port = int(port_text)
    ipaddress.ip_address(host)  # a name here would need the very DNS it is meant to replace
    return dns.nameserver.Do53Nameserver(host, port)


def resolver(dns_servers: list[str] | tuple[str, ...] = (), timeout: float = 5.0) -> dns.resolver.Resolver:
    """The system's resolver, or one asking only `dns_servers`."""
    try:
        res = dns.resolver.Resolver(configure=not dns_servers)
        if dns_servers:
            res.nameservers = [_nameserver(s) for s in dns_servers]
    except (ValueError, dns.exception.DNSException) as exc:
        raise DirectoryConfigError(f"[directory] dns_servers {list(dns_servers)!r}: {exc}") from None
    res.lifetime = timeout
    return res


def _addresses(res: dns.resolver.Resolver, hostname: str) -> list[str]:
    found: list[str] = []
    for rdtype in ("A", "AAAA"):
        try:
            found += [r.to_text() for r in res.resolve(hostname, rdtype)]
        except dns.exception.DNSException:
            continue
    return found


def locate(
    domain: str,
    site: str = "",
    dns_servers: list[str] | tuple[str, ...] = (),
    timeout: float = 5.0,
) -> list[DomainController]:
    """The domain's DCs in the order to try them; DirectoryUnavailable when DNS names none."""
    res = resolver(dns_servers, timeout)
    found: list[DomainController] = []
    seen: set[str] = set()
    problems: list[str] = []
    for name in srv_names(domain, site):
        try:
            answer = res.resolve(name, "SRV")
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            problems.append(f"{name}: no SRV records")
            continue
        except dns.exception.DNSException as exc:
            problems.append(f"{name}: {exc}")
            log.warning("DC locator: %s: %s", name, exc)
            continue
        for record in answer.rrset.processing_order() if answer.rrset is not None else ():
            if not isinstance(record, SRV):
                continue
            hostname = record.target.to_text(omit_final_dot=True).lower()
            if hostname in seen or hostname == "":
                continue
            seen.add(hostname)
            addresses = _addresses(res, hostname) if dns_servers else [hostname]
            if not addresses:
                problems.append(f"{hostname}: no address in DNS")
                continue
            for address in addresses:
                found.append(DomainController(hostname, record.port, address, record.priority, record.weight))
    if not found:
        raise DirectoryUnavailable(f"DC locator found no domain controller for {domain!r}: " + "; ".join(problems))
    log.info("DC locator: %s", ", ".join(f"{dc.hostname} ({dc.address})" for dc in found))
    return found
