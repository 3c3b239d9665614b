"""Hostile input: the parser returns a process or raises its own PspError, never anything else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.psp.model import ScanProcess
from kiosk.psp.parser import PspError, parse_process
from tests.fixtures.psp_samples import psp_xml

CORPUS = [
    p.read_text(encoding="utf-8")
    for p in sorted((Path(__file__).resolve().parents[1] / "fixtures" / "psp_corpus").glob("*.xml"))
]
SEEDS = CORPUS + [psp_xml(emails=("a@example.com",), can_add_addresses=True, sharepoint_sites=("https://sp",))]
# Pieces that tend to reach deep into the parser when spliced into a valid document.
FRAGMENTS = [
    "<",
    ">",
    "/>",
    "</psp:Filter>",
    "<psp:Filter>",
    "&amp;",
    "&#0;",
    "&#x10FFFF;",
    "&lt;",
    "<!--",
    "-->",
    "<![CDATA[x]]>",
    "<!DOCTYPE x>",
    '<!ENTITY e "x">',
    "&e;",
    'wscn:MustHonor="true"',
    'xmlns:psp=""',
    'xmlns="urn:x"',
    "<wscn:Rotation>45</wscn:Rotation>",
    "<wscn:Format>",
    "-1",
    "99999999999999999999",
    "\x00",
    "\ud800",
    "\u202e",
    "9" * 5000,
    "<?xml version='1.0'?>",
    "<psp:Instructions/>",
    "<x:y xmlns:x='urn:x'/>",
]


def check(text: str) -> None:
    try:
        result = parse_process(text, display_name="fuzz", identifier="00000000-0000-0000-0000-000000000000")
    except PspError as exc:
        assert str(exc) and exc.user_message
        return
    assert isinstance(result, ScanProcess)
    assert result.instructions.xml.startswith("<") and result.instructions.xml.endswith(">")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    check(text)


@st.composite
def mutated(draw):
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 60)))
        kind = draw(st.sampled_from(["delete", "insert", "replace", "duplicate"]))
        piece = draw(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)))
        if kind == "delete":
            text = text[:i] + text[j:]
        elif kind == "insert":
            text = text[:i] + piece + text[i:]
        elif kind == "replace":
            text = text[:i] + piece + text[j:]
        else:
            text = text[:j] + text[i:j] + text[j:]
    return text


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_processes(text):
    check(text)


NAMES = [
    "psp:PostScanProcess",
    "psp:ScanRepository",
    "psp:ScanTicket",
    "psp:PostScanInstructions",
    "psp:DocumentRootName",
    "psp:FiltersToProcess",
    "psp:Filter",
    "psp:Dialect",
    "psp:Instructions",
    "wscn:JobDescription",
    "wscn:JobName",
    "wscn:JobOriginatingUserName",
    "wscn:DocumentParameters",
    "wscn:Format",
    "wscn:InputSize",
    "wscn:InputMediaSize",
    "wscn:Width",
    "wscn:Height",
    "wscn:MediaSides",
    "wscn:MediaFront",
    "wscn:Resolution",
    "wscn:Exposure",
    "wscn:ExposureSettings",
    "wscn:Scaling",
    "fsf:FileShareConfig",
    "fsf:FileShares",
    "fsf:ShareUNC",
    "emlf:EmailConfig",
    "emlf:EmailAddress",
]
TEXTS = [
    "",
    "0",
    "1",
    "300",
    "true",
    "false",
    "pdf-a",
    "ADF",
    "RGB24",
    "http://schemas.microsoft.com/windows/2007/10/imaging/postscan/filter/fileshare",
    "x",
]
DECLS = (
    ' xmlns:psp="http://schemas.microsoft.com/windows/2008/02/imaging/postscan/psp"'
    ' xmlns:wscn="http://schemas.microsoft.com/windows/2006/08/wdp/scan"'
    ' xmlns:fsf="http://schemas.microsoft.com/windows/2007/10/imaging/postscan/filter/fileshare"'
    ' xmlns:emlf="http://schemas.microsoft.com/windows/2007/10/imaging/postscan/filter/email"'
)


def trees(depth: int):
    leaf = st.builds(lambda n, t: f"<{n}>{t}</{n}>", st.sampled_from(NAMES), st.sampled_from(TEXTS))
    if depth == 0:
        return leaf
    node = st.builds(
        lambda n, kids, mh: f"<{n}{' wscn:MustHonor=' + repr(mh) if mh else ''}>{''.join(kids)}</{n}>",
        st.sampled_from(NAMES),
        st.lists(trees(depth - 1), max_size=4),
        st.sampled_from(["", "true", "no"]),
    )
    return st.one_of(leaf, node)


@settings(max_examples=300, deadline=None)
@given(st.lists(trees(3), min_size=1, max_size=4))
def test_random_trees_of_dsm_elements(children):
    check(f"<psp:PostScanProcess{DECLS}>{''.join(children)}</psp:PostScanProcess>")
