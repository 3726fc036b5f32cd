//! Flow tracking, after Suricata 7's flow engine.
//!
//! Each worker owns one [`FlowTable`] (no locks, no shared state). Per packet the engine
//! calls [`FlowTable::lookup_or_create`], which finds the packet's flow in either
//! direction or creates it, and updates the flow's counters, timestamps, TTLs, TCP flags
//! and state. Time comes from packets only: [`FlowTable::expire`] is called with the
//! packet time (cheap when nothing is due; it does a bounded amount of work once per
//! second of packet time) and [`FlowTable::flush_all`] at the end of the input. Ended
//! flows come out as [`FlowRecord`]s, ready for the EVE `flow` and `netflow` writers.
//!
//! # Which packets get a flow (Suricata 7.0.10)
//!
//! Suricata sets a packet up for flow handling (`FlowSetupPacket`) in the TCP, UDP,
//! SCTP, ICMPv4, ICMPv6 and ESP decoders, once their header decoded, and for an IPv4
//! packet carrying IPv6 (protocol 41, 6in4; EVE proto "IPv6", no ports, every packet
//! counted to server). Nothing else gets a flow: not GRE, OSPF, EIGRP, IGMP, PIM,
//! IPv4-in-IPv4, IPv6-in-IPv6, AH-only or other IP protocols, not ARP,
//! not IP fragments (only the reassembled datagram, decoded again, does), not packets
//! whose decoding failed. Checked with Suricata 7.0.10 on captures from
//! /work/shared/pcaps: a GRE capture gives flows for the inner ICMP and UDP only, an
//! EIGRP capture gives none. Tunnel inner packets get their own flows, one recursion
//! level deeper, and so does a tunnel's outer UDP packet (VXLAN, Teredo, ...).
//!
//! ICMPv4 error messages (destination unreachable, source quench, redirect, time
//! exceeded, parameter problem) never create a flow. A destination unreachable whose
//! embedded packet is TCP or UDP is counted in the flow of that embedded tuple, if that
//! flow exists; other ICMPv4 errors get no flow. ICMPv6 errors are treated like any
//! other ICMPv6 message (Suricata 7 only special-cases ICMPv4).
//!
//! # Flow key
//!
//! Addresses, ports, IP protocol, tunnel recursion level and the three VLAN ids (zeroed
//! when `vlan.use-for-tracking` is off), matched in both directions. For ICMPv4 the
//! "ports" are the message type and its counterpart type (echo 8 <-> reply 0,
//! timestamp 13 <-> 14, info 15 <-> 16, router solicitation 10 <-> advertisement 9,
//! address mask 17 <-> 18; 0 when there is none), codes are not part of the key. For
//! ICMPv6 they are type|code<<8 and the counterpart type (echo 128/129, NS/NA 135/136,
//! RS/RA 133/134, MLD 130/131, node information 139/140, 144/145, 146/147, 148/149,
//! 151/152, 157/158). ESP flows are one-directional and keyed on the SPI. The key is
//! computed here from the decoded headers (`Packet::l4`), not from `Packet::sp/dp`.
//!
//! # When flows end (Suricata 7.0.10 reading a pcap file)
//!
//! Checked on captures from /work/shared/pcaps: Suricata's flow manager follows the
//! slowest thread's packet clock, which does not advance during a pcap run, so it
//! times nothing out (`flow.mgr.flows_timeout` stays 0 on short captures). Flows end
//! when a later packet of the same tuple finds them timed out (reason "timeout",
//! `flow.wrk.flows_evicted`; a new flow starts), on TCP port reuse, when evicted for
//! room in emergency mode ("forced"), or at shutdown ("shutdown"). That is the default
//! here ([`FlowConfig::manager_timeouts`] off). The flow's `end` never moves back when
//! capture time does.
//!
//! The EVE `timestamp` of a flow record is Suricata's clock when it logs the flow: the
//! time of the packet that ended it ([`FlowRecord::ended_at`]) and, for flows logged at
//! shutdown, the time of the last packet read with `--runmode single` (with the default
//! autofp runmode it depends on thread scheduling). Against
//! `ntop_nDPI__tests_cfgs_default_pcap_ipsec_isakmp_esp.pcap` (834 packets, time going
//! back and forth) this gives Suricata's 63 flows with identical counters.
//!
//! # Counted bytes
//!
//! Suricata adds `GET_PKT_LEN(p)` per packet: the captured frame length for a packet
//! from the wire, the length from the inner IP header to the end of the frame for a
//! tunnel's inner packet, the rebuilt length for a reassembled datagram. Here that is
//! `Packet::caplen` (the engine sets it to the rebuilt length, link header included, for a
//! reassembled datagram; for other packets it is `data.len()`).
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::net::IpAddr;

pub use palisade_decode::Timestamp;
use palisade_decode::{Packet, L4};

pub mod tcp;
pub use tcp::{TcpSeg, TcpSession, TcpState};

/// Memory Suricata 7.0.10 (x86_64) accounts per flow (`sizeof(Flow)` plus flow
/// storage), derived from its `flow.memuse` stats counter (hash 65536, prealloc 10000:
/// 7154304 = 65536 * 64 + 10000 * 296).
pub const FLOW_MEM_COST: u64 = 296;
/// Memory Suricata accounts per flow hash row.
pub const HASH_ROW_COST: u64 = 64;
/// How many flows a worker takes from the shared spare pool at once.
const SPARE_BLOCK: u64 = 100;
/// How many hash rows Suricata's `FlowGetUsedFlow` looks at before giving up.
const GET_USED_TRIES: u32 = 5;

/// Which way a packet goes in its flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    ToServer,
    ToClient,
}

impl Direction {
    pub fn flip(self) -> Direction {
        match self {
            Direction::ToServer => Direction::ToClient,
            Direction::ToClient => Direction::ToServer,
        }
    }
}

/// Flow state, as logged in EVE `flow.state`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum FlowState {
    #[default]
    New,
    Established,
    Closed,
    LocalBypassed,
}

impl FlowState {
    pub fn name(self) -> &'static str {
        match self {
            FlowState::New => "new",
            FlowState::Established => "established",
            FlowState::Closed => "closed",
            FlowState::LocalBypassed => "bypassed",
        }
    }
}

