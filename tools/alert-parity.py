#!/usr/bin/env python3
"""alert-parity: Palisade's alerts against Suricata 7.0.10's pre-made ones, whole corpus.

    tools/alert-parity.py [--ref DIR] [--out DIR] [--palisade BIN] [--classes FILE]
                          [--pcaps DIR] [-j N] [--no-run] [--force] [--json FILE]
                          [--top N] [CAPTURE...]

1. Runs Palisade on every capture of --pcaps (or the given ones) with all the shared rules
   and the settings of tools/gen-alert-reference.py (stock /etc/suricata/suricata.yaml, the
   modbus/dnp3/enip parsers enabled, -k none, --runmode single), each into
   OUT/<capture path>/eve.json (default OUT /var/tmp/palisade-alertref-palisade). Skipped for
   captures already done unless --force; --no-run only compares. -k and --set change
   Palisade's settings (e.g. `-k auto --set stream.checksum-validation=no`, which is what
   Suricata's `-k none` amounts to in pcap-file mode: see the README).
2. Compares with REF/<capture path>/eve.json (tools/gen-alert-reference.py) the alerts of
   the rules of one class of --classes (tools/rule-classes output; default class `packet`,
   i.e. rules that need no app-layer buffer): per (sid, flow) the number of alerts, the flow
   identified as palisade-diff does (proto, endpoints, vlan, flow start).

Report: totals (Suricata, Palisade, alerts in equal (sid, flow) pairs, missing, extra),
the same per class, and the sids that differ most with example flows. --json writes all.
"""

import argparse
import concurrent.futures
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared"))

_loader = importlib.machinery.SourceFileLoader("palisade_diff", os.path.join(HERE, "palisade-diff"))
_spec = importlib.util.spec_from_loader("palisade_diff", _loader)
pd = importlib.util.module_from_spec(_spec)
_loader.exec_module(pd)

_gl = importlib.machinery.SourceFileLoader("gen_alert_reference",
                                           os.path.join(HERE, "gen-alert-reference.py"))
_gs = importlib.util.spec_from_loader("gen_alert_reference", _gl)
gar = importlib.util.module_from_spec(_gs)
_gl.exec_module(gar)


