//! EVE `alert` records, with Suricata 7.0.10's fields and order.
//!
//! A record is the packet header of [`crate::eve::write_packet_header`] followed by:
//!
//! 1. `tx_id` (and `tx_guessed: true`) when the alert is tied to a transaction;
//! 2. the `alert` object: `action`, `gid`, `signature_id`, `rev`, `signature`, `category`
//!    (`""` without a classtype), `severity`, then `tenant_id`, `source`/`target` (rules
//!    with `target:`), `metadata` (rule metadata), `rule` (raw rule text), `xff`;
//! 3. `tunnel` (the outermost packet, for alerts on a tunnelled packet);
//! 4. for packets with a flow: the application layer object(s) (caller supplied), then
//!    `app_proto` (+ `app_proto_ts`/`_tc`/`_orig`/`_expected`), `direction`, and the `flow`
//!    snapshot (`pkts_*`, `bytes_*`, `start`, and the flow's addresses and ports in its
//!    to-server orientation);
//! 5. with `payload` / `payload-printable`: `payload` (base64, absent when empty),
//!    `payload_printable`, `stream` (1 for TCP alerts that matched on stream or state);
//! 6. with `packet`: `packet` (base64 of the whole packet) and `packet_info.linktype`;
//! 7. with `verdict`: the `verdict` object.
//!
//! Rule metadata (`metadata: k v, ...`) comes out as one array per key, keys sorted
//! bytewise, the values of a key in reverse order of appearance in the rule — what
//! Suricata 7.0.10 prints (`metadata: tag one, tag two, created_at x` gives
//! `{"created_at":["x"],"tag":["two","one"]}`).
//!
//! An alert on a packet without IP layer (rules on decoder events) has the header of
//! such a packet (`timestamp`, `pcap_cnt`, `event_type`, `pkt_src`) and the `alert`
//! object, as in Suricata 7.0.10.
//!
//! Protocol names: [`suricata_proto_name`] is Suricata 7.0.10's table (read off its
//! output for every protocol number); the record header itself comes from
//! [`crate::eve::write_packet_header`].

use std::cell::RefCell;
use std::net::IpAddr;
use std::sync::Arc;

use palisade_flow::{Flow, Timestamp};

use crate::eve::{write_packet_header, PacketHeader, PktSrc};
use crate::json::JsonBuf;

/// The `alert.action` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AlertAction {
    #[default]
    Allowed,
    Blocked,
}

impl AlertAction {
    pub fn name(self) -> &'static str {
        match self {
            AlertAction::Allowed => "allowed",
            AlertAction::Blocked => "blocked",
        }
    }

    /// Suricata's choice for an alert whose action was not changed by a rate filter:
    /// `blocked` for reject rules, and for drop rules in IPS mode; `allowed` otherwise.
    pub fn for_rule(drops: bool, rejects: bool, ips: bool) -> AlertAction {
        if rejects || (drops && ips) {
            AlertAction::Blocked
        } else {
            AlertAction::Allowed
        }
    }
}

/// Which side a rule's `target:` keyword names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlertTarget {
    /// `target:src_ip`
    Src,
    /// `target:dest_ip`
    Dst,
}

/// What an alert says about its rule and match.
#[derive(Clone, Copy, Debug)]
pub struct AlertInfo<'a> {
    pub action: AlertAction,
    /// The rule's action drops the packet (`drop` and the `reject` family): fast.log's
    /// `[Drop] ` (IPS) / `[wDrop] ` (IDS) prefix.
    pub drops: bool,
    pub gid: u32,
    pub sid: u32,
    pub rev: u32,
    pub signature: &'a str,
    /// Classification description; "" when the rule has no classtype.
    pub category: &'a str,
    pub severity: u32,
    /// Rule metadata key/value pairs in rule order (shared with the loaded rule).
    pub metadata: &'a [(Arc<str>, Arc<str>)],
    /// Transaction the alert belongs to.
    pub tx_id: Option<u64>,
    /// The transaction was guessed (Suricata 7's `tx_guessed`).
    pub tx_guessed: bool,
    /// `target:` of the rule.
    pub target: Option<AlertTarget>,
    /// Raw rule text, printed as `rule` when [`AlertOptions::rule_raw`] is set.
    pub rule: &'a str,
    /// Multi-tenancy id; 0 is not printed.
    pub tenant_id: u32,
    /// X-Forwarded-For address in extra-data mode (`xff`), "" when none.
    pub xff: &'a str,
}

