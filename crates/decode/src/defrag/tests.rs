//! Defrag tests. Fragments are built programmatically; every header byte is annotated.

use super::*;
use proptest::prelude::*;

const SRC4: [u8; 4] = [1, 1, 1, 1];
const DST4: [u8; 4] = [2, 2, 2, 2];
const SRC6: [u8; 16] = [0x01; 16];
const DST6: [u8; 16] = [0x02; 16];

fn ts(secs: u64) -> Timestamp {
    Timestamp::new(secs, 0)
}

fn ip_checksum(hdr: &[u8]) -> u16 {
    let mut acc: u32 = 0;
    for c in hdr.chunks(2) {
        acc += u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
    }
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    !(acc as u16)
}

/// An IPv4 fragment: 20-byte header + `payload`. `off` in bytes (multiple of 8).
fn v4(id: u16, off: u32, mf: bool, proto: u8, payload: &[u8]) -> Vec<u8> {
    let total = (20 + payload.len()) as u16;
    let flags_off = (if mf { 0x2000 } else { 0 }) | (off / 8) as u16;
    let mut p = vec![
        0x45,
        0x00, // version 4, IHL 5; TOS 0
        (total >> 8) as u8,
        total as u8, // total length
        (id >> 8) as u8,
        id as u8, // identification
        (flags_off >> 8) as u8,
        flags_off as u8, // flags (MF) + offset in 8-byte units
        64,
        proto, // TTL, protocol
        0,
        0, // checksum (filled below)
    ];
    p.extend_from_slice(&SRC4); // source 1.1.1.1
    p.extend_from_slice(&DST4); // destination 2.2.2.2
    let sum = ip_checksum(&p);
    p[10..12].copy_from_slice(&sum.to_be_bytes());
    p.extend_from_slice(payload);
    p
}

/// An IPv6 fragment: 40-byte header, the unfragmentable extension headers `ext` (chained
/// by the caller: `ext_first` is the IPv6 next header, the last one's next header must
/// be 44), the 8-byte fragment header, then `payload`.
fn v6_ext(
    id: u32,
    off: u32,
    mf: bool,
    nh: u8,
    ext_first: Option<u8>,
    ext: &[u8],
    payload: &[u8],
) -> Vec<u8> {
    let plen = (ext.len() + 8 + payload.len()) as u16;
    let mut p = vec![
        0x60,
        0,
        0,
        0, // version 6, traffic class, flow label
        (plen >> 8) as u8,
        plen as u8,              // payload length
        ext_first.unwrap_or(44), // next header: first ext header or Fragment (44)
        64,                      // hop limit
    ];
    p.extend_from_slice(&SRC6);
    p.extend_from_slice(&DST6);
    p.extend_from_slice(ext);
    let offlg = (off as u16 & 0xfff8) | u16::from(mf);
    p.extend_from_slice(&[
        nh,
        0, // fragment header: next header, reserved
        (offlg >> 8) as u8,
        offlg as u8, // offset (bytes, low 3 bits flags) | M
    ]);
    p.extend_from_slice(&id.to_be_bytes()); // identification
    p.extend_from_slice(payload);
    p
}

fn v6(id: u32, off: u32, mf: bool, nh: u8, payload: &[u8]) -> Vec<u8> {
    v6_ext(id, off, mf, nh, None, &[], payload)
}

fn ins(d: &mut Defrag, pkt: &[u8]) -> InsertResult {
    d.insert_raw(pkt, 0, ts(1000), [0; 3], 0)
}

fn defrag_with(policy: Policy) -> Defrag {
    Defrag::new(DefragConfig {
        default_policy: policy,
        ..DefragConfig::default()
    })
}

/// Splits `data` into fragments at the given byte boundaries (multiples of 8).
fn split(data: &[u8], cuts: &[usize]) -> Vec<(u32, bool, Vec<u8>)> {
    let mut out = Vec::new();
    let mut start = 0;
    for &c in cuts.iter().chain(std::iter::once(&data.len())) {
        if c > start {
            out.push((start as u32, c < data.len(), data[start..c].to_vec()));
            start = c;
        }
    }
    out
}

