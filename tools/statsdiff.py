#!/usr/bin/env python3
"""Compare the last `stats` records of two EVE files: prints counters that differ.

Usage: statsdiff.py REF_EVE.json OUR_EVE.json [PREFIX ...]
Only counters present in both are compared unless --all; PREFIX limits to dotted prefixes.
"""
import json
import sys


def last_stats(path):
    st = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if r.get("event_type") == "stats":
                st = r["stats"]
    return st or {}


def flat(d, pre=""):
    out = {}
    for k, v in d.items():
        key = pre + k
        if isinstance(v, dict):
            out.update(flat(v, key + "."))
        else:
            out[key] = v
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    a, b = flat(last_stats(args[0])), flat(last_stats(args[1]))
    prefixes = args[2:]
    for k in sorted(set(a) | set(b)):
        if k == "uptime" or (prefixes and not any(k.startswith(p) for p in prefixes)):
            continue
        if k in a and k in b:
            if a[k] != b[k]:
                print(f"{k}\tsuricata={a[k]}\tpalisade={b[k]}")
        elif "--all" in sys.argv:
            print(f"{k}\tsuricata={a.get(k, '-')}\tpalisade={b.get(k, '-')}")


if __name__ == "__main__":
    main()
