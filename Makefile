# The two commands of README.md. Both install what is missing first (scripts/bootstrap.sh).
PY := .venv/bin/python
.PHONY: setup demo test bench

setup:
	@scripts/bootstrap.sh

# Runs the kiosk on embedded defaults (see README: "make demo").
demo: setup
	$(PY) -m kiosk demo $(DEMO_ARGS)

# Static checks first (lint, format, types; configured in pyproject.toml), then the whole suite
# (unit, integration, ui) with no display. `timeout` guards CI against a hang.
test: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	QT_QPA_PLATFORM=offscreen timeout --signal=INT 1500 $(PY) -m pytest $(PYTEST_ARGS)

# Figures for speed and memory targets: printed, never asserted.
bench: setup
	$(PY) -m benchmarks $(BENCH_ARGS)
