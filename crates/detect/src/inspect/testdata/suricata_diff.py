#!/usr/bin/env python3
"""Differential reference data for the buffer inspector: random payload-keyword rules
and buffers, run through the real Suricata 7.0.10, written as
`options<TAB>hex buffer<TAB>0|1` (an `H:` prefix marks an http.uri.raw case).

    python3 suricata_diff.py SEED N OUT.tsv     (needs `suricata` in PATH)

Cases whose Suricata result does not come from buffer inspection alone are left out
(see `engine_level`): rules whose only contents are negated (Suricata prefilters on the
negated pattern), transformed lists without a positive content (Suricata 7.0.10
inspects some of them on the untransformed buffer) and pcrexform followed by
byte_extract (Suricata reads past the transformed data).
"""
import random, re, sys, json, struct, subprocess, os, shutil

OUT = sys.argv[3] if len(sys.argv) > 3 else 'out.tsv'

"""Runs (rule options, payload) cases through the real Suricata: UDP cases as one packet
to port 10000+i; HTTP cases (uri) as a TCP session from source port 20000+i."""
import struct, subprocess, json, os, sys, shutil

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b)//2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

SRC = bytes([10,0,0,1]); DST = bytes([10,0,0,2])
def ip(proto, payload, src=SRC, dst=DST):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20+len(payload), 1, 0, 64, proto, 0, src, dst)
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload
def eth(p): return b'\x00\x01\x02\x03\x04\x05' + b'\x00\x01\x02\x03\x04\x06' + b'\x08\x00' + p
def udp(sp, dp, data):
    u = struct.pack('!HHHH', sp, dp, 8+len(data), 0) + data
    ph = SRC + DST + struct.pack('!BBH', 0, 17, len(u))
    c = csum(ph + u) or 0xffff
    return eth(ip(17, u[:6] + struct.pack('!H', c) + u[8:]))
def tcp(sp, dp, seq, ack, flags, data, src=SRC, dst=DST):
    t = struct.pack('!HHIIBBHHH', sp, dp, seq, ack, 5<<4, flags, 65535, 0, 0) + data
    ph = src + dst + struct.pack('!BBH', 0, 6, len(t))
    c = csum(ph + t)
    return eth(ip(6, t[:16] + struct.pack('!H', c) + t[18:], src, dst))

