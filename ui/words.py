"""What the panel says about failures: a translated sentence, with what to do next, for every DSM
job state reason, filter state reason, kiosk reason and kiosk error code. The codes themselves
stay in the log and on the service screen; the panel never shows them to a user.

Reason codes come from ui.backend.reasons(): a DSM JobStateReason ("PostScanJobProcessingFailed"),
"<destination>:<FilterStateReason>" ("folder:FileShareAccessDenied"), or "kiosk:<what>".
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

#: Looks like a protocol or error code rather than words: CamelCase, or a dotted/underscored name.
CODE_PATTERN = re.compile(
    r"\b(?:[A-Z][a-z]+){2,}[A-Z]?\w*\b|\b[a-z]+(?:[._][a-z]+)+\b|\b[A-Za-z]+:[A-Z]\w+\b",
)


def _job_reasons() -> dict[str, str]:
    return {
        "novalidpostscaninstructionsfound": QCoreApplication.translate(
            "Words", "The scan server does not know this scan process. Please tell your administrator."
        ),
        "createpostscanjobfailed": QCoreApplication.translate(
            "Words",
            "The scan server refused the job. Resend it later from My jobs; if it fails again, tell your administrator.",  # noqa: E501
        ),
        "sendimagefailed": QCoreApplication.translate(
            "Words", "The scanned pages could not be sent to the scan server. Resend the job from My jobs."
        ),
        "sendimangefailed": QCoreApplication.translate(
            "Words", "The scanned pages could not be sent to the scan server. Resend the job from My jobs."
        ),
        "postscanjobcanceled": QCoreApplication.translate("Words", "The job was cancelled on the scan server."),
        "postscanjobprocessingfailed": QCoreApplication.translate(
            "Words",
            "The scan server could not deliver your documents. Resend the job from My jobs, or tell your administrator.",  # noqa: E501
        ),
        "postscanjobcompletedwitherrors": QCoreApplication.translate(
            "Words", "Some destinations did not receive your documents."
        ),
        "postscanjobcompletedwithwarnings": QCoreApplication.translate(
            "Words", "Your documents were delivered, but the scan server reported a warning."
        ),
        "postscanjobtimedout": QCoreApplication.translate(
            "Words", "The scan server stopped waiting for the pages. Resend the job from My jobs."
        ),
        "kiosk:interrupted": QCoreApplication.translate(
            "Words", "The scan was interrupted. The pages scanned before that are delivered."
        ),
        "kiosk:restarted": QCoreApplication.translate(
            "Words", "The scan server lost the job. It is being sent again; you need not do anything."
        ),
    }


def _destinations() -> dict[str, str]:
    return {
        "folder": QCoreApplication.translate("Words", "Shared folder"),
        "sharepoint": "SharePoint",
        "email": QCoreApplication.translate("Words", "E-mail"),
        "other": QCoreApplication.translate("Words", "A destination"),
    }


def _filter_reasons() -> dict[str, str]:
    return {
        "invalidargs": QCoreApplication.translate(
            "Words", "%1: the scan process has settings the scan server cannot use. Please tell your administrator."
        ),
        "outofdiskspace": QCoreApplication.translate(
            "Words", "%1: there is no space left. Please tell your administrator."
        ),
        "fileshareoutofdiskspace": QCoreApplication.translate(
            "Words", "%1: there is no space left. Please tell your administrator."
        ),
        "sharepointoutofdiskspace": QCoreApplication.translate(
            "Words", "%1: there is no space left. Please tell your administrator."
        ),
        "serveroutofmemory": QCoreApplication.translate(
            "Words", "%1: the scan server was overloaded. Resend the job later from My jobs."
        ),
        "fileshareaccessdenied": QCoreApplication.translate(
            "Words", "%1: the scan server may not save there. Please tell your administrator."
        ),
        "sharepointaccessdenied": QCoreApplication.translate(
            "Words", "%1: the scan server may not save there. Please tell your administrator."
        ),
        "invalidsmtpserver": QCoreApplication.translate(
            "Words", "%1: the mail server is not set up correctly. Please tell your administrator."
        ),
        "unabletosendemail": QCoreApplication.translate(
            "Words", "%1: the message could not be sent. Resend the job later from My jobs."
        ),
        "canceled": QCoreApplication.translate("Words", "%1: delivery was cancelled on the scan server."),
        "completedwithwarnings": QCoreApplication.translate("Words", "%1: delivered with a warning."),
    }


def reason_text(code: str) -> str:
    """A sentence for one reason code from ui.backend.reasons(); never the code itself."""
    key = code.strip().lower()
    job = _job_reasons()
    if key in job:
        return job[key]
    if ":" in key and not key.startswith("kiosk:"):
        where, _, what = key.partition(":")
        destination = _destinations().get(where, _destinations()["other"])
        sentence = _filter_reasons().get(what.rpartition(":")[2]) or QCoreApplication.translate(
            "Words", "%1: delivery failed. Resend the job from My jobs, or tell your administrator."
        )
        return sentence.replace("%1", destination)
    return QCoreApplication.translate(
        "Words", "The scan server reported a problem. Resend the job from My jobs, or tell your administrator."
    )


def reasons_text(codes: tuple[str, ...] | list[str]) -> str:
    """One line per distinct sentence."""
    lines: list[str] = []
    for code in codes:
        line = reason_text(code)
        if line and line not in lines:
            lines.append(line)
    return "\n".join(lines)


def _errors() -> dict[str, str]:
    return {
        "error": QCoreApplication.translate("Errors", "Something went wrong. Please try again."),
        "config": QCoreApplication.translate(
            "Errors", "This scanner is not set up correctly. Please call your administrator."
        ),
        "directory": QCoreApplication.translate(
            "Errors", "Signing in is not possible right now. Please try again in a few minutes."
        ),
        "directory_config": QCoreApplication.translate(
            "Errors", "Signing in is not set up correctly. Please call your administrator."
        ),
        "directory_unavailable": QCoreApplication.translate(
            "Errors", "Signing in is not possible right now. Please try again in a few minutes."
        ),
        "directory_bind_method": QCoreApplication.translate(
            "Errors", "Signing in is not set up correctly. Please call your administrator."
        ),
        "kerberos_clock_skew": QCoreApplication.translate(
            "Errors", "This device's clock is wrong, so signing in is refused. Please call your administrator."
        ),
        "kerberos_service_unknown": QCoreApplication.translate(
            "Errors", "Signing in is not set up correctly. Please call your administrator."
        ),
        "account_revoked": QCoreApplication.translate(
            "Errors", "Your account is disabled, expired or locked. Please call your administrator."
        ),
        "delivery.stream_stopped": QCoreApplication.translate(
            "Errors", "Sending stopped for a moment. Your documents are kept and sent again by themselves."
        ),
        "directory_tls": QCoreApplication.translate(
            "Errors", "Signing in is not set up correctly. Please call your administrator."
        ),
        "invalid_credentials": QCoreApplication.translate("Errors", "Wrong user name or password."),
        "account_locked": QCoreApplication.translate(
            "Errors", "Your account is locked. Please call your administrator."
        ),
        "account_disabled": QCoreApplication.translate(
            "Errors", "Your account is disabled. Please call your administrator."
        ),
        "account_expired": QCoreApplication.translate(
            "Errors", "Your account has expired. Please call your administrator."
        ),
        "password_expired": QCoreApplication.translate(
            "Errors", "Your password has expired or must be changed. Please change it at a computer first."
        ),
        "account_restricted": QCoreApplication.translate(
            "Errors", "Your account may not sign in here or at this time."
        ),
        "user_not_found": QCoreApplication.translate(
            "Errors", "Your account could not be read. Please call your administrator."
        ),
        "user_has_no_sid": QCoreApplication.translate(
            "Errors", "Your account cannot receive scans. Please call your administrator."
        ),
        "directory_read": QCoreApplication.translate(
            "Errors", "Your scan processes could not be read. Please try again."
        ),
        "badge_refused": QCoreApplication.translate(
            "Errors", "A badge alone cannot sign you in here. Please enter your password."
        ),
        "badge": QCoreApplication.translate(
            "Errors", "This badge is not recognised. Please sign in with your user name."
        ),
        "not_signed_in": QCoreApplication.translate("Errors", "Please sign in first."),
        "scanner": QCoreApplication.translate("Errors", "The scanner reported a problem. Please try again."),
        "scanner.feeder_empty": QCoreApplication.translate(
            "Errors", "The feeder is empty. Put your pages in and try again."
        ),
        "scanner.jammed": QCoreApplication.translate(
            "Errors", "Paper jam. Open the scanner, take out the paper and try again."
        ),
        "scanner.cover_open": QCoreApplication.translate(
            "Errors", "The scanner's cover is open. Close it and try again."
        ),
        "scanner.busy": QCoreApplication.translate("Errors", "The scanner is busy. Wait a moment and try again."),
        "scanner.io_error": QCoreApplication.translate("Errors", "The scanner stopped answering. Please try again."),
        "scanner.access_denied": QCoreApplication.translate(
            "Errors", "This panel may not use the scanner. Please call your administrator."
        ),
        "scanner.no_memory": QCoreApplication.translate(
            "Errors", "The scanner ran out of memory. Try a lower resolution or fewer pages."
        ),
        "scanner.gone": QCoreApplication.translate(
            "Errors", "The scanner is not connected. Check its cable and power."
        ),
        "scanner.cancelled": QCoreApplication.translate("Errors", "The scan was cancelled."),
        "scanner.ticket": QCoreApplication.translate(
            "Errors", "This scanner cannot scan the way this scan process requires. Please tell your administrator."
        ),
        "imaging.format": QCoreApplication.translate(
            "Errors", "This scan process asks for a file type this panel cannot make. Please tell your administrator."
        ),
        "delivery": QCoreApplication.translate(
            "Errors", "The scan server cannot be reached. Your documents are kept and sent when it answers."
        ),
        "spool": QCoreApplication.translate(
            "Errors", "This panel cannot do that with the job right now. Please try again later."
        ),
        "psp": QCoreApplication.translate("Errors", "A scan process is not valid. Please tell your administrator."),
        "setting-locked": QCoreApplication.translate(
            "Errors", "This scan process does not let you change that setting."
        ),
        "job_not_completed": QCoreApplication.translate("Errors", "The job did not finish."),
    }


def error_codes() -> frozenset[str]:
    return frozenset(_errors())


def error_text(error: BaseException | None) -> str:
    """The translated sentence for a kiosk error, by its stable `.code` (then its classes' codes)."""
    if error is None:
        return ""
    texts = _errors()
    code = getattr(error, "code", None)
    if code in texts:
        return texts[code]
    for cls in type(error).__mro__:
        inherited = getattr(cls, "code", None)
        if isinstance(inherited, str) and inherited in texts:
            return texts[inherited]
    return texts["error"]
