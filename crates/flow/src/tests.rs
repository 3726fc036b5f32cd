//! Unit tests of the flow table. Packets are built field by field (the flow table reads
//! decoded headers, not bytes, except for the ESP SPI).

use super::*;
use palisade_decode::{EmbeddedTuple, IcmpInfo, IpInfo, TcpInfo, UdpInfo};
use std::net::{Ipv4Addr, Ipv6Addr};

const A: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
const B: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
const R: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 168, 1, 254));

static FRAME: [u8; 100] = [0u8; 100];

fn ts(secs: u64) -> Timestamp {
    Timestamp::new(secs, 0)
}

fn ip(src: IpAddr, dst: IpAddr, proto: u8) -> IpInfo {
    IpInfo {
        version: if src.is_ipv4() { 4 } else { 6 },
        src,
        dst,
        proto,
        ttl: 64,
        offset: 14,
        hlen: 20,
        total_len: 86,
    }
}

fn base(src: IpAddr, dst: IpAddr, proto: u8, len: usize, t: u64) -> Packet<'static> {
    let mut p = Packet::new(&FRAME[..len], ts(t));
    p.ip = Some(ip(src, dst, proto));
    p
}

fn udp(src: IpAddr, sp: u16, dst: IpAddr, dp: u16, t: u64) -> Packet<'static> {
    let mut p = base(src, dst, 17, 60, t);
    p.l4 = L4::Udp(UdpInfo { len: 8 });
    p.sp = sp;
    p.dp = dp;
    p
}

fn tcp(src: IpAddr, sp: u16, dst: IpAddr, dp: u16, flags: u8, seq: u32, t: u64) -> Packet<'static> {
    let mut p = base(src, dst, 6, 54, t);
    p.l4 = L4::Tcp(TcpInfo {
        seq,
        ack: 0,
        flags,
        window: 1024,
        hlen: 20,
    });
    p.sp = sp;
    p.dp = dp;
    p
}

fn icmp4(src: IpAddr, dst: IpAddr, itype: u8, code: u8, t: u64) -> Packet<'static> {
    let mut p = base(src, dst, 1, 74, t);
    p.l4 = L4::Icmpv4(IcmpInfo {
        itype,
        code,
        id: 1,
        seq: 1,
        embedded: None,
    });
    p
}

fn table() -> FlowTable {
    FlowTable::new(FlowConfig::default())
}

/// A table whose `expire` times flows out (live-capture behaviour).
fn table_mgr() -> FlowTable {
    FlowTable::new(FlowConfig {
        manager_timeouts: true,
        ..FlowConfig::default()
    })
}

fn collect(t: &mut FlowTable, now: u64) -> Vec<FlowRecord> {
    let mut v = Vec::new();
    t.expire(ts(now), &mut |r| v.push(r));
    v
}

fn flush(t: &mut FlowTable) -> Vec<FlowRecord> {
    let mut v = Vec::new();
    t.flush_all(&mut |r| v.push(r));
    v
}

#[test]
fn tcp_bidirectional_lookup_and_flags() {
    let mut t = table();
    let (h1, d1) = t
        .lookup_or_create(&tcp(A, 40000, B, 80, tcp::SYN, 100, 1), ts(1))
        .unwrap();
    let (h2, d2) = t
        .lookup_or_create(&tcp(B, 80, A, 40000, tcp::SYN | tcp::ACK, 900, 1), ts(1))
        .unwrap();
    let (h3, d3) = t
        .lookup_or_create(&tcp(A, 40000, B, 80, tcp::ACK | tcp::PSH, 101, 2), ts(2))
        .unwrap();
    assert_eq!((h1, h2, h3), (h1, h1, h1));
    assert_eq!(
        (d1, d2, d3),
        (
            Direction::ToServer,
            Direction::ToClient,
            Direction::ToServer
        )
    );
    let f = t.get(h1).unwrap();
    assert_eq!((f.pkts_toserver, f.pkts_toclient), (2, 1));
    assert_eq!((f.bytes_toserver, f.bytes_toclient), (108, 54));
    assert_eq!((f.src, f.sp, f.dst, f.dp), (A, 40000, B, 80));
    assert_eq!(f.state, FlowState::Established);
    let s = f.tcp.unwrap();
    assert_eq!(s.state, TcpState::Established);
    assert_eq!(s.flags, tcp::SYN | tcp::ACK | tcp::PSH);
    assert_eq!(s.flags_ts, tcp::SYN | tcp::ACK | tcp::PSH);
    assert_eq!(s.flags_tc, tcp::SYN | tcp::ACK);
    assert_eq!(t.len(), 1);
    assert_eq!(t.counters().tcp, 1);
    // a different client port is a different flow
    let (h4, _) = t
        .lookup_or_create(&tcp(A, 40001, B, 80, tcp::SYN, 5, 3), ts(3))
        .unwrap();
    assert_ne!(h4, h1);
    assert_ne!(t.get(h4).unwrap().id, t.get(h1).unwrap().id);
}

