//! Decode: zero-copy, checked views of every layer of a packet.
//!
//! `Decoder::decode` walks a frame from its link layer down to the transport payload and
//! fills a [`Packet`], whose fields are either small copied header values or offsets into
//! the frame's bytes. Tunnels (GRE, VXLAN, Geneve, Teredo, IP-in-IP) are not followed in
//! the same call: the outer packet records where the inner one starts
//! ([`Packet::tunnel`]) and the engine decodes it as a packet of its own, one level deeper,
//! as Suricata does with its tunnel pseudo-packets. IP fragments are flagged in
//! [`Packet::fragment`] and handed to [`defrag`].
//!
//! Anomalies never stop decoding with a panic: they are recorded as [`DecodeEvent`]s with
//! Suricata's names so that `decoder-events.rules` and EVE `anomaly` records line up.
//!
//! How the engine drives it (what Suricata 7.0.10 does, counter for counter):
//! 1. [`Decoder::decode`] once per captured frame (counts `decoder.pkts`, `bytes`, the
//!    layers, `invalid`).
//! 2. [`DecodeStats::count_events`] once for every packet handed to the flow stage:
//!    captured, tunnelled and reassembled ones.
//! 3. If [`Packet::tunnel`] is set, [`Decoder::decode_inner`] on `&data[offset..]` with
//!    `level = tunnel_level + 1`. The outer decode has already checked that this inner
//!    packet decodes (Suricata drops tunnel packets whose decoding fails) and has counted
//!    the layers of those that do not.
//! 4. If [`Packet::fragment`] is set, the packet goes to [`defrag`]; a reassembled
//!    datagram is decoded with [`Decoder::decode_inner`] at the same level.
//!
//! Each layer has a checked zero-copy view (`new_checked(&[u8])` then accessors) in its
//! own module ([`ethernet`], [`vlan`], [`mpls`], [`pppoe`], [`ppp`], [`sll`], [`null`],
//! [`ipv4`], [`ipv6`], [`gre`], [`erspan`], [`vxlan`], [`geneve`], [`teredo`], [`nsh`],
//! [`tcp`], [`udp`], [`icmpv4`], [`icmpv6`], [`sctp`]); decoding allocates nothing.
#![forbid(unsafe_code)]

use std::net::IpAddr;

pub use palisade_capture::{LinkType, Timestamp};

/// Where the decoded transport header and payload stand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum L4 {
    #[default]
    None,
    Tcp(TcpInfo),
    Udp(UdpInfo),
    Icmpv4(IcmpInfo),
    Icmpv6(IcmpInfo),
    Sctp,
    /// Another IP protocol (ESP, AH-terminated, GRE we could not follow, ...).
    Other,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcpInfo {
    pub seq: u32,
    pub ack: u32,
    /// TCP flags byte (FIN=0x01 SYN=0x02 RST=0x04 PSH=0x08 ACK=0x10 URG=0x20 ECE=0x40 CWR=0x80).
    pub flags: u8,
    pub window: u16,
    pub hlen: u8,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UdpInfo {
    pub len: u16,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IcmpInfo {
    pub itype: u8,
    pub code: u8,
    /// Echo id / seq where the message has them.
    pub id: u16,
    pub seq: u16,
    /// For error messages: the embedded (original) packet's tuple, when it could be read.
    pub embedded: Option<EmbeddedTuple>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmbeddedTuple {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub proto: u8,
    pub sp: u16,
    pub dp: u16,
}

/// The network layer of a decoded packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpInfo {
    /// 4 or 6.
    pub version: u8,
    pub src: IpAddr,
    pub dst: IpAddr,
    /// Transport protocol number (after IPv6 extension headers).
    pub proto: u8,
    pub ttl: u8,
    /// Offset of the IP header in `Packet::data`.
    pub offset: u32,
    /// IP header length (IPv6: 40 plus extension headers).
    pub hlen: u16,
    /// Total length claimed by the header (IPv6: 40 + payload length).
    pub total_len: u32,
}

/// An IP fragment, to be handed to [`defrag`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FragInfo {
    /// IPv4 id (16 bits) or IPv6 fragment id (32 bits).
    pub id: u32,
    /// Offset in bytes.
    pub offset: u32,
    pub more: bool,
}

/// What a tunnel carries, so the engine knows how to decode the inner packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InnerKind {
    Ethernet,
    Ipv4,
    Ipv6,
    /// Raw IP, version read from the first nibble (reassembled datagrams).
    Ip,
    Ppp,
    /// A VLAN tag then what its EtherType names (GRE protocol 0x8100).
    Vlan,
    /// ERSPAN type I: an Ethernet frame with no ERSPAN header (GRE without sequence).
    ErspanI,
    /// ERSPAN type II: an 8-byte ERSPAN header then an Ethernet frame.
    ErspanII,
}

/// A tunnel found in this packet: the inner packet starts at `offset` in `Packet::data`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tunnel {
    pub kind: InnerKind,
    pub offset: u32,
    /// Counter name of the encapsulation ("gre", "vxlan", "geneve", "teredo", "ipv4_in_ipv6", ...).
    pub encap: &'static str,
}

pub mod checksum;
mod decoder;
pub mod defrag;
pub mod erspan;
pub mod ethernet;
mod events;
pub mod geneve;
pub mod gre;
pub mod icmpv4;
pub mod icmpv6;
pub mod ipv4;
pub mod ipv6;
pub mod mpls;
pub mod nsh;
pub mod null;
pub mod ppp;
pub mod pppoe;
pub mod sctp;
pub mod sll;
mod stats;
pub mod tcp;
pub mod teredo;
pub mod udp;
pub mod vlan;
pub mod vxlan;
mod wire;

