#!/usr/bin/env bash
# `npm run package`: a platform-specific .vsix of MAPD Curator, built offline with @vscode/vsce.
#   npm run package                          linux-x64 (this machine)
#   npm run package -- --target darwin-arm64 another platform (better-sqlite3 ships its binary)
#   npm run package -- --out FILE            where to write it (default mapd-curator-<version>-<target>.vsix)
#
# What goes in: package.json, README, media/, the production bundles (dist/extension.js and the
# import worker it starts, dist/importWorker.js, for Node,
# dist/webview/ for the browser) and better-sqlite3's JavaScript with the ONE native binary for
# the target, copied (not inlined) to dist/node_modules/better-sqlite3 where the bundle's
# require('better-sqlite3') finds it. Everything else (sources, tests, maps, the CLI, other
# dependencies, which esbuild has bundled) stays out. The package is assembled in a staging
# folder (.cache/package/stage) so vsce neither runs npm nor sees the checkout's node_modules.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MAPD_ROOT"

target=linux-x64 out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="${2:?--target needs a value}"; shift 2 ;;
    --out) out="${2:?--out needs a value}"; shift 2 ;;
    -h | --help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package: unknown option $1" >&2; exit 2 ;;
  esac
done
# vsce's target names → better-sqlite3's prebuilt binaries (prebuilds/<name>.node).
case "$target" in
  linux-x64 | linux-arm64 | darwin-x64 | darwin-arm64 | win32-x64 | win32-arm64) binary="$target" ;;
  alpine-x64) binary=linuxmusl-x64 ;;
  alpine-arm64) binary=linuxmusl-arm64 ;;
  *) echo "package: no better-sqlite3 binary for target $target" >&2; exit 2 ;;
esac
version="$(node -p 'require("./package.json").version')"
out="$(realpath -m "${out:-mapd-curator-$version-$target.vsix}")"
sqlite="node_modules/better-sqlite3"
[ -f "$sqlite/prebuilds/$binary.node" ] || { echo "package: $sqlite/prebuilds/$binary.node is missing; run npm run setup" >&2; exit 1; }

started=$(date +%s)
# Production bundles are built in a folder of their own (links to the sources), so the checkout's
# dist/ (development bundles others are using) is left alone.
build="$MAPD_ROOT/.cache/package/build"
rm -rf "$build" && mkdir -p "$build"
for entry in src webview-ui test media node_modules package.json tsconfig.json; do
  [ -e "$entry" ] && ln -s "$MAPD_ROOT/$entry" "$build/$entry"
done
(cd "$build" && node "$MAPD_ROOT/esbuild.js" --production)

stage="$MAPD_ROOT/.cache/package/stage"
rm -rf "$stage" && mkdir -p "$stage/dist/node_modules/better-sqlite3/prebuilds"
cp package.json README.md .vscodeignore "$stage/"
for f in LICENSE LICENSE.md CHANGELOG.md; do [ -f "$f" ] && cp "$f" "$stage/"; done
cp -r media "$stage/"
[ -f docs/demo.png ] && install -D -m 644 docs/demo.png "$stage/docs/demo.png"
cp "$build/dist/extension.js" "$build/dist/importWorker.js" "$stage/dist/"
[ -d "$build/dist/webview" ] && cp -r "$build/dist/webview" "$stage/dist/"
cp "$sqlite/package.json" "$stage/dist/node_modules/better-sqlite3/"
[ -f "$sqlite/LICENSE" ] && cp "$sqlite/LICENSE" "$stage/dist/node_modules/better-sqlite3/"
cp -r "$sqlite/lib" "$stage/dist/node_modules/better-sqlite3/"
cp "$sqlite/prebuilds/$binary.node" "$stage/dist/node_modules/better-sqlite3/prebuilds/"

# The staged bundle must load its SQLite binding from the staged copy (on this platform only).
if [ "$target" = linux-x64 ] && [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ]; then
  node -e '
    const Database = require(process.argv[1]);
    const db = new Database(":memory:");
    db.prepare("select sqlite_version() as v").get();
    db.close();
  ' "$stage/dist/node_modules/better-sqlite3"
fi

(
  cd "$stage"
  vsce package --no-dependencies --target "$target" --out "$out" \
    --allow-missing-repository --skip-license --no-rewrite-relative-links --no-update-package-json 2>&1 |
    grep -v '^ *$' || true
)
[ -f "$out" ] || { echo "package: vsce did not write $out" >&2; exit 1; }
size=$(stat -c %s "$out")
echo "package: ${out#"$MAPD_ROOT"/} $(( size / 1024 )) KiB ($(unzip -l "$out" | tail -1 | awk '{print $2}') files) in $(( $(date +%s) - started )) s"
echo "package: install with  code-server --install-extension ${out#"$MAPD_ROOT"/}  (or code --install-extension)"
