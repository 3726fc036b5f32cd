//! Decoder tests: packets are built from annotated pieces (each builder documents the
//! bytes it writes), then decoded and checked field by field.

use super::*;
use crate::{DecodeEvent, Events};
use std::net::{Ipv4Addr, Ipv6Addr};

// ----- builders (network byte order throughout) -----

fn csum(b: &[u8]) -> u16 {
    checksum::finish(checksum::sum(0, b))
}

/// dst 00:11:22:33:44:55, src 66:77:88:99:aa:bb, EtherType, payload.
fn eth(etype: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
    ];
    v.extend(etype.to_be_bytes());
    v.extend(payload);
    v
}

/// A VLAN tag: TCI (id), inner EtherType.
fn tag(id: u16, etype: u16) -> Vec<u8> {
    let mut v = id.to_be_bytes().to_vec();
    v.extend(etype.to_be_bytes());
    v
}

/// IPv4 header 10.0.0.1 -> 10.0.0.2, TTL 64, with options and a correct checksum.
fn ip4_full(proto: u8, payload: &[u8], opts: &[u8], frag: u16) -> Vec<u8> {
    let hl = 20 + opts.len();
    let mut h = vec![0x40 | (hl / 4) as u8, 0]; // version/IHL, TOS
    h.extend(((hl + payload.len()) as u16).to_be_bytes()); // total length
    h.extend([0x12, 0x34]); // identification
    h.extend(frag.to_be_bytes()); // flags + fragment offset
    h.extend([64, proto, 0, 0]); // TTL, protocol, checksum (filled below)
    h.extend([10, 0, 0, 1, 10, 0, 0, 2]); // src, dst
    h.extend(opts);
    let c = csum(&h);
    h[10..12].copy_from_slice(&c.to_be_bytes());
    h.extend(payload);
    h
}

fn ip4(proto: u8, payload: &[u8]) -> Vec<u8> {
    ip4_full(proto, payload, &[], 0)
}

/// IPv6 header 2001::1 -> 2001::2, hop limit `hlim`.
fn ip6_hl(nh: u8, payload: &[u8], hlim: u8) -> Vec<u8> {
    let mut h = vec![0x60, 0, 0, 0];
    h.extend((payload.len() as u16).to_be_bytes()); // payload length
    h.extend([nh, hlim]);
    h.extend(Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 1).octets());
    h.extend(Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 2).octets());
    h.extend(payload);
    h
}

fn ip6(nh: u8, payload: &[u8]) -> Vec<u8> {
    ip6_hl(nh, payload, 64)
}

/// TCP header: ports, seq 1, ack 0, data offset from options, flags, window 65535.
fn tcp_full(flags: u8, opts: &[u8], payload: &[u8]) -> Vec<u8> {
    let hl = 20 + opts.len();
    let mut h = vec![0x04, 0xd2, 0x00, 0x50]; // 1234 -> 80
    h.extend([0, 0, 0, 1, 0, 0, 0, 0]); // seq, ack
    h.extend([((hl / 4) as u8) << 4, flags, 0xff, 0xff, 0, 0, 0, 0]); // doff, flags, win, csum, urg
    h.extend(opts);
    h.extend(payload);
    h
}

fn tcp() -> Vec<u8> {
    tcp_full(tcp::FLAG_SYN, &[], &[])
}

/// UDP header with a correct length field and checksum 0.
fn udp(sp: u16, dp: u16, payload: &[u8]) -> Vec<u8> {
    let mut h = sp.to_be_bytes().to_vec();
    h.extend(dp.to_be_bytes());
    h.extend(((8 + payload.len()) as u16).to_be_bytes());
    h.extend([0, 0]);
    h.extend(payload);
    h
}

/// Fills in the TCP/UDP checksum of an IPv4 packet built above (no options).
fn fix_l4_csum_v4(ip: &mut [u8], proto: u8) {
    let off = match proto {
        6 => 16,
        17 => 6,
        _ => return,
    };
    ip[20 + off] = 0;
    ip[20 + off + 1] = 0;
    let seg = ip[20..].to_vec();
    let acc = checksum::pseudo(
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)),
        proto,
        seg.len() as u32,
    );
    let c = checksum::finish(checksum::sum(acc, &seg));
    ip[20 + off..20 + off + 2].copy_from_slice(&c.to_be_bytes());
}

fn run(lt: u32, data: &[u8]) -> (Packet<'static>, DecodeStats) {
    run_cfg(DecoderConfig::default(), lt, data)
}

/// Decodes a copy of `data` (leaked, so that tests can build frames inline).
fn run_cfg(cfg: DecoderConfig, lt: u32, data: &[u8]) -> (Packet<'static>, DecodeStats) {
    let data: &'static [u8] = Box::leak(data.to_vec().into_boxed_slice());
    let dec = Decoder::new(cfg);
    let mut stats = DecodeStats::default();
    let ts = Timestamp::new(1, 0);
    let mut pkt = Packet::new(data, ts);
    dec.decode(LinkType(lt), data, ts, &mut pkt, &mut stats);
    (pkt, stats)
}

fn inner<'a>(outer: &Packet<'a>, stats: &mut DecodeStats) -> Packet<'a> {
    let t = outer.tunnel.expect("tunnel");
    let data = &outer.data[t.offset as usize..];
    let mut p = Packet::new(data, outer.ts);
    Decoder::default().decode_inner(t.kind, data, outer.ts, 1, &mut p, stats);
    p
}

fn evs(p: &Packet<'_>) -> Vec<&'static str> {
    p.events.iter().map(|e| e.name()).collect()
}

const ETH: u32 = 1;

// ----- link layers and TCP -----

#[test]
fn ethernet_ipv4_tcp_with_options() {
    let opts = [
        0x02, 0x04, 0x05, 0xb4, // MSS 1460
        0x04, 0x02, // SACK permitted
        0x08, 0x0a, 0, 0, 0, 9, 0, 0, 0, 0,    // timestamps 9, 0
        0x01, // NOP
        0x03, 0x03, 0x07, // window scale 7
    ];
    let f = eth(0x0800, &ip4(6, &tcp_full(0x02, &opts, b"hello")));
    let (p, s) = run(ETH, &f);
    assert!(p.events.is_empty(), "{:?}", evs(&p));
    assert!(!p.invalid && !p.failed);
    let eth = p.eth.unwrap();
    assert_eq!(eth.ether_type, 0x0800);
    assert_eq!(eth.src, [0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb]);
    let ip = p.ip.unwrap();
    assert_eq!(ip.version, 4);
    assert_eq!(ip.src, IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)));
    assert_eq!((ip.proto, ip.ttl, ip.offset, ip.hlen), (6, 64, 14, 20));
    let L4::Tcp(t) = p.l4 else {
        panic!("{:?}", p.l4)
    };
    assert_eq!((t.seq, t.flags, t.hlen, t.window), (1, 0x02, 40, 65535));
    assert_eq!((p.sp, p.dp), (1234, 80));
    assert_eq!(p.payload(), b"hello");
    assert_eq!(p.tcp_opts.mss, Some(1460));
    assert_eq!(p.tcp_opts.wscale, Some(7));
    assert_eq!(p.tcp_opts.ts, Some((9, 0)));
    assert!(p.tcp_opts.sack_permitted);
    assert_eq!(
        (s.pkts, s.bytes, s.ethernet, s.ipv4, s.tcp),
        (1, f.len() as u64, 1, 1, 1)
    );
    assert_eq!((s.tcp_syn, s.invalid), (1, 0));
}

