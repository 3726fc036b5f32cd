//! Golden capture -> EVE test and determinism.
//!
//! `golden/sample.eve.json` is Palisade's output for `samples/sample.pcap` (flow, netflow,
//! decoder anomalies and stats switched on). It was checked against Suricata 7.0.10 on the
//! same capture: the same six flows with the same packet and byte totals, the same decoder
//! and defrag counters; `flow_id` values are Palisade's own (Suricata's are random). When
//! an intended change alters the output, regenerate it with the command in this file and
//! review the diff.
//!
//!   palisade -r samples/sample.pcap -l OUT -k none \
//!     --set outputs.1.eve-log.types.2.anomaly.types.decode=yes \
//!     --set outputs.1.eve-log.types.28=netflow

mod common;
use common::*;
use std::path::Path;

const EXTRA: [&str; 4] = [
    "--set",
    "outputs.1.eve-log.types.2.anomaly.types.decode=yes",
    "--set",
    "outputs.1.eve-log.types.28=netflow",
];

#[test]
fn sample_capture_gives_the_golden_eve() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/sample.pcap");
    let (o, _, out) = run_capture(&sample, &EXTRA);
    assert_eq!(o.status.code(), Some(0));
    let got = std::fs::read_to_string(out.join("eve.json")).unwrap();
    let want = include_str!("golden/sample.eve.json");
    for (i, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        assert_eq!(g, w, "line {}", i + 1);
    }
    assert_eq!(got.lines().count(), want.lines().count());
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn output_is_identical_across_runs() {
    let Some(shared) = shared() else {
        eprintln!("../shared not present: skipped");
        return;
    };
    for cap in [
        "mixed/mmguero-dev_Malcolm-PCAP__pcaps_protocols_Tunnels.pcap",
        "malware/OISF_suricata-verify__tests_bug-76_input.pcap",
    ] {
        let path = shared.join("pcaps").join(cap);
        let runs: Vec<String> = (0..2)
            .map(|_| {
                let (o, _, out) = run_capture(&path, &EXTRA);
                assert_eq!(o.status.code(), Some(0));
                let s = std::fs::read_to_string(out.join("eve.json")).unwrap();
                let _ = std::fs::remove_dir_all(out);
                s
            })
            .collect();
        assert!(runs[0].lines().count() > 10, "{cap}");
        assert_eq!(runs[0], runs[1], "{cap}: two runs differ");
    }
}
