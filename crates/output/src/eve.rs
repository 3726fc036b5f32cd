//! EVE record writers, with Suricata 7.0.10's field names and order.
//!
//! Every writer resets the [`JsonBuf`] and leaves the top-level object open, so that
//! [`crate::EveWriter::write`] can append the optional `host` / `pcap_filename` fields
//! as Suricata does before closing the record. Use [`JsonBuf::close_all`] to close a
//! record by hand (tests).

use std::net::IpAddr;

use palisade_decode::{Packet, L4};
use palisade_flow::{FlowRecord, FlowState, Timestamp};

use crate::json::JsonBuf;

/// Suricata's protocol name for an IP protocol number (7.0.10's table, read off its
/// output for every number; see [`crate::alert::suricata_proto_name`]). Numbers without
/// a name are printed in decimal, as Suricata does.
pub fn proto_name(proto: u8) -> Option<&'static str> {
    crate::alert::suricata_proto_name(proto)
}

fn set_proto(j: &mut JsonBuf, proto: u8) {
    match proto_name(proto) {
        Some(n) => j.set_str("proto", n),
        None => {
            let mut b = [0u8; 3];
            let s = u8_dec(proto, &mut b);
            j.set_str("proto", s)
        }
    };
}

fn u8_dec(v: u8, b: &mut [u8; 3]) -> &str {
    let mut n = 0;
    if v >= 100 {
        b[n] = b'0' + v / 100;
        n += 1;
    }
    if v >= 10 {
        b[n] = b'0' + v / 10 % 10;
        n += 1;
    }
    b[n] = b'0' + v % 10;
    n += 1;
    std::str::from_utf8(&b[..n]).unwrap_or("0")
}

fn has_ports(proto: u8) -> bool {
    matches!(proto, 6 | 17 | 132)
}

fn set_tcp_flag_bools(j: &mut JsonBuf, flags: u8) {
    const NAMES: [(u8, &str); 8] = [
        (0x02, "syn"),
        (0x01, "fin"),
        (0x04, "rst"),
        (0x08, "psh"),
        (0x10, "ack"),
        (0x20, "urg"),
        (0x40, "ecn"),
        (0x80, "cwr"),
    ];
    for (bit, name) in NAMES {
        if flags & bit != 0 {
            j.set_bool(name, true);
        }
    }
}

fn set_hex_byte(j: &mut JsonBuf, key: &str, b: u8) {
    j.set_hex(key, &[b]);
}

fn set_vlan(j: &mut JsonBuf, vlan: &[u16]) {
    if !vlan.is_empty() {
        j.open_array("vlan");
        for &v in vlan {
            j.append_u64(v as u64);
        }
        j.close();
    }
}

/// Header fields of records about a flow (`flow`, `netflow`): orientation `to_client`
/// selects the netflow response record's view.
fn flow_header(j: &mut JsonBuf, rec: &FlowRecord, now: Timestamp, event_type: &str, dir: u8) {
    let f = &rec.flow;
    j.reset();
    j.set_ts("timestamp", now);
    j.set_u64("flow_id", f.id);
    j.set_str("event_type", event_type);
    set_vlan(j, &f.vlan[..f.vlan_count.min(3) as usize]);
    let (src, dst, sp, dp) = if dir == 0 {
        (f.src, f.dst, f.sp, f.dp)
    } else {
        (f.dst, f.src, f.dp, f.sp)
    };
    j.set_ip("src_ip", src);
    if has_ports(f.proto) {
        j.set_u64("src_port", sp as u64);
    }
    j.set_ip("dest_ip", dst);
    if has_ports(f.proto) {
        j.set_u64("dest_port", dp as u64);
    }
    set_proto(j, f.proto);
}

/// `age` as Suricata prints it: the difference of the seconds as a 32-bit signed value
/// written as unsigned (a capture going back in time gives a huge number, as there).
fn age(f: &palisade_flow::Flow) -> u64 {
    let d = (f.last.secs as i64).wrapping_sub(f.start.secs as i64) as i32;
    d as i64 as u64
}

