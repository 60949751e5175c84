#!/usr/bin/env bash
# Runs every test of kwire: codec cross-checks, state machines, fake-broker and real-broker suites (the OpenSSL
# engine's on Netty 4.2, then again on 4.1), the Spring auto-configuration (on Spring Boot 4.0, then again on 4.1),
# and the sample app (including its headless-browser test).
# Installs what the tests need on a fresh machine (Debian's Chromium for the browser test; Dante and tinyproxy for
# the proxy tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-browser.sh
scripts/install-proxies.sh
mvn -B -ntp install "$@"
# The Spring auto-configuration and the test-support module (@EmbeddedKwireBroker) again on the newest Boot line:
# the boot-4.1 profile swaps the Spring Boot BOM (to 4.1.2); the modules they depend on were installed just above.
exec mvn -B -ntp -P boot-4.1 -pl client-autoconfigure,client-test verify "$@"
