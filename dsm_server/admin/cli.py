"""`dsm-admin`: scan processes in AD/LDAP or the standalone file, from the command line.

    dsm-admin [--config kiosk.toml] [--admin NAME] [--json] list | show | create | edit | delete |
              grant | revoke | export | import | principals

The directory comes from the kiosk's own [directory] settings; for AD/LDAP the administrator
binds as the kiosk binds users (a UPN by default) over LDAPS or StartTLS. The password comes from
--password-file, $DSM_ADMIN_PASSWORD or a prompt — never from the command line.
"""

from __future__ import annotations

import argparse
import difflib
import getpass
import json
import os
import sys
import tomllib
import uuid
from pathlib import Path
from typing import Any

from dsm_server.admin import spec as specs
from dsm_server.admin.errors import AdminError, InvalidProcess
from dsm_server.admin.stores import ProcessStore, StoredProcess, open_store
from kiosk import config as kiosk_config
from kiosk.directory.identifiers import guid_text
from kiosk.errors import ConfigError, KioskError
from kiosk.psp.parser import PspError, parse_process

#: Flag name → ProcessSpec field, for create and edit.
_SPEC_FLAGS = {
    "repository": "repository",
    "server_name": "server_name",
    "job_name": "job_name",
    "document_name": "document_name",
    "format": "format",
    "source": "source",
    "color": "color",
    "resolution": "resolution",
    "size": "input_size",
    "content_type": "content_type",
    "images": "images_to_transfer",
    "share": "shares",
    "email": "emails",
    "sharepoint": "sharepoint_sites",
}
_LOCKABLE = ("format", "source", "color", "resolution")


def _flag(value: str) -> bool:
    if value.lower() in ("yes", "true", "on", "1"):
        return True
    if value.lower() in ("no", "false", "off", "0"):
        return False
    raise argparse.ArgumentTypeError(f"{value!r} is not yes or no")


def _spec_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("scan process")
    g.add_argument("--repository", help="psp:ScanRepository: the scan server's host name")
    g.add_argument("--server-name", help="the object's serverName (default: the repository)")
    g.add_argument("--job-name", help="wscn:JobName (default: the process name)")
    g.add_argument("--document-name", help="psp:DocumentRootName: how the server names the documents")
    g.add_argument("--format", help=f"document format: {', '.join(specs.FORMATS)}")
    g.add_argument("--source", choices=[*specs.SOURCES, ""], help="InputSource ('' leaves it to the user)")
    g.add_argument("--color", help="ColorProcessing: BlackAndWhite1, Grayscale8, RGB24, …")
    g.add_argument("--resolution", type=int, help="dots per inch (0: absent)")
    g.add_argument("--size", help=f"InputSize: auto, {', '.join(specs.MEDIA_SIZES)} or WxH in 1/1000 inch")
    g.add_argument("--content-type", help="ContentType: Auto, Text, Photo, Halftone, Mixed")
    g.add_argument("--images", type=int, help="ImagesToTransfer (0: the whole feeder)")
    g.add_argument("--lock", action="append", default=None, help=f"MustHonor: {', '.join(_LOCKABLE)} (repeatable)")
    g.add_argument("--unlock", action="append", default=None, help="drop MustHonor from a setting (repeatable)")
    d = p.add_argument_group("destination")
    d.add_argument("--share", action="append", help=r"file share \\server\share\folder (repeatable)")
    d.add_argument("--email", action="append", help="e-mail recipient (repeatable)")
    d.add_argument("--can-add-addresses", type=_flag, metavar="yes|no", help="the user may add recipients")
    d.add_argument("--send-to-scan-user", type=_flag, metavar="yes|no", help="mail the documents to the user")
    d.add_argument("--sharepoint", action="append", help="SharePoint site URL (repeatable)")
    d.add_argument("--no-share", action="store_true", help="remove every file share")
    d.add_argument("--no-email", action="store_true", help="remove every e-mail recipient")
    d.add_argument("--no-sharepoint", action="store_true", help="remove every SharePoint site")
    d.add_argument("--continue-on-error", type=_flag, metavar="yes|no", help="psp:ContinueOnError")


