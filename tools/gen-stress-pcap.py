#!/usr/bin/env python3
"""Generates stress captures for the stream engine's memory limits (not test data).

  gen-stress-pcap.py synflood N OUT.pcap   N SYNs from distinct client ports/addresses to
                                           one server: N half-open TCP sessions.
  gen-stress-pcap.py overlap N OUT.pcap    one established session, then N data segments
                                           that overlap each other (different bytes) and
                                           leave a hole at the start so nothing is ever
                                           delivered: an overlap storm held in reassembly.
  gen-stress-pcap.py holes N OUT.pcap      one session, then N/2 segments with a hole
                                           before each, each sent twice with other bytes:
                                           out-of-order regions up to the limits.

Packets are Ethernet/IPv4/TCP with valid checksums, one microsecond apart.
"""
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def tcp_pkt(src, dst, sp, dp, seq, ack, flags, payload=b"", opts=b""):
    hl = 5 + len(opts) // 4
    tcp = struct.pack("!HHIIBBHHH", sp, dp, seq, ack, hl << 4, flags, 65535, 0, 0) + opts + payload
    pseudo = struct.pack("!4s4sBBH", src, dst, 0, 6, len(tcp))
    c = csum(pseudo + tcp)
    tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = b"\x00\x11\x22\x33\x44\x55" + b"\x66\x77\x88\x99\xaa\xbb" + b"\x08\x00"
    return eth + ip + tcp


def main():
    mode, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        t = 1_700_000_000 * 1_000_000

        def w(pkt):
            nonlocal t
            t += 1
            f.write(struct.pack("<IIII", t // 1_000_000, t % 1_000_000, len(pkt), len(pkt)))
            f.write(pkt)

        server = bytes([192, 168, 0, 1])
        if mode == "synflood":
            for i in range(n):
                client = bytes([10, (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF])
                w(tcp_pkt(client, server, 1024 + (i % 60000), 80, (i * 7919) & 0xFFFFFFFF, 0, 0x02))
        elif mode == "overlap":
            client = bytes([10, 0, 0, 1])
            w(tcp_pkt(client, server, 40000, 80, 1000, 0, 0x02))
            w(tcp_pkt(server, client, 80, 40000, 5000, 1001, 0x12))
            w(tcp_pkt(client, server, 40000, 80, 1001, 5001, 0x10))
            for i in range(n):
                # Start 1 byte after the first expected byte (a hole never filled), each
                # segment overlapping the previous one by half with different bytes.
                seq = 1002 + (i * 500) % 60000
                payload = bytes([65 + i % 26]) * 1000
                w(tcp_pkt(client, server, 40000, 80, seq, 5001, 0x18, payload))
        elif mode == "holes":
            client = bytes([10, 0, 0, 1])
            # Window scaling 14 on both sides: a 1 GiB receive window.
            ws = b"\x01\x03\x03\x0e"
            w(tcp_pkt(client, server, 40000, 80, 1000, 0, 0x02, opts=ws))
            w(tcp_pkt(server, client, 80, 40000, 5000, 1001, 0x12, opts=ws))
            w(tcp_pkt(client, server, 40000, 80, 1001, 5001, 0x10))
            # The server's first scaled window.
            w(tcp_pkt(server, client, 80, 40000, 5001, 1001, 0x10))
            for i in range(n):
                # 1000-byte segments with 1000-byte holes between them, each sent twice
                # with different bytes: many out-of-order regions, never deliverable.
                seq = (1002 + (i // 2) * 2000) & 0xFFFFFFFF
                payload = bytes([65 + i % 26]) * 1000
                w(tcp_pkt(client, server, 40000, 80, seq, 5001, 0x18, payload))
        else:
            sys.exit("mode: synflood | overlap | holes")


main()
