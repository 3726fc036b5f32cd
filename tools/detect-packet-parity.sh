#!/usr/bin/env bash
# Packet-level detection parity with Suricata 7.0.10 (reference only: Palisade never
# needs Suricata). Runs the detect crate's `detect_parity` example and Suricata over
# captures with the comparable subset of ../shared/rules (rules needing neither the TCP
# stream engine nor the app-layer; see crates/detect/examples/detect_parity.rs) and
# compares the (pcap_cnt, sid) pairs of the alerts.
#
#   tools/detect-packet-parity.sh [CAPTURE...]
#
# Without arguments: the N (default 40) smallest captures of ../shared/pcaps that
# Suricata alerts on. Env: OUT (work dir, default /tmp/detect-parity), N,
# CARGO_TARGET_DIR (default /tmp/tgt-detect).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "$here/../shared" && pwd)
out=${OUT:-/tmp/detect-parity}
n=${N:-40}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/tgt-detect}
mkdir -p "$out"

(cd "$here" && cargo build -q -p palisade-detect --release --example detect_parity)
bin=$CARGO_TARGET_DIR/release/examples/detect_parity
"$bin" rules "$out/comparable.rules" "$shared"/rules/{et-open,et-open-supplement,suricata-events}/*.rules

if [ $# -gt 0 ]; then
  caps=("$@")
else
  mapfile -t caps < <(awk -F'\t' 'NR>1 && $5>0 && $11=="yes" {print $3"\t"$1}' \
    "$shared/pcaps/alerts-suricata-7.0.10.tsv" | sort -n | head -n "$n" | cut -f2 |
    sed "s|^|$shared/pcaps/|")
fi

tot_s=0; tot_p=0; tot_c=0; same=0; i=0
printf '%-70s %8s %8s %8s\n' capture suricata palisade common
for cap in "${caps[@]}"; do
  i=$((i+1))
  d="$out/run-$i"; rm -rf "$d"; mkdir -p "$d"
  suricata -r "$cap" -S "$out/comparable.rules" -l "$d" -k none \
    --set app-layer.protocols.modbus.enabled=yes --set app-layer.protocols.dnp3.enabled=yes \
    --set app-layer.protocols.enip.enabled=yes >"$d/suricata.log" 2>&1 || true
  jq -r 'select(.event_type=="alert") | "\(.pcap_cnt)\t\(.alert.signature_id)"' \
    "$d/eve.json" 2>/dev/null | sort -u >"$d/suricata.tsv" || true
  "$bin" run "$out/comparable.rules" "$cap" | sort -u >"$d/palisade.tsv"
  s=$(wc -l <"$d/suricata.tsv"); p=$(wc -l <"$d/palisade.tsv")
  c=$(comm -12 "$d/suricata.tsv" "$d/palisade.tsv" | wc -l)
  tot_s=$((tot_s+s)); tot_p=$((tot_p+p)); tot_c=$((tot_c+c))
  [ "$s" = "$c" ] && [ "$p" = "$c" ] && same=$((same+1))
  printf '%-70s %8d %8d %8d\n' "$(basename "$cap" | cut -c1-70)" "$s" "$p" "$c"
  comm -23 "$d/suricata.tsv" "$d/palisade.tsv" | sed 's/^/    only suricata: /' | head -5
  comm -13 "$d/suricata.tsv" "$d/palisade.tsv" | sed 's/^/    only palisade: /' | head -5
done
echo "captures: $i, identical: $same; alerts (pcap_cnt,sid): suricata $tot_s, palisade $tot_p, common $tot_c"
