//! Decoder counters, named and ordered as Suricata 7.0.10 writes them in EVE `stats`.

use crate::DecodeEvent;

/// Counters of the decoder. Field names are Suricata's counter names without the
/// `decoder.` prefix. `for_each` yields them in the order of Suricata's EVE `stats` record.
///
/// What counts when (as Suricata does):
/// - `pkts`, `bytes`, `avg_pkt_size`, `max_pkt_size`: once per captured frame
///   ([`crate::Decoder::decode`]), never for tunnel or reassembled packets.
/// - `invalid`: once per captured frame that some layer marked invalid.
/// - per-layer counters (`ethernet`, `ipv4`, `tcp`, ...): once per layer decoded, inner
///   layers of tunnels included (counted when [`crate::Decoder::decode_inner`] runs, or by
///   the outer decode when the inner packet turns out not to be a valid tunnel packet).
/// - encapsulation counters (`teredo`, `ipv4_in_ipv6`, `ipv6_in_ipv6`): when the inner
///   packet is accepted as a tunnel packet.
/// - `event.*`: per packet handed to the flow stage, via [`DecodeStats::count_events`].
#[derive(Clone, Debug)]
pub struct DecodeStats {
    pub pkts: u64,
    pub bytes: u64,
    pub invalid: u64,
    pub ipv4: u64,
    pub ipv6: u64,
    pub ethernet: u64,
    pub arp: u64,
    pub unknown_ethertype: u64,
    pub chdlc: u64,
    pub raw: u64,
    pub null: u64,
    pub sll: u64,
    pub tcp: u64,
    pub udp: u64,
    pub sctp: u64,
    pub esp: u64,
    pub icmpv4: u64,
    pub icmpv6: u64,
    pub ppp: u64,
    pub pppoe: u64,
    pub geneve: u64,
    pub gre: u64,
    pub vlan: u64,
    pub vlan_qinq: u64,
    pub vlan_qinqinq: u64,
    pub vxlan: u64,
    pub vntag: u64,
    pub ieee8021ah: u64,
    pub teredo: u64,
    pub ipv4_in_ipv6: u64,
    pub ipv6_in_ipv6: u64,
    pub mpls: u64,
    /// Sum of frame lengths and number of frames behind `avg_pkt_size`.
    pub pkt_size_sum: u64,
    pub pkt_size_count: u64,
    pub max_pkt_size: u64,
    pub max_mac_addrs_src: u64,
    pub max_mac_addrs_dst: u64,
    pub erspan: u64,
    pub nsh: u64,
    /// `decoder.event.*` (and `decoder.too_many_layers`), indexed by [`DecodeEvent::index`].
    pub events: [u64; DecodeEvent::COUNT],
    /// `tcp.syn`, `tcp.synack`, `tcp.rst`, `tcp.urg`: registered by Suricata's TCP decoder,
    /// printed in the `tcp` section of the stats record (not yielded by `for_each`).
    pub tcp_syn: u64,
    pub tcp_synack: u64,
    pub tcp_rst: u64,
    pub tcp_urg: u64,
}

impl Default for DecodeStats {
    fn default() -> Self {
        DecodeStats {
            pkts: 0,
            bytes: 0,
            invalid: 0,
            ipv4: 0,
            ipv6: 0,
            ethernet: 0,
            arp: 0,
            unknown_ethertype: 0,
            chdlc: 0,
            raw: 0,
            null: 0,
            sll: 0,
            tcp: 0,
            udp: 0,
            sctp: 0,
            esp: 0,
            icmpv4: 0,
            icmpv6: 0,
            ppp: 0,
            pppoe: 0,
            geneve: 0,
            gre: 0,
            vlan: 0,
            vlan_qinq: 0,
            vlan_qinqinq: 0,
            vxlan: 0,
            vntag: 0,
            ieee8021ah: 0,
            teredo: 0,
            ipv4_in_ipv6: 0,
            ipv6_in_ipv6: 0,
            mpls: 0,
            pkt_size_sum: 0,
            pkt_size_count: 0,
            max_pkt_size: 0,
            max_mac_addrs_src: 0,
            max_mac_addrs_dst: 0,
            erspan: 0,
            nsh: 0,
            events: [0; DecodeEvent::COUNT],
            tcp_syn: 0,
            tcp_synack: 0,
            tcp_rst: 0,
            tcp_urg: 0,
        }
    }
}

