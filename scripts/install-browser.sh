#!/usr/bin/env bash
# The browser the report test renders report.html in: Debian's chromium and chromium-driver, from
# the package registry, installed once when missing (make test runs this). Elsewhere, point
# HRDW_CHROMIUM and HRDW_CHROMEDRIVER at a Chromium or Chrome and its matching ChromeDriver.
set -euo pipefail
chromium="${HRDW_CHROMIUM:-/usr/bin/chromium}"
driver="${HRDW_CHROMEDRIVER:-/usr/bin/chromedriver}"
if [ -x "$chromium" ] && [ -x "$driver" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "error: the report test needs Chromium and ChromeDriver ($chromium, $driver not found);" \
        "install them or set HRDW_CHROMIUM and HRDW_CHROMEDRIVER" >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
    sudo="sudo"
fi
echo "installing Debian's chromium and chromium-driver (for the report test)"
install() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null; }
# the package lists may be missing or stale on a new machine: refresh them only when needed
install || { $sudo apt-get update -qq && install; }