/// Why a flow ended, as logged in EVE `flow.reason`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EndReason {
    /// Timed out (also: replaced by a new TCP session on the same tuple).
    Timeout,
    /// Evicted to make room for a new flow when the memcap was reached.
    Forced,
    /// Still alive at the end of the input.
    Shutdown,
}

impl EndReason {
    pub fn name(self) -> &'static str {
        match self {
            EndReason::Timeout => "timeout",
            EndReason::Forced => "forced",
            EndReason::Shutdown => "shutdown",
        }
    }
}

/// Timeouts of one protocol class, in seconds (`flow-timeouts.<proto>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProtoTimeouts {
    pub new: u32,
    pub established: u32,
    pub closed: u32,
    pub bypassed: u32,
    pub emergency_new: u32,
    pub emergency_established: u32,
    pub emergency_closed: u32,
    pub emergency_bypassed: u32,
}

impl ProtoTimeouts {
    fn get(&self, state: FlowState, emergency: bool) -> u32 {
        match (state, emergency) {
            (FlowState::New, false) => self.new,
            (FlowState::Established, false) => self.established,
            (FlowState::Closed, false) => self.closed,
            (FlowState::LocalBypassed, false) => self.bypassed,
            (FlowState::New, true) => self.emergency_new,
            (FlowState::Established, true) => self.emergency_established,
            (FlowState::Closed, true) => self.emergency_closed,
            (FlowState::LocalBypassed, true) => self.emergency_bypassed,
        }
    }
}

/// `flow-timeouts`: Suricata maps TCP, UDP, ICMP (v4 and v6) to their own entry and
/// every other protocol (SCTP, ESP) to `default`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowTimeouts {
    pub default: ProtoTimeouts,
    pub tcp: ProtoTimeouts,
    pub udp: ProtoTimeouts,
    pub icmp: ProtoTimeouts,
}

impl Default for FlowTimeouts {
    /// The values of the suricata.yaml shipped with Suricata 7.0.10 (UDP and ICMP have
    /// no `closed` entries there and take `default`'s).
    fn default() -> Self {
        let default = ProtoTimeouts {
            new: 30,
            established: 300,
            closed: 0,
            bypassed: 100,
            emergency_new: 10,
            emergency_established: 100,
            emergency_closed: 0,
            emergency_bypassed: 50,
        };
        FlowTimeouts {
            default,
            tcp: ProtoTimeouts {
                new: 60,
                established: 600,
                closed: 60,
                bypassed: 100,
                emergency_new: 5,
                emergency_established: 100,
                emergency_closed: 10,
                emergency_bypassed: 50,
            },
            udp: default,
            icmp: default,
        }
    }
}

impl FlowTimeouts {
    pub fn for_proto(&self, proto: u8) -> &ProtoTimeouts {
        match proto {
            6 => &self.tcp,
            17 => &self.udp,
            1 | 58 => &self.icmp,
            _ => &self.default,
        }
    }
}

/// Flow engine settings (`flow:`, `flow-timeouts:`, `vlan.use-for-tracking`,
/// `stream.midstream`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowConfig {
    /// `flow.memcap` in bytes. Suricata's built-in default is 32 MiB; the shipped
    /// suricata.yaml sets 128mb.
    pub memcap: u64,
    /// `flow.hash-size` (only used for memory accounting and `flow.mgr.rows_per_sec`).
    pub hash_size: u32,
    /// `flow.prealloc`: size of the spare pool kept ready.
    pub prealloc: u32,
    /// `flow.emergency-recovery`: percentage of `prealloc` that must be free again to
    /// leave emergency mode.
    pub emergency_recovery: u32,
    /// `vlan.use-for-tracking`.
    pub vlan_use_for_tracking: bool,
    /// `stream.midstream`: TCP sessions may start on a non-SYN packet.
    pub midstream: bool,
    /// Let [`FlowTable::expire`] time flows out (the flow manager's job). Off by
    /// default, which reproduces Suricata 7.0.10 reading a pcap file: its flow manager
    /// follows the slowest thread's packet clock, which in practice does not advance
    /// during the run, so flows end only when a packet of the same tuple finds them
    /// timed out (`flow.wrk.flows_evicted`), on TCP port reuse, when evicted for room
    /// in emergency mode, or at shutdown. Turn it on for live capture. Even when off,
    /// flows are timed out on packet time while the table holds more than `prealloc`
    /// flows, so that memory follows the live flows of a long capture.
    pub manager_timeouts: bool,
    /// The TCP session is tracked outside the table (by the stream engine), which keeps
    /// [`Flow::tcp`] and [`Flow::state`] current with [`FlowTable::set_tcp`]. When off,
    /// the table's own flags-only tracker ([`tcp`]) does it.
    pub external_tcp: bool,
    pub timeouts: FlowTimeouts,
}

impl Default for FlowConfig {
    fn default() -> Self {
        FlowConfig {
            memcap: 32 * 1024 * 1024,
            hash_size: 65536,
            prealloc: 10000,
            emergency_recovery: 30,
            vlan_use_for_tracking: true,
            midstream: false,
            manager_timeouts: false,
            external_tcp: false,
            timeouts: FlowTimeouts::default(),
        }
    }
}

/// The normalised (direction-free) key a flow is found by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FlowKey {
    /// Lower endpoint address (16 bytes; IPv4 in the first 4).
    pub addr_lo: [u8; 16],
    pub addr_hi: [u8; 16],
    pub port_lo: u16,
    pub port_hi: u16,
    pub proto: u8,
    pub ipv6: bool,
    pub recursion_level: u8,
    pub vlan: [u16; 3],
}

fn addr_bytes(a: IpAddr) -> [u8; 16] {
    match a {
        IpAddr::V4(v4) => {
            let mut b = [0u8; 16];
            b[..4].copy_from_slice(&v4.octets());
            b
        }
        IpAddr::V6(v6) => v6.octets(),
    }
}

