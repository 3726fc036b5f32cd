//! One rule compiled for detection: header sets, keywords, buffer programs, state
//! conditions and actions, threshold and fast pattern.

use std::collections::HashMap;
use std::sync::Arc;

use palisade_rules::keywords::{lookup, Class};
use palisade_rules::values::OptionValue;
use palisade_rules::{Action, Content, Direction, Match, Protocol, Rule, RuleOption};

use crate::addr::{IpSet, PortSet};
use crate::inspect::BufferProgram;
use crate::keywords::{self, PacketKw};
use crate::registry::{BufferId, BufferRegistry};

/// Suricata's rule types (detect.h `SignatureType`), as far as detection here needs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleKind {
    /// Addresses (and state actions) only: checked once per flow direction.
    IpOnly,
    /// Decoder events only (`decode-event`), on any packet.
    DecoderEvent,
    /// Header keywords only (no payload).
    Packet,
    /// Payload inspection on packets and, for TCP, the reassembled stream.
    PacketStream,
    /// Needs app-layer buffers or keywords: compiled, but matches only once the
    /// app-layer registers and fills its buffers.
    AppLayer,
}

impl RuleKind {
    pub fn name(self) -> &'static str {
        match self {
            RuleKind::IpOnly => "ip-only",
            RuleKind::DecoderEvent => "decoder-event",
            RuleKind::Packet => "packet",
            RuleKind::PacketStream => "packet-stream",
            RuleKind::AppLayer => "app-layer",
        }
    }
}

/// Requirements of the `flow` keyword.
pub(crate) mod flowreq {
    pub const TO_SERVER: u16 = 1;
    pub const TO_CLIENT: u16 = 2;
    pub const ESTABLISHED: u16 = 4;
    pub const NOT_ESTABLISHED: u16 = 8;
    pub const STATELESS: u16 = 16;
    pub const ONLY_STREAM: u16 = 32;
    pub const NO_STREAM: u16 = 64;
    pub const ONLY_FRAG: u16 = 128;
    pub const NO_FRAG: u16 = 256;
    /// Any `flow` keyword present.
    pub const PRESENT: u16 = 512;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BitOp {
    Set,
    Unset,
    Toggle,
}

/// A flowbits / xbits condition: all (or any, with `|`) of `ids` set / not set.
#[derive(Clone, Debug)]
pub(crate) struct BitCond {
    pub isset: bool,
    pub any: bool,
    pub ids: Vec<u32>,
}

#[derive(Clone, Debug)]
pub(crate) struct BitAct {
    pub op: BitOp,
    pub ids: Vec<u32>,
}

/// Where an xbit / hostbit lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum XTrack {
    Src,
    Dst,
    Both,
    Pair,
}

#[derive(Clone, Debug)]
pub(crate) struct XCond {
    pub isset: bool,
    pub id: u32,
    pub track: XTrack,
}

#[derive(Clone, Debug)]
pub(crate) struct XAct {
    pub op: BitOp,
    pub id: u32,
    pub track: XTrack,
    pub expire: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IntVal {
    Num(u32),
    Var(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IntOp {
    Set,
    Add,
    Sub,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    IsSet,
    NotSet,
}

#[derive(Clone, Debug)]
pub(crate) struct IntKw {
    pub id: u32,
    pub op: IntOp,
    pub val: IntVal,
}

/// Kinds of thresholding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThresholdKind {
    Limit,
    Threshold,
    Both,
    Backoff,
    DetectionFilter,
}

/// Tracking of a threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TrackBy {
    Src,
    Dst,
    Rule,
    Both,
    Flow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThresholdSpec {
    pub kind: ThresholdKind,
    pub track: TrackBy,
    pub count: u32,
    pub seconds: u32,
}

/// Packet-header buffers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HdrBuf {
    Ipv4,
    Ipv6,
    Tcp,
    Udp,
    Icmpv4,
    Icmpv6,
    IpSrc,
    IpDst,
}

/// The content used for the multi-pattern prefilter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FastPattern {
    pub buffer: BufferId,
    pub bytes: Vec<u8>,
    pub nocase: bool,
    /// `fast_pattern` was written in the rule.
    pub explicit: bool,
}