#[test]
fn midstream_off_no_session_for_ack_start() {
    let mut t = table();
    let (h, _) = t
        .lookup_or_create(&tcp(A, 1, B, 2, tcp::ACK, 1, 1), ts(1))
        .unwrap();
    t.lookup_or_create(&tcp(B, 2, A, 1, tcp::ACK, 1, 1), ts(1))
        .unwrap();
    let f = t.get(h).unwrap();
    assert!(f.tcp.is_none());
    // No session: the flow stays "new", as Suricata's does without a stream session.
    assert_eq!(f.state, FlowState::New);
}

#[test]
fn midstream_synack_reverses_flow() {
    let cfg = FlowConfig {
        midstream: true,
        ..FlowConfig::default()
    };
    let mut t = FlowTable::new(cfg);
    let (h, d) = t
        .lookup_or_create(&tcp(B, 80, A, 40000, tcp::SYN | tcp::ACK, 9, 1), ts(1))
        .unwrap();
    assert_eq!(d, Direction::ToClient);
    let (_, d2) = t
        .lookup_or_create(&tcp(A, 40000, B, 80, tcp::ACK, 10, 1), ts(1))
        .unwrap();
    assert_eq!(d2, Direction::ToServer);
    let f = t.get(h).unwrap();
    assert!(f.reversed);
    assert_eq!((f.pkts_toserver, f.pkts_toclient), (1, 1));
    assert_eq!(f.src, B, "header keeps the first packet's orientation");
    assert_eq!(f.tcp.unwrap().state, TcpState::Established);
}

#[test]
fn icmp_echo_request_reply_same_flow() {
    let mut t = table();
    let (h1, d1) = t.lookup_or_create(&icmp4(A, B, 8, 0, 1), ts(1)).unwrap();
    let (h2, d2) = t.lookup_or_create(&icmp4(B, A, 0, 0, 1), ts(1)).unwrap();
    assert_eq!(h1, h2);
    assert_eq!((d1, d2), (Direction::ToServer, Direction::ToClient));
    let f = t.get(h1).unwrap();
    assert_eq!((f.icmp_type, f.icmp_code, f.response_icmp_type), (8, 0, 0));
    assert_eq!(f.state, FlowState::Established);
    // a different message type between the same hosts is another flow
    let (h3, _) = t.lookup_or_create(&icmp4(A, B, 13, 0, 1), ts(1)).unwrap();
    assert_ne!(h3, h1);
    assert_eq!(t.counters().icmpv4, 2);
}

#[test]
fn icmpv6_neighbor_solicit_advert() {
    let a6: IpAddr = IpAddr::V6(Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 1));
    let b6: IpAddr = IpAddr::V6(Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 2));
    let mk = |s, d, ty| {
        let mut p = base(s, d, 58, 86, 1);
        p.l4 = L4::Icmpv6(IcmpInfo {
            itype: ty,
            code: 0,
            id: 0,
            seq: 0,
            embedded: None,
        });
        p
    };
    let mut t = table();
    let (h1, _) = t.lookup_or_create(&mk(a6, b6, 135), ts(1)).unwrap();
    let (h2, d2) = t.lookup_or_create(&mk(b6, a6, 136), ts(1)).unwrap();
    assert_eq!(h1, h2);
    assert_eq!(d2, Direction::ToClient);
    assert_eq!(t.get(h1).unwrap().response_icmp_type, 136);
    assert_eq!(t.counters().icmpv6, 1);
}

