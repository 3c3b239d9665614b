"""`dsm-scan-server`: the strict WS-DSP reference scan server (WSGI app served by waitress)."""
