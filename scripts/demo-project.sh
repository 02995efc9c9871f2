#!/usr/bin/env bash
# Fills a demo workspace's curation project (<workspace>/.mapd/curation.db) with the CLI.
#   scripts/demo-project.sh WORKSPACE               the sample shipped in demo/sample/
#   scripts/demo-project.sh WORKSPACE --paper-svamp the paper's 387 SVAMP mistakes, read in place
#                                                   from ../shared/data (MAPD_SHARED_DATA)
# Imports are idempotent, so running it on a filled project adds nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
workspace="${1:?usage: demo-project.sh WORKSPACE [--paper-svamp]}"
mode="${2:-sample}"
mkdir -p "$workspace/.mapd"
db="$(cd "$workspace" && pwd)/.mapd/curation.db"
mapd() { "$MAPD_ROOT/bin/mapd" "$@" --db "$db"; }

case "$mode" in
  sample)
    sample="$MAPD_ROOT/demo/sample"
    mapd import --task jsonl --split demo --map id=id,question=question,answer=answer,rationale=rationale,answerType=number "$sample/arithmetic.jsonl"
    mapd import --task jsonl --split demo --map id=id,question=question,answer=answer,answerType=yesno "$sample/yesno.jsonl"
    mapd answers --student demo-student "$sample/student.jsonl"
    mapd import-outputs "$sample/teachers.jsonl"
    ;;
  --paper-svamp)
    data="${MAPD_SHARED_DATA:-$MAPD_ROOT/../shared/data}"
    release="$data/mapd_release"
    missing=0
    for f in "$data/svamp/chilled_split/train.json" "$release"/Llama-2-7b-chat-hf_svamp_{false,feedback,rationale}_round0.json; do
      [ -f "$f" ] || { echo "demo: $f is missing" >&2; missing=1; }
    done
    if [ "$missing" = 1 ]; then
      echo "demo: --paper-svamp needs ../shared/data (svamp/chilled_split and mapd_release); set MAPD_SHARED_DATA to its folder" >&2
      exit 1
    fi
    mapd import --task svamp "$data/svamp/chilled_split/train.json"
    for part in false feedback rationale; do mapd import-outputs "$release/Llama-2-7b-chat-hf_svamp_${part}_round0.json"; done
    ;;
  *)
    echo "demo-project.sh: unknown mode $mode (expected --paper-svamp or nothing)" >&2
    exit 2
    ;;
esac
# The demo opens on its first mistake (the extension reads this workspace setting at start).
mkdir -p "$workspace/.vscode"
[ -f "$workspace/.vscode/settings.json" ] || printf '{\n  "mapd.openPanelOnStartup": true\n}\n' > "$workspace/.vscode/settings.json"
echo "demo: project $db"
