//! The decoder proper: walks a frame layer by layer with Suricata 7's rules for what is
//! an event, what makes a packet invalid, and which counters move.
//!
//! Every layer function takes the packet and a byte range `[s, e)` of `Packet::data`
//! and returns `Ok(())` or `Err(())` the way Suricata's decoders return success or
//! failure; the failure of the outermost layer is what `Packet::failed` records.

use std::net::IpAddr;

use crate::ethernet::{self, ethertype, EthernetFrame};
use crate::{
    checksum, erspan, geneve, gre, icmpv4, icmpv6, ipv4, ipv6, mpls, nsh, null, ppp, pppoe, sctp,
    sll, tcp, teredo, udp, vlan, vxlan,
};
use crate::{
    DecodeEvent as E, DecodeStats, EmbeddedTuple, EthInfo, FragInfo, FragLayout, IcmpInfo,
    InnerKind, IpInfo, LinkType, Packet, TcpInfo, Timestamp, Tunnel, UdpInfo, L4,
};

type R = Result<(), ()>;

/// Checksum validation, as Suricata's `-k` option and `checksum-checks` settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ChecksumMode {
    /// Never compute checksums (`-k none`).
    None,
    /// Always validate (`-k all`).
    All,
    /// Validate, and let the engine stop trusting checksums when too many fail
    /// (Suricata's "auto": more than 10% invalid among the first 1000 packets). The
    /// decoder computes them as with `All`; the engine applies the policy.
    #[default]
    Auto,
}

/// A set of up to 4 UDP ports (Suricata keeps at most 4 per tunnel decoder), or any port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortSet {
    Any,
    Ports { ports: [u16; 4], len: u8 },
}

impl PortSet {
    /// A set from a list; ports past the fourth are ignored, as Suricata does.
    pub fn new(list: &[u16]) -> Self {
        let mut ports = [0u16; 4];
        let n = list.len().min(4);
        ports[..n].copy_from_slice(&list[..n]);
        PortSet::Ports {
            ports,
            len: n as u8,
        }
    }
    pub fn contains(&self, port: u16) -> bool {
        match self {
            PortSet::Any => true,
            PortSet::Ports { ports, len } => ports[..usize::from(*len)].contains(&port),
        }
    }
}

/// Decoder settings (suricata.yaml `decoder:` section and `-k`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecoderConfig {
    pub vxlan_enabled: bool,
    /// UDP destination ports that carry VXLAN (`decoder.vxlan.ports`, default 4789).
    pub vxlan_ports: PortSet,
    pub geneve_enabled: bool,
    /// UDP ports (source or destination) that carry Geneve (default 6081).
    pub geneve_ports: PortSet,
    pub teredo_enabled: bool,
    /// UDP ports (source or destination) on which Teredo is looked for. Suricata's code
    /// default, when `decoder.teredo.ports` is absent, is any port; the suricata.yaml it
    /// ships sets `$TEREDO_PORTS`, 3544, which the config crate passes here.
    pub teredo_ports: PortSet,
    pub checksum: ChecksumMode,
    /// `decoder.max-layers` (default 16): a packet with this many layers is invalid
    /// (`decoder.too_many_layers`).
    pub max_layers: u8,
    /// Follow IPv4-in-IPv4 (protocol 4 over IPv4). Suricata 7.0.10 does not (the packet
    /// stays a plain IPv4 packet of protocol 4), hence off by default.
    pub ipv4_in_ipv4: bool,
    /// Deepest tunnel nesting followed (captured packet = level 0). Suricata has no such
    /// limit beyond its per-packet layer count; this bounds the engine's work.
    pub max_tunnel_depth: u8,
}

impl Default for DecoderConfig {
    fn default() -> Self {
        DecoderConfig {
            vxlan_enabled: true,
            vxlan_ports: PortSet::new(&[4789]),
            geneve_enabled: true,
            geneve_ports: PortSet::new(&[6081]),
            teredo_enabled: true,
            teredo_ports: PortSet::Any,
            checksum: ChecksumMode::Auto,
            max_layers: 16,
            ipv4_in_ipv4: false,
            max_tunnel_depth: 16,
        }
    }
}

/// The packet decoder. Holds only configuration: decoding allocates nothing.
#[derive(Clone, Debug, Default)]
pub struct Decoder {
    cfg: DecoderConfig,
}

impl Decoder {
    pub fn new(cfg: DecoderConfig) -> Self {
        Decoder { cfg }
    }

    pub fn config(&self) -> &DecoderConfig {
        &self.cfg
    }

    /// Whether Suricata 7.0.10 reads capture files of this link type (it refuses others
    /// when opening the file: "datalink type N not (yet) supported in module PcapFile").
    /// [`Decoder::decode`] also decodes DLT_LOOP (108) and Linux SLL2 (276).
    pub fn suricata_supports_linktype(lt: LinkType) -> bool {
        matches!(
            lt.0,
            0 | 1 | 9 | 12 | 14 | 101 | 104 | 113 | 228 | 229 | 778
        )
    }

    /// Decodes a captured frame. Counts `decoder.pkts`/`bytes`/sizes for the frame, the
    /// layers it goes through, and `decoder.invalid` when the packet ends up invalid.
    /// An unsupported link type makes the packet invalid with no event (Suricata refuses
    /// such a pcap file when opening it).
    pub fn decode<'a>(
        &self,
        linktype: LinkType,
        data: &'a [u8],
        ts: Timestamp,
        pkt: &mut Packet<'a>,
        stats: &mut DecodeStats,
    ) {
        *pkt = Packet::new(data, ts);
        stats.count_frame(data.len() as u64);
        let end = data.len();
        let mut run = Run {
            cfg: &self.cfg,
            stats,
            trial: false,
            level: 0,
        };
        let r = match linktype.0 {
            1 => run.ethernet(pkt, 0, end),
            113 => run.sll(pkt, 0, end),
            276 => run.sll2(pkt, 0, end),
            9 => run.ppp(pkt, 0, end),
            101 | 12 | 14 | 228 | 229 | 778 => run.raw(pkt, 0, end),
            0 => run.null(pkt, 0, end, false),
            108 => run.null(pkt, 0, end, true),
            104 => run.chdlc(pkt, 0, end),
            _ => {
                pkt.invalid = true;
                Err(())
            }
        };
        pkt.failed = r.is_err();
        if pkt.invalid {
            run.stats.invalid += 1;
        }
    }

    /// Decodes a tunnel's inner packet (`level` = its nesting depth, the outer packet's
    /// plus one) or a reassembled datagram (`level` = that of its fragments). Counts the
    /// layers; not `decoder.pkts`, nor `decoder.invalid` (Suricata counts those once per
    /// captured frame). VLAN ids already in `pkt` are kept (a reassembled datagram keeps
    /// its fragments' VLANs); everything else is reset.
    pub fn decode_inner<'a>(
        &self,
        kind: InnerKind,
        data: &'a [u8],
        ts: Timestamp,
        level: u8,
        pkt: &mut Packet<'a>,
        stats: &mut DecodeStats,
    ) {
        let (vlan, vlan_count) = (pkt.vlan, pkt.vlan_count);
        *pkt = Packet::new(data, ts);
        pkt.vlan = vlan;
        pkt.vlan_count = vlan_count;
        pkt.tunnel_level = level;
        let mut run = Run {
            cfg: &self.cfg,
            stats,
            trial: false,
            level,
        };
        let r = run.inner(pkt, kind);
        pkt.failed = r.is_err();
    }
}

struct Run<'c> {
    cfg: &'c DecoderConfig,
    stats: &'c mut DecodeStats,
    /// Decoding an inner packet only to learn whether it is a valid tunnel packet: no
    /// further tunnels are looked into.
    trial: bool,
    level: u8,
}

fn ev(pkt: &mut Packet<'_>, e: E) {
    pkt.events.push(e);
}

fn inv(pkt: &mut Packet<'_>, e: E) {
    pkt.invalid = true;
    pkt.events.push(e);
}

fn sub<'a>(pkt: &Packet<'a>, s: usize, e: usize) -> &'a [u8] {
    let data: &'a [u8] = pkt.data;
    data.get(s..e).unwrap_or(&[])
}

