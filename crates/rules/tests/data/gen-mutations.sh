#!/usr/bin/env bash
# Differential reference: Suricata 7.0.10's verdicts on deterministic
# mutations of the ../shared/rules corpus (examples/mutate_rules.rs).
# Not run by CI; output committed as mutation-verdicts.tsv:
#   <seed>\t*\t<count>\t<loaded>\t<failed>   per seed
#   <seed>\t<line>\tfail                      per rule Suricata rejected
# Run with the default yaml of suricata-verify plus the modbus, dnp3 and
# enip parsers enabled.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SV=${SV:-$(cd "$HERE/../../../../../shared/suricata-verify" && pwd)}
SEEDS=${SEEDS:-"1 2 3 4"}
COUNT=${COUNT:-3000}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$HERE/../../../.."
: > "$TMP/out.tsv"
for seed in $SEEDS; do
    cargo run -q --release -p palisade-rules --example mutate_rules -- "$seed" "$COUNT" > "$TMP/m.rules"
    mkdir -p "$TMP/log"
    suricata -T -v -c "$SV/suricata-7.0.10.yaml" \
        --set app-layer.protocols.modbus.enabled=yes --set app-layer.protocols.dnp3.enabled=yes \
        --set app-layer.protocols.enip.enabled=yes -S "$TMP/m.rules" -l "$TMP/log" > "$TMP/s.log" 2>&1 < /dev/null || true
    summary=$(grep -oE '[0-9]+ rules successfully loaded, [0-9]+ rules failed' "$TMP/s.log" | tail -1)
    set -- $summary
    printf '%s\t*\t%s\t%s\t%s\n' "$seed" "$COUNT" "$1" "$5" >> "$TMP/out.tsv"
    { grep -oE "error parsing signature .* from file .* at line [0-9]+" "$TMP/s.log" || true; } |
        sed -E 's/.* at line ([0-9]+)$/\1/' > "$TMP/fail"
    # Suricata truncates long log lines (the "at line N" suffix is lost for
    # rules of more than about 1,900 bytes): judge those rules one by one.
    awk 'length($0) > 1800 {print NR}' "$TMP/m.rules" > "$TMP/long"
    while read -r n; do
        sed -n "${n}p" "$TMP/m.rules" > "$TMP/one.rules"
        suricata -T -v -c "$SV/suricata-7.0.10.yaml" \
            --set app-layer.protocols.modbus.enabled=yes --set app-layer.protocols.dnp3.enabled=yes \
            --set app-layer.protocols.enip.enabled=yes -S "$TMP/one.rules" -l "$TMP/log" > "$TMP/one.log" 2>&1 < /dev/null || true
        if grep -q "error parsing signature" "$TMP/one.log"; then echo "$n" >> "$TMP/fail"; fi
    done < "$TMP/long"
    sort -un "$TMP/fail" | sed "s/^/$seed\t/; s/$/\tfail/" >> "$TMP/out.tsv"
done
mv "$TMP/out.tsv" "$HERE/mutation-verdicts.tsv"