#[test]
fn ipv4_in_order_and_reverse() {
    // A*8 at 0, B*8 at 8, C*3 at 16 (last): 39-byte datagram, protocol ICMP.
    let frags = [
        v4(12, 0, true, 1, &[b'A'; 8]),
        v4(12, 8, true, 1, &[b'B'; 8]),
        v4(12, 16, false, 1, &[b'C'; 3]),
    ];
    for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]] {
        let mut d = Defrag::new(DefragConfig::default());
        let mut got = None;
        for (n, &i) in order.iter().enumerate() {
            let r = ins(&mut d, &frags[i]);
            assert!(r.fragment && r.events.is_empty());
            assert_eq!(r.reassembled.is_some(), n == 2, "order {order:?}");
            got = got.or(r.reassembled);
        }
        let r = got.unwrap();
        assert_eq!(r.kind, InnerKind::Ipv4);
        assert_eq!(r.ip_offset, 0);
        let ip = r.ip();
        assert_eq!(ip.len(), 39);
        assert_eq!(&ip[2..4], &[0, 39]); // total length
        assert_eq!(&ip[6..8], &[0, 0]); // no MF, offset 0
        assert_eq!(ip_checksum(&ip[..20]), 0, "checksum must verify");
        assert_eq!(&ip[20..28], &[b'A'; 8]);
        assert_eq!(&ip[28..36], &[b'B'; 8]);
        assert_eq!(&ip[36..39], &[b'C'; 3]);
        assert_eq!(d.tracker_count(), 0);
        assert_eq!(d.fragment_count(), 0);
        assert_eq!(d.memuse(), 0);
        let c = d.counters();
        assert_eq!((c.ipv4_fragments, c.ipv4_reassembled), (3, 1));
    }
}

#[test]
fn ipv4_checksum_adjust_matches_recompute() {
    let frags = [v4(7, 0, true, 17, &[1; 16]), v4(7, 16, false, 17, &[2; 5])];
    let mut d = Defrag::new(DefragConfig::default());
    assert!(ins(&mut d, &frags[0]).reassembled.is_none());
    let r = ins(&mut d, &frags[1]).reassembled.unwrap();
    let mut hdr = r.ip()[..20].to_vec();
    let got = u16::from_be_bytes([hdr[10], hdr[11]]);
    hdr[10] = 0;
    hdr[11] = 0;
    assert_eq!(got, ip_checksum(&hdr));
}

#[test]
fn not_a_fragment_is_ignored() {
    let mut d = Defrag::new(DefragConfig::default());
    let r = ins(&mut d, &v4(1, 0, false, 6, &[0; 20]));
    assert_eq!(r, InsertResult::default());
    let r = ins(&mut d, &v6(1, 0, false, 6, &[0; 20]));
    assert_eq!(r, InsertResult::default());
    // Garbage and truncated headers.
    assert!(!ins(&mut d, &[0x45, 0, 0]).fragment);
    let mut short = v4(1, 8, true, 6, &[0; 16]);
    short.truncate(30); // total length says 36
    assert!(!ins(&mut d, &short).fragment);
    assert_eq!(d.counters(), DefragCounters::default());
}

#[test]
fn ipv4_no_data_last_fragment_is_not_stored() {
    // Offset 8, MF clear, no data (Suricata's DefragNoDataIpv4Test).
    let mut d = Defrag::new(DefragConfig::default());
    let r = ins(&mut d, &v4(12, 8, false, 1, &[]));
    assert!(r.fragment && r.reassembled.is_none());
    assert_eq!(d.fragment_count(), 0);
}

#[test]
fn ipv4_too_large() {
    // Offset 8183*8 = 65464, 71 bytes: 20 + 65464 + 71 = 65555 > 65535.
    let mut d = Defrag::new(DefragConfig::default());
    let r = ins(&mut d, &v4(1, 8183 * 8, false, 1, &[b'A'; 71]));
    assert!(r.events.contains(DefragEvent::Ipv4FragPktTooLarge));
    assert_eq!(d.fragment_count(), 0);
    // Exactly at the limit is fine: 20 + 65464 + 51 = 65535.
    let r = ins(&mut d, &v4(2, 8183 * 8, false, 1, &[b'A'; 51]));
    assert!(r.events.is_empty());
    assert_eq!(d.fragment_count(), 1);
}

#[test]
fn ipv6_too_large_and_invalid_length() {
    let mut d = Defrag::new(DefragConfig::default());
    // 65528 + 16 > 65535.
    let r = ins(&mut d, &v6(1, 65528, false, 17, &[0; 16]));
    assert!(r.events.contains(DefragEvent::Ipv6FragPktTooLarge));
    // More fragments with a length not a multiple of 8.
    let r = ins(&mut d, &v6(2, 0, true, 17, &[0; 13]));
    assert!(r.events.contains(DefragEvent::Ipv6FragInvalidLength));
    assert_eq!(
        r.events.iter().map(|e| e.name()).collect::<Vec<_>>(),
        vec!["ipv6.frag_invalid_length"]
    );
}