def read_classes(path):
    """sid string -> class, from rule-classes' TSV (gid, sid, class, ...)."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 3 or not p[0].isdigit():
                continue
            sid = p[1] if p[0] == "1" else f"{p[0]}:{p[1]}"
            out[sid] = p[2]
    return out


def alerts_of(eve):
    """Counter of (sid, flow key) over the alert records of an eve.json."""
    c = Counter()
    if not os.path.exists(eve):
        return None
    recs, _bad = pd.read_eve(eve)
    s = pd.summarize([r for r in recs if r.get("event_type", "alert") == "alert"])
    c.update(s["alerts"])
    return c


def run_palisade(args, rules, cap):
    outdir = os.path.join(args.out, cap)
    done = os.path.join(outdir, ".done")
    if os.path.exists(done) and not args.force:
        return cap, "skipped"
    os.makedirs(outdir, exist_ok=True)
    for f in os.listdir(outdir):
        if os.path.isfile(os.path.join(outdir, f)):
            os.remove(os.path.join(outdir, f))
    cmd = [args.palisade, "-c", args.config, "-S", rules, "-r", os.path.join(args.pcaps, cap),
           "-l", outdir, "-k", args.checksum, "--runmode", "single"]
    for s in gar.SETS + args.set:
        cmd += ["--set", s]
    try:
        with open(os.path.join(outdir, "palisade.stderr"), "wb") as se:
            p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=se, timeout=args.timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        rc = "timeout"
    if os.path.exists(os.path.join(outdir, "eve.json")):
        open(done, "w").close()
    return cap, rc


def compare(args, caps, classes):
    per_class = defaultdict(Counter)  # class -> suricata/palisade/equal/missing/extra
    per_sid = defaultdict(Counter)
    sid_caps = defaultdict(set)
    examples = defaultdict(list)
    cap_status = Counter()
    missing_out = []
    for cap in caps:
        s = alerts_of(os.path.join(args.ref, cap, "eve.json"))
        p = alerts_of(os.path.join(args.out, cap, "eve.json"))
        if s is None or p is None:
            missing_out.append((cap, s is None, p is None))
            continue
        same_cap = True
        for key in set(s) | set(p):
            sid = key[0]
            cls = classes.get(sid, "unknown") if classes is not None else args.cls
            a, b = s.get(key, 0), p.get(key, 0)
            pc = per_class[cls]
            pc["suricata"] += a
            pc["palisade"] += b
            pc["pairs"] += 1
            pc["common"] += min(a, b)
            if a == b:
                pc["equal"] += a
                pc["equal_pairs"] += 1
            else:
                pc["missing"] += max(0, a - b)
                pc["extra"] += max(0, b - a)
                pc["pairs_differ"] += 1
            if cls != args.cls:
                continue
            ps = per_sid[sid]
            ps["suricata"] += a
            ps["palisade"] += b
            if a != b:
                same_cap = False
                ps["missing"] += max(0, a - b)
                ps["extra"] += max(0, b - a)
                ps["pairs_differ"] += 1
                sid_caps[sid].add(cap)
                if len(examples[sid]) < args.examples:
                    examples[sid].append({"capture": cap, "flow": pd.key_str(key[1]),
                                          "suricata": a, "palisade": b})
        cap_status["equal" if same_cap else "different"] += 1
    return per_class, per_sid, sid_caps, examples, cap_status, missing_out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("captures", nargs="*", help="capture paths relative to --pcaps (default all)")
    ap.add_argument("--ref", default="/var/tmp/palisade-alertref")
    ap.add_argument("--out", default="/var/tmp/palisade-alertref-palisade")
    ap.add_argument("--palisade", default=os.path.join(REPO, "target", "release", "palisade"))
    ap.add_argument("--classes", help="rule-classes TSV (default: every sid is class `packet`)")
    ap.add_argument("--class", dest="cls", default="packet", help="class compared (%(default)s)")
    ap.add_argument("--pcaps", default=os.path.join(SHARED, "pcaps"))
    ap.add_argument("--rules", default=os.path.join(SHARED, "rules"))
    ap.add_argument("-c", dest="config", default="/etc/suricata/suricata.yaml")
    ap.add_argument("-k", dest="checksum", default="none", choices=["none", "all", "auto"],
                    help="Palisade's checksum mode (%(default)s, as the reference)")
    ap.add_argument("--set", action="append", default=[], metavar="K=V",
                    help="extra --set for Palisade (repeatable)")
    ap.add_argument("-j", dest="jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--no-run", action="store_true", help="only compare existing outputs")
    ap.add_argument("--force", action="store_true", help="run Palisade again on every capture")
    ap.add_argument("--top", type=int, default=30, help="differing sids listed (%(default)s)")
    ap.add_argument("--examples", type=int, default=5, help="example flows per sid (%(default)s)")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)
    args.pcaps, args.out, args.ref = map(os.path.abspath, (args.pcaps, args.out, args.ref))
    caps = args.captures or gar.captures(args.pcaps)

    if not args.no_run:
        os.makedirs(args.out, exist_ok=True)
        rules = gar.all_rules(args.rules, os.path.join(args.out, "all.rules"))
        failed = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
            for i, (cap, rc) in enumerate(ex.map(lambda c: run_palisade(args, rules, c), caps)):
                if rc not in ("skipped", 0):
                    failed.append((cap, rc))
                if (i + 1) % 100 == 0:
                    print(f"palisade: {i + 1}/{len(caps)}", file=sys.stderr)
        for cap, rc in failed:
            print(f"palisade exit {rc}: {cap}", file=sys.stderr)

    classes = read_classes(args.classes) if args.classes else None
    per_class, per_sid, sid_caps, examples, cap_status, missing_out = compare(args, caps, classes)

    print(f"captures: {len(caps)}; compared {sum(cap_status.values())} "
          f"(class {args.cls}: equal {cap_status['equal']}, different {cap_status['different']}); "
          f"without output: {len(missing_out)}")
    print("(equal: alerts in (sid, flow) pairs with the same count; common: sum of the smaller"
          " count over all pairs; pairs: (capture, sid, flow) pairs, pairs=: those equal)")
    print(f"{'class':14} {'suricata':>9} {'palisade':>9} {'equal':>9} {'common':>9} {'missing':>8}"
          f" {'extra':>8} {'pairs':>7} {'pairs=':>7}")
    for cls in sorted(per_class):
        c = per_class[cls]
        print(f"{cls:14} {c['suricata']:9} {c['palisade']:9} {c['equal']:9} {c['common']:9} {c['missing']:8} "
              f"{c['extra']:8} {c['pairs']:7} {c['equal_pairs']:7}")
    ranked = sorted((s for s in per_sid if per_sid[s]["missing"] or per_sid[s]["extra"]),
                    key=lambda s: -(per_sid[s]["missing"] + per_sid[s]["extra"]))
    print(f"\nsids of class {args.cls} that differ: {len(ranked)} "
          f"(of {len(per_sid)} that alert in either)")
    print(f"{'sid':>10} {'suricata':>9} {'palisade':>9} {'missing':>8} {'extra':>8} {'caps':>5}")
    for sid in ranked[:args.top]:
        c = per_sid[sid]
        print(f"{sid:>10} {c['suricata']:9} {c['palisade']:9} {c['missing']:8} {c['extra']:8} "
              f"{len(sid_caps[sid]):5}   e.g. {examples[sid][0]['capture']}")
    for cap, no_ref, no_pal in missing_out[:20]:
        print(f"no output: {cap} ({'reference' if no_ref else ''}{' palisade' if no_pal else ''})")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"captures": len(caps), "capture_status": cap_status,
                       "per_class": per_class, "class": args.cls,
                       "sids": {s: dict(per_sid[s], captures=sorted(sid_caps[s]),
                                        examples=examples[s]) for s in ranked},
                       "equal_sids": sorted(s for s in per_sid if s not in set(ranked)),
                       "without_output": missing_out}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
