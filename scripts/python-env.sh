#!/usr/bin/env bash
# A project-local Python environment (.venv, ignored by git) with what the export checks load
# our files with: Hugging Face datasets (test/python/requirements.txt). Idempotent: reinstalls
# only when the requirements change. Prints the interpreter's path last.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
requirements="$root/test/python/requirements.txt"
stamp="$venv/.mapd-requirements"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "python-env: installing $(grep -v '^#' "$requirements" | xargs) into .venv" >&2
  python3 -m venv "$venv"
  # Machines here carry a local package index; pip is pointed at it when no index is set, so it
  # does not first try (and retry) an index it cannot reach.
  if [ -z "${PIP_INDEX_URL:-}" ] && [ -d /opt/pypi/simple ]; then export PIP_INDEX_URL=file:///opt/pypi/simple; fi
  if ! "$venv/bin/pip" install --quiet -r "$requirements" > "$venv/pip.log" 2>&1; then
    tail -20 "$venv/pip.log" >&2
    echo "python-env: pip could not install test/python/requirements.txt (log: .venv/pip.log)" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
