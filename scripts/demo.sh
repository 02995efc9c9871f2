#!/usr/bin/env bash
# `npm run demo`: MAPD Curator in a real VS Code (code-server) on a demo project, offline, no keys.
# Sets up Node 22 + dependencies + the build (scripts/setup.sh), installs code-server once
# (.cache/code-server), fills .demo/workspace from demo/sample/ (or, with --paper-svamp, from the
# paper's 387 SVAMP mistakes in ../shared/data), starts code-server on 127.0.0.1 and prints the URL.
# Ctrl-C stops everything it started.
#
#   npm run demo                      the shipped sample (20 problems, 8 mistakes, 3 teachers)
#   npm run demo -- --paper-svamp     the paper's SVAMP release (needs ../shared/data)
#   npm run demo -- --reset           rebuild the demo project (drops decisions made in it)
#   npm run demo -- --check           start, load the workbench once headless, check, stop (CI)
#   npm run demo -- --no-setup        skip scripts/setup.sh (when the checkout is set up already)
#   PORT=9000 npm run demo            another port (default 8080)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MAPD_ROOT"

mode=sample check=0 reset=0 setup=1
for arg in "$@"; do
  case "$arg" in
    --paper-svamp) mode=paper-svamp ;;
    --check | --no-open) check=1 ;;
    --reset) reset=1 ;;
    --no-setup) setup=0 ;;
    -h | --help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown option $arg (see npm run demo -- --help)" >&2; exit 2 ;;
  esac
done

if [ "$setup" = 1 ]; then bash scripts/setup.sh; else node esbuild.js; fi
entry="$(bash scripts/install-code-server.sh)"

demo="$MAPD_ROOT/.demo"
workspace="$demo/workspace"
[ "$mode" = paper-svamp ] && workspace="$demo/paper-svamp"
[ "$reset" = 1 ] && rm -rf "$workspace"
if [ ! -f "$workspace/.mapd/curation.db" ]; then
  echo "demo: filling $workspace"
  if [ "$mode" = paper-svamp ]; then
    bash scripts/demo-project.sh "$workspace" --paper-svamp
  else
    bash scripts/demo-project.sh "$workspace"
  fi
fi
mistakes="$(bin/mapd stats --json --db "$workspace/.mapd/curation.db" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).mistakes))')"

# The extension is "installed" as a link to this checkout, so the server loads the current build.
version="$(node -p 'require("./package.json").version')"
mkdir -p "$demo/extensions" "$demo/user-data/User" "$demo/home/.run"
chmod 700 "$demo/home/.run"
find "$demo/extensions" -maxdepth 1 -name 'mapd.mapd-curator-*' -exec rm -f {} +
rm -f "$demo/extensions/extensions.json"
ln -s "$MAPD_ROOT" "$demo/extensions/mapd.mapd-curator-$version"
settings="$demo/user-data/User/settings.json"
[ -f "$settings" ] || cat >"$settings" <<'JSON'
{
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "git.enabled": false
}
JSON

port="${PORT:-8080}"
# The CI check takes any free port unless told otherwise.
[ "$check" = 1 ] && [ -z "${PORT:-}" ] && port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
host=127.0.0.1
log="$demo/server.log"
# Its own session and process group: one kill stops the server, its extension host, terminals.
HOME="$demo/home" XDG_CONFIG_HOME="$demo/home/.config" XDG_DATA_HOME="$demo/home/.local/share" \
XDG_CACHE_HOME="$demo/home/.cache" XDG_STATE_HOME="$demo/home/.local/state" XDG_RUNTIME_DIR="$demo/home/.run" \
  setsid node "$entry" --bind-addr "$host:$port" --auth none \
    --user-data-dir "$demo/user-data" --extensions-dir "$demo/extensions" \
    --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
    --ignore-last-opened >"$log" 2>&1 </dev/null &
server=$!
stop() {
  trap - EXIT INT TERM
  kill -TERM -- "-$server" 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$server" 2>/dev/null || break; sleep 0.3; done
  kill -KILL -- "-$server" 2>/dev/null || true
}
trap stop EXIT
trap 'echo; echo "demo: stopping"; exit 130' INT TERM

for _ in $(seq 1 200); do
  if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "http://$host:$port/healthz"; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "demo: code-server stopped; its log ($log):" >&2
    tail -n 20 "$log" >&2
    grep -q EADDRINUSE "$log" && echo "demo: port $port is taken; try PORT=<another> npm run demo" >&2
    exit 1
  fi
  sleep 0.15
done

url="http://$host:$port/?folder=$(node -p 'encodeURIComponent(process.argv[1])' "$workspace")"
if [ "$check" = 1 ]; then
  node test/e2e/check-workbench.ts --url "http://$host:$port" --folder "$workspace" --mistakes "$mistakes"
  exit $?
fi
cat <<EOF

  MAPD Curator demo: $mistakes mistakes to curate ($mode)
  Open  $url
  (code-server log: ${log#"$MAPD_ROOT"/}; Ctrl-C stops the server)

EOF
wait "$server"
