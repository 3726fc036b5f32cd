//! Dumps the stream events the tracker raises on whole captures, for comparison with
//! Suricata's `anomaly` records (a development aid, ignored by default):
//!
//! ```text
//! EVENT_DUMP_LIST=captures.txt EVENT_DUMP_OUT=events.tsv \
//!     cargo test -p palisade-stream --test event_dump -- --ignored
//! ```
//!
//! Compare with `suricata -k none -S /dev/null --set stream.reassembly.depth=0` with
//! stream anomalies logged. `captures.txt` holds paths relative to `../shared/pcaps`; the output has one
//! `capture frame event` line per event. Every top-level TCP packet (no tunnel, no
//! fragment) is fed; flows are keyed by their endpoint pair, end after Suricata's
//! default TCP timeouts (new 60 s, established 600 s, closed 60 s, measured from the
//! flow's last packet) and on port reuse (a SYN that Suricata would take as a new
//! session), like the engine's flow table.

use palisade_capture::CaptureReader;
use palisade_decode::{DecodeStats, Decoder, DecoderConfig, Packet, L4};
use palisade_stream::tcp::{
    packet_reuses_session, NullSink, StreamConfig, StreamEngine, TcpSegment, TcpSession, TcpState,
};
use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

struct Flow {
    initiator: SocketAddr,
    slot: Option<Box<TcpSession>>,
    last: u64,
}

fn timeout(slot: &Option<Box<TcpSession>>) -> u64 {
    match slot.as_ref().map(|s| s.state()) {
        None | Some(TcpState::None | TcpState::SynSent | TcpState::SynRecv) => 60,
        Some(TcpState::LastAck | TcpState::TimeWait | TcpState::Closed) => 60,
        _ => 600,
    }
}

#[test]
#[ignore]
fn dump_events() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/pcaps");
    let list = std::env::var("EVENT_DUMP_LIST").expect("EVENT_DUMP_LIST");
    let out = std::env::var("EVENT_DUMP_OUT").expect("EVENT_DUMP_OUT");
    let mut out = std::fs::File::create(out).unwrap();
    // EVENT_DUMP_COUNTERS=<file>: the tcp.* counters per capture.
    let mut counters = std::env::var("EVENT_DUMP_COUNTERS")
        .ok()
        .map(|p| std::fs::File::create(p).unwrap());
    // EVENT_DUMP_TRACE=1: print every packet with the session state.
    let trace = std::env::var("EVENT_DUMP_TRACE").is_ok();
    let dec = Decoder::new(DecoderConfig::default());
    // As Suricata runs without rules (`-S /dev/null`): no raw inspection holds data.
    let cfg = StreamConfig {
        checksum_validation: false,
        raw: false,
        ..StreamConfig::default()
    };
    for capture in std::fs::read_to_string(list).unwrap().lines() {
        let Ok(bytes) = std::fs::read(root.join(capture)) else {
            continue;
        };
        let Ok(mut reader) = CaptureReader::new(&bytes) else {
            continue;
        };
        let mut eng = StreamEngine::new(cfg.clone());
        let mut flows: HashMap<(SocketAddr, SocketAddr), Flow> = HashMap::new();
        let mut stats = DecodeStats::default();
        let mut frame = 0u64;
        while let Some(raw) = reader.next_packet() {
            frame += 1;
            let mut pkt = Packet::new(raw.data, raw.ts);
            dec.decode(raw.linktype, raw.data, raw.ts, &mut pkt, &mut stats);
            if pkt.tunnel_level != 0 || pkt.fragment.is_some() || pkt.invalid {
                continue;
            }
            let (Some(ip), L4::Tcp(_)) = (pkt.ip, pkt.l4) else {
                continue;
            };
            let src = SocketAddr::new(ip.src, pkt.sp);
            let dst = SocketAddr::new(ip.dst, pkt.dp);
            let key = if src < dst { (src, dst) } else { (dst, src) };
            let seg = TcpSegment::from_packet(&pkt).expect("tcp");
            let now = raw.ts.secs;
            let f = flows.entry(key).or_insert(Flow {
                initiator: src,
                slot: None,
                last: now,
            });
            let expired = now > f.last + timeout(&f.slot);
            if expired || packet_reuses_session(&cfg, f.slot.as_deref(), &seg, src == f.initiator) {
                eng.flow_end(&mut f.slot, &mut NullSink);
                f.initiator = src;
            }
            f.last = now;
            let v = eng.handle(&mut f.slot, &seg, src == f.initiator, &mut NullSink);
            if v.reversed {
                f.initiator = dst;
            }
            if trace {
                eprintln!(
                    "#{frame} {} {:02x} seq {} ack {} len {} -> {:?} {:?}",
                    if src == f.initiator { ">" } else { "<" },
                    seg.flags,
                    seg.seq,
                    seg.ack,
                    seg.payload.len(),
                    f.slot.as_ref().map(|s| s.state()),
                    v.events.iter().map(|e| e.name()).collect::<Vec<_>>()
                );
            }
            for e in v.events.iter() {
                writeln!(out, "{capture}\t{frame}\t{}", e.full_name()).unwrap();
            }
        }
        for f in flows.values_mut() {
            eng.flow_end(&mut f.slot, &mut NullSink);
        }
        if let Some(c) = counters.as_mut() {
            for (name, value) in eng.counters() {
                writeln!(c, "{capture}\t{name}\t{value}").unwrap();
            }
        }
    }
}