#[test]
fn icmp_error_goes_to_embedded_flow() {
    let mut t = table();
    let (hu, _) = t.lookup_or_create(&udp(A, 5000, B, 53, 1), ts(1)).unwrap();
    // Router R reports B unreachable to A; the embedded packet is A:5000 -> B:53.
    let mut e = icmp4(R, A, 3, 3, 2);
    e.l4 = L4::Icmpv4(IcmpInfo {
        itype: 3,
        code: 3,
        id: 0,
        seq: 0,
        embedded: Some(EmbeddedTuple {
            src: A,
            dst: B,
            proto: 17,
            sp: 5000,
            dp: 53,
        }),
    });
    // without the complete embedded UDP header, Suricata does not key on it
    assert!(t.lookup_or_create(&e, ts(2)).is_none());
    e.icmp_emb_l4_complete = true;
    let (he, de) = t.lookup_or_create(&e, ts(2)).unwrap();
    assert_eq!(he, hu);
    assert_eq!(
        de,
        Direction::ToClient,
        "ICMP from a third host counts to client"
    );
    let f = t.get(hu).unwrap();
    assert_eq!((f.pkts_toserver, f.pkts_toclient), (1, 1));
    assert_eq!(
        f.state,
        FlowState::New,
        "ICMP errors do not establish a flow"
    );
    // The same error about an unknown flow creates nothing.
    let mut e2 = e.clone();
    e2.l4 = L4::Icmpv4(IcmpInfo {
        itype: 3,
        code: 3,
        id: 0,
        seq: 0,
        embedded: Some(EmbeddedTuple {
            src: A,
            dst: B,
            proto: 17,
            sp: 5001,
            dp: 53,
        }),
    });
    assert!(t.lookup_or_create(&e2, ts(2)).is_none());
    // Time exceeded never gets a flow.
    assert!(t.lookup_or_create(&icmp4(R, A, 11, 0, 2), ts(2)).is_none());
    assert_eq!(t.len(), 1);
    assert_eq!(t.counters().total, 1);
}

#[test]
fn vlan_separates_flows_unless_disabled() {
    let mut p10 = udp(A, 1000, B, 2000, 1);
    p10.vlan = [10, 0, 0];
    p10.vlan_count = 1;
    let mut p20 = p10.clone();
    p20.vlan = [20, 0, 0];
    let mut t = table();
    let (h10, _) = t.lookup_or_create(&p10, ts(1)).unwrap();
    let (h20, _) = t.lookup_or_create(&p20, ts(1)).unwrap();
    assert_ne!(h10, h20);
    assert_eq!(t.get(h10).unwrap().vlan_count, 1);
    let mut t = FlowTable::new(FlowConfig {
        vlan_use_for_tracking: false,
        ..FlowConfig::default()
    });
    let (h10, _) = t.lookup_or_create(&p10, ts(1)).unwrap();
    let (h20, _) = t.lookup_or_create(&p20, ts(1)).unwrap();
    assert_eq!(h10, h20);
}

#[test]
fn tunnel_level_separates_flows() {
    let p0 = udp(A, 1000, B, 2000, 1);
    let mut p1 = p0.clone();
    p1.tunnel_level = 1;
    let mut t = table();
    let (h0, _) = t.lookup_or_create(&p0, ts(1)).unwrap();
    let (h1, _) = t.lookup_or_create(&p1, ts(1)).unwrap();
    assert_ne!(h0, h1);
}

#[test]
fn non_flow_packets_are_ignored() {
    let mut t = table();
    let mut gre = base(A, B, 47, 80, 1);
    gre.l4 = L4::Other;
    assert!(t.lookup_or_create(&gre, ts(1)).is_none());
    let arp = Packet::new(&FRAME[..42], ts(1));
    assert!(t.lookup_or_create(&arp, ts(1)).is_none());
    let mut frag = udp(A, 1, B, 2, 1);
    frag.fragment = Some(palisade_decode::FragInfo {
        id: 1,
        offset: 0,
        more: true,
    });
    assert!(t.lookup_or_create(&frag, ts(1)).is_none());
    assert_eq!(t.counters().total, 0);
}

