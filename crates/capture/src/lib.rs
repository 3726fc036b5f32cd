//! Capture: reading packets out of pcap and pcapng files.
//!
//! The reader works on a byte slice (the engine maps the file into memory), so every
//! packet handed out is a zero-copy view into the capture. Hostile files are the normal
//! case: every length is checked, a truncated last record ends the stream with a warning
//! and never a panic.
//!
//! Supported: pcap with microsecond and nanosecond magics in both byte orders (and the
//! "modified" variant), pcapng with several sections of either byte order, per-interface
//! link types and timestamp resolutions (`if_tsresol`, `if_tsoffset`), Enhanced, Simple and
//! obsolete Packet Blocks. Other pcapng blocks are skipped by their length.
//!
//! ```
//! use palisade_capture::{CaptureReader, LinkType};
//!
//! // A pcap file (little-endian, microseconds, Ethernet) holding one 2-byte packet.
//! let file: &[u8] = &[
//!     0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, // magic, 2.4, zone, sigfigs
//!     0xff, 0xff, 0, 0, 1, 0, 0, 0, // snaplen 65535, linktype 1
//!     100, 0, 0, 0, 7, 0, 0, 0, 2, 0, 0, 0, 60, 0, 0, 0, // ts 100 s 7 us, caplen 2, len 60
//!     0xab, 0xcd,
//! ];
//! let mut reader = CaptureReader::new(file).expect("a pcap file");
//! assert_eq!(reader.linktype(), Some(LinkType::ETHERNET));
//! while let Some(pkt) = reader.next_packet() {
//!     assert_eq!(pkt.data, &[0xab, 0xcd]);
//!     assert_eq!((pkt.ts.secs, pkt.ts.micros()), (100, 7));
//! }
//! if let Some(why) = reader.stop_reason() {
//!     eprintln!("warning: {why}"); // truncated or corrupt tail: report, still exit 0
//! }
//! assert!(!reader.truncated());
//! ```
#![forbid(unsafe_code)]

mod bytes;
mod pcap;
mod pcapng;
mod reader;

pub use pcapng::TsResolution;
pub use reader::{
    CaptureError, CaptureReader, Format, ReaderLimits, StopReason, TruncatedPart, Warnings,
};

/// Packet time, taken from the capture (never from the wall clock).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Seconds since the Unix epoch.
    pub secs: u64,
    /// Nanoseconds within the second: below 1_000_000_000 except for pcap records with an
    /// out-of-range microsecond field, which keep Suricata's un-normalised value (up to
    /// 1_048_575 us, printed as such by Suricata). Ordering compares `secs` then `nanos`,
    /// like Suricata's time comparisons.
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
    /// Whole time in microseconds (saturating: capture timestamps can be absurd).
    pub const fn as_micros(&self) -> u64 {
        self.secs
            .saturating_mul(1_000_000)
            .saturating_add((self.nanos / 1000) as u64)
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
