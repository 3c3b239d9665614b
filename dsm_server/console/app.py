"""The web console: scan processes, devices, jobs and server health, as plain server-rendered HTML.

Flask (Jinja2 autoescaping, signed session cookies) behind the scan server's own waitress; no
JavaScript. Administrators sign in with their directory password; only members of
[console] admin_group get in. Every POST carries the session's CSRF token (and a foreign Origin
is refused); cookies are HttpOnly, SameSite=Strict and Secure; a session ends after
idle_minutes without a request. Scan processes are read and written through
dsm_server.admin.stores — the same code as dsm-admin.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, abort, flash, g, redirect, render_template, request, session, url_for

from dsm_server.admin import spec as specs
from dsm_server.admin.errors import AdminError, InvalidProcess, MissingRights, ProcessNotFound
from dsm_server.admin.stores import LocalStore, ProcessStore, is_member, open_store
from dsm_server.config import ServerConfig
from dsm_server.console import health, i18n
from dsm_server.console.devices import DeviceSource, DiscoveryDevices
from dsm_server.console.journal import JournalReader
from dsm_server.console.throttle import SignInThrottle
from dsm_server.trust import Devices
from kiosk import config as kiosk_config
from kiosk.directory import open_directory
from kiosk.directory.errors import DirectoryUnavailable
from kiosk.directory.local import load_file, user_sid
from kiosk.errors import ConfigError, DirectoryError, KioskError
from kiosk.psp.parser import PspError, parse_process

log = logging.getLogger("dsm_server.console")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


def form_to_spec_data(form) -> dict:
    """The process form's fields as ProcessSpec data."""
    data = {
        "name": form.get("name", "").strip(),
        "repository": form.get("repository", "").strip(),
        "server_name": form.get("server_name", "").strip(),
        "document_name": form.get("document_name", "").strip() or "Scan",
        "format": form.get("format", ""),
        "source": form.get("source", ""),
        "color": form.get("color", ""),
        "input_size": form.get("input_size", ""),
        "shares": _lines(form.get("shares", "")),
        "emails": _lines(form.get("emails", "")),
        "sharepoint_sites": _lines(form.get("sharepoint_sites", "")),
        "can_add_addresses": form.get("can_add_addresses") == "on",
        "send_to_scan_user": form.get("send_to_scan_user") == "on",
    }
    resolution = form.get("resolution", "").strip()
    data["resolution"] = int(resolution) if resolution.isdigit() else 0
    for name in ("format", "source", "color", "resolution"):
        data[f"{name}_locked"] = form.get(f"{name}_locked") == "on"
    return data