fn app_proto_or_unknown(s: &str) -> &str {
    if s.is_empty() {
        "unknown"
    } else {
        s
    }
}

/// Writes an EVE `flow` record for an ended flow. `now` is the record's `timestamp`
/// (Suricata prints the engine's current time when the flow is logged).
pub fn write_flow(j: &mut JsonBuf, rec: &FlowRecord, now: Timestamp) {
    let f = &rec.flow;
    flow_header(j, rec, now, "flow", f.reversed as u8);
    match f.proto {
        1 | 58 => {
            j.set_u64("icmp_type", f.icmp_type as u64);
            j.set_u64("icmp_code", f.icmp_code as u64);
            if f.pkts_toclient > 0 {
                j.set_u64("response_icmp_type", f.response_icmp_type as u64);
                j.set_u64("response_icmp_code", f.response_icmp_code as u64);
            }
        }
        50 => {
            j.set_u64("spi", f.spi as u64);
        }
        _ => {}
    }
    if !f.app_proto.is_empty() {
        j.set_str("app_proto", f.app_proto);
    }
    if !f.app_proto_ts.is_empty() && f.app_proto_ts != f.app_proto {
        j.set_str("app_proto_ts", f.app_proto_ts);
    }
    if !f.app_proto_tc.is_empty() && f.app_proto_tc != f.app_proto {
        j.set_str("app_proto_tc", f.app_proto_tc);
    }
    j.open_object("flow");
    j.set_u64("pkts_toserver", f.pkts_toserver);
    j.set_u64("pkts_toclient", f.pkts_toclient);
    j.set_u64("bytes_toserver", f.bytes_toserver);
    j.set_u64("bytes_toclient", f.bytes_toclient);
    j.set_ts("start", f.start);
    j.set_ts("end", f.last);
    j.set_u64("age", age(f));
    if rec.emergency {
        j.set_bool("emergency", true);
    }
    j.set_str("state", f.state.name());
    if f.state == FlowState::LocalBypassed {
        j.set_str("bypass", "local");
    }
    j.set_str("reason", rec.reason.name());
    j.set_bool("alerted", f.alerted);
    j.close();
    if f.proto == 6 {
        let s = f.tcp;
        let (all, ts, tc) = s
            .map(|s| (s.flags, s.flags_ts, s.flags_tc))
            .unwrap_or((0, 0, 0));
        j.open_object("tcp");
        set_hex_byte(j, "tcp_flags", all);
        set_hex_byte(j, "tcp_flags_ts", ts);
        set_hex_byte(j, "tcp_flags_tc", tc);
        set_tcp_flag_bools(j, all);
        if let Some(s) = s {
            j.set_str("state", s.state.name());
            // Stream buffer region counts: one region each until a stream engine
            // reports otherwise.
            j.set_u64("ts_max_regions", 1);
            j.set_u64("tc_max_regions", 1);
        }
        j.close();
    }
}

