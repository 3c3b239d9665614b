"""`dsm-scan-server enroll REQUEST_OR_CERT`: admit a device.

A PEM certificate signing request (from `dsm-kiosk enroll`) is signed with the device CA
([tls] client_ca and [devices] ca_key) into a TLS client certificate; a PEM certificate is
taken as it is. Either way the certificate's SHA-256 fingerprint is printed, the value for
[devices] fingerprints; `--add` appends it to [devices] fingerprints_file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from dsm_server import config as server_config
from dsm_server.serve import fingerprint
from kiosk.errors import ConfigError, KioskError


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dsm-scan-server enroll", description="Admit a device to the scan server.")
    parser.add_argument("request", help="the device's PEM certificate signing request, or its PEM certificate")
    parser.add_argument("--config", help="server TOML file")
    parser.add_argument("--out", help="where the signed certificate goes (default: beside the request, .pem)")
    parser.add_argument("--days", type=int, default=825, help="validity of the signed certificate (1-3650)")
    parser.add_argument("--add", action="store_true", help="append the fingerprint to [devices] fingerprints_file")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    try:
        result = enroll(args)
    except KioskError as exc:
        print(f"dsm-scan-server enroll: {exc}", file=sys.stderr)
        return exc.exit_code
    if args.json:
        print(json.dumps(result))
    else:
        print(f"device:      {result['subject']}")
        print(f"certificate: {result['certificate']}")
        print(f"fingerprint: SHA256 {result['fingerprint']}")
        if result["added_to"]:
            print(f"added to:    {result['added_to']}")
    return 0


def _config(path: str | None) -> server_config.ServerConfig:
    if path:
        return server_config.load(path)
    # Without a file only a certificate's fingerprint can be printed.
    return server_config.parse({})


def enroll(args: argparse.Namespace) -> dict:
    if not 1 <= args.days <= 3650:
        raise ConfigError("--days must be between 1 and 3650")
    cfg = _config(args.config)
    source = Path(args.request)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{source}: {exc.strerror or exc}") from None
    if b"-----BEGIN CERTIFICATE-----" in data:
        try:
            cert = x509.load_pem_x509_certificate(data)
        except ValueError as exc:
            raise ConfigError(f"{source}: not a PEM certificate: {exc}") from None
        out = source
    else:
        cert = _sign(cfg, source, data, args.days)
        out = Path(args.out) if args.out else source.with_suffix(".pem")
        out.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    der = cert.public_bytes(serialization.Encoding.DER)
    fp = fingerprint(der)
    added = ""
    if args.add:
        if not cfg.devices.fingerprints_file:
            raise ConfigError("--add needs [devices] fingerprints_file in the server configuration")
        target = cfg.path(cfg.devices.fingerprints_file)
        with target.open("a", encoding="utf-8") as fh:
            fh.write(f"{fp}  # {cert.subject.rfc4514_string()} enrolled {dt.datetime.now(dt.UTC):%Y-%m-%d}\n")
        added = str(target)
    return {"subject": cert.subject.rfc4514_string(), "certificate": str(out), "fingerprint": fp, "added_to": added}


def _sign(cfg: server_config.ServerConfig, source: Path, data: bytes, days: int) -> x509.Certificate:
    try:
        csr = x509.load_pem_x509_csr(data)
    except ValueError as exc:
        raise ConfigError(f"{source}: neither a PEM certificate nor a PEM certificate signing request: {exc}") from None
    if not csr.is_signature_valid:
        raise ConfigError(f"{source}: the request's signature is not valid")
    if not (cfg.tls.client_ca and cfg.devices.ca_key):
        raise ConfigError("signing a request needs [tls] client_ca and [devices] ca_key in the server configuration")
    try:
        ca = x509.load_pem_x509_certificate(cfg.path(cfg.tls.client_ca).read_bytes())
        ca_key = serialization.load_pem_private_key(cfg.path(cfg.devices.ca_key).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ConfigError(f"the device CA cannot be loaded: {exc}") from None
    if not isinstance(ca_key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey):
        raise ConfigError(f"the device CA key is a {type(ca_key).__name__}, which cannot sign (use EC, RSA or Ed25519)")
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(csr.subject)
        .issuer_name(ca.subject)
        .public_key(csr.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
