//! Packet-level detection parity with Suricata (see `tools/detect-packet-parity.sh`).
//!
//! ```text
//! detect_parity rules OUT RULEFILE...   write the comparable rules of RULEFILE... to OUT
//! detect_parity run RULES CAPTURE       print "pcap_cnt<TAB>sid" for every alert
//! ```
//!
//! Comparable rules are those whose verdict needs neither the TCP stream engine nor the
//! app-layer: no app-layer buffers, keywords or protocol; no payload, `flow` (other than
//! `stateless`), `stream_size` or `stream-event` on TCP; decoder-event, ip-only, header and
//! UDP/ICMP/other payload rules stay. Flow state comes from a minimal flow table here
//! (direction = the first packet's, established = both directions seen, as Suricata's UDP
//! and ICMP flows), so flowbits, flowint, thresholds and ip-only once-per-direction work.
//! Tunnels are followed (inner packets are printed with pcap_cnt `null`, as Suricata's
//! pseudo packets); fragments are not reassembled. Checksums are computed on every packet
//! (Suricata raises its invalid-checksum rules on these captures even with `-k none`).

use std::collections::HashMap;
use std::io::Write;
use std::net::IpAddr;
use std::sync::Arc;

use palisade_capture::CaptureReader;
use palisade_decode::{DecodeStats, Decoder, Packet, L4};
use palisade_detect::{
    DetectConfig, DetectEngine, Detector, FlowDetectState, FlowDir, PacketView, RuleKind,
};
use palisade_rules::{load_rule_files, Protocol, Rule, RuleContext};

fn context() -> RuleContext {
    let mut c = RuleContext::default();
    for (k, v) in [
        ("HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]"),
        ("EXTERNAL_NET", "!$HOME_NET"),
        ("HTTP_SERVERS", "$HOME_NET"),
        ("SMTP_SERVERS", "$HOME_NET"),
        ("SQL_SERVERS", "$HOME_NET"),
        ("DNS_SERVERS", "$HOME_NET"),
        ("TELNET_SERVERS", "$HOME_NET"),
        ("AIM_SERVERS", "$EXTERNAL_NET"),
        ("DC_SERVERS", "$HOME_NET"),
        ("DNP3_SERVER", "$HOME_NET"),
        ("DNP3_CLIENT", "$HOME_NET"),
        ("MODBUS_CLIENT", "$HOME_NET"),
        ("MODBUS_SERVER", "$HOME_NET"),
        ("ENIP_CLIENT", "$HOME_NET"),
        ("ENIP_SERVER", "$HOME_NET"),
    ] {
        c.address_vars.insert(k.into(), v.into());
    }
    for (k, v) in [
        ("HTTP_PORTS", "80"),
        ("SHELLCODE_PORTS", "!80"),
        ("ORACLE_PORTS", "1521"),
        ("SSH_PORTS", "22"),
        ("DNP3_PORTS", "20000"),
        ("MODBUS_PORTS", "502"),
        ("FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]"),
        ("FTP_PORTS", "21"),
        ("GENEVE_PORTS", "6081"),
        ("VXLAN_PORTS", "4789"),
        ("TEREDO_PORTS", "3544"),
    ] {
        c.port_vars.insert(k.into(), v.into());
    }
    c.app_layer = Some(Arc::new(|p: &str| p != "pgsql"));
    c
}

/// Why a rule is not comparable without stream and app-layer, if it is not.
fn not_comparable(r: &Rule, kind: RuleKind) -> Option<&'static str> {
    if kind == RuleKind::AppLayer || r.app_proto.is_some() || r.proto.app().is_some() {
        return Some("app-layer");
    }
    let tcp = matches!(
        r.proto,
        Protocol::Tcp | Protocol::TcpPkt | Protocol::TcpStream | Protocol::Ip | Protocol::PktHdr
    );
    for o in &r.options {
        match o.keyword {
            "stream_size" | "stream-event" | "app-layer-protocol" | "app-layer-event" => {
                return Some("stream/app keyword")
            }
            "flow" if tcp => {
                let stateless = o.raw.as_deref().is_some_and(|v| v.trim() == "stateless");
                if !stateless {
                    return Some("flow keyword on tcp");
                }
            }
            _ => {}
        }
    }
    if tcp && kind == RuleKind::PacketStream && r.buffers.iter().any(|b| b.buffer == "payload") {
        return Some("payload on tcp (stream)");
    }
    None
}