impl Default for AlertInfo<'_> {
    fn default() -> Self {
        AlertInfo {
            action: AlertAction::Allowed,
            drops: false,
            gid: 1,
            sid: 0,
            rev: 0,
            signature: "",
            category: "",
            severity: 3,
            metadata: &[],
            tx_id: None,
            tx_guessed: false,
            target: None,
            rule: "",
            tenant_id: 0,
            xff: "",
        }
    }
}

/// The `eve-log.types.alert` options (Suricata's defaults from [`Default`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlertOptions {
    /// `payload: yes`: base64 payload.
    pub payload: bool,
    /// `payload-printable: yes`.
    pub payload_printable: bool,
    /// `payload-buffer-size` (default 4 KiB): stream data logged is cut at one byte less
    /// (as Suricata's buffer keeps a byte free).
    pub payload_buffer_size: u32,
    /// `packet: yes`.
    pub packet: bool,
    /// `metadata.rule.metadata` (default yes).
    pub rule_metadata: bool,
    /// `metadata.rule.raw` (default no).
    pub rule_raw: bool,
    /// `metadata.flow` (default yes).
    pub flow: bool,
    /// `metadata.app-layer` (default yes): the application layer callback is called.
    pub app_layer: bool,
    /// `verdict: yes` (default no): the `verdict` object.
    pub verdict: bool,
}

impl Default for AlertOptions {
    fn default() -> Self {
        AlertOptions {
            payload: false,
            payload_printable: false,
            payload_buffer_size: 4096,
            packet: false,
            rule_metadata: true,
            rule_raw: false,
            flow: true,
            app_layer: true,
            verdict: false,
        }
    }
}

/// Side(s) a reject rule answers (`reject` / `rejectsrc`: to_client, `rejectdst`:
/// to_server, `rejectboth`: both).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RejectTarget {
    ToClient,
    ToServer,
    Both,
}

impl RejectTarget {
    pub fn name(self) -> &'static str {
        match self {
            RejectTarget::ToClient => "to_client",
            RejectTarget::ToServer => "to_server",
            RejectTarget::Both => "both",
        }
    }
}

/// What happened to the packet, for the `verdict` object (Suricata's packet action).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PacketVerdict {
    /// Engine in IPS mode.
    pub ips: bool,
    /// The packet's action includes drop.
    pub drop: bool,
    /// Set by a reject rule.
    pub reject: Option<RejectTarget>,
    /// The packet was passed by a pass rule.
    pub pass: bool,
}

/// What an alert record says about the packet's flow.
#[derive(Clone, Copy, Debug, Default)]
pub struct FlowSnapshot<'a> {
    pub pkts_toserver: u64,
    pub pkts_toclient: u64,
    pub bytes_toserver: u64,
    pub bytes_toclient: u64,
    pub start: Timestamp,
    /// Direction of the alerting packet.
    pub to_server: bool,
    /// Application protocol names, "" when not set.
    pub app_proto: &'a str,
    pub app_proto_ts: &'a str,
    pub app_proto_tc: &'a str,
    pub app_proto_orig: &'a str,
    pub app_proto_expected: &'a str,
}

impl FlowSnapshot<'static> {
    /// The snapshot of a flow for a packet going in direction `to_server`.
    pub fn from_flow(f: &Flow, to_server: bool) -> FlowSnapshot<'static> {
        FlowSnapshot {
            pkts_toserver: f.pkts_toserver,
            pkts_toclient: f.pkts_toclient,
            bytes_toserver: f.bytes_toserver,
            bytes_toclient: f.bytes_toclient,
            start: f.start,
            to_server,
            app_proto: f.app_proto,
            app_proto_ts: f.app_proto_ts,
            app_proto_tc: f.app_proto_tc,
            app_proto_orig: "",
            app_proto_expected: "",
        }
    }
}

/// The outermost packet of a tunnelled packet (Suricata's root packet), for `tunnel`.
#[derive(Clone, Copy, Debug)]
pub struct TunnelInfo {
    pub src: IpAddr,
    pub dst: IpAddr,
    /// Ports of the outer packet (0 when its protocol has none, e.g. GRE).
    pub sp: u16,
    pub dp: u16,
    pub proto: u8,
    /// Tunnel depth of the alerting packet (Suricata's recursion level).
    pub depth: u8,
    /// Capture packet number of the outer packet; 0 is not printed.
    pub pcap_cnt: u64,
    pub pkt_src: PktSrc,
}