#[test]
fn truncation_at_every_length_never_panics_and_reports_the_right_layer() {
    let f = eth(0x0800, &ip4(6, &tcp_full(0x10, &[1, 1, 1, 0], b"data")));
    for cut in 0..f.len() {
        let (p, _) = run(ETH, &f[..cut]);
        let names = evs(&p);
        let expect = if cut < 14 {
            "ethernet.pkt_too_small"
        } else if cut < 34 {
            "ipv4.pkt_too_small"
        } else {
            // the IP total length is larger than what was captured
            "ipv4.trunc_pkt"
        };
        assert_eq!(names, vec![expect], "cut at {cut}");
        assert!(p.invalid && p.l4 == L4::None);
    }
    // Full frame plus Ethernet padding: padding ignored.
    let mut padded = f.clone();
    padded.extend([0u8; 6]);
    let (p, _) = run(ETH, &padded);
    assert!(p.events.is_empty());
    assert_eq!(p.payload(), b"data");
}

#[test]
fn ipv4_header_length_problems() {
    let good = ip4(6, &tcp());
    type Mutation = fn(&mut Vec<u8>);
    let cases: [(Mutation, &str); 4] = [
        (|v| v[0] = 0x44, "ipv4.hlen_too_small"), // IHL 4
        (
            |v| v[2..4].copy_from_slice(&[0, 19]),
            "ipv4.iplen_smaller_than_hlen",
        ),
        (|v| v[0] = 0x65, "ipv4.wrong_ip_version"), // version 6 under 0x0800
        (|v| v[2..4].copy_from_slice(&[0x01, 0]), "ipv4.trunc_pkt"), // total 256
    ];
    for (mutate, name) in cases {
        let mut ip = good.clone();
        mutate(&mut ip);
        let (p, s) = run(ETH, &eth(0x0800, &ip));
        assert_eq!(evs(&p), vec![name]);
        assert!(p.invalid && !p.failed && p.ip.is_none());
        assert_eq!((s.ipv4, s.tcp, s.invalid), (1, 0, 1));
    }
}

#[test]
fn tcp_header_problems() {
    // data offset 4: below 20 bytes wraps to an impossible options length
    let mut t = tcp();
    t[12] = 0x40;
    let (p, _) = run(ETH, &eth(0x0800, &ip4(6, &t)));
    assert_eq!(evs(&p), vec!["tcp.invalid_optlen"]);
    assert_eq!(p.l4, L4::None);
    // data offset 15 (60 bytes) with only 20 present
    let mut t = tcp();
    t[12] = 0xf0;
    let (p, _) = run(ETH, &eth(0x0800, &ip4(6, &t)));
    assert_eq!(evs(&p), vec!["tcp.hlen_too_small"]);
    // 10 bytes of TCP
    let (p, _) = run(ETH, &eth(0x0800, &ip4(6, &tcp()[..10])));
    assert_eq!(evs(&p), vec!["tcp.pkt_too_small"]);
    // option with length 1: invalid, but the header is kept
    let (p, _) = run(ETH, &eth(0x0800, &ip4(6, &tcp_full(2, &[2, 1, 0, 0], b""))));
    assert_eq!(evs(&p), vec!["tcp.opt_invalid_len"]);
    assert!(p.invalid && matches!(p.l4, L4::Tcp(_)));
}

#[test]
fn udp_length_problems() {
    let mut u = udp(1, 2, b"abcd");
    u[4..6].copy_from_slice(&40u16.to_be_bytes()); // claims more than present
    let (p, _) = run(ETH, &eth(0x0800, &ip4(17, &u)));
    assert_eq!(evs(&p), vec!["udp.pkt_too_small"]);
    u[4..6].copy_from_slice(&4u16.to_be_bytes()); // shorter than its header
    let (p, _) = run(ETH, &eth(0x0800, &ip4(17, &u)));
    assert_eq!(evs(&p), vec!["udp.len_invalid"]);
    let (p, _) = run(ETH, &eth(0x0800, &ip4(17, &u[..5])));
    assert_eq!(evs(&p), vec!["udp.hlen_too_small"]);
    // shorter UDP length than the IP payload: payload follows the UDP length
    let mut u = udp(1, 2, b"abcd");
    u[4..6].copy_from_slice(&10u16.to_be_bytes());
    let (p, _) = run(ETH, &eth(0x0800, &ip4(17, &u)));
    assert!(p.events.is_empty());
    assert_eq!(p.payload(), b"ab");
}

#[test]
fn vlan_stacking() {
    let payload = ip4(17, &udp(1, 2, b""));
    // 802.1ad 10 / 802.1Q 20 / 802.1Q 30 / IPv4
    let mut body = tag(10, 0x8100);
    body.extend(tag(20, 0x8100));
    body.extend(tag(30, 0x0800));
    body.extend(&payload);
    let (p, s) = run(ETH, &eth(0x88a8, &body));
    assert!(p.events.is_empty());
    assert_eq!((p.vlan, p.vlan_count), ([10, 20, 30], 3));
    assert_eq!((s.vlan, s.vlan_qinq, s.vlan_qinqinq, s.udp), (1, 1, 1, 1));
    // a fourth tag
    let mut body = tag(10, 0x8100);
    body.extend(tag(20, 0x8100));
    body.extend(tag(30, 0x8100));
    body.extend(tag(40, 0x0800));
    body.extend(&payload);
    let (p, s) = run(ETH, &eth(0x8100, &body));
    assert_eq!(evs(&p), vec!["vlan.too_many_layers"]);
    assert_eq!(p.vlan_count, 3);
    assert_eq!(s.ipv4, 0);
    // unknown inner EtherType
    let (p, s) = run(ETH, &eth(0x8100, &tag(5, 0x1234)));
    assert_eq!(evs(&p), vec!["vlan.unknown_type"]);
    assert_eq!(s.unknown_ethertype, 1);
    // truncated tag
    let (p, _) = run(ETH, &eth(0x8100, &[0, 5]));
    assert_eq!(evs(&p), vec!["vlan.header_too_small"]);
}

