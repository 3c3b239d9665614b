"""The DSM device side: what makes the kiosk a Device for management tools (no Qt).

- `identity`: the stable endpoint reference (urn:uuid) and MetadataVersion, in the state directory;
- `netif`: the configured interfaces' addresses and the networks the device answers;
- `wsd`: namespaces and the WS-Discovery / DPWS messages;
- `discovery`: the SOAP-over-UDP responder (Hello, Bye, Probe, Resolve) and `probe()`, a client;
- `status`: the scanner's state and conditions, seen from the scans themselves;
- `dsd`: the WS-DSD operations (GetScannerElements, ValidateScanTicket, the job operations);
- `eventing`: WS-Eventing 2004/08 subscriptions, persisted, with one bounded queue per sink;
- `host`: the HTTP(S) host that puts them together (`DeviceHost`).
"""
