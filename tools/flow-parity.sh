#!/usr/bin/env bash
# Flow parity on a list of captures: runs Palisade on each, compares its EVE flow records
# and decoder/flow counters with Suricata 7.0.10's output made beforehand with
#   suricata -c suricata-7.0.10.yaml -k none --disable-detection -r FILE -l REF_DIR/<name>
# Usage: tools/flow-parity.sh LIST_FILE PCAP_ROOT REF_DIR [PALISADE_BIN]
set -u
list=$1; root=$2; ref=$3; bin=${4:-target/release/palisade}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
tot_files=0; eq_files=0
while read -r f; do
  name=$(echo "$f" | tr '/' '_')
  out=$tmp/$name; mkdir -p "$out"
  "$bin" -r "$root/$f" -l "$out" -k none >/dev/null 2>&1
  res=$(python3 "$here/flowdiff.py" "$ref/$name/eve.json" "$out/eve.json" --json)
  line=$(echo "$res" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["ref_flows"], r["our_flows"], r["matched"], r["equal_totals"], r["only_suricata"], r["only_palisade"])')
  set -- $line
  tot_files=$((tot_files+1))
  status=DIFF
  if [ "$1" = "$2" ] && [ "$1" = "$4" ]; then eq_files=$((eq_files+1)); status=SAME; fi
  printf '%s\t%s\tsuricata=%s palisade=%s matched=%s equal=%s only_s=%s only_p=%s\n' "$status" "$f" "$@"
done < "$list"
echo "captures with identical flows (count and per-flow packet/byte totals): $eq_files / $tot_files"
rm -rf "$tmp"
