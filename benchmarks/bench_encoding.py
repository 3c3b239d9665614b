"""Encoding: JPEG bytes of an A4 office page by quality (for DEFAULT_QUALITY), and pages per
second with one encoder thread against the pool. Prints figures; asserts nothing.

The office page is synthetic but typical: 300 dpi colour, a letterhead logo, 40 lines of 10 pt
text and a 10 x 7.5 cm photo (smoothed noise, which JPEG finds about as hard as a photograph).

    python -m benchmarks encoding [--quick]
"""

from __future__ import annotations

import io
import json
import os
import random
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

A4_300 = (2480, 3508)
QUALITIES = (50, 75, 85, 95)


def office_page(seed: int = 1) -> Image.Image:
    rnd = random.Random(seed)
    page = Image.new("RGB", A4_300, "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((200, 180, 700, 420), fill=(20, 70, 160))  # letterhead logo
    draw.ellipse((260, 220, 420, 380), fill=(240, 180, 20))
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 42)  # 10 pt at 300 dpi
    except OSError:
        font = ImageFont.load_default()
    words = "invoice total amount due date customer order delivery account payment terms net".split()
    for line in range(40):
        text = " ".join(rnd.choice(words) for _ in range(12))
        draw.text((200, 600 + line * 60), text, fill="black", font=font)
    side = (1181, 886)  # 10 x 7.5 cm
    noise = Image.frombytes("RGB", (side[0] // 8, side[1] // 8), os.urandom(side[0] // 8 * (side[1] // 8) * 3))
    photo = noise.resize(side, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(3))
    page.paste(photo, (1100, 3000 - side[1] - 200))
    return page


def sizes(page: Image.Image) -> dict:
    out = {}
    for q in QUALITIES:
        buf = io.BytesIO()
        page.save(buf, format="JPEG", quality=q, dpi=(300, 300))
        out[f"q{q}_mb"] = round(buf.tell() / 1e6, 2)
    return out


def throughput(folder: Path, pages: int) -> dict:
    """Pages per second through DocumentEncoder (jfif), one thread against the pool."""
    from kiosk.imaging import DocumentEncoder, default_workers
    from kiosk.scanner import Page

    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n in range(pages):
        path = folder / f"page-{n + 1:04d}.pnm"
        office_page(n).save(path)
        files.append(Page(n + 1, path, *A4_300, "RGB", (300, 300)))
    reads = []
    for page in files:  # what the pool pays to read a page back (from the page cache)
        start = time.monotonic()
        with Image.open(page.path) as im:
            im.load()
        reads.append(time.monotonic() - start)
    out: dict[str, float] = {"read_page_file_ms_median": round(sorted(reads)[len(reads) // 2] * 1000, 1)}
    for workers in (1, default_workers()):
        encoder = DocumentEncoder("jfif", folder / f"docs-{workers}", workers=workers)
        start = time.monotonic()
        for page in files:
            encoder.add(page, wait=False)
        encoder.finish()
        out[f"pages_per_s_{workers}_thread{'s' if workers > 1 else ''}"] = round(pages / (time.monotonic() - start), 2)
    return out


def main(argv: list[str]) -> None:
    page = office_page()
    print(json.dumps({"case": "A4 300 dpi colour office page, JPEG size by quality", **sizes(page)}))
    with tempfile.TemporaryDirectory(prefix="bench-encoding-") as tmp:
        figures = throughput(Path(tmp), 4 if "--quick" in argv else 12)
    print(json.dumps({"case": "jfif encoding from page files", **figures, "load": os.getloadavg()[0]}))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
