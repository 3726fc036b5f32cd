//! Property test: the flow table against a simple model (a HashMap keyed by the
//! normalised 5-tuple) over random packet sequences. Timeouts and the memcap are kept
//! out of reach so the model only has to know about lookups and directions.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};

use palisade_decode::{IcmpInfo, IpInfo, Packet, TcpInfo, UdpInfo, L4};
use palisade_flow::{Direction, FlowConfig, FlowTable, Timestamp};
use proptest::prelude::*;

static FRAME: [u8; 200] = [0u8; 200];

#[derive(Clone, Debug)]
struct P {
    src: u8,
    dst: u8,
    sp: u16,
    dp: u16,
    /// 0 = UDP, 1 = TCP (ACK only, no session starts or reuse), 2 = ICMP echo (8 / 0)
    kind: u8,
    reply: bool,
    len: u8,
}

fn host(i: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(10, 0, 0, i))
}

fn packet(p: &P, t: u64) -> Packet<'static> {
    let len = 40 + p.len as usize;
    let mut pk = Packet::new(&FRAME[..len], Timestamp::new(t, 0));
    let proto = [17u8, 6, 1][p.kind as usize];
    pk.ip = Some(IpInfo {
        version: 4,
        src: host(p.src),
        dst: host(p.dst),
        proto,
        ttl: 64,
        offset: 0,
        hlen: 20,
        total_len: len as u32,
    });
    match p.kind {
        0 => pk.l4 = L4::Udp(UdpInfo { len: 8 }),
        1 => {
            pk.l4 = L4::Tcp(TcpInfo {
                seq: 1,
                ack: 1,
                flags: 0x10,
                window: 1,
                hlen: 20,
            })
        }
        _ => {
            pk.l4 = L4::Icmpv4(IcmpInfo {
                itype: if p.reply { 0 } else { 8 },
                code: 0,
                id: 0,
                seq: 0,
                embedded: None,
            })
        }
    }
    if p.kind != 2 {
        pk.sp = p.sp;
        pk.dp = p.dp;
    }
    pk
}

type ModelKey = (u8, (u8, u16), (u8, u16));

/// The model: normalised tuple -> (client endpoint, pkts to server, pkts to client).
fn model_key(p: &P) -> (ModelKey, (u8, u16)) {
    let (sp, dp) = if p.kind == 2 { (0, 0) } else { (p.sp, p.dp) };
    let a = (p.src, sp);
    let b = (p.dst, dp);
    let k = if a <= b {
        (p.kind, a, b)
    } else {
        (p.kind, b, a)
    };
    (k, a)
}

fn arb_packet() -> impl Strategy<Value = P> {
    (
        1u8..4,
        1u8..4,
        1u16..4,
        5u16..8,
        0u8..3,
        any::<bool>(),
        0u8..100,
    )
        .prop_map(|(src, dst, sp, dp, kind, reply, len)| {
            // Keep ports distinct (direction by port) and replies consistent: a reply
            // goes the other way with swapped ports.
            if reply {
                P {
                    src: dst,
                    dst: src,
                    sp: dp,
                    dp: sp,
                    kind,
                    reply,
                    len,
                }
            } else {
                P {
                    src,
                    dst,
                    sp,
                    dp,
                    kind,
                    reply,
                    len,
                }
            }
        })
}

proptest! {
    #[test]
    fn table_matches_model(pkts in proptest::collection::vec(arb_packet(), 1..200)) {
        let mut t = FlowTable::new(FlowConfig::default());
        let mut model: HashMap<ModelKey, ((u8, u16), u64, u64, u64)> = HashMap::new();
        let mut handles = HashMap::new();
        for (i, p) in pkts.iter().enumerate() {
            let pk = packet(p, 1 + i as u64 / 10);
            let (h, dir) = t.lookup_or_create(&pk, pk.ts).expect("flow");
            let (k, endpoint) = model_key(p);
            let icmp_key = if p.kind == 2 {
                // An echo request A->B and the reply B->A are one flow; keyed like
                // Suricata by (address, type) pairs: request (8 -> 0), reply (0 -> 8).
                let (st, dt) = if p.reply { (0, 8) } else { (8, 0) };
                let a = (p.src, st);
                let b = (p.dst, dt);
                if a <= b { (2, a, b) } else { (2, b, a) }
            } else {
                k
            };
            let e = model.entry(icmp_key).or_insert((endpoint, 0, 0, 0));
            let client = e.0;
            let to_server = if p.kind == 2 { p.src == client.0 } else { endpoint == client };
            if to_server { e.1 += 1 } else { e.2 += 1 }
            e.3 += pk.data.len() as u64;
            prop_assert_eq!(dir, if to_server { Direction::ToServer } else { Direction::ToClient });
            let prev = handles.insert(icmp_key, h);
            if let Some(prev) = prev {
                prop_assert_eq!(prev, h);
            }
        }
        prop_assert_eq!(t.len(), model.len());
        prop_assert_eq!(t.counters().total as usize, model.len());
        let mut seen = 0;
        t.flush_all(&mut |r| {
            seen += 1;
            let f = r.flow;
            let src = match f.src { IpAddr::V4(a) => a.octets()[3], _ => 0 };
            let dst = match f.dst { IpAddr::V4(a) => a.octets()[3], _ => 0 };
            let kind = match f.proto { 17 => 0, 6 => 1, _ => 2 };
            let key = if kind == 2 {
                let a = (src, f.icmp_type as u16);
                let b = (dst, f.response_icmp_type as u16);
                if a <= b { (2, a, b) } else { (2, b, a) }
            } else {
                let a = (src, f.sp);
                let b = (dst, f.dp);
                if a <= b { (kind, a, b) } else { (kind, b, a) }
            };
            let m = model.get(&key).expect("flow in model");
            assert_eq!((f.pkts_toserver, f.pkts_toclient), (m.1, m.2));
            assert_eq!(f.bytes_toserver + f.bytes_toclient, m.3);
        });
        prop_assert_eq!(seen, model.len());
    }
}
