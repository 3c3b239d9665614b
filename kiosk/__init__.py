"""dsm-kiosk: the application core (config, directory, scan processes, DSM protocol, jobs, spool).

Nothing in this package imports Qt.
"""

__version__ = "0.1.0"