impl FlowKey {
    /// Builds the bidirectional key of a tuple.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        src: IpAddr,
        dst: IpAddr,
        sp: u16,
        dp: u16,
        proto: u8,
        recursion_level: u8,
        vlan: [u16; 3],
    ) -> FlowKey {
        let a = (addr_bytes(src), sp);
        let b = (addr_bytes(dst), dp);
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        FlowKey {
            addr_lo: lo.0,
            addr_hi: hi.0,
            port_lo: lo.1,
            port_hi: hi.1,
            proto,
            ipv6: src.is_ipv6(),
            recursion_level,
            vlan,
        }
    }

    /// A one-directional key (ESP: each direction has its own SPI and flow).
    fn one_way(src: IpAddr, dst: IpAddr, spi: u32, recursion_level: u8, vlan: [u16; 3]) -> Self {
        FlowKey {
            addr_lo: addr_bytes(src),
            addr_hi: addr_bytes(dst),
            port_lo: (spi >> 16) as u16,
            port_hi: spi as u16,
            proto: 50,
            ipv6: src.is_ipv6(),
            recursion_level,
            vlan,
        }
    }
}

/// ICMPv4 request/reply counterpart type, as Suricata pairs them.
pub fn icmpv4_counterpart(t: u8) -> Option<u8> {
    Some(match t {
        8 => 0,
        0 => 8,
        13 => 14,
        14 => 13,
        15 => 16,
        16 => 15,
        10 => 9,
        9 => 10,
        17 => 18,
        18 => 17,
        _ => return None,
    })
}

/// ICMPv6 request/reply counterpart type, as Suricata pairs them.
pub fn icmpv6_counterpart(t: u8) -> Option<u8> {
    const PAIRS: [(u8, u8); 10] = [
        (128, 129),
        (135, 136),
        (133, 134),
        (130, 131),
        (139, 140),
        (144, 145),
        (146, 147),
        (148, 149),
        (151, 152),
        (157, 158),
    ];
    PAIRS.iter().find_map(|&(a, b)| {
        if t == a {
            Some(b)
        } else if t == b {
            Some(a)
        } else {
            None
        }
    })
}

/// ICMPv4 error message types (never create a flow).
pub fn icmpv4_is_error(t: u8) -> bool {
    matches!(t, 3 | 4 | 5 | 11 | 12)
}

/// A flow. Fields describe the flow as created by its first packet (`src` is the first
/// packet's source); [`Flow::reversed`] tells that the client turned out to be `dst`.
#[derive(Clone, Copy, Debug)]
pub struct Flow {
    /// Flow id as printed in EVE (51 bits, never 0).
    pub id: u64,
    pub src: IpAddr,
    pub dst: IpAddr,
    /// Ports of the first packet (0 for ICMP and ESP).
    pub sp: u16,
    pub dp: u16,
    pub proto: u8,
    pub vlan: [u16; 3],
    pub vlan_count: u8,
    pub recursion_level: u8,
    /// ICMP type/code of the first packet and of the expected response.
    pub icmp_type: u8,
    pub icmp_code: u8,
    pub response_icmp_type: u8,
    pub response_icmp_code: u8,
    /// ESP security parameter index.
    pub spi: u32,
    pub start: Timestamp,
    pub last: Timestamp,
    pub pkts_toserver: u64,
    pub pkts_toclient: u64,
    pub bytes_toserver: u64,
    pub bytes_toclient: u64,
    /// 0 until a packet was seen in that direction.
    pub min_ttl_toserver: u8,
    pub max_ttl_toserver: u8,
    pub min_ttl_toclient: u8,
    pub max_ttl_toclient: u8,
    pub state: FlowState,
    /// TCP session, when one was started (see [`tcp`]).
    pub tcp: Option<TcpSession>,
    /// Suricata's `FLOW_DIR_REVERSED`: the first packet came from the server.
    pub reversed: bool,
    /// An alert was raised on this flow (set by the engine).
    pub alerted: bool,
    /// Application protocol names ("" while unknown); set by the app layer.
    pub app_proto: &'static str,
    pub app_proto_ts: &'static str,
    pub app_proto_tc: &'static str,
    seen_toserver: bool,
    seen_toclient: bool,
    key: FlowKey,
}

impl Flow {
    fn ttl_update(&mut self, dir: Direction, ttl: u8) {
        let (min, max) = match dir {
            Direction::ToServer => (&mut self.min_ttl_toserver, &mut self.max_ttl_toserver),
            Direction::ToClient => (&mut self.min_ttl_toclient, &mut self.max_ttl_toclient),
        };
        if *min == 0 || ttl < *min {
            *min = ttl;
        }
        if *max == 0 || ttl > *max {
            *max = ttl;
        }
    }

    /// Suricata's `FlowGetPacketDirection`.
    fn direction_of(&self, proto: u8, src: IpAddr, sp: u16, dp: u16) -> Direction {
        let d = match proto {
            6 | 17 | 132 => {
                if sp != dp {
                    if self.sp == sp {
                        Direction::ToServer
                    } else {
                        Direction::ToClient
                    }
                } else if self.src == src {
                    Direction::ToServer
                } else {
                    Direction::ToClient
                }
            }
            1 | 58 => {
                if self.src == src {
                    Direction::ToServer
                } else {
                    Direction::ToClient
                }
            }
            _ => return Direction::ToServer,
        };
        if self.reversed {
            d.flip()
        } else {
            d
        }
    }

    /// Swaps the flow's direction (Suricata's `FlowSwap`): the header stays, `reversed`
    /// is set and the per-direction data is exchanged.
    pub fn swap(&mut self) {
        self.reversed = !self.reversed;
        std::mem::swap(&mut self.pkts_toserver, &mut self.pkts_toclient);
        std::mem::swap(&mut self.bytes_toserver, &mut self.bytes_toclient);
        std::mem::swap(&mut self.min_ttl_toserver, &mut self.min_ttl_toclient);
        std::mem::swap(&mut self.max_ttl_toserver, &mut self.max_ttl_toclient);
        std::mem::swap(&mut self.app_proto_ts, &mut self.app_proto_tc);
        std::mem::swap(&mut self.seen_toserver, &mut self.seen_toclient);
        if let Some(t) = self.tcp.as_mut() {
            std::mem::swap(&mut t.flags_ts, &mut t.flags_tc);
            std::mem::swap(&mut t.client_isn, &mut t.server_isn);
        }
    }

    /// The flow's key.
    pub fn key(&self) -> &FlowKey {
        &self.key
    }
}

