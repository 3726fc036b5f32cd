//! Decodes arbitrary bytes under every supported link type, then follows the tunnels found
//! (bounded by the decoder's tunnel depth), checking that offsets stay inside the data.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_decode::{
    DecodeStats, Decoder, DecoderConfig, InnerKind, LinkType, Packet, PortSet, Timestamp,
};

const LINKTYPES: [u32; 12] = [1, 113, 276, 9, 101, 12, 14, 228, 229, 0, 108, 104];

fn check(pkt: &Packet<'_>) {
    let len = pkt.data.len();
    assert!(pkt.payload_offset as usize + pkt.payload_len as usize <= len);
    assert!(pkt.events.len() <= palisade_decode::MAX_EVENTS);
    assert!(pkt.vlan_count <= 3);
    if let Some(ip) = pkt.ip {
        assert!(ip.offset as usize <= len);
    }
    if let Some(t) = pkt.tunnel {
        assert!(t.offset as usize <= len);
    }
    if let Some(f) = pkt.frag_layout {
        assert!(f.data_offset as usize + f.data_len as usize <= len);
    }
    if pkt.failed && pkt.tunnel.is_some() {
        panic!("tunnel recorded on a failed packet");
    }
}

fn follow(dec: &Decoder, outer: &Packet<'_>, stats: &mut DecodeStats) {
    let Some(t) = outer.tunnel else { return };
    let data = &outer.data[t.offset as usize..];
    let mut inner = Packet::new(data, outer.ts);
    dec.decode_inner(t.kind, data, outer.ts, outer.tunnel_level + 1, &mut inner, stats);
    // The outer decode accepted this tunnel only after the same decode succeeded.
    assert!(!inner.failed);
    assert!(inner.tunnel_level <= dec.config().max_tunnel_depth);
    check(&inner);
    stats.count_events(&inner.events);
    follow(dec, &inner, stats);
}

fuzz_target!(|data: &[u8]| {
    let ts = Timestamp::new(1, 0);
    let mut stats = DecodeStats::default();
    let cfgs = [
        DecoderConfig::default(),
        DecoderConfig {
            teredo_ports: PortSet::new(&[3544]),
            vxlan_ports: PortSet::Any,
            geneve_ports: PortSet::Any,
            max_tunnel_depth: 4,
            max_layers: 6,
            ..DecoderConfig::default()
        },
    ];
    for cfg in cfgs {
        let dec = Decoder::new(cfg);
        for lt in LINKTYPES {
            let mut pkt = Packet::new(data, ts);
            dec.decode(LinkType(lt), data, ts, &mut pkt, &mut stats);
            check(&pkt);
            stats.count_events(&pkt.events);
            follow(&dec, &pkt, &mut stats);
        }
        // Reassembled datagrams and raw inner kinds.
        for kind in [
            InnerKind::Ip,
            InnerKind::Ppp,
            InnerKind::Vlan,
            InnerKind::ErspanI,
            InnerKind::ErspanII,
        ] {
            let mut pkt = Packet::new(data, ts);
            dec.decode_inner(kind, data, ts, 1, &mut pkt, &mut stats);
            check(&pkt);
            follow(&dec, &pkt, &mut stats);
        }
    }
    let mut n = 0;
    stats.for_each(|_, _| n += 1);
    assert!(n > 100);
    assert!(stats.pkts >= LINKTYPES.len() as u64);
});
