"""The console beside the WS-DSP app on the scan server's port, by URL path prefix."""

from __future__ import annotations

import logging
from typing import Any

from werkzeug.middleware.dispatcher import DispatcherMiddleware

from dsm_server.config import ServerConfig

log = logging.getLogger("dsm_server")


class WithConsole:
    """The scan server app with the console at its path. Attributes are the scan server app's:
    the serving code sets some on the app it is given (serve.make_server's peer_of)."""

    def __init__(self, app: Any, console: Any, path: str) -> None:
        object.__setattr__(self, "_app", app)
        object.__setattr__(self, "_dispatch", DispatcherMiddleware(app, {path: console}))

    def __call__(self, environ: dict, start_response: Any) -> Any:
        return self._dispatch(environ, start_response)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._app, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._app, name, value)


def mount_console(app: Any, cfg: ServerConfig) -> Any:
    """The app itself, or the app with the console when [console] enabled."""
    if not cfg.console.enabled:
        return app
    from dsm_server.console import create_app

    log.info("web console at %s", cfg.console.path)
    return WithConsole(app, create_app(cfg), cfg.console.path.rstrip("/"))
