# The two commands of README.md. Both install what is missing first (scripts/bootstrap.sh).
PY := .venv/bin/python
.PHONY: setup demo test bench deb

setup:
	@scripts/bootstrap.sh

# Runs the kiosk on embedded defaults (see README: "make demo").
demo: setup
	$(PY) -m kiosk demo $(DEMO_ARGS)

# The whole suite (unit, integration, ui, packaging) with no display. `timeout` guards CI against a
# hang, inside CI's 30 minutes (the packaging proof's arm64 root under emulation takes most of it).
test: setup
	QT_QPA_PLATFORM=offscreen timeout --signal=INT 1740 $(PY) -m pytest $(PYTEST_ARGS)

# Figures for speed and memory targets: printed, never asserted.
bench: setup
	$(PY) -m benchmarks $(BENCH_ARGS)

# The Debian packages dsm-kiosk and dsm-scan-server (Architecture: all) in dist/, checked with
# lintian (errors fail). packaging/README.md says how they are built and proven.
deb: setup
	$(PY) packaging/build_deb.py --out dist --lintian