#[test]
fn duplicates_reassemble_once_and_flag_overlap() {
    for policy in ALL_POLICIES {
        let mut d = defrag_with(policy);
        let a = v4(5, 0, true, 17, &[b'A'; 16]);
        let b = v4(5, 16, false, 17, &[b'B'; 8]);
        assert!(ins(&mut d, &a).events.is_empty());
        let r = ins(&mut d, &a);
        assert!(
            r.events.contains(DefragEvent::Ipv4FragOverlap),
            "{policy:?}"
        );
        let r = ins(&mut d, &b).reassembled.expect("complete");
        assert_eq!(
            &r.ip()[20..],
            [[b'A'; 16].as_slice(), &[b'B'; 8]].concat(),
            "{policy:?}"
        );
        // The tracker is gone: a late duplicate starts a new one and completes nothing.
        assert!(ins(&mut d, &b).reassembled.is_none());
        assert_eq!(d.tracker_count(), 1);
        assert_eq!(d.counters().ipv4_reassembled, 1);
    }
}

const ALL_POLICIES: [Policy; 7] = [
    Policy::Bsd,
    Policy::BsdRight,
    Policy::Linux,
    Policy::First,
    Policy::Last,
    Policy::Windows,
    Policy::Solaris,
];

/// The Sturges/Novak scenario ("Target-Based Fragmentation Reassembly"), as in
/// Suricata's unit tests: (label byte, offset, length); the last one ends the datagram.
const NOVAK: [(u8, u32, usize); 17] = [
    (b'A', 0, 24),   // <1>
    (b'B', 32, 16),  // <2>
    (b'C', 48, 24),  // <3>
    (b'D', 80, 8),   // <3_1>
    (b'E', 104, 16), // <3_2>
    (b'F', 120, 24), // <3_3>
    (b'G', 144, 16), // <3_4>
    (b'H', 160, 16), // <3_5>
    (b'I', 176, 8),  // <3_6>
    (b'J', 8, 32),   // <4> overlaps from here on
    (b'K', 48, 24),  // <5>
    (b'L', 72, 24),  // <6>
    (b'M', 96, 24),  // <7>
    (b'N', 128, 8),  // <8>
    (b'O', 152, 8),  // <9>
    (b'P', 160, 8),  // <10>
    (b'Q', 176, 16), // <11> last
];

/// Expected 8-byte blocks per policy (Suricata's DefragSturgesNovak*Test).
fn novak_expected(policy: Policy) -> Option<&'static [u8; 24]> {
    Some(match policy {
        Policy::Bsd => b"AAAJJBCCCLLLMMMFFFGGHHIQ",
        Policy::Linux => b"AAAJJBKKKLLLMMMFFFGGPHQQ",
        Policy::Windows => b"AAAJBBCCCLLLMEEFFFGGHHIQ",
        Policy::Solaris => b"AAAJBBCCCLLLMMMFFFGGHHIQ",
        Policy::First => b"AAAJBBCCCLDLMEEFFFGGHHIQ",
        Policy::Last => b"AJJJJBKKKLLLMMMFNFGOPHQQ",
        Policy::BsdRight => return None,
    })
}

fn run_novak(policy: Policy, v6mode: bool) -> Vec<u8> {
    let mut d = defrag_with(policy);
    let mut result = None;
    for (i, &(label, off, len)) in NOVAK.iter().enumerate() {
        let last = i == NOVAK.len() - 1;
        let pkt = if v6mode {
            v6(1, off, !last, 58, &vec![label; len])
        } else {
            v4(1, off, !last, 1, &vec![label; len])
        };
        let r = ins(&mut d, &pkt);
        let ov = if v6mode {
            DefragEvent::Ipv6FragOverlap
        } else {
            DefragEvent::Ipv4FragOverlap
        };
        if i < 9 {
            assert!(!r.events.contains(ov), "{policy:?} frag {i}");
        }
        if !last {
            assert!(r.reassembled.is_none(), "{policy:?} frag {i}");
        } else {
            result = r.reassembled;
        }
    }
    let r = result.unwrap_or_else(|| panic!("{policy:?} v6={v6mode}: not reassembled"));
    assert_eq!(d.fragment_count(), 0);
    assert_eq!(d.memuse(), 0);
    let hl = if v6mode { 40 } else { 20 };
    let ip = r.ip();
    if v6mode {
        assert_eq!(&ip[4..6], &[0, 192]); // payload length
        assert_eq!(ip[6], 58); // next header from the fragment header
    } else {
        assert_eq!(&ip[2..4], &[0, 212]);
    }
    ip[hl..].to_vec()
}

#[test]
fn sturges_novak_policies_match_suricata() {
    for policy in ALL_POLICIES {
        let Some(exp) = novak_expected(policy) else {
            continue;
        };
        let want: Vec<u8> = exp.iter().flat_map(|&b| [b; 8]).collect();
        for v6mode in [false, true] {
            let got = run_novak(policy, v6mode);
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want),
                "{policy:?} v6={v6mode}"
            );
        }
    }
}