#[test]
fn arp_and_unknown_ethertype() {
    let (p, s) = run(ETH, &eth(0x0806, &[0u8; 28]));
    assert!(p.events.is_empty() && p.ip.is_none());
    assert_eq!(s.arp, 1);
    let (p, s) = run(ETH, &eth(0x1234, &[0u8; 28]));
    assert!(p.events.is_empty() && !p.invalid);
    assert_eq!(s.unknown_ethertype, 1);
}

#[test]
fn other_link_types() {
    let ip = ip4(17, &udp(1, 2, b"z"));
    // Linux SLL: packet type, ARPHRD, addr len, addr (8), protocol
    let mut sll = vec![0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00];
    sll.extend(&ip);
    let (p, s) = run(113, &sll);
    assert!(p.events.is_empty() && p.ip.is_some());
    assert_eq!(s.sll, 1);
    let (p, _) = run(113, &sll[..10]);
    assert_eq!(evs(&p), vec!["sll.pkt_too_small"]);
    // SLL2: protocol, reserved, ifindex, ARPHRD, packet type, addr len, addr (8)
    let mut sll2 = vec![0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6];
    sll2.extend([0u8; 8]);
    sll2.extend(&ip);
    let (p, _) = run(276, &sll2);
    assert!(p.ip.is_some());
    // BSD loopback: DLT_NULL little-endian (as Suricata on x86), DLT_LOOP big-endian
    for (lt, fam) in [(0, [2u8, 0, 0, 0]), (108, [0, 0, 0, 2])] {
        let mut f = fam.to_vec();
        f.extend(&ip);
        let (p, s) = run(lt, &f);
        assert!(p.ip.is_some(), "{fam:?}");
        assert_eq!(s.null, 1);
    }
    let mut f = vec![0, 0, 0, 2];
    f.extend(&ip);
    assert_eq!(evs(&run(0, &f).0), vec!["ltnull.unsupported_type"]);
    let mut f = vec![30, 0, 0, 0];
    f.extend(ip6(59, b""));
    let (p, _) = run(0, &f);
    assert_eq!(p.ip.unwrap().version, 6);
    let (p, _) = run(0, &[9, 0, 0, 0, 1]);
    assert_eq!(evs(&p), vec!["ltnull.unsupported_type"]);
    // raw IP, all its numbers
    for lt in [101, 12, 14, 228, 229] {
        let (p, s) = run(lt, &ip);
        assert!(p.ip.is_some());
        assert_eq!(s.raw, 1);
    }
    let mut bad = ip.clone();
    bad[0] = 0x55;
    let (p, _) = run(101, &bad);
    assert_eq!(evs(&p), vec!["ipraw.invalid_ip_version"]);
    let (p, _) = run(101, &ip[..10]);
    assert_eq!(evs(&p), vec!["ipv4.pkt_too_small"]);
    // PPP with HDLC framing, and with compressed protocol field
    let mut ppp = vec![0xff, 0x03, 0x00, 0x21];
    ppp.extend(&ip);
    let (p, s) = run(9, &ppp);
    assert!(p.ip.is_some());
    assert_eq!(s.ppp, 1);
    let mut ppp = vec![0x21];
    ppp.extend(&ip);
    assert!(run(9, &ppp).0.ip.is_some());
    let (p, _) = run(9, &[0xff, 0x03, 0xc0, 0x21, 1, 2]);
    assert_eq!(evs(&p), vec!["ppp.unsup_proto"]);
    let (p, _) = run(9, &[0xff, 0x03, 0x12, 0x34, 1, 2]);
    assert_eq!(evs(&p), vec!["ppp.wrong_type"]);
    assert!(p.invalid && !p.failed);
    // one-byte protocol other than IPv4/IPv6/VJ: unsupported
    let (p, _) = run(9, &[0xfd, 1, 2]);
    assert_eq!(evs(&p), vec!["ppp.unsup_proto"]);
    let (p, _) = run(9, &[0x21, 0x45, 0]);
    assert_eq!(evs(&p), vec!["ppp.vju_pkt_too_small"]);
    let (p, _) = run(9, &[0xff, 0x03, 0x00, 0x21, 1, 2]);
    assert_eq!(evs(&p), vec!["ppp.ip4_pkt_too_small"]);
    // Cisco HDLC
    let mut ch = vec![0x0f, 0x00, 0x08, 0x00];
    ch.extend(&ip);
    let (p, s) = run(104, &ch);
    assert!(p.ip.is_some());
    assert_eq!(s.chdlc, 1);
    // unknown link type
    let (p, s) = run(147, &ip);
    assert!(p.invalid && p.failed && p.events.is_empty());
    assert_eq!((s.pkts, s.invalid), (1, 1));
}

#[test]
fn mpls_and_pppoe() {
    let ip = ip4(17, &udp(1, 2, b""));
    // label 100 (not bottom), label 200 (bottom): payload guessed from its first nibble
    let mut m = vec![0x00, 0x06, 0x40, 0x40, 0x00, 0x0c, 0x81, 0x40];
    m.extend(&ip);
    let (p, s) = run(ETH, &eth(0x8847, &m));
    assert!(p.events.is_empty());
    assert_eq!((s.mpls, s.ipv4), (1, 1));
    // label 1 (router alert) at the bottom
    let mut m = vec![0x00, 0x00, 0x11, 0x40];
    m.extend(&ip);
    let (p, _) = run(ETH, &eth(0x8847, &m));
    assert_eq!(evs(&p), vec!["mpls.bad_label_router_alert"]);
    assert!(p.ip.is_some());
    // explicit null IPv6 label, then garbage payload type
    let (p, _) = run(ETH, &eth(0x8847, &[0x00, 0x01, 0x01, 0x40, 0x70, 0, 0, 0]));
    assert_eq!(evs(&p), vec!["mpls.unknown_payload_type"]);
    let (p, _) = run(ETH, &eth(0x8847, &[0x00, 0x01, 0x00, 0x40]));
    assert_eq!(evs(&p), vec!["mpls.header_too_small"]);
    // PPPoE session: ver/type 0x11, code 0, session 1, length, PPP protocol IPv4
    let mut ps = vec![0x11, 0x00, 0x00, 0x01];
    ps.extend(((ip.len() + 2) as u16).to_be_bytes());
    ps.extend([0x00, 0x21]);
    ps.extend(&ip);
    let (p, s) = run(ETH, &eth(0x8864, &ps));
    assert!(p.events.is_empty());
    assert_eq!((s.pppoe, s.ipv4, s.udp), (1, 1, 1));
    // PPPoE discovery with an unknown code, then with a tag running past the end
    let (p, _) = run(ETH, &eth(0x8863, &[0x11, 0x42, 0, 0, 0, 0]));
    assert_eq!(evs(&p), vec!["pppoe.wrong_code"]);
    let (p, _) = run(
        ETH,
        &eth(0x8863, &[0x11, 0x09, 0, 0, 0, 4, 0x01, 0x01, 0x00, 0x09]),
    );
    assert_eq!(evs(&p), vec!["pppoe.malformed_tags"]);
    let (p, _) = run(
        ETH,
        &eth(0x8863, &[0x11, 0x09, 0, 0, 0, 4, 0x01, 0x01, 0x00, 0x00]),
    );
    assert!(p.events.is_empty());
}