impl DecodeStats {
    /// Suricata's `decoder.avg_pkt_size`: integer mean of the captured frame lengths.
    pub fn avg_pkt_size(&self) -> u64 {
        self.pkt_size_sum
            .checked_div(self.pkt_size_count)
            .unwrap_or(0)
    }

    /// Counts one captured frame of `len` bytes (pkts, bytes, avg and max size).
    pub(crate) fn count_frame(&mut self, len: u64) {
        self.pkts += 1;
        self.bytes += len;
        self.pkt_size_sum += len;
        self.pkt_size_count += 1;
        self.max_pkt_size = self.max_pkt_size.max(len);
    }

    /// Counts the events of a packet in the `decoder.event.*` counters. Suricata does this
    /// for every packet that reaches its flow worker: captured packets, tunnel packets and
    /// reassembled datagrams (the engine calls this once per such packet).
    pub fn count_events(&mut self, events: &crate::Events) {
        for e in events.iter() {
            self.events[e.index()] += 1;
        }
    }

    /// Value of an event counter.
    pub fn event(&self, e: DecodeEvent) -> u64 {
        self.events[e.index()]
    }

    /// Adds the layer counters of `other` (not pkts/bytes/sizes/invalid/events).
    pub(crate) fn add_layers(&mut self, o: &DecodeStats) {
        macro_rules! add {
            ($($f:ident),*) => { $( self.$f += o.$f; )* };
        }
        add!(
            ipv4,
            ipv6,
            ethernet,
            arp,
            unknown_ethertype,
            chdlc,
            raw,
            null,
            sll,
            tcp,
            udp,
            sctp,
            esp,
            icmpv4,
            icmpv6,
            ppp,
            pppoe,
            geneve,
            gre,
            vlan,
            vlan_qinq,
            vlan_qinqinq,
            vxlan,
            vntag,
            ieee8021ah,
            teredo,
            ipv4_in_ipv6,
            ipv6_in_ipv6,
            mpls,
            erspan,
            nsh,
            tcp_syn,
            tcp_synack,
            tcp_rst,
            tcp_urg
        );
    }

    /// Adds every counter of `other` into `self` (merging per-thread stats); max counters
    /// take the maximum.
    pub fn merge(&mut self, o: &DecodeStats) {
        self.add_layers(o);
        self.pkts += o.pkts;
        self.bytes += o.bytes;
        self.invalid += o.invalid;
        self.pkt_size_sum += o.pkt_size_sum;
        self.pkt_size_count += o.pkt_size_count;
        self.max_pkt_size = self.max_pkt_size.max(o.max_pkt_size);
        self.max_mac_addrs_src = self.max_mac_addrs_src.max(o.max_mac_addrs_src);
        self.max_mac_addrs_dst = self.max_mac_addrs_dst.max(o.max_mac_addrs_dst);
        for (a, b) in self.events.iter_mut().zip(o.events.iter()) {
            *a += *b;
        }
    }

