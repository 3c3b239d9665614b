"""One error hierarchy for the whole kiosk.

Every error carries a short message the panel can show (`user_message`, translatable, never a
password or a stack trace) and a detailed one for the log (`str(error)`). The UI maps each class
to a screen; the CLI maps each class to an exit code and a JSON error.
"""

from __future__ import annotations


class KioskError(Exception):
    """Base of all expected failures. `str()` is the log message; `user_message` is for the panel."""

    #: Short, user-facing default; subclasses and instances may override.
    default_user_message = "Something went wrong."
    #: CLI exit status for this class of failure.
    exit_code = 1
    #: Stable machine-readable kind, used in JSON output and to pick a UI screen.
    code = "error"

    def __init__(self, detail: str, *, user_message: str | None = None) -> None:
        super().__init__(detail)
        self.user_message = user_message or self.default_user_message

    def to_json(self) -> dict[str, str]:
        return {"error": self.code, "message": self.user_message, "detail": str(self)}


class ConfigError(KioskError):
    default_user_message = "The kiosk is not configured correctly. Please call your administrator."
    exit_code = 2
    code = "config"


class DirectoryError(KioskError):
    default_user_message = "The directory could not be reached."
    exit_code = 3
    code = "directory"


class ScannerError(KioskError):
    default_user_message = "The scanner reported a problem."
    exit_code = 4
    code = "scanner"


class DeliveryError(KioskError):
    """A failure talking to the scan server. `retryable` says whether the same request may succeed later."""

    default_user_message = "The scan server could not be reached."
    exit_code = 5
    code = "delivery"

    def __init__(self, detail: str, *, retryable: bool, user_message: str | None = None) -> None:
        super().__init__(detail, user_message=user_message)
        self.retryable = retryable


class SpoolError(KioskError):
    default_user_message = "The kiosk cannot store scanned pages right now."
    exit_code = 6
    code = "spool"
