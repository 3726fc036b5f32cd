//! Decoder counters against Suricata 7.0.10 on suricata-verify captures.
//!
//! Each row gives a capture under `/work/shared/suricata-verify/tests` and the non-zero
//! `decoder.*` counters Suricata 7.0.10 wrote in its EVE stats record for it (run with
//! `-k none`; names relative to `decoder.`). The captures are read in place; the test is
//! skipped when the shared data is absent.

use std::collections::BTreeMap;
use std::path::PathBuf;

use palisade_capture::CaptureReader;
use palisade_decode::{DecodeStats, Decoder, DecoderConfig, Packet, PortSet};

const CASES: &[(&str, &str)] = &[
    (
        "decode-arp-1/input.pcap",
        "pkts=1 bytes=42 ethernet=1 arp=1 avg_pkt_size=42 max_pkt_size=42",
    ),
    (
        "decode-chdlc-01/hdlc-http_1tx.pcap",
        "pkts=17 bytes=10320 ipv4=17 chdlc=17 tcp=17 avg_pkt_size=607 max_pkt_size=1504",
    ),
    (
        "decode-erspan-typeI-02/input.pcap",
        "pkts=42 bytes=5880 ipv4=84 ethernet=84 icmpv4=42 gre=42 vlan=42 avg_pkt_size=140 max_pkt_size=140 erspan=42",
    ),
    (
        "decode-nsh-type1/input.pcap",
        "pkts=1 bytes=72 ipv4=1 ethernet=1 udp=1 avg_pkt_size=72 max_pkt_size=72 nsh=1",
    ),
    (
        "decode-nsh-type2/input.pcap",
        "pkts=1 bytes=56 ipv4=1 ethernet=1 udp=1 avg_pkt_size=56 max_pkt_size=56 nsh=1",
    ),
    (
        "decode-sctp-01/input.pcap",
        "pkts=1 bytes=574 ipv4=1 ethernet=1 sctp=1 avg_pkt_size=574 max_pkt_size=574",
    ),
    (
        "decode-teredo-01/input.pcap",
        "pkts=78 bytes=25025 ipv4=78 ipv6=1 ethernet=78 tcp=33 udp=45 icmpv6=1 teredo=1 avg_pkt_size=320 max_pkt_size=1506",
    ),
    (
        "decode-unknown-1/input.pcap",
        "pkts=1 bytes=14 ethernet=1 unknown_ethertype=1 avg_pkt_size=14 max_pkt_size=14",
    ),
    (
        "decode-vntag-01/input.pcap",
        "pkts=5 bytes=640 ipv4=5 ethernet=5 vlan=5 vntag=5 avg_pkt_size=128 max_pkt_size=128",
    ),
    (
        "bug-5633-gre-01/gre-udp.pcap",
        "pkts=3 bytes=222 ipv4=6 ethernet=3 udp=3 gre=3 vlan=3 avg_pkt_size=74 max_pkt_size=74",
    ),
    (
        "bug-5633-gre-02/gre-sample.pcap",
        "pkts=40 bytes=6731 ipv4=80 ethernet=40 tcp=22 udp=8 icmpv4=10 gre=40 avg_pkt_size=168 max_pkt_size=826",
    ),
    (
        "bug-7414-decoder-event-01/ip_secopt.pcap",
        "pkts=3 bytes=238 invalid=1 ipv4=3 ethernet=3 udp=2 avg_pkt_size=79 max_pkt_size=118 event.ipv4.opt_invalid_len=2 event.ipv4.opt_pad_required=1",
    ),
    (
        "vxlan-decoder-02/vxlan.pcap",
        "pkts=10 bytes=1368 ipv4=18 ethernet=10 udp=10 icmpv4=8 vxlan=10 avg_pkt_size=136 max_pkt_size=148",
    ),
    (
        "eve-flow-vlan/input.pcap",
        "pkts=2 bytes=96 ipv4=2 ethernet=2 icmpv4=2 vlan=2 vlan_qinq=1 avg_pkt_size=48 max_pkt_size=50",
    ),
];

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/suricata-verify/tests")
}

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
    assert!(!inner.failed);
    stats.count_events(&inner.events);
    follow(dec, &inner, stats);
}

fn decode_file(bytes: &[u8]) -> BTreeMap<String, u64> {
    // The suricata.yaml these runs used sets decoder.teredo.ports to 3544.
    let cfg = DecoderConfig {
        teredo_ports: PortSet::new(&[3544]),
        ..DecoderConfig::default()
    };
    let dec = Decoder::new(cfg);
    let mut stats = DecodeStats::default();
    let mut reader = CaptureReader::new(bytes).expect("capture");
    while let Some(raw) = reader.next_packet() {
        let mut pkt = Packet::new(raw.data, raw.ts);
        dec.decode(raw.linktype, raw.data, raw.ts, &mut pkt, &mut stats);
        stats.count_events(&pkt.events);
        follow(&dec, &pkt, &mut stats);
    }
    let mut out = BTreeMap::new();
    stats.for_each(|name, v| {
        if v != 0 {
            out.insert(name.trim_start_matches("decoder.").to_string(), v);
        }
    });
    out
}

#[test]
fn decoder_counters_match_suricata() {
    let dir = shared();
    if !dir.is_dir() {
        eprintln!("skipped: {} not present", dir.display());
        return;
    }
    for (file, expected) in CASES {
        let bytes = std::fs::read(dir.join(file)).expect(file);
        let got = decode_file(&bytes);
        let want: BTreeMap<String, u64> = expected
            .split_whitespace()
            .map(|kv| {
                let (k, v) = kv.split_once('=').expect("k=v");
                (k.to_string(), v.parse().expect("number"))
            })
            .collect();
        assert_eq!(got, want, "{file}");
    }
}
