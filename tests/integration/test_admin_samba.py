"""dsm-admin against Samba AD: the nTSecurityDescriptor it writes decides what the kiosk lists."""

from __future__ import annotations

import json

import pytest

from dsm_server.admin import cli
from kiosk.config import DirectorySettings
from kiosk.directory import open_directory


@pytest.fixture
def admin(samba_dc, tmp_path, capsys, monkeypatch):
    dc = samba_dc
    config = tmp_path / "kiosk.toml"
    config.write_text(
        "[directory]\n"
        'backend = "ldap"\n'
        f'uris = ["{dc.ldaps_uri}"]\n'
        f'ca_file = "{dc.ca}"\n'
        'bind_mode = "upn"\n'
        f'base_dn = "{dc.base_dn}"\n'
    )
    monkeypatch.setenv("DSM_ADMIN_PASSWORD", dc.ADMIN_PASSWORD)

    def run(*argv, who: str = "Administrator"):
        code = cli.main(["--config", str(config), "--admin", who, "--json", *argv])
        out = capsys.readouterr().out
        return code, json.loads(out) if out.strip() else {}

    return run


def listed_for(dc, account) -> set[str]:
    """What the kiosk lists for a user who signs in with their password."""
    settings = DirectorySettings(
        backend="ldap", uris=[dc.ldaps_uri], ca_file=str(dc.ca), bind_mode="upn", base_dn=dc.base_dn
    )
    with open_directory(settings).sign_in(account.login, dc.PASSWORD) as session:
        return {p.display_name for p in session.scan_processes().ok}


def test_create_grant_revoke_edit_delete_decides_what_the_kiosk_lists(samba_dc, admin):
    dc = samba_dc
    member = dc.add_user("adm-member")
    outsider = dc.add_user("adm-outsider")
    dc.add_group("adm-accounting", [member])

    code, out = admin(
        "create",
        "--name",
        "Accounting inbox",
        "--repository",
        "scan.fabrikam.test",
        "--share",
        r"\\files.fabrikam.test\accounting",
        "--format",
        "pdf-a",
        "--lock",
        "format",
    )
    assert code == 0, out
    guid = out["created"]["identifier"]
    # AD's default descriptor: every signed-in user reads a new process.
    assert out["created"]["everyone"] is True
    assert "Accounting inbox" in listed_for(dc, outsider)

    code, out = admin("grant", "Accounting inbox", "adm-accounting")
    assert code == 0, out
    assert out["process"]["everyone"] is False
    assert "adm-accounting" in [r["name"] for r in out["process"]["readers"]]
    assert "Accounting inbox" in listed_for(dc, member)
    assert "Accounting inbox" not in listed_for(dc, outsider)

    code, out = admin("revoke", guid, "adm-accounting")
    assert code == 0, out
    assert "Accounting inbox" not in listed_for(dc, member)

    code, out = admin("grant", guid, "adm-accounting")
    code, out = admin("edit", guid, "--resolution", "150", "--rename", "Accounting 150")
    assert code == 0, out
    assert out["updated"]["identifier"] == guid
    settings = DirectorySettings(
        backend="ldap", uris=[dc.ldaps_uri], ca_file=str(dc.ca), bind_mode="upn", base_dn=dc.base_dn
    )
    with open_directory(settings).sign_in(member.login, dc.PASSWORD) as session:
        (process,) = [p for p in session.scan_processes().ok if p.display_name == "Accounting 150"]
    assert process.identifier == guid
    assert process.ticket.media_front.resolution.value.width == 150
    assert process.ticket.format.must_honor

    code, out = admin("delete", guid, "--yes")
    assert code == 0, out
    assert "Accounting 150" not in listed_for(dc, member)


def test_an_ordinary_user_lacks_the_rights_and_the_schema_limit_is_kept(samba_dc, admin, monkeypatch, tmp_path):
    dc = samba_dc
    clerk = dc.add_user("adm-clerk")
    monkeypatch.setenv("DSM_ADMIN_PASSWORD", dc.PASSWORD)
    code, out = admin(
        "create", "--name", "Clerk's own", "--repository", "s.fabrikam.test", "--share", r"\\f\s", who=clerk.login
    )
    assert (code, out["error"]) == (13, "missing_rights"), out

    monkeypatch.setenv("DSM_ADMIN_PASSWORD", dc.ADMIN_PASSWORD)
    code, out = admin("create", "--name", "Twice", "--repository", "s.fabrikam.test", "--share", r"\\f\s")
    assert code == 0, out
    code, out = admin("create", "--name", "Twice", "--repository", "s.fabrikam.test", "--share", r"\\f\s")
    assert (code, out["error"]) == (12, "duplicate")
    admin("delete", "Twice", "--yes")


def test_samba_refusing_an_oversized_document_is_a_schema_error(samba_dc, monkeypatch):
    """Our own check stops it first; were it bypassed, AD's rangeUpper refusal reads as a schema error."""
    from dsm_server.admin import stores
    from dsm_server.admin.errors import SchemaRefused
    from tests.fixtures.psp_samples import psp_xml

    dc = samba_dc
    settings = DirectorySettings(
        backend="ldap", uris=[dc.ldaps_uri], ca_file=str(dc.ca), bind_mode="upn", base_dn=dc.base_dn
    )
    big = psp_xml().replace("</psp:PostScanProcess>", f"<!-- {'x' * 524288} --></psp:PostScanProcess>")
    with stores.LdapStore(settings, "Administrator", dc.ADMIN_PASSWORD) as store:
        with pytest.raises(SchemaRefused):
            store.create("Too big", "5c0ffee0-0bad-4bad-8bad-0000000000aa", "", big)
        monkeypatch.setattr(stores, "_validated", lambda *a: None)
        monkeypatch.setattr(stores.LdapStore, "_check_size", staticmethod(lambda xml: None))
        with pytest.raises(SchemaRefused) as caught:
            store.create("Too big", "5c0ffee0-0bad-4bad-8bad-0000000000aa", "", big)
    assert "Too big" in str(caught.value)


def test_the_administrator_binds_with_kerberos_as_the_kiosk_does(samba_dc, tmp_path, monkeypatch, capsys):
    dc = samba_dc
    monkeypatch.setenv("KRB5_CONFIG", str(tmp_path / "absent-krb5.conf"))
    monkeypatch.setenv("KRB5CCNAME", f"FILE:{tmp_path / 'ccache'}")
    monkeypatch.setenv("DSM_ADMIN_PASSWORD", dc.ADMIN_PASSWORD)
    config = tmp_path / "kiosk.toml"
    config.write_text(
        "[directory]\n"
        'backend = "ldap"\n'
        f'uris = ["{dc.ldaps_uri}"]\n'
        f'ca_file = "{dc.ca}"\n'
        'bind_mode = "kerberos"\n'
        f'kerberos_realm = "{dc.realm}"\n'
        f'kerberos_kdc = ["{dc.address}"]\n'
        f'base_dn = "{dc.base_dn}"\n'
    )
    code = cli.main(["--config", str(config), "--admin", "Administrator", "--json", "principals", "Domain Admins"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out
    assert [p["name"] for p in out["principals"]] == ["Domain Admins"]
    assert not (tmp_path / "ccache").exists()