// ----- IPv4 options, fragments, checksums -----

#[test]
fn ipv4_options() {
    let udp_ = udp(1, 2, b"");
    // Record route: type 7, len 7, pointer 4, one empty slot; then EOL
    let (p, _) = run(
        ETH,
        &eth(0x0800, &ip4_full(17, &udp_, &[7, 7, 4, 0, 0, 0, 0, 0], 0)),
    );
    assert!(p.events.is_empty(), "{:?}", evs(&p));
    assert_ne!(p.ipv4_opts & ipv4::OPT_FLAG_RR, 0);
    // pointer 3 is malformed
    let (p, _) = run(
        ETH,
        &eth(0x0800, &ip4_full(17, &udp_, &[7, 7, 3, 0, 0, 0, 0, 0], 0)),
    );
    assert_eq!(evs(&p), vec!["ipv4.opt_malformed"]);
    assert!(p.invalid && p.ip.is_some());
    // unknown option 0x9e, len 4
    let (p, _) = run(
        ETH,
        &eth(
            0x0800,
            &ip4_full(17, &udp_, &[0x9e, 4, 0, 0, 0, 0, 0, 0], 0),
        ),
    );
    assert_eq!(evs(&p), vec!["ipv4.opt_invalid"]);
    // two router alerts
    let ra = [0x94, 4, 0, 0, 0x94, 4, 0, 0];
    let (p, _) = run(ETH, &eth(0x0800, &ip4_full(17, &udp_, &ra, 0)));
    assert_eq!(evs(&p), vec!["ipv4.opt_duplicate"]);
    // option length past the options: the header is refused
    let (p, s) = run(
        ETH,
        &eth(
            0x0800,
            &ip4_full(17, &udp_, &[0x94, 9, 0, 0, 0, 0, 0, 0], 0),
        ),
    );
    assert_eq!(evs(&p), vec!["ipv4.opt_invalid_len"]);
    assert!(p.ip.is_none() && p.l4 == L4::None);
    assert_eq!(s.udp, 0);
    // NOPs then a lone option byte: EOL required
    let (p, _) = run(
        ETH,
        &eth(
            0x0800,
            &ip4_full(17, &udp_, &[1, 1, 1, 1, 1, 1, 1, 0x94], 0),
        ),
    );
    assert_eq!(evs(&p), vec!["ipv4.opt_eol_required"]);
    // timestamp option with a bad pointer
    let ts = [0x44, 8, 6, 0, 0, 0, 0, 0];
    let (p, _) = run(ETH, &eth(0x0800, &ip4_full(17, &udp_, &ts, 0)));
    assert_eq!(evs(&p), vec!["ipv4.opt_malformed"]);
}

#[test]
fn ipv4_fragments_are_not_decoded_further() {
    // MF set, offset 0
    let ip = ip4_full(17, &udp(1, 2, b"12345678"), &[], 0x2000);
    let (p, s) = run(ETH, &eth(0x0800, &ip));
    let f = p.fragment.unwrap();
    assert_eq!((f.id, f.offset, f.more), (0x1234, 0, true));
    let l = p.frag_layout.unwrap();
    assert_eq!((l.data_offset, l.data_len, l.next_header), (34, 16, 17));
    assert_eq!(p.l4, L4::None);
    assert_eq!((s.ipv4, s.udp), (1, 0));
    // last fragment at offset 8
    let ip = ip4_full(17, b"tail", &[], 0x0001);
    let (p, _) = run(ETH, &eth(0x0800, &ip));
    let f = p.fragment.unwrap();
    assert_eq!((f.offset, f.more), (8, false));
}

#[test]
fn checksum_modes() {
    let mut ip = ip4(6, &tcp_full(0x18, &[], b"payload"));
    fix_l4_csum_v4(&mut ip, 6);
    let frame = eth(0x0800, &ip);
    let none = DecoderConfig {
        checksum: ChecksumMode::None,
        ..DecoderConfig::default()
    };
    let all = DecoderConfig {
        checksum: ChecksumMode::All,
        ..DecoderConfig::default()
    };
    let (p, _) = run_cfg(none, ETH, &frame);
    assert_eq!((p.ip_csum_ok, p.l4_csum_ok), (None, None));
    let (p, _) = run_cfg(all, ETH, &frame);
    assert_eq!((p.ip_csum_ok, p.l4_csum_ok), (Some(true), Some(true)));
    let mut bad = frame.clone();
    *bad.last_mut().unwrap() ^= 0xff; // payload byte
    bad[14 + 8] ^= 1; // TTL
    let (p, _) = run_cfg(all, ETH, &bad);
    assert_eq!((p.ip_csum_ok, p.l4_csum_ok), (Some(false), Some(false)));
    // UDP over IPv4 with checksum 0: not checked
    let (p, _) = run_cfg(all, ETH, &eth(0x0800, &ip4(17, &udp(1, 2, b"x"))));
    assert_eq!(p.l4_csum_ok, None);
    // ICMP echo
    let mut icmp = vec![8, 0, 0, 0, 0, 1, 0, 2, b'p'];
    let c = csum(&icmp);
    icmp[2..4].copy_from_slice(&c.to_be_bytes());
    let (p, _) = run_cfg(all, ETH, &eth(0x0800, &ip4(1, &icmp)));
    assert_eq!(p.l4_csum_ok, Some(true));
}

// ----- ICMP -----

