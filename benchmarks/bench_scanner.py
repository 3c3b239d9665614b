"""Pages per minute of SaneScanner against `scanimage --batch`, same test device and settings.

The SANE `test` backend's feeder gives 10 pages per load. Both sides write PNM page files; ours
also fsyncs each one (a run without fsync is shown to tell the two costs apart). `scanimage` pays
SANE's init and open per run, which the kiosk pays once.
Then the encoding rate of a few formats on the pages scanned, and the peak memory of the process.

Options: --dpi=N (300), --mode=Color|Gray (Color), --loads=N (3).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _arg(argv: list[str], name: str, default: str) -> str:
    for a in argv:
        if a.startswith(f"--{name}="):
            return a.split("=", 1)[1]
    return default


def main(argv: list[str]) -> None:
    dpi = int(_arg(argv, "dpi", "300"))
    mode = _arg(argv, "mode", "Color")
    loads = int(_arg(argv, "loads", "3"))
    work = Path(tempfile.mkdtemp(prefix="bench-scanner-"))
    try:
        from hardware import sane_test_device

        config = sane_test_device.write_config(work / "sane")
        os.environ["SANE_CONFIG_DIR"] = str(config)
        _run(work, dpi, mode, loads)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(work: Path, dpi: int, mode: str, loads: int) -> None:
    from hardware.sane_scanner import SaneScanner
    from kiosk.config import ScannerSettings
    from kiosk.imaging import DocumentEncoder
    from kiosk.scanner import Region, ScanSettings

    a4 = Region(0, 0, 8268, 11693)
    color = "RGB24" if mode == "Color" else "Grayscale8"
    print(f"device test:0, ADF, A4, {dpi} ppi, {mode}, {loads} loads of 10 pages")

    t0 = time.perf_counter()
    scanner = SaneScanner(ScannerSettings(device="test:0"))
    scanner.capabilities()
    print(f"  SANE init + open (once per kiosk run): {time.perf_counter() - t0:.3f} s")
    settings = ScanSettings(source="ADF", color_processing=color, resolution=(dpi, dpi), region=a4)
    base_rss = _rss_mb()
    total_pages, total_time, first_latency = 0, 0.0, []
    for n in range(loads):
        folder = work / f"ours-{n}"
        start = time.perf_counter()
        pages = 0
        for _page in scanner.scan(settings, folder):
            if pages == 0:
                first_latency.append(time.perf_counter() - start)
            pages += 1
        total_time += time.perf_counter() - start
        total_pages += pages
    ours = total_pages / total_time * 60
    print(
        f"  dsm-kiosk SaneScanner: {total_pages} pages in {total_time:.2f} s = {ours:.0f} pages/min; "
        f"first page after {min(first_latency) * 1000:.0f}-{max(first_latency) * 1000:.0f} ms"
    )
    print(
        f"  peak RSS growth over {total_pages} pages: {_rss_mb() - base_rss:.0f} MB "
        f"(one page is {8268 * dpi // 1000 * 11693 * dpi // 1000 * (3 if color == 'RGB24' else 1) / 2**20:.0f} MB raw)"
    )

    real_fsync = os.fsync
    os.fsync = lambda fd: None  # only to show what durability costs; the kiosk always fsyncs
    try:
        start = time.perf_counter()
        count = sum(1 for _ in scanner.scan(settings, work / "nofsync"))
        print(f"  same without fsync (comparison only): {count / (time.perf_counter() - start) * 60:.0f} pages/min")
    finally:
        os.fsync = real_fsync

    scanimage = shutil.which("scanimage")
    if scanimage:
        total_pages, total_time = 0, 0.0
        for n in range(loads):
            folder = work / f"scanimage-{n}"
            folder.mkdir()
            start = time.perf_counter()
            subprocess.run(
                [
                    scanimage,
                    "-d",
                    "test:0",
                    "--source",
                    "Automatic Document Feeder",
                    "--mode",
                    mode,
                    "--resolution",
                    str(dpi),
                    "-l",
                    "0",
                    "-t",
                    "0",
                    "-x",
                    "210",
                    "-y",
                    "297",
                    "--format=pnm",
                    f"--batch={folder}/out%d.pnm",
                ],
                capture_output=True,
                check=False,
                timeout=600,
            )
            total_time += time.perf_counter() - start
            total_pages += len(list(folder.glob("out*.pnm")))
        theirs = total_pages / total_time * 60
        print(
            f"  scanimage --batch:     {total_pages} pages in {total_time:.2f} s = {theirs:.0f} pages/min "
            f"(ours is {ours / theirs:.2f}x)"
        )
    else:
        print("  scanimage not installed: no comparison")

    pages_dir = work / "ours-0"
    from PIL import Image

    from kiosk.scanner import Page

    sample = []
    for path in sorted(pages_dir.glob("page-*.pnm")):
        with Image.open(path) as im:
            sample.append(Page(len(sample) + 1, path, im.width, im.height, im.mode, (dpi, dpi)))
    for fmt in ("jfif", "tiff-multi-g4", "tiff-multi-jpeg-tn2", "pdf-a"):
        start = time.perf_counter()
        encoder = DocumentEncoder(fmt, work / f"docs-{fmt}")
        for page in sample:
            encoder.add(page)
        docs = encoder.finish()
        took = time.perf_counter() - start
        size = sum(p.stat().st_size for p in (work / f"docs-{fmt}").iterdir())
        print(
            f"  encode {fmt:22s}: {len(sample) / took * 60:5.0f} pages/min, {size / len(sample) / 1024:6.0f} KiB/page"
            f"{'' if docs or fmt == 'jfif' else ' (no document?)'}"
        )
    print(f"  process peak RSS: {_rss_mb():.0f} MB")
    scanner.close()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main(sys.argv[1:])