/// An ended flow, for the `flow` and `netflow` loggers.
#[derive(Clone, Copy, Debug)]
pub struct FlowRecord {
    pub flow: Flow,
    pub reason: EndReason,
    /// Ended while the engine was in emergency mode (EVE `flow.emergency: true`).
    pub emergency: bool,
    /// Packet time at which the flow was ended: the time of the packet whose lookup
    /// ended it, or the time given to [`FlowTable::expire`]; `None` for
    /// [`FlowTable::flush_all`]. Suricata prints its clock at logging time as the
    /// record's `timestamp`: use this, and for shutdown records the time of the last
    /// packet read (Suricata `--runmode single`; see the crate docs).
    pub ended_at: Option<Timestamp>,
    /// The table slot the flow occupied (see [`FlowHandle::slot`]): lets the owner of
    /// per-flow state kept beside the table release it.
    pub slot: u32,
}

/// Handle of a live flow in a [`FlowTable`]; stale once the flow ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FlowHandle {
    idx: u32,
    gen: u32,
}

impl FlowHandle {
    /// The slot index of the flow, stable while it lives and below
    /// [`FlowTable::slot_count`]. Per-flow state kept beside the table can be indexed
    /// by it; when a flow ends its [`FlowRecord::slot`] names the slot to release —
    /// before the slot is given to a new flow's packet (see [`FlowTable::take_ended`]).
    pub fn slot(self) -> u32 {
        self.idx
    }
}

/// Flow counters, with Suricata's stats names (see [`FlowCounters::for_each`]).
#[derive(Clone, Debug, Default)]
pub struct FlowCounters {
    pub memcap: u64,
    pub total: u64,
    pub tcp: u64,
    pub udp: u64,
    pub icmpv4: u64,
    pub icmpv6: u64,
    pub tcp_reuse: u64,
    pub get_used: u64,
    pub get_used_eval: u64,
    pub get_used_eval_reject: u64,
    pub get_used_eval_busy: u64,
    pub get_used_failed: u64,
    pub spare_sync_sum: u64,
    pub spare_sync: u64,
    pub spare_sync_incomplete: u64,
    pub spare_sync_empty: u64,
    pub wrk_flows_evicted: u64,
    pub end_state: [u64; 5],
    pub end_tcp_state: [u64; 11],
    pub mgr_full_hash_pass: u64,
    pub mgr_rows_maxlen: u64,
    pub mgr_flows_checked: u64,
    pub mgr_flows_notimeout: u64,
    pub mgr_flows_timeout: u64,
    pub emerg_mode_entered: u64,
    pub emerg_mode_over: u64,
    pub recycled: u64,
    pub recycler_queue_max: u64,
}

#[derive(Clone, Debug)]
struct Slot {
    gen: u32,
    flow: Option<Flow>,
}

/// How a packet relates to flows.
#[derive(Clone, Copy)]
enum Lookup {
    /// Find or create the flow of this key.
    Normal,
    /// ICMPv4 destination unreachable: only find the flow of the embedded tuple.
    Embedded,
}

#[derive(Clone, Copy)]
struct Tuple {
    key: FlowKey,
    kind: Lookup,
    src: IpAddr,
    dst: IpAddr,
    sp: u16,
    dp: u16,
    proto: u8,
    icmp: Option<(u8, u8, u8)>,
    spi: u32,
    ttl: u8,
    tcp: Option<tcp::TcpSeg>,
    icmpv4_error: bool,
}

/// Decides whether and how a packet takes part in flow tracking.
fn classify(pkt: &Packet, vlan_tracking: bool) -> Option<Tuple> {
    // A packet takes part in flow tracking when its decoders went through (Suricata's
    // FlowSetupPacket at the end of a successful transport decode): a packet marked
    // invalid by an event that does not stop decoding (bad TCP option lengths) still
    // counts to its flow.
    if pkt.failed || pkt.fragment.is_some() {
        return None;
    }
    let ip = pkt.ip?;
    let vlan = if vlan_tracking { pkt.vlan } else { [0; 3] };
    let level = pkt.tunnel_level;
    let (src, dst) = (ip.src, ip.dst);
    let mut t = Tuple {
        key: FlowKey::new(src, dst, 0, 0, 0, level, vlan),
        kind: Lookup::Normal,
        src,
        dst,
        sp: 0,
        dp: 0,
        proto: ip.proto,
        icmp: None,
        spi: 0,
        ttl: ip.ttl,
        tcp: None,
        icmpv4_error: false,
    };
    match pkt.l4 {
        L4::Tcp(th) => {
            t.proto = 6;
            t.sp = pkt.sp;
            t.dp = pkt.dp;
            t.tcp = Some(tcp::TcpSeg {
                flags: th.flags,
                seq: th.seq,
                ack: th.ack,
                len: pkt.payload_len,
            });
        }
        L4::Udp(_) => {
            t.proto = 17;
            t.sp = pkt.sp;
            t.dp = pkt.dp;
        }
        L4::Sctp => {
            t.proto = 132;
            t.sp = pkt.sp;
            t.dp = pkt.dp;
        }
        L4::Icmpv4(ic) => {
            t.proto = 1;
            if icmpv4_is_error(ic.itype) {
                t.icmpv4_error = true;
                let e = ic.embedded?;
                // Suricata's ICMPV4_DEST_UNREACH_IS_VALID: an unreachable whose embedded
                // TCP or UDP header is complete.
                if ic.itype != 3 || !matches!(e.proto, 6 | 17) || !pkt.icmp_emb_l4_complete {
                    return None;
                }
                t.kind = Lookup::Embedded;
                t.key = FlowKey::new(e.src, e.dst, e.sp, e.dp, e.proto, level, vlan);
                return Some(t);
            }
            let ctype = icmpv4_counterpart(ic.itype).unwrap_or(0);
            t.icmp = Some((ic.itype, ic.code, ctype));
            t.key = FlowKey::new(src, dst, ic.itype as u16, ctype as u16, 1, level, vlan);
            return Some(t);
        }
        L4::Icmpv6(ic) => {
            t.proto = 58;
            let ctype = icmpv6_counterpart(ic.itype).unwrap_or(0);
            t.icmp = Some((ic.itype, ic.code, ctype));
            let sp = ic.itype as u16 | (ic.code as u16) << 8;
            t.key = FlowKey::new(src, dst, sp, ctype as u16, 58, level, vlan);
            return Some(t);
        }
        L4::Other if ip.proto == 50 => {
            let start = (ip.offset as usize).checked_add(ip.hlen as usize)?;
            let hdr = pkt.data.get(start..start.checked_add(8)?)?;
            let spi = u32::from_be_bytes([hdr[0], hdr[1], hdr[2], hdr[3]]);
            t.proto = 50;
            t.spi = spi;
            t.key = FlowKey::one_way(src, dst, spi, level, vlan);
            return Some(t);
        }
        // IPv6 in IPv4 (6in4): Suricata sets the outer packet up for a flow too, keyed
        // on the addresses only (no ports), whether or not the inner packet decodes.
        _ if ip.version == 4 && ip.proto == 41 => {
            t.proto = 41;
        }
        _ => return None,
    }
    t.key = FlowKey::new(src, dst, t.sp, t.dp, t.proto, level, vlan);
    Some(t)
}

fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Flow id: a hash of the key, start time and creation sequence, reduced to 51 bits as
/// Suricata does so it stays an exact JSON/JavaScript integer.
fn flow_id(key: &FlowKey, start: Timestamp, seq: u64) -> u64 {
    let mut h = mix64(seq ^ 0x5041_4c49_5341_4445);
    let mut feed = |v: u64| h = mix64(h ^ v);
    for chunk in key
        .addr_lo
        .chunks_exact(8)
        .chain(key.addr_hi.chunks_exact(8))
    {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        feed(u64::from_le_bytes(b));
    }
    feed(
        (key.port_lo as u64)
            | (key.port_hi as u64) << 16
            | (key.proto as u64) << 32
            | (key.recursion_level as u64) << 40
            | (key.ipv6 as u64) << 48,
    );
    feed(key.vlan[0] as u64 | (key.vlan[1] as u64) << 16 | (key.vlan[2] as u64) << 32);
    feed(start.secs);
    feed(start.nanos as u64);
    let id = h & 0x7_ffff_ffff_ffff;
    if id == 0 {
        1
    } else {
        id
    }
}

/// One worker's flow table.
pub struct FlowTable {
    cfg: FlowConfig,
    map: HashMap<FlowKey, u32>,
    slots: Vec<Slot>,
    free: Vec<u32>,
    pending: Vec<FlowRecord>,
    live: u64,
    /// Flows allocated (live + spare), for memory accounting.
    allocated: u64,
    spare: u64,
    local_spare: u64,
    emergency: bool,
    emerg_spare_sync_stamp: u64,
    last_check: Option<u64>,
    cursor: usize,
    get_used_cursor: usize,
    seq: u64,
    counters: FlowCounters,
}

impl FlowTable {
    /// Creates a table; reserves room for `prealloc` flows up front.
    pub fn new(cfg: FlowConfig) -> FlowTable {
        let hash_cost = cfg.hash_size as u64 * HASH_ROW_COST;
        let room = cfg.memcap.saturating_sub(hash_cost) / FLOW_MEM_COST;
        let spare = (cfg.prealloc as u64).min(room);
        let cap = spare.min(1 << 20) as usize;
        FlowTable {
            cfg,
            map: HashMap::with_capacity(cap),
            slots: Vec::with_capacity(cap),
            free: Vec::with_capacity(cap),
            pending: Vec::with_capacity(64),
            live: 0,
            allocated: spare,
            spare,
            local_spare: 0,
            emergency: false,
            emerg_spare_sync_stamp: 0,
            last_check: None,
            cursor: 0,
            get_used_cursor: 0,
            seq: 0,
            counters: FlowCounters::default(),
        }
    }

    pub fn config(&self) -> &FlowConfig {
        &self.cfg
    }

