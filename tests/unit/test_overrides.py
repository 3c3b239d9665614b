"""The settings a user may change, and the ticket with the user's choices."""

from __future__ import annotations

import pytest

from hardware.badge import BadgeNotRecognised, BadgePattern
from kiosk.errors import ConfigError
from kiosk.psp import overrides
from kiosk.psp.model import MediaSide, Resolution, ScanTicket, Setting


def ticket(**kw) -> ScanTicket:
    side = MediaSide(color_processing=Setting("RGB24"), resolution=Setting(Resolution(300, 300), True))
    return ScanTicket("Job", "alice", format=Setting("pdf-a", kw.get("fmt_locked", False)),
                      input_source=Setting("ADF"), media_front=side, media_back=side)


def test_must_honor_and_absent_elements_are_not_changeable():
    assert overrides.changeable(ticket()) == {"input_source": "ADF", "color_processing": "RGB24", "format": "pdf-a"}
    assert "format" not in overrides.changeable(ticket(fmt_locked=True))


def test_apply_changes_both_sides_and_refuses_a_locked_element():
    changed = overrides.apply(ticket(), {"color_processing": "Grayscale8", "input_source": "Platen"})
    assert changed.media_front.color_processing.value == changed.media_back.color_processing.value == "Grayscale8"
    assert changed.input_source.value == "Platen" and changed.media_front.resolution.value.width == 300
    with pytest.raises(overrides.SettingLocked):
        overrides.apply(ticket(), {"resolution": 600})


@pytest.mark.parametrize("address, ok", [("dave@example.com", True), ("a.b+c@mail.example.co.uk", True),
                                          ("no-at-sign", False), ("a@b", False), ("a b@example.com", False),
                                          ("x" * 250 + "@example.com", False)])
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
