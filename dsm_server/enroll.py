"""`dsm-scan-server enroll REQUEST_OR_CERT`: admit a device; `--revoke CERT`: shut it out.

A PEM certificate signing request (from `dsm-kiosk enroll`) is signed with the device CA
([tls] client_ca and [devices] ca_key) into a TLS client certificate; a PEM certificate is
taken as it is. Either way the certificate's SHA-256 fingerprint is printed, the value for
[devices] fingerprints; `--add` appends it to [devices] fingerprints_file.

`--revoke` adds the certificate to the device CA's revocation list ([tls] client_crl, signed
with [devices] ca_key, earlier entries kept; the running server reads it again at its next
connection, and the device fails the handshake) and drops its fingerprint from
fingerprints_file. The list is valid for ten years: nothing publishes it, so an expiry would
only shut every device out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from dsm_server import config as server_config
from dsm_server.config import normal_fingerprint
from dsm_server.serve import fingerprint
from kiosk.durable import write_durably
from kiosk.errors import ConfigError, KioskError


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dsm-scan-server enroll", description="Admit a device to the scan server.")
    parser.add_argument("request", help="the device's PEM certificate signing request, or its PEM certificate")
    parser.add_argument("--config", help="server TOML file")
    parser.add_argument("--out", help="where the signed certificate goes (default: beside the request, .pem)")
    parser.add_argument("--days", type=int, default=825, help="validity of the signed certificate (1-3650)")
    parser.add_argument("--add", action="store_true", help="append the fingerprint to [devices] fingerprints_file")
    parser.add_argument(
        "--revoke", action="store_true", help="revoke this certificate: add it to [tls] client_crl (and off the list)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    try:
        result = revoke(args) if args.revoke else enroll(args)
    except KioskError as exc:
        print(f"dsm-scan-server enroll: {exc}", file=sys.stderr)
        return exc.exit_code
    if args.json:
        print(json.dumps(result))
    elif args.revoke:
        print(f"revoked:     {result['subject']} (serial {result['serial']})")
        print(f"fingerprint: SHA256 {result['fingerprint']}")
        print(f"list:        {result['crl']} ({result['revoked']} revoked)")
        if result["removed_from"]:
            print(f"removed from: {result['removed_from']}")
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


#: How long a revocation list is valid (see the module's docstring).
CRL_DAYS = 3650


def revoke(args: argparse.Namespace) -> dict:
    cfg = _config(args.config)
    source = Path(args.request)
    try:
        cert = x509.load_pem_x509_certificate(source.read_bytes())
    except OSError as exc:
        raise ConfigError(f"{source}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ConfigError(f"{source}: --revoke takes the device's PEM certificate: {exc}") from None
    if not cfg.tls.client_crl:
        raise ConfigError(
            "--revoke needs [tls] client_crl (where the revocation list goes) in the server configuration"
        )
    ca, ca_key = _device_ca(cfg)
    if cert.issuer != ca.subject:
        raise ConfigError(f"{source}: issued by {cert.issuer.rfc4514_string()}, not by the device CA")
    target = cfg.path(cfg.tls.client_crl)
    entries: list[x509.RevokedCertificate] = []
    if target.exists():
        try:
            old = x509.load_pem_x509_crl(target.read_bytes())
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{target}: the revocation list cannot be read: {exc}") from None
        if not old.is_signature_valid(ca.public_key()):  # type: ignore[arg-type]
            raise ConfigError(f"{target}: not signed by the device CA")
        entries = [e for e in old if e.serial_number != cert.serial_number]
    now = dt.datetime.now(dt.UTC)
    entries.append(x509.RevokedCertificateBuilder().serial_number(cert.serial_number).revocation_date(now).build())
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.subject)
        .last_update(now - dt.timedelta(minutes=5))
        .next_update(now + dt.timedelta(days=CRL_DAYS))
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    for entry in entries:
        builder = builder.add_revoked_certificate(entry)
    crl = builder.sign(ca_key, None if isinstance(ca_key, ed25519.Ed25519PrivateKey) else hashes.SHA256())
    write_durably(target, lambda fh: fh.write(crl.public_bytes(serialization.Encoding.PEM)), mode=0o644)
    fp = fingerprint(cert.public_bytes(serialization.Encoding.DER))
    removed = ""
    if cfg.devices.fingerprints_file:
        listed = cfg.path(cfg.devices.fingerprints_file)
        try:
            lines = listed.read_text(encoding="utf-8").splitlines(keepends=True)
        except FileNotFoundError:
            lines = []
        kept = [line for line in lines if normal_fingerprint(line.split("#", 1)[0]) != fp]
        if len(kept) != len(lines):
            write_durably(listed, lambda fh: fh.write("".join(kept).encode()))
            removed = str(listed)
    return {
        "subject": cert.subject.rfc4514_string(),
        "serial": format(cert.serial_number, "x"),
        "fingerprint": fp,
        "crl": str(target),
        "revoked": len(entries),
        "removed_from": removed,
    }


def _device_ca(cfg: server_config.ServerConfig) -> tuple[x509.Certificate, Any]:
    if not (cfg.tls.client_ca and cfg.devices.ca_key):
        raise ConfigError("this needs [tls] client_ca and [devices] ca_key in the server configuration")
    try:
        ca = x509.load_pem_x509_certificate(cfg.path(cfg.tls.client_ca).read_bytes())
        ca_key = serialization.load_pem_private_key(cfg.path(cfg.devices.ca_key).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ConfigError(f"the device CA cannot be loaded: {exc}") from None
    if not isinstance(ca_key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey):
        raise ConfigError(f"the device CA key is a {type(ca_key).__name__}, which cannot sign (use EC, RSA or Ed25519)")
    return ca, ca_key


def _sign(cfg: server_config.ServerConfig, source: Path, data: bytes, days: int) -> x509.Certificate:
    try:
        csr = x509.load_pem_x509_csr(data)
    except ValueError as exc:
        raise ConfigError(f"{source}: neither a PEM certificate nor a PEM certificate signing request: {exc}") from None
    if not csr.is_signature_valid:
        raise ConfigError(f"{source}: the request's signature is not valid")
    ca, ca_key = _device_ca(cfg)
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
