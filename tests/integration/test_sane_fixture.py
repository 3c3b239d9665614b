"""The private SANE_CONFIG_DIR enables SANE's own `test` backend, and nothing else."""

from __future__ import annotations

import os
import shutil
import subprocess


def test_scanimage_lists_the_test_device(sane_config_dir):
    scanimage = shutil.which("scanimage")
    assert scanimage, "sane-utils is not installed"
    result = subprocess.run(
        [scanimage, "-L"],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "SANE_CONFIG_DIR": str(sane_config_dir)},
    )
    assert result.returncode == 0, result.stderr
    assert "`test:0'" in result.stdout
    assert "test:1" not in result.stdout  # the fixture asks for exactly one device


def test_scan_one_a4_page_through_python_sane(sane_module):
    assert [d[0] for d in sane_module.get_devices()] == ["test:0"]
    device = sane_module.open("test:0")
    try:
        device.mode = "Color"
        device.resolution = 100
        device.br_x, device.br_y = 210.0, 297.0  # A4 fits only because the fixture raised geometry_max
        image = device.scan()
    finally:
        device.close()
    assert image.mode == "RGB"
    # 210 x 297 mm at 100 dpi, give or take SANE's rounding of the last pixel
    assert abs(image.size[0] - 827) <= 2 and abs(image.size[1] - 1169) <= 2


def test_gray_mode_gives_a_gray_page(sane_module):
    device = sane_module.open("test:0")
    try:
        device.mode = "Gray"
        device.resolution = 50
        device.br_x, device.br_y = 100.0, 100.0
        image = device.scan()
    finally:
        device.close()
    assert image.mode == "L"
    assert abs(image.size[0] - 197) <= 2
