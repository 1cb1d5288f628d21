#!/usr/bin/env bash
# Installs what the dashboard browser test needs, idempotently: Debian's Chromium (+ driver) and
# playwright-core from npm (no browser download; the test drives /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null
fi

if [ ! -f node_modules/playwright-core/package.json ]; then
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm install --no-audit --no-fund --loglevel=error
  fi
fi

/usr/bin/chromium --version
node -e "console.log('playwright-core ' + require('playwright-core/package.json').version)"