/// The alerting packet's bytes.
#[derive(Clone, Copy, Debug, Default)]
pub struct AlertPacket<'a> {
    /// The packet's payload (above the transport header).
    pub payload: &'a [u8],
    /// For TCP alerts that matched on the stream or on app-layer state: the stream data
    /// to log (Suricata logs the stream segments; pass an empty slice when there are
    /// none: the packet payload is then logged instead). `None`: a packet match.
    pub stream: Option<&'a [u8]>,
    /// The whole packet as captured (or rebuilt), for `packet`.
    pub data: &'a [u8],
    /// Link type of `data` (1 Ethernet; 12 raw IP for tunnelled/rebuilt packets).
    pub linktype: u32,
    /// Set when the packet was carried in a tunnel.
    pub tunnel: Option<TunnelInfo>,
    /// The packet's verdict, written with [`AlertOptions::verdict`].
    pub verdict: PacketVerdict,
}

thread_local! {
    static SCRATCH: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(8192));
}

fn has_ports(proto: u8) -> bool {
    matches!(proto, 6 | 17 | 132)
}

fn set_proto_name(j: &mut JsonBuf, key: &str, proto: u8) {
    match suricata_proto_name(proto) {
        Some(n) => j.set_str(key, n),
        None => {
            let mut b = itoa_buf();
            j.set_str(key, itoa(proto as u64, &mut b))
        }
    };
}

fn itoa_buf() -> [u8; 20] {
    [0u8; 20]
}