impl Run<'_> {
    fn layer(&self, pkt: &mut Packet<'_>) -> bool {
        pkt.layers = pkt.layers.saturating_add(1);
        if pkt.layers >= self.cfg.max_layers {
            inv(pkt, E::TooManyLayers);
            return false;
        }
        true
    }

    fn csum(&self) -> bool {
        self.cfg.checksum != ChecksumMode::None
    }

    fn inner(&mut self, pkt: &mut Packet<'_>, kind: InnerKind) -> R {
        let end = pkt.data.len();
        match kind {
            InnerKind::Ethernet => self.ethernet(pkt, 0, end),
            InnerKind::Ipv4 => self.ipv4(pkt, 0, end),
            InnerKind::Ipv6 => self.ipv6(pkt, 0, end),
            InnerKind::Ip => match pkt.data.first().map(|b| b >> 4) {
                Some(4) => self.ipv4(pkt, 0, end),
                Some(6) => self.ipv6(pkt, 0, end),
                _ => {
                    inv(pkt, E::IprawInvalidIpVersion);
                    Err(())
                }
            },
            InnerKind::Ppp => self.ppp(pkt, 0, end),
            InnerKind::Vlan => self.vlan(pkt, 0, end),
            InnerKind::ErspanI => {
                self.stats.erspan += 1;
                self.ethernet(pkt, 0, end)
            }
            InnerKind::ErspanII => self.erspan2(pkt, 0, end),
        }
    }

    /// Records a tunnel found at `[s, e)` if its inner packet decodes as a tunnel packet
    /// (Suricata decodes it on the spot and drops it when its decoder fails, or, for
    /// Teredo (`strict`), when it is invalid). When it does not, the layer counters its
    /// decoding moved are kept, as Suricata's are.
    fn tunnel(
        &mut self,
        pkt: &mut Packet<'_>,
        kind: InnerKind,
        s: usize,
        e: usize,
        encap: &'static str,
        strict: bool,
    ) -> bool {
        if self.trial || pkt.tunnel.is_some() || self.level >= self.cfg.max_tunnel_depth {
            return false;
        }
        let inner_data = sub(pkt, s, e);
        let mut inner = Packet::new(inner_data, pkt.ts);
        let mut scratch = DecodeStats::default();
        let ok = {
            let mut run = Run {
                cfg: self.cfg,
                stats: &mut scratch,
                trial: true,
                level: self.level + 1,
            };
            let r = run.inner(&mut inner, kind);
            r.is_ok() && !(strict && inner.invalid)
        };
        if ok {
            pkt.tunnel = Some(Tunnel {
                kind,
                offset: s as u32,
                encap,
            });
        } else {
            self.stats.add_layers(&scratch);
        }
        ok
    }

    // ----- link layers -----

    fn ethernet(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.ethernet += 1;
        let Ok(eth) = EthernetFrame::new_checked(sub(pkt, s, e)) else {
            inv(pkt, E::EthernetPktTooSmall);
            return Err(());
        };
        if !self.layer(pkt) {
            return Err(());
        }
        pkt.eth = Some(EthInfo {
            src: eth.src(),
            dst: eth.dst(),
            ether_type: eth.ether_type(),
        });
        let _ = self.network(pkt, eth.ether_type(), s + ethernet::HEADER_LEN, e);
        Ok(())
    }

    fn sll(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.sll += 1;
        let Ok(h) = sll::SllHeader::new_checked(sub(pkt, s, e)) else {
            inv(pkt, E::SllPktTooSmall);
            return Err(());
        };
        if !self.layer(pkt) {
            return Err(());
        }
        let body = s + sll::HEADER_LEN;
        if h.arphrd_type() == sll::ARPHRD_IPGRE {
            let _ = self.gre(pkt, body, e);
        } else {
            let _ = self.network(pkt, h.protocol(), body, e);
        }
        Ok(())
    }

    /// SLL2 (not decoded by Suricata 7.0, which refuses such captures): counted as `sll`.
    fn sll2(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.sll += 1;
        let Ok(h) = sll::Sll2Header::new_checked(sub(pkt, s, e)) else {
            inv(pkt, E::SllPktTooSmall);
            return Err(());
        };
        if !self.layer(pkt) {
            return Err(());
        }
        let body = s + sll::SLL2_HEADER_LEN;
        if h.arphrd_type() == sll::ARPHRD_IPGRE {
            let _ = self.gre(pkt, body, e);
        } else {
            let _ = self.network(pkt, h.protocol(), body, e);
        }
        Ok(())
    }

    /// BSD loopback. DLT_NULL's family is in the capturing host's order, which Suricata
    /// reads as its own (little-endian on the hosts it runs on); DLT_LOOP's is big-endian.
    fn null(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize, big_endian: bool) -> R {
        self.stats.null += 1;
        let Ok(h) = null::NullHeader::new_checked(sub(pkt, s, e)) else {
            inv(pkt, E::LtnullPktTooSmall);
            return Err(());
        };
        if !self.layer(pkt) {
            return Err(());
        }
        let body = s + null::HEADER_LEN;
        let family = if big_endian {
            h.family_be()
        } else {
            h.family_le()
        };
        match family {
            null::Family::Ipv4 => self.ipv4(pkt, body, e.min(body + 65535)),
            null::Family::Ipv6 => self.ipv6(pkt, body, e.min(body + 65535)),
            null::Family::Unknown => {
                ev(pkt, E::LtnullUnsupportedType);
                Err(())
            }
        }
    }

    fn raw(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.raw += 1;
        let buf = sub(pkt, s, e);
        if buf.len() < ipv4::HEADER_LEN {
            inv(pkt, E::Ipv4PktTooSmall);
            return Err(());
        }
        if !self.layer(pkt) {
            return Err(());
        }
        match buf[0] >> 4 {
            4 => self.ipv4(pkt, s, e.min(s + 65535)),
            6 => self.ipv6(pkt, s, e.min(s + 65535)),
            _ => {
                ev(pkt, E::IprawInvalidIpVersion);
                Ok(())
            }
        }
    }

    fn chdlc(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.chdlc += 1;
        let buf = sub(pkt, s, e);
        if buf.len() < 4 {
            inv(pkt, E::ChdlcPktTooSmall);
            return Err(());
        }
        if !self.layer(pkt) {
            return Err(());
        }
        let proto = u16::from_be_bytes([buf[2], buf[3]]);
        let _ = self.network(pkt, proto, s + 4, e);
        Ok(())
    }

    /// Dispatches on an EtherType; false when it is unknown.
    fn network(&mut self, pkt: &mut Packet<'_>, proto: u16, s: usize, e: usize) -> bool {
        match proto {
            ethertype::IPV4 => {
                let _ = self.ipv4(pkt, s, e.min(s + 65535));
            }
            ethertype::IPV6 => {
                let _ = self.ipv6(pkt, s, e.min(s + 65535));
            }
            ethertype::PPPOE_SESS => {
                let _ = self.pppoe_session(pkt, s, e);
            }
            ethertype::PPPOE_DISC => {
                let _ = self.pppoe_discovery(pkt, s, e);
            }
            ethertype::VLAN | ethertype::IEEE8021AD | ethertype::QINQ => {
                if usize::from(pkt.vlan_count) >= pkt.vlan.len() {
                    ev(pkt, E::VlanTooManyLayers);
                } else {
                    let _ = self.vlan(pkt, s, e);
                }
            }
            ethertype::IEEE8021AH => {
                let _ = self.ieee8021ah(pkt, s, e);
            }
            ethertype::ARP => self.stats.arp += 1,
            ethertype::MPLS_UNICAST | ethertype::MPLS_MULTICAST => {
                let _ = self.mpls(pkt, s, e);
            }
            ethertype::DCE => {
                // FabricPath: 2 bytes of FTag/TTL, then a classic Ethernet frame.
                if e.saturating_sub(s) < ethernet::HEADER_LEN + 2 {
                    inv(pkt, E::DcePktTooSmall);
                } else {
                    let _ = self.ethernet(pkt, s + 2, e);
                }
            }
            ethertype::VNTAG => {
                let _ = self.vntag(pkt, s, e);
            }
            ethertype::NSH => {
                let _ = self.nsh(pkt, s, e);
            }
            _ => {
                self.stats.unknown_ethertype += 1;
                return false;
            }
        }
        true
    }

    fn vlan(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        match pkt.vlan_count {
            0 => self.stats.vlan += 1,
            1 => self.stats.vlan_qinq += 1,
            2 => self.stats.vlan_qinqinq += 1,
            _ => {}
        }
        let Ok(tag) = vlan::VlanTag::new_checked(sub(pkt, s, e)) else {
            inv(pkt, E::VlanHeaderTooSmall);
            return Err(());
        };
        if !self.layer(pkt) {
            return Err(());
        }
        let idx = usize::from(pkt.vlan_count);
        if idx >= pkt.vlan.len() {
            ev(pkt, E::VlanTooManyLayers);
            return Err(());
        }
        pkt.vlan[idx] = tag.id();
        pkt.vlan_count += 1;
        if !self.network(pkt, tag.ether_type(), s + vlan::HEADER_LEN, e) {
            inv(pkt, E::VlanUnknownType);
            return Err(());
        }
        Ok(())
    }

    fn ieee8021ah(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.ieee8021ah += 1;
        let Ok(h) = vlan::Ieee8021ah::new_checked(sub(pkt, s, e)) else {
            inv(pkt, E::Ieee8021ahHeaderTooSmall);
            return Err(());
        };
        if !self.layer(pkt) {
            return Err(());
        }
        let _ = self.network(pkt, h.ether_type(), s + vlan::IEEE8021AH_HEADER_LEN, e);
        Ok(())
    }

    fn vntag(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.vntag += 1;
        let Ok(h) = vlan::VnTag::new_checked(sub(pkt, s, e)) else {
            inv(pkt, E::VntagHeaderTooSmall);
            return Err(());
        };
        if !self.layer(pkt) {
            return Err(());
        }
        if !self.network(pkt, h.ether_type(), s + vlan::VNTAG_HEADER_LEN, e) {
            inv(pkt, E::VntagUnknownType);
            return Err(());
        }
        Ok(())
    }

    fn nsh(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.nsh += 1;
        let buf = sub(pkt, s, e);
        let Ok(h) = nsh::NshHeader::new_checked(buf) else {
            inv(pkt, E::NshHeaderTooSmall);
            return Err(());
        };
        if !self.layer(pkt) {
            return Err(());
        }
        if h.version() != 0 {
            inv(pkt, E::NshUnsupportedVersion);
            return Err(());
        }
        let hl = h.header_len();
        if hl < nsh::MIN_HEADER_LEN || hl > buf.len() {
            inv(pkt, E::NshBadHeaderLength);
            return Err(());
        }
        match h.md_type() {
            1 => {
                if hl != nsh::MD1_HEADER_LEN {
                    inv(pkt, E::NshBadHeaderLength);
                    return Err(());
                }
            }
            2 => {}
            0 | 0x0f => {
                inv(pkt, E::NshReservedType);
                return Err(());
            }
            _ => {
                inv(pkt, E::NshUnsupportedType);
                return Err(());
            }
        }
        let body = s + hl;
        match h.next_protocol() {
            nsh::NEXT_IPV4 => self.ipv4(pkt, body, e.min(body + 65535)),
            nsh::NEXT_IPV6 => self.ipv6(pkt, body, e.min(body + 65535)),
            nsh::NEXT_ETHERNET => self.ethernet(pkt, body, e),
            nsh::NEXT_MPLS => self.mpls(pkt, body, e),
            _ => {
                inv(pkt, E::NshUnknownPayload);
                Err(())
            }
        }
    }

    fn mpls(&mut self, pkt: &mut Packet<'_>, mut s: usize, e: usize) -> R {
        self.stats.mpls += 1;
        let label = loop {
            let Ok(entry) = mpls::MplsEntry::new_checked(sub(pkt, s, e)) else {
                inv(pkt, E::MplsHeaderTooSmall);
                return Err(());
            };
            s += mpls::HEADER_LEN;
            if entry.bottom() {
                break entry.label();
            }
        };
        match label {
            mpls::LABEL_IPV4_EXPLICIT_NULL => return self.ipv4(pkt, s, e.min(s + 65535)),
            mpls::LABEL_IPV6_EXPLICIT_NULL => return self.ipv6(pkt, s, e.min(s + 65535)),
            mpls::LABEL_ROUTER_ALERT => ev(pkt, E::MplsBadLabelRouterAlert),
            mpls::LABEL_IMPLICIT_NULL => ev(pkt, E::MplsBadLabelImplicitNull),
            l if l < mpls::LABEL_MAX_RESERVED => ev(pkt, E::MplsBadLabelReserved),
            _ => {}
        }
        // No label says what follows: guess from the first nibble.
        let Some(&first) = sub(pkt, s, e).first() else {
            inv(pkt, E::MplsPktTooSmall);
            return Err(());
        };
        match first >> 4 {
            4 => self.ipv4(pkt, s, e.min(s + 65535)),
            6 => self.ipv6(pkt, s, e.min(s + 65535)),
            0 => {
                if e - s < mpls::PW_LEN {
                    inv(pkt, E::MplsPktTooSmall);
                    return Err(());
                }
                self.ethernet(pkt, s + mpls::PW_LEN, e)
            }
            _ => {
                inv(pkt, E::MplsUnknownPayloadType);
                Ok(())
            }
        }
    }

    fn pppoe_discovery(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.pppoe += 1;
        let Ok(h) = pppoe::PppoeHeader::new_checked(sub(pkt, s, e)) else {
            inv(pkt, E::PppoePktTooSmall);
            return Err(());
        };
        if !self.layer(pkt) {
            return Err(());
        }
        if !pppoe::is_discovery_code(h.code()) {
            inv(pkt, E::PppoeWrongCode);
            return Ok(());
        }
        let body = h.payload();
        let claimed = usize::from(h.length());
        if claimed > body.len() || !pppoe::tags_well_formed(&body[..claimed]) {
            inv(pkt, E::PppoeMalformedTags);
        }
        Ok(())
    }

    fn pppoe_session(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.pppoe += 1;
        let buf = sub(pkt, s, e);
        let Ok(h) = pppoe::PppoeHeader::new_checked(buf) else {
            inv(pkt, E::PppoePktTooSmall);
            return Err(());
        };
        if !self.layer(pkt) {
            return Err(());
        }
        if h.length() == 0 {
            return Ok(());
        }
        // A protocol field whose first byte is odd is a compressed, single-byte one.
        let (proto, hl) = match buf.get(6) {
            Some(&b) if b & 0x01 != 0 => (u16::from(b), pppoe::DISCOVERY_HEADER_LEN + 1),
            Some(_) if buf.len() >= pppoe::SESSION_HEADER_LEN => {
                (h.ppp_protocol(), pppoe::SESSION_HEADER_LEN)
            }
            _ => {
                inv(pkt, E::PppoePktTooSmall);
                return Err(());
            }
        };
        self.ppp_payload(pkt, proto, false, s + hl, e)
    }

    fn ppp(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.ppp += 1;
        let buf = sub(pkt, s, e);
        if buf.is_empty() {
            inv(pkt, E::PppPktTooSmall);
            return Err(());
        }
        // 0xff: HDLC address and control bytes before the protocol.
        let proto_off = if buf[0] == 0xff { 2 } else { 0 };
        if buf.len() < proto_off + 1 {
            inv(pkt, E::PppPktTooSmall);
            return Err(());
        }
        let proto_size = if buf[proto_off] & 0x01 != 0 { 1 } else { 2 };
        if buf.len() < proto_off + proto_size {
            inv(pkt, E::PppPktTooSmall);
            return Err(());
        }
        if !self.layer(pkt) {
            return Err(());
        }
        let proto = if proto_size == 1 {
            u16::from(buf[proto_off])
        } else {
            u16::from_be_bytes([buf[proto_off], buf[proto_off + 1]])
        };
        self.ppp_payload(pkt, proto, proto_size == 1, s + proto_off + proto_size, e)
    }

    /// The PPP payload of protocol `proto` at `[d, e)`. A one-byte (`compressed`)
    /// protocol field is handled as Suricata does: IPv4, IPv6 and VJ are followed, any
    /// other value is an unsupported protocol (and a short IPv4 payload is reported as a
    /// short VJ one).
    fn ppp_payload(
        &mut self,
        pkt: &mut Packet<'_>,
        proto: u16,
        compressed: bool,
        d: usize,
        e: usize,
    ) -> R {
        let avail = e.saturating_sub(d);
        match proto {
            ppp::PPP_VJ_UCOMP => {
                if avail < ipv4::HEADER_LEN {
                    inv(pkt, E::PppVjuPktTooSmall);
                    return Err(());
                }
                // The IPv4 header is decoded; Suricata 7.0.10 does not go on to the TCP
                // header carried as protocol 0.
                if sub(pkt, d, e).first().map(|b| b >> 4) == Some(4) {
                    self.ipv4(pkt, d, e.min(d + 65535))
                } else {
                    Err(())
                }
            }
            ppp::PPP_IP => {
                if avail < ipv4::HEADER_LEN {
                    let ev = if compressed {
                        E::PppVjuPktTooSmall
                    } else {
                        E::PppIp4PktTooSmall
                    };
                    inv(pkt, ev);
                    return Err(());
                }
                self.ipv4(pkt, d, e.min(d + 65535))
            }
            ppp::PPP_IPV6 => {
                if avail < ipv6::HEADER_LEN {
                    inv(pkt, E::PppIp6PktTooSmall);
                    return Err(());
                }
                self.ipv6(pkt, d, e.min(d + 65535))
            }
            _ if compressed => {
                ev(pkt, E::PppUnsupProto);
                Ok(())
            }
            p if ppp::is_unsupported(p) => {
                ev(pkt, E::PppUnsupProto);
                Ok(())
            }
            _ => {
                // Invalid, but the PPP layer itself decoded.
                inv(pkt, E::PppWrongType);
                Ok(())
            }
        }
    }

    // ----- IPv4 -----

    fn ipv4(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.ipv4 += 1;
        if !self.layer(pkt) {
            return Err(());
        }
        let buf = sub(pkt, s, e);
        let Ok(ip) = ipv4::Ipv4Packet::new_checked(buf) else {
            inv(pkt, E::Ipv4PktTooSmall);
            return Err(());
        };
        if ip.version() != 4 {
            inv(pkt, E::Ipv4WrongIpVersion);
            return Err(());
        }
        let hlen = ip.header_len();
        if hlen < ipv4::HEADER_LEN {
            inv(pkt, E::Ipv4HlenTooSmall);
            return Err(());
        }
        let total = ip.total_len();
        if total < hlen {
            inv(pkt, E::Ipv4IplenSmallerThanHlen);
            return Err(());
        }
        if buf.len() < total {
            inv(pkt, E::Ipv4TruncPkt);
            return Err(());
        }
        if hlen > ipv4::HEADER_LEN {
            self.ipv4_options(pkt, ip.options())?;
        }
        let proto = ip.protocol();
        let src = IpAddr::V4(ip.src());
        let dst = IpAddr::V4(ip.dst());
        pkt.ip = Some(IpInfo {
            version: 4,
            src,
            dst,
            proto,
            ttl: ip.ttl(),
            offset: s as u32,
            hlen: hlen as u16,
            total_len: total as u32,
        });
        if self.csum() {
            pkt.ip_csum_ok = ip.header().map(checksum::verify);
        }
        let l4s = s + hlen;
        let l4e = s + total;
        if ip.frag_offset() > 0 || ip.more_frags() {
            pkt.fragment = Some(FragInfo {
                id: u32::from(ip.ident()),
                offset: ip.frag_offset(),
                more: ip.more_frags(),
            });
            pkt.frag_layout = Some(FragLayout {
                data_offset: l4s as u32,
                data_len: (l4e - l4s) as u32,
                frag_hdr_offset: 0,
                prev_nh_offset: 0,
                next_header: proto,
            });
            return Ok(());
        }
        match proto {
            6 => {
                let _ = self.tcp(pkt, l4s, l4e);
            }
            17 => {
                let _ = self.udp(pkt, l4s, l4e);
            }
            1 => {
                let _ = self.icmpv4(pkt, l4s, l4e);
            }
            47 => {
                pkt.l4 = L4::Other;
                let _ = self.gre(pkt, l4s, l4e);
            }
            132 => {
                let _ = self.sctp(pkt, l4s, l4e);
            }
            50 => {
                let _ = self.esp(pkt, l4s, l4e);
            }
            41 => {
                pkt.l4 = L4::Other;
                self.tunnel(pkt, InnerKind::Ipv6, l4s, l4e, "ipv6_in_ipv4", false);
            }
            4 if self.cfg.ipv4_in_ipv4 => {
                pkt.l4 = L4::Other;
                self.tunnel(pkt, InnerKind::Ipv4, l4s, l4e, "ipv4_in_ipv4", false);
            }
            58 => inv(pkt, E::Ipv4Icmpv6),
            _ => pkt.l4 = L4::Other,
        }
        Ok(())
    }

    /// Walks IPv4 options. `Err` when an option length is impossible (the header is then
    /// not decoded further, as in Suricata).
    fn ipv4_options(&mut self, pkt: &mut Packet<'_>, opts: &[u8]) -> R {
        // Options are expected to fill whole 8-byte units.
        if opts.len() & 7 != 0 {
            ev(pkt, E::Ipv4OptPadRequired);
        }
        let mut off = 0usize;
        let mut seen: u16 = 0;
        while off < opts.len() {
            let kind = opts[off];
            if kind == ipv4::OPT_EOL {
                pkt.ipv4_opts |= ipv4::OPT_FLAG_EOL;
                break;
            }
            if kind == ipv4::OPT_NOP {
                pkt.ipv4_opts |= ipv4::OPT_FLAG_NOP;
                off += 1;
                continue;
            }
            let rest = opts.len() - off;
            if rest < 2 {
                ev(pkt, E::Ipv4OptEolRequired);
                break;
            }
            let olen = usize::from(opts[off + 1]);
            if olen > rest || olen < 2 {
                inv(pkt, E::Ipv4OptInvalidLen);
                return Err(());
            }
            let opt = &opts[off..off + olen];
            let flag = match kind {
                ipv4::OPT_TS => Some(ipv4::OPT_FLAG_TS),
                ipv4::OPT_RR => Some(ipv4::OPT_FLAG_RR),
                ipv4::OPT_QS => Some(ipv4::OPT_FLAG_QS),
                ipv4::OPT_SEC => Some(ipv4::OPT_FLAG_SEC),
                ipv4::OPT_ESEC => Some(ipv4::OPT_FLAG_ESEC),
                ipv4::OPT_LSRR => Some(ipv4::OPT_FLAG_LSRR),
                ipv4::OPT_CIPSO => Some(ipv4::OPT_FLAG_CIPSO),
                ipv4::OPT_SID => Some(ipv4::OPT_FLAG_SID),
                ipv4::OPT_SSRR => Some(ipv4::OPT_FLAG_SSRR),
                ipv4::OPT_RTRALT => Some(ipv4::OPT_FLAG_RTRALT),
                _ => None,
            };
            match flag {
                Some(f) if seen & f != 0 => ev(pkt, E::Ipv4OptDuplicate),
                Some(f) => {
                    if validate_ipv4_option(pkt, kind, opt) {
                        seen |= f;
                        pkt.ipv4_opts |= f;
                    }
                }
                None => ev(pkt, E::Ipv4OptInvalid),
            }
            off += olen;
        }
        Ok(())
    }

    // ----- IPv6 -----

    fn ipv6(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.ipv6 += 1;
        if !self.layer(pkt) {
            return Err(());
        }
        let buf = sub(pkt, s, e);
        let Ok(ip) = ipv6::Ipv6Packet::new_checked(buf) else {
            inv(pkt, E::Ipv6PktTooSmall);
            return Err(());
        };
        if ip.version() != 6 {
            inv(pkt, E::Ipv6WrongIpVersion);
            return Err(());
        }
        let plen = ip.payload_len();
        if buf.len() < ipv6::HEADER_LEN + plen {
            inv(pkt, E::Ipv6TruncPkt);
            return Err(());
        }
        let nh = ip.next_header();
        pkt.ip = Some(IpInfo {
            version: 6,
            src: IpAddr::V6(ip.src()),
            dst: IpAddr::V6(ip.dst()),
            proto: nh,
            ttl: ip.hop_limit(),
            offset: s as u32,
            hlen: ipv6::HEADER_LEN as u16,
            total_len: (ipv6::HEADER_LEN + plen) as u32,
        });
        let ps = s + ipv6::HEADER_LEN;
        let pe = ps + plen;
        let l4proto = match nh {
            ipv6::NH_TCP
            | ipv6::NH_UDP
            | ipv6::NH_ICMPV6
            | ipv6::NH_SCTP
            | ipv6::NH_IPIP
            | ipv6::NH_IPV6
            | ipv6::NH_GRE => {
                self.ipv6_upper(pkt, nh, ps, pe);
                nh
            }
            ipv6::NH_FRAGMENT
            | ipv6::NH_HOPOPTS
            | ipv6::NH_ROUTING
            | ipv6::NH_NONE
            | ipv6::NH_DSTOPTS
            | ipv6::NH_AH
            | ipv6::NH_ESP
            | ipv6::NH_MH
            | ipv6::NH_HIP
            | ipv6::NH_SHIM6 => self.ipv6_exthdrs(pkt, s, ps, pe),
            ipv6::NH_ICMP => {
                ev(pkt, E::Ipv6Icmpv4);
                nh
            }
            _ => {
                ev(pkt, E::Ipv6UnknownNextHeader);
                pkt.l4 = L4::Other;
                nh
            }
        };
        if let Some(ipi) = pkt.ip.as_mut() {
            ipi.proto = l4proto;
        }
        Ok(())
    }

    /// An upper-layer protocol (or a tunnel) at `[s, e)` after IPv6 headers.
    fn ipv6_upper(&mut self, pkt: &mut Packet<'_>, nh: u8, s: usize, e: usize) {
        set_v6_hlen(pkt, s);
        match nh {
            ipv6::NH_TCP => {
                let _ = self.tcp(pkt, s, e);
            }
            ipv6::NH_UDP => {
                let _ = self.udp(pkt, s, e);
            }
            ipv6::NH_ICMPV6 => {
                let _ = self.icmpv6(pkt, s, e);
            }
            ipv6::NH_SCTP => {
                let _ = self.sctp(pkt, s, e);
            }
            ipv6::NH_IPIP => {
                pkt.l4 = L4::Other;
                if e - s < ipv4::HEADER_LEN {
                    inv(pkt, E::Ipv6Ipv4InIpv6TooSmall);
                } else if sub(pkt, s, e)[0] >> 4 == 4 {
                    if self.tunnel(pkt, InnerKind::Ipv4, s, e, "ipv4_in_ipv6", false) {
                        self.stats.ipv4_in_ipv6 += 1;
                    }
                } else {
                    ev(pkt, E::Ipv6Ipv4InIpv6WrongVersion);
                }
            }
            ipv6::NH_IPV6 => {
                pkt.l4 = L4::Other;
                if e - s < ipv6::HEADER_LEN {
                    inv(pkt, E::Ipv6Ipv6InIpv6TooSmall);
                } else if sub(pkt, s, e)[0] >> 4 == 6 {
                    if self.tunnel(pkt, InnerKind::Ipv6, s, e, "ipv6_in_ipv6", false) {
                        self.stats.ipv6_in_ipv6 += 1;
                    }
                } else {
                    ev(pkt, E::Ipv6Ipv6InIpv6WrongVersion);
                }
            }
            ipv6::NH_GRE => {
                pkt.l4 = L4::Other;
                let _ = self.gre(pkt, s, e);
            }
            _ => {}
        }
    }

    /// Walks IPv6 extension headers from `s` (IPv6 header at `ip_off`) and decodes the
    /// upper layer. Returns the last next-header value processed (Suricata's L4 proto).
    fn ipv6_exthdrs(&mut self, pkt: &mut Packet<'_>, ip_off: usize, mut s: usize, e: usize) -> u8 {
        let mut nh = sub(pkt, ip_off, e).get(6).copied().unwrap_or(0);
        // Offset of the byte naming the header being processed.
        let mut nh_byte = ip_off + 6;
        let mut l4proto = nh;
        let (mut hh, mut rh, mut ah, mut fh) = (false, false, false, false);
        let mut dstopts = 0u8;
        // Each pass consumes at least one byte or returns, so the walk is bounded by the
        // packet length.
        loop {
            set_v6_hlen(pkt, s);
            let plen = e.saturating_sub(s);
            if nh == ipv6::NH_NONE {
                l4proto = nh;
                pkt.l4 = L4::Other;
                if plen > 0 {
                    ev(pkt, E::Ipv6DataAfterNoneHeader);
                }
                return l4proto;
            }
            if plen < 2 {
                inv(pkt, E::Ipv6TruncExthdr);
                return l4proto;
            }
            let hdr = sub(pkt, s, e);
            match nh {
                ipv6::NH_TCP
                | ipv6::NH_UDP
                | ipv6::NH_ICMPV6
                | ipv6::NH_SCTP
                | ipv6::NH_IPIP
                | ipv6::NH_GRE => {
                    // Suricata does not follow IPv6-in-IPv6 or GRE after extension
                    // headers; IPv4-in-IPv6 it does.
                    if nh == ipv6::NH_GRE {
                        ev(pkt, E::Ipv6UnknownNextHeader);
                        pkt.l4 = L4::Other;
                        return nh;
                    }
                    self.ipv6_upper(pkt, nh, s, e);
                    return nh;
                }
                ipv6::NH_ROUTING | ipv6::NH_MH | ipv6::NH_HIP | ipv6::NH_SHIM6 => {
                    l4proto = if nh == ipv6::NH_ROUTING { nh } else { l4proto };
                    let hl = 8 + usize::from(hdr[1]) * 8;
                    if hl > plen {
                        inv(pkt, E::Ipv6TruncExthdr);
                        return l4proto;
                    }
                    if nh == ipv6::NH_ROUTING {
                        if rh {
                            ev(pkt, E::Ipv6ExthdrDuplRh);
                        } else {
                            rh = true;
                            if hdr.get(2) == Some(&0) {
                                ev(pkt, E::Ipv6RhType0);
                            }
                        }
                    }
                    nh_byte = s;
                    nh = hdr[0];
                    s += hl;
                }
                ipv6::NH_HOPOPTS | ipv6::NH_DSTOPTS => {
                    l4proto = nh;
                    let hl = (usize::from(hdr[1]) + 1) * 8;
                    if hl > plen {
                        inv(pkt, E::Ipv6TruncExthdr);
                        return l4proto;
                    }
                    let skip = if nh == ipv6::NH_HOPOPTS {
                        if hh {
                            ev(pkt, E::Ipv6ExthdrDuplHh);
                            true
                        } else {
                            hh = true;
                            false
                        }
                    } else if dstopts < 2 {
                        dstopts += 1;
                        false
                    } else {
                        ev(pkt, E::Ipv6ExthdrDuplDh);
                        true
                    };
                    if !skip {
                        ipv6_options(pkt, nh == ipv6::NH_HOPOPTS, &hdr[2..hl]);
                    }
                    nh_byte = s;
                    nh = hdr[0];
                    s += hl;
                }
                ipv6::NH_FRAGMENT => {
                    l4proto = nh;
                    let Ok(f) = ipv6::FragHeader::new_checked(hdr) else {
                        inv(pkt, E::Ipv6TruncExthdr);
                        return l4proto;
                    };
                    if f.reserved() != 0 {
                        ev(pkt, E::Ipv6FhNonZeroReservedField);
                    }
                    if fh {
                        ev(pkt, E::Ipv6ExthdrDuplFh);
                        nh_byte = s;
                        nh = hdr[0];
                        s += ipv6::FRAG_HEADER_LEN;
                        continue;
                    }
                    fh = true;
                    if !f.more() && f.offset() == 0 {
                        ev(pkt, E::Ipv6ExthdrUselessFh);
                        nh_byte = s;
                        nh = hdr[0];
                        s += ipv6::FRAG_HEADER_LEN;
                        continue;
                    }
                    // (`ipv6.frag_invalid_length`, a fragment with more to come whose
                    // data is not a multiple of 8 bytes, is raised by defrag.)
                    let data_len = plen - ipv6::FRAG_HEADER_LEN;
                    pkt.fragment = Some(FragInfo {
                        id: f.ident(),
                        offset: f.offset(),
                        more: f.more(),
                    });
                    pkt.frag_layout = Some(FragLayout {
                        data_offset: (s + ipv6::FRAG_HEADER_LEN) as u32,
                        data_len: data_len as u32,
                        frag_hdr_offset: s as u32,
                        prev_nh_offset: nh_byte as u32,
                        next_header: f.next_header(),
                    });
                    pkt.l4 = L4::None;
                    return l4proto;
                }
                ipv6::NH_ESP => {
                    let _ = self.esp(pkt, s, e);
                    return nh;
                }
                ipv6::NH_AH => {
                    l4proto = nh;
                    let mut hl = ipv6::AH_HEADER_LEN;
                    if hdr[1] > 0 {
                        hl += (usize::from(hdr[1]) - 1) * 4;
                    }
                    if hl > plen {
                        inv(pkt, E::Ipv6TruncExthdr);
                        return l4proto;
                    }
                    if hdr[2] != 0 || hdr[3] != 0 {
                        ev(pkt, E::Ipv6ExthdrAhResNotNull);
                    }
                    if ah {
                        ev(pkt, E::Ipv6ExthdrDuplAh);
                    }
                    ah = true;
                    nh_byte = s;
                    nh = hdr[0];
                    s += hl;
                }
                ipv6::NH_ICMP => {
                    ev(pkt, E::Ipv6Icmpv4);
                    return l4proto;
                }
                ipv6::NH_IPV6 => {
                    // Not followed after extension headers.
                    ev(pkt, E::Ipv6UnknownNextHeader);
                    pkt.l4 = L4::Other;
                    return nh;
                }
                _ => {
                    ev(pkt, E::Ipv6UnknownNextHeader);
                    pkt.l4 = L4::Other;
                    return nh;
                }
            }
        }
    }

    // ----- transport -----

    fn tcp(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.tcp += 1;
        let buf = sub(pkt, s, e);
        let Ok(th) = tcp::TcpPacket::new_checked(buf) else {
            inv(pkt, E::TcpPktTooSmall);
            return Err(());
        };
        let hlen = th.header_len();
        if buf.len() < hlen {
            inv(pkt, E::TcpHlenTooSmall);
            return Err(());
        }
        // A data offset below 5 wraps around, as Suricata's 8-bit arithmetic does.
        let opt_len = (hlen as u8).wrapping_sub(tcp::HEADER_LEN as u8);
        if usize::from(opt_len) > tcp::OPT_LEN_MAX {
            inv(pkt, E::TcpInvalidOptlen);
            return Err(());
        }
        let mut opts = tcp::TcpOptions::default();
        if opt_len > 0 {
            let mut invalid = false;
            let mut evs = crate::Events::default();
            tcp::parse_options(&buf[tcp::HEADER_LEN..hlen], &mut opts, |e, i| {
                evs.push(e);
                invalid |= i;
            });
            for e in evs.iter() {
                pkt.events.push(e);
            }
            pkt.invalid |= invalid;
        }
        let flags = th.flags();
        if flags & (tcp::FLAG_SYN | tcp::FLAG_ACK) == tcp::FLAG_SYN | tcp::FLAG_ACK {
            self.stats.tcp_synack += 1;
        } else if flags & tcp::FLAG_SYN != 0 {
            self.stats.tcp_syn += 1;
        }
        if flags & tcp::FLAG_RST != 0 {
            self.stats.tcp_rst += 1;
        }
        if flags & tcp::FLAG_URG != 0 {
            self.stats.tcp_urg += 1;
        }
        pkt.tcp_opts = opts;
        pkt.sp = th.src_port();
        pkt.dp = th.dst_port();
        pkt.l4 = L4::Tcp(TcpInfo {
            seq: th.seq(),
            ack: th.ack(),
            flags,
            window: th.window(),
            hlen: hlen as u8,
        });
        pkt.payload_offset = (s + hlen) as u32;
        pkt.payload_len = (buf.len() - hlen) as u32;
        self.l4_checksum(pkt, 6, buf);
        Ok(())
    }

    fn l4_checksum(&self, pkt: &mut Packet<'_>, proto: u8, seg: &[u8]) {
        if !self.csum() {
            return;
        }
        if let Some(ip) = pkt.ip {
            pkt.l4_csum_ok = Some(checksum::verify_l4(ip.src, ip.dst, proto, seg));
        }
    }

    fn udp(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.udp += 1;
        let buf = sub(pkt, s, e);
        let Ok(uh) = udp::UdpPacket::new_checked(buf) else {
            inv(pkt, E::UdpHlenTooSmall);
            return Err(());
        };
        let ulen = uh.len();
        if buf.len() < ulen {
            inv(pkt, E::UdpPktTooSmall);
            return Err(());
        }
        if ulen < udp::HEADER_LEN {
            inv(pkt, E::UdpLenInvalid);
            return Err(());
        }
        let (sp, dp) = (uh.src_port(), uh.dst_port());
        pkt.sp = sp;
        pkt.dp = dp;
        pkt.l4 = L4::Udp(UdpInfo { len: ulen as u16 });
        let ps = s + udp::HEADER_LEN;
        let pe = s + ulen;
        pkt.payload_offset = ps as u32;
        pkt.payload_len = (pe - ps) as u32;
        if self.csum() {
            let v4 = matches!(pkt.ip, Some(IpInfo { version: 4, .. }));
            if v4 && uh.checksum() == 0 {
                // No checksum over IPv4.
            } else {
                self.l4_checksum(pkt, 17, &buf[..ulen]);
            }
        }
        // Tunnels over UDP, in Suricata's order.
        if self.cfg.teredo_enabled
            && (self.cfg.teredo_ports.contains(sp) || self.cfg.teredo_ports.contains(dp))
        {
            if let Some(off) = teredo::find_ipv6(sub(pkt, ps, pe)) {
                if self.tunnel(pkt, InnerKind::Ipv6, ps + off, pe, "teredo", true) {
                    self.stats.teredo += 1;
                    return Ok(());
                }
            }
        }
        if self.cfg.geneve_enabled
            && (self.cfg.geneve_ports.contains(sp) || self.cfg.geneve_ports.contains(dp))
            && self.geneve(pkt, ps, pe)
        {
            return Ok(());
        }
        if self.cfg.vxlan_enabled && self.cfg.vxlan_ports.contains(dp) {
            let _ = self.vxlan(pkt, ps, pe);
        }
        Ok(())
    }

    /// True when the payload was taken as Geneve.
    fn geneve(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> bool {
        if self.trial {
            return false;
        }
        let Ok(g) = geneve::GeneveHeader::new_checked(sub(pkt, s, e)) else {
            return false;
        };
        if g.version() != 0 || !g.options_consistent() {
            return false;
        }
        if !self.layer(pkt) {
            return false;
        }
        self.stats.geneve += 1;
        let kind = match g.protocol() {
            ethertype::IPV4 => InnerKind::Ipv4,
            ethertype::IPV6 => InnerKind::Ipv6,
            ethertype::BRIDGE => InnerKind::Ethernet,
            // ARP: recognised, not decoded, no event.
            ethertype::ARP => return true,
            _ => {
                inv(pkt, E::GeneveUnknownPayloadType);
                return true;
            }
        };
        self.tunnel(pkt, kind, s + g.header_len(), e, "geneve", false);
        true
    }

    /// True when the payload was taken as VXLAN.
    fn vxlan(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> bool {
        if self.trial {
            return false;
        }
        let buf = sub(pkt, s, e);
        if buf.len() < vxlan::HEADER_LEN + ethernet::HEADER_LEN {
            return false;
        }
        let Ok(v) = vxlan::VxlanHeader::new_checked(buf) else {
            return false;
        };
        if !v.vni_valid() || v.reserved() != 0 {
            return false;
        }
        if !self.layer(pkt) {
            return false;
        }
        self.stats.vxlan += 1;
        // Suricata skips the inner Ethernet header and decodes what it carries (the inner
        // Ethernet layer is not counted).
        let inner = v.payload();
        let etype = u16::from_be_bytes([inner[12], inner[13]]);
        let kind = match etype {
            ethertype::IPV4 => InnerKind::Ipv4,
            ethertype::IPV6 => InnerKind::Ipv6,
            ethertype::VLAN => InnerKind::Vlan,
            ethertype::ARP => return true,
            _ => {
                inv(pkt, E::VxlanUnknownPayloadType);
                return true;
            }
        };
        let body = s + vxlan::HEADER_LEN + ethernet::HEADER_LEN;
        self.tunnel(pkt, kind, body, e, "vxlan", false);
        true
    }

    fn sctp(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.sctp += 1;
        let buf = sub(pkt, s, e);
        let Ok(h) = sctp::SctpPacket::new_checked(buf) else {
            inv(pkt, E::SctpPktTooSmall);
            return Err(());
        };
        if !self.layer(pkt) {
            return Err(());
        }
        pkt.sp = h.src_port();
        pkt.dp = h.dst_port();
        pkt.l4 = L4::Sctp;
        pkt.payload_offset = (s + sctp::HEADER_LEN) as u32;
        pkt.payload_len = (buf.len() - sctp::HEADER_LEN) as u32;
        Ok(())
    }

    fn esp(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.esp += 1;
        let buf = sub(pkt, s, e);
        const ESP_HEADER_LEN: usize = 8;
        if buf.len() < ESP_HEADER_LEN {
            inv(pkt, E::EspPktTooSmall);
            return Err(());
        }
        if !self.layer(pkt) {
            return Err(());
        }
        pkt.l4 = L4::Other;
        pkt.payload_offset = (s + ESP_HEADER_LEN) as u32;
        pkt.payload_len = (buf.len() - ESP_HEADER_LEN) as u32;
        Ok(())
    }

    fn icmpv4(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.icmpv4 += 1;
        let buf = sub(pkt, s, e);
        let Ok(ic) = icmpv4::Icmpv4Packet::new_checked(buf) else {
            inv(pkt, E::Icmpv4PktTooSmall);
            return Err(());
        };
        let (t, code) = (ic.msg_type(), ic.code());
        pkt.sp = u16::from_le_bytes([t, code]);
        pkt.dp = icmpv4::counterpart(t).map(u16::from).unwrap_or(0);
        let mut info = IcmpInfo {
            itype: t,
            code,
            ..IcmpInfo::default()
        };
        let mut hlen = icmpv4::HEADER_LEN;
        let body = ic.body();
        let echo_like = |info: &mut IcmpInfo| {
            info.id = ic.ident();
            info.seq = ic.seq();
        };
        match t {
            icmpv4::ECHO_REPLY
            | icmpv4::ECHO
            | icmpv4::INFO_REQUEST
            | icmpv4::INFO_REPLY
            | icmpv4::ADDRESS
            | icmpv4::ADDRESS_REPLY => {
                echo_like(&mut info);
                if code != 0 {
                    ev(pkt, E::Icmpv4UnknownCode);
                }
            }
            icmpv4::TIMESTAMP | icmpv4::TIMESTAMP_REPLY => {
                echo_like(&mut info);
                if code != 0 {
                    ev(pkt, E::Icmpv4UnknownCode);
                }
                if buf.len() < icmpv4::HEADER_LEN + icmpv4::TIMESTAMP_LEN {
                    ev(pkt, E::Icmpv4Ipv4TruncPkt);
                } else {
                    hlen += icmpv4::TIMESTAMP_LEN;
                }
            }
            icmpv4::DEST_UNREACH => {
                if code > icmpv4::UNREACH_CODE_MAX {
                    ev(pkt, E::Icmpv4UnknownCode);
                } else if !body.is_empty() {
                    info.embedded = embedded_ipv4(pkt, body);
                }
            }
            icmpv4::SOURCE_QUENCH | icmpv4::PARAM_PROB => {
                if code != 0 {
                    ev(pkt, E::Icmpv4UnknownCode);
                } else if t == icmpv4::SOURCE_QUENCH || !body.is_empty() {
                    info.embedded = embedded_ipv4(pkt, body);
                }
            }
            icmpv4::REDIRECT => {
                if code > icmpv4::REDIRECT_CODE_MAX {
                    ev(pkt, E::Icmpv4UnknownCode);
                } else if !body.is_empty() {
                    info.embedded = embedded_ipv4(pkt, body);
                }
            }
            icmpv4::TIME_EXCEEDED => {
                if code > icmpv4::TIME_EXCEEDED_CODE_MAX {
                    ev(pkt, E::Icmpv4UnknownCode);
                } else if !body.is_empty() {
                    info.embedded = embedded_ipv4(pkt, body);
                }
            }
            icmpv4::ROUTER_ADVERT => {
                let adv = ic.router_advert_len();
                if buf.len() < adv + icmpv4::HEADER_LEN {
                    ev(pkt, E::Icmpv4Ipv4TruncPkt);
                } else {
                    hlen += adv;
                }
            }
            _ => ev(pkt, E::Icmpv4UnknownType),
        }
        let hlen = hlen.min(buf.len());
        pkt.l4 = L4::Icmpv4(info);
        pkt.payload_offset = (s + hlen) as u32;
        pkt.payload_len = (buf.len() - hlen) as u32;
        if self.csum() {
            pkt.l4_csum_ok = Some(checksum::verify(buf));
        }
        Ok(())
    }

    fn icmpv6(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.icmpv6 += 1;
        let buf = sub(pkt, s, e);
        let Ok(ic) = icmpv6::Icmpv6Packet::new_checked(buf) else {
            inv(pkt, E::Icmpv6PktTooSmall);
            return Err(());
        };
        if !self.layer(pkt) {
            return Err(());
        }
        let (t, code) = (ic.msg_type(), ic.code());
        pkt.sp = u16::from_le_bytes([t, code]);
        pkt.dp = icmpv6::counterpart(t).map(u16::from).unwrap_or(0);
        let mut info = IcmpInfo {
            itype: t,
            code,
            ..IcmpInfo::default()
        };
        let check = icmpv6::check_type_code(t, code);
        match check {
            icmpv6::TypeCheck::Ok => {}
            icmpv6::TypeCheck::UnknownCode => ev(pkt, E::Icmpv6UnknownCode),
            icmpv6::TypeCheck::UnassignedType => ev(pkt, E::Icmpv6UnassignedType),
            icmpv6::TypeCheck::ExperimentationType => ev(pkt, E::Icmpv6ExperimentationType),
            icmpv6::TypeCheck::UnknownType => ev(pkt, E::Icmpv6UnknownType),
        }
        let mut full_hdr = false;
        let code_ok = check == icmpv6::TypeCheck::Ok;
        match t {
            icmpv6::DST_UNREACH
            | icmpv6::PACKET_TOO_BIG
            | icmpv6::TIME_EXCEEDED
            | icmpv6::PARAM_PROB
                if code_ok =>
            {
                info.embedded = embedded_ipv6(pkt, ic.body());
                full_hdr = true;
            }
            icmpv6::ECHO_REQUEST | icmpv6::ECHO_REPLY if code_ok => {
                info.id = ic.ident();
                info.seq = ic.seq();
                full_hdr = true;
            }
            icmpv6::MLD_LISTENER_QUERY
            | icmpv6::MLD_LISTENER_REPORT
            | icmpv6::MLD_LISTENER_REDUCTION
                if pkt.ip.map(|i| i.ttl) != Some(1) =>
            {
                ev(pkt, E::Icmpv6MldMessageWithInvalidHl);
            }
            _ => {}
        }
        let hlen = if full_hdr { 8 } else { 4 };
        pkt.l4 = L4::Icmpv6(info);
        pkt.payload_offset = (s + hlen) as u32;
        pkt.payload_len = (buf.len() - hlen) as u32;
        self.l4_checksum(pkt, 58, buf);
        Ok(())
    }

    // ----- tunnels -----

    fn gre(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.gre += 1;
        let buf = sub(pkt, s, e);
        let Ok(g) = gre::GreHeader::new_checked(buf) else {
            inv(pkt, E::GrePktTooSmall);
            return Err(());
        };
        if !self.layer(pkt) {
            return Err(());
        }
        let mut hl = gre::HEADER_LEN;
        match g.version() {
            0 => {
                if g.recursion() != 0 {
                    inv(pkt, E::GreVersion0Recur);
                    return Ok(());
                }
                if g.flags() != 0 {
                    inv(pkt, E::GreVersion0Flags);
                    return Ok(());
                }
                if g.has_key() {
                    hl += gre::KEY_LEN;
                }
                if g.has_seq() {
                    hl += gre::SEQ_LEN;
                }
                if g.has_checksum() || g.has_routing() {
                    hl += gre::CHKSUM_LEN + gre::OFFSET_LEN;
                }
                if hl > buf.len() {
                    inv(pkt, E::GreVersion0HdrTooBig);
                    return Ok(());
                }
                if g.has_routing() {
                    // Source route entries until the null one; each consumes >= 4 bytes.
                    loop {
                        if hl + gre::SRE_HEADER_LEN > buf.len() {
                            inv(pkt, E::GreVersion0MalformedSreHdr);
                            return Ok(());
                        }
                        let af = u16::from_be_bytes([buf[hl], buf[hl + 1]]);
                        let sre_len = usize::from(buf[hl + 3]);
                        hl += gre::SRE_HEADER_LEN;
                        if af == 0 && sre_len == 0 {
                            break;
                        }
                        hl += sre_len;
                        if hl > buf.len() {
                            inv(pkt, E::GreVersion0MalformedSreHdr);
                            return Ok(());
                        }
                    }
                }
            }
            1 => {
                let bad = if g.has_checksum() {
                    Some(E::GreVersion1Chksum)
                } else if g.has_routing() {
                    Some(E::GreVersion1Route)
                } else if g.has_ssr() {
                    Some(E::GreVersion1Ssr)
                } else if g.recursion() != 0 {
                    Some(E::GreVersion1Recur)
                } else if g.flags() != 0 {
                    Some(E::GreVersion1Flags)
                } else if g.protocol() != ethertype::PPP {
                    Some(E::GreVersion1WrongProtocol)
                } else if !g.has_key() {
                    Some(E::GreVersion1NoKey)
                } else {
                    None
                };
                if let Some(ev) = bad {
                    inv(pkt, ev);
                    return Ok(());
                }
                hl += gre::KEY_LEN;
                if g.has_seq() {
                    hl += gre::SEQ_LEN;
                }
                if g.has_ack() {
                    hl += gre::ACK_LEN;
                }
                if hl > buf.len() {
                    inv(pkt, E::GreVersion1HdrTooBig);
                    return Ok(());
                }
            }
            _ => {
                inv(pkt, E::GreWrongVersion);
                return Ok(());
            }
        }
        let kind = match g.protocol() {
            ethertype::IPV4 => InnerKind::Ipv4,
            ethertype::PPP => InnerKind::Ppp,
            ethertype::IPV6 => InnerKind::Ipv6,
            ethertype::VLAN => InnerKind::Vlan,
            ethertype::ERSPAN => {
                if g.has_seq() {
                    InnerKind::ErspanII
                } else {
                    InnerKind::ErspanI
                }
            }
            ethertype::BRIDGE => InnerKind::Ethernet,
            _ => return Ok(()),
        };
        // Enhanced GRE (PPTP) packets whose payload length field is 0 (acknowledgments)
        // carry no PPP frame, whatever bytes follow (Ethernet padding counted in the IP
        // length): Suricata does not decode one. (An empty version 0 payload still is.)
        if kind == InnerKind::Ppp
            && g.version() == 1
            && (s + hl >= e || g.pptp_payload_len() == Some(0))
        {
            return Ok(());
        }
        self.tunnel(pkt, kind, s + hl, e, "gre", false);
        Ok(())
    }

    fn erspan2(&mut self, pkt: &mut Packet<'_>, s: usize, e: usize) -> R {
        self.stats.erspan += 1;
        let Ok(h) = erspan::ErspanHeader::new_checked(sub(pkt, s, e)) else {
            ev(pkt, E::ErspanHeaderTooSmall);
            return Err(());
        };
        if !self.layer(pkt) {
            return Err(());
        }
        if h.version() != 1 {
            ev(pkt, E::ErspanUnsupportedVersion);
            return Err(());
        }
        let vid = h.vlan();
        if vid > 0 {
            let idx = usize::from(pkt.vlan_count);
            if idx >= pkt.vlan.len() {
                ev(pkt, E::ErspanTooManyVlanLayers);
                return Err(());
            }
            pkt.vlan[idx] = vid;
            pkt.vlan_count += 1;
        }
        self.ethernet(pkt, s + erspan::HEADER_LEN, e)
    }
}

/// Records the IPv6 header length (fixed header plus extension headers walked so far).
fn set_v6_hlen(pkt: &mut Packet<'_>, upper: usize) {
    if let Some(ip) = pkt.ip.as_mut() {
        if ip.version == 6 {
            let hl = upper.saturating_sub(ip.offset as usize);
            ip.hlen = hl.min(usize::from(u16::MAX)) as u16;
        }
    }
}

/// Checks one IPv4 option of a known type; false (with the event) when it is malformed.
fn validate_ipv4_option(pkt: &mut Packet<'_>, kind: u8, opt: &[u8]) -> bool {
    let len = opt.len();
    let bad_len = |pkt: &mut Packet<'_>| {
        inv(pkt, E::Ipv4OptInvalidLen);
        false
    };
    let malformed = |pkt: &mut Packet<'_>| {
        inv(pkt, E::Ipv4OptMalformed);
        false
    };
    match kind {
        ipv4::OPT_QS if len < ipv4::OPT_QS_MIN => bad_len(pkt),
        ipv4::OPT_SEC if len < ipv4::OPT_SEC_MIN => bad_len(pkt),
        ipv4::OPT_ESEC if len < ipv4::OPT_ESEC_MIN => bad_len(pkt),
        ipv4::OPT_SID if len != ipv4::OPT_SID_LEN => bad_len(pkt),
        ipv4::OPT_RTRALT if len != ipv4::OPT_RTRALT_LEN => bad_len(pkt),
        ipv4::OPT_QS | ipv4::OPT_SEC | ipv4::OPT_ESEC | ipv4::OPT_SID | ipv4::OPT_RTRALT => true,
        ipv4::OPT_RR | ipv4::OPT_LSRR | ipv4::OPT_SSRR => {
            if len < ipv4::OPT_ROUTE_MIN {
                return bad_len(pkt);
            }
            let ptr = usize::from(opt[2]);
            if ptr < 4 || ptr % 4 != 0 || ptr > len + 1 {
                return malformed(pkt);
            }
            true
        }
        ipv4::OPT_TS => {
            if len < ipv4::OPT_TS_MIN {
                return bad_len(pkt);
            }
            let ptr = usize::from(opt[2]);
            if ptr < 5 {
                return malformed(pkt);
            }
            let flag = opt[3] & 0x0f;
            let rec = if flag == 1 || flag == 3 { 8 } else { 4 };
            if (ptr - 5) % rec != 0 || ptr > len + 1 {
                return malformed(pkt);
            }
            true
        }
        ipv4::OPT_CIPSO => {
            if len < ipv4::OPT_CIPSO_MIN {
                return bad_len(pkt);
            }
            // type, length, 4-byte DOI, then tags of (type, length, ...).
            let mut off = 6usize;
            while off < len {
                if len - off < 2 {
                    return malformed(pkt);
                }
                let ttype = opt[off];
                let tlen = usize::from(opt[off + 1]);
                if tlen < 2 || tlen > len - off {
                    return malformed(pkt);
                }
                match ttype {
                    // Tag 7 has no alignment octet; the others must have it zero.
                    1 | 2 | 5 | 6 | 7 => {
                        if tlen < 4 || (ttype != 7 && opt[off + 2] != 0) {
                            return malformed(pkt);
                        }
                    }
                    _ => return malformed(pkt),
                }
                off += tlen;
            }
            true
        }
        _ => {
            inv(pkt, E::Ipv4OptUnknown);
            false
        }
    }
}

