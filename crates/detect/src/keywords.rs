//! Packet (header) keywords compiled from rule options, and their evaluation.

use palisade_decode::{ipv4, DecodeEvent, L4};
use palisade_rules::values::{NumCmp, OptionValue};
use palisade_rules::RuleOption;

use crate::packet::PacketView;

/// A compiled header keyword.
#[derive(Clone, Debug)]
pub enum PacketKw {
    Ttl(NumCmp),
    Tos {
        value: u8,
        negated: bool,
    },
    Id(NumCmp),
    /// IPv4 option flag bits (`ipv4::OPT_FLAG_*`); 0 = any option.
    IpOpts(u16),
    FragBits {
        bits: u16,
        modifier: u8,
    },
    FragOffset {
        op: u8,
        value: u16,
    },
    IpProto {
        op: u8,
        value: u8,
    },
    TcpFlags {
        flags: u8,
        ignore: u8,
        modifier: u8,
    },
    Seq(NumCmp),
    Ack(NumCmp),
    Window {
        value: u16,
        negated: bool,
    },
    TcpMss(NumCmp),
    Itype(NumCmp),
    Icode(NumCmp),
    IcmpId(NumCmp),
    IcmpSeq(NumCmp),
    Dsize(NumCmp),
    SameIp,
    StreamSize {
        which: u8,
        op: u8,
        value: u64,
    },
    DecodeEvent(DecodeEvent),
    StreamEvent(u8),
    AppLayerProtocol {
        negated: bool,
        name: String,
    },
    /// Checksum keywords: which (0 ipv4, 1 tcp/udp/icmp by protocol number), want valid.
    Csum {
        l4_proto: u8,
        ipv6: Option<bool>,
        valid: bool,
    },
}

pub fn num_cmp(c: &NumCmp, v: u64) -> bool {
    match *c {
        NumCmp::Eq(x) => v == x,
        NumCmp::Ne(x) => v != x,
        NumCmp::Lt(x) => v < x,
        NumCmp::Gt(x) => v > x,
        NumCmp::Le(x) => v <= x,
        NumCmp::Ge(x) => v >= x,
        NumCmp::Range(a, b) => v > a && v < b,
    }
}

fn cmp_of(o: &RuleOption) -> Result<NumCmp, String> {
    match &o.value {
        OptionValue::Compare(c) => Ok(*c),
        OptionValue::Number(n) => Ok(NumCmp::Eq(*n)),
        _ => Err(format!("{}: unexpected value", o.keyword)),
    }
}

fn raw(o: &RuleOption) -> &str {
    match &o.value {
        OptionValue::Raw(s) | OptionValue::Text(s) => s.as_str(),
        _ => o.raw.as_deref().unwrap_or(""),
    }
}

/// Operators for `fragoffset`, `ip_proto`, `stream_size`.
const OP_EQ: u8 = 0;
const OP_NE: u8 = 1;
const OP_LT: u8 = 2;
const OP_GT: u8 = 3;
const OP_LE: u8 = 4;
const OP_GE: u8 = 5;

fn op_cmp(op: u8, v: u64, x: u64) -> bool {
    match op {
        OP_EQ => v == x,
        OP_NE => v != x,
        OP_LT => v < x,
        OP_GT => v > x,
        OP_LE => v <= x,
        _ => v >= x,
    }
}

