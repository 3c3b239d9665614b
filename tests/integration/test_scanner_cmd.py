"""`dsm-kiosk scanner info|scan` as a sub-process against the SANE test backend."""

from __future__ import annotations

import json
import os
import subprocess

import pikepdf


def run(python, tmp_path, sane_config_dir, *args):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[scanner]\ndevice = "test:0"\nsane_config_dir = "{sane_config_dir}"\n')
    return subprocess.run(
        [python, "-m", "kiosk", "--config", str(config), "--json", "scanner", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )


def test_info(python, tmp_path, sane_config_dir):
    result = run(python, tmp_path, sane_config_dir, "info")
    assert result.returncode == 0, result.stderr
    caps = json.loads(result.stdout)
    assert caps["device"] == "test:0" and caps["sources"] == ["Platen", "ADF"]


def test_scan_adf_to_pdf_a(python, tmp_path, sane_config_dir):
    result = run(
        python,
        tmp_path,
        sane_config_dir,
        "scan",
        "--out",
        str(tmp_path / "out"),
        "--source",
        "ADF",
        "--resolution",
        "50",
        "--color",
        "Grayscale8",
        "--format",
        "pdf-a",
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["pages"] == 10 and len(out["documents"]) == 1
    with pikepdf.open(out["documents"][0]["path"]) as pdf:
        assert len(pdf.pages) == 10


def test_must_honor_refusal_is_a_scanner_error(python, tmp_path, sane_config_dir):
    result = run(
        python,
        tmp_path,
        sane_config_dir,
        "scan",
        "--out",
        str(tmp_path / "out"),
        "--source",
        "ADFDuplex",
        "--must-honor",
    )
    assert result.returncode == 4
    error = json.loads(result.stdout)
    assert error["error"] == "scanner.ticket" and "ADFDuplex" in error["message"]