def create_app(config: ServerConfig, *, devices: DeviceSource | None = None, secret_key: bytes | None = None) -> Flask:
    console = config.console
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key or _secret_key(config),
        SESSION_COOKIE_NAME="dsm_console",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=console.cookie_secure,
        SESSION_COOKIE_SAMESITE="Strict",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
    )
    if not console.cookie_secure:
        log.warning("console: cookie_secure is off; the session cookie may cross the network in clear")
    elif not config.tls.cert:
        log.warning(
            "console: the scan server speaks plain HTTP, so browsers keep the Secure session cookie only "
            "on http://localhost; give the server [tls] (or a TLS proxy) to reach the console from elsewhere"
        )
    kiosk_settings = kiosk_config.load(config.path(console.directory_config))
    password = ""
    if console.password_file:
        try:
            password = config.path(console.password_file).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise ConfigError(f"[console] password_file {console.password_file}: {exc.strerror}") from None

    def store_factory() -> ProcessStore:
        return open_store(
            kiosk_settings, admin=console.account, password=password, allow_plain=console.allow_plain_ldap
        )

    journal = JournalReader(config.path(config.state_dir))
    device_source = devices or DiscoveryDevices(console.probe, console.probe_timeout)
    idle = console.idle_minutes * 60
    throttle = SignInThrottle(console.sign_in_attempts, console.sign_in_lock_minutes * 60)

    def language() -> str:
        wanted = session.get("lang") or i18n.pick(request.headers.get("Accept-Language", ""))
        return wanted if wanted in i18n.LANGUAGES else "en"

    @app.context_processor
    def words():
        lang = language()
        return {
            "_": lambda key: i18n.text(lang, key),
            "reason": lambda code: i18n.reason(lang, code),
            "lang": lang,
            "languages": i18n.LANGUAGES,
            "csrf_token": session.get("csrf", ""),
            "signed_in": session.get("user"),
            "formats": specs.FORMATS,
            "sources": specs.SOURCES,
            "colors": ("BlackAndWhite1", "Grayscale8", "RGB24"),
            "sizes": ("auto", *specs.MEDIA_SIZES),
        }

    @app.before_request
    def guard():
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin and urlsplit(origin).netloc != request.host:
                abort(403)
            sent = request.form.get("csrf_token", "")
            if not hmac.compare_digest(sent.encode(), session["csrf"].encode()):
                flash(i18n.text(language(), "csrf"), "error")
                return redirect(request.url if request.endpoint != "login" else url_for("login"))
        if request.endpoint in ("login", "static", "set_language"):
            return None
        user = session.get("user")
        if not user:
            return redirect(url_for("login", next=request.full_path if request.method == "GET" else None))
        if time.time() - session.get("seen", 0) > idle:
            lang = session.get("lang")
            session.clear()
            session["csrf"] = secrets.token_urlsafe(32)
            if lang:
                session["lang"] = lang
            flash(i18n.text(language(), "expired"), "error")
            return redirect(url_for("login"))
        session["seen"] = time.time()
        g.user = user
        return None

    @app.after_request
    def headers(response):
        response.headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "no-store"
        return response

    def store() -> ProcessStore:
        if "store" not in g:
            g.store = store_factory()
        return g.store

    @app.teardown_request
    def close_store(exc):
        s = g.pop("store", None)
        if s is not None:
            s.close()

    @app.errorhandler(KioskError)
    def kiosk_error(exc: KioskError):
        log.warning("console: %s", exc)
        status = 400
        if isinstance(exc, DirectoryUnavailable):
            status = 503
        elif isinstance(exc, ProcessNotFound):
            status = 404
        elif isinstance(exc, MissingRights):
            status = 403
        return render_template("error.html", error=exc), status

    # -- sign-in

    def authenticate(username: str, password: str) -> dict | None | str:
        """The session's user, None for wrong credentials, or "not_admin"."""
        try:
            with open_directory(kiosk_settings).sign_in(username, password) as signed:
                user = signed.user
        except DirectoryUnavailable:
            raise
        except DirectoryError as exc:
            log.info("console sign-in refused for %r: %s", username, exc)
            return None
        member = is_member(store(), login=user.login, dn=user.dn, sid=user.sid, group=console.admin_group)
        if not member:
            log.warning("console: %s (%s) signed in but is not in %s", user.login, user.sid, console.admin_group)
            return "not_admin"
        return {"login": user.login, "name": user.display_name or user.login, "sid": user.sid}

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "POST":
            username = request.form.get("username", "")
            password = request.form.get("password", "")
            wait = throttle.wait(username) if username else 0
            if wait:
                log.warning("console sign-in for %r refused: too many failures (%.0f s left)", username, wait)
                flash(i18n.text(language(), "sign_in_locked").format(minutes=max(1, round(wait / 60))), "error")
                return render_template("login.html"), 429, {"Retry-After": str(round(wait))}
            try:
                result = authenticate(username, password) if username and password else None
            except DirectoryUnavailable:
                flash(i18n.text(language(), "directory_down"), "error")
                return render_template("login.html"), 503
            if result is None and username:
                throttle.failed(username)
            elif result is not None:
                throttle.succeeded(username)
            if result is None or result == "not_admin":
                flash(i18n.text(language(), "bad_sign_in" if result is None else "not_admin"), "error")
                return render_template("login.html"), 403 if result else 401
            lang = session.get("lang")
            # A new session at sign-in: nothing from before it (fixation) carries over.
            session.clear()
            session.update(user=result, seen=time.time(), csrf=secrets.token_urlsafe(32))
            if lang:
                session["lang"] = lang
            target = request.args.get("next") or ""
            if not _local_path(target):
                target = url_for("processes")
            elif request.script_root and not target.startswith(request.script_root):
                target = request.script_root + target
            return redirect(target)
        return render_template("login.html")

    @app.post("/logout")
    def logout():
        session.clear()
        return redirect(url_for("login"))

    @app.post("/language")
    def set_language():
        chosen = request.form.get("lang", "en")
        if chosen in i18n.LANGUAGES:
            session["lang"] = chosen
        back = request.form.get("back", "")
        ours = back.startswith(f"{request.script_root}/") and _local_path(back)
        return redirect(back if ours else url_for("processes"))

    # -- processes

    @app.get("/")
    def home():
        return redirect(url_for("processes"))

    @app.get("/processes")
    def processes():
        return render_template("processes.html", processes=store().processes())

    def _spec_form(spec_data: dict | None, *, errors: str = "", lost: list[str] | None = None, current=None):
        return render_template("process_form.html", data=spec_data or {}, errors=errors, lost=lost, current=current)

    @app.route("/processes/new", methods=["GET", "POST"])
    def new_process():
        if request.method == "GET":
            chosen = request.args.get("template", "")
            start = {"document_name": "Scan", "format": "pdf-a", "source": "ADF", "resolution": 300}
            if chosen in specs.templates():
                start.update(specs.template(chosen))
            return render_template(
                "process_form.html", data=start, errors="", lost=None, current=None, templates=specs.templates()
            )
        data = form_to_spec_data(request.form)
        try:
            spec, xml, _ = specs.build(specs.make_spec(data))
            created = store().create(spec.name, spec.identifier, spec.server_name or spec.repository, xml)
        except AdminError as exc:
            return _spec_form(data, errors=exc.user_message), 400
        flash(i18n.text(language(), "saved"), "info")
        return redirect(url_for("process", ref=created.identifier))

    @app.get("/processes/<ref>")
    def process(ref: str):
        current = store().get(ref)
        query = request.args.get("q", "").strip()
        found = store().find_principals(query) if query else []
        return render_template("process.html", p=current, query=query, found=found)

    @app.route("/processes/<ref>/edit", methods=["GET", "POST"])
    def edit_process(ref: str):
        current = store().get(ref)
        lost: list[str] = []
        data: dict = {}
        if not current.problem:
            parsed = parse_process(current.xml, display_name=current.name, identifier=current.identifier)
            lost = specs.unmodelled(parsed)
            data = specs.from_process(parsed).model_dump()
        if request.method == "GET":
            if current.problem:
                return redirect(url_for("edit_xml", ref=ref))
            return _spec_form(data, lost=lost, current=current)
        data = form_to_spec_data(request.form)
        if lost and request.form.get("drop_unknown") != "on":
            return _spec_form(data, lost=lost, current=current, errors=i18n.text(language(), "drop_unknown")), 400
        data["identifier"] = current.identifier
        try:
            spec, xml, _ = specs.build(specs.make_spec(data))
            store().update(
                current.identifier,
                xml,
                server_name=spec.server_name or spec.repository,
                new_name=spec.name if spec.name != current.name else None,
            )
        except AdminError as exc:
            return _spec_form(data, lost=lost, current=current, errors=exc.user_message), 400
        flash(i18n.text(language(), "saved"), "info")
        return redirect(url_for("process", ref=current.identifier))

    @app.route("/processes/<ref>/xml", methods=["GET", "POST"])
    def edit_xml(ref: str):
        current = store().get(ref)
        if request.method == "GET":
            return render_template("xml_form.html", p=current, xml=current.xml, errors="")
        xml = request.form.get("xml", "").replace("\r\n", "\n")
        try:
            store().update(current.identifier, xml)
        except (AdminError, PspError) as exc:
            message = str(exc) if isinstance(exc, InvalidProcess) else exc.user_message
            return render_template("xml_form.html", p=current, xml=xml, errors=message), 400
        flash(i18n.text(language(), "saved"), "info")
        return redirect(url_for("process", ref=current.identifier))

    @app.post("/processes/<ref>/grant")
    def grant(ref: str):
        store().grant(ref, [request.form.get("principal", "")])
        flash(i18n.text(language(), "saved"), "info")
        return redirect(url_for("process", ref=ref))

    @app.post("/processes/<ref>/revoke")
    def revoke(ref: str):
        store().revoke(ref, [request.form.get("principal", "")])
        flash(i18n.text(language(), "saved"), "info")
        return redirect(url_for("process", ref=ref))

    @app.route("/processes/<ref>/delete", methods=["GET", "POST"])
    def delete_process(ref: str):
        current = store().get(ref)
        if request.method == "GET":
            return render_template("delete.html", p=current)
        store().delete(current.identifier)
        flash(i18n.text(language(), "deleted"), "info")
        return redirect(url_for("processes"))

    # -- jobs, devices, health

    def _names_for(rows, processes) -> None:
        by_id = {p.identifier.upper(): p.name for p in processes}
        cache: dict[str, str] = {}
        s = store()
        for row in rows:
            row.process_name = by_id.get(row.psp_identifier.upper(), row.psp_identifier)
            if row.user_sid not in cache:
                cache[row.user_sid] = _user_name(s, row.user_sid)
            row.user_name = cache[row.user_sid]

    @app.get("/jobs")
    def jobs():
        state = request.args.get("state", "")
        psp = request.args.get("process", "")
        user = request.args.get("user", "").strip()
        device = request.args.get("device", "")
        number = request.args.get("page", "1")
        sids = _sids_matching(store(), user) if user else None
        page = journal.page(
            int(number) if number.isdigit() else 1, state=state, user_sids=sids, psp_identifier=psp, device=device
        )
        processes = store().processes(validate=False)  # every file read once per page
        _names_for(page.rows, processes)
        return render_template(
            "jobs.html",
            page=page,
            states=journal.states(),
            processes=processes,
            state=state,
            psp=psp,
            user=user,
            device=device,
        )

    @app.get("/devices")
    def devices_page():
        found = device_source.devices()
        recent = journal.page(1, size=10)
        _names_for(recent.rows, store().processes(validate=False))
        # Enrolled device certificates: the allow-list the server itself admits by ([devices]
        # fingerprints and fingerprints_file).
        enrolled = sorted(Devices(config).allowed()) if getattr(config, "devices", None) is not None else []
        return render_template(
            "devices.html",
            devices=found,
            note=device_source.note,
            recent=recent,
            journal_devices=journal.devices(),
            enrolled=enrolled,
        )

    @app.get("/health")
    def health_page():
        checks = health.run_all(config)
        try:
            count = len(store().processes(validate=False))
            checks.insert(0, health.Check("Directory", True, f"{count} scan processes in {store().where}"))
        except KioskError as exc:
            checks.insert(0, health.Check("Directory", False, str(exc)))
        return render_template("health.html", checks=checks)

    return app


