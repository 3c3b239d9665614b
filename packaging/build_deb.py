#!/usr/bin/env python3
"""Builds the Debian packages `dsm-kiosk` and `dsm-scan-server` (Architecture: all) with dpkg-deb.

No debhelper and no Debian 13 build machine: the packages hold only Python sources, package data,
systemd units and conffiles, so a staging tree per package plus `dpkg-deb --build` is all a build
needs, and it runs on Debian 12 (CI) as well as on the Pi. The Python dependencies are Debian's
own python3-* packages (Depends in packaging/debian/control.*), byte-compiled at install time by
py3compile like dh_python3 does. The version is pyproject.toml's, nothing else.

    python3 packaging/build_deb.py [--out dist] [--lintian]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from email.utils import formatdate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
DEBIAN = PACKAGING / "debian"
SITE = "usr/lib/python3/dist-packages"
UNITS = "usr/lib/systemd/system"
MAINTAINER = os.environ.get("DEB_MAINTAINER", "dsm-kiosk developers <dsm-kiosk@users.noreply.github.com>")

#: pyproject dependency → (binary package that needs it, Debian 13 packages). A dependency missing
#: here fails the build, so a new one cannot slip into the .deb unnoticed.
DEBIAN_PACKAGES = {
    "pyside6-essentials": (
        "dsm-kiosk",
        ["python3-pyside6.qtcore", "python3-pyside6.qtgui", "python3-pyside6.qtwidgets"],
    ),
    "python-sane": ("dsm-kiosk", ["python3-sane"]),
    "zeep": ("dsm-kiosk", ["python3-zeep"]),
    "ldap3": ("dsm-kiosk", ["python3-ldap3"]),
    "pillow": ("dsm-kiosk", ["python3-pil"]),
    "pydantic": ("dsm-kiosk", ["python3-pydantic"]),
    "defusedxml": ("dsm-kiosk", ["python3-defusedxml"]),
    "requests": ("dsm-kiosk", ["python3-requests"]),
    "pycryptodome": ("dsm-kiosk", ["python3-pycryptodome"]),
    "img2pdf": ("dsm-kiosk", ["python3-img2pdf"]),
    "pikepdf": ("dsm-kiosk", ["python3-pikepdf"]),
    "lxml": ("dsm-kiosk", ["python3-lxml"]),
    "gssapi": ("dsm-kiosk", ["python3-gssapi"]),
    "dnspython": ("dsm-kiosk", ["python3-dnspython"]),
    "cryptography": ("dsm-kiosk", ["python3-cryptography"]),
    # Debian's python3-multipart is another project (defnull's multipart).
    "python-multipart": ("dsm-scan-server", ["python3-python-multipart"]),
    "waitress": ("dsm-scan-server", ["python3-waitress"]),
    "flask": ("dsm-scan-server", ["python3-flask"]),
    "tomlkit": ("dsm-scan-server", ["python3-tomlkit"]),
}
#: Dependencies Debian 13 does not package (pure Python): bundled from the build environment into
#: /usr/share/<package>/vendor, which a .pth file appends to sys.path, so a Debian package of the
#: same module, should one appear, comes first. Their own dependencies must be in DEBIAN_PACKAGES.
NOT_IN_DEBIAN = {"winacl": "dsm-scan-server"}

WRAPPER = """#!/usr/bin/python3
# {name}: installed by the Debian package (no pip metadata is read at start-up).
import sys

from {module} import {func}

sys.exit({func}())
"""


@functools.cache
def pyproject() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)


def project() -> dict:
    return pyproject()["project"]


def data_suffixes() -> set[str]:
    """The files a package's folders ship: the code and pyproject's package-data (one list, so a
    template or style sheet the wheel has is in the .deb too)."""
    globs = pyproject()["tool"]["setuptools"]["package-data"]["*"]
    return {".py"} | {g.removeprefix("*") for g in globs}


def project_version() -> str:
    return project()["version"]


def _debian_version(spec: str) -> list[str]:
    """pip's ">=6.8,!=6.12.0,<7" as Debian relations: ["(>= 6.8)", "(<< 7)"] (!= has no equivalent)."""
    out = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        for pip_op, deb_op in ((">=", ">="), ("<=", "<="), ("==", "="), ("<", "<<"), (">", ">>")):
            if part.startswith(pip_op):
                out.append(f"({deb_op} {part[len(pip_op) :].strip()})")
                break
    return out


