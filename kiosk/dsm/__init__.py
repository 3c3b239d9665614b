"""The DSM protocol: the WS-DSP client, scan-server discovery, and the reference scan server.

Protocol facts: docs/dsm-protocol.md (§1, §2, §6). No Qt here.
"""
