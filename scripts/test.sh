#!/usr/bin/env bash
# `make test`'s suite. With no arguments: the packaging proof (tests/packaging: clean Debian 13
# roots, arm64 under emulation, mostly waiting on one emulated core) runs beside the rest of the
# suite, so the whole run takes about as long as the proof alone. Each part has its own hang
# guard. Both outputs are printed, then one closing line with the counts of both.
# With arguments: one plain pytest run with them (e.g. `make test PYTEST_ARGS="-k slapd -x"`).
set -uo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
PY=.venv/bin/python

if [ $# -gt 0 ]; then
  exec timeout --signal=INT 1740 "$PY" -m pytest "$@"
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

timeout --signal=INT 1740 "$PY" -m pytest -m packaging -p no:cacheprovider \
  --junitxml="$out/packaging.xml" >"$out/packaging.log" 2>&1 &
packaging=$!

timeout --signal=INT 1500 "$PY" -m pytest -m "not packaging" --junitxml="$out/suite.xml"
suite_rc=$?

echo
echo "== packaging proof (ran beside the suite) =="
wait "$packaging"
packaging_rc=$?
cat "$out/packaging.log"

# pytest exits 5 when a part collected nothing: that is a failure here too.
"$PY" - "$out/suite.xml" "$out/packaging.xml" <<'EOF'
import sys
import xml.etree.ElementTree as ET

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        suites = ET.parse(path).getroot().iter("testsuite")
    except (OSError, ET.ParseError):
        failed += 1  # a part that wrote no report (killed by its hang guard) counts as a failure
        continue
    for s in suites:
        tests, fail, err, skip = (int(s.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
        failed += fail + err
        skipped += skip
        passed += tests - fail - err - skip
print(f"\nmake test: {passed} passed, {failed} failed, {skipped} skipped")
EOF

[ "$suite_rc" -eq 0 ] && [ "$packaging_rc" -eq 0 ]