fn itoa(mut v: u64, b: &mut [u8; 20]) -> &str {
    let mut i = b.len();
    loop {
        i -= 1;
        b[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    std::str::from_utf8(&b[i..]).unwrap_or("0")
}

/// Suricata 7.0.10's names of IP protocols 0..=143 (read off its `proto` output for
/// every number); 144 and up have none (EVE prints the number, fast.log `PROTO:NNN`).
const PROTO_NAMES: [&str; 144] = [
    "HOPOPT",
    "ICMP",
    "IGMP",
    "GGP",
    "IP-in-IP",
    "ST", // 0-5
    "TCP",
    "CBT",
    "EGP",
    "IGP",
    "BBN-RCC-MON",
    "NVP-II", // 6-11
    "PUP",
    "ARGUS",
    "EMCON",
    "XNET",
    "CHAOS",
    "UDP", // 12-17
    "MUX",
    "DCN-MEAS",
    "HMP",
    "PRM",
    "XNS-IDP",
    "TRUNK-1", // 18-23
    "TRUNK-2",
    "LEAF-1",
    "LEAF-2",
    "RDP",
    "IRTP",
    "ISO-TP4", // 24-29
    "NETBLT",
    "MFE-NSP",
    "MERIT-INP",
    "DCCP",
    "3PC",
    "IDPR", // 30-35
    "XTP",
    "DDP",
    "IDPR-CMTP",
    "TP++",
    "IL",
    "IPv6", // 36-41
    "SDRP",
    "IPv6-Route",
    "IPv6-Frag",
    "IDRP",
    "RSVP",
    "GRE", // 42-47
    "DSR",
    "BNA",
    "ESP",
    "AH",
    "I-NLSP",
    "SwIPe", // 48-53
    "NARP",
    "MOBILE",
    "TLSP",
    "SKIP",
    "IPv6-ICMP",
    "IPv6-NoNxt", // 54-59
    "IPv6-Opts",
    "Any",
    "CFTP",
    "Any",
    "SAT-EXPAK",
    "KRYPTOLAN", // 60-65
    "RVD",
    "IPPC",
    "Any",
    "SAT-MON",
    "VISA",
    "IPCU", // 66-71
    "CPNX",
    "CPHB",
    "WSN",
    "PVP",
    "BR-SAT-MON",
    "SUN-ND", // 72-77
    "WB-MON",
    "WB-EXPAK",
    "ISO-IP",
    "VMTP",
    "SECURE-VMTP",
    "VINES", // 78-83
    "TTP",
    "NSFNET-IGP",
    "DGP",
    "TCF",
    "EIGRP",
    "OSPF", // 84-89
    "Sprite-RPC",
    "LARP",
    "MTP",
    "AX.25",
    "OS",
    "MICP", // 90-95
    "SCC-SP",
    "ETHERIP",
    "ENCAP",
    "Any",
    "GMTP",
    "IFMP", // 96-101
    "PNNI",
    "PIM",
    "ARIS",
    "SCPS",
    "QNX",
    "A/N", // 102-107
    "IPComp",
    "SNP",
    "Compaq-Peer",
    "IPX-in-IP",
    "VRRP",
    "PGM", // 108-113
    "Any",
    "L2TP",
    "DDX",
    "IATP",
    "STP",
    "SRP", // 114-119
    "UTI",
    "SMP",
    "SM",
    "PTP",
    "IS-IS",
    "FIRE", // 120-125
    "CRTP",
    "CRUDP",
    "SSCOPMCE",
    "IPLT",
    "SPS",
    "PIPE", // 126-131
    "SCTP",
    "FC",
    "RSVP-E2E-IGNORE",
    "Mobility",
    "UDPLite",
    "MPLS-in-IP", // 132-137
    "manet",
    "HIP",
    "Shim6",
    "WESP",
    "ROHC",
    "Ethernet", // 138-143
];

/// Suricata 7.0.10's name of an IP protocol number, `None` when it has none.
pub fn suricata_proto_name(proto: u8) -> Option<&'static str> {
    PROTO_NAMES.get(proto as usize).copied()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding, appended to `out`.
pub fn base64_into(out: &mut Vec<u8>, data: &[u8]) {
    out.reserve(data.len().div_ceil(3) * 4);
    let mut chunks = data.chunks_exact(3);
    for c in &mut chunks {
        let n = (c[0] as u32) << 16 | (c[1] as u32) << 8 | c[2] as u32;
        out.extend_from_slice(&[
            B64[(n >> 18) as usize & 63],
            B64[(n >> 12) as usize & 63],
            B64[(n >> 6) as usize & 63],
            B64[n as usize & 63],
        ]);
    }
    match *chunks.remainder() {
        [a] => {
            let n = (a as u32) << 16;
            out.extend_from_slice(&[B64[(n >> 18) as usize & 63], B64[(n >> 12) as usize & 63]]);
            out.extend_from_slice(b"==");
        }
        [a, b] => {
            let n = (a as u32) << 16 | (b as u32) << 8;
            out.extend_from_slice(&[
                B64[(n >> 18) as usize & 63],
                B64[(n >> 12) as usize & 63],
                B64[(n >> 6) as usize & 63],
                b'=',
            ]);
        }
        _ => {}
    }
}

/// Suricata's printable rendering of a payload: printable ASCII, CR and LF kept, every
/// other byte written as `.`.
pub fn printable_into(out: &mut Vec<u8>, data: &[u8]) {
    out.extend(data.iter().map(|&b| {
        if (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\r' {
            b
        } else {
            b'.'
        }
    }));
}

fn set_base64(j: &mut JsonBuf, key: &str, data: &[u8]) {
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        s.clear();
        s.push(b'"');
        base64_into(&mut s, data);
        s.push(b'"');
        // Base64 text is ASCII.
        if let Ok(text) = std::str::from_utf8(&s) {
            j.set_raw(key, text);
        }
    });
}

fn set_printable(j: &mut JsonBuf, key: &str, data: &[u8]) {
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        s.clear();
        printable_into(&mut s, data);
        j.set_bytes(key, &s);
    });
}