/// A rule ready for detection.
#[derive(Debug)]
pub struct CompiledRule {
    pub sid: u32,
    pub gid: u32,
    pub rev: u32,
    pub action: Action,
    /// Priority (1 highest; 3 when neither `priority` nor a classtype gives one).
    pub priority: u32,
    pub msg: Arc<str>,
    pub classtype: Option<Arc<str>>,
    /// Description of the classtype (EVE `alert.category`).
    pub category: Option<Arc<str>>,
    pub metadata: Arc<[(Arc<str>, Arc<str>)]>,
    pub kind: RuleKind,
    pub noalert: bool,
    /// Index of the rule in the input list.
    pub input_index: usize,
    pub fast_pattern: Option<FastPattern>,
    pub threshold: Option<ThresholdSpec>,
    pub(crate) protos: [u64; 4],
    pub(crate) pkthdr: bool,
    /// IP version the header protocol restricts the rule to (`ipv4`/`ip4`: 4,
    /// `ipv6`/`ip6`: 6), 0 for none.
    pub(crate) ip_version: u8,
    pub(crate) src: IpSet,
    pub(crate) dst: IpSet,
    pub(crate) sp: PortSet,
    pub(crate) dp: PortSet,
    pub(crate) bidir: bool,
    pub(crate) kws: Vec<PacketKw>,
    pub(crate) flow: u16,
    pub(crate) app_proto: Option<String>,
    pub(crate) payload: Option<BufferProgram>,
    /// Suricata's `SIG_FLAG_REQUIRE_STREAM` / `SIG_FLAG_REQUIRE_PACKET`: where a payload
    /// rule is inspected on TCP (see [`payload_sources`]).
    pub(crate) require_stream: bool,
    pub(crate) require_packet: bool,
    pub(crate) hdr_bufs: Vec<(HdrBuf, BufferProgram)>,
    pub(crate) app_bufs: Vec<(BufferId, BufferProgram)>,
    /// App-layer keywords other than buffers (`dns.opcode`, `app-layer-event`, ...): no
    /// evaluator exists yet, so the rule cannot match.
    pub app_keywords: Vec<&'static str>,
    pub(crate) bits_pre: Vec<BitCond>,
    pub(crate) bits_post: Vec<BitAct>,
    pub(crate) ints_pre: Vec<IntKw>,
    pub(crate) ints_post: Vec<IntKw>,
    pub(crate) x_pre: Vec<XCond>,
    pub(crate) x_post: Vec<XAct>,
    /// Flowbits / flowvar-like / flowint / xbits ranks for Suricata's ordering
    /// (4 set only, 3 set and read, 2 read only, 1 unused).
    pub(crate) rank_bits: u8,
    pub(crate) rank_int: u8,
    pub(crate) rank_x: u8,
}

impl CompiledRule {
    /// Whether the rule matches packets of IP protocol `p`.
    pub(crate) fn has_proto(&self, p: u8) -> bool {
        self.protos[(p / 64) as usize] & (1 << (p % 64)) != 0
    }
}

/// Interned names of flowbits, flowints and xbits/hostbits.
#[derive(Debug, Default)]
pub(crate) struct Names {
    pub flowbits: HashMap<String, u32>,
    pub flowints: HashMap<String, u32>,
    pub xbits: HashMap<String, u32>,
}

fn intern(m: &mut HashMap<String, u32>, n: &str) -> u32 {
    let next = m.len() as u32;
    *m.entry(n.to_string()).or_insert(next)
}

fn rank(sets: bool, reads: bool) -> u8 {
    match (sets, reads) {
        (true, false) => 4,
        (true, true) => 3,
        (false, true) => 2,
        (false, false) => 1,
    }
}

