"""The settings a user may change, and the ticket with the user's choices."""

from __future__ import annotations

import pytest

from kiosk.badge import BadgeNotRecognised, BadgePattern
from kiosk.errors import ConfigError
from kiosk.psp import overrides
from kiosk.psp.model import MediaSide, Resolution, ScanTicket, Setting


def ticket(**kw) -> ScanTicket:
    side = MediaSide(color_processing=Setting("RGB24"), resolution=Setting(Resolution(300, 300), True))
    return ScanTicket(
        "Job",
        "alice",
        format=Setting("pdf-a", kw.get("fmt_locked", False)),
        input_source=Setting("ADF"),
        media_front=side,
        media_back=side,
    )


def test_must_honor_and_absent_elements_are_not_changeable():
    assert overrides.changeable(ticket()) == {"input_source": "ADF", "color_processing": "RGB24", "format": "pdf-a"}
    assert "format" not in overrides.changeable(ticket(fmt_locked=True))


def test_apply_changes_both_sides_and_refuses_a_locked_element():
    changed = overrides.apply(ticket(), {"color_processing": "Grayscale8", "input_source": "Platen"})
    assert changed.media_front.color_processing.value == changed.media_back.color_processing.value == "Grayscale8"
    assert changed.input_source.value == "Platen" and changed.media_front.resolution.value.width == 300
    with pytest.raises(overrides.SettingLocked):
        overrides.apply(ticket(), {"resolution": 600})


@pytest.mark.parametrize(
    "address, ok",
    [
        ("dave@example.com", True),
        ("a.b+c@mail.example.co.uk", True),
        ("no-at-sign", False),
        ("a@b", False),
        ("a b@example.com", False),
        ("x" * 250 + "@example.com", False),
    ],
)
def test_address_check(address, ok):
    assert overrides.valid_address(address) is ok


def test_badge_pattern_maps_text_to_a_user():
    assert BadgePattern(r"04(?P<user>[a-z]+)99").user_for(" 04alice99\n") == "alice"
    assert BadgePattern("").user_for("bob") == "bob"
    with pytest.raises(BadgeNotRecognised):
        BadgePattern(r"04(?P<user>[a-z]+)99").user_for("1234")
    with pytest.raises(ConfigError, match="named group"):
        BadgePattern(r"\d+")
    with pytest.raises(ConfigError, match="regular expression"):
        BadgePattern("(")


def test_added_addresses_reach_the_instructions_sent_to_the_server():
    from lxml import etree

    from kiosk.psp.model import NS_EMLF
    from kiosk.psp.parser import parse_process
    from tests.fixtures.psp_samples import psp_xml

    xml = psp_xml(emails=("contracts@example.com",), can_add_addresses=True)
    proc = parse_process(xml, display_name="Sales", identifier="9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d")
    changed = overrides.with_addresses(proc, ("dave@example.com",))
    sent = etree.fromstring(changed.instructions.xml.encode())
    assert [e.text for e in sent.iter(f"{{{NS_EMLF}}}EmailAddress")] == ["contracts@example.com", "dave@example.com"]
    email = [f for f in changed.instructions.filters if f.config is not None and hasattr(f.config, "addresses")][0]
    assert "dave@example.com" in email.instructions_xml and email.config.addresses[-1].address == "dave@example.com"
    assert proc.instructions.xml.count("dave") == 0  # the original is untouched
    locked = parse_process(psp_xml(emails=("c@example.com",)), display_name="L", identifier=proc.identifier)
    with pytest.raises(overrides.SettingLocked):
        overrides.with_addresses(locked, ("dave@example.com",))