pub use decoder::{ChecksumMode, Decoder, DecoderConfig, PortSet};
pub use events::{DecodeEvent, Events, MAX_EVENTS};
pub use stats::DecodeStats;
pub use tcp::TcpOptions;
pub use wire::Error;

/// Where an IP fragment's bytes stand in `Packet::data`, for [`defrag`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FragLayout {
    /// Offset and length of the fragment's data (after the IPv4 header, or after the
    /// IPv6 fragment extension header).
    pub data_offset: u32,
    pub data_len: u32,
    /// IPv6: offset of the fragment header (0 for IPv4).
    pub frag_hdr_offset: u32,
    /// IPv6: offset of the byte holding the next-header value that names the fragment
    /// header (the IPv6 header's own next-header field or a previous extension's), so a
    /// reassembled datagram can be rebuilt without the fragment header. 0 for IPv4.
    pub prev_nh_offset: u32,
    /// IPv6: the next header carried by the fragment header; IPv4: the protocol.
    pub next_header: u8,
}

/// One decoded packet. Fields not reached by decoding keep their defaults.
#[derive(Clone, Debug)]
pub struct Packet<'a> {
    /// The bytes this packet was decoded from (a frame, a tunnel's inner bytes, or a
    /// reassembled datagram).
    pub data: &'a [u8],
    pub ts: Timestamp,
    /// Captured length of the frame on which this packet came (for counters).
    pub caplen: u32,
    /// Ethernet addresses, when there was an Ethernet header.
    pub eth: Option<EthInfo>,
    /// VLAN ids, outermost first (Suricata keeps up to 3).
    pub vlan: [u16; 3],
    pub vlan_count: u8,
    pub ip: Option<IpInfo>,
    pub l4: L4,
    /// Source and destination ports (0 where the protocol has none).
    ///
    /// ICMPv4/ICMPv6 (as Suricata's `icmp_s`/`icmp_d`, which share storage with the port
    /// fields): `sp = type | code << 8` of this packet, i.e. `u16::from_le_bytes([type,
    /// code])`; `dp = counterpart_type` (echo request <-> reply, timestamp, information,
    /// router solicitation/advertisement, address mask; ICMPv6: echo, MLD query/report,
    /// router and neighbour solicitation/advertisement, node information, home agent
    /// discovery, mobile prefix, certification path, multicast router), code 0, or 0 when
    /// the type has no counterpart.
    pub sp: u16,
    pub dp: u16,
    /// Transport payload: offset and length in `data`.
    pub payload_offset: u32,
    pub payload_len: u32,
    pub fragment: Option<FragInfo>,
    pub tunnel: Option<Tunnel>,
    /// Nesting depth: 0 for a captured packet, 1 for the inner packet of a tunnel, ...
    pub tunnel_level: u8,
    pub events: Events,
    /// Set when decoding hit a fatal anomaly (the packet is counted in decoder.invalid).
    pub invalid: bool,
    /// The outermost decoder of this packet gave up on it (Suricata's decoder returning
    /// a failure). For a tunnel's inner packet this means it is not a tunnel packet and
    /// must be dropped (the outer decode has already checked this before setting
    /// `Packet::tunnel`).
    pub failed: bool,
    /// Number of layers decoded so far (bounded by `DecoderConfig::max_layers`).
    pub layers: u8,
    /// TCP options of a decoded TCP header.
    pub tcp_opts: TcpOptions,
    /// IPv4 options present (bits `ipv4::OPT_FLAG_*`).
    pub ipv4_opts: u16,
    /// For a fragment: where its header and data stand.
    pub frag_layout: Option<FragLayout>,
    /// Checksum results when the decoder's checksum mode asked for them: IPv4 header, and
    /// transport (TCP, UDP, ICMPv4, ICMPv6). `None` when not checked.
    pub ip_csum_ok: Option<bool>,
    pub l4_csum_ok: Option<bool>,
    /// ICMP error messages: the embedded transport header was complete (TCP 20 bytes,
    /// UDP 8 bytes), the condition Suricata requires before keying the flow on the
    /// embedded tuple.
    pub icmp_emb_l4_complete: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EthInfo {
    pub src: [u8; 6],
    pub dst: [u8; 6],
    pub ether_type: u16,
}

impl<'a> Packet<'a> {
    pub fn new(data: &'a [u8], ts: Timestamp) -> Self {
        Packet {
            data,
            ts,
            caplen: data.len() as u32,
            eth: None,
            vlan: [0; 3],
            vlan_count: 0,
            ip: None,
            l4: L4::None,
            sp: 0,
            dp: 0,
            payload_offset: 0,
            payload_len: 0,
            fragment: None,
            tunnel: None,
            tunnel_level: 0,
            events: Events::default(),
            invalid: false,
            failed: false,
            layers: 0,
            tcp_opts: TcpOptions::default(),
            ipv4_opts: 0,
            frag_layout: None,
            ip_csum_ok: None,
            l4_csum_ok: None,
            icmp_emb_l4_complete: false,
        }
    }

    /// The transport payload bytes.
    pub fn payload(&self) -> &'a [u8] {
        let start = self.payload_offset as usize;
        let end = start.saturating_add(self.payload_len as usize);
        self.data.get(start..end).unwrap_or(&[])
    }

    /// IP protocol number, 0 when there is no IP layer.
    pub fn proto(&self) -> u8 {
        self.ip.map(|i| i.proto).unwrap_or(0)
    }
}