/// Scenarios replayed through Suricata 7.0.10 (`suricata -r` on these fragments as raw
/// IPv4, one `host-os-policy` per run, the rebuilt packet taken from an alert's
/// `packet`). Each string is the label of every 8-byte block of the rebuilt payload. The
/// same runs over IPv6 (linktype 229, `"::/0"` in the policy's list) gave the same
/// strings, so both families are checked against one table.
/// (fragments: (label, offset, length, more-fragments)).
type Scenario = &'static [(u8, u32, usize, bool)];
const SCEN_SIMPLE: Scenario = &[
    (b'A', 0, 16, true),
    (b'X', 8, 16, true),
    (b'B', 16, 16, false),
];
const SCEN_REVERSE: Scenario = &[
    (b'B', 16, 16, false),
    (b'X', 8, 16, true),
    (b'A', 0, 16, true),
];
const SCEN_SAME_START: Scenario = &[
    (b'A', 0, 16, true),
    (b'X', 0, 8, true),
    (b'Y', 0, 24, true),
    (b'B', 16, 8, false),
];
const SCEN_COVER: Scenario = &[
    (b'C', 8, 8, true),
    (b'W', 0, 24, true),
    (b'E', 24, 8, false),
];
const SCEN_LAST_FIRST: Scenario = &[
    (b'Z', 24, 8, false),
    (b'A', 0, 16, true),
    (b'K', 8, 24, true),
];

/// (policy, Sturges/Novak, simple, reverse, same-start, cover, last-first); `None` when
/// Suricata rebuilt nothing.
#[allow(clippy::type_complexity)]
const SURICATA_7_0_10: [(&str, &str, &str, &str, Option<&str>, &str, &str); 8] = [
    (
        "bsd",
        "AAAJJBCCCLLLMMMFFFGGHHIQ",
        "AAXB",
        "AAXB",
        None,
        "WWWE",
        "AAKK",
    ),
    (
        "bsd-right",
        "AJJJBBKKKLDLMEEFNFGOPHQQ",
        "AXBB",
        "AXBB",
        Some("YYB"),
        "WCWE",
        "AKKZ",
    ),
    (
        "linux",
        "AAAJJBKKKLLLMMMFFFGGPHQQ",
        "AABB",
        "AAXB",
        None,
        "WWWE",
        "AAKK",
    ),
    (
        "solaris",
        "AAAJBBCCCLLLMMMFFFGGHHIQ",
        "AAXB",
        "AXBB",
        None,
        "WWWE",
        "AAKZ",
    ),
    (
        "windows",
        "AAAJBBCCCLLLMEEFFFGGHHIQ",
        "AAXB",
        "AXBB",
        None,
        "WWWE",
        "AAKZ",
    ),
    (
        "macos",
        "AAAJBBCCCLDLMEEFFFGGHHIQ",
        "AAXB",
        "AXBB",
        None,
        "WCWE",
        "AAKZ",
    ),
    (
        "hpux11",
        "AAAJBBCCCLDLMEEFFFGGHHIQ",
        "AAXB",
        "AXBB",
        None,
        "WCWE",
        "AAKZ",
    ),
    (
        "vista",
        "AAAJBBCCCLLLMEEFFFGGHHIQ",
        "AAXB",
        "AXBB",
        None,
        "WWWE",
        "AAKZ",
    ),
];

fn run_scenario(policy: Policy, scen: Scenario, v6mode: bool) -> Option<String> {
    let mut d = defrag_with(policy);
    let mut out = None;
    for &(label, off, len, more) in scen {
        let pkt = if v6mode {
            v6(2, off, more, 17, &vec![label; len])
        } else {
            v4(2, off, more, 253, &vec![label; len])
        };
        let r = ins(&mut d, &pkt);
        if r.reassembled.is_some() {
            out = r.reassembled;
        }
    }
    let r = out?;
    let hl = if v6mode { 40 } else { 20 };
    Some(r.ip()[hl..].chunks(8).map(|c| c[0] as char).collect())
}

#[test]
fn overlaps_match_suricata_7_0_10() {
    let novak: Vec<(u8, u32, usize, bool)> = NOVAK
        .iter()
        .enumerate()
        .map(|(i, &(l, o, n))| (l, o, n, i != NOVAK.len() - 1))
        .collect();
    let novak: Scenario = Box::leak(novak.into_boxed_slice());
    for (name, nv, simple, reverse, same, cover, lastf) in SURICATA_7_0_10 {
        let policy = Policy::from_name(name).unwrap();
        for v6mode in [false, true] {
            let ctx = format!("{name} v6={v6mode}");
            assert_eq!(
                run_scenario(policy, novak, v6mode).as_deref(),
                Some(nv),
                "novak {ctx}"
            );
            assert_eq!(
                run_scenario(policy, SCEN_SIMPLE, v6mode).as_deref(),
                Some(simple),
                "simple {ctx}"
            );
            assert_eq!(
                run_scenario(policy, SCEN_REVERSE, v6mode).as_deref(),
                Some(reverse),
                "reverse {ctx}"
            );
            assert_eq!(
                run_scenario(policy, SCEN_SAME_START, v6mode).as_deref(),
                same,
                "same-start {ctx}"
            );
            assert_eq!(
                run_scenario(policy, SCEN_COVER, v6mode).as_deref(),
                Some(cover),
                "cover {ctx}"
            );
            assert_eq!(
                run_scenario(policy, SCEN_LAST_FIRST, v6mode).as_deref(),
                Some(lastf),
                "last-first {ctx}"
            );
        }
    }
}

