"""`dsm-scan-server --config server.toml [--host H] [--port P] [--state-dir D]`."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from dsm_server import config as server_config
from dsm_server.app import ScanServerApp
from dsm_server.serve import make_server
from dsm_server.store import Journal
from kiosk.errors import ConfigError, KioskError

log = logging.getLogger("dsm_server")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["enroll"]:
        from dsm_server.enroll import main as enroll

        return enroll(argv[1:])
    parser = argparse.ArgumentParser(
        prog="dsm-scan-server",
        description="Strict WS-DSP reference scan server. `dsm-scan-server enroll --help`: admit a device.",
    )
    parser.add_argument("--config", help="server TOML file (every key has a default)")
    parser.add_argument("--host", help="listen address (overrides the file)")
    parser.add_argument("--port", type=int, help="listen port (overrides the file)")
    parser.add_argument("--state-dir", help="journal and received documents (overrides the file)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    try:
        cfg = server_config.load(args.config) if args.config else server_config.parse({})
        overrides = {
            k: v for k, v in (("host", args.host), ("port", args.port), ("state_dir", args.state_dir)) if v is not None
        }
        if overrides:
            data = cfg.model_dump(exclude={"source"}) | overrides
            cfg = server_config.parse(data, cfg.source)
        server_config.check_serving(cfg)
        state_dir = cfg.path(cfg.state_dir)
        try:
            state_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"state_dir {state_dir}: {exc}") from None
        journal = Journal(state_dir)
        app = ScanServerApp(cfg, journal)
        try:
            server, front = make_server(app, cfg)
        except OSError as exc:
            raise ConfigError(f"cannot listen on {cfg.host}:{cfg.port}: {exc}") from None
    except KioskError as exc:
        print(f"dsm-scan-server: {exc}", file=sys.stderr)
        return exc.exit_code

    scheme = "https" if front else "http"
    port = front.port if front else server.effective_port
    if cfg.faults != server_config.FaultConfig():
        log.warning("fault injection is on: %s", cfg.faults.model_dump())
    log.info(
        "listening on %s://%s:%s/ (WS-DSP at /%s/%s), state in %s",
        scheme,
        cfg.host,
        port,
        cfg.base_path.strip("/"),
        cfg.service_id,
        state_dir,
    )

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        if front:
            threading.Thread(target=server.run, daemon=True).start()
            front.serve_forever()
        else:
            server.run()
    except (SystemExit, KeyboardInterrupt):
        pass
    finally:
        if front:
            front.close()
        server.close()
        app.close()
        app.wait_idle(10)
        journal.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
