"""dsm-admin against a real slapd with the AD-like schema: objects as AD keeps them, the kiosk reads them.

slapd stores nTSecurityDescriptor but does not enforce it (its own access rules do), so here the
descriptor is checked as written; who sees what through it is tested against Samba AD.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from dsm_server.admin import cli, security
from kiosk.config import DirectorySettings
from kiosk.directory import open_directory
from tests.fixtures import directory_data as data


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A slapd of its own: these tests add and delete processes."""
    from tests.fixtures.slapd import Slapd
    from tests.fixtures.tls import make_server_tls

    folder = tmp_path_factory.mktemp("admin-slapd")
    slapd = Slapd(folder / "slapd", tls=make_server_tls(folder / "pki")).start()
    yield slapd
    slapd.stop()


def kiosk_config(tmp_path, uri: str, name: str = "kiosk.toml", **extra) -> str:
    lines = [
        "[directory]",
        'backend = "ldap"',
        f'uris = ["{uri}"]',
        'bind_mode = "dn_template"',
        f'dn_template = "uid={{username}},{data.PEOPLE_DN}"',
        'user_attribute = "uid"',
    ] + [f"{k} = {json.dumps(v)}" for k, v in extra.items()]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.fixture
def admin(tmp_path, server, capsys, monkeypatch):
    monkeypatch.setenv("DSM_ADMIN_PASSWORD", data.ADMIN_PASSWORD)
    config = kiosk_config(tmp_path, server.ldaps_uri, ca_file=str(server.tls.ca))

    def run(*argv, who: str = data.ADMIN_DN, config_file: str = config, plain: bool = False):
        extra = ["--allow-plain-ldap"] if plain else []
        code = cli.main(["--config", config_file, "--admin", who, "--json", *extra, *argv])
        out = capsys.readouterr().out
        return code, json.loads(out) if out.strip() else {}

    return run


def visible_to(server, login: str) -> set[str]:
    settings = DirectorySettings(
        backend="ldap",
        uris=[server.uri],
        ca_file=str(server.tls.ca),
        bind_mode="dn_template",
        dn_template=f"uid={{username}},{data.PEOPLE_DN}",
        user_attribute="uid",
    )
    with open_directory(settings).sign_in(login, data.USERS[login].password) as session:
        return {p.display_name for p in session.scan_processes().ok}


def test_list_shows_the_directory_processes_and_the_bad_ones(admin):
    code, out = admin("list")
    assert code == 0, out
    by_name = {p["name"]: p for p in out["processes"]}
    assert {p.display_name for p in data.ALL_PROCESSES} <= set(by_name)
    assert by_name["Finance invoices"]["identifier"] == "2B7E1516-28AE-4D2A-ABF7-158809CF4F3C"
    assert by_name["Finance invoices"]["problem"] == ""
    assert by_name["Broken process"]["problem"]
    assert "524288" in by_name["Oversized process"]["problem"]


def test_create_grant_edit_delete_over_ldaps(admin, server):
    code, out = admin(
        "create",
        "--name",
        "Legal, scans",  # a comma must be escaped in the DN
        "--repository",
        "scanserver.example.com",
        "--share",
        r"\\files.example.com\legal",
        "--email",
        "legal@example.com",
        "--can-add-addresses",
        "yes",
        "--format",
        "pdf-a",
        "--lock",
        "format",
    )
    assert code == 0, out
    created = out["created"]
    guid = created["identifier"]
    assert created["dn"].lower().startswith("cn=legal") and created["dn"].lower().endswith(data.PSPS_DN.lower())
    # The kiosk finds it where AD keeps them, with the GUID in objectGUID layout.
    assert "Legal, scans" in visible_to(server, "dave")
    settings = DirectorySettings(
        backend="ldap",
        uris=[server.uri],
        ca_file=str(server.tls.ca),
        bind_mode="dn_template",
        dn_template=f"uid={{username}},{data.PEOPLE_DN}",
        user_attribute="uid",
    )
    with open_directory(settings).sign_in("dave", data.USERS["dave"].password) as session:
        process = next(p for p in session.scan_processes().ok if p.display_name == "Legal, scans")
    assert process.identifier == guid
    assert process.server_name == "scanserver.example.com"
    assert process.instructions.filters[1].config.can_add_addresses

    code, out = admin("grant", guid, "Finance", "alice")
    assert code == 0, out
    readers = {r["name"]: r for r in out["process"]["readers"]}
    assert set(readers) == {"Finance", "alice"}
    assert readers["Finance"]["sid"] == f"{data.DOMAIN_SID}-1201" and readers["Finance"]["kind"] == "group"
    assert out["process"]["everyone"] is False

    code, out = admin("revoke", "Legal, scans", "alice")
    assert code == 0
    assert [r["name"] for r in out["process"]["readers"]] == ["Finance"]

    code, out = admin("edit", "Legal, scans", "--resolution", "200", "--rename", "Legal")
    assert code == 0, out
    assert out["updated"]["identifier"] == guid and out["updated"]["name"] == "Legal"
    assert "<wscn:Width>200</wscn:Width>" in out["diff"]
    assert out["updated"]["dn"].lower() == f"cn=legal,{data.PSPS_DN}".lower()
    # The access list moved with the object.
    assert [r["name"] for r in out["updated"]["readers"]] == ["Finance"]

    code, out = admin("delete", guid, "--yes")
    assert code == 0
    assert "Legal" not in visible_to(server, "dave")
    assert admin("show", guid)[0] == 11


