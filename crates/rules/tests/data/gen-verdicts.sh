#!/usr/bin/env bash
# Regenerates the reference verdicts of Suricata 7.0.10 for every test.rules of
# suricata-verify. Not run by CI (Palisade must not need Suricata); the output is
# committed next to this script.
#
#   verdicts.tsv   <test-dir>\t<line>\tfail      one row per rule Suricata rejected
#                  <test-dir>\t*\t<loaded>\t<failed>   Suricata's summary counts
#   contexts.tsv   <test-dir>\t<key>\t<value>     vars.* and app-layer.protocols.*enabled
#                  settings of that test that differ from the default yaml ("-" = default);
#                  a test with its own suricata.yaml has a "=full" row and all its settings
#
# Line numbers are Suricata's: the first physical line of a (continued) rule.
set -euo pipefail
SV=${SV:-$(cd "$(dirname "$0")/../../../../../shared/suricata-verify" && pwd)}
OUT=$(cd "$(dirname "$0")" && pwd)
DEFAULT_YAML=$SV/suricata-7.0.10.yaml
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

dump_ctx() { # yaml, extra args...
    local yaml=$1; shift
    suricata --dump-config -c "$yaml" "$@" 2>/dev/null < /dev/null |
        grep -E '^(vars\.(address|port)-groups\.[^ ]+|app-layer\.protocols\.[a-z0-9_-]+(\.[a-z]+)?\.enabled|security\.lua\.allow-rules) = ' |
        sed 's/ = /\t/' | sort || true
}

dump_ctx "$DEFAULT_YAML" | sed 's/^/-\t/' > "$TMP/contexts.tsv"
: > "$TMP/verdicts.tsv"
cut -f2- "$TMP/contexts.tsv" | sort > "$TMP/def"
: > "$TMP/ctx.all"

find "$SV/tests" -name test.rules | sort | while read -r rules; do
    dir=$(dirname "$rules")
    rel=${dir#"$SV/tests/"}
    yaml=$DEFAULT_YAML
    [ -f "$dir/suricata.yaml" ] && yaml=$dir/suricata.yaml
    # --set arguments of test.yaml (the only ones that matter for rule loading)
    mapfile -t sets < <(python3 - "$dir/test.yaml" "$dir" <<'PY'
import sys, yaml, shlex, os
path, tdir = sys.argv[1], sys.argv[2]
if not os.path.exists(path):
    sys.exit(0)
try:
    doc = yaml.safe_load(open(path)) or {}
except Exception:
    sys.exit(0)
args = doc.get("args") or []
if isinstance(args, str):
    args = [args]
toks = []
for a in args:
    toks += shlex.split(str(a).replace("${TEST_DIR}", tdir))
i = 0
while i < len(toks):
    if toks[i] == "--set" and i + 1 < len(toks):
        print("--set"); print(toks[i + 1]); i += 2
    else:
        i += 1
PY
)
    common=(-c "$yaml" --set "classification-file=$SV/etc/classification.config"
            --set "reference-config-file=$SV/etc/reference.config" "${sets[@]}")
    rm -rf "$TMP/out" && mkdir -p "$TMP/out"
    (cd "$dir" && timeout 120 suricata -T -v "${common[@]}" -S "$rules" -l "$TMP/out" > "$TMP/log" 2>&1 < /dev/null) || true
    # Tests with their own yaml may log to a file or to eve.json instead of the console.
    cat "$TMP/out/"*.log "$TMP/out/"*.json 2>/dev/null >> "$TMP/log" || true
    { grep -oE "error parsing signature .* from file .* at line [0-9]+" "$TMP/log" || true; } |
        sed -E 's/.* at line ([0-9]+)$/\1/' | sort -un |
        while read -r line; do printf '%s\t%s\tfail\n' "$rel" "$line"; done >> "$TMP/verdicts.tsv"
    summary=$(grep -oE '[0-9]+ rules successfully loaded, [0-9]+ rules failed' "$TMP/log" | tail -1 || true)
    if [ -n "$summary" ]; then
        set -- $summary
        printf '%s\t*\t%s\t%s\n' "$rel" "$1" "$5" >> "$TMP/verdicts.tsv"
    else
        # No summary (no rule loaded): count the distinct failing lines.
        n=$({ grep -oE "error parsing signature .* from file .* at line [0-9]+" "$TMP/log" || true; } |
            sed -E 's/.* at line ([0-9]+)$/\1/' | sort -un | wc -l)
        printf '%s\t*\t0\t%s\n' "$rel" "$n" >> "$TMP/verdicts.tsv"
    fi
    (cd "$dir" && dump_ctx "$yaml" "${common[@]:2}") > "$TMP/ctx"
    if [ "$yaml" != "$DEFAULT_YAML" ]; then
        # own yaml: record all its settings (a missing key must stay missing)
        printf '%s\t=full\t-\n' "$rel" >> "$TMP/ctx.all"
        sed "s|^|$rel\t|" "$TMP/ctx" >> "$TMP/ctx.all"
    else
        comm -13 "$TMP/def" "$TMP/ctx" | sed "s|^|$rel\t|" >> "$TMP/ctx.all" || true
    fi
done
cat "$TMP/ctx.all" >> "$TMP/contexts.tsv" 2>/dev/null || true
mv "$TMP/verdicts.tsv" "$OUT/verdicts.tsv"
mv "$TMP/contexts.tsv" "$OUT/contexts.tsv"
