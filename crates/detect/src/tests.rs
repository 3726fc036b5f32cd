//! Table-driven tests: rule text + packet from annotated hex -> fires or not.

use palisade_decode::{DecodeStats, Decoder, LinkType, Packet, Timestamp};
use palisade_rules::{parse_rule, parse_threshold_config, Rule, RuleContext};

use crate::{Alert, DetectConfig, DetectEngine, Detector, FlowDetectState, FlowDir, PacketView};

/// Bytes from annotated hex: `#` starts a comment to the end of the line; `"..."` is
/// ASCII text.
fn hex(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for line in s.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut rest = line;
        while let Some(q) = rest.find('"') {
            push_hex(&rest[..q], &mut out);
            let after = &rest[q + 1..];
            let end = after.find('"').expect("closing quote");
            out.extend_from_slice(&after.as_bytes()[..end]);
            rest = &after[end + 1..];
        }
        push_hex(rest, &mut out);
    }
    out
}

fn push_hex(s: &str, out: &mut Vec<u8>) {
    let digits: Vec<u8> = s.bytes().filter(|b| b.is_ascii_hexdigit()).collect();
    assert_eq!(digits.len() % 2, 0, "odd hex in {s:?}");
    for c in digits.chunks(2) {
        let h = std::str::from_utf8(c).unwrap();
        out.push(u8::from_str_radix(h, 16).unwrap());
    }
}

/// IPv4/TCP 10.0.0.1:1234 -> 10.0.0.2:80, PSH|ACK, payload "GET /x".
const TCP_GET: &str = "
45 00 00 2e   # IPv4, IHL 5, TOS 0, total length 46
00 01 40 00   # id 1, DF, offset 0
40 06 00 00   # TTL 64, TCP, checksum (unchecked)
0a 00 00 01   # src 10.0.0.1
0a 00 00 02   # dst 10.0.0.2
04 d2 00 50   # sp 1234, dp 80
00 00 00 01   # seq 1
00 00 00 00   # ack 0
50 18 ff ff   # data offset 5, flags PSH|ACK, window 65535
00 00 00 00   # checksum, urgent pointer
\"GET /x\"    # payload
";

/// IPv4/TCP SYN with an MSS option, 10.0.0.1:1234 -> 10.0.0.2:80, no payload.
const TCP_SYN: &str = "
45 00 00 2c   # IPv4, total length 44
00 02 00 00   # id 2, no flags
80 06 00 00   # TTL 128, TCP
0a 00 00 01   # src 10.0.0.1
0a 00 00 02   # dst 10.0.0.2
04 d2 00 50   # sp 1234, dp 80
00 00 00 64   # seq 100
00 00 00 00   # ack 0
60 02 72 10   # data offset 6, SYN, window 29200
00 00 00 00   # checksum, urgent pointer
02 04 05 b4   # option MSS 1460
";

/// IPv4/UDP 10.0.0.1:5353 -> 10.0.0.2:53, payload "abcd".
const UDP_ABCD: &str = "
45 00 00 20   # IPv4, total length 32
00 03 00 00   # id 3
40 11 00 00   # TTL 64, UDP
0a 00 00 01   # src 10.0.0.1
0a 00 00 02   # dst 10.0.0.2
14 e9 00 35   # sp 5353, dp 53
00 0c 00 00   # length 12, checksum 0 (none)
\"abcd\"      # payload
";

/// IPv4/ICMP echo request id 0x1234 seq 1, 10.0.0.1 -> 10.0.0.2, payload "ping".
const ICMP_ECHO: &str = "
45 00 00 20   # IPv4, total length 32
00 04 00 00   # id 4
40 01 00 00   # TTL 64, ICMP
0a 00 00 01   # src 10.0.0.1
0a 00 00 02   # dst 10.0.0.2
08 00 00 00   # type 8 (echo request), code 0, checksum
12 34 00 01   # id 0x1234, seq 1
\"ping\"      # payload
";

/// IPv4 with a truncated UDP header (decoder event udp.hlen_too_small / pkt_too_small).
const UDP_TRUNC: &str = "
45 00 00 18   # IPv4, total length 24
00 05 00 00   # id 5
40 11 00 00   # TTL 64, UDP
0a 00 00 01   # src 10.0.0.1
0a 00 00 02   # dst 10.0.0.2
14 e9 00 35   # only 4 bytes of UDP header
";