def depends() -> dict[str, list[str]]:
    """Each binary package's Debian Depends from pyproject's [project] dependencies."""
    result: dict[str, list[str]] = {"dsm-kiosk": [], "dsm-scan-server": []}
    unknown = []
    for requirement in project()["dependencies"]:
        match = re.match(r"\s*([A-Za-z0-9_.-]+)\s*(?:\[[^]]*\])?\s*([^;]*)", requirement)
        assert match, requirement
        name, spec = match.group(1).lower().replace("_", "-"), match.group(2)
        if name in NOT_IN_DEBIAN:
            continue  # bundled: vendored()
        if name not in DEBIAN_PACKAGES:
            unknown.append(name)
            continue
        package, debs = DEBIAN_PACKAGES[name]
        relations = _debian_version(spec)
        for deb in debs:
            result[package] += [f"{deb} {r}" for r in relations] or [deb]
    if unknown:
        raise SystemExit(f"build_deb: no Debian package known for {', '.join(unknown)}: add it to DEBIAN_PACKAGES")
    return result


def vendored() -> dict[str, list[str]]:
    """Binary package → the distributions of pyproject's dependencies it bundles."""
    out: dict[str, list[str]] = {}
    for requirement in project()["dependencies"]:
        name = re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")
        if name in NOT_IN_DEBIAN:
            out.setdefault(NOT_IN_DEBIAN[name], []).append(name)
    return out


def vendor(staging: Staging, name: str) -> str:
    """Copy the installed distribution `name` (from the Python running this build, e.g. the
    project's .venv) into the package's vendor folder; its copyright stanza."""
    from importlib import metadata

    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        raise SystemExit(
            f"build_deb: {name} is not packaged in Debian 13 and is bundled from the build environment, "
            "but this Python does not have it: run the build with .venv/bin/python (make deb)"
        ) from None
    root = f"usr/share/{staging.name}/vendor"
    for entry in dist.files or []:
        rel = str(entry)
        if rel.startswith("..") or "__pycache__" in rel or rel.endswith((".pyc", "RECORD", "INSTALLER")):
            continue
        staging.copy(Path(str(dist.locate_file(entry))), f"{root}/{rel}")
    staging.file(f"{SITE}/{staging.name.replace('-', '_')}_vendor.pth", f"/{root}\n".encode())
    author = dist.metadata.get("Author") or dist.metadata.get("Author-email") or "its authors"
    licence = dist.metadata.get("License") or "see the LICENSE file beside it"
    return (
        f"\nFiles: {root}/*\nCopyright: {author}\nComment: {name} {dist.version}, bundled (not in Debian 13);\n"
        f" its licence text is in {root}/{name}-{dist.version}.dist-info/.\nLicense: {licence}\n"
    )


def dist_info(version: str) -> dict[str, bytes]:
    """A minimal dist-info, as Debian's pybuild installs one: the name, the version and the entry
    points that the application looks up at run time (drivers by name). No Requires-Dist: the
    dependencies are Debian packages, and nothing must check pip's names (PySide6-Essentials)."""
    files = {"METADATA": f"Metadata-Version: 2.1\nName: dsm-kiosk\nVersion: {version}\n".encode()}
    groups = project().get("entry-points", {})
    if groups:
        text = "".join(
            f"[{group}]\n" + "".join(f"{name} = {target}\n" for name, target in entries.items()) + "\n"
            for group, entries in groups.items()
        )
        files["entry_points.txt"] = text.encode()
    files["INSTALLER"] = b"dpkg\n"
    return files


