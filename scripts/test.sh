#!/usr/bin/env bash
# Runs every test of kwire: codec cross-checks, state machines, fake-broker and real-broker suites, the
# Spring auto-configuration, and the sample app (including its headless-browser test).
# Installs what the tests need on a fresh machine (Debian's Chromium for the browser test).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-browser.sh
exec mvn -B -ntp install "$@"
