"""A private SANE configuration that enables only SANE's own `test` backend.

Used by `make demo` and by the tests, so that neither edits /etc/sane.d. Pointing
SANE_CONFIG_DIR at a folder with no trailing ':' makes SANE read only that folder, so listing
devices takes milliseconds instead of seconds of network-backend time-outs.
"""

from __future__ import annotations

from pathlib import Path

#: The stock test.conf clamps the scan area to 200 mm, which silently cuts A4 and Letter.
GEOMETRY_MAX_MM = 300.0


def write_config(folder: Path, *, devices: int = 1, geometry_max_mm: float = GEOMETRY_MAX_MM) -> Path:
    """Write dll.conf and test.conf into `folder` (created if needed) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dll.conf").write_text("test\n")
    (folder / "test.conf").write_text(
        "\n".join(
            [
                f"number_of_devices {devices}",
                "mode Gray",
                "depth 8",
                "hand-scanner false",
                "three-pass false",
                "three-pass-order RGB",
                "resolution_min 1.0",
                "resolution_max 1200.0",
                "resolution_quant 1.0",
                "resolution 75.0",
                'test-picture "Color pattern"',
                "invert-endianess false",
                "read-limit false",
                "read-limit-size 1",
                "read-delay false",
                "read-delay-duration 1000",
                'read-status-code "Default"',
                "fuzzy-parameters false",
                "ppl-loss 0",
                "non-blocking false",
                "select-fd false",
                "enable-test-options false",
                "geometry_min 0.0",
                f"geometry_max {geometry_max_mm:.1f}",
                "geometry_quant 1.0",
                "tl_x 0.0",
                "tl_y 0.0",
                f"br_x {geometry_max_mm:.1f}",
                f"br_y {geometry_max_mm:.1f}",
                "",
            ]
        )
    )
    return folder