def source_date_epoch() -> int:
    """Reproducible file times: SOURCE_DATE_EPOCH, else the last commit's time."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=True
        ).stdout.strip()
        return int(out)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return int(time.time())


class Staging:
    """One package's file tree; `build()` adds DEBIAN/ and calls dpkg-deb."""

    def __init__(self, name: str, version: str, work: Path, epoch: int) -> None:
        self.name, self.version, self.epoch = name, version, epoch
        self.root = work / name
        self.root.mkdir(parents=True)

    def file(self, dest: str, data: bytes, mode: int = 0o644) -> None:
        path = self.root / dest
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        path.chmod(mode)

    def copy(self, src: Path, dest: str, mode: int = 0o644) -> None:
        self.file(dest, src.read_bytes(), mode)

    def package(self, name: str) -> None:
        """A Python package (all its sub-packages and package data) into dist-packages."""
        src_root = ROOT / name
        for src in sorted(src_root.rglob("*")):
            rel = src.relative_to(ROOT)
            if src.is_dir() or "__pycache__" in rel.parts or src.suffix not in data_suffixes():
                continue
            self.copy(src, f"{SITE}/{rel.as_posix()}")

    def gzip_doc(self, dest: str, data: bytes) -> None:
        # mtime=0 and no file name in the header: the same input gives the same bytes.
        self.file(dest + ".gz", gzip.compress(data, compresslevel=9, mtime=0))

    def docs(self, changelog: bytes) -> None:
        text = (DEBIAN / "copyright").read_text()
        self.file(f"usr/share/doc/{self.name}/copyright", text.encode())
        self.gzip_doc(f"usr/share/doc/{self.name}/changelog", changelog)

    def build(self, out: Path) -> Path:
        control_dir = self.root / "DEBIAN"
        control_dir.mkdir()
        files = sorted(p for p in self.root.rglob("*") if p.is_file() and control_dir not in p.parents)
        size_kib = sum((p.stat().st_size + 1023) // 1024 for p in files) + len({p.parent for p in files})
        control = (DEBIAN / f"control.{self.name}").read_text()
        control = (
            control.replace("@VERSION@", self.version)
            .replace("@MAINTAINER@", MAINTAINER)
            .replace("@INSTALLED_SIZE@", str(size_kib))
            .replace("@DEPENDS@", ", ".join(depends()[self.name]))
        )
        if self.name != "dsm-kiosk":
            control = f"Package: {self.name}\nSource: dsm-kiosk\n" + control.split("\n", 1)[1]
        (control_dir / "control").write_text(control)
        conffiles = [p for p in files if p.relative_to(self.root).parts[0] == "etc"]
        if conffiles:
            (control_dir / "conffiles").write_text("".join(f"/{p.relative_to(self.root)}\n" for p in conffiles))
        (control_dir / "md5sums").write_text(
            "".join(f"{hashlib.md5(p.read_bytes()).hexdigest()}  {p.relative_to(self.root)}\n" for p in files)
        )
        for script in ("postinst", "prerm", "postrm"):
            src = DEBIAN / f"{script}.{self.name}"
            if src.exists():
                shutil.copyfile(src, control_dir / script)
                (control_dir / script).chmod(0o755)
        for path in [self.root, *self.root.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
            os.utime(path, (self.epoch, self.epoch), follow_symlinks=False)
        deb = out / f"{self.name}_{self.version}_all.deb"
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(self.epoch)}
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(self.root), str(deb)],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        return deb


def changelog(version: str, epoch: int) -> bytes:
    return (
        f"dsm-kiosk ({version}) unstable; urgency=medium\n\n"
        f"  * Release {version}, built from the project's own packaging/build_deb.py.\n\n"
        f" -- {MAINTAINER}  {formatdate(epoch, usegmt=False)}\n"
    ).encode()