/// IP protocol numbers by name (the names `getprotobyname` knows on Linux that rules use).
pub fn ip_proto_number(name: &str) -> Option<u8> {
    Some(match name.to_ascii_lowercase().as_str() {
        "ip" | "hopopt" => 0,
        "icmp" => 1,
        "igmp" => 2,
        "ggp" => 3,
        "ipencap" | "ipip" | "ipv4" => 4,
        "st" => 5,
        "tcp" => 6,
        "egp" => 8,
        "igp" => 9,
        "pup" => 12,
        "udp" => 17,
        "hmp" => 20,
        "xns-idp" => 22,
        "rdp" => 27,
        "iso-tp4" => 29,
        "dccp" => 33,
        "xtp" => 36,
        "ddp" => 37,
        "idpr-cmtp" => 38,
        "ipv6" => 41,
        "ipv6-route" => 43,
        "ipv6-frag" => 44,
        "idrp" => 45,
        "rsvp" => 46,
        "gre" => 47,
        "esp" | "ipsec-esp" => 50,
        "ah" | "ipsec-ah" => 51,
        "skip" => 57,
        "ipv6-icmp" | "icmpv6" => 58,
        "ipv6-nonxt" => 59,
        "ipv6-opts" => 60,
        "rspf" => 73,
        "vmtp" => 81,
        "eigrp" => 88,
        "ospf" => 89,
        "ax.25" => 93,
        "ipip4" => 94,
        "etherip" => 97,
        "encap" => 98,
        "pim" => 103,
        "ipcomp" => 108,
        "vrrp" => 112,
        "l2tp" => 115,
        "isis" => 124,
        "sctp" => 132,
        "fc" => 133,
        "mobility-header" => 135,
        "udplite" => 136,
        "mpls-in-ip" => 137,
        "manet" => 138,
        "hip" => 139,
        "shim6" => 140,
        "wesp" => 141,
        "rohc" => 142,
        _ => return None,
    })
}

fn tcp_flag_bits(s: &str) -> Result<u8, String> {
    let mut f = 0u8;
    for c in s.chars() {
        f |= match c.to_ascii_uppercase() {
            'F' => 0x01,
            'S' => 0x02,
            'R' => 0x04,
            'P' => 0x08,
            'A' => 0x10,
            'U' => 0x20,
            'E' | '2' => 0x40,
            'C' | '1' => 0x80,
            '0' | 'N' => 0,
            _ => return Err(format!("invalid tcp flag '{c}'")),
        };
    }
    Ok(f)
}

/// Parses the value of `flags` as Suricata reads it.
fn compile_flags(v: &str) -> Result<PacketKw, String> {
    let (f, mask) = match v.split_once(',') {
        Some((f, m)) => (f.trim(), Some(m.trim())),
        None => (v.trim(), None),
    };
    let mut modifier = 0u8;
    let mut body = String::new();
    for c in f.chars() {
        match c {
            '+' | '*' | '!' => modifier = c as u8,
            _ => body.push(c),
        }
    }
    let flags = tcp_flag_bits(&body)?;
    let ignore = match mask {
        Some(m) => tcp_flag_bits(m)?,
        None => 0,
    };
    Ok(PacketKw::TcpFlags {
        flags,
        ignore,
        modifier,
    })
}

fn split_op(t: &str) -> (u8, &str) {
    for (p, op) in [
        ("<=", OP_LE),
        (">=", OP_GE),
        ("!=", OP_NE),
        ("!", OP_NE),
        ("<", OP_LT),
        (">", OP_GT),
        ("=", OP_EQ),
    ] {
        if let Some(r) = t.strip_prefix(p) {
            return (op, r.trim());
        }
    }
    (OP_EQ, t)
}

fn stream_event_index(name: &str) -> Option<u8> {
    palisade_rules::events::STREAM_EVENTS
        .iter()
        .position(|e| *e == name)
        .and_then(|i| u8::try_from(i).ok())
}

