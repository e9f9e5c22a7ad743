#!/usr/bin/env bash
# Debian packages and npm tools the browser and validator tests need; installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v npm >/dev/null || missing+=(npm)
[ -d /usr/share/fonts/truetype/fonts-hosny-amiri ] || [ -d /usr/share/fonts/opentype/fonts-hosny-amiri ] || missing+=(fonts-hosny-amiri)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "please install: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
# Again whenever package-lock.json is newer than the installed tree. No install scripts:
# vnu-jar's would download a JDK from GitHub; Debian's Java runs the jar.
if [ -f package.json ] && { [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  npm ci --silent --no-audit --no-fund --ignore-scripts
fi
