#!/usr/bin/env bash
# Benchmark (never a test): decode + flow throughput of Palisade against
# `suricata --disable-detection` on the bench capture, alternating runs in one sitting.
#
#   tools/bench-decode.sh [REPEATS]
#
# The capture is built once with ../shared/bench/build-bench-pcap.sh and cached in
# $BENCH_DIR (default /var/tmp/palisade-bench). Needs suricata 7.0.10 installed (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS=${1:-3}
BENCH_DIR=${BENCH_DIR:-/var/tmp/palisade-bench}
PCAP=$BENCH_DIR/bench.pcap
SHARED=$(cd ../shared && pwd)
mkdir -p "$BENCH_DIR"
if [ ! -s "$PCAP" ]; then
  echo "building $PCAP (once) ..."
  bash "$SHARED/bench/build-bench-pcap.sh" "$PCAP"
fi
cargo build --release -q -p palisade
BIN=$PWD/target/release/palisade
CONF=$SHARED/suricata-verify/suricata-7.0.10.yaml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

measure() { # name, command...
  local name=$1; shift
  rm -rf "$out/$name"; mkdir -p "$out/$name"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$out/$name.rss" "$@" -l "$out/$name" >/dev/null 2>&1
  end=$(date +%s.%N)
  local pk
  pk=$(grep '"event_type":"stats"' "$out/$name/eve.json" | tail -1 | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["stats"]["decoder"]["pkts"])')
  echo "$name $(echo "$end - $start" | bc) $(cat "$out/$name.rss") $pk"
}

results=()
for i in $(seq "$REPEATS"); do
  results+=("$(measure suricata suricata -c "$CONF" -r "$PCAP" -k none --runmode single --disable-detection)")
  results+=("$(measure palisade "$BIN" -r "$PCAP" -k none --disable-detection)")
done
printf '%s\n' "${results[@]}" | python3 -c '
import sys, statistics
rows = [l.split() for l in sys.stdin if l.strip()]
by = {}
for name, wall, rss, pkts in rows:
    by.setdefault(name, []).append((float(wall), int(rss), int(pkts)))
for name, rs in by.items():
    w = statistics.median(r[0] for r in rs)
    runs = " ".join("%.2f" % r[0] for r in rs)
    print(f"{name:9s} wall {w:7.2f} s (runs: {runs})  peak RSS {max(r[1] for r in rs)/1024:7.1f} MB  packets {rs[0][2]}  {rs[0][2]/w/1e3:8.1f} kpps")
s, p = by["suricata"], by["palisade"]
ws, wp = statistics.median(r[0] for r in s), statistics.median(r[0] for r in p)
print(f"ratio: Palisade decode+flow is {ws/wp:.2f}x the speed of suricata --disable-detection (median wall time); peak RSS {max(r[1] for r in p)/max(r[1] for r in s):.2f}x")
'
