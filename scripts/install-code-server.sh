#!/usr/bin/env bash
# Installs code-server (a real VS Code 1.100 workbench + extension host, from the npm registry) into
# .vscode-test/code-server/ for the extension tests (docs/TESTING.md). Idempotent: does nothing when
# it is already installed. Needs only the npm registry and Debian's packages:
#   - libkrb5-dev (code-server's kerberos module builds against it), ripgrep (see below);
#   - @vscode/ripgrep's postinstall downloads rg from GitHub unless a tarball is in its cache folder,
#     so a tarball of Debian's rg is put there first.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
DEST="${CODE_SERVER_DIR:-$PWD/.vscode-test/code-server}"
BIN="$DEST/node_modules/code-server/out/node/entry.js"
STAMP="$DEST/.installed-$VERSION"

if [ -f "$STAMP" ] && [ -f "$BIN" ]; then
  echo "code-server $VERSION present in $DEST"
  exit 0
fi

# System packages (only what is missing).
missing=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# @vscode/ripgrep 1.15.11 (code-server 4.100.3) looks for this tarball before going to GitHub.
TMPBASE="${TMPDIR:-/tmp}"
RG_CACHE="$TMPBASE/vscode-ripgrep-cache-1.15.11"
RG_TAR="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$RG_TAR" ]; then
  mkdir -p "$RG_CACHE"
  work="$(mktemp -d)"
  cp "$(command -v rg)" "$work/rg"
  tar -C "$work" -czf "$RG_TAR" rg
  rm -rf "$work"
fi

mkdir -p "$DEST"
if [ ! -f "$DEST/package.json" ]; then
  printf '{\n  "name": "action-lens-code-server",\n  "private": true\n}\n' > "$DEST/package.json"
fi
echo "installing code-server $VERSION into $DEST (about 2-3 minutes)"
start=$(date +%s)
# node-pty's postinstall calls `npx node-gyp` (npm_config_yes answers its prompt); code-server
# refuses to install as root without --unsafe-perm.
(cd "$DEST" && npm_config_yes=true npm install --no-save --no-audit --no-fund --unsafe-perm --loglevel=error "code-server@$VERSION")
if [ ! -f "$BIN" ]; then
  echo "code-server install did not produce $BIN" >&2
  exit 1
fi
touch "$STAMP"
echo "code-server $VERSION installed in $(( $(date +%s) - start )) s"
