#!/usr/bin/env bash
# Installs the proxy servers the proxy tests run against (client-it: ProxyBrokerTest, through
# client-testkit's ProxyServer): Dante (danted, SOCKS5) and tinyproxy (HTTP CONNECT) from Debian's packages, and the
# system user Dante's username/password method authenticates (a test credential: no shell, no home directory).
# Idempotent: does nothing that is already done. Needs root (or sudo). Nothing is downloaded outside the
# distribution's package repositories. The packages' own services are not started: the tests start their servers
# on loopback with their own configuration.
set -euo pipefail

# Must match io.kwire.testkit.ProxyServer.DANTE_USER / DANTE_PASSWORD.
DANTE_USER=kwireproxy
DANTE_PASSWORD=kwire-proxy-test-secret

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-proxies.sh: run as root (or install sudo): apt-get and useradd need it" >&2
    exit 1
  fi
fi

if [ -x /usr/sbin/danted ] && [ -x /usr/bin/tinyproxy ]; then
  echo "danted and tinyproxy are installed"
else
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends dante-server tinyproxy >/dev/null
  for f in /usr/sbin/danted /usr/bin/tinyproxy; do
    if [ ! -x "$f" ]; then
      echo "install-proxies.sh: $f is still missing after apt-get install" >&2
      exit 1
    fi
  done
  echo "installed: $(/usr/sbin/danted -v 2>&1 | head -1), $(/usr/bin/tinyproxy -v 2>&1 | head -1)"
  # Where an init system started the packages' own services (tinyproxy on :8888), stop them: the tests need none.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
    $SUDO systemctl disable --now danted tinyproxy >/dev/null 2>&1 || true
  fi
fi

if id "$DANTE_USER" >/dev/null 2>&1; then
  echo "system user $DANTE_USER exists"
else
  $SUDO useradd --system --no-create-home --shell /usr/sbin/nologin "$DANTE_USER"
  echo "created system user $DANTE_USER"
fi
# Set every time, so that the user always has the password the tests use.
echo "$DANTE_USER:$DANTE_PASSWORD" | $SUDO chpasswd
