#!/usr/bin/env python3
"""Writes samples/sample.pcap: a small synthetic capture made here (no third-party data).

It holds a TCP session (handshake, an HTTP request and response, FIN close), a DNS query
and answer over UDP, an ICMP echo request and reply, an 802.1Q-tagged UDP packet, an IPv6
UDP packet and an IPv4 datagram split in two fragments. Run: python3 make-sample.py OUT
"""
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(src, dst, proto, payload, ident=1, frag=0, mf=False, ttl=64):
    s = bytes(map(int, src.split(".")))
    d = bytes(map(int, dst.split(".")))
    flags_off = (0x2000 if mf else 0) | (frag // 8)
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, flags_off, ttl, proto, 0, s, d)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def l4csum(src, dst, proto, seg):
    s = bytes(map(int, src.split(".")))
    d = bytes(map(int, dst.split(".")))
    return csum(s + d + struct.pack("!BBH", 0, proto, len(seg)) + seg)


def tcp(src, dst, sp, dp, seq, ack, flags, data=b""):
    h = struct.pack("!HHIIBBHHH", sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0)
    c = l4csum(src, dst, 6, h + data)
    return ip4(src, dst, 6, h[:16] + struct.pack("!H", c) + h[18:] + data)


def udp(src, dst, sp, dp, data):
    h = struct.pack("!HHHH", sp, dp, 8 + len(data), 0)
    c = l4csum(src, dst, 17, h + data)
    return ip4(src, dst, 17, h[:6] + struct.pack("!H", c) + data)


def icmp_echo(src, dst, itype, ident, seq, data=b"palisade"):
    h = struct.pack("!BBHHH", itype, 0, 0, ident, seq) + data
    h = h[:2] + struct.pack("!H", csum(h)) + h[4:]
    return ip4(src, dst, 1, h)


MAC_C = bytes.fromhex("020000000001")
MAC_S = bytes.fromhex("020000000002")


def eth(payload, to_server=True, ethertype=0x0800, vlan=None):
    dst, src = (MAC_S, MAC_C) if to_server else (MAC_C, MAC_S)
    if vlan is not None:
        return dst + src + struct.pack("!HHH", 0x8100, vlan, ethertype) + payload
    return dst + src + struct.pack("!H", ethertype) + payload


def main(out):
    c, s = "10.0.0.5", "192.0.2.80"
    pkts = []
    req = b"GET /index.html HTTP/1.1\r\nHost: example.test\r\nUser-Agent: palisade-sample\r\n\r\n"
    resp = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"
    cs, ss = 1000, 5000
    pkts.append(eth(tcp(c, s, 40000, 80, cs, 0, 0x02)))
    pkts.append(eth(tcp(s, c, 80, 40000, ss, cs + 1, 0x12), False))
    pkts.append(eth(tcp(c, s, 40000, 80, cs + 1, ss + 1, 0x10)))
    pkts.append(eth(tcp(c, s, 40000, 80, cs + 1, ss + 1, 0x18, req)))
    pkts.append(eth(tcp(s, c, 80, 40000, ss + 1, cs + 1 + len(req), 0x18, resp), False))
    pkts.append(eth(tcp(c, s, 40000, 80, cs + 1 + len(req), ss + 1 + len(resp), 0x11)))
    pkts.append(eth(tcp(s, c, 80, 40000, ss + 1 + len(resp), cs + 2 + len(req), 0x11), False))
    pkts.append(eth(tcp(c, s, 40000, 80, cs + 2 + len(req), ss + 2 + len(resp), 0x10)))
    q = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + b"\x07example\x04test\x00" + struct.pack("!HH", 1, 1)
    a = struct.pack("!HHHHHH", 0x1234, 0x8180, 1, 1, 0, 0) + b"\x07example\x04test\x00" + struct.pack("!HH", 1, 1)
    a += b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) + bytes([192, 0, 2, 80])
    pkts.append(eth(udp(c, "192.0.2.53", 53000, 53, q)))
    pkts.append(eth(udp("192.0.2.53", c, 53, 53000, a), False))
    pkts.append(eth(icmp_echo(c, s, 8, 7, 1)))
    pkts.append(eth(icmp_echo(s, c, 0, 7, 1), False))
    pkts.append(eth(udp(c, s, 5000, 5001, b"tagged"), vlan=100))
    src6 = bytes.fromhex("20010db8000000000000000000000005")
    dst6 = bytes.fromhex("20010db8000000000000000000000050")
    u = struct.pack("!HHHH", 6000, 6001, 8 + 4, 0) + b"ipv6"
    c6 = csum(src6 + dst6 + struct.pack("!IxxxB", len(u), 17) + u)
    u = u[:6] + struct.pack("!H", c6) + u[8:]
    pkts.append(eth(struct.pack("!IHBB", 0x60000000, len(u), 17, 64) + src6 + dst6 + u, ethertype=0x86DD))
    # A UDP datagram of 1208 bytes sent as two IPv4 fragments.
    data = bytes(range(256)) * 4 + b"x" * 192
    seg = struct.pack("!HHHH", 7000, 7001, 8 + len(data), 0) + data
    seg = seg[:6] + struct.pack("!H", l4csum(c, s, 17, seg)) + seg[8:]
    pkts.append(eth(ip4(c, s, 17, seg[:600], ident=77, frag=0, mf=True)))
    pkts.append(eth(ip4(c, s, 17, seg[600:], ident=77, frag=600, mf=False)))

    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        t = 1767225600  # 2026-01-01T00:00:00Z
        for i, p in enumerate(pkts):
            f.write(struct.pack("<IIII", t + i // 4, (i * 125000) % 1000000, len(p), len(p)))
            f.write(p)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sample.pcap")
