"""One module per `dsm-kiosk` sub-command (see kiosk.cli)."""