def build(out: Path) -> list[Path]:
    version = project_version()
    epoch = source_date_epoch()
    log = changelog(version, epoch)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dsm-deb-") as tmp:
        work = Path(tmp)

        kiosk = Staging("dsm-kiosk", version, work, epoch)
        for name in ("kiosk", "hardware", "ui"):
            kiosk.package(name)
        # The version travels inside the package: no pyproject.toml or dist-info is installed.
        kiosk.file(f"{SITE}/kiosk/_version.py", f'VERSION = "{version}"\n'.encode())
        for name, data in dist_info(version).items():
            kiosk.file(f"{SITE}/dsm_kiosk-{version}.dist-info/{name}", data)
        for unit in ("dsm-kiosk.service", "dsm-kiosk-worker.service"):
            kiosk.copy(PACKAGING / "systemd" / unit, f"{UNITS}/{unit}")
        kiosk.copy(PACKAGING / "etc" / "kiosk.toml", "etc/dsm-kiosk/kiosk.toml")
        kiosk.copy(PACKAGING / "etc" / "pam-dsm-kiosk", "etc/pam.d/dsm-kiosk")
        kiosk.docs(log)
        kiosk.gzip_doc("usr/share/doc/dsm-kiosk/README.md", (ROOT / "README.md").read_bytes())
        kiosk.gzip_doc("usr/share/doc/dsm-kiosk/README.packaging.md", (PACKAGING / "README.md").read_bytes())
        kiosk.gzip_doc("usr/share/doc/dsm-kiosk/raspberry-pi.md", (PACKAGING / "raspberry-pi.md").read_bytes())
        kiosk.copy(PACKAGING / "kiosk.toml.example", "usr/share/doc/dsm-kiosk/kiosk.toml.example")
        kiosk.gzip_doc("usr/share/man/man1/dsm-kiosk.1", (PACKAGING / "man" / "dsm-kiosk.1").read_bytes())

        server = Staging("dsm-scan-server", version, work, epoch)
        server.package("dsm_server")
        server.copy(PACKAGING / "systemd" / "dsm-scan-server.service", f"{UNITS}/dsm-scan-server.service")
        server.copy(PACKAGING / "etc" / "server.toml", "etc/dsm-scan-server/server.toml")
        server.docs(log)
        stanzas = "".join(vendor(server, name) for name in vendored().get("dsm-scan-server", []))
        if stanzas:
            copyright_path = server.root / "usr/share/doc/dsm-scan-server/copyright"
            copyright_path.write_text(copyright_path.read_text() + stanzas)
        for page in ("dsm-scan-server.1", "dsm-admin.1"):
            server.gzip_doc(f"usr/share/man/man1/{page}", (PACKAGING / "man" / page).read_bytes())
        server.copy(DEBIAN / "README.Debian.dsm-scan-server", "usr/share/doc/dsm-scan-server/README.Debian")
        server.copy(
            PACKAGING / "dsm-scan-server.toml.example", "usr/share/doc/dsm-scan-server/dsm-scan-server.toml.example"
        )
        # pyproject's [project.scripts], each a wrapper in /usr/bin of the package holding its code.
        for name, target in project().get("scripts", {}).items():
            module, func = target.split(":")
            staging = server if module.split(".")[0] == "dsm_server" else kiosk
            staging.file(f"usr/bin/{name}", WRAPPER.format(name=name, module=module, func=func).encode(), 0o755)
        return [kiosk.build(out), server.build(out)]


def lintian(debs: list[Path]) -> int:
    """lintian's verdict; errors fail, warnings are printed."""
    result = subprocess.run(["lintian", "--fail-on", "error", "--no-tag-display-limit", *map(str, debs)])
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--lintian", action="store_true", help="run lintian on the result; errors fail the build")
    args = parser.parse_args(argv)
    debs = build(args.out.resolve())
    for deb in debs:
        print(deb)
    return lintian(debs) if args.lintian else 0


if __name__ == "__main__":
    sys.exit(main())
