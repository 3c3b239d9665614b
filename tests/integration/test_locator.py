"""The DC locator: SRV records from Samba's own internal DNS (the real part), and from a
dnspython-answered server on a loopback port for what Samba's zone does not hold (priorities,
weights, sites, a dead DC)."""

from __future__ import annotations

import logging

import pytest

from kiosk.config import DirectorySettings
from kiosk.directory import open_directory
from kiosk.directory.errors import DirectoryUnavailable
from kiosk.directory.locator import locate, srv_names
from tests.fixtures.fake_dns import FakeDns
from tests.fixtures.samba import _free_loopback_address

DOMAIN_SRV = "_ldap._tcp.dc._msdcs.contoso.test"
SITE_SRV = "_ldap._tcp.Berlin._sites.dc._msdcs.contoso.test"


def hosts(found) -> list[str]:
    return [dc.hostname for dc in found]


def test_srv_names_site_first():
    assert srv_names("Contoso.Test.", "Berlin") == [SITE_SRV, DOMAIN_SRV]
    assert srv_names("contoso.test") == [DOMAIN_SRV]


def test_priority_then_weight():
    records = {
        (DOMAIN_SRV, "SRV"): [
            "10 100 389 late.contoso.test.",
            "0 0 389 light.contoso.test.",
            "0 65535 389 heavy.contoso.test.",
        ],
        **{(f"{name}.contoso.test", "A"): ["127.0.0.1"] for name in ("late", "light", "heavy")},
    }
    firsts = []
    with FakeDns(records) as server:
        for _ in range(20):
            found = hosts(locate("contoso.test", dns_servers=[server.address]))
            assert found[-1] == "late.contoso.test"
            assert set(found[:2]) == {"light.contoso.test", "heavy.contoso.test"}
            firsts.append(found[0])
    # RFC 2782: weight 0 is picked first only very rarely against 65535.
    assert firsts.count("heavy.contoso.test") >= 19


def test_site_dcs_first_then_the_domain_without_repeats():
    records = {
        (SITE_SRV, "SRV"): ["0 100 389 ber1.contoso.test."],
        (DOMAIN_SRV, "SRV"): ["0 100 389 ber1.contoso.test.", "5 100 389 par1.contoso.test."],
        ("ber1.contoso.test", "A"): ["127.0.0.11"],
        ("par1.contoso.test", "A"): ["127.0.0.12"],
    }
    with FakeDns(records) as server:
        found = locate("contoso.test", "Berlin", dns_servers=[server.address])
        assert [(dc.hostname, dc.address, dc.port) for dc in found] == [
            ("ber1.contoso.test", "127.0.0.11", 389),
            ("par1.contoso.test", "127.0.0.12", 389),
        ]
        # An unknown site falls back to the domain's DCs.
        assert hosts(locate("contoso.test", "Tokyo", dns_servers=[server.address])) == [
            "ber1.contoso.test",
            "par1.contoso.test",
        ]


def test_no_records_say_what_was_asked():
    with FakeDns({}) as server, pytest.raises(DirectoryUnavailable, match="_ldap._tcp.dc._msdcs.contoso.test"):
        locate("contoso.test", dns_servers=[server.address])


def located_settings(dc, dns_server: str, **overrides) -> DirectorySettings:
    values = dict(
        backend="ldap",
        domain=dc.realm.lower(),
        dns_servers=[dns_server],
        ca_file=str(dc.ca),
        connect_timeout=3.0,
        process_filter="(displayName=LC *)",
    )
    values.update(overrides)
    return DirectorySettings(**values)


@pytest.fixture(scope="module")
def lc_user(samba_dc):
    return samba_dc.add_user("lc-anna")


@pytest.mark.parametrize("transport", ["ldaps", "start_tls"])
def test_sign_in_through_samba_internal_dns(samba_dc, lc_user, transport):
    settings = located_settings(samba_dc, samba_dc.address, site="Default-First-Site-Name", locator_transport=transport)
    with open_directory(settings).sign_in("lc-anna", samba_dc.PASSWORD) as session:
        assert session.user.sid == lc_user.sid


def test_kerberos_through_samba_internal_dns(samba_dc, lc_user, monkeypatch):
    monkeypatch.setenv("KRB5_CONFIG", "/nonexistent/krb5.conf")
    settings = located_settings(samba_dc, samba_dc.address, bind_mode="kerberos")
    with open_directory(settings).sign_in("lc-anna", samba_dc.PASSWORD) as session:
        assert session.user.sid == lc_user.sid


def test_failover_from_a_dead_dc_to_the_next(samba_dc, lc_user, caplog):
    dead = _free_loopback_address()
    records = {
        ("_ldap._tcp.dc._msdcs.fabrikam.test", "SRV"): [
            "0 100 389 dead.fabrikam.test.",
            "10 100 389 dc1.fabrikam.test.",
        ],
        ("dead.fabrikam.test", "A"): [dead],
        ("dc1.fabrikam.test", "A"): [samba_dc.address],
    }
    caplog.set_level(logging.WARNING)
    with FakeDns(records) as server:
        with open_directory(located_settings(samba_dc, server.address)).sign_in("lc-anna", samba_dc.PASSWORD) as s:
            assert s.user.sid == lc_user.sid
    assert dead in caplog.text


def test_a_dc_whose_certificate_names_another_host_is_refused(samba_dc, lc_user):
    records = {
        ("_ldap._tcp.dc._msdcs.fabrikam.test", "SRV"): ["0 100 389 impostor.fabrikam.test."],
        ("impostor.fabrikam.test", "A"): [samba_dc.address],
    }
    with FakeDns(records) as server, pytest.raises(Exception, match="TLS|certificate|hostname") as refused:
        open_directory(located_settings(samba_dc, server.address)).sign_in("lc-anna", samba_dc.PASSWORD)
    assert type(refused.value).__name__ == "DirectoryTlsError"


@pytest.mark.parametrize("transport", ["ldaps", "start_tls"])
def test_doctor_checks_the_dcs_the_locator_finds(samba_dc, transport):
    """A configuration with a domain and no uris is complete: doctor reaches each DC the locator
    finds, the way a sign-in does (it said "uris is empty" before)."""
    from kiosk.commands.doctor import check_directory
    from kiosk.config import Settings

    directory = located_settings(samba_dc, samba_dc.address, locator_transport=transport)
    checks = {c.name: c for c in check_directory(Settings(directory=directory))}
    dc = [c for name, c in checks.items() if name.startswith("directory ")]
    assert len(dc) >= 1, checks
    scheme = "ldaps" if transport == "ldaps" else "ldap"
    assert all(c.name.startswith(f"directory {scheme}://") and c.verdict in ("ok", "warn") for c in dc), dc
    assert all("reachable" in c.detail and "no TLS" not in c.detail for c in dc), dc
    assert checks["clock"].verdict == "ok"  # AD's RootDSE has currentTime; this machine's clock is the DC's


def test_doctor_says_when_the_locator_finds_no_dc(samba_dc):
    from kiosk.commands.doctor import check_directory
    from kiosk.config import Settings

    with FakeDns({}) as server:
        directory = located_settings(samba_dc, server.address)
        (check,) = check_directory(Settings(directory=directory))
    assert check.verdict == "fail" and "no domain controller" in check.detail
