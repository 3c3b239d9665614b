"""The administrator tools' errors: each has its own code and exit status for `--json` callers."""

from __future__ import annotations

from kiosk.errors import KioskError


class AdminError(KioskError):
    default_user_message = "The change could not be made."
    exit_code = 10
    code = "admin"


class ProcessNotFound(AdminError):
    default_user_message = "There is no such scan process."
    exit_code = 11
    code = "not_found"


class DuplicateProcess(AdminError):
    default_user_message = "A scan process with this name or identifier already exists."
    exit_code = 12
    code = "duplicate"


class MissingRights(AdminError):
    default_user_message = "The administrator account may not change scan processes."
    exit_code = 13
    code = "missing_rights"


class SchemaRefused(AdminError):
    default_user_message = "The directory's schema refused the scan process."
    exit_code = 14
    code = "schema_refused"


class InvalidProcess(AdminError):
    default_user_message = "The scan process is not valid."
    exit_code = 15
    code = "invalid_process"


class PrincipalNotFound(AdminError):
    default_user_message = "No such user or group."
    exit_code = 16
    code = "principal_not_found"


class NotSupported(AdminError):
    default_user_message = "This directory cannot do that."
    exit_code = 17
    code = "not_supported"