/// Writes one EVE `netflow` record: `to_client` false for the request direction,
/// true for the response. Returns false (and writes nothing useful) for a response
/// record of a flow that saw no response packet, which Suricata does not log.
pub fn write_netflow(j: &mut JsonBuf, rec: &FlowRecord, now: Timestamp, to_client: bool) -> bool {
    let f = &rec.flow;
    if to_client && f.pkts_toclient == 0 {
        j.reset();
        return false;
    }
    let dir = (to_client as u8) ^ (f.reversed as u8);
    flow_header(j, rec, now, "netflow", dir);
    match f.proto {
        1 | 58 => {
            let (t, c) = if dir == 1 {
                (f.response_icmp_type, f.response_icmp_code)
            } else {
                (f.icmp_type, f.icmp_code)
            };
            j.set_u64("icmp_type", t as u64);
            j.set_u64("icmp_code", c as u64);
        }
        50 => {
            j.set_u64("spi", f.spi as u64);
        }
        _ => {}
    }
    let (app, pkts, bytes) = if to_client {
        let a = if f.app_proto_tc.is_empty() {
            f.app_proto
        } else {
            f.app_proto_tc
        };
        (a, f.pkts_toclient, f.bytes_toclient)
    } else {
        let a = if f.app_proto_ts.is_empty() {
            f.app_proto
        } else {
            f.app_proto_ts
        };
        (a, f.pkts_toserver, f.bytes_toserver)
    };
    j.set_str("app_proto", app_proto_or_unknown(app));
    j.open_object("netflow");
    j.set_u64("pkts", pkts);
    j.set_u64("bytes", bytes);
    j.set_ts("start", f.start);
    j.set_ts("end", f.last);
    j.set_u64("age", age(f));
    if to_client {
        j.set_u64("min_ttl", f.min_ttl_toclient as u64);
        j.set_u64("max_ttl", f.max_ttl_toclient as u64);
    } else {
        j.set_u64("min_ttl", f.min_ttl_toserver as u64);
        j.set_u64("max_ttl", f.max_ttl_toserver as u64);
    }
    j.close();
    if f.proto == 6 {
        let flags = f
            .tcp
            .map(|s| if to_client { s.flags_tc } else { s.flags_ts })
            .unwrap_or(0);
        j.open_object("tcp");
        set_hex_byte(j, "tcp_flags", flags);
        set_tcp_flag_bools(j, flags);
        j.close();
    }
    true
}

/// Where a packet came from, for the `pkt_src` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PktSrc {
    #[default]
    Wire,
    DecoderGre,
    DecoderIpv4,
    DecoderIpv6,
    DecoderTeredo,
    DecoderVxlan,
    DecoderGeneve,
    Defrag,
    StreamTcpDetectLogFlush,
    FlowTimeout,
    DetectReloadFlush,
    CaptureTimeout,
    ShutdownFlush,
}

impl PktSrc {
    pub fn name(self) -> &'static str {
        match self {
            PktSrc::Wire => "wire/pcap",
            PktSrc::DecoderGre => "gre tunnel",
            PktSrc::DecoderIpv4 => "ipv4 tunnel",
            PktSrc::DecoderIpv6 => "ipv6 tunnel",
            PktSrc::DecoderTeredo => "teredo tunnel",
            PktSrc::DecoderVxlan => "vxlan encapsulation",
            PktSrc::DecoderGeneve => "geneve encapsulation",
            PktSrc::Defrag => "defrag",
            PktSrc::StreamTcpDetectLogFlush => "stream (detect/log)",
            PktSrc::FlowTimeout => "stream (flow timeout)",
            PktSrc::DetectReloadFlush => "detect reload flush",
            PktSrc::CaptureTimeout => "capture timeout flush",
            PktSrc::ShutdownFlush => "shutdown flush",
        }
    }
}

/// What a packet-based record (anomaly, later alert, drop, ...) says about its packet.
#[derive(Clone, Copy, Debug)]
pub struct PacketHeader<'a> {
    pub ts: Timestamp,
    /// Id of the packet's flow, if it has one.
    pub flow_id: Option<u64>,
    /// Packet number in the capture (1-based); 0 is not printed.
    pub pcap_cnt: u64,
    pub vlan: &'a [u16],
    /// Addresses, protocol and ports in the packet's own direction; `None` for non-IP.
    pub ip: Option<(IpAddr, IpAddr)>,
    pub proto: u8,
    pub sp: u16,
    pub dp: u16,
    /// ICMP type and code of ICMP / ICMPv6 packets.
    pub icmp: Option<(u8, u8)>,
    pub pkt_src: PktSrc,
}

