#!/usr/bin/env python3
"""gen-alert-reference: Suricata 7.0.10's eve.json for every shared capture, all shared rules.

    tools/gen-alert-reference.py [--out DIR] [--pcaps DIR] [--rules DIR] [--socket PATH]
                                 [--suricata BIN] [-c YAML] [--force] [--check-only]

Loading the 27,044 shared rules costs Suricata ~15 s, so instead of one `suricata -r` per
capture this starts Suricata once in unix-socket mode and submits every capture with the
`pcap-file <capture> <outdir>` command (one output directory per capture). Between two files
Suricata's unix-socket runmode tears the pcap runmode down and starts it again ("Resetting
engine state"): flows, TCP sessions, defrag trackers, hosts and ip pairs (so host/ippair
thresholds and xbits) start empty for each capture, as with `suricata -r`. The detection engine
(rules) is kept. Settings: the stock /etc/suricata/suricata.yaml with the modbus, dnp3 and enip
parsers enabled, `-k none`, `--runmode single` -- as for ../shared/pcaps/alerts-suricata-7.0.10.tsv
(see ../shared/pcaps/SOURCES.md).

Order: captures are submitted by the time of their first packet (capinfos). Suricata's notion
of "now" survives the reset: when a capture's packets are older than the previous capture's,
its flow manager may time out its new flows at once (seen on
ics/ITI_ICS-Security-Tools__pcaps_s7_S7-1200-Uploading-OB1-TIAV12.pcap, run after a 2016
capture: the 2013 SYN got a flow of its own and the rest of the connection a second flow
without TCP session, unlike `suricata -r`). In time order time only moves forward.

Output: OUT/<capture path relative to --pcaps>/eve.json (default OUT /var/tmp/palisade-alertref,
outside the repository), the other log files removed. Idempotent: captures whose eve.json is
already there (with a `.done` marker) are not submitted again (--force redoes all).

Afterwards (and alone with --check-only) the per-capture alert totals and sid x count lists
are cross-checked against the `alerts` and `sids` columns of alerts-suricata-7.0.10.tsv.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared"))
SETS = [
    "app-layer.protocols.modbus.enabled=yes",
    "app-layer.protocols.dnp3.enabled=yes",
    "app-layer.protocols.enip.enabled=yes",
]
RULE_DIRS = ["et-open", "et-open-supplement", "suricata-events"]
CAPTURE_EXTS = (".pcap", ".pcapng", ".cap")


def captures(pcaps):
    out = []
    for root, _dirs, files in os.walk(pcaps):
        for f in files:
            if f.endswith(CAPTURE_EXTS):
                out.append(os.path.relpath(os.path.join(root, f), pcaps))
    return sorted(out)


def first_times(pcaps, caps):
    """Capture -> time of its first packet (capinfos; +inf when unknown)."""
    out = {}
    for c in caps:
        t = float("inf")
        try:
            p = subprocess.run(["capinfos", "-a", "-T", "-r", "-S", os.path.join(pcaps, c)],
                               capture_output=True, text=True, timeout=60)
            for line in p.stdout.splitlines():
                f = line.split("\t")
                if len(f) >= 2:
                    try:
                        t = float(f[-1])
                    except ValueError:
                        pass
        except (OSError, subprocess.TimeoutExpired):
            pass
        out[c] = t
    return out


def all_rules(rules_dir, dest):
    """Concatenate every .rules file of the shared rule folders (sorted) into one file."""
    with open(dest, "w", encoding="utf-8") as out:
        for d in RULE_DIRS:
            folder = os.path.join(rules_dir, d)
            for f in sorted(os.listdir(folder)):
                if f.endswith(".rules"):
                    with open(os.path.join(folder, f), encoding="utf-8", errors="replace") as r:
                        out.write(r.read())
                        out.write("\n")
    return dest


def sc(socket, command, suricatasc="suricatasc"):
    """One unix-socket command; the parsed JSON answer (None when the socket does not answer)."""
    try:
        p = subprocess.run([suricatasc, "-c", command, socket], capture_output=True,
                           text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None
    try:
        return json.loads(p.stdout)
    except ValueError:
        return None


def start_suricata(args, workdir):
    rules = all_rules(args.rules, os.path.join(workdir, "all.rules"))
    logdir = os.path.join(workdir, "log")
    os.makedirs(logdir, exist_ok=True)
    cmd = [args.suricata, "--unix-socket=" + args.socket, "-c", args.config, "-S", rules,
           "-l", logdir, "-k", "none", "--runmode", "single"]
    for s in SETS:
        cmd += ["--set", s]
    print("starting:", " ".join(cmd), file=sys.stderr)
    log = open(os.path.join(workdir, "suricata.out"), "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(240):
        time.sleep(1)
        if proc.poll() is not None:
            sys.exit("suricata exited (%s), see %s/suricata.out" % (proc.returncode, workdir))
        a = sc(args.socket, "version")
        if a and a.get("return") == "OK":
            return proc
    sys.exit("suricata's unix socket did not answer within 240 s")


def wait_idle(socket):
    while True:
        n = sc(socket, "pcap-file-number")
        cur = sc(socket, "pcap-current")
        if n is None or cur is None:
            sys.exit("suricata's unix socket stopped answering")
        if n.get("message") == 0 and cur.get("message") in ("None", None):
            return
        time.sleep(1)


def keep_only_eve(outdir):
    for f in os.listdir(outdir):
        if f not in ("eve.json", ".done"):
            p = os.path.join(outdir, f)
            if os.path.isdir(p):
                shutil.rmtree(p)
            else:
                os.remove(p)


def generate(args):
    caps = captures(args.pcaps)
    todo = [c for c in caps
            if args.force or not os.path.exists(os.path.join(args.out, c, ".done"))]
    print("%d captures, %d to run" % (len(caps), len(todo)), file=sys.stderr)
    if not todo:
        return
    if args.order == "time":
        t = first_times(args.pcaps, todo)
        todo.sort(key=lambda c: (t[c], c))
    workdir = os.path.join(os.path.dirname(args.socket))
    os.makedirs(workdir, exist_ok=True)
    proc = None
    if not (os.path.exists(args.socket) and sc(args.socket, "version")):
        proc = start_suricata(args, workdir)
    try:
        t0 = time.time()
        # one at a time: a capture is finished when the queue is empty and nothing is current
        for i, c in enumerate(todo):
            outdir = os.path.join(args.out, c)
            if os.path.isdir(outdir):
                shutil.rmtree(outdir)
            os.makedirs(outdir)
            a = sc(args.socket, "pcap-file %s %s" % (os.path.join(args.pcaps, c), outdir))
            if not a or a.get("return") != "OK":
                print("submit failed: %s: %s" % (c, a), file=sys.stderr)
                continue
            wait_idle(args.socket)
            keep_only_eve(outdir)
            if os.path.exists(os.path.join(outdir, "eve.json")):
                open(os.path.join(outdir, ".done"), "w").close()
            else:
                print("no eve.json: %s" % c, file=sys.stderr)
            if (i + 1) % 50 == 0:
                print("%d/%d  %.0f s" % (i + 1, len(todo), time.time() - t0), file=sys.stderr)
    finally:
        if proc is not None:
            sc(args.socket, "shutdown")
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()


def alert_sids(eve):
    """Counter of 'sid' (or 'gid:sid' when gid != 1) over the alert records of an eve.json."""
    c = Counter()
    with open(eve, encoding="utf-8", errors="replace") as f:
        for line in f:
            if '"event_type":"alert"' not in line:
                continue
            try:
                a = json.loads(line)["alert"]
            except (ValueError, KeyError):
                continue
            gid = a.get("gid", 1)
            c[str(a["signature_id"]) if gid == 1 else "%s:%s" % (gid, a["signature_id"])] += 1
    return c


def parse_sids(s):
    """The tsv's `sids` column: 'sid×count' items separated by commas/spaces (tolerant)."""
    c = Counter()
    for item in s.replace(";", ",").replace(" ", ",").split(","):
        item = item.strip()
        if not item:
            continue
        for sep in ("×", "x", "*", "="):
            if sep in item:
                sid, n = item.rsplit(sep, 1)
                c[sid.strip()] += int(n)
                break
        else:
            c[item] += 1
    return c


