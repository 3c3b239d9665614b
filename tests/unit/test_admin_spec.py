"""ProcessSpec ↔ psp:PostScanProcess: what the form and the flags write is what a kiosk reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsm_server.admin import spec as specs
from dsm_server.admin.errors import InvalidProcess
from kiosk.psp.parser import parse_process
from tests.fixtures.directory_data import PROCESSES

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "psp_corpus"


def reparse(spec: specs.ProcessSpec):
    spec, xml, process = specs.build(spec)
    return spec, process


@pytest.mark.parametrize("sample", PROCESSES, ids=lambda p: p.display_name)
def test_directory_processes_survive_spec_round_trip(sample):
    process = parse_process(sample.xml, display_name=sample.display_name, identifier=str(sample.guid))
    assert specs.unmodelled(process) == []
    spec = specs.from_process(process)
    _, again = reparse(spec)
    assert again.identifier == process.identifier.upper()  # DSM sends GUIDs upper-case
    assert again.ticket.format == process.ticket.format
    assert again.ticket.input_source == process.ticket.input_source
    assert again.ticket.media_front.resolution.value.width == process.ticket.media_front.resolution.value.width
    assert again.instructions.document_root_name == process.instructions.document_root_name
    assert [f.config for f in again.instructions.filters] == [f.config for f in process.instructions.filters]


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.xml")), ids=lambda p: p.name)
def test_corpus_documents_either_round_trip_or_name_what_would_be_lost(path):
    process = parse_process(path.read_text(), display_name=path.stem, identifier="6f1c2a4e-1d2b-4c3d-8e9f-0a1b2c3d4e5f")
    lost = specs.unmodelled(process)
    if lost:
        assert all(isinstance(item, str) and item for item in lost)
        return
    _, again = reparse(specs.from_process(process))
    assert again.ticket.format == process.ticket.format


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(str.strip),
    fmt=st.sampled_from(specs.FORMATS),
    locked=st.booleans(),
    source=st.sampled_from([*specs.SOURCES, ""]),
    dpi=st.sampled_from([0, 75, 150, 300, 600]),
    size=st.sampled_from(["", "auto", *specs.MEDIA_SIZES, "8000x10000"]),
    can_add=st.booleans(),
)
def test_any_valid_spec_builds_a_document_the_kiosk_reads_back(name, fmt, locked, source, dpi, size, can_add):
    spec = specs.make_spec(
        {
            "name": name,
            "repository": "scan.example.com",
            "format": fmt,
            "format_locked": locked,
            "source": source,
            "resolution": dpi,
            "input_size": size,
            "shares": [r"\\files.example.com\scans & <more>"],
            "emails": ["a@example.com"],
            "can_add_addresses": can_add,
        }
    )
    built, process = reparse(spec)
    assert process.display_name == name.strip()
    assert process.ticket.format.value == fmt and process.ticket.format.must_honor == locked
    assert specs.from_process(process) == built


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"shares": ["not-unc"]}, "UNC"),
        ({"emails": ["x"]}, "e-mail"),
        ({"sharepoint_sites": ["ftp://x"]}, "URL"),
        ({"shares": [r"\\f\s"], "color": "Purple"}, "Purple"),
        ({"shares": [r"\\f\s"], "input_size": "huge"}, "WIDTHxHEIGHT"),
        ({"shares": [r"\\f\s"], "identifier": "nope"}, "GUID"),
        ({"emails": [], "can_add_addresses": True, "shares": [r"\\f\s"]}, "can_add_addresses"),
        ({"shares": [r"\\f\s"], "name": "x" * 256}, "name"),
    ],
)
def test_bad_settings_are_refused_in_words(data, words):
    with pytest.raises(InvalidProcess) as caught:
        specs.make_spec({"name": "P", "repository": "r.example", **data})
    assert words in str(caught.value)


def test_check_document_names_the_schema_problem():
    _, xml, _ = specs.build(specs.make_spec({"name": "P", "repository": "r", "shares": [r"\\f\s"]}))
    with pytest.raises(InvalidProcess, match="schema"):
        specs.check_document(
            xml.replace("<wscn:ImagesToTransfer>0", "<wscn:ImagesToTransfer>lots"),
            name="P",
            identifier="6f1c2a4e-1d2b-4c3d-8e9f-0a1b2c3d4e5f",
        )
    with pytest.raises(InvalidProcess, match="not well-formed"):
        specs.check_document(xml[:-5], name="P", identifier="6f1c2a4e-1d2b-4c3d-8e9f-0a1b2c3d4e5f")
