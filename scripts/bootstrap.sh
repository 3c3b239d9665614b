#!/usr/bin/env bash
# Installs what `make demo` and `make test` need, idempotently: Debian packages, a venv in .venv,
# and the project in editable mode. Safe to run again; it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # build python-sane
  gcc python3-dev python3-venv libsane-dev
  # SANE itself (the tests use its `test` backend through a private SANE_CONFIG_DIR)
  libsane1 sane-utils
  # `ip -j addr`: the DSM device side binds to the configured interfaces' addresses
  iproute2
  # throwaway directory servers for the tests (never the system's own instance)
  slapd ldap-utils
  # a throwaway Samba AD DC for the tests (tests/fixtures/samba.py), Kerberos client tools, and
  # the headers python-gssapi builds against; faketime runs a sign-in with a skewed clock
  samba-ad-dc samba-ad-provision python3-samba krb5-user libkrb5-dev faketime
  # a virtual screen for manual runs, and the libraries Qt's platform plugins load
  xvfb xauth libegl1 libgl1 libgl1-mesa-dri libegl-mesa0 libglib2.0-0 libdbus-1-3
  libfontconfig1 libfreetype6 fonts-dejavu-core libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1
  libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1
  libxcb-xfixes0 libxcb-xkb1 libwayland-client0 libwayland-cursor0 libwayland-egl1
  # PDF/A output intent, test CAs, benchmarks
  icc-profiles-free openssl curl time
  # the panel's delivered/failed sound (aplay; QtMultimedia is not in PySide6-Essentials)
  alsa-utils
  # the web console's browser tests (Selenium drives Debian's chromium; no browser downloads)
  chromium chromium-driver
  # `make deb` and its proof (tests/packaging): build and check the .deb, clean Debian 13 roots,
  # arm64 roots under emulation
  dpkg-dev lintian mmdebstrap qemu-user-static binfmt-support arch-test
)

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  # Keep package scripts from starting or configuring system services (the system slapd):
  # the kiosk and its tests run their own instances.
  policy_added=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 755 /usr/sbin/policy-rc.d
    policy_added=1
  fi
  trap '[ -n "$policy_added" ] && $SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.stamp-install
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "bootstrap: installing Python packages"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  touch "$stamp"
fi
