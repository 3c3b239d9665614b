"""Devices: the SANE scanner, buttons and badge readers. Nothing here imports Qt."""