#[test]
fn icmpv4_echo_ports() {
    // type 8 code 0, id 0x0102, seq 3
    let (p, s) = run(ETH, &eth(0x0800, &ip4(1, &[8, 0, 0, 0, 1, 2, 0, 3, b'x'])));
    let L4::Icmpv4(i) = p.l4 else { panic!() };
    assert_eq!((i.itype, i.code, i.id, i.seq), (8, 0, 0x0102, 3));
    assert_eq!(p.sp, u16::from_le_bytes([8, 0]));
    assert_eq!(p.dp, 0); // echo reply (0) is the counterpart
    assert_eq!(p.payload(), b"x");
    assert_eq!(s.icmpv4, 1);
    // echo reply: counterpart is echo (8)
    let (p, _) = run(ETH, &eth(0x0800, &ip4(1, &[0, 0, 0, 0, 1, 2, 0, 3])));
    assert_eq!((p.sp, p.dp), (0, 8));
    // destination unreachable code 3: sp packs the code in the high byte
    let (p, _) = run(ETH, &eth(0x0800, &ip4(1, &[3, 3, 0, 0, 0, 0, 0, 0])));
    assert_eq!((p.sp, p.dp), (0x0303, 0));
    // unknown code, unknown type, too small
    let (p, _) = run(ETH, &eth(0x0800, &ip4(1, &[8, 1, 0, 0, 0, 0, 0, 0])));
    assert_eq!(evs(&p), vec!["icmpv4.unknown_code"]);
    let (p, _) = run(ETH, &eth(0x0800, &ip4(1, &[42, 0, 0, 0, 0, 0, 0, 0])));
    assert_eq!(evs(&p), vec!["icmpv4.unknown_type"]);
    let (p, _) = run(ETH, &eth(0x0800, &ip4(1, &[8, 0, 0])));
    assert_eq!(evs(&p), vec!["icmpv4.pkt_too_small"]);
}

#[test]
fn icmpv4_error_embeds_the_original_tuple() {
    let original = ip4(17, &udp(5000, 53, b"question"));
    let mut msg = vec![3, 3, 0, 0, 0, 0, 0, 0]; // port unreachable
    msg.extend(&original[..28]); // IP header + UDP header
    let (p, _) = run(ETH, &eth(0x0800, &ip4(1, &msg)));
    assert!(p.events.is_empty(), "{:?}", evs(&p));
    let L4::Icmpv4(i) = p.l4 else { panic!() };
    let emb = i.embedded.unwrap();
    assert_eq!(emb.src, IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)));
    assert_eq!((emb.proto, emb.sp, emb.dp), (17, 5000, 53));
    assert!(p.icmp_emb_l4_complete);
    // only 4 bytes of an embedded TCP header: ports, not complete
    let original = ip4(6, &tcp());
    let mut msg = vec![11, 0, 0, 0, 0, 0, 0, 0];
    msg.extend(&original[..24]);
    let (p, _) = run(ETH, &eth(0x0800, &ip4(1, &msg)));
    let L4::Icmpv4(i) = p.l4 else { panic!() };
    assert_eq!(i.embedded.map(|e| (e.sp, e.dp)), Some((1234, 80)));
    assert!(!p.icmp_emb_l4_complete);
    // truncated and wrong-version embedded headers
    let mut msg = vec![3, 1, 0, 0, 0, 0, 0, 0];
    msg.extend(&original[..10]);
    let (p, _) = run(ETH, &eth(0x0800, &ip4(1, &msg)));
    assert_eq!(evs(&p), vec!["icmpv4.ipv4_trunc_pkt"]);
    let mut msg = vec![3, 1, 0, 0, 0, 0, 0, 0];
    let mut v = original.clone();
    v[0] = 0x65;
    msg.extend(&v);
    let (p, _) = run(ETH, &eth(0x0800, &ip4(1, &msg)));
    assert_eq!(evs(&p), vec!["icmpv4.ipv4_unknown_ver"]);
}

#[test]
fn icmpv6_messages() {
    // echo request 128: counterpart 129
    let (p, s) = run(
        ETH,
        &eth(0x86dd, &ip6(58, &[128, 0, 0, 0, 0, 7, 0, 1, b'd'])),
    );
    let L4::Icmpv6(i) = p.l4 else { panic!() };
    assert_eq!((i.id, i.seq), (7, 1));
    assert_eq!((p.sp, p.dp), (128, 129));
    assert_eq!(p.payload(), b"d");
    assert_eq!((s.ipv6, s.icmpv6), (1, 1));
    // packet too big quoting an IPv6/TCP packet
    let original = ip6(6, &tcp());
    let mut msg = vec![2, 0, 0, 0, 0, 0, 0x05, 0x00];
    msg.extend(&original);
    let (p, _) = run(ETH, &eth(0x86dd, &ip6(58, &msg)));
    let L4::Icmpv6(i) = p.l4 else { panic!() };
    let emb = i.embedded.unwrap();
    assert_eq!((emb.proto, emb.sp, emb.dp), (6, 1234, 80));
    // MLD query with hop limit 64
    let (p, _) = run(ETH, &eth(0x86dd, &ip6(58, &[130, 0, 0, 0, 0, 0, 0, 0])));
    assert_eq!(evs(&p), vec!["icmpv6.mld_message_with_invalid_hl"]);
    let (p, _) = run(
        ETH,
        &eth(0x86dd, &ip6_hl(58, &[130, 0, 0, 0, 0, 0, 0, 0], 1)),
    );
    assert!(p.events.is_empty());
    // unassigned and experimental types, truncated quote
    let (p, _) = run(ETH, &eth(0x86dd, &ip6(58, &[50, 0, 0, 0, 0, 0, 0, 0])));
    assert_eq!(evs(&p), vec!["icmpv6.unassigned_type"]);
    let (p, _) = run(ETH, &eth(0x86dd, &ip6(58, &[200, 0, 0, 0, 0, 0, 0, 0])));
    assert_eq!(evs(&p), vec!["icmpv6.experimentation_type"]);
    let (p, _) = run(ETH, &eth(0x86dd, &ip6(58, &[1, 0, 0, 0, 0, 0, 0, 0, 0x60])));
    assert_eq!(evs(&p), vec!["icmpv6.ipv6_trunc_pkt"]);
    // ICMPv6 inside IPv4 and ICMPv4 inside IPv6
    let (p, _) = run(ETH, &eth(0x0800, &ip4(58, &[128, 0, 0, 0, 0, 0, 0, 0])));
    assert_eq!(evs(&p), vec!["ipv4.icmpv6"]);
    let (p, _) = run(ETH, &eth(0x86dd, &ip6(1, &[8, 0, 0, 0, 0, 0, 0, 0])));
    assert_eq!(evs(&p), vec!["ipv6.icmpv4"]);
}

