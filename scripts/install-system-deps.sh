#!/usr/bin/env bash
# System packages the tests need that npm cannot provide. Installs only what is missing; needs root
# (or sudo) when it does.
#   - chromium: the real-browser webview tests and the Playwright run through code-server;
#   - libkrb5-dev, ripgrep, make, g++, python3: code-server's install (test:extension) builds its
#     native modules (kerberos, node-pty) and packs Debian's rg in place of a GitHub download
#     (see scripts/install-code-server.sh and docs/TESTING.md);
#   - unzip: the extension test lists the packaged .vsix;
#   - gcc (cc): the native product kernel (scripts/build-native.mjs); without it the build skips it
#     and the tests that expect it on Linux x64 fail.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
command -v cc >/dev/null 2>&1 || missing+=(gcc)
if [ ${#missing[@]} -eq 0 ]; then
  echo "system dependencies present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
