//! What detection sees of one packet: the decoded packet plus what the flow and stream
//! stages know about it.

use palisade_decode::{Packet, L4};

/// Direction of a packet within its flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowDir {
    ToServer,
    ToClient,
}

/// A packet ready for detection.
#[derive(Clone, Copy, Debug)]
pub struct PacketView<'a> {
    pub pkt: &'a Packet<'a>,
    /// Direction within the flow; `None` when the packet has no flow.
    pub dir: Option<FlowDir>,
    /// The packet belongs to a flow (Suricata's `p->flow != NULL`).
    pub has_flow: bool,
    /// The flow is established (TCP: three-way handshake done; other protocols: packets
    /// seen in both directions), as `flow:established` means it.
    pub established: bool,
    /// Reassembled stream data to inspect with this packet (TCP), if the stream stage
    /// produced some: payload rules are tried on it as well (`flow:only_stream` only on it).
    pub stream: Option<&'a [u8]>,
    /// Bytes seen so far by the stream engine, to server and to client (`stream_size`).
    pub stream_bytes: Option<[u64; 2]>,
    /// Application protocol of the flow when known (`app-layer-protocol`, app-layer rules).
    pub app_proto: Option<&'a str>,
    /// Stream events raised on this packet: bit `i` = `palisade_rules::events::STREAM_EVENTS[i]`.
    pub stream_events: [u64; 2],
    /// The packet is a datagram rebuilt from fragments (`flow:only_frag`).
    pub rebuilt_fragment: bool,
    /// The packet's payload went into the TCP stream (Suricata's `PKT_STREAM_ADD`):
    /// stream rules then see it through the reassembled stream only.
    pub stream_add: bool,
    /// The packet is a flow-end pseudo packet (Suricata's `PKT_PSEUDO_STREAM_END`):
    /// header keywords (`dsize`, `flags`, `ttl`, `seq`...) do not match it.
    pub pseudo: bool,
}

impl<'a> PacketView<'a> {
    /// A view of a packet with no flow or stream information.
    pub fn new(pkt: &'a Packet<'a>) -> PacketView<'a> {
        PacketView {
            pkt,
            dir: None,
            has_flow: false,
            established: false,
            stream: None,
            stream_bytes: None,
            app_proto: None,
            stream_events: [0; 2],
            rebuilt_fragment: false,
            stream_add: false,
            pseudo: false,
        }
    }

    /// Marks stream event number `idx` (index into `STREAM_EVENTS`).
    pub fn set_stream_event(&mut self, idx: usize) {
        if idx < 128 {
            self.stream_events[idx / 64] |= 1 << (idx % 64);
        }
    }

    pub(crate) fn has_stream_event(&self, idx: u8) -> bool {
        let i = idx as usize;
        i < 128 && self.stream_events[i / 64] & (1 << (i % 64)) != 0
    }

    /// Transport payload of the packet.
    pub fn payload(&self) -> &'a [u8] {
        self.pkt.payload()
    }

    /// Whether the packet's transport has ports (TCP, UDP, SCTP).
    pub(crate) fn has_ports(&self) -> bool {
        matches!(self.pkt.l4, L4::Tcp(_) | L4::Udp(_) | L4::Sctp)
    }
}
