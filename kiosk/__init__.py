"""dsm-kiosk: the application core (config, directory, scan processes, DSM protocol, jobs, spool).

Nothing in this package imports Qt.
"""


def _version() -> str:
    """The version is written once, in pyproject.toml. The Debian package has no pip metadata, so
    its build writes `kiosk/_version.py`; a source checkout reads pyproject.toml beside the package;
    a pip install asks its own metadata."""
    try:
        from kiosk._version import VERSION  # type: ignore[import-not-found]

        return VERSION
    except ImportError:
        pass
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        with pyproject.open("rb") as fh:
            return tomllib.load(fh)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dsm-kiosk")
    except PackageNotFoundError:
        return "unknown"


__version__ = _version()