/// Compiles a header keyword; `Ok(None)` when the option is not a header keyword.
pub fn compile(o: &RuleOption) -> Result<Option<PacketKw>, String> {
    let kw = match o.keyword {
        "ttl" => PacketKw::Ttl(cmp_of(o)?),
        "tos" => {
            let negated = o.raw.as_deref().unwrap_or("").trim().starts_with('!');
            match o.value {
                OptionValue::Number(n) => PacketKw::Tos {
                    value: n as u8,
                    negated,
                },
                _ => return Err("tos: unexpected value".into()),
            }
        }
        "id" => PacketKw::Id(cmp_of(o)?),
        "ipopts" => PacketKw::IpOpts(match raw(o) {
            "rr" => ipv4::OPT_FLAG_RR,
            "eol" => ipv4::OPT_FLAG_EOL,
            "nop" => ipv4::OPT_FLAG_NOP,
            "ts" => ipv4::OPT_FLAG_TS,
            "sec" => ipv4::OPT_FLAG_SEC,
            "esec" => ipv4::OPT_FLAG_ESEC,
            "lsrr" => ipv4::OPT_FLAG_LSRR,
            "ssrr" => ipv4::OPT_FLAG_SSRR,
            "satid" => ipv4::OPT_FLAG_SID,
            "any" => 0,
            other => return Err(format!("ipopts: unknown option {other}")),
        }),
        "fragbits" => {
            let t = raw(o);
            let mut modifier = 0u8;
            let mut bits = 0u16;
            for c in t.chars() {
                match c {
                    '+' | '*' | '!' => modifier = c as u8,
                    'M' | 'm' => bits |= 0x2000,
                    'D' | 'd' => bits |= 0x4000,
                    'R' | 'r' => bits |= 0x8000,
                    _ => return Err(format!("fragbits: invalid {t}")),
                }
            }
            PacketKw::FragBits { bits, modifier }
        }
        "fragoffset" => {
            let (op, v) = split_op(raw(o).trim());
            let value: u16 = v.parse().map_err(|_| format!("fragoffset: invalid {v}"))?;
            PacketKw::FragOffset { op, value }
        }
        "ip_proto" => {
            let (op, v) = split_op(raw(o).trim());
            let value = match v.parse::<u8>() {
                Ok(n) => n,
                Err(_) => {
                    ip_proto_number(v).ok_or_else(|| format!("ip_proto: unknown protocol {v}"))?
                }
            };
            PacketKw::IpProto { op, value }
        }
        "tcp.flags" => compile_flags(raw(o))?,
        "tcp.seq" => PacketKw::Seq(cmp_of(o)?),
        "tcp.ack" => PacketKw::Ack(cmp_of(o)?),
        "tcp.window" => {
            let negated = o.raw.as_deref().unwrap_or("").trim().starts_with('!');
            match o.value {
                OptionValue::Number(n) => PacketKw::Window {
                    value: n as u16,
                    negated,
                },
                _ => return Err("window: unexpected value".into()),
            }
        }
        "tcp.mss" => PacketKw::TcpMss(cmp_of(o)?),
        "itype" => PacketKw::Itype(cmp_of(o)?),
        "icode" => PacketKw::Icode(cmp_of(o)?),
        "icmp_id" => PacketKw::IcmpId(cmp_of(o)?),
        "icmp_seq" => PacketKw::IcmpSeq(cmp_of(o)?),
        "dsize" => PacketKw::Dsize(cmp_of(o)?),
        "sameip" => PacketKw::SameIp,
        "stream_size" => {
            let OptionValue::Words(w) = &o.value else {
                return Err("stream_size: unexpected value".into());
            };
            let which = match w.first().map(String::as_str) {
                Some("server") => 0,
                Some("client") => 1,
                Some("both") => 2,
                _ => 3,
            };
            let (op, _) = split_op(w.get(1).map(String::as_str).unwrap_or("="));
            let value = w.get(2).and_then(|v| v.parse().ok()).unwrap_or(0);
            PacketKw::StreamSize { which, op, value }
        }
        "decode-event" => {
            let name = raw(o);
            PacketKw::DecodeEvent(
                DecodeEvent::from_name(name)
                    .ok_or_else(|| format!("decode-event {name} unknown to the decoder"))?,
            )
        }
        "stream-event" => {
            let name = raw(o);
            PacketKw::StreamEvent(
                stream_event_index(name).ok_or_else(|| format!("stream-event {name} unknown"))?,
            )
        }
        "app-layer-protocol" => {
            let OptionValue::Words(w) = &o.value else {
                return Err("app-layer-protocol: unexpected value".into());
            };
            PacketKw::AppLayerProtocol {
                negated: w.first().is_some_and(|s| s == "!"),
                name: w.get(1).cloned().unwrap_or_default(),
            }
        }
        "ipv4-csum" | "tcpv4-csum" | "tcpv6-csum" | "udpv4-csum" | "udpv6-csum" | "icmpv4-csum"
        | "icmpv6-csum" => {
            let valid = match raw(o).trim().trim_matches('"') {
                "valid" => true,
                "invalid" => false,
                v => return Err(format!("{}: invalid value {v}", o.keyword)),
            };
            let (l4_proto, ipv6) = match o.keyword {
                "ipv4-csum" => (0, Some(false)),
                "tcpv4-csum" => (6, Some(false)),
                "tcpv6-csum" => (6, Some(true)),
                "udpv4-csum" => (17, Some(false)),
                "udpv6-csum" => (17, Some(true)),
                "icmpv4-csum" => (1, Some(false)),
                _ => (58, Some(true)),
            };
            PacketKw::Csum {
                l4_proto,
                ipv6,
                valid,
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(kw))
}

fn ipv4_byte(pv: &PacketView, off: usize) -> Option<u8> {
    let ip = pv.pkt.ip?;
    if ip.version != 4 {
        return None;
    }
    pv.pkt.data.get(ip.offset as usize + off).copied()
}

fn ipv4_u16(pv: &PacketView, off: usize) -> Option<u16> {
    Some(u16::from_be_bytes([
        ipv4_byte(pv, off)?,
        ipv4_byte(pv, off + 1)?,
    ]))
}

fn icmp(pv: &PacketView) -> Option<(palisade_decode::IcmpInfo, bool)> {
    match pv.pkt.l4 {
        L4::Icmpv4(i) => Some((i, false)),
        L4::Icmpv6(i) => Some((i, true)),
        _ => None,
    }
}

/// ICMP messages that carry an identifier and sequence number.
fn icmp_has_id(itype: u8, v6: bool) -> bool {
    if v6 {
        matches!(itype, 128 | 129)
    } else {
        matches!(itype, 0 | 8 | 13 | 14 | 15 | 16 | 17 | 18)
    }
}

impl PacketKw {
    /// Whether the keyword holds for the packet.
    pub fn matches(&self, pv: &PacketView) -> bool {
        let p = pv.pkt;
        // Suricata's header keywords never match its flow-end pseudo packets.
        if pv.pseudo
            && matches!(
                self,
                PacketKw::Ttl(_)
                    | PacketKw::Tos { .. }
                    | PacketKw::Id(_)
                    | PacketKw::IpOpts(_)
                    | PacketKw::FragBits { .. }
                    | PacketKw::FragOffset { .. }
                    | PacketKw::TcpFlags { .. }
                    | PacketKw::Seq(_)
                    | PacketKw::Ack(_)
                    | PacketKw::Window { .. }
                    | PacketKw::TcpMss(_)
                    | PacketKw::Dsize(_)
            )
        {
            return false;
        }
        match self {
            PacketKw::Ttl(c) => p.ip.is_some_and(|ip| num_cmp(c, u64::from(ip.ttl))),
            PacketKw::Tos { value, negated } => match ipv4_byte(pv, 1) {
                Some(t) => (t == *value) != *negated,
                None => false,
            },
            PacketKw::Id(c) => ipv4_u16(pv, 4).is_some_and(|id| num_cmp(c, u64::from(id))),
            PacketKw::IpOpts(f) => {
                if p.ip.is_none_or(|ip| ip.version != 4) {
                    return false;
                }
                if *f == 0 {
                    p.ipv4_opts != 0
                } else {
                    p.ipv4_opts & f != 0
                }
            }
            PacketKw::FragBits { bits, modifier } => {
                let Some(raw) = ipv4_u16(pv, 6) else {
                    return false;
                };
                let have = raw & 0xe000;
                match modifier {
                    b'+' => have & bits == *bits,
                    b'*' => have & bits != 0,
                    b'!' => have & bits == 0,
                    _ => have == *bits,
                }
            }
            PacketKw::FragOffset { op, value } => {
                // Not on rebuilt datagrams; IPv6 only with a fragment header.
                if pv.rebuilt_fragment {
                    return false;
                }
                let off = match p.ip {
                    Some(ip) if ip.version == 4 => match ipv4_u16(pv, 6) {
                        Some(r) => r & 0x1fff,
                        None => return false,
                    },
                    Some(_) => match p.fragment {
                        Some(f) => (f.offset / 8) as u16,
                        None => return false,
                    },
                    None => return false,
                };
                op_cmp(*op, u64::from(off), u64::from(*value))
            }
            PacketKw::IpProto { op, value } => match p.ip {
                Some(ip) => op_cmp(*op, u64::from(ip.proto), u64::from(*value)),
                None => false,
            },
            PacketKw::TcpFlags {
                flags,
                ignore,
                modifier,
            } => {
                let L4::Tcp(t) = p.l4 else { return false };
                let have = t.flags & !ignore;
                match modifier {
                    b'+' => have & flags == *flags,
                    b'*' => have & flags != 0 || *flags == 0,
                    b'!' => have & flags != *flags,
                    _ => have == *flags,
                }
            }
            PacketKw::Seq(c) => matches!(p.l4, L4::Tcp(t) if num_cmp(c, u64::from(t.seq))),
            PacketKw::Ack(c) => matches!(p.l4, L4::Tcp(t) if num_cmp(c, u64::from(t.ack))),
            PacketKw::Window { value, negated } => {
                matches!(p.l4, L4::Tcp(t) if (t.window == *value) != *negated)
            }
            PacketKw::TcpMss(c) => {
                matches!(p.l4, L4::Tcp(_))
                    && p.tcp_opts.mss.is_some_and(|m| num_cmp(c, u64::from(m)))
            }
            PacketKw::Itype(c) => icmp(pv).is_some_and(|(i, _)| num_cmp(c, u64::from(i.itype))),
            PacketKw::Icode(c) => icmp(pv).is_some_and(|(i, _)| num_cmp(c, u64::from(i.code))),
            PacketKw::IcmpId(c) => icmp(pv)
                .is_some_and(|(i, v6)| icmp_has_id(i.itype, v6) && num_cmp(c, u64::from(i.id))),
            PacketKw::IcmpSeq(c) => icmp(pv)
                .is_some_and(|(i, v6)| icmp_has_id(i.itype, v6) && num_cmp(c, u64::from(i.seq))),
            PacketKw::Dsize(c) => p.ip.is_some() && num_cmp(c, u64::from(p.payload_len)),
            PacketKw::SameIp => p.ip.is_some_and(|ip| ip.src == ip.dst),
            PacketKw::StreamSize { which, op, value } => {
                let Some([ts, tc]) = pv.stream_bytes else {
                    return false;
                };
                let v = *value;
                match which {
                    0 => op_cmp(*op, tc, v),
                    1 => op_cmp(*op, ts, v),
                    2 => op_cmp(*op, ts, v) && op_cmp(*op, tc, v),
                    _ => op_cmp(*op, ts, v) || op_cmp(*op, tc, v),
                }
            }
            PacketKw::DecodeEvent(e) => p.events.contains(*e),
            PacketKw::StreamEvent(i) => pv.has_stream_event(*i),
            PacketKw::AppLayerProtocol { negated, name } => match pv.app_proto {
                Some(a) => (a == name) != *negated,
                None => false,
            },
            PacketKw::Csum {
                l4_proto,
                ipv6,
                valid,
            } => {
                let Some(ip) = p.ip else { return false };
                if ipv6.is_some_and(|v6| v6 != (ip.version == 6)) {
                    return false;
                }
                // A checksum not computed (checksum checks off, `-k none`) counts as
                // valid, as Suricata's ignore-checksum packets do.
                if *l4_proto == 0 {
                    return p.ip_csum_ok.unwrap_or(true) == *valid;
                }
                ip.proto == *l4_proto && p.l4_csum_ok.unwrap_or(true) == *valid
            }
        }
    }
}