/// Walks the options of a hop-by-hop or destination options header.
fn ipv6_options(pkt: &mut Packet<'_>, hop: bool, opts: &[u8]) {
    let mut off = 0usize;
    let (mut padn, mut other) = (0u32, 0u32);
    while off < opts.len() {
        let t = opts[off];
        if t == ipv6::OPT_PAD1 {
            padn += 1;
            off += 1;
            continue;
        }
        if off + 1 >= opts.len() {
            inv(pkt, E::Ipv6ExthdrInvalidOptlen);
            break;
        }
        let olen = usize::from(opts[off + 1]);
        if off + 1 + olen > opts.len() {
            inv(pkt, E::Ipv6ExthdrInvalidOptlen);
            break;
        }
        match t {
            ipv6::OPT_PADN => {
                padn += 1;
                if olen == 0 {
                    ev(pkt, E::Ipv6ZeroLenPadn);
                }
            }
            ipv6::OPT_RA => {
                if olen < 2 {
                    inv(pkt, E::Ipv6ExthdrInvalidOptlen);
                    break;
                }
                other += 1;
            }
            ipv6::OPT_JUMBO => {
                if olen < 4 {
                    inv(pkt, E::Ipv6ExthdrInvalidOptlen);
                    break;
                }
            }
            ipv6::OPT_HAO => {
                if olen < 16 {
                    inv(pkt, E::Ipv6ExthdrInvalidOptlen);
                    break;
                }
                other += 1;
            }
            _ => {
                ev(
                    pkt,
                    if hop {
                        E::Ipv6HopoptsUnknownOpt
                    } else {
                        E::Ipv6DstoptsUnknownOpt
                    },
                );
                other += 1;
            }
        }
        off += olen + 2;
    }
    if padn > 0 && other == 0 {
        ev(
            pkt,
            if hop {
                E::Ipv6HopoptsOnlyPadding
            } else {
                E::Ipv6DstoptsOnlyPadding
            },
        );
    }
}