def check(args):
    tsv = os.path.join(args.pcaps, "alerts-suricata-7.0.10.tsv")
    rows = {}
    with open(tsv, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(head, line.rstrip("\n").split("\t")))
            rows[r["file"]] = r
    n = tot_ok = sids_ok = missing = 0
    ref_total = tsv_total = 0
    bad = []
    for cap, r in sorted(rows.items()):
        eve = os.path.join(args.out, cap, "eve.json")
        if not os.path.exists(eve):
            missing += 1
            continue
        n += 1
        got = alert_sids(eve)
        want = parse_sids(r.get("sids", ""))
        ref_total += sum(got.values())
        tsv_total += int(r["alerts"] or 0)
        t = sum(got.values()) == int(r["alerts"] or 0)
        s = got == want
        tot_ok += t
        sids_ok += s
        if not (t and s):
            diff = {k: (want.get(k, 0), got.get(k, 0)) for k in set(got) | set(want)
                    if want.get(k, 0) != got.get(k, 0)}
            bad.append((cap, int(r["alerts"] or 0), sum(got.values()), diff))
    print("cross-check with %s:" % tsv)
    print("  captures with reference output: %d (missing %d)" % (n, missing))
    print("  alert total equal: %d / %d; sid x count equal: %d / %d" % (tot_ok, n, sids_ok, n))
    print("  alerts: reference %d, tsv %d" % (ref_total, tsv_total))
    for cap, w, g, diff in bad:
        items = sorted(diff.items(), key=lambda kv: -abs(kv[1][0] - kv[1][1]))[:8]
        print("  DIFF %s: tsv %d, ref %d; sid (tsv, ref): %s" % (
            cap, w, g, ", ".join("%s %s" % (k, v) for k, v in items)))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"captures": n, "missing": missing, "total_equal": tot_ok,
                       "sids_equal": sids_ok, "ref_alerts": ref_total, "tsv_alerts": tsv_total,
                       "differing": [{"capture": c, "tsv": w, "ref": g,
                                      "sids": {k: list(v) for k, v in d.items()}}
                                     for c, w, g, d in bad]}, f, indent=1)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", default="/var/tmp/palisade-alertref")
    p.add_argument("--pcaps", default=os.path.join(SHARED, "pcaps"))
    p.add_argument("--rules", default=os.path.join(SHARED, "rules"))
    p.add_argument("--socket", default="/tmp/alertref/sock")
    p.add_argument("--suricata", default="suricata")
    p.add_argument("-c", "--config", default="/etc/suricata/suricata.yaml")
    p.add_argument("--force", action="store_true", help="run every capture again")
    p.add_argument("--order", choices=["time", "name"], default="time",
                   help="submission order: by first packet time (default) or by name")
    p.add_argument("--check-only", action="store_true", help="only the cross-check")
    p.add_argument("--json", help="write the cross-check as JSON")
    args = p.parse_args(argv)
    args.pcaps = os.path.abspath(args.pcaps)
    args.out = os.path.abspath(args.out)
    if not args.check_only:
        generate(args)
    check(args)


if __name__ == "__main__":
    main()