fn cmp_ignore_case(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Writes the metadata object as Suricata 7.0.10 does: keys compared without regard to
/// ASCII case (sorted that way, and keys differing only in case are one key, spelled as
/// at its last occurrence), the values of a key in reverse order of appearance.
/// No allocation: one pass over the pairs per distinct key.
fn set_metadata(j: &mut JsonBuf, md: &[(Arc<str>, Arc<str>)]) {
    if md.is_empty() {
        return;
    }
    j.open_object("metadata");
    let mut prev: Option<&str> = None;
    loop {
        // The smallest key greater than the previous one, spelled as its last occurrence.
        let mut next: Option<&str> = None;
        for (k, _) in md {
            if prev.is_some_and(|p| cmp_ignore_case(k, p).is_le()) {
                continue;
            }
            if next.is_none_or(|n| cmp_ignore_case(k, n).is_le()) {
                next = Some(k);
            }
        }
        let Some(key) = next else { break };
        j.open_array(key);
        for (_, v) in md.iter().rev().filter(|(k, _)| k.eq_ignore_ascii_case(key)) {
            j.append_str(v);
        }
        j.close();
        prev = Some(key);
    }
    j.close();
}

fn write_alert_object(
    j: &mut JsonBuf,
    h: Option<&PacketHeader>,
    a: &AlertInfo,
    opts: &AlertOptions,
) {
    if let Some(tx) = a.tx_id {
        j.set_u64("tx_id", tx);
        if a.tx_guessed {
            j.set_bool("tx_guessed", true);
        }
    }
    j.open_object("alert");
    j.set_str("action", a.action.name());
    j.set_u64("gid", a.gid as u64);
    j.set_u64("signature_id", a.sid as u64);
    j.set_u64("rev", a.rev as u64);
    j.set_str("signature", a.signature);
    j.set_str("category", a.category);
    j.set_u64("severity", a.severity as u64);
    if a.tenant_id > 0 {
        j.set_u64("tenant_id", a.tenant_id as u64);
    }
    if let (Some(h), Some(t)) = (h, a.target) {
        if let Some((src, dst)) = h.ip {
            let ports = has_ports(h.proto);
            // source is the side that is not the target.
            let (s, sp, d, dp) = match t {
                AlertTarget::Dst => (src, h.sp, dst, h.dp),
                AlertTarget::Src => (dst, h.dp, src, h.sp),
            };
            j.open_object("source");
            j.set_ip("ip", s);
            if ports {
                j.set_u64("port", sp as u64);
            }
            j.close();
            j.open_object("target");
            j.set_ip("ip", d);
            if ports {
                j.set_u64("port", dp as u64);
            }
            j.close();
        }
    }
    if opts.rule_metadata {
        set_metadata(j, a.metadata);
    }
    if opts.rule_raw && !a.rule.is_empty() {
        j.set_str("rule", a.rule);
    }
    if !a.xff.is_empty() {
        j.set_str("xff", a.xff);
    }
    j.close();
}

/// Writes an EVE `alert` record for a packet with an IP layer (see the module
/// documentation for the layout). The record is left open for
/// [`crate::EveWriter::write`].
pub fn write_alert(
    j: &mut JsonBuf,
    h: &PacketHeader,
    a: &AlertInfo,
    opts: &AlertOptions,
    flow: Option<&FlowSnapshot>,
    pkt: &AlertPacket,
) {
    write_alert_with(j, h, a, opts, flow, pkt, &mut |_| {})
}

/// [`write_alert`] with the application layer objects of the alert's transaction
/// (`http`, `dns`, ... `files`): `app_layer` is called at their place (after `tunnel`,
/// before `app_proto`) for packets with a flow when [`AlertOptions::app_layer`] is set.
pub fn write_alert_with(
    j: &mut JsonBuf,
    h: &PacketHeader,
    a: &AlertInfo,
    opts: &AlertOptions,
    flow: Option<&FlowSnapshot>,
    pkt: &AlertPacket,
    app_layer: &mut dyn FnMut(&mut JsonBuf),
) {
    write_packet_header(j, h, "alert");
    write_alert_object(j, Some(h), a, opts);

    if let Some(t) = &pkt.tunnel {
        j.open_object("tunnel");
        j.set_ip("src_ip", t.src);
        j.set_u64("src_port", t.sp as u64);
        j.set_ip("dest_ip", t.dst);
        j.set_u64("dest_port", t.dp as u64);
        set_proto_name(j, "proto", t.proto);
        j.set_u64("depth", t.depth as u64);
        if t.pcap_cnt != 0 {
            j.set_u64("pcap_cnt", t.pcap_cnt);
        }
        j.set_str("pkt_src", t.pkt_src.name());
        j.close();
    }

    if let Some(f) = flow {
        if opts.app_layer {
            app_layer(j);
        }
        let app = [
            ("app_proto", f.app_proto),
            ("app_proto_ts", f.app_proto_ts),
            ("app_proto_tc", f.app_proto_tc),
            ("app_proto_orig", f.app_proto_orig),
            ("app_proto_expected", f.app_proto_expected),
        ];
        for (i, (key, val)) in app.into_iter().enumerate() {
            if !val.is_empty() && (i == 0 || val != f.app_proto) {
                j.set_str(key, val);
            }
        }
        j.set_str(
            "direction",
            if f.to_server {
                "to_server"
            } else {
                "to_client"
            },
        );
        if opts.flow {
            j.open_object("flow");
            j.set_u64("pkts_toserver", f.pkts_toserver);
            j.set_u64("pkts_toclient", f.pkts_toclient);
            j.set_u64("bytes_toserver", f.bytes_toserver);
            j.set_u64("bytes_toclient", f.bytes_toclient);
            j.set_ts("start", f.start);
            if let Some((src, dst)) = h.ip {
                // The flow's to-server orientation, from the packet's addresses. Ports
                // are printed when the packet's source port is not 0 (as Suricata).
                let ports = has_ports(h.proto) && h.sp > 0;
                let (s, d, sp, dp) = if f.to_server {
                    (src, dst, h.sp, h.dp)
                } else {
                    (dst, src, h.dp, h.sp)
                };
                j.set_ip("src_ip", s);
                j.set_ip("dest_ip", d);
                if ports {
                    j.set_u64("src_port", sp as u64);
                    j.set_u64("dest_port", dp as u64);
                }
            }
            j.close();
        }
    }

    if opts.payload || opts.payload_printable {
        let stream = h.proto == 6 && pkt.stream.is_some();
        let data = match pkt.stream {
            Some(s) if stream => {
                // Suricata's stream buffer keeps one byte free: at most size - 1 bytes.
                let max = (opts.payload_buffer_size as usize).saturating_sub(1);
                let s = &s[..max.min(s.len())];
                if !s.is_empty() {
                    Some(s)
                } else {
                    // No stream data: the packet payload, if any.
                    (!pkt.payload.is_empty()).then_some(pkt.payload)
                }
            }
            _ => Some(pkt.payload),
        };
        if let Some(data) = data {
            if opts.payload && !data.is_empty() {
                set_base64(j, "payload", data);
            }
            if opts.payload_printable {
                set_printable(j, "payload_printable", data);
            }
        }
        j.set_u64("stream", stream as u64);
    }

    if opts.packet && !pkt.data.is_empty() {
        set_base64(j, "packet", pkt.data);
        j.open_object("packet_info");
        j.set_u64("linktype", pkt.linktype as u64);
        j.close();
    }

    if opts.verdict {
        write_verdict(j, h.proto, &pkt.verdict);
    }
}

/// The `verdict` object: a rejected packet is `drop` in IPS mode and `alert` in IDS mode,
/// with the reject target and what is sent (`tcp-reset` for TCP, `icmp-prohib` for UDP and
/// ICMP); otherwise `drop` (dropped in IPS mode), `pass` or `alert`.
fn write_verdict(j: &mut JsonBuf, proto: u8, v: &PacketVerdict) {
    j.open_object("verdict");
    if let Some(t) = v.reject {
        j.set_str("action", if v.ips { "drop" } else { "alert" });
        j.set_str("reject-target", t.name());
        j.open_array("reject");
        match proto {
            6 => {
                j.append_str("tcp-reset");
            }
            1 | 17 | 58 => {
                j.append_str("icmp-prohib");
            }
            _ => {}
        }
        j.close();
    } else if v.drop && v.ips {
        j.set_str("action", "drop");
    } else if v.pass {
        j.set_str("action", "pass");
    } else {
        j.set_str("action", "alert");
    }
    j.close();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: u64, us: u32) -> Timestamp {
        Timestamp::new(s, us * 1000)
    }

    fn hdr(ip: Option<(IpAddr, IpAddr)>, proto: u8, sp: u16, dp: u16) -> PacketHeader<'static> {
        PacketHeader {
            ts: ts(1_464_332_171, 701_229),
            flow_id: Some(1),
            pcap_cnt: 7,
            vlan: &[],
            ip,
            proto,
            sp,
            dp,
            icmp: None,
            pkt_src: PktSrc::Wire,
        }
    }

    fn v4(a: &str, b: &str) -> Option<(IpAddr, IpAddr)> {
        Some((a.parse().unwrap(), b.parse().unwrap()))
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (inp, out) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            let mut v = Vec::new();
            base64_into(&mut v, inp.as_bytes());
            assert_eq!(std::str::from_utf8(&v).unwrap(), out, "{inp:?}");
        }
    }

    #[test]
    fn printable_keeps_ascii_cr_lf_only() {
        let mut v = Vec::new();
        // 'A', TAB, CR, LF, NUL, 0x7f, 0x80, 0xff, '~', ' '
        printable_into(&mut v, b"A\t\r\n\x00\x7f\x80\xff~ ");
        assert_eq!(v, b"A.\r\n....~ ");
    }

    fn metadata_json(pairs: &[(&str, &str)]) -> String {
        let md: Vec<(Arc<str>, Arc<str>)> = pairs
            .iter()
            .map(|(k, v)| (Arc::from(*k), Arc::from(*v)))
            .collect();
        let mut j = JsonBuf::new();
        set_metadata(&mut j, &md);
        j.close_all();
        j.as_str().to_string()
    }

    #[test]
    fn metadata_like_suricata() {
        // Expected strings: Suricata 7.0.10's eve.json for rules with these metadata.
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[], "{}"),
            (
                &[("tag", "one"), ("tag", "two"), ("created_at", "2020_01_01")],
                r#"{"metadata":{"created_at":["2020_01_01"],"tag":["two","one"]}}"#,
            ),
            (
                &[("a", "1"), ("b", "2"), ("a", "3"), ("c", "x y")],
                r#"{"metadata":{"a":["3","1"],"b":["2"],"c":["x y"]}}"#,
            ),
            (
                &[
                    ("zeta", "1"),
                    ("mid", "2"),
                    ("alpha", "3"),
                    ("zeta", "4"),
                    ("beta", "5"),
                    ("mid", "6"),
                    ("Alpha", "7"),
                ],
                r#"{"metadata":{"Alpha":["7","3"],"beta":["5"],"mid":["6","2"],"zeta":["4","1"]}}"#,
            ),
            (
                &[
                    ("Bb", "1"),
                    ("aa", "2"),
                    ("bb", "3"),
                    ("AA", "4"),
                    ("Cc", "5"),
                    ("_x", "6"),
                    ("Zz", "7"),
                ],
                r#"{"metadata":{"_x":["6"],"AA":["4","2"],"bb":["3","1"],"Cc":["5"],"Zz":["7"]}}"#,
            ),
            (
                &[("key", "v1"), ("key", "v1"), ("k3", "a\\\\b")],
                r#"{"metadata":{"k3":["a\\\\b"],"key":["v1","v1"]}}"#,
            ),
        ];
        for (pairs, want) in cases {
            assert_eq!(metadata_json(pairs), *want, "{pairs:?}");
        }
    }

    #[test]
    fn action_rules() {
        use AlertAction::*;
        // (drops, rejects, ips) -> action
        for (d, r, ips, want) in [
            (false, false, false, Allowed),
            (false, false, true, Allowed),
            (true, false, false, Allowed),
            (true, false, true, Blocked),
            (true, true, false, Blocked),
            (true, true, true, Blocked),
        ] {
            assert_eq!(AlertAction::for_rule(d, r, ips), want, "{d} {r} {ips}");
        }
    }

    #[test]
    fn target_src_swaps_source_and_target() {
        let h = hdr(v4("2.2.2.3", "2.2.2.2"), 17, 12345, 514);
        let a = AlertInfo {
            sid: 1007,
            target: Some(AlertTarget::Src),
            ..Default::default()
        };
        let mut j = JsonBuf::new();
        write_alert(
            &mut j,
            &h,
            &a,
            &AlertOptions::default(),
            None,
            &AlertPacket::default(),
        );
        j.close_all();
        assert!(j.as_str().contains(
            r#""source":{"ip":"2.2.2.2","port":514},"target":{"ip":"2.2.2.3","port":12345}"#
        ));
    }

    #[test]
    fn flow_ports_omitted_when_packet_source_port_is_zero() {
        let h = hdr(v4("10.0.0.1", "10.0.0.2"), 6, 0, 80);
        let f = FlowSnapshot {
            to_server: true,
            ..Default::default()
        };
        let mut j = JsonBuf::new();
        let opts = AlertOptions::default();
        write_alert(
            &mut j,
            &h,
            &AlertInfo::default(),
            &opts,
            Some(&f),
            &AlertPacket::default(),
        );
        j.close_all();
        assert!(j
            .as_str()
            .ends_with(r#""src_ip":"10.0.0.1","dest_ip":"10.0.0.2"}}"#));
    }

    #[test]
    fn stream_payload_rules() {
        let h = hdr(v4("10.0.0.1", "10.0.0.2"), 6, 1, 2);
        let opts = AlertOptions {
            payload: true,
            payload_printable: true,
            payload_buffer_size: 4,
            ..Default::default()
        };
        let case = |payload: &'static [u8], stream: Option<&'static [u8]>| {
            let mut j = JsonBuf::new();
            let p = AlertPacket {
                payload,
                stream,
                ..Default::default()
            };
            write_alert(&mut j, &h, &AlertInfo::default(), &opts, None, &p);
            j.close_all();
            let s = j.as_str();
            let end = r#""severity":3}"#;
            s[s.find(end).unwrap() + end.len()..].to_string()
        };
        // packet match: empty payload gives no base64, an empty printable
        assert_eq!(case(b"", None), r#","payload_printable":"","stream":0}"#);
        assert_eq!(
            case(b"ab", None),
            r#","payload":"YWI=","payload_printable":"ab","stream":0}"#
        );
        // stream match: the stream data, cut at payload-buffer-size - 1 (Suricata with
        // payload-buffer-size 10 logs "GET / HTT" of a longer request)
        assert_eq!(
            case(b"ab", Some(b"GET /x")),
            r#","payload":"R0VU","payload_printable":"GET","stream":1}"#
        );
        assert_eq!(
            case(b"ab", Some(b"GE")),
            r#","payload":"R0U=","payload_printable":"GE","stream":1}"#
        );
        // stream match without stream data: packet payload, or nothing
        assert_eq!(
            case(b"ab", Some(b"")),
            r#","payload":"YWI=","payload_printable":"ab","stream":1}"#
        );
        assert_eq!(case(b"", Some(b"")), r#","stream":1}"#);
    }

    #[test]
    fn verdicts() {
        let v = |proto: u8, ips: bool, drop: bool, reject: Option<RejectTarget>, pass: bool| {
            let mut j = JsonBuf::new();
            write_verdict(
                &mut j,
                proto,
                &PacketVerdict {
                    ips,
                    drop,
                    reject,
                    pass,
                },
            );
            j.close_all();
            j.as_str().to_string()
        };
        use RejectTarget::*;
        let r = |s: &str| format!("{{\"verdict\":{s}}}");
        assert_eq!(v(6, false, false, None, false), r(r#"{"action":"alert"}"#));
        assert_eq!(v(6, false, true, None, false), r(r#"{"action":"alert"}"#));
        assert_eq!(v(6, true, true, None, false), r(r#"{"action":"drop"}"#));
        assert_eq!(v(6, false, false, None, true), r(r#"{"action":"pass"}"#));
        assert_eq!(
            v(6, false, true, Some(ToClient), false),
            r(r#"{"action":"alert","reject-target":"to_client","reject":["tcp-reset"]}"#)
        );
        assert_eq!(
            v(17, true, true, Some(Both), false),
            r(r#"{"action":"drop","reject-target":"both","reject":["icmp-prohib"]}"#)
        );
        assert_eq!(
            v(47, true, true, Some(ToServer), false),
            r(r#"{"action":"drop","reject-target":"to_server","reject":[]}"#)
        );
    }

    #[test]
    fn no_ip_record() {
        // Suricata 7.0.10 on a 10-byte Ethernet frame with a decoder-event rule.
        let h = PacketHeader {
            ts: ts(1_700_000_000, 123_456),
            flow_id: None,
            pcap_cnt: 1,
            vlan: &[],
            ip: None,
            proto: 0,
            sp: 0,
            dp: 0,
            icmp: None,
            pkt_src: PktSrc::Wire,
        };
        let a = AlertInfo {
            sid: 4001,
            signature: "eth small",
            category: "Generic Protocol Command Decode",
            target: Some(AlertTarget::Dst),
            ..Default::default()
        };
        let mut j = JsonBuf::new();
        write_alert(
            &mut j,
            &h,
            &a,
            &AlertOptions::default(),
            None,
            &AlertPacket::default(),
        );
        j.close_all();
        assert_eq!(
            j.as_str(),
            r#"{"timestamp":"2023-11-14T22:13:20.123456+0000","pcap_cnt":1,"event_type":"alert","pkt_src":"wire/pcap","alert":{"action":"allowed","gid":1,"signature_id":4001,"rev":0,"signature":"eth small","category":"Generic Protocol Command Decode","severity":3}}"#
        );
    }

    #[test]
    fn proto_names_like_suricata() {
        // (number, Suricata 7.0.10's name): spot checks of its output, incl. the ones
        // that differ from other tables.
        for (n, name) in [
            (0, Some("HOPOPT")),
            (4, Some("IP-in-IP")),
            (41, Some("IPv6")),
            (58, Some("IPv6-ICMP")),
            (61, Some("Any")),
            (89, Some("OSPF")),
            (94, Some("OS")),
            (99, Some("Any")),
            (107, Some("A/N")),
            (143, Some("Ethernet")),
            (144, None),
            (255, None),
        ] {
            assert_eq!(suricata_proto_name(n), name, "{n}");
        }
    }
}
