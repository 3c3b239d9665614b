"""The post-scan filters of the reference server: file share, e-mail, and (unsupported) SharePoint."""

from __future__ import annotations

import errno
import filecmp
import logging
import os
import re
import smtplib
import tempfile
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from lxml import etree

from dsm_server.config import ServerConfig
from dsm_server.store import Job
from dsm_server.trust import ref
from kiosk.durable import fsync_dir
from kiosk.psp.model import NS_EMLF, NS_FSF, NS_PSP, NS_SPF

log = logging.getLogger("dsm_server")

EXTENSIONS = {
    "pdf-a": "pdf",
    "jfif": "jpg",
    "exif": "jpg",
    "png": "png",
    "xps": "xps",
    "dib": "bmp",
    "jpeg2k": "jp2",
    "jbig": "jbg",
}
MIME = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "tif": "image/tiff",
    "xps": "application/vnd.ms-xpsdocument",
    "bmp": "image/bmp",
    "jp2": "image/jp2",
}


def extension(fmt: str) -> str:
    if fmt.startswith("tiff-"):
        return "tif"
    return EXTENSIONS.get(fmt, "bin")


def _safe(name: str) -> str:
    cleaned = re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", name).strip(". ")
    return cleaned or "_"


#: Bytes kept free in a file name for place_document's "-N" suffix.
_SUFFIX_ROOM = 8


def fit(stem: str, tail: str, folder: Path | None = None) -> str:
    """`stem + tail` cut (in the stem, at a character boundary) to the file system's name limit:
    a legal 255-character DocumentRootName must not fail the job."""
    limit = 255
    if folder is not None:
        try:
            limit = os.pathconf(folder, "PC_NAME_MAX")
        except (OSError, ValueError):
            pass
    room = limit - len(tail.encode()) - _SUFFIX_ROOM
    raw = stem.encode()
    if len(raw) > room:
        stem = raw[: max(room, 1)].decode("utf-8", "ignore").rstrip(". ") or "_"
    return stem + tail


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