// ----- IPv6 extension headers -----

#[test]
fn ipv6_extension_headers() {
    // hop-by-hop (next: routing, len 0): PadN of 4; routing type 2 (next: TCP, len 0)
    let mut ext = vec![43, 0, 0x01, 0x04, 0, 0, 0, 0];
    ext.extend([6, 0, 2, 0, 0, 0, 0, 0]);
    ext.extend(tcp());
    let (p, s) = run(ETH, &eth(0x86dd, &ip6(0, &ext)));
    assert_eq!(evs(&p), vec!["ipv6.hopopts_only_padding"]);
    let ip = p.ip.unwrap();
    assert_eq!((ip.proto, ip.hlen), (6, 56));
    assert!(matches!(p.l4, L4::Tcp(_)));
    assert_eq!(s.tcp, 1);
    // routing header type 0
    let mut ext = vec![59, 0, 0, 0, 0, 0, 0, 0];
    ext.extend(b"junk");
    let (p, _) = run(ETH, &eth(0x86dd, &ip6(43, &ext)));
    assert_eq!(
        evs(&p),
        vec!["ipv6.rh_type_0", "ipv6.data_after_none_header"]
    );
    // truncated extension header
    let (p, _) = run(ETH, &eth(0x86dd, &ip6(60, &[6, 1, 0, 0])));
    assert_eq!(evs(&p), vec!["ipv6.trunc_exthdr"]);
    // AH (len 4: 24 bytes) with reserved bits set, then UDP
    let mut ah = vec![17, 4, 0, 1];
    ah.extend([0u8; 20]);
    ah.extend(udp(1, 2, b""));
    let (p, _) = run(ETH, &eth(0x86dd, &ip6(51, &ah)));
    assert_eq!(evs(&p), vec!["ipv6.exthdr_ah_res_not_null"]);
    assert!(matches!(p.l4, L4::Udp(_)));
    // ESP: recognised, not followed
    let (p, s) = run(ETH, &eth(0x86dd, &ip6(50, &[0, 0, 0, 1, 0, 0, 0, 1, 9, 9])));
    assert_eq!(p.l4, L4::Other);
    assert_eq!(p.payload(), &[9, 9]);
    assert_eq!(s.esp, 1);
    // unknown next header
    let (p, _) = run(ETH, &eth(0x86dd, &ip6(253, b"abc")));
    assert_eq!(evs(&p), vec!["ipv6.unknown_next_header"]);
    // IPv6 header claiming more payload than present
    let mut v = ip6(59, b"");
    v[5] = 10;
    let (p, _) = run(ETH, &eth(0x86dd, &v));
    assert_eq!(evs(&p), vec!["ipv6.trunc_pkt"]);
}

#[test]
fn ipv6_fragment_header() {
    // hop-by-hop (PadN 4) then fragment: next UDP, offset 0, M=1, id 0xdeadbeef
    let mut ext = vec![44, 0, 0x01, 0x04, 0, 0, 0, 0];
    ext.extend([17, 0, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef]);
    ext.extend([0x55u8; 16]);
    let frame = eth(0x86dd, &ip6(0, &ext));
    let (p, s) = run(ETH, &frame);
    let f = p.fragment.unwrap();
    assert_eq!((f.id, f.offset, f.more), (0xdead_beef, 0, true));
    let l = p.frag_layout.unwrap();
    // IPv6 at 14, hop-by-hop at 54, fragment header at 62, data at 70
    assert_eq!(
        (l.frag_hdr_offset, l.prev_nh_offset, l.data_offset),
        (62, 54, 70)
    );
    assert_eq!((l.data_len, l.next_header), (16, 17));
    assert_eq!(frame[l.prev_nh_offset as usize], 44);
    assert_eq!(p.ip.unwrap().proto, 44);
    assert_eq!(s.udp, 0);
    // offset 0 and no more fragments: useless, decoded on
    let mut ext = vec![17, 0, 0, 0, 0, 0, 0, 1];
    ext.extend(udp(1, 2, b""));
    let (p, _) = run(ETH, &eth(0x86dd, &ip6(44, &ext)));
    assert_eq!(evs(&p), vec!["ipv6.exthdr_useless_fh"]);
    assert!(p.fragment.is_none() && matches!(p.l4, L4::Udp(_)));
    // reserved byte set; a length not a multiple of 8 is left to defrag
    let mut ext = vec![17, 1, 0, 1, 0, 0, 0, 1];
    ext.extend([0u8; 5]);
    let (p, _) = run(ETH, &eth(0x86dd, &ip6(44, &ext)));
    assert_eq!(evs(&p), vec!["ipv6.fh_non_zero_reserved_field"]);
    assert_eq!(p.frag_layout.map(|l| l.data_len), Some(5));
}

// ----- tunnels -----

#[test]
fn vxlan_tunnel() {
    let inner_frame = eth(0x0800, &ip4(6, &tcp()));
    let mut vx = vec![0x08, 0, 0, 0, 0, 0, 0x2a, 0]; // I flag, VNI 42
    vx.extend(&inner_frame);
    let frame = eth(0x0800, &ip4(17, &udp(5555, 4789, &vx)));
    let (p, mut s) = run(ETH, &frame);
    let t = p.tunnel.unwrap();
    // the inner Ethernet header is skipped, as Suricata does
    assert_eq!((t.kind, t.encap), (InnerKind::Ipv4, "vxlan"));
    assert_eq!(t.offset as usize, 14 + 20 + 8 + 8 + 14);
    assert_eq!(s.vxlan, 1);
    assert_eq!((s.ethernet, s.ipv4, s.tcp), (1, 1, 0)); // inner not counted yet
    let i = inner(&p, &mut s);
    assert!(!i.failed && matches!(i.l4, L4::Tcp(_)));
    assert_eq!((s.ethernet, s.ipv4, s.tcp), (1, 2, 1));
    // not on the configured port
    let frame = eth(0x0800, &ip4(17, &udp(4789, 5555, &vx)));
    let (p, s) = run(ETH, &frame);
    assert!(p.tunnel.is_none());
    assert_eq!(s.vxlan, 0);
    // unknown inner EtherType
    let mut vx2 = vx.clone();
    vx2[8 + 12..8 + 14].copy_from_slice(&[0x12, 0x34]);
    let (p, _) = run(ETH, &eth(0x0800, &ip4(17, &udp(5555, 4789, &vx2))));
    assert_eq!(evs(&p), vec!["vxlan.unknown_payload_type"]);
    assert!(p.tunnel.is_none());
}

