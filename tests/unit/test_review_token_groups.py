"""Second reading of the scan server's AD entitlement: a user whose tokenGroups the service
account cannot read is refused, not judged on the user's own SID alone (a deny for one of the
user's groups would be missed). AD's tokenGroups always holds the primary group (review)."""

from __future__ import annotations

import pytest

from dsm_server import config as server_config
from dsm_server import dacl
from dsm_server.trust import LdapServerDirectory, Refused
from tests.fixtures.psp_samples import psp_xml

DOMAIN = "S-1-5-21-1-2-3"
USER = f"{DOMAIN}-1105"
CONTRACTORS = f"{DOMAIN}-1200"
PSP = "6F1C2A4E-1D2B-4C3D-8E9F-0A1B2C3D4E5F"


class FakeConnection:
    def __init__(self, token_groups: list[bytes]) -> None:
        self.token_groups = token_groups
        self.response: list[dict] = []

    def search(self, base, query, scope, attributes=None, controls=None):
        if "objectSid" in query:
            raw = {"sAMAccountName": [b"carl"], "mail": [b""], "userAccountControl": [b"512"]}
            self.response = [{"type": "searchResEntry", "dn": "CN=carl,DC=x", "raw_attributes": raw}]
        elif attributes == ["tokenGroups"]:
            raw = {"tokenGroups": self.token_groups} if self.token_groups else {}
            self.response = [{"type": "searchResEntry", "dn": base, "raw_attributes": raw}]
        else:
            sd = dacl.from_sddl(f"D:P(D;;RP;;;{CONTRACTORS})(A;;RPLCLORC;;;AU)", DOMAIN).to_bytes()
            raw = {"nTSecurityDescriptor": [sd], "msImaging-PSPString": [psp_xml().encode()], "displayName": [b"P"]}
            self.response = [{"type": "searchResEntry", "dn": "CN=p,CN=PSPs,CN=System,DC=x", "raw_attributes": raw}]
        return True

    def unbind(self) -> None:
        pass


def directory(monkeypatch, token_groups: list[bytes]) -> LdapServerDirectory:
    config = server_config.parse(
        {
            "directory": {
                "backend": "ldap",
                "uris": ["ldaps://dc.example.com"],
                "base_dn": "DC=x",
                "service_dn": "svc",
                "service_password": "pw",
            }
        }
    )
    d = LdapServerDirectory(config)
    monkeypatch.setattr(d, "_connect", lambda: FakeConnection(token_groups))
    return d


def test_unreadable_token_groups_refuse_instead_of_skipping_group_denies(monkeypatch):
    from kiosk.directory.identifiers import sid_to_bytes

    # Readable: the deny for Contractors applies.
    with pytest.raises(Refused) as info:
        directory(monkeypatch, [sid_to_bytes(f"{DOMAIN}-513"), sid_to_bytes(CONTRACTORS)]).resolve(USER, PSP)
    assert info.value.subcode == "UserNotEntitled"
    # Not readable (no tokenGroups at all, not even the primary group): refused, not allowed.
    with pytest.raises(Refused) as info:
        directory(monkeypatch, []).resolve(USER, PSP)
    assert info.value.subcode == "DirectoryUnavailable"
    # A user of Domain Users only gets the process.
    assert directory(monkeypatch, [sid_to_bytes(f"{DOMAIN}-513")]).resolve(USER, PSP).user.login == "carl"
