//! Capture: reading packets out of pcap and pcapng files.
//!
//! The reader works on a byte slice (the engine maps the file into memory), so every
//! packet handed out is a zero-copy view into the capture. Hostile files are the normal
//! case: every length is checked, a truncated last record ends the stream with a warning
//! and never a panic.
#![forbid(unsafe_code)]

/// Packet time, taken from the capture (never from the wall clock).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Seconds since the Unix epoch.
    pub secs: u64,
    /// Nanoseconds within the second (0..1_000_000_000).
    pub nanos: u32,
}

impl Timestamp {
    pub const fn new(secs: u64, nanos: u32) -> Self {
        Timestamp { secs, nanos }
    }
    /// Microseconds within the second, as Suricata prints them.
    pub const fn micros(&self) -> u32 {
        self.nanos / 1000
    }
    /// Whole time in microseconds.
    pub const fn as_micros(&self) -> u64 {
        self.secs * 1_000_000 + (self.nanos / 1000) as u64
    }
}

/// Link-layer type of a capture (pcap LINKTYPE_* numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LinkType(pub u32);

impl LinkType {
    pub const NULL: LinkType = LinkType(0);
    pub const ETHERNET: LinkType = LinkType(1);
    pub const PPP: LinkType = LinkType(9);
    pub const RAW: LinkType = LinkType(101);
    /// DLT_RAW as some BSDs number it.
    pub const RAW_OPENBSD: LinkType = LinkType(14);
    pub const RAW_12: LinkType = LinkType(12);
    pub const LOOP: LinkType = LinkType(108);
    pub const LINUX_SLL: LinkType = LinkType(113);
    pub const IPV4: LinkType = LinkType(228);
    pub const IPV6: LinkType = LinkType(229);
    pub const LINUX_SLL2: LinkType = LinkType(276);
}

/// One packet as stored in the capture: a view into the file's bytes.
#[derive(Clone, Copy, Debug)]
pub struct RawPacket<'a> {
    pub ts: Timestamp,
    pub linktype: LinkType,
    /// Captured bytes (may be shorter than `orig_len`).
    pub data: &'a [u8],
    /// Length of the packet on the wire.
    pub orig_len: u32,
}
