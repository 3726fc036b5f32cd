#!/usr/bin/env python3
"""Compare the EVE `flow` records of two runs (Suricata's and Palisade's) on the same capture.

Usage: flowdiff.py REF_EVE.json OUR_EVE.json [--json]

Flows are matched by (proto, addresses, ports or ICMP types, vlan) independent of direction;
for each matched pair the per-direction packet and byte totals are compared. Prints a short
summary (or JSON with --json) and exits 0; the caller decides what counts as a failure.
"""
import json
import sys
from collections import Counter


def flows(path):
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if r.get("event_type") == "flow":
                out.append(r)
    return out


def key(r):
    a = (r.get("src_ip"), r.get("src_port", r.get("icmp_type")))
    b = (r.get("dest_ip"), r.get("dest_port", r.get("response_icmp_type")))
    ends = tuple(sorted([tuple(map(str, a)), tuple(map(str, b))]))
    return (r.get("proto"), ends, tuple(r.get("vlan", []) or []))


def totals(r):
    f = r.get("flow", {})
    fwd = (f.get("pkts_toserver", 0), f.get("bytes_toserver", 0))
    rev = (f.get("pkts_toclient", 0), f.get("bytes_toclient", 0))
    return fwd, rev, (r.get("src_ip"), str(r.get("src_port")))


def compare(ref_path, our_path):
    ref, our = flows(ref_path), flows(our_path)
    rk = Counter(key(r) for r in ref)
    ok = Counter(key(r) for r in our)
    by_ref = {}
    for r in ref:
        by_ref.setdefault(key(r), []).append(r)
    by_our = {}
    for r in our:
        by_our.setdefault(key(r), []).append(r)
    matched = equal = 0
    diffs = []
    for k in rk:
        if k not in ok:
            continue
        # Several flows may share a key (other tunnel levels, reuse): pair them in
        # order of start time.
        start = lambda r: r.get("flow", {}).get("start", "")
        for a, b in zip(sorted(by_ref[k], key=start), sorted(by_our[k], key=start)):
            matched += 1
            fa, ra, sa = totals(a)
            fb, rb, sb = totals(b)
            if sa != sb:
                fb, rb = rb, fb
            if (fa, ra) == (fb, rb):
                equal += 1
            else:
                diffs.append({"key": str(k), "suricata": [fa, ra], "palisade": [fb, rb]})
    only_ref = sum((rk - ok).values())
    only_our = sum((ok - rk).values())
    return {
        "ref_flows": len(ref),
        "our_flows": len(our),
        "matched": matched,
        "equal_totals": equal,
        "only_suricata": only_ref,
        "only_palisade": only_our,
        "examples_only_suricata": [str(k) for k in list((rk - ok).keys())[:5]],
        "examples_only_palisade": [str(k) for k in list((ok - rk).keys())[:5]],
        "total_diffs": diffs[:5],
    }


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    res = compare(args[0], args[1])
    if "--json" in sys.argv:
        print(json.dumps(res))
    else:
        print(
            "flows: suricata {ref_flows} palisade {our_flows} matched {matched} "
            "equal-totals {equal_totals} only-suricata {only_suricata} only-palisade {only_palisade}".format(**res)
        )


if __name__ == "__main__":
    main()