def _spec_changes(args: argparse.Namespace) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for flag, name in _SPEC_FLAGS.items():
        value = getattr(args, flag, None)
        if value is not None:
            changes[name] = value
    for flag in ("can_add_addresses", "send_to_scan_user", "continue_on_error"):
        if getattr(args, flag, None) is not None:
            changes[flag] = getattr(args, flag)
    for flag, name in (("no_share", "shares"), ("no_email", "emails"), ("no_sharepoint", "sharepoint_sites")):
        if getattr(args, flag, False):
            changes[name] = [*changes.get(name, [])] if name in changes else []
    for names, locked in ((args.lock or [], True), (args.unlock or [], False)):
        for item in ",".join(names).split(","):
            if not item:
                continue
            if item not in _LOCKABLE:
                raise InvalidProcess(f"--lock/--unlock: {item!r} is not one of {', '.join(_LOCKABLE)}")
            changes[f"{item}_locked"] = locked
    return changes


def load_template(path: str) -> dict[str, Any]:
    """A built-in template by name, or a template file: ProcessSpec keys in TOML or JSON."""
    p = Path(path)
    if not p.exists() and "/" not in path and "." not in path:
        return specs.template(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"template {p}: {exc.strerror}") from None
    try:
        data = json.loads(text) if p.suffix == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"template {p}: not valid {'JSON' if p.suffix == '.json' else 'TOML'}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"template {p}: not a table of settings")
    return data


class Output:
    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def emit(self, data: Any, text: str) -> None:
        if self.as_json:
            print(json.dumps(data, indent=2, ensure_ascii=False))
        elif text:
            print(text)


def _describe(p: StoredProcess) -> str:
    who = ["every signed-in user"] if p.everyone else []
    who += [f"{r.name} ({r.kind}{', ' + r.sid if r.sid else ''})" for r in p.readers]
    lines = [
        f"name:        {p.name}",
        f"identifier:  {p.identifier}",
        f"server name: {p.server_name or '-'}",
        f"object:      {p.dn}",
        f"readers:     {'; '.join(who) or 'nobody (only the directory rules decide)'}",
        f"state:       {'usable' if not p.problem else 'NOT usable: ' + p.problem}",
    ]
    if not p.problem:
        try:
            process = parse_process(p.xml, display_name=p.name, identifier=p.identifier)
            s = specs.from_process(process)
            dest = [*s.shares, *s.emails, *s.sharepoint_sites] + (
                ["the scan user's mail"] if s.send_to_scan_user else []
            )
            locked = [k for k in _LOCKABLE if getattr(s, f"{k}_locked")]
            lines += [
                f"repository:  {s.repository}",
                f"ticket:      {s.format or '-'}, {s.source or 'any source'}, {s.color or '-'}, "
                f"{s.resolution or '-'} dpi; locked: {', '.join(locked) or 'nothing'}",
                f"destination: {'; '.join(dest)}",
                f"documents:   {s.document_name}",
            ]
        except (PspError, InvalidProcess):
            pass
    return "\n".join(lines)


def _password(args: argparse.Namespace) -> str:
    if args.password_file:
        try:
            return Path(args.password_file).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise ConfigError(f"--password-file {args.password_file}: {exc.strerror}") from None
    if os.environ.get("DSM_ADMIN_PASSWORD"):
        return os.environ["DSM_ADMIN_PASSWORD"]
    if sys.stdin.isatty():
        return getpass.getpass(f"Password for {args.admin}: ")
    return ""


def _store(args: argparse.Namespace) -> ProcessStore:
    settings = kiosk_config.load(args.config)
    admin = args.admin or os.environ.get("DSM_ADMIN_USER", "")
    if settings.directory.backend == "local":
        return open_store(settings)
    args.admin = admin
    return open_store(settings, admin=admin, password=_password(args), allow_plain=args.allow_plain_ldap)


def _diff(old: str, new: str, name: str) -> str:
    def pretty(xml: str) -> list[str]:
        from lxml import etree

        try:
            root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
            return etree.tostring(root, pretty_print=True, encoding="unicode").splitlines(keepends=True)
        except etree.XMLSyntaxError:
            return xml.splitlines(keepends=True)

    return "".join(difflib.unified_diff(pretty(old), pretty(new), f"{name} (directory)", f"{name} (new)"))


def cmd_list(store: ProcessStore, args, out: Output) -> int:
    processes = store.processes()
    rows = [
        f"{p.name:<32} {p.identifier:<36} {'everyone' if p.everyone else len(p.readers)!s:>8}  "
        f"{'ok' if not p.problem else 'NOT USABLE'}"
        for p in processes
    ]
    header = f"{'NAME':<32} {'IDENTIFIER':<36} {'READERS':>8}  STATE"
    out.emit({"processes": [p.to_json() for p in processes]}, "\n".join([header, *rows]))
    return 0


def cmd_show(store: ProcessStore, args, out: Output) -> int:
    p = store.get(args.process)
    out.emit(p.to_json(with_xml=True), p.xml if args.xml else _describe(p))
    return 0