/// Suricata's pattern strength: each distinct byte counts 3 if a letter, 4 if another
/// printable byte or 0x00/0x01/0xff, 6 otherwise; a repeated byte counts 1.
pub fn pattern_strength(p: &[u8]) -> u32 {
    let mut seen = [false; 256];
    let mut s = 0u32;
    for &b in p {
        if seen[b as usize] {
            s += 1;
        } else {
            seen[b as usize] = true;
            s += if b.is_ascii_alphabetic() {
                3
            } else if b.is_ascii_graphic() || b == b' ' || b == 0 || b == 1 || b == 0xff {
                4
            } else {
                6
            };
        }
    }
    s
}

/// Fast-pattern priority of a buffer (lower is preferred).
fn buffer_fp_priority(name: &str) -> u8 {
    match name {
        "payload" | "http.method" | "http.stat_code" | "http.stat_msg" => 3,
        _ => 2,
    }
}

fn fp_bytes(c: &Content) -> Vec<u8> {
    match c.fast_pattern.and_then(|f| f.chop) {
        Some((off, len)) => {
            let s = (off as usize).min(c.pattern.len());
            let e = s.saturating_add(len as usize).min(c.pattern.len());
            c.pattern[s..e].to_vec()
        }
        None => c.pattern.clone(),
    }
}

/// Chooses the fast pattern of a rule as Suricata does: the explicit `fast_pattern`, else
/// among the contents of the highest-priority buffers (positive ones when there are any)
/// the longest, then the strongest, then the first.
pub(crate) fn select_fast_pattern(
    rule: &Rule,
    buffers: &[(usize, BufferId)],
) -> Option<(FastPattern, bool)> {
    let mut all: Vec<(&Content, BufferId, u8)> = Vec::new();
    for &(bi, id) in buffers {
        let bm = &rule.buffers[bi];
        for m in &bm.matches {
            if let Match::Content(c) = m {
                all.push((c, id, buffer_fp_priority(bm.buffer)));
            }
        }
    }
    if let Some((c, id, _)) = all.iter().find(|(c, _, _)| c.fast_pattern.is_some()) {
        return Some((
            FastPattern {
                buffer: *id,
                bytes: fp_bytes(c),
                nocase: c.nocase,
                explicit: true,
            },
            c.negated,
        ));
    }
    let has_pos = all.iter().any(|(c, _, _)| !c.negated);
    let cands: Vec<&(&Content, BufferId, u8)> = all
        .iter()
        .filter(|(c, _, _)| !has_pos || !c.negated)
        .collect();
    let best_prio = cands.iter().map(|(_, _, p)| *p).min()?;
    let mut best: Option<&(&Content, BufferId, u8)> = None;
    for c in cands.into_iter().filter(|(_, _, p)| *p == best_prio) {
        best = match best {
            None => Some(c),
            Some(b) => {
                let (lb, lc) = (b.0.pattern.len(), c.0.pattern.len());
                if lc > lb
                    || (lc == lb && pattern_strength(&c.0.pattern) > pattern_strength(&b.0.pattern))
                {
                    Some(c)
                } else {
                    Some(b)
                }
            }
        };
    }
    best.map(|(c, id, _)| {
        (
            FastPattern {
                buffer: *id,
                bytes: fp_bytes(c),
                nocase: c.nocase,
                explicit: false,
            },
            c.negated,
        )
    })
}

fn proto_bits(rule: &Rule) -> ([u64; 4], bool) {
    let mut bits = [0u64; 4];
    let mut set = |p: u8| bits[(p / 64) as usize] |= 1 << (p % 64);
    let mut pkthdr = false;
    match &rule.proto {
        Protocol::Tcp | Protocol::TcpPkt | Protocol::TcpStream => set(6),
        Protocol::Udp => set(17),
        Protocol::Icmp => {
            set(1);
            set(58);
        }
        Protocol::Sctp => set(132),
        Protocol::PktHdr => {
            pkthdr = true;
            for p in 0..=255u8 {
                set(p);
            }
        }
        Protocol::Ip | Protocol::App(_) => {
            for p in 0..=255u8 {
                set(p);
            }
        }
    }
    (bits, pkthdr)
}