#[test]
fn ipv6_in_order_reverse_and_header() {
    let frags = [
        v6(12, 0, true, 58, &[b'A'; 8]),
        v6(12, 8, true, 58, &[b'B'; 8]),
        v6(12, 16, false, 58, &[b'C'; 3]),
    ];
    for order in [[0, 1, 2], [2, 1, 0]] {
        let mut d = Defrag::new(DefragConfig::default());
        let mut got = None;
        for &i in &order {
            got = got.or(ins(&mut d, &frags[i]).reassembled);
        }
        let r = got.unwrap();
        assert_eq!(r.kind, InnerKind::Ipv6);
        let ip = r.ip();
        assert_eq!(ip.len(), 40 + 19);
        assert_eq!(&ip[4..6], &[0, 19]); // payload length: no fragment header
        assert_eq!(ip[6], 58); // next header: ICMPv6, chained from the fragment header
        assert_eq!(&ip[8..24], &SRC6);
        assert_eq!(
            &ip[40..],
            [[b'A'; 8].as_slice(), &[b'B'; 8], &[b'C'; 3]].concat()
        );
        assert_eq!(d.counters().ipv6_reassembled, 1);
        assert_eq!(d.counters().ipv6_fragments, 3);
    }
}

#[test]
fn ipv6_extension_headers_before_fragment_header() {
    // Hop-by-hop (8 bytes: next=Destination options, len 0, PadN 4) then Destination
    // options (8 bytes: next=Fragment, len 0, PadN 4), then the fragment header.
    let ext = [
        60, 0, 1, 4, 0, 0, 0, 0, // HBH: next header 60 (DSTOPTS), hdr ext len 0, PadN(4)
        44, 0, 1, 4, 0, 0, 0, 0, // DSTOPTS: next header 44 (Fragment), len 0, PadN(4)
    ];
    let f1 = v6_ext(77, 0, true, 17, Some(0), &ext, &[b'U'; 16]);
    let f2 = v6_ext(77, 16, false, 17, Some(0), &ext, &[b'V'; 4]);
    let mut d = Defrag::new(DefragConfig::default());
    assert!(ins(&mut d, &f2).reassembled.is_none());
    let r = ins(&mut d, &f1).reassembled.unwrap();
    let ip = r.ip();
    assert_eq!(&ip[4..6], &[0, 16 + 20]); // payload: 16 ext bytes + 20 data
    assert_eq!(ip[6], 0); // IPv6 still points at hop-by-hop
    assert_eq!(ip[40], 60); // HBH -> DSTOPTS unchanged
    assert_eq!(ip[48], 17); // DSTOPTS now -> UDP (was Fragment)
    assert_eq!(&ip[56..72], &[b'U'; 16]);
    assert_eq!(&ip[72..], &[b'V'; 4]);
}

#[test]
fn keys_separate_vlan_tunnel_proto_and_allow_reverse_direction() {
    let a = v4(3, 0, true, 17, &[1; 8]);
    let b = v4(3, 8, false, 17, &[2; 8]);
    let mut d = Defrag::new(DefragConfig::default());
    // Different VLAN: not reassembled.
    assert!(d
        .insert_raw(&a, 0, ts(1), [1, 0, 0], 0)
        .reassembled
        .is_none());
    assert!(d
        .insert_raw(&b, 0, ts(1), [2, 0, 0], 0)
        .reassembled
        .is_none());
    // Different tunnel level: not reassembled.
    assert!(d
        .insert_raw(&b, 0, ts(1), [1, 0, 0], 1)
        .reassembled
        .is_none());
    // Same VLAN: reassembled.
    assert!(d
        .insert_raw(&b, 0, ts(1), [1, 0, 0], 0)
        .reassembled
        .is_some());
    // Different IPv4 protocol: not reassembled.
    let mut d = Defrag::new(DefragConfig::default());
    ins(&mut d, &a);
    assert!(ins(&mut d, &v4(3, 8, false, 6, &[2; 8]))
        .reassembled
        .is_none());
    // Swapped addresses match the same tracker, as in Suricata.
    let mut swapped = b.clone();
    swapped[12..16].copy_from_slice(&DST4);
    swapped[16..20].copy_from_slice(&SRC4);
    assert!(ins(&mut d, &swapped).reassembled.is_some());
}