def cmd_create(store: ProcessStore, args, out: Output) -> int:
    data: dict[str, Any] = {}
    if args.template:
        data.update(load_template(args.template))
    if args.copy_of:
        source = store.get(args.copy_of)
        copied = specs.from_process(parse_process(source.xml, display_name=source.name, identifier=source.identifier))
        data.update(copied.model_dump(exclude={"name", "identifier"}))
    data.update(_spec_changes(args))
    data["name"] = args.name
    if args.identifier:
        data["identifier"] = args.identifier
    spec, xml, process = specs.build(specs.make_spec(data))
    server_name = spec.server_name or spec.repository
    if args.dry_run:
        out.emit({"dry_run": True, "name": spec.name, "identifier": spec.identifier, "xml": xml}, xml)
        return 0
    stored = store.create(spec.name, spec.identifier, server_name, xml)
    out.emit({"created": stored.to_json(with_xml=True)}, f"created {stored.name} ({stored.identifier}) at {stored.dn}")
    return 0


def cmd_edit(store: ProcessStore, args, out: Output) -> int:
    current = store.get(args.process)
    if args.xml_file:
        xml = _read_xml(args.xml_file)
        changes = _spec_changes(args)
        if changes:
            raise InvalidProcess("--xml replaces the whole document; give no ticket or destination flags with it")
        server_name = args.server_name
    else:
        if current.problem:
            raise InvalidProcess(f"{current.name} cannot be read ({current.problem}); replace it with --xml")
        process = parse_process(current.xml, display_name=current.name, identifier=current.identifier)
        lost = specs.unmodelled(process)
        if lost and not args.drop_unknown:
            raise InvalidProcess(
                f"{current.name} holds settings the flags cannot keep ({', '.join(lost)}); "
                "edit the XML (export, change, edit --xml) or pass --drop-unknown"
            )
        data = specs.from_process(process).model_dump() | _spec_changes(args)
        # The GUID stays: kiosks and the scan server's journal know the process by it.
        data["identifier"] = current.identifier
        data["name"] = args.rename or current.name
        spec, xml, _ = specs.build(specs.make_spec(data))
        server_name = args.server_name
    new_name = args.rename or None
    diff = _diff(current.xml, xml, current.name)
    if args.dry_run or not diff and not new_name and server_name is None:
        out.emit({"dry_run": args.dry_run, "changed": bool(diff), "diff": diff}, diff or "no change")
        return 0
    stored = store.update(current.identifier, xml, server_name=server_name, new_name=new_name)
    out.emit({"updated": stored.to_json(with_xml=True), "diff": diff}, (diff or "") + f"updated {stored.name}")
    return 0


