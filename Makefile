# The two commands of README.md. Both install what is missing first (scripts/bootstrap.sh).
PY := .venv/bin/python
.PHONY: setup demo test bench deb

setup:
	@scripts/bootstrap.sh

# Runs the kiosk on embedded defaults (see README: "make demo").
demo: setup
	$(PY) -m kiosk demo $(DEMO_ARGS)

# Static checks first (lint, format, types; configured in pyproject.toml), then the whole suite
# (unit, integration, ui, packaging) with no display: scripts/test.sh runs the packaging proof
# (clean Debian 13 roots, arm64 under emulation: most of the time) beside the rest.
test: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	scripts/test.sh $(PYTEST_ARGS)

# Figures for speed and memory targets: printed, never asserted.
bench: setup
	$(PY) -m benchmarks $(BENCH_ARGS)

# The Debian packages dsm-kiosk and dsm-scan-server (Architecture: all) in dist/, checked with
# lintian (errors fail). packaging/README.md says how they are built and proven.
deb: setup
	$(PY) packaging/build_deb.py --out dist --lintian