    /// Number of live flows.
    pub fn len(&self) -> usize {
        self.live as usize
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Emergency mode (memcap reached, emergency timeouts in force).
    pub fn is_emergency(&self) -> bool {
        self.emergency
    }

    /// Memory accounted as Suricata does (`flow.memuse`).
    pub fn memuse(&self) -> u64 {
        self.cfg.hash_size as u64 * HASH_ROW_COST + self.allocated * FLOW_MEM_COST
    }

    pub fn counters(&self) -> &FlowCounters {
        &self.counters
    }

    pub fn get(&self, h: FlowHandle) -> Option<&Flow> {
        let s = self.slots.get(h.idx as usize)?;
        if s.gen != h.gen {
            return None;
        }
        s.flow.as_ref()
    }

    pub fn get_mut(&mut self, h: FlowHandle) -> Option<&mut Flow> {
        let s = self.slots.get_mut(h.idx as usize)?;
        if s.gen != h.gen {
            return None;
        }
        s.flow.as_mut()
    }

    fn timeout(&self, f: &Flow, emergency: bool) -> u64 {
        self.cfg.timeouts.for_proto(f.proto).get(f.state, emergency) as u64
    }

    /// Timed out as seen from a packet lookup (Suricata's `FlowIsTimedOut`).
    fn timed_out_lookup(&self, f: &Flow, now: u64) -> bool {
        let at = f.last.secs.saturating_add(self.timeout(f, false));
        if at < now {
            return true;
        }
        self.emergency && f.last.secs.saturating_add(self.timeout(f, true)) <= now
    }

    /// Timed out as seen from the flow manager.
    fn timed_out_mgr(&self, f: &Flow, now: u64) -> bool {
        let at = f.last.secs.saturating_add(self.timeout(f, self.emergency));
        at < now
    }

    /// Finds the packet's flow, creating it when needed, and accounts the packet to it.
    ///
    /// Returns the flow and the packet's direction in it, or `None` when the packet
    /// takes no part in flow tracking (see the crate documentation) or no flow could be
    /// had (memcap reached and no flow could be evicted). Flows ended on the way (timed
    /// out, replaced by TCP port reuse, evicted for room) are queued and handed out by
    /// the next [`FlowTable::expire`] or [`FlowTable::flush_all`].
    pub fn lookup_or_create(
        &mut self,
        pkt: &Packet,
        ts: Timestamp,
    ) -> Option<(FlowHandle, Direction)> {
        let t = classify(pkt, self.cfg.vlan_use_for_tracking)?;
        let now = ts.secs;
        if let Some(&idx) = self.map.get(&t.key) {
            let (timed_out, reuse) =
                match self.slots.get(idx as usize).and_then(|s| s.flow.as_ref()) {
                    Some(f) => {
                        let timed_out = self.timed_out_lookup(f, now);
                        let reuse =
                            !timed_out && matches!(t.kind, Lookup::Normal) && self.tcp_reuse(f, &t);
                        (timed_out, reuse)
                    }
                    None => (true, false),
                };
            if timed_out {
                self.end_flow(idx, EndReason::Timeout, self.emergency, Some(ts));
                self.counters.wrk_flows_evicted += 1;
            } else if reuse {
                self.counters.tcp_reuse += 1;
                self.end_flow(idx, EndReason::Timeout, false, Some(ts));
            } else {
                let gen = self.slots[idx as usize].gen;
                let dir = self.update(idx, &t, pkt, ts);
                return Some((FlowHandle { idx, gen }, dir));
            }
        }
        if matches!(t.kind, Lookup::Embedded) {
            return None;
        }
        if self.emergency && t.proto == 6 {
            let flags = t.tcp.map(|x| x.flags).unwrap_or(0);
            if self.cfg.midstream && flags != tcp::SYN {
                return None;
            }
        }
        let idx = self.alloc(ts)?;
        self.seq += 1;
        let (icmp_type, icmp_code, ctype) = t.icmp.unwrap_or((0, 0, 0));
        let (sp, dp) = if matches!(t.proto, 6 | 17 | 132) {
            (t.sp, t.dp)
        } else {
            (0, 0)
        };
        let vlan_count = pkt.vlan_count.min(3);
        let flow = Flow {
            id: flow_id(&t.key, ts, self.seq),
            src: t.src,
            dst: t.dst,
            sp,
            dp,
            proto: t.proto,
            vlan: pkt.vlan,
            vlan_count,
            recursion_level: pkt.tunnel_level,
            icmp_type,
            icmp_code,
            response_icmp_type: ctype,
            response_icmp_code: 0,
            spi: t.spi,
            start: ts,
            last: ts,
            pkts_toserver: 0,
            pkts_toclient: 0,
            bytes_toserver: 0,
            bytes_toclient: 0,
            min_ttl_toserver: 0,
            max_ttl_toserver: 0,
            min_ttl_toclient: 0,
            max_ttl_toclient: 0,
            state: FlowState::New,
            tcp: None,
            reversed: false,
            alerted: false,
            app_proto: "",
            app_proto_ts: "",
            app_proto_tc: "",
            seen_toserver: false,
            seen_toclient: false,
            key: t.key,
        };
        let slot = &mut self.slots[idx as usize];
        slot.flow = Some(flow);
        let gen = slot.gen;
        self.map.insert(t.key, idx);
        self.live += 1;
        self.counters.total += 1;
        match t.proto {
            6 => self.counters.tcp += 1,
            17 => self.counters.udp += 1,
            1 => self.counters.icmpv4 += 1,
            58 => self.counters.icmpv6 += 1,
            _ => {}
        }
        let dir = self.update(idx, &t, pkt, ts);
        Some((FlowHandle { idx, gen }, dir))
    }

    /// Suricata's `TcpSessionPacketSsnReuse`: a new SYN (or, with midstream, SYN/ACK)
    /// on a tuple whose session is closing or absent starts a new flow.
    fn tcp_reuse(&self, f: &Flow, t: &Tuple) -> bool {
        let Some(tcp::TcpSeg { flags, seq, .. }) = t.tcp else {
            return false;
        };
        if f.proto != 6 || flags & (tcp::RST | tcp::FIN) != 0 {
            return false;
        }
        let starter = if flags & (tcp::SYN | tcp::ACK) == tcp::SYN {
            1
        } else if self.cfg.midstream && flags & (tcp::SYN | tcp::ACK) == tcp::SYN | tcp::ACK {
            2
        } else {
            return false;
        };
        let Some(ssn) = f.tcp else {
            return true;
        };
        let dir = f.direction_of(t.proto, t.src, t.sp, t.dp);
        if starter == 1 && dir == Direction::ToServer && ssn.client_isn == seq {
            return false;
        }
        if starter == 2 && dir == Direction::ToClient && ssn.server_isn == seq {
            return false;
        }
        ssn.state >= TcpState::LastAck || ssn.state == TcpState::None
    }

    /// Accounts a packet to a live flow (Suricata's `FlowHandlePacketUpdate` plus the
    /// parts of the stream engine that feed EVE).
    fn update(&mut self, idx: u32, t: &Tuple, pkt: &Packet, ts: Timestamp) -> Direction {
        let midstream = self.cfg.midstream;
        let Some(f) = self
            .slots
            .get_mut(idx as usize)
            .and_then(|s| s.flow.as_mut())
        else {
            return Direction::ToServer;
        };
        let mut dir = f.direction_of(t.proto, t.src, t.sp, t.dp);
        let len = u64::from(pkt.caplen);
        match dir {
            Direction::ToServer => {
                f.pkts_toserver += 1;
                f.bytes_toserver += len;
                if !t.icmpv4_error {
                    f.seen_toserver = true;
                }
            }
            Direction::ToClient => {
                f.pkts_toclient += 1;
                f.bytes_toclient += len;
                if !t.icmpv4_error {
                    f.seen_toclient = true;
                }
            }
        }
        f.ttl_update(dir, t.ttl);
        // Never moves back when the capture goes back in time (as Suricata's).
        if ts > f.last {
            f.last = ts;
        }
        if f.seen_toserver && f.seen_toclient && f.proto != 6 && f.state == FlowState::New {
            f.state = FlowState::Established;
        }
        if let (6, Some(seg), false) = (f.proto, t.tcp, self.cfg.external_tcp) {
            match f.tcp.as_mut() {
                Some(s) => s.update(dir, seg),
                None => match TcpSession::start(seg, midstream) {
                    tcp::Start::None => {}
                    tcp::Start::Session(s) => f.tcp = Some(s),
                    tcp::Start::SessionReversed(s) => {
                        f.swap();
                        dir = dir.flip();
                        f.tcp = Some(s);
                    }
                },
            }
            if let Some(fs) = f.tcp.and_then(|s| s.state.flow_state()) {
                f.state = fs;
            }
        }
        dir
    }

    /// Gets a slot for a new flow, following Suricata's spare pool / memcap logic.
    fn alloc(&mut self, ts: Timestamp) -> Option<u32> {
        let now = ts.secs;
        let mut have = false;
        if self.local_spare > 0 {
            self.local_spare -= 1;
            have = true;
        } else if !self.emergency || now > self.emerg_spare_sync_stamp {
            let take = self.spare.min(SPARE_BLOCK);
            self.spare -= take;
            self.counters.spare_sync += 1;
            if take > 0 {
                self.counters.spare_sync_sum += take;
                if take < SPARE_BLOCK {
                    self.counters.spare_sync_incomplete += 1;
                }
                self.local_spare = take - 1;
                have = true;
            } else {
                self.counters.spare_sync_empty += 1;
                if self.emergency {
                    self.emerg_spare_sync_stamp = now;
                }
            }
        }
        if !have {
            if self.memuse() + FLOW_MEM_COST > self.cfg.memcap {
                if !self.emergency {
                    self.emergency = true;
                    self.counters.emerg_mode_entered += 1;
                }
                return self.get_used(ts);
            }
            self.allocated += 1;
        }
        Some(self.take_slot())
    }

    fn take_slot(&mut self) -> u32 {
        if let Some(i) = self.free.pop() {
            return i;
        }
        self.slots.push(Slot { gen: 0, flow: None });
        (self.slots.len() - 1) as u32
    }

    /// Suricata's `FlowGetUsedFlow`: evict some live flow to reuse its memory.
    fn get_used(&mut self, now: Timestamp) -> Option<u32> {
        let n = self.slots.len();
        self.get_used_cursor = self.get_used_cursor.wrapping_add(GET_USED_TRIES as usize);
        let mut tried = 0u64;
        if n > 0 {
            let mut i = self.get_used_cursor % n;
            while tried <= GET_USED_TRIES as u64 {
                tried += 1;
                if self.slots[i].flow.is_some() {
                    self.counters.get_used += 1;
                    self.counters.get_used_eval += tried;
                    self.end_flow(i as u32, EndReason::Forced, true, Some(now));
                    // The evicted flow's memory is reused at once: take it back from
                    // the spare pool it was returned to.
                    self.spare = self.spare.saturating_sub(1);
                    self.counters.recycled = self.counters.recycled.saturating_sub(1);
                    return Some(self.take_slot());
                }
                i = (i + 1) % n;
            }
        }
        self.counters.get_used_eval += tried;
        self.counters.get_used_failed += 1;
        None
    }

    /// Ends a live flow: removes it, counts it and queues its record.
    fn end_flow(&mut self, idx: u32, reason: EndReason, emergency: bool, at: Option<Timestamp>) {
        let Some(slot) = self.slots.get_mut(idx as usize) else {
            return;
        };
        let Some(flow) = slot.flow.take() else {
            return;
        };
        slot.gen = slot.gen.wrapping_add(1);
        self.free.push(idx);
        if self.map.get(&flow.key) == Some(&idx) {
            self.map.remove(&flow.key);
        }
        self.live -= 1;
        self.spare += 1;
        self.counters.recycled += 1;
        self.count_end(&flow);
        self.pending.push(FlowRecord {
            flow,
            reason,
            emergency,
            ended_at: at,
            slot: idx,
        });
    }

    fn count_end(&mut self, f: &Flow) {
        let i = match f.state {
            FlowState::New => 0,
            FlowState::Established => 1,
            FlowState::Closed => 2,
            FlowState::LocalBypassed => 3,
        };
        self.counters.end_state[i] += 1;
        if let Some(s) = f.tcp {
            self.counters.end_tcp_state[s.state as usize] += 1;
        }
    }

    /// Hands out the records of flows ended during lookups, and does the flow manager's
    /// periodic work; call it with every packet's time (or at least once per second of
    /// packet time). Once per second of packet time it keeps the spare pool at
    /// `prealloc`, leaves emergency mode when enough flows are free again and, when
    /// [`FlowConfig::manager_timeouts`] is on, times flows out: a bounded number of
    /// flows per run (all of them in emergency mode).
    pub fn expire(&mut self, now: Timestamp, out: &mut impl FnMut(FlowRecord)) {
        self.drain(out);
        if self.last_check == Some(now.secs) {
            return;
        }
        self.last_check = Some(now.secs);
        let n = self.slots.len();
        // Without manager timeouts (reading captures, like Suricata whose flow manager
        // rarely gets to run on a short capture) flows are still timed out once the
        // table holds more than `prealloc` flows, so that a long capture keeps only its
        // live flows in memory. Short captures (the test suites) never reach that.
        let pressure = self.len() > self.cfg.prealloc as usize;
        let budget = if !self.cfg.manager_timeouts && !pressure {
            0
        } else if self.emergency {
            n
        } else {
            (self.cfg.hash_size as usize / 10).max(4096).min(n)
        };
        let mut ended = 0u64;
        for _ in 0..budget {
            if self.cursor >= n {
                self.cursor = 0;
                self.counters.mgr_full_hash_pass += 1;
            }
            let i = self.cursor;
            self.cursor += 1;
            let Some(f) = self.slots[i].flow.as_ref() else {
                continue;
            };
            self.counters.mgr_flows_checked += 1;
            if self.timed_out_mgr(f, now.secs) {
                self.counters.mgr_flows_timeout += 1;
                self.end_flow(i as u32, EndReason::Timeout, self.emergency, Some(now));
                ended += 1;
            } else {
                self.counters.mgr_flows_notimeout += 1;
            }
        }
        self.counters.recycler_queue_max = self.counters.recycler_queue_max.max(ended);
        self.update_spare_pool();
        if self.emergency {
            let prealloc = self.cfg.prealloc as u64;
            if prealloc == 0 || self.spare * 100 / prealloc > self.cfg.emergency_recovery as u64 {
                self.emergency = false;
                self.counters.emerg_mode_over += 1;
            }
        }
        self.drain(out);
    }

    /// Keeps the shared spare pool near `prealloc`, within the memcap.
    fn update_spare_pool(&mut self) {
        let target = self.cfg.prealloc as u64;
        if self.spare + SPARE_BLOCK <= target {
            let want = target - self.spare;
            let room = self.cfg.memcap.saturating_sub(self.memuse()) / FLOW_MEM_COST;
            let add = want.min(room);
            self.spare += add;
            self.allocated += add;
        } else if self.spare > target + SPARE_BLOCK {
            let drop = self.spare - target;
            self.spare -= drop;
            self.allocated = self.allocated.saturating_sub(drop);
        }
    }

    fn drain(&mut self, out: &mut impl FnMut(FlowRecord)) {
        for r in self.pending.drain(..) {
            out(r);
        }
    }

    /// Ends every flow (reason "shutdown"), in table order. Call at the end of input.
    pub fn flush_all(&mut self, out: &mut impl FnMut(FlowRecord)) {
        self.drain(out);
        for i in 0..self.slots.len() {
            if self.slots[i].flow.is_some() {
                self.end_flow(i as u32, EndReason::Shutdown, false, None);
                self.drain(out);
            }
        }
    }

    /// Number of slots (an upper bound of [`FlowHandle::slot`]).
    pub fn slot_count(&self) -> usize {
        self.slots.len()
    }

    /// Hands out the records of flows ended so far (during lookups) without the
    /// periodic work of [`FlowTable::expire`]. A lookup that ended a flow may have
    /// given its slot to the packet's new flow: release per-slot state of ended flows
    /// with this before touching the new flow's.
    pub fn take_ended(&mut self, out: &mut impl FnMut(FlowRecord)) {
        self.drain(out);
    }

    /// Sets the TCP session summary kept by an external tracker (with
    /// [`FlowConfig::external_tcp`]), and the flow state it implies.
    pub fn set_tcp(&mut self, h: FlowHandle, tcp: TcpSession) {
        if let Some(f) = self.get_mut(h) {
            f.tcp = Some(tcp);
            if let Some(fs) = tcp.state.flow_state() {
                f.state = fs;
            }
        }
    }

    /// Swaps a flow's direction (for the app layer, as Suricata's `FlowSwap`).
    pub fn swap(&mut self, h: FlowHandle) {
        if let Some(f) = self.get_mut(h) {
            f.swap();
        }
    }

    /// Calls `f(name, value)` for every flow counter, with Suricata 7.0.10's names in
    /// its stats order. Counters Suricata keeps for machinery we do not have
    /// (`flow.wrk.flows_evicted_needs_work`, `flows_evicted_pkt_inject`,
    /// `flows_injected`, `flows_injected_max`, `flow.end.tcp_liberal`,
    /// `flow.mgr.rows_maxlen`, `flow.mgr.flows_evicted`,
    /// `flow.mgr.flows_evicted_needs_work`, `flow.recycler.queue_avg`,
    /// `flow.end.state.local_bypassed/capture_bypassed`, `flow.get_used_eval_reject`,
    /// `flow.get_used_eval_busy`) stay at 0, their value on a run without them.
    pub fn for_each(&self, mut f: impl FnMut(&'static str, u64)) {
        let c = &self.counters;
        let avg = c.spare_sync_sum.checked_div(c.spare_sync).unwrap_or(0);
        let list: [(&'static str, u64); 24] = [
            ("flow.memcap", c.memcap),
            ("flow.total", c.total),
            ("flow.active", self.live),
            ("flow.tcp", c.tcp),
            ("flow.udp", c.udp),
            ("flow.icmpv4", c.icmpv4),
            ("flow.icmpv6", c.icmpv6),
            ("flow.tcp_reuse", c.tcp_reuse),
            ("flow.get_used", c.get_used),
            ("flow.get_used_eval", c.get_used_eval),
            ("flow.get_used_eval_reject", c.get_used_eval_reject),
            ("flow.get_used_eval_busy", c.get_used_eval_busy),
            ("flow.get_used_failed", c.get_used_failed),
            ("flow.wrk.spare_sync_avg", avg),
            ("flow.wrk.spare_sync", c.spare_sync),
            ("flow.wrk.spare_sync_incomplete", c.spare_sync_incomplete),
            ("flow.wrk.spare_sync_empty", c.spare_sync_empty),
            ("flow.wrk.flows_evicted_needs_work", 0),
            ("flow.wrk.flows_evicted_pkt_inject", 0),
            ("flow.wrk.flows_evicted", c.wrk_flows_evicted),
            ("flow.wrk.flows_injected", 0),
            ("flow.wrk.flows_injected_max", 0),
            ("flow.end.state.new", c.end_state[0]),
            ("flow.end.state.established", c.end_state[1]),
        ];
        for (n, v) in list {
            f(n, v);
        }
        f("flow.end.state.closed", c.end_state[2]);
        f("flow.end.state.local_bypassed", c.end_state[3]);
        f("flow.end.state.capture_bypassed", c.end_state[4]);
        const TCP_STATE_NAMES: [&str; 11] = [
            "flow.end.tcp_state.none",
            "flow.end.tcp_state.syn_sent",
            "flow.end.tcp_state.syn_recv",
            "flow.end.tcp_state.established",
            "flow.end.tcp_state.fin_wait1",
            "flow.end.tcp_state.fin_wait2",
            "flow.end.tcp_state.time_wait",
            "flow.end.tcp_state.last_ack",
            "flow.end.tcp_state.close_wait",
            "flow.end.tcp_state.closing",
            "flow.end.tcp_state.closed",
        ];
        for (n, v) in TCP_STATE_NAMES.iter().zip(c.end_tcp_state.iter()) {
            f(n, *v);
        }
        let rest: [(&'static str, u64); 16] = [
            ("flow.end.tcp_liberal", 0),
            ("flow.mgr.full_hash_pass", c.mgr_full_hash_pass),
            ("flow.mgr.rows_per_sec", self.cfg.hash_size as u64 / 10),
            ("flow.mgr.rows_maxlen", c.mgr_rows_maxlen),
            ("flow.mgr.flows_checked", c.mgr_flows_checked),
            ("flow.mgr.flows_notimeout", c.mgr_flows_notimeout),
            ("flow.mgr.flows_timeout", c.mgr_flows_timeout),
            ("flow.mgr.flows_evicted", 0),
            ("flow.mgr.flows_evicted_needs_work", 0),
            ("flow.spare", self.spare),
            ("flow.emerg_mode_entered", c.emerg_mode_entered),
            ("flow.emerg_mode_over", c.emerg_mode_over),
            ("flow.recycler.recycled", c.recycled),
            ("flow.recycler.queue_avg", 0),
            ("flow.recycler.queue_max", c.recycler_queue_max),
            ("flow.memuse", self.memuse()),
        ];
        for (n, v) in rest {
            f(n, v);
        }
    }
}

#[cfg(test)]
mod tests;
