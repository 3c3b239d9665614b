"""Jobs: the pipeline against `scanimage --batch`, peak memory, first acknowledgement, SendImage
against curl. Prints figures; asserts nothing.

Everything real: the SANE `test` device through a private SANE_CONFIG_DIR (slowed to an office
scanner's pace with its read-limit/read-delay options), the reference scan server as a
subprocess on loopback (its read_rate fault imitates a 20 Mbit/s link), a standalone directory
file, and `dsm-kiosk scan` as a subprocess under /usr/bin/time (so its peak RSS is its own).
jfif and pdf-a runs are interleaved with the scanimage baseline and reported as medians, with
the load average beside them (the figures are only comparable within one run).

    python -m benchmarks jobs [--quick]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hardware import sane_test_device

ROOT = Path(__file__).resolve().parent.parent
PAGES = 10  # the test backend's feeder holds 10 pages
#: ~40 pages/min for A4 300 dpi colour (1.4-1.5 s per page on the machine these were tuned on).
OFFICE_PACE = {"read-limit": "true", "read-limit-size": "65536", "read-delay": "true", "read-delay-duration": "12000"}
LINK_20_MBIT = 20_000_000 // 8
#: A plain streamed POST of a file (no Expect: 100-continue round trip); the file and URL follow.
#: Declared multipart: the server refuses any other body over max_soap_kb from its headers (413),
#: which would time nothing; a multipart one is read to its end before the app answers.
CURL_POST = [
    "curl",
    "-s",
    "-o",
    "/dev/null",
    "-w",
    "%{size_upload}",
    "-X",
    "POST",
    "-H",
    "Content-Type: multipart/related; boundary=benchmark",
    "-H",
    "Expect:",
    "--upload-file",
]
USER, PASSWORD, PROCESS = "bench", "bench-pass-1", "Bench A4 colour"


def write_sane(folder: Path, *, pace: bool) -> Path:
    sane_test_device.write_config(folder)
    conf = folder / "test.conf"
    text = conf.read_text().replace('test-picture "Color pattern"', 'test-picture "Color pattern"')
    if pace:
        lines = []
        for line in text.splitlines():
            key = line.split(" ", 1)[0]
            lines.append(f"{key} {OFFICE_PACE[key]}" if key in OFFICE_PACE else line)
        text = "\n".join(lines) + "\n"
    conf.write_text(text)
    return folder


def scanimage_batch(sane_dir: Path, out: Path, pages: int = PAGES) -> float:
    """Seconds for `scanimage --batch` of the same pages (A4, 300 dpi, colour, JPEG files)."""
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SANE_CONFIG_DIR": str(sane_dir)}
    cmd = [
        "scanimage",
        "-d",
        "test:0",
        "--source",
        "Automatic Document Feeder",
        "--mode",
        "Color",
        "--resolution",
        "300",
        "-x",
        "210",
        "-y",
        "297",
        "--format=jpeg",
        f"--batch={out}/p%d.jpg",
        f"--batch-count={pages}",
    ]
    for attempt in range(3):
        for stale in out.glob("*.jpg"):
            stale.unlink()
        settle()
        start = time.monotonic()
        try:
            subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=SCANIMAGE_TIMEOUT)
        except subprocess.TimeoutExpired:
            # scanimage hangs too, now and then: the test backend's reader thread, cancelled
            # asynchronously inside malloc, dies holding the heap lock (see hardware.sane_stream).
            print(json.dumps({"note": f"scanimage hung (attempt {attempt + 1}), killed and run again"}))
            continue
        return time.monotonic() - start
    raise RuntimeError("scanimage hung three times: the baseline is void")


#: Far beyond any full-speed or office-pace batch of 10 pages (0.5 s and 15 s).
SCANIMAGE_TIMEOUT = 120


def settle() -> None:
    """Before each timed run: what earlier runs left to write reaches the disk first, so that
    no run pays for another's writeback (it made scanimage's time vary by 0.42-0.70 s)."""
    os.sync()
    time.sleep(0.5)


#: What `scanimage --format=jpeg` uses (libjpeg's default): the 20 Mbit/s case compares equal bytes.
SCANIMAGE_QUALITY = 75


def directory_file(
    folder: Path, share: str, images_to_transfer: int = 0, *, fmt: str = "jfif", quality: int | None = None
) -> Path:
    from kiosk.directory.passwords import hash_password
    from tests.fixtures.psp_samples import psp_xml

    xml = psp_xml(
        repository="localhost",
        job_name=PROCESS,
        fmt=fmt,
        source="ADF",
        color="RGB24",
        dpi=300,
        shares=(share,),
        root_name="Bench",
    )
    if images_to_transfer:  # pages per load (0: until the feeder is empty)
        xml = xml.replace("<wscn:ImagesToTransfer>0<", f"<wscn:ImagesToTransfer>{images_to_transfer}<", 1)
    if quality is not None:
        xml = xml.replace(
            "</wscn:Format>",
            f"</wscn:Format><wscn:CompressionQualityFactor>{quality}</wscn:CompressionQualityFactor>",
            1,
        )
    path = folder / "directory.toml"
    path.write_text(
        f'domain = "BENCH"\n\n[users.{USER}]\npassword = {json.dumps(hash_password(PASSWORD))}\n\n'
        f'[[processes]]\nname = {json.dumps(PROCESS)}\nidentifier = "5b2c7a0e-8f4d-4e3a-9c1b-2d3e4f5a6b7c"\n'
        f"everyone = true\nxml = '''{xml}'''\n"
    )
    return path


SHARE = r"\\localhost\scans"


def kiosk_config(
    folder: Path,
    server,
    sane_dir: Path,
    images_to_transfer: int = 0,
    *,
    fmt: str = "jfif",
    quality: int | None = None,
    scanner_extra: str = "",
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kiosk.toml"
    directory = directory_file(folder, SHARE, images_to_transfer, fmt=fmt, quality=quality)
    path.write_text(
        f'[directory]\nbackend = "local"\nlocal_file = "{directory}"\n\n'
        f'[scanner]\ndevice = "test:0"\nsane_config_dir = "{sane_dir}"\n{scanner_extra}\n'
        f'[scan_server]\nallow_http = true\n[scan_server.endpoints]\nlocalhost = "{server.endpoint}"\n\n'
        f'[spool]\ndirectory = "{folder / "spool"}"\nstate_directory = "{folder / "state"}"\nmin_free_mb = 0\n'
        "retry_initial_seconds = 0.2\n"
    )
    return path


def kiosk_scan(config: Path, *, loads: int = 1) -> tuple[dict, float]:
    """`dsm-kiosk scan --wait` as a subprocess: its JSON summary and its own peak RSS in MiB.

    The peak comes from GNU time (`/usr/bin/time -f %M`), the small parent that execs the
    kiosk: ru_maxrss of a child forked straight from this (big) benchmark process would
    report this process's pages too."""
    cmd = [
        sys.executable,
        "-m",
        "kiosk",
        "--config",
        str(config),
        "--json",
        "scan",
        "--user",
        USER,
        "--process",
        PROCESS,
        "--password-stdin",
        "--wait",
        "--loads",
        str(loads),
        "--timeout",
        "600",
    ]
    peak_file = config.parent / "peak-rss-kib"
    settle()
    cmd = ["/usr/bin/time", "-f", "%M", "-o", str(peak_file), *cmd]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(cmd, input=PASSWORD.encode() + b"\n", capture_output=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(
            f"dsm-kiosk scan exited {proc.returncode}: {proc.stdout.decode()[-1000:]} {proc.stderr.decode()[-2000:]}"
        )
    peak_kib = int(peak_file.read_text().strip().splitlines()[-1])
    return json.loads(proc.stdout), peak_kib / 1024


def _bytes_per_page(files: list[Path], pages: int) -> int:
    return round(sum(f.stat().st_size for f in files) / max(pages, 1))


#: At full speed a run lasts half a second and scanimage's own time varies by ±12 % from round
#: to round: five rounds (ten seconds each) give a steadier median than three.
FULL_SPEED_RUNS = 5
#: (label, format, extra [scanner] keys) of the kiosk runs in each round.
VARIANTS = [("jfif", "jfif", ""), ("pdf-a", "pdf-a", "")]
#: At full speed also jfif with page files not fsynced, to show what that durability costs.
FULL_SPEED_VARIANTS = [*VARIANTS, ("jfif, sync_page_files = false", "jfif", "sync_page_files = false\n")]


def pipeline_vs_scanimage(
    work: Path, label: str, *, pace: bool, read_rate: int, runs: int = 3, variants=VARIANTS
) -> list[dict]:
    """`runs` rounds, each: scanimage --batch, then the kiosk in each variant (jfif, pdf-a, ...;
    interleaved, so that the machine's load hits all alike); medians per variant. The kiosk uses
    scanimage's JPEG quality, so both send about the same bytes per page."""
    from tests.fixtures.scan_server import ScanServer

    sane_dir = write_sane(work / "sane", pace=pace)
    kinds = {name: (fmt, extra) for name, fmt, extra in variants}
    rows: dict[str, list[dict]] = {name: [] for name in kinds}
    bases, uploads, scanimage_bpp = [], [], []
    for n in range(runs):
        shots = work / f"scanimage-{n}"
        base = scanimage_batch(sane_dir, shots)
        bases.append(base)
        jpgs = sorted(shots.glob("*.jpg"))
        scanimage_bpp.append(_bytes_per_page(jpgs, len(jpgs)))
        for v, name in enumerate(rows):
            fmt, extra = kinds[name]
            run = work / f"{v}-{n}"
            scans = run / "scans"
            server = ScanServer(run / "server", shares={SHARE: str(scans)}).start(read_rate=read_rate)
            try:
                config = kiosk_config(run, server, sane_dir, fmt=fmt, quality=SCANIMAGE_QUALITY, scanner_extra=extra)
                summary, rss = kiosk_scan(config)
                if v == 0:
                    uploads.append(curl_upload(jpgs, server.base_url + "upload"))
            finally:
                server.stop()
            t = summary["timings"]
            rows[name].append(
                {
                    "end": t["end_post_scan_job_acked"],
                    "base": base,
                    "first_page": t.get("first_page_sent"),
                    "last_page_scanned": t.get("last_page_scanned"),
                    "bpp": _bytes_per_page(list(scans.rglob("*.*")), summary["pages_scanned"]),
                    "state": summary["state"],
                    "rss": rss,
                }
            )
    out = []
    for name, runs_of in rows.items():
        figures = {
            "case": label,
            "format": name,
            "runs": runs,
            "scanimage_batch_s": _median(bases),
            "scan_then_upload_s": _median([b + u for b, u in zip(bases, uploads, strict=True)]),
            "scan_to_end_acked_s": _median([r["end"] for r in runs_of]),
            "ratio_median": _median([r["end"] / r["base"] for r in runs_of]),
            "ratios": [round(r["end"] / r["base"], 2) for r in runs_of],
            "scan_then_upload_ratio": _median([(b + u) / b for b, u in zip(bases, uploads, strict=True)]),
            "first_page_on_server_s": _median([r["first_page"] for r in runs_of if r["first_page"] is not None]),
            "last_page_scanned_s": _median([r["last_page_scanned"] for r in runs_of]),
            "kiosk_bytes_per_page": _median([r["bpp"] for r in runs_of]),
            "scanimage_bytes_per_page": _median(scanimage_bpp),
            "states": sorted({r["state"] for r in runs_of}),
            "load": os.getloadavg()[0],
        }
        print(json.dumps(figures))
        out.append(figures)
    return out


def _median(values: list[float]) -> float | None:
    import statistics

    return round(statistics.median(values), 3) if values else None


def curl_upload(files: list[Path], url: str) -> float:
    start = time.monotonic()
    for path in files:
        curl_post(path, url)
    return time.monotonic() - start


def curl_post(path: Path, url: str) -> None:
    """POSTs the file; fails unless the server read all of it (a refusal would time nothing)."""
    sent = subprocess.run(CURL_POST + [str(path), url], check=True, capture_output=True, text=True).stdout
    if int(float(sent or 0)) != path.stat().st_size:
        raise RuntimeError(f"curl sent {sent} of {path.stat().st_size} bytes of {path.name}: the baseline is void")


def peak_rss(work: Path, loads: int, pages: int, fmt: str) -> dict:
    from tests.fixtures.scan_server import ScanServer

    sane_dir = write_sane(work / "sane", pace=False)
    server = ScanServer(work / "server", shares={SHARE: str(work / "scans")}).start()
    try:
        summary, rss = kiosk_scan(kiosk_config(work, server, sane_dir, images_to_transfer=pages, fmt=fmt), loads=loads)
    finally:
        server.stop()
    figures = {
        "case": f"peak RSS, {fmt}, {summary['pages_scanned']} pages in {loads} load(s)",
        "peak_rss_mib": round(rss, 1),
        "state": summary["state"],
        "load": os.getloadavg()[0],
    }
    print(json.dumps(figures))
    return figures


def send_image_vs_curl(work: Path, size_mb: int = 32, rounds: int = 5) -> dict:
    """SendImage (MTOM, streamed from the file) against a streamed curl POST of the same file to
    the same server, on loopback; best of `rounds` each."""
    from PIL import Image

    from kiosk.config import ScanServerSettings
    from kiosk.dsm.client import WsdspClient
    from tests.fixtures.scan_server import ScanServer

    work.mkdir(parents=True, exist_ok=True)
    doc = work / "big.jpg"
    # Noise does not compress: a JPEG of the wanted size with a valid signature.
    side = int((size_mb * 1024 * 1024 / 3 / 0.9) ** 0.5)
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(doc, "JPEG", quality=100)
    server = ScanServer(work / "server").start()
    try:
        client = WsdspClient(server.endpoint, ScanServerSettings(allow_http=True, read_timeout=300))
        token = client.create_post_scan_job("S-1-5-21-1-2-3-1001", "5b2c7a0e-8f4d-4e3a-9c1b-2d3e4f5a6b7c", INSTRUCTIONS)
        soap = []
        for n in range(1, rounds + 1):
            start = time.monotonic()
            client.send_image(token, n, "jfif", doc)
            soap.append(time.monotonic() - start)
        client.cancel_post_scan_job(token)
        curl = []
        for _ in range(rounds):
            start = time.monotonic()
            curl_post(doc, server.base_url + "upload")
            curl.append(time.monotonic() - start)
    finally:
        server.stop()
    mb = doc.stat().st_size / 1e6
    best_soap, best_curl = min(soap), min(curl)
    figures = {
        "case": "SendImage vs curl POST, loopback",
        "document_mb": round(mb, 1),
        "send_image_mb_s": round(mb / best_soap, 1),
        "curl_mb_s": round(mb / best_curl, 1),
        "ratio": round(best_curl / best_soap, 2),
    }
    print(json.dumps(figures))
    return figures


INSTRUCTIONS = (
    '<psp:PostScanInstructions xmlns:psp="http://schemas.microsoft.com/windows/2008/02/imaging/postscan/psp">'
    "<psp:DocumentRootName>Bench</psp:DocumentRootName><psp:FiltersToProcess><psp:Filter>"
    "<psp:Dialect>http://schemas.microsoft.com/windows/2007/10/imaging/postscan/filter/fileshare</psp:Dialect>"
    '<psp:Instructions><fsf:FileShareConfig xmlns:fsf="http://schemas.microsoft.com/windows/2007/10/imaging/postscan/filter/fileshare">'
    "<fsf:FileShares><fsf:ShareUNC>\\\\localhost\\scans</fsf:ShareUNC></fsf:FileShares></fsf:FileShareConfig>"
    "</psp:Instructions></psp:Filter></psp:FiltersToProcess></psp:PostScanInstructions>"
)


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    runs = 1 if quick else 3
    print(json.dumps({"uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()}))
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as tmp:
        work = Path(tmp)
        send_image_vs_curl(work / "curl", size_mb=8 if quick else 32)
        if not quick:
            pipeline_vs_scanimage(
                work / "wifi", "office pace, 20 Mbit/s link", pace=True, read_rate=LINK_20_MBIT, runs=runs
            )
        pipeline_vs_scanimage(
            work / "full",
            "backend full speed, fast link",
            pace=False,
            read_rate=0,
            runs=1 if quick else FULL_SPEED_RUNS,
            variants=FULL_SPEED_VARIANTS,
        )
        for fmt in ("jfif", "pdf-a"):
            peak_rss(work / f"rss5-{fmt}", loads=1, pages=5, fmt=fmt)
            peak_rss(work / f"rss50-{fmt}", loads=5, pages=0, fmt=fmt)  # each load runs the 10-page feeder empty
    print(json.dumps({"uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()}))


if __name__ == "__main__":
    main(sys.argv[1:])
