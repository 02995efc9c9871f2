#!/usr/bin/env bash
# Installs code-server (VS Code served to a browser) once into .cache/code-server/<version>, from
# the npm registry only: no GitHub download, no Node header download. Idempotent: a second run
# only checks that the installed server starts. Prints the code-server entry point last.
#
# Why each setting (see issue 3):
#   npm_config_unsafe_perm  code-server's postinstall refuses to run as root without it
#   npm_config_nodedir      node-gyp cannot download headers here; the project's Node 22 has them
#   npm_config_yes          node-pty's postinstall runs npx, which would otherwise prompt
#   TMPDIR                  @vscode/ripgrep's postinstall takes a cached tarball from
#                           $TMPDIR/vscode-ripgrep-cache-<pkg version>/ instead of GitHub; we put
#                           Debian's /usr/bin/rg there
#   HOME, XDG_*             node-gyp and the postinstalls write caches under HOME
# Usage: scripts/install-code-server.sh [--quiet]   (CODE_SERVER_VERSION overrides the pin)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MAPD_ROOT"

version="${CODE_SERVER_VERSION:-4.117.0}"
dest="$MAPD_ROOT/.cache/code-server/$version"
entry="$dest/node_modules/code-server/out/node/entry.js"
stamp="$dest/.mapd-installed"
quiet=0; [ "${1:-}" = "--quiet" ] && quiet=1
say() { [ "$quiet" = 1 ] || echo "code-server: $*" >&2; }

# The install is complete only when every native module code-server needs loads in our Node.
check_native() {
  local vs="$dest/node_modules/code-server/lib/vscode/node_modules"
  node -e '
    const base = process.argv[1], vs = process.argv[2];
    const { createRequire } = require("node:module");
    const req = createRequire(base + "/node_modules/code-server/package.json");
    const vreq = createRequire(vs + "/../package.json");
    const fs = require("node:fs"), path = require("node:path");
    // A module whose install script did not run has no compiled .node file (npm 11 only warns).
    const hasBinary = (dir) => fs.readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith(".node"));
    const check = (r, m) => {
      r(m);
      const dir = path.dirname(r.resolve(m + "/package.json"));
      if (!hasBinary(dir)) throw new Error(m + " has no compiled .node file in " + dir);
    };
    check(req, "argon2");
    for (const m of ["@vscode/spdlog", "node-pty", "kerberos", "@vscode/native-watchdog", "@vscode/sqlite3"]) check(vreq, m);
    const rg = vreq("@vscode/ripgrep").rgPath;
    require("node:child_process").execFileSync(rg, ["--version"]);
  ' "$dest" "$vs"
}

ready() { [ -f "$stamp" ] && [ -f "$entry" ] && check_native 2>/dev/null; }
if ready; then
  say "$version ready in ${dest#"$MAPD_ROOT"/}"
  echo "$entry"
  exit 0
fi
# One install at a time (parallel test runs on a fresh clone); the second finds it done.
mkdir -p "$MAPD_ROOT/.cache/code-server"
exec 9>"$MAPD_ROOT/.cache/code-server/.install.lock"
flock 9
if ready; then
  echo "$entry"
  exit 0
fi

missing=()
for tool in g++ make python3 pkg-config krb5-config rg; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "code-server: missing build tools: ${missing[*]}" >&2
  echo "  next step: apt-get install -y g++ make python3 pkg-config libkrb5-dev ripgrep" >&2
  exit 1
fi

started=$(date +%s)
mkdir -p "$MAPD_ROOT/.cache/code-server"
work="$(mktemp -d "$MAPD_ROOT/.cache/code-server/.install-XXXXXX")"
log="$MAPD_ROOT/.cache/code-server/install-$version.log"
: >"$log"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

# npm's user config and cache stay the user's (registry, proxy, CA settings); the rest is private.
user_npmrc="$(npm config get userconfig 2>/dev/null || echo "$HOME/.npmrc")"
npm_cache="$(npm config get cache 2>/dev/null || echo "$HOME/.npm")"
mkdir -p "$work/home" "$work/tmp" "$work/pack" "$work/xdg/config" "$work/xdg/cache" "$work/xdg/data"
export HOME="$work/home" TMPDIR="$work/tmp"
export XDG_CONFIG_HOME="$work/xdg/config" XDG_CACHE_HOME="$work/xdg/cache" XDG_DATA_HOME="$work/xdg/data"
export npm_config_userconfig="$user_npmrc" npm_config_cache="$npm_cache"
export npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir="$MAPD_NODE_DIR"
export npm_config_foreground_scripts=true npm_config_loglevel=warn

say "fetching code-server@$version from the npm registry (log: ${log#"$MAPD_ROOT"/})"
(cd "$work/pack" && npm pack --silent "code-server@$version" >>"$log" 2>&1)
tar xzf "$work/pack/code-server-$version.tgz" -C "$work/pack" package/lib/vscode/npm-shrinkwrap.json

# ripgrep: the tarball @vscode/ripgrep's postinstall would download, built from Debian's rg.
rg_pkg_version="$(node -p 'require(process.argv[1]).packages["node_modules/@vscode/ripgrep"].version' \
  "$work/pack/package/lib/vscode/npm-shrinkwrap.json")"
(cd "$work/pack" && npm pack --silent "@vscode/ripgrep@$rg_pkg_version" >>"$log" 2>&1)
tar xzf "$work/pack/vscode-ripgrep-$rg_pkg_version.tgz" -C "$work/pack" package/lib/postinstall.js
rg_version="$(sed -n "s/^const VERSION = '\(v[^']*\)'.*/\1/p" "$work/pack/package/lib/postinstall.js")"
[ -n "$rg_version" ] || { echo "code-server: cannot read the ripgrep version from @vscode/ripgrep $rg_pkg_version" >&2; exit 1; }
rg_cache="$TMPDIR/vscode-ripgrep-cache-$rg_pkg_version"
mkdir -p "$rg_cache" "$work/rg"
cp "$(command -v rg)" "$work/rg/rg"
tar czf "$rg_cache/ripgrep-$rg_version-x86_64-unknown-linux-musl.tar.gz" -C "$work/rg" rg
say "ripgrep $rg_version for @vscode/ripgrep $rg_pkg_version taken from $(command -v rg)"

# Install into a fresh folder, then move it in place: an interrupted run leaves no half tree.
target="$work/install"
mkdir -p "$target"
cat >"$target/package.json" <<JSON
{
  "name": "mapd-code-server",
  "private": true,
  "dependencies": { "code-server": "$version" },
  "allowScripts": { "code-server": true, "argon2": true }
}
JSON
say "installing (native modules build from source, ~1-3 min; progress in the log)"
(
  cd "$target"
  npm install --no-audit --no-fund --foreground-scripts >>"$log" 2>&1
) &
npm_pid=$!
while kill -0 "$npm_pid" 2>/dev/null; do
  sleep 10
  [ "$quiet" = 1 ] || echo "code-server: ... $(( $(date +%s) - started )) s, $(wc -l <"$log") log lines" >&2
done
if ! wait "$npm_pid"; then
  echo "code-server: npm install failed; last lines of ${log#"$MAPD_ROOT"/}:" >&2
  tail -n 30 "$log" >&2
  exit 1
fi

rm -rf "$dest"
mv "$target" "$dest"
if ! check_native 2>>"$log"; then
  echo "code-server: installed, but a native module does not load; see ${log#"$MAPD_ROOT"/}" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
touch "$stamp"
say "$version installed in $(( $(date +%s) - started )) s"
echo "$entry"