fn decode(bytes: &[u8]) -> Packet<'_> {
    let dec = Decoder::default();
    let mut stats = DecodeStats::default();
    let mut p = Packet::new(bytes, Timestamp::new(1000, 0));
    // LINKTYPE_RAW (101): the frame starts with the IP header.
    dec.decode(
        LinkType(101),
        bytes,
        Timestamp::new(1000, 0),
        &mut p,
        &mut stats,
    );
    p
}

fn rules(texts: &[&str]) -> Vec<Rule> {
    let ctx = RuleContext::default();
    texts
        .iter()
        .map(|t| parse_rule(t, &ctx).unwrap_or_else(|e| panic!("{t}: {e}")))
        .collect()
}

fn engine(texts: &[&str], cfg: &DetectConfig) -> Detector {
    let (e, w) = DetectEngine::build(&rules(texts), cfg);
    assert!(w.is_empty(), "warnings: {w:?}");
    Detector::new(e.shared())
}

fn run(det: &mut Detector, pv: &PacketView, flow: Option<&mut FlowDetectState>) -> Vec<u32> {
    let mut out: Vec<Alert> = Vec::new();
    det.inspect_packet(pv, flow, &mut out);
    out.iter().map(|a| a.sid).collect()
}

#[test]
fn table() {
    // (rule, packet, direction (None = no flow), fires)
    let cases: &[(&str, &str, Option<FlowDir>, bool)] = &[
        ("alert tcp any any -> any any (content:\"GET\"; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (content:\"POST\"; sid:1;)", TCP_GET, None, false),
        ("alert tcp any any -> any any (content:\"get\"; nocase; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (content:\"get\"; sid:1;)", TCP_GET, None, false),
        ("alert tcp any any -> any 80 (content:\"/x\"; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any 81 (content:\"/x\"; sid:1;)", TCP_GET, None, false),
        ("alert tcp any 1234 -> any any (content:\"/x\"; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any !80 (content:\"/x\"; sid:1;)", TCP_GET, None, false),
        ("alert tcp any 80 <> any any (content:\"/x\"; sid:1;)", TCP_GET, None, true),
        ("alert tcp any 80 -> any any (content:\"/x\"; sid:1;)", TCP_GET, None, false),
        ("alert tcp 10.0.0.0/24 any -> 10.0.0.2 any (sid:1;)", TCP_GET, None, true),
        ("alert tcp !10.0.0.0/24 any -> any any (sid:1;)", TCP_GET, None, false),
        ("alert tcp [10.0.0.0/8,!10.0.0.1] any -> any any (sid:1;)", TCP_GET, None, false),
        ("alert udp any any -> any any (content:\"GET\"; sid:1;)", TCP_GET, None, false),
        // The test packets carry zero checksums: invalid when the decoder checks them.
        ("alert ip any any -> any any (ipv4-csum:invalid; sid:1;)", TCP_GET, None, true),
        ("alert ip any any -> any any (ipv4-csum:valid; sid:1;)", TCP_GET, None, false),
        ("alert tcp any any -> any any (tcpv4-csum:invalid; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (tcpv6-csum:invalid; sid:1;)", TCP_GET, None, false),
        ("alert ip any any -> [10.0.0.2,192.168.1.1] any (sid:1;)", TCP_GET, None, true),
        ("alert ip any any -> [10.0.0.3,192.168.1.1] any (sid:1;)", TCP_GET, None, false),
        ("alert ip 10.0.0.2 any <> 10.0.0.1 any (sid:1;)", TCP_GET, None, true),
        ("alert ip [1.1.1.1,2.2.2.2] any <> 10.0.0.1 any (sid:1;)", TCP_GET, None, false),
        ("alert ip any any -> [::1,10.0.0.0/30] any (sid:1;)", TCP_GET, None, true),
        ("alert ip [::1,10.0.0.0/30] any -> [10.0.0.3,::2] any (sid:1;)", TCP_GET, None, false),
        ("alert ip any any -> any any (content:\"GET\"; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (content:\"GET\"; depth:3; content:\"/x\"; distance:1; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (content:\"GET\"; content:!\"/x\"; sid:1;)", TCP_GET, None, false),
        ("alert tcp any any -> any any (content:!\"POST\"; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (dsize:6; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (dsize:>6; sid:1;)", TCP_GET, None, false),
        ("alert tcp any any -> any any (flags:PA; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (flags:A; sid:1;)", TCP_GET, None, false),
        ("alert tcp any any -> any any (flags:A+; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (flags:S; sid:1;)", TCP_SYN, None, true),
        ("alert tcp any any -> any any (flags:*SF; sid:1;)", TCP_SYN, None, true),
        ("alert tcp any any -> any any (flags:!S; sid:1;)", TCP_SYN, None, false),
        ("alert tcp any any -> any any (ttl:64; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (ttl:<64; sid:1;)", TCP_GET, None, false),
        ("alert tcp any any -> any any (ttl:>100; sid:1;)", TCP_SYN, None, true),
        ("alert tcp any any -> any any (id:1; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (id:2; sid:1;)", TCP_GET, None, false),
        ("alert tcp any any -> any any (fragbits:D; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (fragbits:D; sid:1;)", TCP_SYN, None, false),
        ("alert tcp any any -> any any (fragbits:!M; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (seq:100; sid:1;)", TCP_SYN, None, true),
        ("alert tcp any any -> any any (seq:101; sid:1;)", TCP_SYN, None, false),
        ("alert tcp any any -> any any (window:29200; sid:1;)", TCP_SYN, None, true),
        ("alert tcp any any -> any any (window:!29200; sid:1;)", TCP_SYN, None, false),
        ("alert tcp any any -> any any (tcp.mss:1460; sid:1;)", TCP_SYN, None, true),
        ("alert tcp any any -> any any (tcp.mss:<1000; sid:1;)", TCP_SYN, None, false),
        ("alert tcp any any -> any any (tcp.mss:1460; sid:1;)", TCP_GET, None, false),
        ("alert ip any any -> any any (ip_proto:6; sid:1;)", TCP_GET, None, true),
        ("alert ipv4 any any -> any any (ip_proto:6; sid:1;)", TCP_GET, None, true),
        ("alert ipv6 any any -> any any (ip_proto:6; sid:1;)", TCP_GET, None, false),
        ("alert ip6 any any -> any any (sid:1;)", TCP_GET, None, false),
        ("alert ip any any -> any any (ip_proto:udp; sid:1;)", UDP_ABCD, None, true),
        ("alert ip any any -> any any (ip_proto:!tcp; sid:1;)", TCP_GET, None, false),
        ("alert ip any any -> any any (sameip; sid:1;)", TCP_GET, None, false),
        ("alert tcp any any -> any any (tos:0; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (tos:8; sid:1;)", TCP_GET, None, false),
        ("alert udp any any -> any 53 (content:\"bc\"; offset:1; depth:3; sid:1;)", UDP_ABCD, None, true),
        ("alert udp any any -> any 53 (content:\"bc\"; offset:2; sid:1;)", UDP_ABCD, None, false),
        ("alert udp any any -> any any (content:\"cd\"; endswith; sid:1;)", UDP_ABCD, None, true),
        ("alert icmp any any -> any any (itype:8; icode:0; sid:1;)", ICMP_ECHO, None, true),
        ("alert icmp any any -> any any (itype:0; sid:1;)", ICMP_ECHO, None, false),
        ("alert icmp any any -> any any (icmp_id:4660; icmp_seq:1; sid:1;)", ICMP_ECHO, None, true),
        ("alert icmp any any -> any any (icmp_seq:2; sid:1;)", ICMP_ECHO, None, false),
        ("alert icmp any any -> any any (content:\"ping\"; sid:1;)", ICMP_ECHO, None, true),
        ("alert tcp any any -> any any (ipv4.hdr; content:\"|0a 00 00 02|\"; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (tcp.hdr; content:\"|04 d2 00 50|\"; startswith; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (tcp.hdr; content:\"|00 50 04 d2|\"; sid:1;)", TCP_GET, None, false),
        ("alert tcp any any -> any any (flow:to_server; sid:1;)", TCP_GET, Some(FlowDir::ToServer), true),
        ("alert tcp any any -> any any (flow:to_server; sid:1;)", TCP_GET, Some(FlowDir::ToClient), false),
        ("alert tcp any any -> any any (flow:to_client; sid:1;)", TCP_GET, Some(FlowDir::ToClient), true),
        ("alert tcp any any -> any any (flow:to_server; sid:1;)", TCP_GET, None, false),
        ("alert tcp any any -> any any (flow:established; sid:1;)", TCP_GET, Some(FlowDir::ToServer), false),
        ("alert tcp any any -> any any (flow:not_established; sid:1;)", TCP_GET, Some(FlowDir::ToServer), true),
        ("alert tcp any any -> any any (flow:stateless; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (flow:no_frag; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (flow:only_frag; sid:1;)", TCP_GET, None, false),
        ("alert tcp any any -> any any (content:\"GET\"; flow:only_stream; sid:1;)", TCP_GET, None, false),
        ("alert pkthdr any any -> any any (decode-event:ipv4.trunc_pkt; sid:1;)", TCP_GET, None, false),
        ("alert tcp any any -> any any (app-layer-protocol:http; sid:1;)", TCP_GET, None, false),
        ("alert http any any -> any any (content:\"GET\"; sid:1;)", TCP_GET, None, false),
        ("alert tcp any any -> any any (pcre:\"/^GET\\s/\"; sid:1;)", TCP_GET, None, true),
        ("alert tcp any any -> any any (pcre:\"/^POST/\"; sid:1;)", TCP_GET, None, false),
    ];
    let cfg = DetectConfig::default();
    for (i, (rule, pkt, dir, fires)) in cases.iter().enumerate() {
        // Checksum validation on (the decoder's default); see `checksums_off` below.
        let bytes = hex(pkt);
        let p = decode(&bytes);
        assert!(p.ip.is_some(), "case {i}: packet did not decode");
        let mut det = engine(&[rule], &cfg);
        let mut pv = PacketView::new(&p);
        let mut fs = FlowDetectState::new();
        let flow = dir.map(|d| {
            pv.dir = Some(d);
            pv.has_flow = true;
            &mut fs
        });
        let got = run(&mut det, &pv, flow);
        assert_eq!(!got.is_empty(), *fires, "case {i}: {rule}");
    }
}