fn write_rules(out: &str, files: &[String]) {
    let res = load_rule_files(files, &context());
    let (engine, warnings) = DetectEngine::build(&res.rules, &DetectConfig::default());
    let mut kind_of: HashMap<usize, RuleKind> = HashMap::new();
    for r in &engine.rules {
        kind_of.insert(r.input_index, r.kind);
    }
    let mut reasons: HashMap<&str, usize> = HashMap::new();
    let mut text = String::new();
    let mut kept = 0;
    for (i, r) in res.rules.iter().enumerate() {
        let Some(kind) = kind_of.get(&i) else {
            *reasons.entry("not compiled").or_default() += 1;
            continue;
        };
        match not_comparable(r, *kind) {
            Some(why) => *reasons.entry(why).or_default() += 1,
            None => {
                kept += 1;
                text.push_str(&r.text);
                text.push('\n');
            }
        }
    }
    if let Err(e) = std::fs::write(out, text) {
        eprintln!("{out}: {e}");
        std::process::exit(1);
    }
    eprintln!(
        "{} rules parsed, {} not compiled, {kept} comparable written to {out}",
        res.rules.len(),
        warnings.len()
    );
    let mut v: Vec<_> = reasons.into_iter().collect();
    v.sort();
    for (k, n) in v {
        eprintln!("  excluded {n:>6}  {k}");
    }
}

type FlowKey = (IpAddr, IpAddr, u16, u16, u8);

struct MiniFlow {
    /// Forward (client -> server) key.
    fwd: FlowKey,
    seen_reply: bool,
    state: FlowDetectState,
}

fn key_of(p: &Packet) -> Option<FlowKey> {
    let ip = p.ip?;
    let (sp, dp) = match p.l4 {
        L4::Icmpv4(_) | L4::Icmpv6(_) => (0, 0),
        _ => (p.sp, p.dp),
    };
    Some((ip.src, ip.dst, sp, dp, ip.proto))
}

fn run(rules: &str, capture: &str) {
    let res = load_rule_files(&[rules], &context());
    let (engine, _) = DetectEngine::build(&res.rules, &DetectConfig::default());
    let mut det = Detector::new(engine.shared());
    let data = match std::fs::read(capture) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{capture}: {e}");
            std::process::exit(1);
        }
    };
    let Ok(mut reader) = CaptureReader::new(&data) else {
        eprintln!("{capture}: not a capture");
        std::process::exit(1);
    };
    // Checksums computed on every packet: Suricata 7.0.10 run with `-k none` on these
    // captures still raises the invalid-checksum rules on captured packets.
    let dec = Decoder::default();
    let inner_dec = Decoder::default();
    let mut stats = DecodeStats::default();
    let mut flows: HashMap<FlowKey, MiniFlow> = HashMap::new();
    let mut out = Vec::new();
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let mut cnt = 0u64;
    while let Some(raw) = reader.next_packet() {
        cnt += 1;
        let mut p = Packet::new(raw.data, raw.ts);
        dec.decode(raw.linktype, raw.data, raw.ts, &mut p, &mut stats);
        let mut depth = 0;
        loop {
            out.clear();
            inspect(&mut det, &p, &mut flows, &mut out);
            for a in &out {
                if depth == 0 {
                    let _ = writeln!(w, "{cnt}\t{}", a.sid);
                } else {
                    let _ = writeln!(w, "null\t{}", a.sid);
                }
            }
            let Some(t) = p.tunnel else { break };
            depth += 1;
            if depth > 8 {
                break;
            }
            let inner_data = p.data.get(t.offset as usize..).unwrap_or(&[]);
            let mut inner = p.clone();
            inner_dec.decode_inner(t.kind, inner_data, raw.ts, depth, &mut inner, &mut stats);
            if inner.failed {
                break;
            }
            p = inner;
        }
    }
    let _ = w.flush();
}

fn inspect(
    det: &mut Detector,
    p: &Packet,
    flows: &mut HashMap<FlowKey, MiniFlow>,
    out: &mut Vec<palisade_detect::Alert>,
) {
    let mut pv = PacketView::new(p);
    let Some(k) = key_of(p) else {
        det.inspect_packet(&pv, None, out);
        return;
    };
    let rev = (k.1, k.0, k.3, k.2, k.4);
    let (fkey, dir) = if flows.contains_key(&k) {
        let f = &flows[&k];
        if f.fwd == k {
            (k, FlowDir::ToServer)
        } else {
            (k, FlowDir::ToClient)
        }
    } else if flows.contains_key(&rev) {
        (rev, FlowDir::ToClient)
    } else {
        flows.insert(
            k,
            MiniFlow {
                fwd: k,
                seen_reply: false,
                state: FlowDetectState::new(),
            },
        );
        (k, FlowDir::ToServer)
    };
    let Some(f) = flows.get_mut(&fkey) else {
        return;
    };
    if dir == FlowDir::ToClient {
        f.seen_reply = true;
    }
    pv.has_flow = true;
    pv.dir = Some(dir);
    pv.established = f.seen_reply;
    det.inspect_packet(&pv, Some(&mut f.state), out);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("rules") if args.len() >= 4 => write_rules(&args[2], &args[3..]),
        Some("run") if args.len() == 4 => run(&args[2], &args[3]),
        _ => {
            eprintln!(
                "usage: detect_parity rules OUT RULEFILE... | detect_parity run RULES CAPTURE"
            );
            std::process::exit(2);
        }
    }
}