def test_clear_errors_for_rights_duplicates_size_and_plain_ldap(admin, server, tmp_path, monkeypatch):
    code, out = admin("create", "--name", "Finance invoices", "--repository", "s.example", "--share", r"\\f\s")
    assert (code, out["error"]) == (12, "duplicate")
    code, out = admin(
        "create",
        "--name",
        "Other",
        "--identifier",
        "2b7e1516-28ae-4d2a-abf7-158809cf4f3c",
        "--repository",
        "s.example",
        "--share",
        r"\\f\s",
    )
    assert (code, out["error"]) == (12, "duplicate") and "identifier" in out["detail"]

    # An ordinary user may read CN=PSPs but not write it.
    monkeypatch.setenv("DSM_ADMIN_PASSWORD", data.USERS["dave"].password)
    code, out = admin("create", "--name", "Sneaky", "--repository", "s.example", "--share", r"\\f\s", who="dave")
    assert (code, out["error"]) == (13, "missing_rights")
    monkeypatch.setenv("DSM_ADMIN_PASSWORD", "wrong")
    assert admin("list")[1]["error"] == "invalid_credentials"

    monkeypatch.setenv("DSM_ADMIN_PASSWORD", data.ADMIN_PASSWORD)
    plain = kiosk_config(tmp_path, server.uri, "plain.toml", start_tls=False)
    code, out = admin("list", config_file=plain)
    assert code == 2 and "in clear" in out["detail"]
    code, out = admin("list", config_file=plain, plain=True)
    assert code == 0

    big = tmp_path / "big.xml"
    from tests.fixtures.psp_samples import psp_xml

    big.write_text(psp_xml().replace("</psp:PostScanProcess>", f"<!-- {'x' * 524288} --></psp:PostScanProcess>"))
    code, out = admin("import", str(big), "--name", "Big")
    assert code == 15 and "524288" in out["detail"], out


def test_grant_writes_a_dacl_for_the_group_sid(admin, server):
    import ldap3
    from ldap3.protocol.microsoft import security_descriptor_control

    code, out = admin("grant", "Sales contracts", "Sales")
    assert code == 0, out
    conn = ldap3.Connection(ldap3.Server("127.0.0.1", port=server.port), data.ADMIN_DN, data.ADMIN_PASSWORD)
    assert conn.bind()
    conn.search(
        f"CN=Sales contracts,{data.PSPS_DN}",
        "(objectClass=*)",
        ldap3.BASE,
        attributes=["nTSecurityDescriptor"],
        controls=security_descriptor_control(sdflags=0x04),
    )
    raw = conn.response[0]["raw_attributes"]["nTSecurityDescriptor"][0]
    conn.unbind()
    assert security.readers(raw) == security.Readers(False, (f"{data.DOMAIN_SID}-1202",))
    # Giving it back to everybody.
    code, out = admin("grant", "Sales contracts", "everyone")
    assert code == 0 and out["process"]["everyone"] is True


def test_the_installed_command_and_principal_search(server, tmp_path):
    config = kiosk_config(tmp_path, server.ldaps_uri, ca_file=str(server.tls.ca))
    password = tmp_path / "pw"
    password.write_text(data.ADMIN_PASSWORD + "\n")
    env = {k: v for k, v in os.environ.items() if k != "DSM_ADMIN_PASSWORD"}
    result = subprocess.run(
        [sys.executable, "-m", "dsm_server.admin.cli", "--config", config, "--admin", data.ADMIN_DN]
        + ["--password-file", str(password), "--json", "principals", "Fin"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)["principals"]
    assert [(p["name"], p["kind"]) for p in found] == [("Finance", "group")]
