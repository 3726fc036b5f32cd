//! Decoder anomalies, named as Suricata names them.

/// A decoder anomaly. `name()` gives Suricata's event name (`ipv4.trunc_pkt`), as used by
/// `decode-event:` in rules, in EVE `anomaly` records and (prefixed with
/// `decoder.event.`) in the stats counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecodeEvent {
    Ipv4PktTooSmall,
    Ipv4TruncPkt,
}

impl DecodeEvent {
    pub fn name(self) -> &'static str {
        match self {
            DecodeEvent::Ipv4PktTooSmall => "ipv4.pkt_too_small",
            DecodeEvent::Ipv4TruncPkt => "ipv4.trunc_pkt",
        }
    }
}

/// Maximum number of events kept per packet (Suricata keeps 15).
pub const MAX_EVENTS: usize = 15;

/// The events of one packet: a fixed-size set, no allocation.
#[derive(Clone, Copy, Debug, Default)]
pub struct Events {
    items: [Option<DecodeEvent>; MAX_EVENTS],
    len: u8,
}

impl Events {
    /// Records an event once; further events past the limit are dropped.
    pub fn push(&mut self, ev: DecodeEvent) {
        if self.contains(ev) {
            return;
        }
        if (self.len as usize) < MAX_EVENTS {
            self.items[self.len as usize] = Some(ev);
            self.len += 1;
        }
    }
    pub fn contains(&self, ev: DecodeEvent) -> bool {
        self.iter().any(|e| e == ev)
    }
    pub fn iter(&self) -> impl Iterator<Item = DecodeEvent> + '_ {
        self.items[..self.len as usize].iter().flatten().copied()
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    pub fn len(&self) -> usize {
        self.len as usize
    }
}