def cmd_delete(store: ProcessStore, args, out: Output) -> int:
    current = store.get(args.process)
    if not args.yes:
        if out.as_json or not sys.stdin.isatty():
            raise AdminError(f"deleting {current.name} needs --yes", user_message="Deleting needs --yes.")
        answer = input(f"Delete {current.name} ({current.identifier}) from {store.where}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("not deleted")
            return 1
    store.delete(current.identifier)
    out.emit({"deleted": current.to_json()}, f"deleted {current.name} ({current.identifier})")
    return 0


def cmd_grant(store: ProcessStore, args, out: Output) -> int:
    method = store.grant if args.command == "grant" else store.revoke
    stored = method(args.process, args.principals)
    out.emit({"process": stored.to_json()}, _describe(stored))
    return 0


def cmd_export(store: ProcessStore, args, out: Output) -> int:
    current = store.get(args.process)
    if args.output:
        Path(args.output).write_text(current.xml, encoding="utf-8")
        out.emit({"exported": current.to_json(), "file": args.output}, f"wrote {args.output}")
    else:
        out.emit(current.to_json(with_xml=True), current.xml)
    return 0


def _read_xml(path: str) -> str:
    try:
        return sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidProcess(f"{path}: cannot be read: {exc}") from None


def cmd_import(store: ProcessStore, args, out: Output) -> int:
    xml = _read_xml(args.file)
    identifier = guid_text(uuid.UUID(args.identifier) if args.identifier else uuid.uuid4())
    process = specs.check_document(xml, name=args.name, identifier=identifier)
    server_name = args.server_name if args.server_name is not None else process.scan_repository
    stored = store.create(args.name, identifier, server_name, xml)
    out.emit({"created": stored.to_json(with_xml=True)}, f"imported {stored.name} ({stored.identifier})")
    return 0


def cmd_templates(store: ProcessStore | None, args, out: Output) -> int:
    known = specs.templates()
    out.emit(
        {"templates": known},
        "\n".join(f"{name:<16} {data.get('description', '')}" for name, data in known.items()),
    )
    return 0


def cmd_principals(store: ProcessStore, args, out: Output) -> int:
    found = store.find_principals(args.text)
    out.emit(
        {"principals": [{"name": p.name, "sid": p.sid, "kind": p.kind, "dn": p.dn} for p in found]},
        "\n".join(f"{p.kind:<6} {p.name:<24} {p.sid}" for p in found) or "nobody found",
    )
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dsm-admin", description="Manage DSM scan processes without Windows Server.")
    p.add_argument("--config", help="the kiosk's configuration ([directory] section); default as dsm-kiosk")
    p.add_argument("--admin", help="administrator to bind as (login, UPN or DN; or $DSM_ADMIN_USER)")
    p.add_argument("--password-file", help="file holding the administrator's password (else $DSM_ADMIN_PASSWORD)")
    p.add_argument("--allow-plain-ldap", action="store_true", help="bind without TLS (test directories only)")
    p.add_argument("--json", action="store_true", help="machine-readable output, errors included")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="every scan process, with who may use it").set_defaults(run=cmd_list)
    s = sub.add_parser("show", help="one process (by name or GUID)")
    s.add_argument("process")
    s.add_argument("--xml", action="store_true", help="print the psp:PostScanProcess document")
    s.set_defaults(run=cmd_show)
    c = sub.add_parser("create", help="a new process from a template and/or flags")
    c.add_argument("--name", required=True, help="displayName shown on the panel")
    c.add_argument("--identifier", help="GUID (default: a new one)")
    c.add_argument("--template", help="a built-in template (see `templates`) or a TOML/JSON file; flags override it")
    c.add_argument("--copy-of", help="start from an existing process's settings")
    c.add_argument("--dry-run", action="store_true", help="print the document, write nothing")
    _spec_arguments(c)
    c.set_defaults(run=cmd_create)
    e = sub.add_parser("edit", help="change a process (shows the diff, keeps the GUID)")
    e.add_argument("process")
    e.add_argument("--rename", help="new display name")
    e.add_argument("--xml", dest="xml_file", help="replace the document with this file ('-': stdin)")
    e.add_argument("--drop-unknown", action="store_true", help="allow dropping settings the flags cannot express")
    e.add_argument("--dry-run", action="store_true", help="show the diff only")
    _spec_arguments(e)
    e.set_defaults(run=cmd_edit)
    d = sub.add_parser("delete", help="remove a process")
    d.add_argument("process")
    d.add_argument("--yes", action="store_true", help="do not ask")
    d.set_defaults(run=cmd_delete)
    for name, text in (("grant", "let users or groups use a process"), ("revoke", "take it away again")):
        g = sub.add_parser(name, help=text)
        g.add_argument("process")
        g.add_argument("principals", nargs="+", help="logins, group names, UPNs, SIDs, or 'everyone'")
        g.set_defaults(run=cmd_grant)
    x = sub.add_parser("export", help="write a process's PSP XML")
    x.add_argument("process")
    x.add_argument("-o", "--output", help="file (default: stdout)")
    x.set_defaults(run=cmd_export)
    i = sub.add_parser("import", help="create a process from a PSP XML file")
    i.add_argument("file", help="psp:PostScanProcess document ('-': stdin)")
    i.add_argument("--name", required=True)
    i.add_argument("--identifier", help="GUID (default: a new one)")
    i.add_argument("--server-name", help="serverName (default: the document's ScanRepository)")
    i.set_defaults(run=cmd_import)
    sub.add_parser("templates", help="the built-in templates for create").set_defaults(run=cmd_templates, local=True)
    f = sub.add_parser("principals", help="find users and groups to grant to")
    f.add_argument("text")
    f.set_defaults(run=cmd_principals)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    out = Output(args.json)
    try:
        if getattr(args, "local", False):
            return args.run(None, args, out)
        with _store(args) as store:
            return args.run(store, args, out)
    except KioskError as exc:
        if args.json:
            print(json.dumps(exc.to_json(), indent=2, ensure_ascii=False))
        else:
            print(f"dsm-admin: {exc}", file=sys.stderr)
        return exc.exit_code
    except ValueError as exc:  # a GUID or SID typed wrongly
        error = InvalidProcess(str(exc), user_message=str(exc))
        if args.json:
            print(json.dumps(error.to_json(), indent=2))
        else:
            print(f"dsm-admin: {exc}", file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())
