#!/bin/sh
# Refresh the translation sources from the code (pyside6-lupdate keeps existing translations and
# marks vanished strings obsolete), then compile the catalogs the panel loads (pyside6-lrelease).
# Both tools ship with PySide6-Essentials. Translate with pyside6-linguist or any .ts editor.
set -eu
cd "$(dirname "$0")/.."
BIN=$(dirname "${PYTHON:-.venv/bin/python}")
for lang in de fr es; do
    "$BIN/pyside6-lupdate" -locations none -no-obsolete ui/*.py ui/screens/*.py -ts "ui/i18n/dsm_kiosk_$lang.ts"
    "$BIN/pyside6-lrelease" -silent "ui/i18n/dsm_kiosk_$lang.ts" -qm "ui/i18n/dsm_kiosk_$lang.qm"
done
