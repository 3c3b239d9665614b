"""The standalone directory: TOML users with KDF hashes, stable SIDs, visibility, bad processes."""

from __future__ import annotations

import logging
import os
import textwrap

import pytest

from kiosk.config import Settings, parse
from kiosk.directory import demo_directory_path, open_directory
from kiosk.directory.errors import DirectoryConfigError, DirectoryReadError, InvalidCredentials
from kiosk.directory.identifiers import is_sid
from kiosk.directory.local import LocalDirectory
from kiosk.directory.passwords import hash_password, verify_password
from tests.fixtures.psp_samples import psp_xml

PW = {name: hash_password(f"{name}-pw") for name in ("ann", "bo", "cy")}


def write(tmp_path, body: str, name: str = "directory.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return path


def sample(tmp_path, extra: str = ""):
    (tmp_path / "psp").mkdir(exist_ok=True)
    (tmp_path / "psp" / "from-file.xml").write_text(psp_xml(job_name="From file", fmt="png"))
    xml = psp_xml(job_name="Inline").replace("'", "&apos;")
    return write(
        tmp_path,
        f"""
        domain = "SHOP"
        [users.ann]
        password = "{PW["ann"]}"
        display_name = "Ann"
        mail = "ann@shop"
        language = "de"
        groups = ["Finance"]
        [users.bo]
        password = "{PW["bo"]}"
        [users.cy]
        password = "{PW["cy"]}"
        sid = "S-1-5-21-1-2-3-4242"

        [[processes]]
        name = "Everyone"
        identifier = "6F1C2A4E-1D2B-4C3D-8E9F-0A1B2C3D4E5F"
        everyone = true
        xml = '{xml}'

        [[processes]]
        name = "Finance by file"
        identifier = "2b7e1516-28ae-4d2a-abf7-158809cf4f3c"
        server_name = "scan.shop"
        groups = ["finance"]
        file = "psp/from-file.xml"

        [[processes]]
        name = "Bo only, broken"
        identifier = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"
        users = ["BO"]
        xml = "<psp:PostScanProcess"

        [[processes]]
        name = "Bo only, bad GUID"
        identifier = "not-a-guid"
        users = ["bo"]
        xml = '{xml}'

        [[processes]]
        name = "Bo only, missing file"
        identifier = "0d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"
        users = ["bo"]
        file = "psp/missing.xml"
        {extra}
    """,
    )


def test_sign_in_and_visibility(tmp_path):
    directory = LocalDirectory(sample(tmp_path))
    with directory.sign_in("ANN", "ann-pw") as ann:
        assert ann.user.login == "ann" and ann.user.display_name == "Ann"
        assert (ann.user.mail, ann.user.language) == ("ann@shop", "de")
        result = ann.scan_processes()
        assert [p.display_name for p in result.ok] == ["Everyone", "Finance by file"]
        assert result.skipped == ()
        by_file = result.ok[1]
        assert by_file.ticket.format.value == "png" and by_file.server_name == "scan.shop"
        assert result.ok[0].identifier == "6F1C2A4E-1D2B-4C3D-8E9F-0A1B2C3D4E5F"  # sent upper-case


def test_bad_processes_are_counted_not_fatal(tmp_path, caplog):
    caplog.set_level(logging.WARNING, "kiosk.directory")
    with LocalDirectory(sample(tmp_path)).sign_in("bo", "bo-pw") as bo:
        result = bo.scan_processes()
    assert [p.display_name for p in result.ok] == ["Everyone"]
    reasons = {s.name: s.reason for s in result.skipped}
    assert set(reasons) == {"Bo only, broken", "Bo only, bad GUID", "Bo only, missing file"}
    assert "not a GUID" in reasons["Bo only, bad GUID"]
    assert "cannot be read" in reasons["Bo only, missing file"]
    assert "Bo only, broken" in caplog.text


def test_sids_are_stable_and_well_formed(tmp_path):
    path = sample(tmp_path)
    first = {n: LocalDirectory(path).sign_in(n, f"{n}-pw").user.sid for n in ("ann", "bo", "cy")}
    again = {n: LocalDirectory(path).sign_in(n, f"{n}-pw").user.sid for n in ("ann", "bo", "cy")}
    assert first == again
    assert all(is_sid(s) and s.startswith("S-1-5-21-") for s in first.values())
    assert first["cy"] == "S-1-5-21-1-2-3-4242"
    assert first["ann"] != first["bo"]
    assert first["ann"].rsplit("-", 1)[0] == first["bo"].rsplit("-", 1)[0]
    other_domain = path.read_text().replace('domain = "SHOP"', 'domain = "OTHER"')
    assert LocalDirectory(write(tmp_path, other_domain, "other.toml")).sign_in("ann", "ann-pw").user.sid != first["ann"]


@pytest.mark.parametrize("name, password", [("ann", "wrong"), ("nobody", "ann-pw"), ("ann", ""), ("", "")])
def test_wrong_credentials(tmp_path, name, password):
    directory = LocalDirectory(sample(tmp_path))
    with pytest.raises(InvalidCredentials) as caught:
        directory.sign_in(name, password)
    assert "ann-pw" not in str(caught.value) and caught.value.user_message == "Wrong user name or password."


def test_the_file_is_read_again_when_it_changes(tmp_path):
    path = sample(tmp_path)
    directory = LocalDirectory(path)
    session = directory.sign_in("ann", "ann-pw")
    path.write_text(path.read_text().replace('groups = ["finance"]', 'groups = ["nobody"]'))
    os.utime(path, ns=(1, 1))  # a different stamp even within the same clock tick
    assert [p.display_name for p in session.scan_processes().ok] == ["Everyone"]
    session.close()
    with pytest.raises(DirectoryReadError):
        session.scan_processes()


@pytest.mark.parametrize(
    "body, fragment",
    [
        ("users = 3", "users"),
        ('[users.x]\npassword = "plain-text-secret"', "not a hash"),
        ('[users.x]\npassword = "scrypt$30$8$1$AAAA$AAAA"', "not a hash"),
        (f'[users.x]\npassword = "{PW["ann"]}"\nsid = "S-1-x"', "not a SID"),
        (f'[users.x]\npassword = "{PW["ann"]}"\n[users.X]\npassword = "{PW["ann"]}"', "letter case"),
        (f'[users.x]\npassword = "{PW["ann"]}"\nshoe_size = 9', "shoe_size"),
        ("not toml [", "not valid TOML"),
    ],
)
def test_bad_files_are_config_errors(tmp_path, body, fragment):
    with pytest.raises(DirectoryConfigError) as caught:
        LocalDirectory(write(tmp_path, body))
    assert fragment in str(caught.value)
    assert "plain-text-secret" not in str(caught.value)


def test_missing_file(tmp_path):
    with pytest.raises(DirectoryConfigError, match="no such file"):
        LocalDirectory(tmp_path / "none.toml")


def test_open_directory_resolves_the_file_next_to_the_config(tmp_path):
    sample(tmp_path)
    settings = parse({"directory": {"backend": "local", "local_file": "directory.toml"}}, str(tmp_path / "kiosk.toml"))
    directory = open_directory(settings)
    assert isinstance(directory, LocalDirectory) and directory.path == tmp_path / "directory.toml"
    assert open_directory(settings.directory, settings).path == directory.path


def test_pbkdf2_hashes_verify():
    stored = hash_password("s3cret", "pbkdf2-sha256")
    assert verify_password(stored, "s3cret") and not verify_password(stored, "s3cret ")


def test_demo_directory_users_see_distinct_processes():
    directory = open_directory(Settings(directory={"backend": "local", "local_file": str(demo_directory_path())}))
    seen = {}
    for login in ("demo", "anna", "ben"):
        with directory.sign_in(login, login) as session:
            result = session.scan_processes()
            assert result.skipped == ()
            seen[login] = {p.display_name for p in result.ok}
            for process in result.ok:
                assert process.scan_repository == "localhost"
                fs = process.instructions.filters[0]  # "Scan and e-mail" also mails
                assert fs.config.share_uncs == ("\\\\localhost\\scans",)
                assert process.ticket.format.value in {"pdf-a", "jfif", "tiff-multi-g4", "png"}
    assert seen["demo"] == {"Scan to PDF", "Photo to JPEG", "Scan and e-mail"}
    assert seen["anna"] == {"Scan to PDF", "Invoices (TIFF G4)"}
    assert seen["ben"] == {"Scan to PDF", "Drawings to PNG"}
