//! The whole pipeline (capture -> decode -> defrag / tunnels -> flow -> EVE) on a capture
//! built from the input: byte 0 picks the link type, then each packet is a 1-byte time step,
//! a 2-byte length and that many bytes. Flow records, decoder anomalies, netflow and stats
//! are all switched on, and the flow table is kept small so that emergency mode, eviction
//! and timeouts are reached.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use palisade_config::{Config, LoadOptions};

const LINKTYPES: [u32; 8] = [1, 113, 276, 101, 228, 229, 0, 9];

fn setup() -> &'static (Config, PathBuf) {
    static S: OnceLock<(Config, PathBuf)> = OnceLock::new();
    S.get_or_init(|| {
        let mut c = Config::new();
        for (k, v) in [
            ("outputs.1.eve-log.types.2.anomaly.types.decode", "yes"),
            ("outputs.1.eve-log.types.28", "netflow"),
            ("outputs.0.fast.enabled", "no"),
            ("outputs.1.eve-log.append", "no"),
            ("outputs.2.stats.enabled", "no"),
            ("flow.memcap", "1mb"),
            ("flow.prealloc", "16"),
            ("defrag.memcap", "1mb"),
            ("flow-timeouts.udp.new", "2"),
        ] {
            c.set(k, v).unwrap();
        }
        c.merge_yaml_str(
            palisade_config::DEFAULT_YAML,
            "defaults",
            &LoadOptions { allow_includes: false, ..LoadOptions::default() },
        )
        .unwrap();
        let dir = std::env::temp_dir().join(format!("palisade-fuzz-pipeline-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        (c, dir)
    })
}

fn build_pcap(data: &[u8]) -> Vec<u8> {
    let lt = LINKTYPES[*data.first().unwrap_or(&0) as usize % LINKTYPES.len()];
    let mut out = Vec::with_capacity(data.len() + 64);
    out.extend_from_slice(&0xa1b2c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&65535u32.to_le_bytes());
    out.extend_from_slice(&lt.to_le_bytes());
    let mut rest = data.get(1..).unwrap_or(&[]);
    let mut secs: u32 = 1_700_000_000;
    while rest.len() >= 3 {
        secs = secs.wrapping_add(u32::from(rest[0]));
        let len = usize::from(u16::from_le_bytes([rest[1], rest[2]])).min(rest.len() - 3);
        let pkt = &rest[3..3 + len];
        out.extend_from_slice(&secs.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(len as u32).to_le_bytes());
        out.extend_from_slice(&(len as u32).to_le_bytes());
        out.extend_from_slice(pkt);
        rest = &rest[3 + len..];
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let (cfg, dir) = setup();
    let pcap = build_pcap(data);
    palisade_engine::run_bytes(cfg, &pcap, dir).expect("pipeline on a well-formed capture");
    // The output must be JSON lines.
    let eve = std::fs::read(dir.join("eve.json")).unwrap();
    for line in eve.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        assert_eq!(line.first(), Some(&b'{'));
        assert_eq!(line.last(), Some(&b'}'));
    }
});