#[test]
fn decoder_event_rules_fire_on_events() {
    let bytes = hex(UDP_TRUNC);
    let p = decode(&bytes);
    let ev: Vec<&str> = p.events.iter().map(|e| e.name()).collect();
    assert!(!ev.is_empty(), "the truncated packet raises an event");
    let rule = format!(
        "alert pkthdr any any -> any any (msg:\"ev\"; decode-event:{}; sid:7; gid:1;)",
        ev[0]
    );
    let mut det = engine(&[&rule], &DetectConfig::default());
    assert_eq!(run(&mut det, &PacketView::new(&p), None), [7]);
    // The same rule does not fire on a clean packet.
    let ok = hex(UDP_ABCD);
    let p2 = decode(&ok);
    assert!(run(&mut det, &PacketView::new(&p2), None).is_empty());
}

#[test]
fn flowbits_setter_runs_before_checker_in_same_packet() {
    // The checker is loaded first; Suricata's order puts the setter first.
    let mut det = engine(
        &[
            "alert tcp any any -> any any (flowbits:isset,seen; content:\"GET\"; sid:2;)",
            "alert tcp any any -> any any (content:\"GET\"; flowbits:set,seen; flowbits:noalert; sid:1;)",
        ],
        &DetectConfig::default(),
    );
    let bytes = hex(TCP_GET);
    let p = decode(&bytes);
    let mut pv = PacketView::new(&p);
    pv.has_flow = true;
    pv.dir = Some(FlowDir::ToServer);
    let mut fs = FlowDetectState::new();
    assert_eq!(run(&mut det, &pv, Some(&mut fs)), [2]);
    assert_eq!(
        det.counters.alerts_suppressed, 1,
        "noalert counts as suppressed"
    );
    // Without a flow, flowbits cannot be set or checked.
    assert!(run(&mut det, &PacketView::new(&p), None).is_empty());
}

