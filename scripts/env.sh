# Sourced by every script: puts the project's own Node 22 first on PATH and points node-gyp
# at its headers (node-gyp cannot download headers here).
MAPD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MAPD_NODE_VERSION="22.23.3"
MAPD_NODE_DIR="$MAPD_ROOT/.tools/node"
# `npm test` / `npm run` on the machine's Node 20 export npm_* variables describing that Node;
# nested npm calls read them as config (code-server's postinstall checks the user agent's Node).
for var in $(compgen -e | grep -E '^npm_'); do unset "$var"; done
export PATH="$MAPD_NODE_DIR/bin:$MAPD_ROOT/node_modules/.bin:$PATH"
export npm_config_nodedir="$MAPD_NODE_DIR"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