class FilterFailure(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def place_document(source: Path, target: Path) -> Path:
    """Copy `source` to `target` atomically, never over another file: all or nothing.

    Two jobs may share a root name, second and DocumentId; the later one gets a "-2" (…) suffix
    instead of replacing the earlier one's file. A file with the same bytes is this document's
    own earlier copy (filters re-run after a restart), so it is kept as it is.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".partial-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while chunk := src.read(1024 * 1024):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        candidate, n = target, 1
        while True:
            try:
                os.link(tmp, candidate)  # fails where a file exists: no overwrite race
                break
            except FileExistsError:
                if filecmp.cmp(candidate, source, shallow=False):
                    break
                n += 1
                candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
    finally:
        Path(tmp).unlink(missing_ok=True)
    fsync_dir(target.parent)
    return candidate


def _os_reason(exc: OSError, access: str, space: str) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return access
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return space
    return "UnknownError"


def _share_folder(config: ServerConfig, unc: str) -> Path | None:
    """The local folder of a ShareUNC: its own mapping, a subfolder of a mapped share (a path the
    process let the device change), or default_share_root."""
    if unc in config.shares:
        return config.path(config.shares[unc])
    for share, local in config.shares.items():
        if unc.lower().startswith(share.lower() + "\\"):
            parts = [p for p in unc[len(share) :].split("\\") if p]
            if parts and all(p not in (".", "..") for p in parts):
                return config.path(local).joinpath(*(_safe(p) for p in parts))
    return config.path(config.default_share_root) if config.default_share_root else None


def file_share(
    config: ServerConfig, job: Job, root_name: str, instructions: etree._Element, stamp: str, user=None
) -> list[str]:
    uncs = [(u.text or "").strip() for u in instructions.iterfind(f".//{{{NS_FSF}}}ShareUNC")]
    if not uncs:
        raise FilterFailure("InvalidArgs", "no ShareUNC in the file-share instructions")
    entry = config.users.get(job.user_sid)
    folder = fit(_safe(entry.name if entry and entry.name else job.user_sid), "")
    written = []
    for unc in uncs:
        local = _share_folder(config, unc)
        if local is None:
            raise FilterFailure("FileShareAccessDenied", f"share {unc!r} is not mapped to a local folder")
        for doc in job.documents:
            tail = f"_{stamp}_{doc.document_id}.{extension(doc.format)}"
            target = local / folder / fit(_safe(root_name), tail, _existing(local))
            try:
                written.append(str(place_document(Path(doc.path), target)))
            except OSError as exc:
                raise FilterFailure(
                    _os_reason(exc, "FileShareAccessDenied", "FileShareOutOfDiskSpace"), f"{target}: {exc}"
                ) from None
    return written


def email(
    config: ServerConfig, job: Job, root_name: str, instructions: etree._Element, stamp: str, user=None
) -> list[str]:
    to = [
        (a.text or "").strip() for a in instructions.iterfind(f".//{{{NS_EMLF}}}EmailAddress") if (a.text or "").strip()
    ]
    to_user = instructions.find(f".//{{{NS_EMLF}}}SendToScanUser")
    if to_user is not None and (to_user.text or "").strip() in ("true", "1"):
        entry = config.users.get(job.user_sid)
        address = (entry.email if entry else "") or (user.mail if user else "")
        if address:
            to.append(address)
        else:
            log.warning("%s: SendToScanUser, but no e-mail address is known for %s", ref(job.token), job.user_sid)
    if not to:
        raise FilterFailure("InvalidArgs", "no recipient")
    if len(to) > config.limits.max_recipients:
        # Never an open relay, whatever the journal holds.
        raise FilterFailure("UnableToSendEmail", f"{len(to)} recipients; at most {config.limits.max_recipients}")
    if not config.smtp.host:
        raise FilterFailure("InvalidSMTPServer", "no [smtp] host configured")
    msg = EmailMessage()
    msg["From"] = config.smtp.sender
    msg["To"] = ", ".join(to)
    msg["Subject"] = f"{root_name} {stamp}"
    msg.set_content(f"{len(job.documents)} scanned document(s) attached.")
    for doc in job.documents:
        ext = extension(doc.format)
        maintype, subtype = MIME.get(ext, "application/octet-stream").split("/")
        msg.add_attachment(
            Path(doc.path).read_bytes(),
            maintype=maintype,
            subtype=subtype,
            filename=fit(_safe(root_name), f"_{stamp}_{doc.document_id}.{ext}"),
        )
    try:
        with smtplib.SMTP(config.smtp.host, config.smtp.port, timeout=config.smtp.timeout) as smtp:
            if config.smtp.starttls:
                smtp.starttls()
            if config.smtp.username:
                smtp.login(config.smtp.username, config.smtp.password)
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected) as exc:
        raise FilterFailure("InvalidSMTPServer", f"SMTP {config.smtp.host}:{config.smtp.port}: {exc}") from None
    except smtplib.SMTPException as exc:
        raise FilterFailure("UnableToSendEmail", f"SMTP: {exc}") from None
    return to


def run(config: ServerConfig, job: Job, user=None) -> tuple[str, list[str], list[dict]]:
    """Run the job's filters in order. Returns (JobState, JobStateReasons, FilterStatuses)."""
    ins = etree.fromstring(job.instructions.encode())
    coe = ins.find(f"{{{NS_PSP}}}ContinueOnError")
    continue_on_error = coe is not None and (coe.text or "").strip() in ("true", "1")
    root_name = (ins.findtext(f"{{{NS_PSP}}}DocumentRootName") or "Scan").strip()
    # The job's own creation time, so filters re-run after a restart name files as before.
    stamp = datetime.strptime(job.created, "%Y-%m-%dT%H:%M:%S.%fZ").strftime("%Y%m%d-%H%M%S")
    statuses: list[dict] = []
    failed = aborted = False
    for flt in ins.iterfind(f"{{{NS_PSP}}}FiltersToProcess/{{{NS_PSP}}}Filter"):
        dialect = (flt.findtext(f"{{{NS_PSP}}}Dialect") or "").strip()
        if aborted:
            statuses.append({"dialect": dialect, "state": "Canceled", "reasons": []})
            continue
        instructions = flt.find(f"{{{NS_PSP}}}Instructions")
        try:
            if dialect == NS_FSF:
                result = file_share(config, job, root_name, instructions, stamp, user)
            elif dialect == NS_EMLF:
                result = email(config, job, root_name, instructions, stamp, user)
            elif dialect == NS_SPF:
                raise FilterFailure("UnknownError", "the SharePoint filter is not supported by this server")
            else:
                raise FilterFailure("InvalidArgs", f"unknown filter dialect {dialect!r}")
        except FilterFailure as exc:
            # The message may name a received document (documents/<JobToken>/…): the token as ref().
            shown = str(exc).replace(job.token, ref(job.token))
            log.warning("%s: filter %s failed: %s (%s)", ref(job.token), dialect, shown, exc.reason)
            reasons = [exc.reason] + (["dsmk:FilterNotSupported"] if dialect == NS_SPF else [])
            statuses.append({"dialect": dialect, "state": "CompletedWithErrors", "reasons": reasons})
            failed = True
            aborted = not continue_on_error
            continue
        log.info("%s: filter %s done: %s", ref(job.token), dialect, ", ".join(result))
        statuses.append({"dialect": dialect, "state": "CompletedSuccessfully", "reasons": []})
    if aborted:
        return "Aborted", ["PostScanJobProcessingFailed"], statuses
    if failed:
        return "Completed", ["PostScanJobCompletedWithErrors"], statuses
    return "Completed", ["PostScanJobCompletedSuccessfully"], statuses
