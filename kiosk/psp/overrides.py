"""The ticket settings a user may change at the panel, and a ticket with the user's choices.

Only elements present in the process's ScanTicket and not marked wscn:MustHonor may change;
the scanner's resolve() still checks the result against what the device can do.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from lxml import etree

from kiosk.errors import KioskError
from kiosk.psp.model import NS_EMLF, EmailAddress, EmailConfig, MediaSide, Resolution, ScanProcess, ScanTicket, Setting

#: The settings the panel offers, in screen order.
SETTINGS = ("input_source", "color_processing", "resolution", "format")


class SettingLocked(KioskError):
    default_user_message = "This scan process does not allow that setting to be changed."
    code = "setting-locked"


def current(ticket: ScanTicket, name: str) -> Setting[Any] | None:
    """The ticket's Setting for `name` (resolution as an int of dpi), or None when absent."""
    if name in ("input_source", "format"):
        return getattr(ticket, name)
    side = ticket.media_front
    setting = getattr(side, name, None) if side else None
    if setting is not None and name == "resolution":
        return Setting(setting.value.width, setting.must_honor)
    return setting


def changeable(ticket: ScanTicket) -> dict[str, Any]:
    """name → current value, for each setting the user may change."""
    result = {}
    for name in SETTINGS:
        setting = current(ticket, name)
        if setting is not None and not setting.must_honor:
            result[name] = setting.value
    return result


def apply(ticket: ScanTicket, choices: dict[str, Any]) -> ScanTicket:
    """A copy of `ticket` with `choices` (names from SETTINGS); refuses a MustHonor element."""
    allowed = changeable(ticket)
    for name in choices:
        if name not in allowed:
            raise SettingLocked(f"ticket element {name!r} is absent or MustHonor; it cannot be changed")
    for name in ("input_source", "format"):
        if name in choices:
            changed: dict[str, Any] = {name: Setting(choices[name], False)}
            ticket = replace(ticket, **changed)
    sides: dict[str, Any] = {}
    for attr in ("media_front", "media_back"):
        side: MediaSide | None = getattr(ticket, attr)
        if side is None:
            continue
        if "color_processing" in choices and side.color_processing and not side.color_processing.must_honor:
            side = replace(side, color_processing=Setting(choices["color_processing"], False))
        if "resolution" in choices and side.resolution and not side.resolution.must_honor:
            dpi = int(choices["resolution"])
            side = replace(side, resolution=Setting(Resolution(dpi, dpi), False))
        sides[attr] = side
    return replace(ticket, **sides)


_ADDRESS = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)


def valid_address(text: str) -> bool:
    """A plausible Internet mail address (RFC 5321 length limit, dot-atom local part)."""
    return len(text) <= 254 and _ADDRESS.fullmatch(text) is not None


def with_addresses(process: ScanProcess, addresses: tuple[str, ...]) -> ScanProcess:
    """The process with extra e-mail recipients added to its e-mail filter (emlf:SendToAddresses),
    in the model and in the PostScanInstructions XML sent to the server. Only where the process
    allows it (emlf:CanAddAddresses)."""
    email = next((f for f in process.instructions.filters if isinstance(f.config, EmailConfig)), None)
    email_config = email.config if email is not None else None
    if email is None or not isinstance(email_config, EmailConfig) or not email_config.can_add_addresses:
        raise SettingLocked(f"scan process {process.display_name!r} does not allow added e-mail addresses")
    bad = [a for a in addresses if not valid_address(a)]
    if bad:
        raise KioskError(f"{len(bad)} added address(es) are not valid", user_message="An e-mail address is not valid.")
    root = etree.fromstring(process.instructions.xml.encode())
    target = root.find(f".//{{{NS_EMLF}}}SendToAddresses")
    if target is None:  # SendToScanUser only: the list is created
        config = root.find(f".//{{{NS_EMLF}}}EmailConfig")
        target = etree.SubElement(config, f"{{{NS_EMLF}}}SendToAddresses")
    for address in addresses:
        etree.SubElement(target, f"{{{NS_EMLF}}}EmailAddress").text = address
    instructions_xml = etree.tostring(target.getparent().getparent(), encoding="unicode")
    config = replace(email_config, addresses=email_config.addresses + tuple(EmailAddress(a) for a in addresses))
    filters = tuple(
        replace(f, config=config, instructions_xml=instructions_xml) if f is email else f
        for f in process.instructions.filters
    )
    instructions = replace(process.instructions, filters=filters, xml=etree.tostring(root, encoding="unicode"))
    return replace(process, instructions=instructions)