/// The IPv4 packet quoted in an ICMPv4 error. Like Suricata, the transport header is read
/// right after the fixed 20-byte IP header.
fn embedded_ipv4(pkt: &mut Packet<'_>, body: &[u8]) -> Option<EmbeddedTuple> {
    let Ok(ip) = ipv4::Ipv4Packet::new_checked(body) else {
        inv(pkt, E::Icmpv4Ipv4TruncPkt);
        return None;
    };
    if ip.version() != 4 {
        inv(pkt, E::Icmpv4Ipv4UnknownVer);
        return None;
    }
    let l4 = &body[ipv4::HEADER_LEN..];
    let proto = ip.protocol();
    let (mut sp, mut dp) = (0, 0);
    match proto {
        6 if l4.len() >= 4 => {
            sp = u16::from_be_bytes([l4[0], l4[1]]);
            dp = u16::from_be_bytes([l4[2], l4[3]]);
            pkt.icmp_emb_l4_complete = l4.len() >= tcp::HEADER_LEN;
        }
        17 if l4.len() >= udp::HEADER_LEN => {
            sp = u16::from_be_bytes([l4[0], l4[1]]);
            dp = u16::from_be_bytes([l4[2], l4[3]]);
            pkt.icmp_emb_l4_complete = true;
        }
        _ => {}
    }
    Some(EmbeddedTuple {
        src: IpAddr::V4(ip.src()),
        dst: IpAddr::V4(ip.dst()),
        proto,
        sp,
        dp,
    })
}

