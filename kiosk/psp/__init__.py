"""Scan processes (msImaging-PostScanProcess) and their psp:PostScanProcess XML."""
