#!/usr/bin/env bash
# The README's test command: type check, lint, unit tests (node:test on the core), then the
# suites that need a browser or a real VS Code host. `scripts/test.sh unit` runs only the first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MAPD_ROOT"
bash scripts/setup.sh
what="${1:-all}"

echo "== type check"; tsc -p tsconfig.json
echo "== lint"; eslint --max-warnings 0 .
echo "== format (prettier --check; npm run format fixes it)"; prettier --check . >/dev/null || { prettier --check . 2>&1 | tail -20; echo "the tree is not formatted: run npm run format"; exit 1; }
echo "== Python environment for the export checks (Hugging Face datasets, .venv)"
bash scripts/python-env.sh >/dev/null
echo "== unit tests"
node --test --test-concurrency=2 --test-reporter=spec 'test/unit/**/*.test.ts'
[ "$what" = "unit" ] && exit 0

if compgen -G 'test/webview/*.test.ts' >/dev/null; then
  echo "== webview tests (Chromium)"
  node --test --test-concurrency=1 --test-reporter=spec 'test/webview/*.test.ts'
fi
# The demo first: the last line of the run is then the integration runner's "N passed, N failed".
echo "== demo check (npm run demo -- --check)"
bash scripts/demo.sh --no-setup --check
echo "== integration tests (code-server: in-host suite, restricted mode, UI scenarios)"
node test/e2e/run.ts
echo "== the packaged .vsix in code-server"
bash scripts/package.sh
node test/e2e/run.ts --no-build --only suite,restricted --vsix "mapd-curator-$(node -p 'require("./package.json").version')-linux-x64.vsix"
