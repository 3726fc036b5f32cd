//! Decodes a capture file and prints the non-zero decoder counters, one `name value` per
//! line, for comparison with Suricata's EVE stats (`jq '.stats.decoder'`). Tunnels are
//! followed as the engine does; fragments are not reassembled.
//!
//! `cargo run -p palisade-decode --example decode_stats -- FILE [teredo-port]`

use palisade_capture::CaptureReader;
use palisade_decode::{DecodeStats, Decoder, DecoderConfig, Packet, PortSet};

fn follow(dec: &Decoder, outer: &Packet<'_>, stats: &mut DecodeStats) {
    let Some(t) = outer.tunnel else { return };
    let data = &outer.data[t.offset as usize..];
    let mut inner = Packet::new(data, outer.ts);
    dec.decode_inner(
        t.kind,
        data,
        outer.ts,
        outer.tunnel_level + 1,
        &mut inner,
        stats,
    );
    stats.count_events(&inner.events);
    follow(dec, &inner, stats);
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
    let mut reader = CaptureReader::new(&bytes).expect("capture format");
    while let Some(raw) = reader.next_packet() {
        let mut pkt = Packet::new(raw.data, raw.ts);
        dec.decode(raw.linktype, raw.data, raw.ts, &mut pkt, &mut stats);
        stats.count_events(&pkt.events);
        follow(&dec, &pkt, &mut stats);
    }
    stats.for_each(|n, v| {
        if v != 0 {
            println!("{n} {v}");
        }
    });
}
