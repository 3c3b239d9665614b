"""kiosk.psp.parser: the psp:PostScanProcess corpus, hostile input, and verbatim instructions."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kiosk.psp.model import (
    NS_EMLF,
    NS_FSF,
    NS_PSP,
    NS_SPF,
    EmailAddress,
    EmailConfig,
    Exposure,
    FileShareConfig,
    InputSize,
    Resolution,
    Scaling,
    Setting,
    SharePointConfig,
)
from kiosk.psp.parser import PspError, parse_process
from tests.fixtures.psp_samples import psp_xml

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "psp_corpus"


def parse(xml: str):
    return parse_process(xml, display_name="Test", identifier="6f1c2a4e-1d2b-4c3d-8e9f-0a1b2c3d4e5f")


def corpus(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def test_every_scan_ticket_element_and_its_must_honor_flag():
    process = parse(corpus("full_ticket.xml"))
    t = process.ticket
    assert process.scan_repository == "scanserver.example.com"
    assert (t.job_name, t.job_originating_user_name, t.job_information) == (
        "Full ticket",
        "EXAMPLE\\alice",
        "Every element",
    )
    assert t.format == Setting("tiff-multi-g4", True)
    assert t.compression_quality_factor == Setting(85, False)
    assert t.images_to_transfer == Setting(0, True)
    assert t.input_source == Setting("ADFDuplex", True)
    assert t.film_scan_mode == Setting("NotApplicable", True)
    assert t.content_type == Setting("Text", True)
    assert t.input_size == Setting(InputSize(width=8500, height=11000), True)
    assert t.exposure == Setting(Exposure(contrast=-200, brightness=150, sharpness=-10), True)
    assert t.scaling == Setting(Scaling(100, 50), True)
    assert t.rotation == Setting(270, True)
    front = t.media_front
    assert front is not None and front.scan_region is not None
    assert front.scan_region.x_offset == Setting(10, True)
    assert front.scan_region.y_offset == Setting(20, False)
    assert front.scan_region.width == Setting(8000, True)
    assert front.scan_region.height == Setting(10000, False)
    assert front.color_processing == Setting("Grayscale8", True)
    assert front.resolution == Setting(Resolution(600, 300), True)
    back = t.media_back
    assert back is not None and back.scan_region is None
    assert back.color_processing == Setting("BlackAndWhite1", False)
    assert back.resolution == Setting(Resolution(200, None), False)
    assert process.instructions.continue_on_error is False
    assert process.instructions.document_root_name == "Everything"


def test_auto_choices_and_a_default_namespace_filter():
    process = parse(corpus("auto_settings.xml"))
    t = process.ticket
    assert t.input_size == Setting(InputSize(auto_detect=True))
    assert t.exposure == Setting(Exposure(auto=True))
    assert t.job_originating_user_name == ""
    assert t.media_front is not None and t.media_front.resolution is None
    (sp,) = process.instructions.filters
    assert sp.dialect == NS_SPF
    assert sp.config == SharePointConfig(
        save_to_my_site=True,
        site_urls=("https://sp.example.com/sites/finance/Shared%20Documents", "https://sp.example.com/sites/archive"),
    )
    assert process.instructions.continue_on_error is None


def test_every_filter_dialect_and_an_unknown_one():
    process = parse(corpus("all_filters.xml"))
    fs, mail, sp, ocr = process.instructions.filters
    assert (fs.dialect, fs.config) == (NS_FSF, FileShareConfig(("\\\\files\\a",)))
    assert mail.dialect == NS_EMLF
    assert mail.config == EmailConfig(
        send_to_scan_user=False,
        addresses=(EmailAddress("archive@example.com", False), EmailAddress("team@example.com", True)),
    )
    assert isinstance(mail.config, EmailConfig) and mail.config.can_add_addresses
    assert sp.config == SharePointConfig(save_to_my_site=False)
    assert ocr.dialect == "urn:example:ocr-filter" and ocr.config is None
    assert 'ocr:languages="de en"' in ocr.instructions_xml
    assert process.instructions.continue_on_error is True
    assert process.instructions.allow_file_name_change and process.instructions.allow_file_path_change


def test_instructions_are_kept_verbatim_and_standalone():
    text = corpus("full_ticket.xml")
    process = parse(text)
    xml = process.instructions.xml
    # Exactly the text as read, apart from the inherited declarations added to the start tag.
    original = text[text.index("<psp:PostScanInstructions>") : text.index("</psp:PostScanInstructions>")]
    assert xml.startswith("<psp:PostScanInstructions xmlns:psp=")
    assert xml.endswith("</psp:PostScanInstructions>")
    assert original[len("<psp:PostScanInstructions>") :] in xml
    assert "<vnd:Stamp position='top'>Received &amp; filed</vnd:Stamp>" in xml
    root = ET.fromstring(xml)  # well-formed on its own, extension element included
    assert root.tag == f"{{{NS_PSP}}}PostScanInstructions"
    assert root.find("{urn:example:vendor}Stamp").text == "Received & filed"
    (fs,) = process.instructions.filters
    filter_root = ET.fromstring(fs.instructions_xml)
    assert filter_root.tag == f"{{{NS_PSP}}}Instructions"
    assert fs.instructions_xml.startswith("<psp:Instructions xmlns:psp=")
    assert "<psp:Instructions>" + fs.instructions_xml.split(">", 1)[1] in original
    assert process.xml == text


def test_a_redeclared_prefix_is_not_declared_twice():
    text = psp_xml().replace("<psp:PostScanInstructions>", f'<psp:PostScanInstructions xmlns:psp="{NS_PSP}">')
    xml = parse(text).instructions.xml
    assert xml.count("xmlns:psp=") == 1
    ET.fromstring(xml)


def test_non_ascii_text_is_kept():
    text = psp_xml(root_name="Rechnungen – März", shares=("\\\\dateien\\größe",))
    process = parse(text)
    assert process.instructions.document_root_name == "Rechnungen – März"
    assert "Rechnungen – März" in process.instructions.xml
    assert process.instructions.filters[0].config == FileShareConfig(("\\\\dateien\\größe",))


def test_the_fixture_processes_parse():
    from tests.fixtures.directory_data import PROCESSES

    for sample in PROCESSES:
        assert parse(sample.xml).ticket.job_name == sample.display_name


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
)
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
EXTERNAL_DTD = '<!DOCTYPE x SYSTEM "http://127.0.0.1:1/evil.dtd"><x/>'


@pytest.mark.parametrize(
    "text, fragment",
    [
        (BILLION_LAUGHS, "forbidden"),
        (EXTERNAL, "forbidden"),
        (EXTERNAL_DTD, "forbidden"),
        ("x" * 524289, "limit is 524288"),
        ("", "not well-formed"),
        ("<psp:PostScanProcess", "not well-formed"),
        ("<a>&undefined;</a>", "not well-formed"),
        ("<PostScanProcess/>", "not psp:PostScanProcess"),
        (psp_xml().replace("<psp:ScanRepository>scanserver.example.com</psp:ScanRepository>", ""), "ScanRepository"),
        (psp_xml(repository="x" * 256), "longer than 255"),
        (psp_xml(fmt="pdf a"), "Format"),
        (psp_xml(source="Tray"), "InputSource"),
        (psp_xml(color="RGB99"), "ColorProcessing"),
        (psp_xml(dpi=0), "must be between 1"),
        (psp_xml().replace("<wscn:ImagesToTransfer>0<", "<wscn:ImagesToTransfer>lots<"), "whole number"),
        (psp_xml().replace("<wscn:ImagesToTransfer>0<", "<wscn:ImagesToTransfer>99999999999<"), "between"),
        (psp_xml(must_honor_format=True).replace('MustHonor="true"', 'MustHonor="yes"'), "true or false"),
        (psp_xml().replace("<wscn:JobName>Scan</wscn:JobName>", ""), "JobName"),
        (
            psp_xml().replace("<wscn:InputSource>", "<wscn:Colour>x</wscn:Colour><wscn:InputSource>"),
            "unknown element Colour",
        ),
        (
            psp_xml().replace(
                "<wscn:InputSource>ADF</wscn:InputSource>", "<wscn:InputSource>ADF</wscn:InputSource>" * 2
            ),
            "more than once",
        ),
        (psp_xml(shares=(), emails=()), "holds no Filter"),
        (psp_xml(continue_on_error=True).replace(">true</psp:Cont", ">maybe</psp:Cont"), "true or false"),
        (psp_xml(shares=("",)), "ShareUNC is empty"),
        (
            psp_xml().replace("<fsf:FileShareConfig", "<fsf:Other").replace("</fsf:FileShareConfig>", "</fsf:Other>"),
            "hold Other",
        ),
        (psp_xml().replace("<psp:Instructions>", "<psp:Instructions>text"), "Instructions must hold"),
        (psp_xml().replace("<psp:DocumentRootName>Scan</psp:DocumentRootName>", ""), "DocumentRootName"),
        (
            psp_xml()
            .replace("<wscn:MediaFront>", "<wscn:MediaBack>")
            .replace("</wscn:MediaFront>", "</wscn:MediaBack>"),
            "MediaFront",
        ),
        (
            psp_xml()
            .replace("<psp:ScanRepository>", "<ScanRepository>")
            .replace("</psp:ScanRepository>", "</ScanRepository>"),
            "no namespace",
        ),
        ("\ud800", "not valid Unicode"),
        (psp_xml().replace("<wscn:Width>300<", "<wscn:Width>" + "9" * 5000 + "<"), "whole number"),
        (
            psp_xml().replace("</psp:DocumentRootName>", "</psp:DocumentRootName>" + "<a>" * 60000 + "</a>" * 60000),
            "deeper than 64",
        ),
    ],
)
def test_bad_input_is_a_psp_error(text, fragment):
    with pytest.raises(PspError) as caught:
        parse(text)
    assert fragment in str(caught.value)
    assert caught.value.user_message == "A scan process in the directory is not valid."


def test_exactly_the_limit_is_accepted():
    text = psp_xml()
    padded = text.replace(
        "</psp:PostScanProcess>", "<!--" + "x" * (524288 - len(text) - 7) + "--></psp:PostScanProcess>"
    )
    assert len(padded) == 524288
    assert parse(padded).scan_repository == "scanserver.example.com"


# -- the shipped XSD as well (issue #14 K7) ------------------------------------------------------
@pytest.mark.parametrize(
    ("old", "new"),
    [
        # An unqualified attribute the schema does not declare.
        ("<psp:ScanRepository>", '<psp:ScanRepository color="red">'),
        ("<psp:DocumentRootName>", '<psp:DocumentRootName lang="en">'),
    ],
    ids=["on-ScanRepository", "on-DocumentRootName"],
)
def test_a_process_the_schema_rejects_is_refused(old, new):
    good = psp_xml()
    assert old in good
    parse(good)  # the unchanged process is fine
    with pytest.raises(PspError, match="schema"):
        parse(good.replace(old, new, 1))


def test_every_corpus_process_matches_the_schema():
    for path in sorted(CORPUS.glob("*.xml")):
        assert parse(path.read_text(encoding="utf-8")).identifier