fn hdr_buf(name: &str) -> Option<HdrBuf> {
    Some(match name {
        "ipv4.hdr" => HdrBuf::Ipv4,
        "ipv6.hdr" => HdrBuf::Ipv6,
        "tcp.hdr" => HdrBuf::Tcp,
        "udp.hdr" => HdrBuf::Udp,
        "icmpv4.hdr" => HdrBuf::Icmpv4,
        "icmpv6.hdr" => HdrBuf::Icmpv6,
        "ip.src" => HdrBuf::IpSrc,
        "ip.dst" => HdrBuf::IpDst,
        _ => return None,
    })
}

fn parse_track(t: &str) -> Option<TrackBy> {
    Some(match t {
        "by_src" => TrackBy::Src,
        "by_dst" => TrackBy::Dst,
        "by_rule" => TrackBy::Rule,
        "by_both" => TrackBy::Both,
        "by_flow" => TrackBy::Flow,
        _ => return None,
    })
}

/// Why a rule could not be compiled: a short reason (grouping key) and details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    pub reason: String,
    pub detail: String,
}

fn skip(reason: impl Into<String>, detail: impl Into<String>) -> Skip {
    Skip {
        reason: reason.into(),
        detail: detail.into(),
    }
}

/// Context of compilation.
pub(crate) struct Ctx<'a> {
    pub names: &'a mut Names,
    pub registry: &'a mut BufferRegistry,
    pub classification: &'a HashMap<String, palisade_rules::Classification>,
    pub strings: &'a mut HashMap<String, Arc<str>>,
}

fn shared(strings: &mut HashMap<String, Arc<str>>, s: &str) -> Arc<str> {
    if let Some(a) = strings.get(s) {
        return a.clone();
    }
    let a: Arc<str> = Arc::from(s);
    strings.insert(s.to_string(), a.clone());
    a
}

fn bits_value(o: &RuleOption) -> Option<&palisade_rules::values::Bits> {
    match &o.value {
        OptionValue::Bits(b) => Some(b),
        _ => None,
    }
}

/// Where the payload of a rule is inspected on TCP, as Suricata 7.0 decides it: returns
/// (require stream, require packet).
///
/// - `tcp-pkt`, `flow:no_stream` and packet keywords (`dsize`, `ttl`, `flags`, `seq`,
///   `replace`...) ask for the packet; `tcp-stream` and `flow:only_stream` for the stream.
/// - Otherwise a rule that can see TCP and has a payload buffer asks for the stream, and
///   also for the packet when one of its payload contents is anchored (`depth`/`offset`,
///   `startswith`) or it uses `stream_size`.
///
/// On a TCP packet with stream data ready, a stream rule is tried on the stream first; it
/// falls back to the packet's payload only if the rule also asks for the packet or the
/// packet's payload did not go into the stream (and never under `flow:only_stream`).
pub(crate) fn payload_sources(
    rule: &Rule,
    kws: &[PacketKw],
    flow: u16,
    protos: &[u64; 4],
) -> (bool, bool) {
    let packet_kw = kws.iter().any(|k| {
        matches!(
            k,
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
                | PacketKw::Itype(_)
                | PacketKw::Icode(_)
                | PacketKw::IcmpId(_)
                | PacketKw::IcmpSeq(_)
                | PacketKw::Dsize(_)
                | PacketKw::SameIp
        )
    });
    let payload_contents = || {
        rule.buffers
            .iter()
            .filter(|b| b.buffer == "payload")
            .flat_map(|b| b.matches.iter())
            .filter_map(|m| match m {
                Match::Content(c) => Some(c),
                Match::Option(_) => None,
            })
    };
    let replace = payload_contents().any(|c| c.replace.is_some());
    let mut packet =
        rule.proto == Protocol::TcpPkt || flow & flowreq::NO_STREAM != 0 || packet_kw || replace;
    let mut stream = rule.proto == Protocol::TcpStream || flow & flowreq::ONLY_STREAM != 0;
    let has_payload = rule.buffers.iter().any(|b| b.buffer == "payload");
    let tcp = protos[0] & (1 << 6) != 0;
    if tcp && has_payload && !packet && !stream {
        stream = true;
        let anchored = payload_contents().any(|c| {
            c.startswith
                || matches!(c.depth, Some(palisade_rules::VarOrNum::Num(_)))
                || matches!(c.offset, Some(palisade_rules::VarOrNum::Num(_)))
        });
        let stream_size = kws.iter().any(|k| matches!(k, PacketKw::StreamSize { .. }));
        packet = anchored || stream_size;
    }
    (stream, packet)
}

