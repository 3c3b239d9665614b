"""`dsm-kiosk enroll`: make this kiosk's device key and certificate signing request.

The scan server admits enrolled devices only (mutual TLS). The administrator signs the request
with `dsm-scan-server enroll device.csr`, which prints the certificate's fingerprint for the
server's allow-list; the signed certificate goes to [scan_server] client_cert.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import Settings
from kiosk.errors import ConfigError, KioskError

if TYPE_CHECKING:
    from cryptography import x509


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("enroll", help="make this kiosk's device key and certificate signing request")
    parser.add_argument(
        "--key", help="private key file (default: [scan_server] client_key, else <state_directory>/device.key)"
    )
    parser.add_argument("--csr", help="request file to write (default: beside the key, device.csr)")
    parser.add_argument("--name", default=socket.gethostname(), help="the device's name (certificate subject)")
    parser.add_argument("--new-key", action="store_true", help="replace an existing key")
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")
    parser.set_defaults(func=run)


def make_request(key_path: Path, csr_path: Path, name: str, *, new_key: bool = False) -> x509.CertificateSigningRequest:
    """The key (kept, unless new_key) and a CSR for a TLS client certificate named `name`."""
    # Imported here: every dsm-kiosk command (the worker too) builds the parser, and should start fast.
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    if key_path.exists() and not new_key:
        try:
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        except (ValueError, TypeError, OSError) as exc:
            raise KioskError(f"{key_path}: not a usable private key: {exc}") from None
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey):
            raise KioskError(f"{key_path}: a {type(key).__name__} cannot sign a request (use EC, RSA or Ed25519)")
    else:
        key = ec.generate_private_key(ec.SECP256R1())
        key_path.parent.mkdir(parents=True, exist_ok=True)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # Created 0600, then moved into place: the key is never readable by others, even briefly.
        tmp = key_path.with_name(f".{key_path.name}.new")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        os.replace(tmp, key_path)
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    csr_path.write_bytes(csr.public_bytes(serialization.Encoding.PEM))
    return csr


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not args.name or len(args.name) > 64:
        raise ConfigError("--name must have 1 to 64 characters")
    key = Path(args.key) if args.key else None
    if key is None and settings.scan_server.client_key:
        key = settings.resolve_path(settings.scan_server.client_key)
    if key is None:
        key = settings.resolve_path(settings.spool.state_directory) / "device.key"
    csr_path = Path(args.csr) if args.csr else key.with_name("device.csr")
    try:
        make_request(key, csr_path, args.name, new_key=args.new_key)
    except OSError as exc:
        raise KioskError(f"cannot write the device key or request: {exc}") from None
    result = {"key": str(key), "csr": str(csr_path), "name": args.name}
    if getattr(args, "json", False):
        print(json.dumps(result))
    else:
        print(f"device key: {key}\nrequest:    {csr_path}")
        print(
            "Next: the scan server's administrator runs `dsm-scan-server enroll "
            f"{csr_path.name}` and returns the certificate; set [scan_server] client_cert to it"
            + ("" if settings.scan_server.client_key else f" and client_key = {str(key)!r}")
            + "."
        )
    return 0
