//! Decodes a capture file and prints the non-zero decoder counters, one `name value` per
//! line, for comparison with Suricata's EVE stats (`jq '.stats.decoder'`). Packets are
//! handled as the engine does: tunnels are followed, fragments go through
//! [`palisade_decode::defrag`] and reassembled datagrams are decoded in turn.
//!
//! `cargo run -p palisade-decode --example decode_stats -- FILE [teredo-port]`

use palisade_capture::CaptureReader;
use palisade_decode::defrag::{Defrag, DefragConfig};
use palisade_decode::{DecodeEvent, DecodeStats, Decoder, DecoderConfig, Events, Packet, PortSet};

/// Counts a decoded packet's events, then defragments it or follows its tunnel.
fn handle(dec: &Decoder, defrag: &mut Defrag, p: &Packet<'_>, stats: &mut DecodeStats) {
    stats.count_events(&p.events);
    if p.fragment.is_some() {
        let res = defrag.insert(p);
        for ev in res.events.iter() {
            if let Some(de) = DecodeEvent::from_name(ev.name()) {
                let mut one = Events::default();
                one.push(de);
                stats.count_events(&one);
            }
        }
        if let Some(re) = res.reassembled {
            let mut inner = Packet::new(&[], p.ts);
            inner.vlan = p.vlan;
            inner.vlan_count = p.vlan_count;
            dec.decode_inner(re.kind, re.ip(), p.ts, p.tunnel_level, &mut inner, stats);
            handle(dec, defrag, &inner, stats);
        }
        return;
    }
    let Some(t) = p.tunnel else { return };
    let data = &p.data[t.offset as usize..];
    let mut inner = Packet::new(data, p.ts);
    dec.decode_inner(t.kind, data, p.ts, p.tunnel_level + 1, &mut inner, stats);
    handle(dec, defrag, &inner, stats);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: decode_stats FILE [teredo-port]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(path).expect("read capture");
    let mut cfg = DecoderConfig::default();
    if let Some(p) = args.get(2).and_then(|p| p.parse::<u16>().ok()) {
        cfg.teredo_ports = PortSet::new(&[p]);
    }
    let dec = Decoder::new(cfg);
    let mut stats = DecodeStats::default();
    let mut defrag = Defrag::new(DefragConfig::default());
    let mut reader = CaptureReader::new(&bytes).expect("capture format");
    while let Some(raw) = reader.next_packet() {
        let mut pkt = Packet::new(raw.data, raw.ts);
        dec.decode(raw.linktype, raw.data, raw.ts, &mut pkt, &mut stats);
        handle(&dec, &mut defrag, &pkt, &mut stats);
    }
    stats.for_each(|n, v| {
        if v != 0 {
            println!("{n} {v}");
        }
    });
}
