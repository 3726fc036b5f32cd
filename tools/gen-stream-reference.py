#!/usr/bin/env python3
"""Reference for crates/stream/tests/tshark_parity.rs: the in-order bytes of TCP sessions
according to tshark (`-z follow,tcp,raw,N`), as length + sha256 per direction.

Selection (deterministic): captures of /work/shared/pcaps up to 5 MB, in the order of the
sha256 of their relative path; per capture, the TCP streams that
  - start with a SYN (no ACK, no payload) and have a SYN/ACK,
  - carry payload,
  - have no retransmission, out-of-order, lost or spurious-retransmission packet
    (tshark's tcp.analysis flags: such sessions can carry overlaps or gaps, which
    tshark's follow and Suricata's reassembly resolve differently),
  - have no IP fragment and no tunnel (one IP layer),
  - use a 5-tuple no other stream of the capture uses (no port reuse);
at most PER_CAPTURE streams per capture, until TOTAL streams are collected.

Output: crates/stream/tests/data/tshark-follow.tsv with columns
  capture  stream  client  server  ts_len  ts_sha256  tc_len  tc_sha256
(client/server as addr:port, IPv6 addresses in brackets; ts = client to server).

Usage: tools/gen-stream-reference.py [--shared /work/shared] [--out FILE]
"""
import argparse
import hashlib
import os
import subprocess
import sys

PER_CAPTURE = 8
TOTAL = 600
MAX_BYTES = 5 * 1024 * 1024

BAD = ("tcp.analysis.retransmission or tcp.analysis.out_of_order or "
       "tcp.analysis.lost_segment or tcp.analysis.ack_lost_segment or "
       "tcp.analysis.spurious_retransmission or tcp.analysis.fast_retransmission or "
       "tcp.analysis.reused_ports or ip.flags.mf == 1 or ip.frag_offset > 0 or "
       "ipv6.fragment or tcp.segment.overlap")


def tshark(args):
    r = subprocess.run(["tshark", "-n"] + args, capture_output=True, text=True, errors="replace")
    return r.stdout


def ep(addr, port):
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


def candidates(path):
    bad = set()
    for line in tshark(["-r", path, "-Y", BAD, "-T", "fields", "-e", "tcp.stream"]).splitlines():
        for s in line.split(","):
            if s.strip():
                bad.add(int(s))
    fields = ["tcp.stream", "ip.src", "ipv6.src", "tcp.srcport", "ip.dst", "ipv6.dst",
              "tcp.dstport", "tcp.flags", "tcp.len"]
    args = ["-r", path, "-Y", "tcp", "-T", "fields", "-E", "separator=\t"]
    for f in fields:
        args += ["-e", f]
    streams = {}
    for line in tshark(args).splitlines():
        c = line.split("\t")
        if len(c) != len(fields) or not c[0] or "," in c[0]:
            continue
        sid = int(c[0])
        src = c[1] or c[2]
        dst = c[4] or c[5]
        st = streams.setdefault(sid, {"ok": True, "pkts": 0, "payload": 0})
        if "," in src or "," in dst or "," in c[3] or not src or not dst:
            st["ok"] = False
            continue
        try:
            flags = int(c[7], 16)
            ln = int(c[8] or 0)
        except ValueError:
            st["ok"] = False
            continue
        if st["pkts"] == 0:
            if flags & 0x12 != 0x02 or ln != 0:
                st["ok"] = False
            st["client"] = ep(src, c[3])
            st["server"] = ep(dst, c[6])
        elif flags & 0x12 == 0x12:
            st["synack"] = True
        elif flags & 0x02:
            # a second SYN (resent SYN): keep it simple, skip
            st["ok"] = False
        st["pkts"] += 1
        st["payload"] += ln
    out = []
    tuples = {}
    for sid, st in streams.items():
        if "client" in st:
            key = tuple(sorted([st["client"], st["server"]]))
            tuples[key] = tuples.get(key, 0) + 1
    for sid in sorted(streams):
        st = streams[sid]
        if sid in bad or not st["ok"] or not st.get("synack") or st["payload"] == 0:
            continue
        if tuples[tuple(sorted([st["client"], st["server"]]))] != 1:
            continue
        out.append((sid, st["client"], st["server"]))
    return out


def follow(path, sids):
    args = ["-r", path, "-q"]
    for s in sids:
        args += ["-z", f"follow,tcp,raw,{s}"]
    text = tshark(args)
    res = {}
    cur = None
    for line in text.splitlines():
        if line.startswith("Filter: tcp.stream eq "):
            cur = int(line.split()[-1])
            res[cur] = {"nodes": [], "data": [bytearray(), bytearray()], "missing": False}
        elif cur is None:
            continue
        elif line.startswith("Node "):
            res[cur]["nodes"].append(line.split(": ", 1)[1].strip())
        elif line.startswith("====") or line.startswith("Follow:"):
            continue
        elif "bytes missing" in line:
            res[cur]["missing"] = True
        elif line.strip():
            side = 1 if line.startswith("\t") else 0
            try:
                res[cur]["data"][side] += bytes.fromhex(line.strip())
            except ValueError:
                res[cur]["missing"] = True
    return res


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "shared"))
    ap.add_argument("--out", default=os.path.join(here, "..", "crates", "stream", "tests",
                                                  "data", "tshark-follow.tsv"))
    a = ap.parse_args()
    root = os.path.join(a.shared, "pcaps")
    files = []
    for d, _, names in os.walk(root):
        for n in names:
            if n.endswith((".pcap", ".pcapng")):
                p = os.path.join(d, n)
                if os.path.getsize(p) <= MAX_BYTES:
                    files.append(os.path.relpath(p, root))
    files.sort(key=lambda r: hashlib.sha256(r.encode()).hexdigest())
    rows = []
    for rel in files:
        if len(rows) >= TOTAL:
            break
        path = os.path.join(root, rel)
        c = candidates(path)[:PER_CAPTURE]
        if not c:
            continue
        fol = follow(path, [s for s, _, _ in c])
        for sid, client, server in c:
            f = fol.get(sid)
            if not f or f["missing"] or len(f["nodes"]) != 2:
                continue
            # node 0 is the side that sent the stream's first packet: the client
            if f["nodes"][0] != client:
                continue
            ts, tc = bytes(f["data"][0]), bytes(f["data"][1])
            rows.append((rel, sid, client, server, len(ts), hashlib.sha256(ts).hexdigest(),
                         len(tc), hashlib.sha256(tc).hexdigest()))
        print(f"{len(rows):4} {rel}", file=sys.stderr)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as fh:
        fh.write("# generated by tools/gen-stream-reference.py from tshark "
                 "-z follow,tcp,raw (see the script for the selection)\n")
        fh.write("capture\tstream\tclient\tserver\tts_len\tts_sha256\ttc_len\ttc_sha256\n")
        for r in rows[:TOTAL]:
            fh.write("\t".join(str(x) for x in r) + "\n")
    print(f"{min(len(rows), TOTAL)} sessions", file=sys.stderr)


if __name__ == "__main__":
    main()