/// Compiles one rule.
pub(crate) fn compile_rule(
    rule: &Rule,
    input_index: usize,
    cx: &mut Ctx<'_>,
) -> Result<CompiledRule, Skip> {
    if rule.action == Action::Config {
        return Err(skip("config rule", "config rules are not supported"));
    }
    let (protos, pkthdr) = proto_bits(rule);
    // The parsed header keeps `ipv4`/`ipv6` as plain `ip`: read the protocol as written.
    let written_proto = rule
        .text
        .get(rule.header_spans[1].start..rule.header_spans[1].end)
        .unwrap_or("")
        .to_ascii_lowercase();
    let ip_version = match written_proto.as_str() {
        "ipv4" | "ip4" => 4,
        "ipv6" | "ip6" => 6,
        _ => 0,
    };
    let mut kws = Vec::new();
    let mut flow = 0u16;
    let mut needs_app = false;
    let mut noalert = rule.noalert;
    let mut threshold = None;
    let mut bits_pre = Vec::new();
    let mut bits_post = Vec::new();
    let mut ints_pre = Vec::new();
    let mut ints_post = Vec::new();
    let mut x_pre = Vec::new();
    let mut x_post = Vec::new();
    let mut app_keywords = Vec::new();
    for o in &rule.options {
        let Some(k) = lookup(o.keyword) else {
            return Err(skip("unknown keyword", o.keyword));
        };
        match k.class {
            Class::Other => {}
            Class::Meta => continue,
            // Buffer keywords are handled through `rule.buffers`.
            _ => continue,
        }
        if let Some(kw) = keywords::compile(o).map_err(|e| skip("bad keyword value", e))? {
            kws.push(kw);
            continue;
        }
        match o.keyword {
            "flow" => {
                flow |= flowreq::PRESENT;
                if let OptionValue::Words(w) = &o.value {
                    for w in w {
                        flow |= match w.as_str() {
                            "to_server" | "from_client" => flowreq::TO_SERVER,
                            "to_client" | "from_server" => flowreq::TO_CLIENT,
                            "established" => flowreq::ESTABLISHED,
                            "not_established" => flowreq::NOT_ESTABLISHED,
                            "stateless" => flowreq::STATELESS,
                            "only_stream" => flowreq::ONLY_STREAM,
                            "no_stream" => flowreq::NO_STREAM,
                            "only_frag" => flowreq::ONLY_FRAG,
                            "no_frag" => flowreq::NO_FRAG,
                            _ => 0,
                        };
                    }
                }
            }
            "flowbits" => {
                let b = bits_value(o).ok_or_else(|| skip("bad keyword value", "flowbits"))?;
                let any = o.raw.as_deref().is_some_and(|r| r.contains('|'));
                let ids: Vec<u32> = b
                    .names
                    .iter()
                    .map(|n| intern(&mut cx.names.flowbits, n))
                    .collect();
                match b.cmd.as_str() {
                    "noalert" => noalert = true,
                    "isset" | "isnotset" => bits_pre.push(BitCond {
                        isset: b.cmd == "isset",
                        any,
                        ids,
                    }),
                    "set" => bits_post.push(BitAct {
                        op: BitOp::Set,
                        ids,
                    }),
                    "unset" => bits_post.push(BitAct {
                        op: BitOp::Unset,
                        ids,
                    }),
                    _ => bits_post.push(BitAct {
                        op: BitOp::Toggle,
                        ids,
                    }),
                }
            }
            "xbits" | "hostbits" => {
                let b = bits_value(o).ok_or_else(|| skip("bad keyword value", o.keyword))?;
                if b.cmd == "noalert" {
                    noalert = true;
                    continue;
                }
                let mut track = if o.keyword == "hostbits" {
                    XTrack::Src
                } else {
                    XTrack::Pair
                };
                let mut expire = 30u32;
                for e in &b.extra {
                    let mut it = e.split_whitespace();
                    match (it.next(), it.next()) {
                        (Some("track"), Some("ip_src")) | (Some("src"), None) => {
                            track = XTrack::Src
                        }
                        (Some("track"), Some("ip_dst")) | (Some("dst"), None) => {
                            track = XTrack::Dst
                        }
                        (Some("track"), Some("ip_pair")) | (Some("pair"), None) => {
                            track = XTrack::Pair
                        }
                        (Some("both"), None) => track = XTrack::Both,
                        (Some("track"), Some(t)) => {
                            return Err(skip("xbits track unsupported", t.to_string()))
                        }
                        (Some("expire"), Some(n)) => expire = n.parse().unwrap_or(30),
                        _ => {}
                    }
                }
                let Some(name) = b.names.first() else {
                    continue;
                };
                let id = intern(&mut cx.names.xbits, name);
                match b.cmd.as_str() {
                    "isset" | "isnotset" => x_pre.push(XCond {
                        isset: b.cmd == "isset",
                        id,
                        track,
                    }),
                    cmd => x_post.push(XAct {
                        op: match cmd {
                            "set" => BitOp::Set,
                            "unset" => BitOp::Unset,
                            _ => BitOp::Toggle,
                        },
                        id,
                        track,
                        expire,
                    }),
                }
            }
            "flowint" => {
                let OptionValue::Words(w) = &o.value else {
                    return Err(skip("bad keyword value", "flowint"));
                };
                let id = intern(&mut cx.names.flowints, &w[0]);
                let val = match w.get(2) {
                    Some(v) => match v.parse::<u32>() {
                        Ok(n) => IntVal::Num(n),
                        Err(_) => IntVal::Var(intern(&mut cx.names.flowints, v)),
                    },
                    None => IntVal::Num(0),
                };
                let op = match w[1].as_str() {
                    "=" => IntOp::Set,
                    "+" | "+=" => IntOp::Add,
                    "-" | "-=" => IntOp::Sub,
                    "==" => IntOp::Eq,
                    "!=" => IntOp::Ne,
                    "<" => IntOp::Lt,
                    ">" => IntOp::Gt,
                    "<=" => IntOp::Le,
                    ">=" => IntOp::Ge,
                    "isset" => IntOp::IsSet,
                    _ => IntOp::NotSet,
                };
                let kw = IntKw { id, op, val };
                if matches!(op, IntOp::Set | IntOp::Add | IntOp::Sub) {
                    ints_post.push(kw);
                } else {
                    ints_pre.push(kw);
                }
            }
            "threshold" | "detection_filter" => {
                let OptionValue::Threshold(t) = &o.value else {
                    return Err(skip("bad keyword value", o.keyword));
                };
                let kind = match t.kind.as_deref() {
                    None => ThresholdKind::DetectionFilter,
                    Some("limit") => ThresholdKind::Limit,
                    Some("threshold") => ThresholdKind::Threshold,
                    Some("both") => ThresholdKind::Both,
                    _ => ThresholdKind::Backoff,
                };
                let track = parse_track(&t.track)
                    .ok_or_else(|| skip("bad keyword value", t.track.clone()))?;
                threshold = Some(ThresholdSpec {
                    kind,
                    track,
                    count: t.count,
                    seconds: t.seconds,
                });
            }
            // Accepted and without effect on matching here.
            "config" | "prefilter" | "bypass" | "nfq_set_mark" | "engine-event" => {}
            other => {
                if !k.app.is_empty() || other == "app-layer-event" {
                    needs_app = true;
                    app_keywords.push(k.name);
                } else {
                    return Err(skip("unsupported keyword", other.to_string()));
                }
            }
        }
    }

    // Buffers.
    let mut payload = None;
    let mut hdr_bufs = Vec::new();
    let mut app_bufs = Vec::new();
    let mut fp_bufs = Vec::new();
    for (bi, bm) in rule.buffers.iter().enumerate() {
        let prog = BufferProgram::compile(rule, bm).map_err(|e| skip("buffer program", e))?;
        if prog.is_inline_only() {
            // base64_data: inspected inside the rule's base64_decode.
            continue;
        }
        if bm.buffer == "payload" {
            if payload.is_some() {
                return Err(skip("unsupported buffer", "payload listed twice"));
            }
            payload = Some(prog);
            fp_bufs.push((bi, BufferId::PAYLOAD));
        } else if let Some(h) = hdr_buf(bm.buffer) {
            hdr_bufs.push((h, prog));
        } else {
            let id = cx.registry.id(bm.buffer);
            app_bufs.push((id, prog));
            fp_bufs.push((bi, id));
        }
    }
    if !app_bufs.is_empty() {
        needs_app = true;
    }
    let fast_pattern = select_fast_pattern(rule, &fp_bufs).and_then(|(fp, negated)| {
        // A negated fast pattern cannot prefilter: such rules are always inspected.
        (!negated && !fp.bytes.is_empty()).then_some(fp)
    });

    let src = IpSet::from_expr(&rule.src);
    let dst = IpSet::from_expr(&rule.dst);
    let sp = PortSet::from_expr(&rule.sp);
    let dp = PortSet::from_expr(&rule.dp);
    let has_decode_event = kws.iter().any(|k| matches!(k, PacketKw::DecodeEvent(_)));
    let kind = if needs_app {
        RuleKind::AppLayer
    } else if payload.is_some() || !hdr_bufs.is_empty() {
        RuleKind::PacketStream
    } else if has_decode_event {
        RuleKind::DecoderEvent
    } else if kws.is_empty()
        && flow == 0
        && sp.is_any()
        && dp.is_any()
        && bits_pre.is_empty()
        && ints_pre.is_empty()
        && ints_post.is_empty()
        && x_pre.is_empty()
        && !pkthdr
    {
        RuleKind::IpOnly
    } else {
        RuleKind::Packet
    };
    let (require_stream, require_packet) = payload_sources(rule, &kws, flow, &protos);
    let classtype = rule.classtype.as_deref().map(|c| shared(cx.strings, c));
    let category = rule
        .classtype
        .as_deref()
        .and_then(|c| cx.classification.get(c))
        .map(|c| shared(cx.strings, &c.description));
    let msg = shared(cx.strings, rule.msg.as_deref().unwrap_or(""));
    let metadata: Vec<(Arc<str>, Arc<str>)> = rule
        .metadata
        .iter()
        .map(|(k, v)| (shared(cx.strings, k), shared(cx.strings, v)))
        .collect();
    let metadata: Arc<[(Arc<str>, Arc<str>)]> = Arc::from(metadata);
    let rank_bits = rank(!bits_post.is_empty(), !bits_pre.is_empty());
    let rank_int = rank(!ints_post.is_empty(), !ints_pre.is_empty());
    let rank_x = rank(!x_post.is_empty(), !x_pre.is_empty());
    Ok(CompiledRule {
        sid: rule.sid,
        gid: rule.gid,
        rev: rule.rev,
        action: rule.action,
        priority: rule.priority.unwrap_or(3),
        msg,
        classtype,
        category,
        metadata,
        kind,
        noalert,
        input_index,
        fast_pattern,
        threshold,
        protos,
        pkthdr,
        ip_version,
        src,
        dst,
        sp,
        dp,
        bidir: rule.direction == Direction::Both,
        kws,
        flow,
        app_proto: rule.app_proto.clone(),
        payload,
        require_stream,
        require_packet,
        hdr_bufs,
        app_bufs,
        app_keywords,
        bits_pre,
        bits_post,
        ints_pre,
        ints_post,
        x_pre,
        x_post,
        rank_bits,
        rank_int,
        rank_x,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Suricata 7.0's stream / packet requirements of payload rules (SigValidate, the
    /// keyword setups): (require stream, require packet).
    #[test]
    fn payload_sources_as_suricata() {
        let cases: &[(&str, (bool, bool))] = &[
            (
                "alert tcp any any -> any any (content:\"x\"; sid:1;)",
                (true, false),
            ),
            (
                "alert ip any any -> any any (content:\"x\"; sid:1;)",
                (true, false),
            ),
            (
                "alert tcp any any -> any any (content:\"x\"; depth:4; sid:1;)",
                (true, true),
            ),
            (
                "alert tcp any any -> any any (content:\"x\"; offset:1; sid:1;)",
                (true, true),
            ),
            (
                "alert tcp any any -> any any (content:\"x\"; startswith; sid:1;)",
                (true, true),
            ),
            (
                "alert tcp any any -> any any (content:\"x\"; distance:1; sid:1;)",
                (true, false),
            ),
            (
                "alert tcp any any -> any any (content:\"x\"; dsize:>0; sid:1;)",
                (false, true),
            ),
            (
                "alert tcp any any -> any any (content:\"x\"; flags:A; sid:1;)",
                (false, true),
            ),
            (
                "alert tcp any any -> any any (content:\"x\"; ttl:64; sid:1;)",
                (false, true),
            ),
            (
                "alert tcp-pkt any any -> any any (content:\"x\"; sid:1;)",
                (false, true),
            ),
            (
                "alert tcp-stream any any -> any any (content:\"x\"; sid:1;)",
                (true, false),
            ),
            (
                "alert tcp any any -> any any (flow:only_stream; content:\"x\"; sid:1;)",
                (true, false),
            ),
            (
                "alert tcp any any -> any any (flow:no_stream; content:\"x\"; sid:1;)",
                (false, true),
            ),
            (
                "alert tcp any any -> any any (stream_size:server,<,5; content:\"x\"; sid:1;)",
                (true, true),
            ),
            (
                "alert udp any any -> any any (content:\"x\"; sid:1;)",
                (false, false),
            ),
            (
                "alert tcp any any -> any any (flags:S; sid:1;)",
                (false, true),
            ),
            (
                "alert tcp any any -> any any (flow:established; sid:1;)",
                (false, false),
            ),
        ];
        let ctx = palisade_rules::RuleContext::default();
        for (text, want) in cases {
            let rule = palisade_rules::parse_rule(text, &ctx).unwrap();
            let (eng, w) = crate::DetectEngine::build(&[rule], &crate::DetectConfig::default());
            assert!(w.is_empty(), "{text}: {w:?}");
            let r = &eng.rules[0];
            assert_eq!((r.require_stream, r.require_packet), *want, "{text}");
        }
    }

    #[test]
    fn strength_as_documented() {
        // 'a' 3, 'b' 3, 'a' again 1
        assert_eq!(pattern_strength(b"aba"), 7);
        // '1' printable 4, 0x00 4, 0x02 6
        assert_eq!(pattern_strength(b"1\x00\x02"), 14);
    }
}
