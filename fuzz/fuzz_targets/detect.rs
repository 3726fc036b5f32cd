//! Fuzz target for the detection engine: a small rule set and a packet, both from the
//! input (`rules text` 0xff `packet bytes`, the packet read as raw IP), compiled and
//! inspected with and without flow state, twice (thresholds, flowbits, ip-only state):
//! must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_decode::{DecodeStats, Decoder, LinkType, Packet, Timestamp};
use palisade_detect::{DetectConfig, DetectEngine, Detector, FlowDetectState, FlowDir, PacketView};
use palisade_rules::{load_rules_str, parse_threshold_config, RuleContext};
use std::sync::OnceLock;

fn ctx() -> &'static RuleContext {
    static C: OnceLock<RuleContext> = OnceLock::new();
    C.get_or_init(|| {
        let mut c = RuleContext::default();
        c.set_var(
            "vars.address-groups.HOME_NET",
            "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]",
        );
        c.set_var("vars.address-groups.EXTERNAL_NET", "!$HOME_NET");
        c.set_var("vars.port-groups.HTTP_PORTS", "[80,8080]");
        c
    })
}

fuzz_target!(|data: &[u8]| {
    let (rules_part, pkt) = match data.iter().position(|b| *b == 0xff) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    if rules_part.len() > 4096 {
        return;
    }
    let text = String::from_utf8_lossy(rules_part);
    // A `#threshold:` line is read as threshold.config.
    let th: String = text
        .lines()
        .filter_map(|l| l.strip_prefix("#threshold:"))
        .collect::<Vec<_>>()
        .join("\n");
    let (entries, _) = parse_threshold_config(&th, "fuzz.threshold");
    let res = load_rules_str(&text, "fuzz.rules", ctx());
    if res.rules.len() > 16 {
        return;
    }
    let cfg = DetectConfig {
        thresholds: entries,
        packet_alert_max: 3,
        ..DetectConfig::default()
    };
    let (engine, _warnings) = DetectEngine::build(&res.rules, &cfg);
    let mut det = Detector::new(engine.shared());
    let dec = Decoder::default();
    let mut stats = DecodeStats::default();
    let ts = Timestamp::new(1, 0);
    let mut p = Packet::new(pkt, ts);
    dec.decode(LinkType(101), pkt, ts, &mut p, &mut stats);
    let mut out = Vec::new();
    let mut fs = FlowDetectState::new();
    for round in 0..2 {
        det.inspect_packet(&PacketView::new(&p), None, &mut out);
        let mut pv = PacketView::new(&p);
        pv.has_flow = true;
        pv.established = round == 1;
        pv.dir = Some(if round == 0 {
            FlowDir::ToServer
        } else {
            FlowDir::ToClient
        });
        pv.stream = Some(p.payload());
        pv.set_stream_event(round);
        det.inspect_packet(&pv, Some(&mut fs), &mut out);
    }
    assert!(out.len() <= 4 * 3);
});