#[test]
fn geneve_tunnel() {
    // version 0, no options, protocol IPv4, VNI 1
    let mut g = vec![0x00, 0x00, 0x08, 0x00, 0, 0, 1, 0];
    g.extend(ip4(17, &udp(1, 2, b"")));
    let (p, s) = run(ETH, &eth(0x0800, &ip4(17, &udp(40000, 6081, &g))));
    let t = p.tunnel.unwrap();
    assert_eq!(
        (t.kind, t.encap, t.offset),
        (InnerKind::Ipv4, "geneve", 14 + 28 + 8)
    );
    assert_eq!(s.geneve, 1);
    // ARP directly in Geneve: counted, not followed, no event
    let mut arp = g.clone();
    arp[2..4].copy_from_slice(&[0x08, 0x06]);
    let (p, s) = run(ETH, &eth(0x0800, &ip4(17, &udp(40000, 6081, &arp))));
    assert!(p.tunnel.is_none() && p.events.is_empty());
    assert_eq!(s.geneve, 1);
    g[2..4].copy_from_slice(&[0x12, 0x34]);
    let (p, _) = run(ETH, &eth(0x0800, &ip4(17, &udp(40000, 6081, &g))));
    assert_eq!(evs(&p), vec!["geneve.unknown_payload_type"]);
}

#[test]
fn teredo_tunnel() {
    let inner6 = ip6_hl(17, &udp(1, 2, b""), 1);
    let frame = eth(0x0800, &ip4(17, &udp(3544, 50000, &inner6)));
    let (p, mut s) = run(ETH, &frame);
    let t = p.tunnel.unwrap();
    assert_eq!(
        (t.kind, t.encap, t.offset),
        (InnerKind::Ipv6, "teredo", 14 + 28)
    );
    assert_eq!(s.teredo, 1);
    let i = inner(&p, &mut s);
    assert_eq!(i.ip.unwrap().version, 6);
    // ports restricted to 3544: another port is plain UDP
    let cfg = DecoderConfig {
        teredo_ports: PortSet::new(&[3544]),
        ..DecoderConfig::default()
    };
    let frame2 = eth(0x0800, &ip4(17, &udp(1000, 2000, &inner6)));
    assert!(run_cfg(cfg, ETH, &frame2).0.tunnel.is_none());
    assert!(run(ETH, &frame2).0.tunnel.is_some()); // default: any port
                                                   // an inner packet that would be invalid: not Teredo, and no event leaks out
    let mut bad = ip6_hl(6, &tcp()[..10], 1);
    bad[5] = 10;
    let frame3 = eth(0x0800, &ip4(17, &udp(3544, 50000, &bad)));
    let (p, s) = run(ETH, &frame3);
    assert!(p.tunnel.is_none() && p.events.is_empty());
    assert_eq!((s.teredo, s.ipv6, s.tcp), (0, 1, 1)); // inner attempt still counted
}

#[test]
fn gre_tunnels() {
    // GRE v0 with key (flags 0x2000), protocol IPv4, key 7
    let mut g = vec![0x20, 0x00, 0x08, 0x00, 0, 0, 0, 7];
    g.extend(ip4(17, &udp(1, 2, b"")));
    let (p, s) = run(ETH, &eth(0x0800, &ip4(47, &g)));
    let t = p.tunnel.unwrap();
    assert_eq!(
        (t.kind, t.offset, t.encap),
        (InnerKind::Ipv4, 14 + 20 + 8, "gre")
    );
    assert_eq!(p.l4, L4::Other);
    assert_eq!(s.gre, 1);
    // ERSPAN type II: sequence flag, protocol 0x88be, seq; ERSPAN header version 1 vlan 5
    let mut g = vec![0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 1];
    g.extend([0x10, 0x05, 0, 0, 0, 0, 0, 0]);
    g.extend(eth(0x0800, &ip4(6, &tcp())));
    let (p, mut s) = run(ETH, &eth(0x0800, &ip4(47, &g)));
    let t = p.tunnel.unwrap();
    assert_eq!((t.kind, t.offset), (InnerKind::ErspanII, 14 + 20 + 8));
    let i = inner(&p, &mut s);
    assert_eq!((i.vlan[0], i.vlan_count), (5, 1));
    assert!(matches!(i.l4, L4::Tcp(_)));
    assert_eq!(s.erspan, 1);
    // ERSPAN type I: no sequence flag, Ethernet right after GRE
    let mut g = vec![0x00, 0x00, 0x88, 0xbe];
    g.extend(eth(0x0800, &ip4(6, &tcp())));
    let (p, _) = run(ETH, &eth(0x0800, &ip4(47, &g)));
    assert_eq!(p.tunnel.map(|t| t.kind), Some(InnerKind::ErspanI));
    // PPTP (v1): key present, seq, protocol PPP; call id 1, payload len
    let mut g = vec![0x30, 0x01, 0x88, 0x0b, 0, 20, 0, 1, 0, 0, 0, 1];
    g.extend([0xff, 0x03, 0x00, 0x21]);
    g.extend(ip4(17, &udp(1, 2, b"")));
    let (p, mut s) = run(ETH, &eth(0x0800, &ip4(47, &g)));
    let t = p.tunnel.unwrap();
    assert_eq!((t.kind, t.offset), (InnerKind::Ppp, 14 + 20 + 12));
    let i = inner(&p, &mut s);
    assert!(matches!(i.l4, L4::Udp(_)));
    // PPTP acknowledgment only (ack flag, no sequence, no payload): no tunnel, no PPP
    let g = [0x20, 0x81, 0x88, 0x0b, 0, 0, 0, 1, 0, 0, 0, 9];
    let (p, s) = run(ETH, &eth(0x0800, &ip4(47, &g)));
    assert!(p.tunnel.is_none() && p.events.is_empty());
    assert_eq!((s.gre, s.ppp), (1, 0));
    // The same with 14 bytes of padding counted in the IP length (payload length 0):
    // still no PPP, as Suricata (checked with Suricata 7.0.10 on a crafted capture).
    let mut g = g.to_vec();
    g.extend([0u8; 14]);
    let (p, s) = run(ETH, &eth(0x0800, &ip4(47, &g)));
    assert!(p.tunnel.is_none() && p.events.is_empty());
    assert_eq!((s.gre, s.ppp), (1, 0));
    // v1 errors and v0 flag errors
    let cases: [(&[u8], &str); 5] = [
        (
            &[0x30, 0x01, 0x08, 0x00, 0, 0, 0, 0, 0, 0, 0, 0],
            "gre.version1_wrong_protocol",
        ),
        (&[0x10, 0x01, 0x88, 0x0b, 0, 0, 0, 0], "gre.version1_no_key"),
        (&[0x01, 0x00, 0x08, 0x00], "gre.version0_recur"),
        (&[0x00, 0x02, 0x08, 0x00], "gre.wrong_version"),
        (&[0xb0, 0x00, 0x08, 0x00, 0, 0], "gre.version0_hdr_too_big"),
    ];
    for (g, name) in cases {
        let (p, _) = run(ETH, &eth(0x0800, &ip4(47, g)));
        assert_eq!(evs(&p), vec![name]);
        assert!(p.tunnel.is_none());
    }
    let (p, _) = run(ETH, &eth(0x0800, &ip4(47, &[0x20])));
    assert_eq!(evs(&p), vec!["gre.pkt_too_small"]);
}