#[test]
fn six_in_four_outer_packet_gets_a_flow() {
    // Checked with Suricata 7.0.10: the outer IPv4 packet of 6in4 has a flow of its own
    // (proto 41); IPv6-in-IPv6 and IPv4-in-IPv4 outer packets have none.
    let mut t = table();
    let mut p = base(A, B, 41, 98, 1);
    p.l4 = L4::Other;
    let (h, d) = t.lookup_or_create(&p, ts(1)).unwrap();
    let mut back = base(B, A, 41, 60, 2);
    back.l4 = L4::Other;
    let (h2, d2) = t.lookup_or_create(&back, ts(2)).unwrap();
    assert_eq!(h, h2);
    assert_eq!((d, d2), (Direction::ToServer, Direction::ToServer));
    let f = t.get(h).unwrap();
    assert_eq!((f.proto, f.sp, f.dp, f.bytes_toserver), (41, 0, 0, 158));
    let a6: IpAddr = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1));
    let b6: IpAddr = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2));
    let mut p6 = base(a6, b6, 41, 100, 1);
    p6.l4 = L4::Other;
    assert!(t.lookup_or_create(&p6, ts(1)).is_none());
    let mut ipip = base(A, B, 4, 60, 1);
    ipip.l4 = L4::Other;
    assert!(t.lookup_or_create(&ipip, ts(1)).is_none());
}

#[test]
fn esp_flows_are_one_way_by_spi() {
    // ESP header right after a 20-byte IPv4 header at offset 14.
    static ESP: [u8; 60] = {
        let mut b = [0u8; 60];
        b[34] = 0x00; // SPI 0x0000_1234
        b[35] = 0x00;
        b[36] = 0x12;
        b[37] = 0x34;
        b[41] = 0x01; // sequence 1
        b
    };
    let mk = |s, d| {
        let mut p = Packet::new(&ESP[..], ts(1));
        p.ip = Some(ip(s, d, 50));
        p.l4 = L4::Other;
        p
    };
    let mut t = table();
    let (h1, d1) = t.lookup_or_create(&mk(A, B), ts(1)).unwrap();
    let (h2, _) = t.lookup_or_create(&mk(B, A), ts(1)).unwrap();
    assert_ne!(h1, h2);
    assert_eq!(d1, Direction::ToServer);
    assert_eq!(t.get(h1).unwrap().spi, 0x1234);
    // Too short for an ESP header: no flow.
    let mut short = mk(A, B);
    short.data = &ESP[..40];
    assert!(t.lookup_or_create(&short, ts(1)).is_none());
}

#[test]
fn udp_timeouts_new_and_established() {
    let mut t = table_mgr();
    t.lookup_or_create(&udp(A, 1, B, 2, 100), ts(100)).unwrap();
    // new: 30 s; timed out only once strictly past.
    assert!(collect(&mut t, 130).is_empty());
    let r = collect(&mut t, 131);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].reason, EndReason::Timeout);
    assert_eq!(r[0].flow.state, FlowState::New);
    assert!(!r[0].emergency);

    t.lookup_or_create(&udp(A, 1, B, 2, 200), ts(200)).unwrap();
    t.lookup_or_create(&udp(B, 2, A, 1, 201), ts(201)).unwrap();
    assert!(collect(&mut t, 400).is_empty(), "established: 300 s");
    let r = collect(&mut t, 502);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].flow.state, FlowState::Established);
    assert_eq!(t.counters().end_state[..2], [1, 1]);
}

#[test]
fn offline_default_expire_does_not_time_out() {
    let mut t = table();
    t.lookup_or_create(&udp(A, 1, B, 2, 0), ts(0)).unwrap();
    assert!(collect(&mut t, 10_000).is_empty());
    assert_eq!(t.len(), 1);
    let r = flush(&mut t);
    assert_eq!(r[0].reason, EndReason::Shutdown);
    assert_eq!(r[0].ended_at, None);
}

#[test]
fn last_seen_never_goes_back() {
    // Checked against Suricata 7.0.10 on a capture whose time goes backwards: the
    // earlier packets are counted, the flow's end stays the latest time.
    let mut t = table();
    let (h, _) = t.lookup_or_create(&udp(A, 1, B, 2, 100), ts(100)).unwrap();
    t.lookup_or_create(&udp(A, 1, B, 2, 90), ts(90)).unwrap();
    let f = t.get(h).unwrap();
    assert_eq!((f.last, f.pkts_toserver), (ts(100), 2));
}

#[test]
fn timed_out_flow_replaced_on_lookup() {
    let mut t = table();
    let (h1, _) = t.lookup_or_create(&udp(A, 1, B, 2, 0), ts(0)).unwrap();
    let id1 = t.get(h1).unwrap().id;
    let (h2, _) = t.lookup_or_create(&udp(A, 1, B, 2, 100), ts(100)).unwrap();
    assert!(t.get(h1).is_none(), "old handle is stale");
    assert_ne!(t.get(h2).unwrap().id, id1);
    assert_eq!(t.counters().wrk_flows_evicted, 1);
    let r = collect(&mut t, 100);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].flow.id, id1);
    assert_eq!(r[0].reason, EndReason::Timeout);
    assert_eq!(r[0].ended_at, Some(ts(100)));
}

