"""Password hashes for the standalone directory, made with hashlib's standard KDFs.

Formats (all fields base64 without padding where binary):
  scrypt$<log2 n>$<r>$<p>$<salt>$<hash>          (default; memory-hard)
  pbkdf2-sha256$<iterations>$<salt>$<hash>
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

SCRYPT_LOG2_N = 14
SCRYPT_R = 8
SCRYPT_P = 1
PBKDF2_ITERATIONS = 600_000
_KEY_BYTES = 32
# Bounds keep a hostile directory file from making one sign-in take minutes or gigabytes.
_MAX_LOG2_N = 20
_MAX_ITERATIONS = 5_000_000


class HashFormatError(ValueError):
    """The stored hash is not one this module makes."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except ValueError:
        raise HashFormatError("not base64") from None


def hash_password(password: str, kdf: str = "scrypt") -> str:
    salt = os.urandom(16)
    secret = password.encode("utf-8")
    if kdf == "scrypt":
        key = hashlib.scrypt(secret, salt=salt, n=2**SCRYPT_LOG2_N, r=SCRYPT_R, p=SCRYPT_P, dklen=_KEY_BYTES)
        return f"scrypt${SCRYPT_LOG2_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"
    if kdf == "pbkdf2-sha256":
        key = hashlib.pbkdf2_hmac("sha256", secret, salt, PBKDF2_ITERATIONS, _KEY_BYTES)
        return f"pbkdf2-sha256${PBKDF2_ITERATIONS}${_b64(salt)}${_b64(key)}"
    raise ValueError(f"unknown KDF {kdf!r}")


@dataclass(frozen=True)
class _Stored:
    kdf: str
    params: tuple[int, ...]
    salt: bytes
    key: bytes


def _parse(stored: str) -> _Stored:
    fields = stored.split("$")
    counts = {"scrypt": 6, "pbkdf2-sha256": 4}
    if counts.get(fields[0]) != len(fields):
        raise HashFormatError("unknown hash format")
    try:
        params = tuple(int(f) for f in fields[1:-2])
    except ValueError:
        raise HashFormatError("parameters are not numbers") from None
    if fields[0] == "scrypt" and not (1 <= params[0] <= _MAX_LOG2_N and 1 <= params[1] <= 32 and 1 <= params[2] <= 16):
        raise HashFormatError("scrypt parameters out of range")
    if fields[0] == "pbkdf2-sha256" and not 1 <= params[0] <= _MAX_ITERATIONS:
        raise HashFormatError("pbkdf2 iterations out of range")
    parsed = _Stored(fields[0], params, _unb64(fields[-2]), _unb64(fields[-1]))
    if len(parsed.key) < 16:
        raise HashFormatError("hash too short")
    return parsed


def check_hash_format(stored: str) -> None:
    """Raise HashFormatError unless `stored` could be verified."""
    _parse(stored)


def verify_password(stored: str, password: str) -> bool:
    s = _parse(stored)
    secret = password.encode("utf-8")
    if s.kdf == "scrypt":
        log2_n, r, p = s.params
        actual = hashlib.scrypt(
            secret, salt=s.salt, n=2**log2_n, r=r, p=p, dklen=len(s.key), maxmem=256 * r * 2**log2_n
        )
    else:
        actual = hashlib.pbkdf2_hmac("sha256", secret, s.salt, s.params[0], len(s.key))
    return hmac.compare_digest(s.key, actual)


#: Verified against when the user does not exist, so a wrong name costs as long as a wrong password.
DUMMY_HASH = "scrypt$14$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
