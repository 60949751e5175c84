#!/usr/bin/env bash
# Installs headless Chromium and its driver from Debian's packages, for the sample app's browser test
# (sample-app/src/test/java/io/kwire/sample/BrowserTest.java). Idempotent: does nothing when both are installed.
# Needs root (or sudo). Nothing is downloaded outside the distribution's package repositories.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "chromium and chromedriver are installed: $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-browser.sh: run as root (or install sudo): apt-get needs it" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null

for f in /usr/bin/chromium /usr/bin/chromedriver; do
  if [ ! -x "$f" ]; then
    echo "install-browser.sh: $f is still missing after apt-get install" >&2
    exit 1
  fi
done
echo "installed: $(/usr/bin/chromium --version 2>/dev/null || echo chromium), $(/usr/bin/chromedriver --version 2>/dev/null | head -1)"