#[test]
fn flowint_counts() {
    let mut det = engine(
        &[
            "alert tcp any any -> any any (content:\"GET\"; flowint:n,+,1; noalert; sid:1;)",
            "alert tcp any any -> any any (flowint:n,>=,3; sid:2;)",
        ],
        &DetectConfig::default(),
    );
    let bytes = hex(TCP_GET);
    let p = decode(&bytes);
    let mut pv = PacketView::new(&p);
    pv.has_flow = true;
    pv.dir = Some(FlowDir::ToServer);
    let mut fs = FlowDetectState::new();
    let fired: Vec<bool> = (0..4)
        .map(|_| run(&mut det, &pv, Some(&mut fs)).contains(&2))
        .collect();
    // n is 1, 2, 3, 4 after the setter; the checker runs after it (it reads only).
    assert_eq!(fired, [false, false, true, true]);
}

#[test]
fn action_order_pass_and_alert_max() {
    let mut texts =
        vec!["pass tcp any any -> any any (content:\"GET\"; sid:100; priority:3;)".to_string()];
    for sid in 1..=20 {
        texts.push(format!(
            "alert tcp any any -> any any (content:\"GET\"; sid:{sid}; priority:{};)",
            1 + sid % 3
        ));
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let bytes = hex(TCP_GET);
    let p = decode(&bytes);
    // The pass rule orders first and stops every alert of the packet.
    let mut det = engine(&refs, &DetectConfig::default());
    assert!(run(&mut det, &PacketView::new(&p), None).is_empty());
    // Without it: 15 alerts kept, by priority then load order, 5 overflow.
    let mut det = engine(&refs[1..], &DetectConfig::default());
    let got = run(&mut det, &PacketView::new(&p), None);
    assert_eq!(got.len(), 15);
    assert_eq!(det.counters.alert_queue_overflow, 5);
    assert_eq!(det.counters.alert, 15);
    let prio: Vec<u32> = got.iter().map(|s| 1 + s % 3).collect();
    assert!(prio.windows(2).all(|w| w[0] <= w[1]), "{got:?}");
    assert_eq!(&got[..3], &[3, 6, 9]);
    let mut c = Vec::new();
    det.counters.for_each(|n, v| c.push((n, v)));
    assert_eq!(c[0], ("detect.alert", 15));
}

#[test]
fn drop_orders_before_alert() {
    let mut det = engine(
        &[
            "alert tcp any any -> any any (content:\"GET\"; priority:1; sid:1;)",
            "drop tcp any any -> any any (content:\"GET\"; priority:3; sid:2;)",
        ],
        &DetectConfig::default(),
    );
    let bytes = hex(TCP_GET);
    let p = decode(&bytes);
    assert_eq!(run(&mut det, &PacketView::new(&p), None), [2, 1]);
}

#[test]
fn thresholds_and_suppress() {
    let (entries, errs) = parse_threshold_config(
        "suppress gen_id 1, sig_id 3\nsuppress gen_id 1, sig_id 4, track by_src, ip 10.0.0.0/8\n",
        "threshold.config",
    );
    assert!(errs.is_empty(), "{errs:?}");
    let cfg = DetectConfig {
        thresholds: entries,
        ..DetectConfig::default()
    };
    let mut det = engine(
        &[
            "alert tcp any any -> any any (content:\"GET\"; threshold:type limit,track by_src,count 2,seconds 60; sid:1;)",
            "alert tcp any any -> any any (content:\"GET\"; detection_filter:track by_dst,count 2,seconds 60; sid:2;)",
            "alert tcp any any -> any any (content:\"GET\"; sid:3;)",
            "alert tcp any any -> any any (content:\"GET\"; sid:4;)",
        ],
        &cfg,
    );
    let bytes = hex(TCP_GET);
    let p = decode(&bytes);
    let got: Vec<Vec<u32>> = (0..4)
        .map(|_| run(&mut det, &PacketView::new(&p), None))
        .collect();
    assert_eq!(got, [vec![1], vec![1], vec![2], vec![2]]);
}

#[test]
fn iponly_once_per_direction() {
    let mut det = engine(
        &["alert ip 10.0.0.1 any -> any any (msg:\"ip-only\"; sid:9;)"],
        &DetectConfig::default(),
    );
    assert_eq!(det.engine().rules[0].kind, crate::RuleKind::IpOnly);
    let bytes = hex(TCP_GET);
    let p = decode(&bytes);
    let mut pv = PacketView::new(&p);
    pv.has_flow = true;
    pv.dir = Some(FlowDir::ToServer);
    let mut fs = FlowDetectState::new();
    assert_eq!(run(&mut det, &pv, Some(&mut fs)), [9]);
    assert!(run(&mut det, &pv, Some(&mut fs)).is_empty());
    // Without a flow, every packet.
    assert_eq!(run(&mut det, &PacketView::new(&p), None), [9]);
}

#[test]
fn pass_on_ip_only_passes_the_flow() {
    let mut det = engine(
        &[
            "pass ip 10.0.0.1 any -> any any (sid:1;)",
            "alert tcp any any -> any any (content:\"GET\"; sid:2;)",
        ],
        &DetectConfig::default(),
    );
    let bytes = hex(TCP_GET);
    let p = decode(&bytes);
    let mut pv = PacketView::new(&p);
    pv.has_flow = true;
    pv.dir = Some(FlowDir::ToServer);
    let mut fs = FlowDetectState::new();
    assert!(run(&mut det, &pv, Some(&mut fs)).is_empty());
    assert!(fs.is_passed());
}

#[test]
fn stream_payload_match_is_flagged() {
    let mut det = engine(
        &["alert tcp any any -> any any (content:\"HTTP/1.1\"; sid:1;)"],
        &DetectConfig::default(),
    );
    let bytes = hex(TCP_GET);
    let p = decode(&bytes);
    let mut pv = PacketView::new(&p);
    pv.stream = Some(b"GET /x HTTP/1.1\r\n");
    let mut out = Vec::new();
    det.inspect_packet(&pv, None, &mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].flags & crate::alert_flags::STREAM_MATCH, 1);
}