    /// Yields every `decoder.*` counter as (name relative to `stats.`, value), in the order
    /// of Suricata 7.0.10's EVE stats record: the layer counters, then `decoder.event.*`
    /// and last `decoder.too_many_layers`.
    pub fn for_each(&self, mut f: impl FnMut(&'static str, u64)) {
        let plain: [(&'static str, u64); 38] = [
            ("decoder.pkts", self.pkts),
            ("decoder.bytes", self.bytes),
            ("decoder.invalid", self.invalid),
            ("decoder.ipv4", self.ipv4),
            ("decoder.ipv6", self.ipv6),
            ("decoder.ethernet", self.ethernet),
            ("decoder.arp", self.arp),
            ("decoder.unknown_ethertype", self.unknown_ethertype),
            ("decoder.chdlc", self.chdlc),
            ("decoder.raw", self.raw),
            ("decoder.null", self.null),
            ("decoder.sll", self.sll),
            ("decoder.tcp", self.tcp),
            ("decoder.udp", self.udp),
            ("decoder.sctp", self.sctp),
            ("decoder.esp", self.esp),
            ("decoder.icmpv4", self.icmpv4),
            ("decoder.icmpv6", self.icmpv6),
            ("decoder.ppp", self.ppp),
            ("decoder.pppoe", self.pppoe),
            ("decoder.geneve", self.geneve),
            ("decoder.gre", self.gre),
            ("decoder.vlan", self.vlan),
            ("decoder.vlan_qinq", self.vlan_qinq),
            ("decoder.vlan_qinqinq", self.vlan_qinqinq),
            ("decoder.vxlan", self.vxlan),
            ("decoder.vntag", self.vntag),
            ("decoder.ieee8021ah", self.ieee8021ah),
            ("decoder.teredo", self.teredo),
            ("decoder.ipv4_in_ipv6", self.ipv4_in_ipv6),
            ("decoder.ipv6_in_ipv6", self.ipv6_in_ipv6),
            ("decoder.mpls", self.mpls),
            ("decoder.avg_pkt_size", self.avg_pkt_size()),
            ("decoder.max_pkt_size", self.max_pkt_size),
            ("decoder.max_mac_addrs_src", self.max_mac_addrs_src),
            ("decoder.max_mac_addrs_dst", self.max_mac_addrs_dst),
            ("decoder.erspan", self.erspan),
            ("decoder.nsh", self.nsh),
        ];
        for (name, v) in plain {
            f(name, v);
        }
        for &e in DecodeEvent::ALL {
            f(e.counter_name(), self.events[e.index()]);
        }
    }

    /// Yields the TCP flag counters Suricata's decoder registers in the `tcp` section
    /// (`tcp.syn`, `tcp.synack`, `tcp.rst`, `tcp.urg`), in that order.
    pub fn for_each_tcp(&self, mut f: impl FnMut(&'static str, u64)) {
        f("tcp.syn", self.tcp_syn);
        f("tcp.synack", self.tcp_synack);
        f("tcp.rst", self.tcp_rst);
        f("tcp.urg", self.tcp_urg);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The order of Suricata 7.0.10's `decoder` section, as printed by
    /// `jq '.stats.decoder | paths(scalars)'` on its EVE stats record.
    const SURICATA_PLAIN: &str = "pkts bytes invalid ipv4 ipv6 ethernet arp unknown_ethertype \
        chdlc raw null sll tcp udp sctp esp icmpv4 icmpv6 ppp pppoe geneve gre vlan vlan_qinq \
        vlan_qinqinq vxlan vntag ieee8021ah teredo ipv4_in_ipv6 ipv6_in_ipv6 mpls avg_pkt_size \
        max_pkt_size max_mac_addrs_src max_mac_addrs_dst erspan nsh";

    #[test]
    fn order_matches_suricata() {
        let mut names = Vec::new();
        DecodeStats::default().for_each(|n, _| names.push(n));
        let expected: Vec<String> = SURICATA_PLAIN
            .split_whitespace()
            .map(|n| format!("decoder.{n}"))
            .collect();
        assert_eq!(&names[..expected.len()], &expected[..]);
        assert_eq!(names.len(), expected.len() + DecodeEvent::COUNT);
        assert_eq!(names[expected.len()], "decoder.event.afpacket.trunc_pkt");
        assert_eq!(names.last(), Some(&"decoder.too_many_layers"));
    }

    #[test]
    fn avg_and_max() {
        let mut s = DecodeStats::default();
        s.count_frame(60);
        s.count_frame(100);
        assert_eq!(s.avg_pkt_size(), 80);
        assert_eq!(s.max_pkt_size, 100);
        assert_eq!(s.bytes, 160);
    }
}