/// The IPv6 packet quoted in an ICMPv6 error (its fixed header; extension headers are
/// not walked, as in Suricata).
fn embedded_ipv6(pkt: &mut Packet<'_>, body: &[u8]) -> Option<EmbeddedTuple> {
    let Ok(ip) = ipv6::Ipv6Packet::new_checked(body) else {
        inv(pkt, E::Icmpv6Ipv6TruncPkt);
        return None;
    };
    if ip.version() != 6 {
        inv(pkt, E::Icmpv6Ipv6UnknownVersion);
        return None;
    }
    let l4 = &body[ipv6::HEADER_LEN..];
    let proto = ip.next_header();
    let (mut sp, mut dp) = (0, 0);
    match proto {
        6 if l4.len() >= tcp::HEADER_LEN => {
            sp = u16::from_be_bytes([l4[0], l4[1]]);
            dp = u16::from_be_bytes([l4[2], l4[3]]);
            pkt.icmp_emb_l4_complete = true;
        }
        17 if l4.len() >= udp::HEADER_LEN => {
            sp = u16::from_be_bytes([l4[0], l4[1]]);
            dp = u16::from_be_bytes([l4[2], l4[3]]);
            pkt.icmp_emb_l4_complete = true;
        }
        _ => {}
    }
    Some(EmbeddedTuple {
        src: IpAddr::V6(ip.src()),
        dst: IpAddr::V6(ip.dst()),
        proto,
        sp,
        dp,
    })
}

#[cfg(test)]
mod tests;
