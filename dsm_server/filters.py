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


def file_share(config: ServerConfig, job: Job, root_name: str, instructions: etree._Element, stamp: str) -> list[str]:
    uncs = [(u.text or "").strip() for u in instructions.iterfind(f".//{{{NS_FSF}}}ShareUNC")]
    if not uncs:
        raise FilterFailure("InvalidArgs", "no ShareUNC in the file-share instructions")
    user = config.users.get(job.user_sid)
    folder = _safe(user.name if user and user.name else job.user_sid)
    written = []
    for unc in uncs:
        local = config.shares.get(unc) or config.default_share_root
        if not local:
            raise FilterFailure("FileShareAccessDenied", f"share {unc!r} is not mapped to a local folder")
        for doc in job.documents:
            target = (
                config.path(local) / folder / f"{_safe(root_name)}_{stamp}_{doc.document_id}.{extension(doc.format)}"
            )
            try:
                written.append(str(place_document(Path(doc.path), target)))
            except OSError as exc:
                raise FilterFailure(
                    _os_reason(exc, "FileShareAccessDenied", "FileShareOutOfDiskSpace"), f"{target}: {exc}"
                ) from None
    return written


def email(config: ServerConfig, job: Job, root_name: str, instructions: etree._Element, stamp: str) -> list[str]:
    to = [
        (a.text or "").strip() for a in instructions.iterfind(f".//{{{NS_EMLF}}}EmailAddress") if (a.text or "").strip()
    ]
    to_user = instructions.find(f".//{{{NS_EMLF}}}SendToScanUser")
    if to_user is not None and (to_user.text or "").strip() in ("true", "1"):
        user = config.users.get(job.user_sid)
        if user and user.email:
            to.append(user.email)
        else:
            log.warning("job %s: SendToScanUser, but no e-mail address is configured for %s", job.token, job.user_sid)
    if not to:
        raise FilterFailure("InvalidArgs", "no recipient")
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
            filename=f"{_safe(root_name)}_{stamp}_{doc.document_id}.{ext}",
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


def run(config: ServerConfig, job: Job) -> tuple[str, list[str], list[dict]]:
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
                result = file_share(config, job, root_name, instructions, stamp)
            elif dialect == NS_EMLF:
                result = email(config, job, root_name, instructions, stamp)
            elif dialect == NS_SPF:
                raise FilterFailure("UnknownError", "the SharePoint filter is not supported by this server")
            else:
                raise FilterFailure("InvalidArgs", f"unknown filter dialect {dialect!r}")
        except FilterFailure as exc:
            log.warning("job %s: filter %s failed: %s (%s)", job.token, dialect, exc, exc.reason)
            reasons = [exc.reason] + (["dsmk:FilterNotSupported"] if dialect == NS_SPF else [])
            statuses.append({"dialect": dialect, "state": "CompletedWithErrors", "reasons": reasons})
            failed = True
            aborted = not continue_on_error
            continue
        log.info("job %s: filter %s done: %s", job.token, dialect, ", ".join(result))
        statuses.append({"dialect": dialect, "state": "CompletedSuccessfully", "reasons": []})
    if aborted:
        return "Aborted", ["PostScanJobProcessingFailed"], statuses
    if failed:
        return "Completed", ["PostScanJobCompletedWithErrors"], statuses
    return "Completed", ["PostScanJobCompletedSuccessfully"], statuses
