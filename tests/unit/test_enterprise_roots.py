"""The kept enterprise-roots bundle and where the ldap backend looks for the roots."""

from __future__ import annotations

import ssl

from kiosk.config import DirectorySettings
from kiosk.directory.ldap import LdapDirectory
from kiosk.enterprise_roots import usable_certificates, write_bundle
from tests.fixtures.tls import make_pki


class RootDse:
    """Answers the RootDSE search with the given attributes."""

    def __init__(self, attributes: dict[str, list[bytes]]) -> None:
        self.attributes = attributes
        self.response: list = []

    def search(self, base, _filter, _scope, attributes):
        assert base == ""
        self.response = [{"type": "searchResEntry", "dn": "", "raw_attributes": self.attributes}]


def directory() -> LdapDirectory:
    return LdapDirectory(DirectorySettings(backend="ldap", uris=["ldap://127.0.0.1:1"], base_dn="DC=example,DC=com"))


def test_configuration_partition_from_the_root_dse_else_under_the_base():
    named = RootDse({"configurationNamingContext": [b"CN=Configuration,DC=forest,DC=example"]})
    assert directory()._configuration(named, "DC=child,DC=forest,DC=example") == "CN=Configuration,DC=forest,DC=example"
    assert directory()._configuration(RootDse({}), "DC=example,DC=com") == "CN=Configuration,DC=example,DC=com"


def test_values_that_are_not_certificates_are_left_out(tmp_path):
    der = ssl.PEM_cert_to_DER_cert(make_pki(tmp_path).ca_pem)
    assert usable_certificates([b"\x00not a certificate", der], "CN=x") == [der]


def test_the_bundle_holds_every_certificate_as_pem(tmp_path):
    ders = [ssl.PEM_cert_to_DER_cert(make_pki(tmp_path / n).ca_pem) for n in ("a", "b")]
    target = tmp_path / "state" / "roots.pem"
    write_bundle(target, ders)
    text = target.read_text()
    assert text.count("BEGIN CERTIFICATE") == 2
    ssl.create_default_context().load_verify_locations(cadata=text)
