"""README.md stays true: it names the two commands and documents every configuration key."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kiosk.config import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_two_commands_on_first_screen():
    first_screen = "\n".join(README.splitlines()[:30])
    assert "make demo" in first_screen and "make test" in first_screen


def test_every_key_is_documented_with_its_default():
    for section, field in Settings.model_fields.items():
        if section == "source":
            continue
        heading = README.index(f"### [{section}]")
        nxt = README.find("\n### ", heading + 1)
        table = README[heading : nxt if nxt != -1 else len(README)]
        for key, kf in field.annotation.model_fields.items():
            default = json.dumps(kf.get_default(call_default_factory=True))
            row = re.search(rf"^\| `{re.escape(key)}` \| `([^`]*)` \|", table, re.M)
            assert row, f"[{section}] {key} is not in README"
            assert row.group(1) == default, f"[{section}] {key}: README says {row.group(1)}, code says {default}"
