//! Feeds a bounded sequence of fragments built from arbitrary bytes into one `Defrag`,
//! checking its invariants: no panic, memory within the memcap, rebuilt datagrams with
//! consistent lengths, everything freed on timeout.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_decode::defrag::{Defrag, DefragConfig, Policy};
use palisade_decode::{InnerKind, Timestamp};

const POLICIES: [Policy; 7] = [
    Policy::Bsd,
    Policy::BsdRight,
    Policy::Linux,
    Policy::First,
    Policy::Last,
    Policy::Windows,
    Policy::Solaris,
];
const MAX_FRAGS_PER_INPUT: usize = 64;

struct Input<'a>(&'a [u8]);

impl<'a> Input<'a> {
    fn u8(&mut self) -> u8 {
        let (b, rest) = self
            .0
            .split_first()
            .map(|(b, r)| (*b, r))
            .unwrap_or((0, &[]));
        self.0 = rest;
        b
    }
    fn u16(&mut self) -> u16 {
        u16::from_be_bytes([self.u8(), self.u8()])
    }
    fn take(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.0.len());
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        a
    }
}

fn v4(id: u16, off8: u16, mf: bool, proto: u8, src: u8, payload: &[u8]) -> Vec<u8> {
    let total = (20 + payload.len()) as u16;
    let fo = (if mf { 0x2000 } else { 0 }) | (off8 & 0x1fff);
    let mut p = vec![0x45, 0];
    p.extend_from_slice(&total.to_be_bytes());
    p.extend_from_slice(&id.to_be_bytes());
    p.extend_from_slice(&fo.to_be_bytes());
    p.extend_from_slice(&[64, proto, 0, 0, 10, 0, 0, src, 10, 0, 0, 2]);
    p.extend_from_slice(payload);
    p
}

fn v6(id: u16, off8: u16, mf: bool, nh: u8, ext: u8, payload: &[u8]) -> Vec<u8> {
    // Optionally a destination-options header before the fragment header.
    let ext_len = if ext & 1 == 1 { 8 } else { 0 };
    let plen = (ext_len + 8 + payload.len()) as u16;
    let mut p = vec![0x60, 0, 0, 0];
    p.extend_from_slice(&plen.to_be_bytes());
    p.push(if ext_len > 0 { 60 } else { 44 });
    p.push(64);
    p.extend_from_slice(&[0x20; 16]);
    p.extend_from_slice(&[0x30; 16]);
    if ext_len > 0 {
        p.extend_from_slice(&[44, 0, 1, 4, 0, 0, 0, 0]);
    }
    let offlg = ((off8 & 0x1fff) << 3) | u16::from(mf);
    p.extend_from_slice(&[nh, 0]);
    p.extend_from_slice(&offlg.to_be_bytes());
    p.extend_from_slice(&u32::from(id).to_be_bytes());
    p.extend_from_slice(payload);
    p
}

fuzz_target!(|data: &[u8]| {
    let mut inp = Input(data);
    let policy = POLICIES[usize::from(inp.u8()) % POLICIES.len()];
    let memcap = match inp.u8() % 4 {
        0 => 2048,
        1 => 16 * 1024,
        2 => 256 * 1024,
        _ => 32 * 1024 * 1024,
    };
    let max_frags = u32::from(inp.u8() % 32) + 1;
    let cfg = DefragConfig {
        memcap,
        max_frags,
        default_policy: policy,
        ..DefragConfig::default()
    };
    let mut d = Defrag::new(cfg);
    let mut now = 1_000u64;
    for _ in 0..MAX_FRAGS_PER_INPUT {
        if inp.0.is_empty() {
            break;
        }
        let kind = inp.u8();
        let id = u16::from(inp.u8() & 3);
        let off8 = inp.u16() % 64 + if kind & 0x40 != 0 { 8100 } else { 0 };
        let len = usize::from(inp.u8());
        let proto = inp.u8();
        now += u64::from(inp.u8() % 8) * if kind & 0x20 != 0 { 30 } else { 1 };
        let mf = kind & 0x10 != 0;
        let fill = inp.take(len);
        let link = usize::from(kind >> 7) * 14;
        let mut pkt = vec![0xee; link];
        match kind & 0x03 {
            0 | 1 => pkt.extend(v4(id, off8, mf, proto & 0x11, kind & 0x04, fill)),
            2 => pkt.extend(v6(id, off8, mf, proto, kind >> 2, fill)),
            _ => pkt.extend_from_slice(fill), // raw bytes: exercises the header checks
        }
        let vlan = [u16::from(kind & 0x08), 0, 0];
        let r = d.insert_raw(&pkt, link, Timestamp::new(now, 0), vlan, 0);
        assert!(d.memuse() <= memcap);
        assert!(d.fragment_count() <= u64::from(max_frags));
        if let Some(re) = r.reassembled {
            // The link prefix is the offset-0 fragment's, which may differ from this one's.
            assert!(re.ip_offset == 0 || re.ip_offset == 14);
            let ip = re.ip();
            match re.kind {
                InnerKind::Ipv4 => {
                    assert!(ip.len() >= 20);
                    assert_eq!(usize::from(u16::from_be_bytes([ip[2], ip[3]])), ip.len());
                    assert_eq!(&ip[6..8], &[0, 0]);
                }
                InnerKind::Ipv6 => {
                    assert!(ip.len() >= 40);
                    assert_eq!(
                        usize::from(u16::from_be_bytes([ip[4], ip[5]])) + 40,
                        ip.len()
                    );
                }
                _ => panic!("unexpected kind"),
            }
        }
        if kind & 0x0c == 0x0c {
            d.timeout(Timestamp::new(now, 0));
        }
    }
    let mut total = 0u64;
    d.for_each(|_, v| total += v);
    // Everything goes on timeout (bounded per call).
    let far = Timestamp::new(now + 100_000, 0);
    while d.timeout(far) > 0 {}
    assert_eq!(d.tracker_count(), 0);
    assert_eq!(d.fragment_count(), 0);
    assert_eq!(d.memuse(), 0);
});