def _local_path(target: str) -> bool:
    """A path on this server, never another host (browsers read "/\\host" like "//host")."""
    return target.startswith("/") and not target.startswith(("//", "/\\")) and "\n" not in target and "\r" not in target


def _user_name(store: ProcessStore, sid: str) -> str:
    try:
        if isinstance(store, LocalStore):
            data = load_file(store.path)
            return next((login for login in data.users if user_sid(data, login) == sid), sid)
        principal = store._principal_for_sid(sid)  # type: ignore[attr-defined]
        return principal.name
    except (KioskError, ValueError):
        return sid


def _sids_matching(store: ProcessStore, text: str) -> list[str]:
    """SIDs of the users whose name contains `text` (the jobs filter)."""
    if text.startswith("S-1-"):
        return [text]
    try:
        return [p.sid for p in store.find_principals(text, limit=50) if p.sid and p.kind == "user"]
    except KioskError:
        return []


def _secret_key(config: ServerConfig) -> bytes:
    path = config.console.secret_key_file
    if not path:
        # Sessions end at a restart; that is the safe default for an admin console.
        return secrets.token_bytes(32)
    data = Path(config.path(path)).read_bytes()
    if len(data) < 32:
        raise KioskError(f"[console] secret_key_file {path}: at least 32 bytes are needed")
    return data