#[test]
fn timeout_frees_trackers_and_expired_tracker_is_not_reused() {
    let mut d = Defrag::new(DefragConfig::default());
    for id in 0..16u16 {
        d.insert_raw(&v4(id, 0, true, 1, &[b'A'; 16]), 0, ts(100), [0; 3], 0);
    }
    assert_eq!(d.tracker_count(), 16);
    assert_eq!(d.timeout(ts(159)), 0); // 100 + 60 not reached
                                       // The last fragment of id 0 arrives 60 s later: the old tracker has expired.
    let r = d.insert_raw(&v4(0, 16, false, 1, &[b'B'; 8]), 0, ts(160), [0; 3], 0);
    assert!(r.reassembled.is_none());
    assert_eq!(d.timeout(ts(160)), 15);
    assert_eq!(d.tracker_count(), 1);
    assert_eq!(d.timeout(ts(220)), 1);
    assert_eq!(d.tracker_count(), 0);
    assert_eq!(d.memuse(), 0);
}

#[test]
fn activity_refreshes_the_timeout_and_host_timeouts_apply() {
    let mut cfg = DefragConfig::default();
    cfg.add_host_timeout("2.2.2.0/24", 5).unwrap();
    let mut d = Defrag::new(cfg);
    d.insert_raw(&v4(1, 0, true, 1, &[0; 8]), 0, ts(10), [0; 3], 0);
    d.insert_raw(&v4(1, 8, true, 1, &[0; 8]), 0, ts(14), [0; 3], 0);
    assert_eq!(d.timeout(ts(18)), 0);
    let r = d.insert_raw(&v4(1, 16, false, 1, &[0; 8]), 0, ts(18), [0; 3], 0);
    assert!(r.reassembled.is_some());
}

#[test]
fn memcap_limits_fragments_and_trackers() {
    let cfg = DefragConfig {
        memcap: TRACKER_COST + FRAG_COST + 20 + 100,
        ..DefragConfig::default()
    };
    let mut d = Defrag::new(cfg);
    // First fragment (offset 0) stores 20 header bytes + 64 data.
    assert!(ins(&mut d, &v4(1, 0, true, 17, &[0; 64])).events.is_empty());
    // The second does not fit.
    let r = ins(&mut d, &v4(1, 64, false, 17, &[0; 64]));
    assert!(r.events.contains(DefragEvent::Ipv4FragIgnored));
    assert_eq!(d.counters().frags_dropped, 1);
    assert_eq!(d.counters().max_frag_hits, 0);
    assert!(d.memuse() <= d.config().memcap);
    // A new tracker evicts the idlest one, as Suricata reuses a tracker at memcap.
    let r = ins(&mut d, &v4(2, 64, false, 17, &[0; 8]));
    assert!(r.events.is_empty());
    assert_eq!(d.tracker_count(), 1);
    assert!(d.memuse() <= d.config().memcap);
    // A memcap too small for any tracker: the fragment is counted as a max-frag hit.
    let mut tiny = Defrag::new(DefragConfig {
        memcap: 10,
        ..DefragConfig::default()
    });
    assert!(ins(&mut tiny, &v4(1, 0, true, 17, &[0; 8])).fragment);
    assert_eq!(tiny.counters().max_frag_hits, 1);
    assert_eq!(tiny.tracker_count(), 0);
}

#[test]
fn max_frags_limit() {
    let mut d = Defrag::new(DefragConfig {
        max_frags: 2,
        ..DefragConfig::default()
    });
    ins(&mut d, &v4(1, 0, true, 17, &[0; 8]));
    ins(&mut d, &v4(1, 8, true, 17, &[0; 8]));
    let r = ins(&mut d, &v4(1, 16, true, 17, &[0; 8]));
    assert!(r.events.contains(DefragEvent::Ipv4FragIgnored));
    let r = ins(&mut d, &v6(1, 16, true, 17, &[0; 8]));
    assert!(r.events.contains(DefragEvent::Ipv6FragIgnored));
    assert_eq!(d.fragment_count(), 2);
    assert_eq!(d.counters().frags_dropped, 2);
    let mut names = Vec::new();
    d.for_each(|n, v| names.push((n, v)));
    assert_eq!(
        names,
        vec![
            ("defrag.ipv4.fragments", 3),
            ("defrag.ipv4.reassembled", 0),
            ("defrag.ipv6.fragments", 1),
            ("defrag.ipv6.reassembled", 0),
            ("defrag.max_frag_hits", 0),
        ]
    );
}