#[test]
fn tcp_closed_flow_reused_by_new_syn() {
    let mut t = table();
    let c = |f, s, tm| tcp(A, 4000, B, 80, f, s, tm);
    let sv = |f, s, tm| tcp(B, 80, A, 4000, f, s, tm);
    let (h, _) = t.lookup_or_create(&c(tcp::SYN, 1, 1), ts(1)).unwrap();
    t.lookup_or_create(&sv(tcp::SYN | tcp::ACK, 50, 1), ts(1));
    t.lookup_or_create(&c(tcp::ACK, 2, 1), ts(1));
    t.lookup_or_create(&c(tcp::FIN | tcp::ACK, 2, 1), ts(1));
    t.lookup_or_create(&sv(tcp::FIN | tcp::ACK, 51, 1), ts(1));
    t.lookup_or_create(&c(tcp::ACK, 3, 1), ts(1));
    let f = t.get(h).unwrap();
    assert_eq!(f.tcp.unwrap().state, TcpState::Closed);
    assert_eq!(f.state, FlowState::Closed);
    // A retransmitted SYN with the first ISN would not reuse; a new ISN does.
    let (h2, _) = t.lookup_or_create(&c(tcp::SYN, 7777, 2), ts(2)).unwrap();
    assert_ne!(h2, h);
    assert_eq!(t.counters().tcp_reuse, 1);
    let r = collect(&mut t, 2);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].flow.tcp.unwrap().state, TcpState::Closed);
    assert_eq!(t.counters().end_tcp_state[TcpState::Closed as usize], 1);
    // closed TCP flows time out after 60 s
    assert!(collect(&mut t, 62).is_empty());
}

#[test]
fn tcp_retransmitted_syn_is_not_reuse() {
    let mut t = table();
    let (h, _) = t
        .lookup_or_create(&tcp(A, 1, B, 2, tcp::SYN, 5, 1), ts(1))
        .unwrap();
    let (h2, _) = t
        .lookup_or_create(&tcp(A, 1, B, 2, tcp::SYN, 5, 2), ts(2))
        .unwrap();
    assert_eq!(h, h2);
    assert_eq!(t.counters().tcp_reuse, 0);
}

fn tiny(max_flows: u64, prealloc: u32) -> FlowTable {
    let hash_size = 16u32;
    FlowTable::new(FlowConfig {
        memcap: hash_size as u64 * HASH_ROW_COST + max_flows * FLOW_MEM_COST,
        hash_size,
        prealloc,
        manager_timeouts: true,
        ..FlowConfig::default()
    })
}

#[test]
fn memcap_emergency_and_recovery() {
    let mut t = tiny(10, 10);
    for i in 0..10u16 {
        t.lookup_or_create(&udp(A, 1000 + i, B, 53, 10), ts(10))
            .unwrap();
    }
    assert!(!t.is_emergency());
    assert!(t.memuse() <= t.config().memcap);
    // The 11th flow: memcap reached, emergency, one flow is evicted ("forced").
    let (h, _) = t
        .lookup_or_create(&udp(A, 2000, B, 53, 11), ts(11))
        .unwrap();
    assert!(t.get(h).is_some());
    assert!(t.is_emergency());
    assert_eq!(t.counters().emerg_mode_entered, 1);
    assert_eq!(t.counters().get_used, 1);
    assert_eq!(t.len(), 10);
    assert!(t.memuse() <= t.config().memcap);
    let r = collect(&mut t, 11);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].reason, EndReason::Forced);
    assert!(r[0].emergency);
    // Emergency timeouts (udp emergency-new 10 s) end the old flows early...
    assert!(collect(&mut t, 20).is_empty());
    let r = collect(&mut t, 21);
    assert_eq!(r.len(), 9);
    assert!(r
        .iter()
        .all(|r| r.emergency && r.reason == EndReason::Timeout));
    // ...which frees enough for the engine to leave emergency mode.
    assert!(!t.is_emergency());
    assert_eq!(t.counters().emerg_mode_over, 1);
}