#[test]
fn app_layer_rules_wait_for_buffers() {
    let (e, w) = DetectEngine::build(
        &rules(&["alert http any any -> any any (http.uri; content:\"/x\"; sid:1;)"]),
        &DetectConfig::default(),
    );
    assert!(w.is_empty());
    assert_eq!(e.rules[0].kind, crate::RuleKind::AppLayer);
    let uri = e.registry.get("http.uri").expect("registered");
    let mut det = Detector::new(e.shared());
    let bytes = hex(TCP_GET);
    let p = decode(&bytes);
    // Not matched by packet inspection.
    assert!(run(&mut det, &PacketView::new(&p), None).is_empty());
    let mut pv = PacketView::new(&p);
    pv.app_proto = Some("http");
    let mut out = Vec::new();
    det.inspect_app_buffers(&pv, None, &[(uri, b"/x")], &mut out);
    assert_eq!(out.iter().map(|a| a.sid).collect::<Vec<_>>(), [1]);
    out.clear();
    det.inspect_app_buffers(&pv, None, &[(uri, b"/y")], &mut out);
    assert!(out.is_empty());
}

#[test]
fn app_keywords_without_evaluator_never_match() {
    let (e, w) = DetectEngine::build(
        &rules(&[
            "alert dns any any -> any any (dns.opcode:0; sid:1;)",
            "alert http any any -> any any (app-layer-event:http.request_field_too_long; sid:2;)",
        ]),
        &DetectConfig::default(),
    );
    assert!(w.is_empty(), "{w:?}");
    assert!(e.rules.iter().all(|r| r.kind == crate::RuleKind::AppLayer));
    let mut det = Detector::new(e.shared());
    let bytes = hex(UDP_ABCD);
    let p = decode(&bytes);
    let mut out = Vec::new();
    for proto in ["dns", "http"] {
        let mut pv = PacketView::new(&p);
        pv.app_proto = Some(proto);
        det.inspect_app_buffers(&pv, None, &[], &mut out);
        det.inspect_packet(&pv, None, &mut out);
    }
    assert!(out.is_empty());
}