#[test]
fn max_frags_per_tracker_limit() {
    let cfg = DefragConfig {
        max_frags_per_tracker: 3,
        ..DefragConfig::default()
    };
    let mut d = Defrag::new(cfg);
    for i in 0..3u32 {
        assert!(ins(&mut d, &v4(1, 8 * i, true, 17, &[0; 8]))
            .events
            .is_empty());
    }
    let r = ins(&mut d, &v4(1, 24, false, 17, &[0; 8]));
    assert!(r.events.contains(DefragEvent::Ipv4FragIgnored));
    // Another datagram still has room.
    assert!(ins(&mut d, &v4(2, 8, true, 17, &[0; 8])).events.is_empty());
    assert_eq!(d.fragment_count(), 4);
}

#[test]
fn host_os_policy_selects_the_tracker_policy() {
    // Windows for 2.2.2.2 keeps the original bytes where Last would take the new ones.
    let mut cfg = DefragConfig {
        default_policy: Policy::Last,
        ..DefragConfig::default()
    };
    cfg.add_host_os_policy("windows", "2.2.2.0/24").unwrap();
    let mut d = Defrag::new(cfg);
    ins(&mut d, &v4(9, 0, true, 17, &[b'A'; 16]));
    ins(&mut d, &v4(9, 0, true, 17, &[b'X'; 8]));
    let r = ins(&mut d, &v4(9, 16, false, 17, &[b'B'; 8]))
        .reassembled
        .unwrap();
    assert_eq!(r.ip()[20], b'A');
}

#[test]
fn insert_from_a_decoded_packet_keeps_the_link_prefix() {
    // Ethernet header (14 bytes) before the IP fragment.
    let eth = [
        0x05, 0x04, 0x03, 0x02, 0x01, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x00,
    ];
    let mk = |ipb: Vec<u8>| [eth.as_slice(), &ipb].concat();
    let f1 = mk(v4(4, 0, true, 17, &[b'a'; 8]));
    let f2 = mk(v4(4, 8, false, 17, &[b'b'; 4]));
    let mut d = Defrag::new(DefragConfig::default());
    let mut last = None;
    for (f, off) in [(&f1, 0u32), (&f2, 8)] {
        let mut p = Packet::new(f, ts(5));
        p.ip = Some(crate::IpInfo {
            version: 4,
            src: IpAddr::from(SRC4),
            dst: IpAddr::from(DST4),
            proto: 17,
            ttl: 64,
            offset: 14,
            hlen: 20,
            total_len: (f.len() - 14) as u32,
        });
        p.fragment = Some(crate::FragInfo {
            id: 4,
            offset: off,
            more: off == 0,
        });
        last = d.insert(&p).reassembled;
    }
    let r = last.unwrap();
    assert_eq!(r.ip_offset, 14);
    assert_eq!(&r.data[..14], &eth);
    assert_eq!(r.data.len(), 14 + 20 + 12);
    // A packet without fragment info is not touched.
    let p = Packet::new(&f1, ts(5));
    assert!(!d.insert(&p).fragment);
}