def session(sp, req, resp=b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"):
    c, s = 1000, 5000
    pk = [tcp(sp, 80, c, 0, 0x02, b''), tcp(80, sp, s, c+1, 0x12, b'', DST, SRC), tcp(sp, 80, c+1, s+1, 0x10, b'')]
    pk.append(tcp(sp, 80, c+1, s+1, 0x18, req))
    pk.append(tcp(80, sp, s+1, c+1+len(req), 0x18, resp, DST, SRC))
    pk.append(tcp(sp, 80, c+1+len(req), s+1+len(resp), 0x11, b''))
    pk.append(tcp(80, sp, s+1+len(resp), c+2+len(req), 0x11, b'', DST, SRC))
    pk.append(tcp(sp, 80, c+2+len(req), s+2+len(resp), 0x10, b''))
    return pk

def run(udp_cases, http_cases=(), out='/tmp/suricata-diff/out'):
    os.makedirs('/tmp/suricata-diff', exist_ok=True)
    pkts = []; rules = []
    for i, (opts, data) in enumerate(udp_cases):
        pkts.append(udp(5555, 10000+i, data))
        rules.append('alert udp any any -> any %d (msg:"u%d"; %s sid:%d;)' % (10000+i, i, opts, 10000+i))
    for i, (opts, uri) in enumerate(http_cases):
        req = uri if uri.startswith(b"GET ") or uri.startswith(b"POST ") else b"GET " + uri + b" HTTP/1.1\r\nHost: x\r\n\r\n"
        pkts += session(20000+i, req)
        rules.append('alert http any %d -> any any (msg:"h%d"; flow:to_server; %s sid:%d;)' % (20000+i, i, opts, 20000+i))
    with open('/tmp/suricata-diff/x.pcap', 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
        for n, p in enumerate(pkts):
            f.write(struct.pack('<IIII', 1700000000 + n, 0, len(p), len(p)) + p)
    open('/tmp/suricata-diff/x.rules', 'w').write('\n'.join(rules) + '\n')
    shutil.rmtree(out, ignore_errors=True); os.makedirs(out)
    r = subprocess.run(['suricata', '-r', '/tmp/suricata-diff/x.pcap', '-S', '/tmp/suricata-diff/x.rules', '-l', out, '-k', 'none',
                        '--set', 'outputs.1.eve-log.types.0=alert', '--set', 'mpm-algo=ac'], capture_output=True, text=True)
    sids = set()
    for line in open(out + '/eve.json'):
        e = json.loads(line)
        if e.get('event_type') == 'alert':
            sids.add(e['alert']['signature_id'])
    bad = [l for l in r.stderr.splitlines() + r.stdout.splitlines() if 'rror' in l]
    return ([10000+i in sids for i in range(len(udp_cases))],
            [20000+i in sids for i in range(len(http_cases))], bad)


def engine_level(o):
    contents = re.findall(r'content:(!?)"', o)
    if contents and all(c == '!' for c in contents):
        return True
    if 'pcrexform' in o and 'byte_extract' in o:
        return True
    # Transformed lists without a positive content: Suricata 7.0.10 inspects some of
    # them on the untransformed buffer (e.g. `to_lowercase; content:!"q"; depth:5;
    # byte_test:...` reads the raw bytes, while without `depth:5` it reads the
    # transformed ones).
    transformed = re.search(r'(to_lowercase|to_uppercase|url_decode|dotprefix|strip_whitespace|compress_whitespace|xor|pcrexform)', o)
    if transformed and not re.search(r'content:"', o):
        return True
    return False

R = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
N = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
ALPH = b'ab\x00\x01\x02\x03\x05AB'
PATS = ['a', 'ab', 'b', 'ba', 'aab', 'A', '|00|', '|01 02|', 'B|00|']
RES = ['a.b', '^a', 'b$', '(a|b)+', 'a*b', '[ab]{2}', 'ab?', 'a(?=b)', '\\x00', '(?:ab)+']
VARS = ['v0', 'v1']
def content(first):
    s = 'content:%s"%s"; ' % ('!' if R.random() < 0.15 else '', R.choice(PATS))
    if R.random() < 0.3: s += 'nocase; '
    k = R.randrange(9)
    if k == 0: s += 'depth:%d; ' % R.randrange(3, 12)
    elif k == 1: s += 'offset:%d; ' % R.randrange(0, 8)
    elif k == 2: s += 'offset:%d; depth:%d; ' % (R.randrange(0, 6), R.randrange(3, 10))
    elif k == 3 and not first: s += 'distance:%d; ' % R.randrange(-5, 6)
    elif k == 4 and not first: s += 'within:%d; ' % R.randrange(3, 10)
    elif k == 5 and not first: s += 'distance:%d; within:%d; ' % (R.randrange(-4, 5), R.randrange(3, 10))
    elif k == 6 and USEV: s += 'distance:%s; ' % R.choice(VARS)
    elif k == 7 and USEV: s += 'within:%s; ' % R.choice(VARS)
    m = R.randrange(8)
    if m == 0 and 'distance' not in s and 'within' not in s and 'depth' not in s and 'offset' not in s: s += 'startswith; '
    elif m == 1: s += 'endswith; '
    return s
def kw(first):
    rel = ',relative' if (R.random() < 0.5 and not first) else ''
    k = R.randrange(10)
    if k < 4: return content(first)
    if k == 4:
        fl = ''.join(c for c in 'ismAGR' if R.random() < 0.2 and (c != 'R' or not first))
        return 'pcre:%s"/%s/%s"; ' % ('!' if R.random() < 0.15 else '', R.choice(RES), fl)
    if k == 5:
        v = R.choice(VARS) if USEV and R.random() < 0.3 else str(R.randrange(0, 12))
        return 'isdataat:%s%s%s; ' % ('!' if R.random() < 0.4 else '', v, rel)
    if k == 6:
        op = R.choice(['<', '>', '=', '<=', '>=', '&', '^', '!='])
        o = ',little' if R.random() < 0.3 else ''
        if R.random() < 0.2: o += ',bitmask 0x%x' % R.randrange(1, 0xffff)
        return 'byte_test:%d,%s,%d,%d%s%s; ' % (R.randrange(1, 4), op, R.randrange(0, 600), R.randrange(-2, 5), rel, o)
    if k == 7:
        o = ''
        for x in [',little', ',align', ',from_beginning']:
            if R.random() < 0.2: o += x
        if R.random() < 0.3: o += ',multiplier %d' % R.randrange(1, 4)
        if R.random() < 0.3: o += ',post_offset %d' % R.randrange(-3, 4)
        return 'byte_jump:%d,%d%s%s; ' % (R.randrange(1, 3), R.randrange(-1, 5), rel, o)
    if k == 8:
        return 'byte_math:bytes 1, offset %d, oper %s, rvalue %d, result %s%s; ' % (R.randrange(0, 4), R.choice(['+', '-', '*', '/', '<<', '>>']), R.randrange(0, 5), R.choice(VARS), ', relative' if rel else '')
    return 'byte_extract:1,%d,%s%s; ' % (R.randrange(-1, 4), R.choice(VARS), rel)
cases = []
for i in range(N):
    USEV = R.random() < 0.3
    s = ''
    if USEV:
        for v in VARS: s += 'byte_extract:1,%d,%s; ' % (R.randrange(0, 3), v)
    n = R.randrange(1, 5)
    for j in range(n): s += kw(j == 0 and not USEV)
    L = R.randrange(0, 24)
    data = bytes(R.choice(ALPH) for _ in range(L))
    if not data: data = b'a'
    cases.append((s, data))
hcases = []
UALPH = b'/ab%2AB+x=Ca'
for i in range(N // 3):
    USEV = R.random() < 0.2
    s = 'http.uri.raw; '
    for t in R.sample(['to_lowercase; ', 'to_uppercase; ', 'url_decode; ', 'dotprefix; ', 'strip_whitespace; ', 'xor:"0102"; ', 'pcrexform:"a(.*)"; ', 'compress_whitespace; '], R.randrange(0, 3)):
        s += t
    if USEV:
        for v in VARS: s += 'byte_extract:1,%d,%s; ' % (R.randrange(0, 3), v)
    n = R.randrange(1, 4)
    for j in range(n): s += kw(j == 0 and not USEV)
    if R.random() < 0.3 and ':v' not in s: s += 'bsize:%s%d; ' % (R.choice(['', '<', '>']), R.randrange(1, 12))
    L = R.randrange(0, 14)
    uri = b'/' + bytes(R.choice(UALPH) for _ in range(L))
    hcases.append((s, uri))
u, h, bad = run(cases, hcases)
badsids = set(int(m) for l in bad for m in re.findall(r'sid:(\d+);', l))
with open(OUT, 'w') as f:
    n = 0
    for i, ((o, d), g) in enumerate(zip(cases, u)):
        if 10000 + i in badsids or engine_level(o): continue
        f.write('%s\t%s\t%d\n' % (o, d.hex(), int(g))); n += 1
    for i, ((o, d), g) in enumerate(zip(hcases, h)):
        if 20000 + i in badsids or engine_level(o): continue
        f.write('H:%s\t%s\t%d\n' % (o, d.hex(), int(g))); n += 1
print('cases', len(cases) + len(hcases), 'loaded', n, 'alerts', sum(u) + sum(h))