#[test]
fn fast_pattern_selection() {
    let e = |t: &str| {
        let (e, w) = DetectEngine::build(&rules(&[t]), &DetectConfig::default());
        assert!(w.is_empty());
        e.rules[0].fast_pattern.clone().map(|f| (f.bytes, f.nocase))
    };
    // Longest wins.
    assert_eq!(
        e("alert tcp any any -> any any (content:\"ab\"; content:\"abcd\"; sid:1;)"),
        Some((b"abcd".to_vec(), false))
    );
    // Explicit wins, with chop.
    assert_eq!(
        e("alert tcp any any -> any any (content:\"ab\"; fast_pattern; content:\"abcd\"; sid:1;)"),
        Some((b"ab".to_vec(), false))
    );
    assert_eq!(
        e("alert tcp any any -> any any (content:\"abcdef\"; fast_pattern:2,3; nocase; sid:1;)"),
        Some((b"cde".to_vec(), true))
    );
    // Same length: the stronger (more diverse) one.
    assert_eq!(
        e("alert tcp any any -> any any (content:\"aaaa\"; content:\"a|01|b|02|\"; sid:1;)"),
        Some((b"a\x01b\x02".to_vec(), false))
    );
    // Negated contents are ignored when positive ones exist; all negated: no prefilter.
    assert_eq!(
        e("alert tcp any any -> any any (content:!\"abcdef\"; content:\"xy\"; sid:1;)"),
        Some((b"xy".to_vec(), false))
    );
    assert_eq!(
        e("alert tcp any any -> any any (content:!\"abcdef\"; sid:1;)"),
        None
    );
}