/// Reference model for the non-overlapping case: any fragmentation of a datagram, sent
/// in any order with any duplicates, reassembles to the datagram under every policy.
fn check_roundtrip(
    payload: &[u8],
    cuts: &[usize],
    order: &[usize],
    dups: &[usize],
    v6mode: bool,
    policy: Policy,
) {
    let frags = split(payload, cuts);
    let mut d = defrag_with(policy);
    let mut seq: Vec<usize> = order.iter().map(|&i| i % frags.len()).collect();
    for &x in dups {
        seq.push(x % frags.len());
    }
    // Make sure every fragment is sent at least once.
    seq.extend(0..frags.len());
    let mut got = None;
    for &i in &seq {
        let (off, more, data) = &frags[i];
        let pkt = if v6mode {
            v6(0xabcd, *off, *more, 17, data)
        } else {
            v4(0xabcd, *off, *more, 17, data)
        };
        let r = ins(&mut d, &pkt);
        if let Some(x) = r.reassembled {
            got = Some(x);
            break;
        }
    }
    let r = got.expect("reassembled");
    let hl = if v6mode { 40 } else { 20 };
    assert_eq!(&r.ip()[hl..], payload);
    if !v6mode {
        assert_eq!(ip_checksum(&r.ip()[..20]), 0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn prop_no_overlap_roundtrip(
        payload in proptest::collection::vec(any::<u8>(), 1..600),
        raw_cuts in proptest::collection::vec(1usize..80, 0..12),
        order in proptest::collection::vec(0usize..32, 0..24),
        dups in proptest::collection::vec(0usize..32, 0..4),
        v6mode in any::<bool>(),
        pol in 0usize..7,
    ) {
        let mut cuts: Vec<usize> = raw_cuts.iter().map(|c| c * 8).filter(|&c| c < payload.len()).collect();
        cuts.sort_unstable();
        cuts.dedup();
        // A single piece would be a complete datagram, not a fragment.
        prop_assume!(payload.len() > 8);
        if cuts.is_empty() {
            cuts.push(8);
        }
        check_roundtrip(&payload, &cuts, &order, &dups, v6mode, ALL_POLICIES[pol]);
    }

    #[test]
    fn prop_arbitrary_fragments_never_panic_and_stay_bounded(
        frags in proptest::collection::vec((0u32..64, any::<bool>(), 0usize..48, any::<u8>()), 1..40),
        pol in 0usize..7,
    ) {
        let mut d = Defrag::new(DefragConfig { memcap: 4096, default_policy: ALL_POLICIES[pol], ..DefragConfig::default() });
        for (off8, mf, len, fill) in frags {
            let r = ins(&mut d, &v4(1, off8 * 8, mf, 17, &vec![fill; len]));
            if let Some(x) = r.reassembled {
                let ip = x.ip();
                prop_assert_eq!(usize::from(u16::from_be_bytes([ip[2], ip[3]])), ip.len());
            }
            prop_assert!(d.memuse() <= 4096);
        }
    }
}

/// Real captures from suricata-verify's defrag tests: our rebuilt packet must be the
/// one Suricata logs in the alert's `packet` field.
#[test]
fn suricata_verify_bug_6887_packets() {
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/suricata-verify/tests/defrag");
    if !base.exists() {
        eprintln!("skipping: {} not found", base.display());
        return;
    }
    // (test dir, link-layer bytes before IP, expected base64 from test.yaml)
    let cases = [
        (
            "bug-6887-defrag-ipv4-tcp-syn",
            0,
            "RQAALAABAABABnTGAQEBAQICAgIwOR+QAAAAAQAAAABgAiAAGQwAAAMDDgA=",
        ),
        (
            "bug-6887-defrag-eth-vlan-ipv4-tcp-syn",
            18,
            "BQQDAgEAAAECAwQFgQAABggARQAALAABAABABnTGAQEBAQICAgIwOR+QAAAAAQAAAABgAiAAGQwAAAMDDgA=",
        ),
        (
            "bug-6887-defrag-ppp-ipv4-tcp-syn",
            1,
            "IUUAACwAAQAAQAZ0xgEBAQECAgICMDkfkAAAAAEAAAAAYAIgABkMAAADAw4A",
        ),
    ];
    for (dir, link, b64) in cases {
        let want = base64(b64);
        let got = replay(&base.join(dir), link);
        assert_eq!(got.len(), 1, "{dir}");
        assert_eq!(got[0].data, want, "{dir}");
        assert_eq!(got[0].ip_offset, link);
    }
    // IPv6: 1000 bytes of 'A' after a TCP header, three fragments; the expected packet
    // is the IPv6 header with payload length 0x3fc and next header TCP, then the data.
    for (dir, link) in [
        ("bug-6887-defrag-ipv6-tcp", 0),
        ("bug-6887-defrag-eth-vlan-ipv6-tcp", 18),
        ("bug-6887-defrag-ppp-ipv6-tcp", 1),
    ] {
        let got = replay(&base.join(dir), link);
        assert_eq!(got.len(), 1, "{dir}");
        let ip = got[0].ip();
        assert_eq!(&ip[..8], &[0x60, 0, 0, 0, 0x03, 0xfc, 6, 0x40], "{dir}");
        assert_eq!(ip.len(), 40 + 0x3fc);
        assert!(ip[60..].iter().all(|&b| b == b'A'));
    }
    let want6 = base64(
        "YAAAAAP8BkAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAATA5H5AAAAABAAAAAFAQIADIrQAAQUFB",
    );
    let got = replay(&base.join("bug-6887-defrag-ipv6-tcp"), 0);
    assert_eq!(&got[0].data[..want6.len()], want6.as_slice());
}

fn replay(dir: &std::path::Path, link: usize) -> Vec<Reassembled> {
    let pcap = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "pcap"))
        .unwrap();
    let bytes = std::fs::read(pcap).unwrap();
    let le = bytes[0] == 0xd4;
    let rd = |b: &[u8]| {
        if le {
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        } else {
            u32::from_be_bytes([b[0], b[1], b[2], b[3]])
        }
    };
    let mut d = Defrag::new(DefragConfig::default());
    let mut out = Vec::new();
    let mut pos = 24;
    while pos + 16 <= bytes.len() {
        let secs = rd(&bytes[pos..]);
        let incl = rd(&bytes[pos + 8..]) as usize;
        let data = &bytes[pos + 16..pos + 16 + incl];
        pos += 16 + incl;
        let r = d.insert_raw(data, link, ts(u64::from(secs)), [0; 3], 0);
        assert!(r.fragment);
        out.extend(r.reassembled);
    }
    out
}

fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|&c| c != b'=') {
        acc = (acc << 6) | u32::from(val(c));
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