#[test]
fn ip_in_ip_tunnels() {
    // 4in6
    let (p, mut s) = run(ETH, &eth(0x86dd, &ip6(4, &ip4(6, &tcp()))));
    let t = p.tunnel.unwrap();
    assert_eq!(
        (t.kind, t.offset, t.encap),
        (InnerKind::Ipv4, 54, "ipv4_in_ipv6")
    );
    assert_eq!(s.ipv4_in_ipv6, 1);
    let i = inner(&p, &mut s);
    assert_eq!(i.ip.unwrap().version, 4);
    // 6in6
    let (p, s) = run(ETH, &eth(0x86dd, &ip6(41, &ip6(59, b""))));
    assert_eq!(p.tunnel.map(|t| t.kind), Some(InnerKind::Ipv6));
    assert_eq!(s.ipv6_in_ipv6, 1);
    // 6in4 and 4in4
    let (p, _) = run(ETH, &eth(0x0800, &ip4(41, &ip6(59, b""))));
    assert_eq!(
        p.tunnel.map(|t| (t.kind, t.offset)),
        Some((InnerKind::Ipv6, 34))
    );
    // 4in4: not followed unless configured (Suricata 7.0.10 does not)
    let f = eth(0x0800, &ip4(4, &ip4(17, &udp(1, 2, b""))));
    let (p, _) = run(ETH, &f);
    assert!(p.tunnel.is_none() && p.l4 == L4::Other);
    let cfg = DecoderConfig {
        ipv4_in_ipv4: true,
        ..DecoderConfig::default()
    };
    let (p, _) = run_cfg(cfg, ETH, &f);
    assert_eq!(p.tunnel.map(|t| t.kind), Some(InnerKind::Ipv4));
    // 6in6 whose inner packet is truncated: no tunnel, inner layer still counted
    let mut inner6 = ip6(59, b"");
    inner6[5] = 50;
    let (p, s) = run(ETH, &eth(0x86dd, &ip6(41, &inner6)));
    assert!(p.tunnel.is_none() && p.events.is_empty());
    assert_eq!((s.ipv6, s.ipv6_in_ipv6), (2, 0));
    // too small and wrong version
    let (p, _) = run(ETH, &eth(0x86dd, &ip6(4, &[0x45, 0, 0])));
    assert_eq!(evs(&p), vec!["ipv6.ipv4_in_ipv6_too_small"]);
    let (p, _) = run(ETH, &eth(0x86dd, &ip6(41, &ip4(17, &[0u8; 30]))));
    assert_eq!(evs(&p), vec!["ipv6.ipv6_in_ipv6_wrong_version"]);
}

#[test]
fn tunnel_depth_is_bounded() {
    let cfg = DecoderConfig {
        max_tunnel_depth: 0,
        ..DecoderConfig::default()
    };
    let (p, _) = run_cfg(cfg, ETH, &eth(0x86dd, &ip6(4, &ip4(6, &tcp()))));
    assert!(p.tunnel.is_none());
}

#[test]
fn too_many_layers() {
    let cfg = DecoderConfig {
        max_layers: 3,
        ..DecoderConfig::default()
    };
    // Ethernet(1) VLAN(2) VLAN(3) -> limit reached on the second tag
    let mut body = tag(1, 0x8100);
    body.extend(tag(2, 0x0800));
    body.extend(ip4(17, &udp(1, 2, b"")));
    let (p, s) = run_cfg(cfg, ETH, &eth(0x8100, &body));
    assert_eq!(evs(&p), vec!["too_many_layers"]);
    assert!(p.invalid);
    assert_eq!(s.invalid, 1);
}

#[test]
fn sctp_and_reassembled_inner() {
    // SCTP common header: ports 5000 -> 80, verification tag, checksum
    let sc = [0x13, 0x88, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0xaa];
    let (p, s) = run(ETH, &eth(0x0800, &ip4(132, &sc)));
    assert_eq!((p.l4, p.sp, p.dp), (L4::Sctp, 5000, 80));
    assert_eq!(p.payload(), &[0xaa]);
    assert_eq!(s.sctp, 1);
    let (p, _) = run(ETH, &eth(0x0800, &ip4(132, &sc[..8])));
    assert_eq!(evs(&p), vec!["sctp.pkt_too_small"]);
    // a reassembled datagram keeps the VLANs the engine put in the packet
    let data = ip4(17, &udp(7, 8, b"r"));
    let ts = Timestamp::new(1, 0);
    let mut p = Packet::new(&data, ts);
    p.vlan = [9, 0, 0];
    p.vlan_count = 1;
    let mut s = DecodeStats::default();
    Decoder::default().decode_inner(InnerKind::Ip, &data, ts, 0, &mut p, &mut s);
    assert_eq!((p.sp, p.dp, p.vlan_count, p.vlan[0]), (7, 8, 1, 9));
    assert_eq!((s.pkts, s.ipv4, s.udp), (0, 1, 1));
    let mut p = Packet::new(&data[..3], ts);
    Decoder::default().decode_inner(InnerKind::Ip, &data[..3], ts, 0, &mut p, &mut s);
    assert!(p.failed);
}

#[test]
fn event_counters() {
    let (p, mut s) = run(ETH, &eth(0x0800, &ip4(1, &[42, 0, 0, 0, 0, 0, 0, 0])));
    s.count_events(&p.events);
    assert_eq!(s.event(DecodeEvent::Icmpv4UnknownType), 1);
    let mut seen = None;
    s.for_each(|n, v| {
        if n == "decoder.event.icmpv4.unknown_type" {
            seen = Some(v);
        }
    });
    assert_eq!(seen, Some(1));
    let mut e = Events::default();
    e.push(DecodeEvent::Ipv4TruncPkt);
    s.count_events(&e);
    assert_eq!(s.event(DecodeEvent::Ipv4TruncPkt), 1);
}
