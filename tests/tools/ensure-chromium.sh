#!/bin/sh
# Installs Debian's chromium for the browser tests (tests/browser), once: playwright-core drives
# /usr/bin/chromium and never downloads a browser of its own. A small CJK font comes with it so
# the Chinese screenshots show characters, not boxes. Safe to run again; does nothing when both
# are there. Needs root (or sudo) the first time, on Debian or Ubuntu.
set -eu
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
CJK_FONT=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
if [ -x "$CHROMIUM" ] && { [ -n "${CHROMIUM_PATH:-}" ] || [ -f "$CJK_FONT" ]; }; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and there is no apt-get; install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-chromium: installing chromium needs root; run: apt-get install -y chromium" >&2
    exit 1
  fi
fi
echo "ensure-chromium: installing Debian's chromium for the browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-wqy-microhei >&2
"$CHROMIUM" --version >&2
