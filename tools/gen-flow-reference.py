#!/usr/bin/env python3
"""Writes the flow reference used by crates/palisade/tests/flow_parity.rs.

Usage: gen-flow-reference.py LIST REF_DIR > flows-suricata.tsv

LIST names captures (relative to ../shared/pcaps); REF_DIR holds Suricata 7.0.10's output for
each, made with `suricata -c suricata-7.0.10.yaml -k none --disable-detection -r FILE -l
REF_DIR/<name with / replaced by _>`. One line per flow: capture, proto, the two endpoints in
sorted order (ip|port-or-icmp-type), vlan ids, then packets and bytes from each endpoint.
"""
import json
import sys


def rows(capture, path):
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            r = json.loads(line)
            if r.get("event_type") != "flow":
                continue
            yield flow_row(capture, r)


def flow_row(capture, r):
    a = f'{r["src_ip"]}|{r.get("src_port", r.get("icmp_type", ""))}'
    b = f'{r["dest_ip"]}|{r.get("dest_port", r.get("response_icmp_type", ""))}'
    fl = r["flow"]
    fa = (fl["pkts_toserver"], fl["bytes_toserver"])
    fb = (fl["pkts_toclient"], fl["bytes_toclient"])
    if b < a:
        a, b, fa, fb = b, a, fb, fa
    vlan = ",".join(str(v) for v in r.get("vlan", []))
    return "\t".join(map(str, [capture, r["proto"], a, b, vlan, fa[0], fa[1], fb[0], fb[1]]))


def main():
    lst, ref = sys.argv[1], sys.argv[2]
    for cap in open(lst).read().split():
        for row in sorted(rows(cap, f'{ref}/{cap.replace("/", "_")}/eve.json')):
            print(row)


if __name__ == "__main__":
    main()
