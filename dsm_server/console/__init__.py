"""The web console of dsm-scan-server ([console] in its configuration; off unless enabled)."""

from dsm_server.console.app import create_app

__all__ = ["create_app"]