#[test]
fn no_allocation_growth_after_warmup() {
    let mut det = engine(
        &[
            "alert tcp any any -> any any (content:\"GET\"; sid:1;)",
            "alert tcp any any -> any 80 (content:\"/x\"; sid:2;)",
        ],
        &DetectConfig::default(),
    );
    let bytes = hex(TCP_GET);
    let p = decode(&bytes);
    let mut out = Vec::with_capacity(16);
    for _ in 0..3 {
        out.clear();
        det.inspect_packet(&PacketView::new(&p), None, &mut out);
    }
    let caps = (det.scratch_capacities(), out.capacity());
    for _ in 0..100 {
        out.clear();
        det.inspect_packet(&PacketView::new(&p), None, &mut out);
    }
    assert_eq!(caps, (det.scratch_capacities(), out.capacity()));
    assert_eq!(out.len(), 2);
}

#[test]
fn checksums_off_count_as_valid() {
    use palisade_decode::{ChecksumMode, DecoderConfig};
    let bytes = hex(TCP_GET);
    let dec = Decoder::new(DecoderConfig {
        checksum: ChecksumMode::None,
        ..DecoderConfig::default()
    });
    let mut stats = DecodeStats::default();
    let ts = Timestamp::new(1, 0);
    let mut p = Packet::new(&bytes, ts);
    dec.decode(LinkType(101), &bytes, ts, &mut p, &mut stats);
    assert_eq!(p.ip_csum_ok, None);
    let mut det = engine(
        &[
            "alert ip any any -> any any (ipv4-csum:invalid; sid:1;)",
            "alert ip any any -> any any (ipv4-csum:valid; sid:2;)",
        ],
        &DetectConfig::default(),
    );
    assert_eq!(run(&mut det, &PacketView::new(&p), None), [2]);
}

#[test]
fn engine_is_shareable_and_detector_movable() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<DetectEngine>();
    send::<Detector>();
    send::<FlowDetectState>();
}

#[test]
fn app_rules_without_protocol_run_for_any_app_protocol() {
    let (e, w) = DetectEngine::build(
        &rules(&["alert tcp any any -> any any (file.data; content:\"MZ\"; sid:5;)"]),
        &DetectConfig::default(),
    );
    assert!(w.is_empty(), "{w:?}");
    let fd = e.registry.get("file.data").expect("registered");
    let mut det = Detector::new(e.shared());
    let bytes = hex(TCP_GET);
    let p = decode(&bytes);
    let mut pv = PacketView::new(&p);
    pv.app_proto = Some("http");
    let mut out = Vec::new();
    det.inspect_app_buffers(&pv, None, &[(fd, b"MZ\x90\x00")], &mut out);
    assert_eq!(out.iter().map(|a| a.sid).collect::<Vec<_>>(), [5]);
}