impl<'a> PacketHeader<'a> {
    /// The header of a decoded packet (Suricata's `LOG_DIR_PACKET` orientation).
    pub fn from_packet(
        pkt: &'a Packet<'_>,
        flow_id: Option<u64>,
        pcap_cnt: u64,
        pkt_src: PktSrc,
    ) -> Self {
        let ip = pkt.ip.map(|i| (i.src, i.dst));
        let proto = pkt.proto();
        let icmp = match pkt.l4 {
            L4::Icmpv4(i) | L4::Icmpv6(i) => Some((i.itype, i.code)),
            _ => None,
        };
        let n = (pkt.vlan_count as usize).min(pkt.vlan.len());
        PacketHeader {
            ts: pkt.ts,
            flow_id,
            pcap_cnt,
            vlan: &pkt.vlan[..n],
            ip,
            proto,
            sp: pkt.sp,
            dp: pkt.dp,
            icmp,
            pkt_src,
        }
    }
}

/// Writes the common header of a packet-based record (Suricata's `CreateEveHeader`).
pub fn write_packet_header(j: &mut JsonBuf, h: &PacketHeader, event_type: &str) {
    j.reset();
    j.set_ts("timestamp", h.ts);
    if let Some(id) = h.flow_id {
        j.set_u64("flow_id", id);
    }
    if h.pcap_cnt != 0 {
        j.set_u64("pcap_cnt", h.pcap_cnt);
    }
    j.set_str("event_type", event_type);
    set_vlan(j, h.vlan);
    if let Some((src, dst)) = h.ip {
        let ports = has_ports(h.proto);
        j.set_ip("src_ip", src);
        if ports {
            j.set_u64("src_port", h.sp as u64);
        }
        j.set_ip("dest_ip", dst);
        if ports {
            j.set_u64("dest_port", h.dp as u64);
        }
        set_proto(j, h.proto);
        if let (1 | 58, Some((t, c))) = (h.proto, h.icmp) {
            j.set_u64("icmp_type", t as u64);
            j.set_u64("icmp_code", c as u64);
        }
    }
    j.set_str("pkt_src", h.pkt_src.name());
}

/// Kind of a packet anomaly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnomalyKind {
    /// Decoder event; `event` is the decoder's name (`ipv4.trunc_pkt`), printed with
    /// Suricata's `decoder.` prefix.
    Decode,
    /// Stream event; `event` is printed with the `stream.` prefix.
    Stream,
}

/// Writes an EVE `anomaly` record for one decoder or stream event of a packet.
pub fn write_anomaly(j: &mut JsonBuf, h: &PacketHeader, kind: AnomalyKind, event: &str) {
    write_packet_header(j, h, "anomaly");
    j.open_object("anomaly");
    let (ty, prefix) = match kind {
        AnomalyKind::Decode => ("decode", "decoder."),
        AnomalyKind::Stream => ("stream", "stream."),
    };
    j.set_str("type", ty);
    // "event": prefix + name, written without a temporary String.
    let mut full = [0u8; 128];
    let total = prefix.len() + event.len();
    if total <= full.len() {
        full[..prefix.len()].copy_from_slice(prefix.as_bytes());
        full[prefix.len()..total].copy_from_slice(event.as_bytes());
        j.set_bytes("event", &full[..total]);
    } else {
        j.set_str("event", &format!("{prefix}{event}"));
    }
    j.close();
}

/// Writes an EVE `anomaly` record for an application layer event. `layer` is
/// "proto_detect", "parser" or "proto_parser" (the last with a transaction id).
pub fn write_anomaly_applayer(
    j: &mut JsonBuf,
    h: &PacketHeader,
    app_proto: &str,
    event: &str,
    layer: &str,
    tx_id: Option<u64>,
) {
    write_packet_header(j, h, "anomaly");
    if let Some(tx) = tx_id {
        j.set_u64("tx_id", tx);
    }
    j.open_object("anomaly");
    j.set_str("app_proto", app_proto_or_unknown(app_proto));
    j.set_str("type", "applayer");
    j.set_str("event", event);
    j.set_str("layer", layer);
    j.close();
}
