"""Typed WS-DSP failures. `retryable` tells the spool whether the same request may succeed later."""

from __future__ import annotations

from kiosk.errors import DeliveryError


class ScanServerUnreachable(DeliveryError):
    """Connection refused or reset, timeouts, DNS: the request may not have arrived."""

    default_user_message = "The scan server could not be reached."

    def __init__(self, detail: str) -> None:
        super().__init__(detail, retryable=True)


class ScanServerBusy(DeliveryError):
    """HTTP 502/503/504 or dsp:ServerErrorTemporaryError."""

    default_user_message = "The scan server is busy; the kiosk will try again."

    def __init__(self, detail: str, *, reason: str = "") -> None:
        super().__init__(detail, retryable=True)
        self.reason = reason


class ScanServerFault(DeliveryError):
    """A permanent SOAP fault (InvalidArgs, OperationFailed, ServerErrorInternalError, …)."""

    default_user_message = "The scan server refused the documents."

    def __init__(self, detail: str, *, subcode: str, reason: str, retryable: bool = False) -> None:
        super().__init__(detail, retryable=retryable)
        self.subcode = subcode
        self.reason = reason


class InvalidArgs(ScanServerFault):
    pass


class OperationFailed(ScanServerFault):
    pass


class ServerInternalError(ScanServerFault):
    pass


class JobTokenNotFound(ScanServerFault):
    default_user_message = "The scan server no longer knows this job."


class ActionNotSupported(ScanServerFault):
    pass


class ProtocolError(DeliveryError):
    """The server answered something that is not a valid WS-DSP reply (wrong RelatesTo, Action, body)."""

    default_user_message = "The scan server gave an answer the kiosk does not understand."

    def __init__(self, detail: str, *, retryable: bool = False) -> None:
        super().__init__(detail, retryable=retryable)


class TlsError(DeliveryError):
    """Certificate verification or TLS setup failed: fixing it takes an administrator."""

    default_user_message = "The scan server's certificate is not trusted."

    def __init__(self, detail: str) -> None:
        super().__init__(detail, retryable=False)


class InsecureEndpoint(DeliveryError):
    default_user_message = "The kiosk is not allowed to use this scan server."

    def __init__(self, detail: str) -> None:
        super().__init__(detail, retryable=False)


class DiscoveryError(DeliveryError):
    """The scan server could not be found (retryable: it may come back)."""

    default_user_message = "The scan server could not be found."

    def __init__(self, detail: str, *, retryable: bool = True) -> None:
        super().__init__(detail, retryable=retryable)


class DeviceNotEnrolled(ScanServerFault):
    """The scan server does not admit this kiosk's certificate (dsmk:DeviceNotEnrolled)."""

    default_user_message = "This kiosk is not enrolled at the scan server. Please call your administrator."


class NotEntitled(ScanServerFault):
    """The user may not use the scan process there (dsmk:UserNotEntitled)."""

    default_user_message = "You are not allowed to use this scan process."


class ProcessNotFound(ScanServerFault):
    default_user_message = "The scan server does not know this scan process."


class NotPermitted(ScanServerFault):
    """The device changed what the process does not let it change (dsmk:NotPermitted)."""

    default_user_message = "The scan process does not allow this change."


class JobTooLarge(ScanServerFault):
    default_user_message = "The job is larger than the scan server accepts."


#: Fault subcode local name → error class. ServerErrorTemporaryError maps to ScanServerBusy.
FAULT_CLASSES: dict[str, type[ScanServerFault]] = {
    "InvalidArgs": InvalidArgs,
    "OperationFailed": OperationFailed,
    "ServerErrorInternalError": ServerInternalError,
    "ClientErrorJobTokenNotFound": JobTokenNotFound,
    "EndpointUnavailable": JobTokenNotFound,
    "ActionNotSupported": ActionNotSupported,
    # The reference server's own subcodes (namespace urn:dsm-kiosk:scan-server).
    "DeviceNotEnrolled": DeviceNotEnrolled,
    "UserNotEntitled": NotEntitled,
    "ProcessNotFound": ProcessNotFound,
    "NotPermitted": NotPermitted,
    "JobTooLarge": JobTooLarge,
}