#[test]
fn memcap_without_evictable_flow_refuses() {
    let mut t = tiny(0, 0);
    assert!(t.lookup_or_create(&udp(A, 1, B, 2, 1), ts(1)).is_none());
    assert_eq!(t.counters().get_used_failed, 1);
    assert!(t.is_emergency());
}

#[test]
fn flush_all_ends_everything_as_shutdown() {
    let mut t = table();
    t.lookup_or_create(&udp(A, 1, B, 2, 1), ts(1)).unwrap();
    t.lookup_or_create(&icmp4(A, B, 8, 0, 1), ts(1)).unwrap();
    let r = flush(&mut t);
    assert_eq!(r.len(), 2);
    assert!(r
        .iter()
        .all(|r| r.reason == EndReason::Shutdown && !r.emergency));
    assert!(t.is_empty());
    let mut active = None;
    t.for_each(|n, v| {
        if n == "flow.active" {
            active = Some(v)
        }
    });
    assert_eq!(active, Some(0));
}

#[test]
fn ttl_min_max_per_direction() {
    let mut t = table();
    let mut p = udp(A, 1, B, 2, 1);
    let (h, _) = t.lookup_or_create(&p, ts(1)).unwrap();
    p.ip.as_mut().unwrap().ttl = 30;
    t.lookup_or_create(&p, ts(1));
    let f = t.get(h).unwrap();
    assert_eq!((f.min_ttl_toserver, f.max_ttl_toserver), (30, 64));
    assert_eq!((f.min_ttl_toclient, f.max_ttl_toclient), (0, 0));
}

#[test]
fn flow_ids_are_51_bit_and_deterministic() {
    let run = || {
        let mut t = table();
        let mut ids = Vec::new();
        for i in 0..50u16 {
            let (h, _) = t
                .lookup_or_create(&udp(A, i, B, 53, i as u64), ts(i as u64))
                .unwrap();
            ids.push(t.get(h).unwrap().id);
        }
        ids
    };
    let a = run();
    assert_eq!(a, run());
    assert!(a.iter().all(|&id| id > 0 && id < (1 << 51)));
    let mut s = a.clone();
    s.sort_unstable();
    s.dedup();
    assert_eq!(s.len(), a.len());
}

#[test]
fn counter_names_and_order_match_suricata_7() {
    // The flow part of a Suricata 7.0.10 stats record, in order.
    const NAMES: &str = "memcap total active tcp udp icmpv4 icmpv6 tcp_reuse get_used \
        get_used_eval get_used_eval_reject get_used_eval_busy get_used_failed \
        wrk.spare_sync_avg wrk.spare_sync wrk.spare_sync_incomplete wrk.spare_sync_empty \
        wrk.flows_evicted_needs_work wrk.flows_evicted_pkt_inject wrk.flows_evicted \
        wrk.flows_injected wrk.flows_injected_max end.state.new end.state.established \
        end.state.closed end.state.local_bypassed end.state.capture_bypassed \
        end.tcp_state.none end.tcp_state.syn_sent end.tcp_state.syn_recv \
        end.tcp_state.established end.tcp_state.fin_wait1 end.tcp_state.fin_wait2 \
        end.tcp_state.time_wait end.tcp_state.last_ack end.tcp_state.close_wait \
        end.tcp_state.closing end.tcp_state.closed end.tcp_liberal mgr.full_hash_pass \
        mgr.rows_per_sec mgr.rows_maxlen mgr.flows_checked mgr.flows_notimeout \
        mgr.flows_timeout mgr.flows_evicted mgr.flows_evicted_needs_work spare \
        emerg_mode_entered emerg_mode_over recycler.recycled recycler.queue_avg \
        recycler.queue_max memuse";
    let want: Vec<String> = NAMES
        .split_whitespace()
        .map(|n| format!("flow.{n}"))
        .collect();
    let t = table();
    let mut got = Vec::new();
    let mut vals = Vec::new();
    t.for_each(|n, v| {
        got.push(n.to_string());
        vals.push((n, v))
    });
    assert_eq!(got, want);
    // idle values of a fresh default table, as on a Suricata run with no traffic
    let v = |name: &str| vals.iter().find(|(n, _)| *n == name).map(|x| x.1);
    assert_eq!(v("flow.memuse"), Some(7_154_304));
    assert_eq!(v("flow.spare"), Some(10_000));
    assert_eq!(v("flow.mgr.rows_per_sec"), Some(6553));
}
